#!/usr/bin/env bash
# The TypeScript generator and compiler (clients/typescript/package-lock.json, pinned) in
# clients/typescript/node_modules, installed when missing or stale. Node 20 and npm come from
# the machine (Debian's nodejs and npm when they are missing).
set -euo pipefail
cd "$(dirname "$0")/../clients/typescript"
if ! command -v npm >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq nodejs npm >/dev/null
fi
if ! cmp -s package-lock.json node_modules/.package-lock.json.installed 2>/dev/null; then
    npm ci --silent --no-audit --no-fund >&2
    cp package-lock.json node_modules/.package-lock.json.installed
fi
