#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: system packages, Rust,
# the Python venv with the test clients. Safe to run again: each step skips
# itself when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. Debian packages (only the missing ones; apt-get update once if needed).
# A working python3 with venv (e.g. from pyenv) stands in for Debian's.
have_python=0
command -v python3 >/dev/null && python3 -m venv --help >/dev/null 2>&1 && have_python=1
pkgs=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  [[ $have_python == 1 && "$pkg" == python3* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || pkgs+=("$pkg")
done < scripts/apt-packages.txt
if ((${#pkgs[@]})); then
  log "installing Debian packages: ${pkgs[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

# 2. Rust: the machine's rustup toolchain; fall back to Debian's if absent.
if ! command -v cargo >/dev/null; then
  [[ -x "$HOME/.cargo/bin/cargo" ]] && export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null; then
  log "no cargo found: installing Debian's rustc and cargo"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc cargo >/dev/null
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1 || true

# 3. Python venv with the official clients used by the tests.
reqs=(tests/python/requirements.txt iron-server/tests/schemathesis/requirements.txt)
stamp=.venv/.requirements.sha
want=$(cat "${reqs[@]}" | sha256sum | cut -d' ' -f1)
if [[ ! -x .venv/bin/python ]]; then
  log "creating .venv"
  python3 -m venv .venv
fi
if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  log "installing Python test dependencies"
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q $(printf -- '-r %s ' "${reqs[@]}")
  echo "$want" > "$stamp"
fi

# 4. Node packages (once the UI and Node bindings exist).
for dir in $(git ls-files '*package-lock.json' 2>/dev/null | xargs -r -n1 dirname); do
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules" ]]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
# 5. The dashboard bundle, which `cargo build` embeds into iron-server
# (without it /dashboard only says how to build it). Vite needs Node >= 20.19.
if [[ -f dashboard/package.json ]]; then
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' 2>/dev/null; then
    echo "[setup] the dashboard needs Node.js >= 20.19 (found: $(node --version 2>/dev/null || echo none)); install it, e.g. from nodesource" >&2
    exit 1
  fi
  log "building the dashboard"
  (cd dashboard && npm run --silent build >/dev/null)
fi
log "ready"
