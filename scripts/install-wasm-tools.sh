#!/usr/bin/env bash
# Installs what the browser app build needs: the wasm32 target and the
# wasm-bindgen CLI at exactly the wasm-bindgen version pinned in Cargo.lock.
# Idempotent: does nothing when both are already there.
set -euo pipefail

cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
    echo "install-wasm-tools: adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# The version of the `wasm-bindgen` package in Cargo.lock (the line after its name).
want=$(awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
if [ -z "$want" ]; then
    echo "install-wasm-tools: no wasm-bindgen in Cargo.lock (run 'cargo metadata' first)" >&2
    exit 1
fi

have=""
if command -v wasm-bindgen >/dev/null 2>&1; then
    have=$(wasm-bindgen --version | awk '{print $2}')
fi

if [ "$have" != "$want" ]; then
    echo "install-wasm-tools: installing wasm-bindgen-cli $want (found: ${have:-none})"
    cargo install wasm-bindgen-cli --version "$want"
else
    echo "install-wasm-tools: wasm-bindgen $have already installed"
fi
