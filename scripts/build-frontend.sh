#!/usr/bin/env bash
# Builds the browser app into frontend/dist/pkg (git-ignored), without trunk:
# release wasm -> wasm-bindgen (--target web) -> wasm-opt when it happens to be installed.
# frontend/dist/index.html and style.css are checked in; the server embeds frontend/dist.
set -euo pipefail

cd "$(dirname "$0")/.."

scripts/install-wasm-tools.sh

# Size matters more than speed for the browser app: smallest code, whole-program LTO, one codegen
# unit, no unwinding (about 400 KB gzipped instead of 565 KB). Set here, for this build only,
# because profile overrides per package cannot set `lto`; the wasm artifacts live in their own
# target directory, and cargo keeps host artifacts of both settings apart, so native release
# builds of the workspace are not rebuilt by this.
CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
CARGO_PROFILE_RELEASE_LTO=true \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
CARGO_PROFILE_RELEASE_PANIC=abort \
    cargo build -p frontend --target wasm32-unknown-unknown --release

out=frontend/dist/pkg
rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name frontend \
    target/wasm32-unknown-unknown/release/frontend.wasm

wasm="$out/frontend_bg.wasm"
if command -v wasm-opt >/dev/null 2>&1; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        -o "$wasm.opt" "$wasm"
    mv "$wasm.opt" "$wasm"
else
    echo "build-frontend: wasm-opt not found, skipping optimisation"
fi

echo "build-frontend: $wasm $(wc -c <"$wasm") bytes, $(gzip -9c "$wasm" | wc -c) gzipped"
