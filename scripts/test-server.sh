#!/usr/bin/env bash
# The iron-server test suite: Rust tests (every HTTP test on SQLite and on a
# fresh PostgreSQL database at 127.0.0.1:5432), then a bounded schemathesis
# run against /api/openapi.json. IRON_FUZZ_EXAMPLES sets examples per operation.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -p iron-server
cargo build -p iron-server
if [ ! -x .venv/bin/pytest ] || ! .venv/bin/python -c "import schemathesis" 2>/dev/null; then
    python3 -m venv .venv
    .venv/bin/pip install -q -r iron-server/tests/schemathesis/requirements.txt
fi
.venv/bin/pytest -q iron-server/tests/schemathesis
