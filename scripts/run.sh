#!/usr/bin/env bash
# Set-up + the main job. Until the control plane lands, the main job is the
# Rust embedding example: a governed agent spending a small local budget
# through the iron-core gateway, against the local test provider (no real
# provider key or network needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

cargo build -q -p iron-testkit --bin fake-provider
cargo build -q -p rust-embed
fake_out=$(mktemp)
"$CARGO_TARGET_DIR/debug/fake-provider" --exit-on-stdin-eof < <(sleep infinity) > "$fake_out" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null || true; rm -f "$fake_out"' EXIT
for _ in $(seq 100); do [[ -s "$fake_out" ]] && break; sleep 0.1; done
url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$fake_out")
echo "test provider at $url"

IRON_OPENAI_UPSTREAM_URL="$url" OPENAI_API_KEY="sk-demo-local" \
  "$CARGO_TARGET_DIR/debug/rust-embed"

cat <<TXT

Next steps:
  - read examples/rust-embed/src/main.rs: a Rust program governing its LLM calls
  - run it against OpenAI:  OPENAI_API_KEY=sk-... IRON_BUDGET_USD=0.05 cargo run -p rust-embed
  - run every test:         ./scripts/test.sh
TXT
