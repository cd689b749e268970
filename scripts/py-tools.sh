#!/usr/bin/env bash
# The Python tools of the clients and the API checks (clients/requirements.txt, pinned) in a
# virtual environment of their own, target/py-tools, made or brought up to date when missing;
# prints its bin folder.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/py-tools
stamp="$venv/requirements.txt"
if ! cmp -s clients/requirements.txt "$stamp" 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check -r clients/requirements.txt >&2
    cp clients/requirements.txt "$stamp"
fi
echo "$PWD/$venv/bin"
