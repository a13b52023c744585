#!/usr/bin/env bash
# SDK protocol benchmark: lease grants/s at 1/16/64 clients, settles/s and
# revoke → control-stream latency, on SQLite and PostgreSQL. Load comes from
# a second process (examples/sdk_bench.rs) on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
cargo build --release -p iron-server --bin iron --example sdk_bench
IRON="$TARGET/release/iron"
BENCH="$TARGET/release/examples/sdk_bench"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

bench() {
    local backend="$1" database_url="$2"
    rm -f "$WORK"/iron.*
    "$IRON" serve --bind 127.0.0.1:0 --database-url "$database_url" \
        --master-key-file "$WORK/iron.key" --pool-size 32 \
        >"$WORK/out" 2>"$WORK/err" &
    local pid=$!
    for _ in $(seq 50); do grep -q listening "$WORK/out" && break; sleep 0.1; done
    local url
    url="$(sed -n 's/^iron-server listening on //p' "$WORK/out")"
    echo "== $backend"
    "$BENCH" --url "$url" "${@:3}"
    kill "$pid"
    wait "$pid" || true
}

bench sqlite "$WORK/iron.db" "$@"
DB="iron_sdk_bench_$$"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
bench postgres "postgres://postgres@127.0.0.1:5432/$DB" "$@"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $DB WITH (FORCE)"
