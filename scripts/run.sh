#!/usr/bin/env bash
# Set-up + the main job: the control plane (`iron serve`) on SQLite with zero
# configuration, ready for the first admin to register.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

cargo build -q -p iron-server --bin iron
bind="${IRON_BIND:-127.0.0.1:8080}"
cat <<TXT

Iron Cage control plane: http://$bind  (SQLite file ./iron.db, master key ./iron.key)

Next steps:
  1. register the first admin (the first account becomes admin), then log the CLI in:
       curl -s http://$bind/api/v1/auth/register -H 'content-type: application/json' \\
            -d '{"email": "admin@example.com", "name": "Admin", "password": "a long passphrase"}'
       $CARGO_TARGET_DIR/debug/iron login --server http://$bind --email admin@example.com
  2. create a project and an ic_ key:  iron projects create ... ; iron keys create ...
  3. try a governed agent locally (no real provider key needed):
       cargo run -q -p iron-testkit --bin fake-provider &   # prints its URL
       IRON_OPENAI_UPSTREAM_URL=<that URL> OPENAI_API_KEY=sk-demo cargo run -q -p rust-embed
  API reference: http://$bind/api/openapi.json     Stop: Ctrl-C

TXT
exec "$CARGO_TARGET_DIR/debug/iron" serve --bind "$bind"
