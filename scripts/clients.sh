#!/usr/bin/env bash
# `just clients`: regenerates the clients from openapi/openapi.json, with pinned generators,
# failing on any warning: Python into clients/python, TypeScript into clients/typescript/src,
# and the operations of the Rust client crate into crates/client/src/operations/.
# `scripts/clients.sh --check`: regenerates into a scratch copy and fails when the checked-in
# clients differ from it (the clients' drift test, like the document's own).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=$(scripts/py-tools.sh)
scripts/node-tools.sh

out=$root/clients
if [[ ${1:-} == --check ]]; then
    out=$(mktemp -d)/clients
    trap 'rm -rf "$(dirname "$out")"' EXIT
    mkdir -p "$out/typescript"
fi

# Python: openapi-python-client, an installable package (setup.py). Its code for a body that
# takes two media types tests `isinstance(body, list[Row])`, which Python rejects (a
# parameterised generic); the JSON body is a list, so the test becomes `isinstance(body, list)`.
rm -rf "$out/python"
PATH="$py:$PATH" openapi-python-client generate --path openapi/openapi.json --config clients/python.yaml \
    --output-path "$out/python" --meta setup --fail-on-warning >/dev/null
sed -i -E 's/isinstance\(body, list\[[A-Za-z0-9_]+\]\)/isinstance(body, list)/' "$out"/python/segmenta_client/api/*/*.py
if grep -rqE 'isinstance\(body, [a-z]+\[' "$out/python/segmenta_client/api"; then
    echo "clients: a parameterised isinstance test is left in the Python client" >&2
    exit 1
fi

# TypeScript: @hey-api/openapi-ts (fetch client, types, SDK), then tsc --strict over it.
rm -rf "$out/typescript/src"
# It prints its warnings among its progress lines: any is a failure, as for the Python one.
ts_log=$(cd clients/typescript && SEGMENTA_OPENAPI="$root/openapi/openapi.json" SEGMENTA_TS_OUT="$out/typescript/src" \
    npx --no-install openapi-ts 2>&1)
if grep -qiE 'warn|error|skipp' <<<"$ts_log"; then
    echo "$ts_log" >&2
    echo "clients: @hey-api/openapi-ts warned" >&2
    exit 1
fi
operations=$(python3 -c 'import json, sys; print(sum(len(v) for v in json.load(open(sys.argv[1]))["paths"].values()))' \
    openapi/openapi.json)
generated=$(grep -c '^export const' "$out/typescript/src/sdk.gen.ts")
[[ $generated == "$operations" ]] ||
    { echo "clients: the TypeScript SDK has $generated of $operations operations" >&2; exit 1; }
(cd clients/typescript && npx --no-install tsc -p tsconfig.json)

# Rust: one method per operation (scripts/gen-rust-client.py), formatted as the workspace is.
rust=$root/crates/client/src/operations
[[ $out == "$root/clients" ]] || rust=$out/operations
python3 scripts/gen-rust-client.py "$rust"
rustfmt --edition 2024 --config-path rustfmt.toml "$rust"/*.rs

if [[ $out != "$root/clients" ]]; then
    diff -r -q crates/client/src/operations "$rust" ||
        { echo "crates/client/src/operations is stale: run just clients" >&2; exit 1; }
    diff -r -q clients/python "$out/python" -x build -x '*.egg-info' -x __pycache__ ||
        { echo "clients/python is stale: run just clients" >&2; exit 1; }
    diff -r -q clients/typescript/src "$out/typescript/src" ||
        { echo "clients/typescript/src is stale: run just clients" >&2; exit 1; }
    echo "clients: up to date with openapi/openapi.json"
fi
