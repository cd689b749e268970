#!/usr/bin/env bash
# api-types is shared with the browser app: it must build for wasm32 and must not pull in
# diesel or any server-side crate.
set -euo pipefail
cd "$(dirname "$0")/.."
if cargo tree -p api-types --target wasm32-unknown-unknown -e normal | grep -E '^\S*.*\b(diesel|actix-web|libsqlite3-sys|pq-sys)\b'; then
    echo "api-types depends on a server-side crate" >&2
    exit 1
fi
echo "api-types: wasm-clean"
