#!/usr/bin/env bash
# Prints the path of a pinned wasm-opt (binaryen 132 from npm, run by node), installing it into
# target/wasm-opt when missing. Debian's binaryen is too old for the wasm rustc writes today
# (its wasm-opt 108 broke the app), and the npm package needs nothing but node, which comes from
# Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
version=132.0.0
dir=target/wasm-opt
bin="$PWD/$dir/node_modules/.bin/wasm-opt"
if ! [[ -x $bin ]] || ! grep -q "\"version\": \"$version\"" "$dir/node_modules/binaryen/package.json" 2>/dev/null; then
    if ! command -v npm >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 && apt-get install -y -qq nodejs npm >/dev/null
    fi
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --no-save --prefix "$dir" "binaryen@$version" >&2
fi
echo "$bin"
