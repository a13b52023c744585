#!/usr/bin/env bash
# iron-server benchmarks: requests/s and latency for login, key validation and
# project list on SQLite and PostgreSQL, plus idle RSS. Load comes from a
# second process (examples/loadgen.rs) on loopback and is bounded in count
# and time. Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
cargo build --release -p iron-server --bin iron --example loadgen
IRON="$TARGET/release/iron"
LOADGEN="$TARGET/release/examples/loadgen"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

bench() {
    local backend="$1" database_url="$2"
    rm -f "$WORK"/iron.*
    "$IRON" serve --bind 127.0.0.1:0 --database-url "$database_url" \
        --master-key-file "$WORK/iron.key" \
        --login-limit-per-account 1000000 --login-limit-per-ip 1000000 \
        >"$WORK/out" 2>"$WORK/err" &
    local pid=$!
    for _ in $(seq 50); do grep -q listening "$WORK/out" && break; sleep 0.1; done
    local url
    url="$(sed -n 's/^iron-server listening on //p' "$WORK/out")"
    sleep 1
    echo "== $backend: idle RSS $(rss_mb $pid) MB"
    "$LOADGEN" --url "$url" "${@:3}"
    echo "== $backend: RSS after load $(rss_mb $pid) MB"
    kill "$pid"
    wait "$pid" || true
}

bench sqlite "$WORK/iron.db" "$@"
DB="iron_bench_$$"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
bench postgres "postgres://postgres@127.0.0.1:5432/$DB" "$@"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $DB WITH (FORCE)"
