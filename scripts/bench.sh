#!/usr/bin/env bash
# `just bench`: runs every benchmark on this machine and writes BENCHMARKS.md.
# Data comes from the demo generator (same code as `segmenta demo`), into a scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/segmenta
work=${BENCH_DIR:-target/bench}
orders=${BENCH_ORDERS_USERS:-100000}   # 100k users ≈ 1M orders
mkdir -p "$work"
out="$work/BENCHMARKS.partial.md"
: >"$out"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

echo "== import: generating ~1M orders"
rm -rf "$work/import" && mkdir -p "$work/import"
"$bin" demo --users "$orders" --out "$work/import" >/dev/null
rows=$(($(wc -l <"$work/import/orders.csv") - 1))

echo "== import: sqlite3 .import into a plain table"
rm -f "$work/import/plain.db"
t0=$(now)
sqlite3 "$work/import/plain.db" ".import --csv $work/import/orders.csv orders"
t1=$(now)
plain=$(secs "$t0" "$t1")

echo "== import: segmenta import orders"
db="$work/import/segmenta.db"
rm -f "$db" "$db-wal" "$db-shm"
"$bin" --database-url "$db" create-workspace --name bench --email bench@example.com --password benchmark-password >/dev/null
t0=$(now)
/usr/bin/time -f 'peak_kb %M' -o "$work/import/time.txt" \
    "$bin" --database-url "$db" import orders "$work/import/orders.csv" --workspace 1 >"$work/import/segmenta.log" 2>&1
t1=$(now)
ours=$(grep -oE 'import: [0-9]+ rows in [0-9.]+ s' "$work/import/segmenta.log" | awk '{print $5}')
total=$(secs "$t0" "$t1")
peak_mb=$(awk '/peak_kb/ { printf "%.0f", $2 / 1024 }' "$work/import/time.txt")

{
    echo "## Import of ${rows} orders into SQLite"
    echo
    echo "| what | seconds | rows/s |"
    echo "| --- | ---: | ---: |"
    echo "| \`sqlite3 .import\` into a plain table (no indexes, no upsert) | $plain | $(rate "$rows" "$plain") |"
    echo "| \`segmenta import orders\` (parse, validate, create users, upsert into a table with 2 indexes, purchase aggregates) | $ours | $(rate "$rows" "$ours") |"
    echo "| the same command end to end, with rescoring and segment refresh | $total | |"
    echo
    echo "Ratio segmenta / sqlite3: $(awk -v a="$plain" -v b="$ours" 'BEGIN { printf "%.2f", a / b }') (target ≥ 0.5). Peak memory of the import: ${peak_mb} MB."
    echo
} >>"$out"

# Analytics (issue 3) and segments (issue 4) on BENCH_USERS users (default 1M, ~10M orders),
# each side by side with DuckDB over the same generated files (`pip install duckdb`).
users=${BENCH_USERS:-1000000}
python3 -c 'import duckdb' 2>/dev/null || pip install -q duckdb || true
if [ "$users" -gt 0 ]; then
echo "== analytics on $users users"
{
    echo "## Analytics on ${users} users (\`cargo run --release -p bench -- analytics --users ${users}\`)"
    echo
    cargo run --release -q -p bench -- analytics --users "$users" --dir "$work/analytics"
    echo
} >>"$out"
echo "== segments on $users users"
{
    echo "## Segments and Users list on ${users} users (\`cargo run --release -p bench-segments -- --users ${users}\`)"
    echo
    cargo run --release -q -p bench-segments -- --users "$users" --dir "$work/segments"
    echo
} >>"$out"
fi

# The Users page budget (1 s on localhost with the demo data), in Debian's headless Chromium
# (same packages as `just chromium`); the program prints its section with its heading.
command -v chromedriver >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }
echo "== Users page load in headless Chromium"
{
    SEGMENTA_BIN="$PWD/$bin" cargo run --release -q -p e2e --bin page_timing
    echo
} >>"$out"

{
    echo "# Benchmarks"
    echo
    echo "Produced by \`just bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%d), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB,"
    echo "$(sqlite3 --version | cut -d' ' -f1-1 | sed 's/^/SQLite CLI /'). Release build."
    echo
    cat "$out"
} >BENCHMARKS.md
echo "wrote BENCHMARKS.md"
