# segmenta — the commands. `just serve` to try it, `just test` for everything CI runs.

set shell := ["bash", "-euo", "pipefail", "-c"]

export CARGO_TERM_COLOR := "never"

# Build everything and serve app + API on http://127.0.0.1:8080 (demo data on first start).
serve *ARGS: build
    ./target/release/segmenta serve --demo {{ARGS}}

# The release binary target/release/segmenta with the browser app embedded.
build: frontend
    cargo build --release -p cli

# The browser app (wasm) into frontend/dist/pkg; installs the wasm target and wasm-bindgen CLI.
frontend:
    scripts/build-frontend.sh

# Everything: format, lints, unit + integration tests on SQLite and PostgreSQL, OpenAPI drift,
# e2e API and browser tests against the release binary.
test: fmt-check lint openapi-check clients-check unit e2e
    @echo "just test: all checks passed"

fmt-check:
    cargo fmt --all -- --check

# clippy on the native crates, and on the crates that must build for the browser.
lint: frontend
    cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
    cargo clippy -p api-types -p frontend --target wasm32-unknown-unknown -- -D warnings
    scripts/check-api-types.sh

# Unit and integration tests (every server test runs on SQLite and on a throwaway PostgreSQL
# database), including the OpenAPI drift test.
unit: postgres
    cargo test --workspace --exclude frontend --exclude e2e

# The checked-in OpenAPI document validates (openapi-spec-validator, no warning).
openapi-check:
    scripts/check-openapi.sh

# Regenerate the clients from openapi/openapi.json: Python and TypeScript (clients/), and the
# operations of the Rust client (crates/client/src/operations/).
clients:
    scripts/clients.sh

# The checked-in clients are what their generators make of the checked-in document.
clients-check:
    scripts/clients.sh --check

# What the client scenarios of the e2e tests run: the Python client installed in
# target/py-tools, the TypeScript scenario compiled into target/ts-scenario.
client-tools:
    #!/usr/bin/env bash
    set -euo pipefail
    py=$(scripts/py-tools.sh)
    "$py/pip" install -q --disable-pip-version-check --force-reinstall --no-deps ./clients/python
    "$py/pip" install -q --disable-pip-version-check ./clients/python
    rm -rf clients/python/build clients/python/*.egg-info
    scripts/node-tools.sh
    cd clients/typescript && rm -rf ../../target/ts-scenario && npx --no-install tsc -p tsconfig.scenario.json

# End-to-end: API tests, the generated clients' scenarios and headless-Chromium tests against
# a real `segmenta serve`.
e2e: build postgres chromium client-tools
    SEGMENTA_BIN={{justfile_directory()}}/target/release/segmenta cargo test -p e2e -- --test-threads=1

# Regenerate the checked-in OpenAPI document.
openapi:
    cargo run -q -p cli -- openapi > openapi/openapi.json

# Benchmarks; results go to BENCHMARKS.md.
bench: build
    scripts/bench.sh

# Start the local PostgreSQL when it is down (127.0.0.1:5432, trust auth).
postgres:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi

# Debian's chromium and chromedriver for the browser tests (no browser download by a tool).
chromium:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
