#!/usr/bin/env bash
# Set-up + every test of every language. Runs all suites even when one
# fails, prints each runner's summary, and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
source scripts/env.sh

failed=()
step() {
  local name=$1; shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  if ! "$@"; then failed+=("$name"); fi
}

step "cargo fmt" cargo fmt --all --check
step "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test" cargo test --workspace --locked
# The iron_cage wheel, installed into the venv as users install it (dev
# profile: shares most of the dependency builds of `cargo test` above;
# benches build --release). iron-py/tests/test_wheel.py also installs it
# into a fresh venv.
export IRON_CAGE_WHEEL_DIR="$CARGO_TARGET_DIR/wheels"
iron_py_wheel() {
  rm -rf "$IRON_CAGE_WHEEL_DIR" &&
    .venv/bin/maturin build -q --locked -m iron-py/Cargo.toml -o "$IRON_CAGE_WHEEL_DIR" &&
    .venv/bin/pip install -q --force-reinstall --no-deps "$IRON_CAGE_WHEEL_DIR"/iron_cage-*.whl
}
step "iron-py wheel" iron_py_wheel
# The browser tests drive a real `iron serve` and the fake provider, built
# after the dashboard bundle (setup.sh) so it is embedded. `cargo test` above
# already built both binaries; `--no-run` with the same selection only makes
# sure of it without a rebuild under different feature unification.
dashboard_tests() {
  cargo test --workspace --locked --no-run --quiet &&
    (cd dashboard && npx playwright test)
}
step "dashboard (Playwright)" dashboard_tests
step "pytest" .venv/bin/python -m pytest -q -p no:cacheprovider   # testpaths in pytest.ini
step "node" bash scripts/node-test.sh   # builds the napi addon, node --test, the example

printf '\n'
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test suites passed"
