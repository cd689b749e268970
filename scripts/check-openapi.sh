#!/usr/bin/env bash
# Validates the checked-in OpenAPI document (equal to the served one: the drift tests say so)
# with openapi-spec-validator, pinned in clients/requirements.txt; any line it prints besides
# its "OK" fails the check.
set -euo pipefail
cd "$(dirname "$0")/.."
py=$(scripts/py-tools.sh)
out=$("$py/openapi-spec-validator" --validation-errors all openapi/openapi.json 2>&1) || { echo "$out"; exit 1; }
if [[ $out != "openapi/openapi.json: OK" ]]; then
    echo "$out"
    echo "openapi-spec-validator printed more than OK" >&2
    exit 1
fi
echo "$out"
