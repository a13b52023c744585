#!/usr/bin/env bash
# Builds the Node addon (debug profile: the tests need no optimisation)
# and the TypeScript layer, then runs the Node tests and the example.
# Prints one summary line; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../bindings/node"
source ../../scripts/env.sh

npm run --silent build:debug || { echo "node: the addon did not build"; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
node --test --test-concurrency=1 --test-reporter=spec test/ 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary() { sed -n "s/^ℹ $1 \([0-9]*\)$/\1/p" "$log" | tail -1; }
echo "node --test: $(summary pass) passed, $(summary fail) failed, $(summary skipped) skipped"

# The example must keep working: one command, against the fake provider.
(cd ../../examples/node && node run.mjs) || { echo "node: the example failed"; status=1; }
exit "$status"
