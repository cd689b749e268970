#!/usr/bin/env bash
# `just bench`: runs the benchmarks on this machine and writes BENCHMARKS.md.
# Data comes from the demo generator (same code as `segmenta demo`), into a scratch folder.
#
# Sections: import, analytics, heavy, segments, events, page, wasm (all but events by default, whose
# rows the segments section also measures; `BENCH_SECTIONS="import page"`
# runs some). Each section's result is kept in $work/sections/ with its date, and BENCHMARKS.md
# is assembled from every section result there, so re-running one section keeps the others.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/segmenta
work=${BENCH_DIR:-target/bench}
orders=${BENCH_ORDERS_USERS:-100000}   # 100k users ≈ 1M orders
sections=${BENCH_SECTIONS:-import analytics heavy segments page wasm}
mkdir -p "$work/sections"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
wanted() { [[ " $sections " == *" $1 "* ]]; }
# Starts section $1 (file "$work/sections/$2.md"): its output goes to $out, headed by the date.
begin() { out="$work/sections/$2.md.new"; : >"$out"; echo "== $1"; }
# Keeps the section's result (only when it ran to the end).
finish() { mv "$out" "${out%.new}"; }
machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"

# Sections not re-run here keep their last result: on a machine without section files (a fresh
# checkout), each is first taken from the checked-in BENCHMARKS.md.
if [[ -f BENCHMARKS.md ]]; then
    python3 - "$work/sections" <<'PY'
import os, sys
heads = [("1-import", "## Import of"), ("2-analytics", "## Analytics on"), ("2h-heavy", "## Heavy-tailed buyers"),
         ("3-segments", "## Segments and Users list on"), ("3e-events", "## Segment events on"),
         ("4-page", "## Users page load"),
         ("5-wasm", "## Browser app size")]
text = "\n" + open("BENCHMARKS.md").read()
found = sorted((text.find("\n" + h), name) for name, h in heads if text.find("\n" + h) >= 0)
for i, (start, name) in enumerate(found):
    path = os.path.join(sys.argv[1], name + ".md")
    end = found[i + 1][0] if i + 1 < len(found) else len(text)
    if not os.path.exists(path):
        open(path, "w").write(text[start + 1:end].rstrip("\n") + "\n\n")
PY
fi

command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

if wanted import; then
begin import 1-import
echo "== import: generating ~1M orders"
rm -rf "$work/import" && mkdir -p "$work/import"
"$bin" demo --users "$orders" --out "$work/import" >/dev/null
rows=$(($(wc -l <"$work/import/orders.csv") - 1))

# Three rounds, alternating the two tools so that both see the same machine; medians reported.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
plains=() ours_all=() totals=() peaks=()
for round in 1 2 3; do
    echo "== import round $round: sqlite3 .import into a plain table"
    rm -f "$work/import/plain.db"
    t0=$(now)
    sqlite3 "$work/import/plain.db" ".import --csv $work/import/orders.csv orders"
    t1=$(now)
    plains+=("$(secs "$t0" "$t1")")

    echo "== import round $round: segmenta import orders"
    db="$work/import/segmenta.db"
    rm -f "$db" "$db-wal" "$db-shm"
    "$bin" --database-url "$db" create-workspace --name bench --email bench@example.com --password benchmark-password >/dev/null
    t0=$(now)
    /usr/bin/time -f 'peak_kb %M' -o "$work/import/time.txt" \
        "$bin" --database-url "$db" import orders "$work/import/orders.csv" --workspace 1 >"$work/import/segmenta.log" 2>&1
    t1=$(now)
    ours_all+=("$(grep -oE 'import: [0-9]+ rows in [0-9.]+ s' "$work/import/segmenta.log" | awk '{print $5}')")
    totals+=("$(secs "$t0" "$t1")")
    peaks+=("$(awk '/peak_kb/ { printf "%.0f", $2 / 1024 }' "$work/import/time.txt")")
done
plain=$(median "${plains[@]}")
ours=$(median "${ours_all[@]}")
total=$(median "${totals[@]}")
peak_mb=$(median "${peaks[@]}")

{
    echo "## Import of ${rows} orders into SQLite (\`BENCH_SECTIONS=import just bench\`, $(date -u +%Y-%m-%d), $machine)"
    echo
    echo "| what | seconds | rows/s |"
    echo "| --- | ---: | ---: |"
    echo "| \`sqlite3 .import\` into a plain table (no indexes, no upsert) | $plain | $(rate "$rows" "$plain") |"
    echo "| \`segmenta import orders\` (parse, validate, create users, upsert into a table with 2 indexes, purchase aggregates) | $ours | $(rate "$rows" "$ours") |"
    echo "| the same command end to end, with rescoring and segment refresh | $total | |"
    echo
    echo "Medians of 3 rounds (sqlite3: ${plains[*]} s; segmenta: ${ours_all[*]} s). Ratio segmenta / sqlite3:"
    echo "**$(awk -v a="$plain" -v b="$ours" 'BEGIN { printf "%.2f", a / b }')** (target ≥ 0.5). Peak memory of the import command: ${peak_mb} MB (SQLite's page"
    echo "cache is allowed 512 MiB during a bulk load)."
    echo
} >>"$out"
finish
fi

# Analytics (issue 3) and segments (issue 4) on BENCH_USERS users (default 1M, ~10M orders),
# each side by side with DuckDB over the same generated files (`pip install duckdb`).
users=${BENCH_USERS:-1000000}
if wanted analytics || wanted heavy || wanted segments; then
    python3 -c 'import duckdb' 2>/dev/null || pip install -q duckdb || true
fi
if wanted segments; then
    command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
if wanted analytics; then
begin "analytics on $users users" 2-analytics
{
    echo "## Analytics on ${users} users (\`cargo run --release -p bench -- analytics --users ${users}\`, $(date -u +%Y-%m-%d), $machine)"
    echo
    cargo run --release -q -p bench -- analytics --users "$users" --dir "$work/analytics"
    echo
} >>"$out"
finish
fi
# The same analytics over heavy-tailed buyers (`segmenta demo --heavy-tail`: a few buyers with
# tens of thousands of orders), and the orders import over HTTP, from request to answer with
# the rescoring that follows, on SQLite and on PostgreSQL: every buyer must come out scored.
if wanted heavy; then
begin "heavy-tailed buyers on $users users" 2h-heavy
heavy_import() { # $1 backend label, $2 DATABASE_URL
    local log="$work/heavy/serve-$1.log" port=18099 token status secs
    SEGMENTA_ADDR=127.0.0.1:$port DATABASE_URL="$2" "$bin" serve >"$log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
    token=$(curl -sf "http://127.0.0.1:$port/api/v1/auth/signup" -H 'content-type: application/json' \
        -d '{"workspace_name":"Heavy","email":"heavy@bench.test","password":"heavy-password"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    read -r status secs < <(curl -s -o "$work/heavy/report-$1.json" -w '%{http_code} %{time_total}\n' \
        "http://127.0.0.1:$port/api/v1/imports/orders" -H "authorization: Bearer $token" \
        -H 'content-type: text/csv' --data-binary @"$work/heavy/files/orders.csv")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    local scoring
    scoring=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r.get("scoring",{}).get("state","-"))' \
        "$work/heavy/report-$1.json" 2>/dev/null || echo "-")
    local counts="SELECT COUNT(*), COUNT(rfm_segment), COUNT(health_score), MAX(purchases) FROM users WHERE purchases > 0"
    local row
    if [[ $1 == sqlite ]]; then row=$(sqlite3 -separator ' ' "$2" "$counts"); else row=$(psql -qtA -F ' ' "$2" -c "$counts"); fi
    read -r buyers rfm health top <<<"$row"
    echo "| $1 | $status | $secs | $(rate "$heavy_rows" "$secs") | $scoring | $buyers | $rfm | $health | $top |" >>"$out"
}
{
    echo "## Heavy-tailed buyers: analytics on ${users} users (\`cargo run --release -p bench -- analytics --users ${users} --heavy-tail\`, $(date -u +%Y-%m-%d), $machine)"
    echo
    cargo run --release -q -p bench -- analytics --users "$users" --heavy-tail --dir "$work/heavy/analytics"
    echo
} >>"$out"
mkdir -p "$work/heavy/files"
[[ -f "$work/heavy/files/orders.csv" ]] || "$bin" demo --users "$users" --heavy-tail --out "$work/heavy/files" >/dev/null
heavy_rows=$(($(wc -l <"$work/heavy/files/orders.csv") - 1))
{
    echo "### The orders import over HTTP (\`curl --data-binary\` of orders.csv, $heavy_rows rows, $(du -m "$work/heavy/files/orders.csv" | cut -f1) MB), from request to answer"
    echo
    echo "The answer comes after the rescoring and segment refresh that follow the import. Buyers: users with a purchase."
    echo
    echo "| backend | status | seconds | rows/s | scoring | buyers | with RFM | with health | most purchases of one user |"
    echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
} >>"$out"
rm -f "$work/heavy/segmenta.db" "$work/heavy/segmenta.db-wal" "$work/heavy/segmenta.db-shm"
heavy_import sqlite "$work/heavy/segmenta.db"
pg_db=segmenta_bench_heavy
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" -c "CREATE DATABASE $pg_db" postgres
heavy_import postgres "postgres://postgres@127.0.0.1:5432/$pg_db"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" postgres
echo >>"$out"
finish
fi
if wanted segments; then
begin "segments on $users users" 3-segments
{
    echo "## Segments and Users list on ${users} users (\`cargo run --release -p bench-segments -- --users ${users}\`, $(date -u +%Y-%m-%d), $machine)"
    echo
    cargo run --release -q -p bench-segments -- --users "$users" --dir "$work/segments"
    echo
} >>"$out"
finish
fi

# Segment events alone (the segments section's last rows, without DuckDB, HTTP and the export).
if wanted events; then
begin "segment events on $users users" 3e-events
{
    echo "## Segment events on ${users} users (\`cargo run --release -p bench-segments -- --users ${users} --runs 3 --no-duckdb --no-http --no-export\`, $(date -u +%Y-%m-%d), $machine)"
    echo
    echo "SQLite, the generated workspace of the Segments section. A custom segment \"total revenue ≥ the"
    echo "100 000th biggest spender's\" is created (about 100 000 users enter), then raised out of everyone's"
    echo "reach (the same users exit); each save writes the definition, refreshes the membership, records"
    echo "the events and \`segment_days\`, and writes the messages of one subscribed webhook, in one"
    echo "transaction. Beside it, the same two saves with the refresh as it was before its history (no"
    echo "events, no daily counts, no messages: \`db::faults::without_history\`). Three rounds of the four"
    echo "saves, each round from a checkpointed file (as the server's idle checkpoints leave it); the"
    echo "rounds' segments are deleted with their events afterwards. The outbox is then delivered by the"
    echo "server's delivery task to a receiver on loopback; the history reads a year of daily points of a"
    echo "segment with 730 000 events. Bytes an event: the database's pages in use (not its file, whose"
    echo "free pages a reused database fills first) before and after the rounds with history."
    echo
    cargo run --release -q -p bench-segments -- --users "$users" --dir "$work/segments" --runs 3 --no-duckdb --no-http --no-export
    echo
} >>"$out"
finish
fi

# The Users page budget (1 s on localhost with the demo data), in Debian's headless Chromium
# (same packages as `just chromium`); the program prints its section with its heading.
if wanted page; then
command -v chromedriver >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }
begin "Users page load in headless Chromium" 4-page
{
    SEGMENTA_BIN="$PWD/$bin" cargo run --release -q -p e2e --bin page_timing
    echo "Run on $(date -u +%Y-%m-%d), $machine."
    echo
} >>"$out"
finish
fi

# The browser app's size budget (600 KB gzipped), of the build `just build` embeds.
if wanted wasm; then
begin "browser app size" 5-wasm
wasm=frontend/dist/pkg/frontend_bg.wasm
{
    echo "## Browser app size (\`BENCH_SECTIONS=wasm just bench\`, $(date -u +%Y-%m-%d))"
    echo
    echo "\`scripts/build-frontend.sh\` (release, opt-level z, LTO, no wasm-opt): \`frontend_bg.wasm\`"
    echo "$(stat -c %s "$wasm") bytes, **$(gzip -9 -c "$wasm" | wc -c) bytes gzipped** (budget 600 KB = 614400 bytes)."
    echo
} >>"$out"
finish
fi

{
    echo "# Benchmarks"
    echo
    echo "Produced by \`just bench\` (scripts/bench.sh; \`BENCH_SECTIONS=...\` re-runs some sections and keeps the"
    echo "others). Release build, $(sqlite3 --version | cut -d' ' -f1-1 | sed 's/^/SQLite CLI /') for the comparison."
    echo "Each section names the command and the date that produced it."
    echo
    cat "$work"/sections/*.md
} >BENCHMARKS.md
echo "wrote BENCHMARKS.md"
