"""Schemathesis against a real `iron serve`: bounded property-based requests
generated from /api/openapi.json must never get a 5xx or a response that
breaks the documented schema. Runs on SQLite and on a fresh PostgreSQL
database.

Needs the `iron` binary (IRON_BIN, else $CARGO_TARGET_DIR/debug/iron, else
target/debug/iron) and the `st` CLI of this virtualenv.
"""

import json
import os
import pathlib
import secrets
import shutil
import re
import subprocess
import sys
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"
MAX_EXAMPLES = os.environ.get("IRON_FUZZ_EXAMPLES", "10")
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"


def iron_binary() -> str:
    candidates = [os.environ.get("IRON_BIN")]
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(os.path.join(os.environ["CARGO_TARGET_DIR"], "debug", "iron"))
    candidates.append(str(REPO / "target" / "debug" / "iron"))
    for path in candidates:
        if path and os.path.exists(path):
            return path
    raise FileNotFoundError("build the server first: cargo build -p iron-server")


def st_binary() -> str:
    beside_python = pathlib.Path(sys.executable).parent / "st"
    return str(beside_python) if beside_python.exists() else shutil.which("st")


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


def call(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, data) as response:
        text = response.read()
        return json.loads(text) if text else None


@pytest.fixture(params=["sqlite", "postgres"])
def server(request, tmp_path):
    database_name = None
    if request.param == "sqlite":
        database_url = str(tmp_path / "iron.db")
    else:
        database_name = "iron_test_fuzz_" + secrets.token_hex(6)
        psql(f"CREATE DATABASE {database_name}")
        database_url = f"postgres://postgres@127.0.0.1:5432/{database_name}"
    args = [
        iron_binary(), "serve", "--bind", "127.0.0.1:0",
        "--database-url", database_url,
        "--master-key-file", str(tmp_path / "iron.key"),
        # Generated logins must not be throttled into a sea of 429s.
        "--login-limit-per-account", "100000", "--login-limit-per-ip", "100000",
    ]
    for provider in ("openai", "anthropic", "mistral"):
        args += ["--provider-base-url", f"{provider}=http://127.0.0.1:9"]
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
    first_line = process.stdout.readline().strip()
    assert first_line.startswith("iron-server listening on "), first_line
    try:
        yield first_line.removeprefix("iron-server listening on "), tmp_path
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        if database_name:
            psql(f"DROP DATABASE IF EXISTS {database_name} WITH (FORCE)")


def seed(base):
    """Real resources, so path parameters reach handlers instead of 404s."""
    admin = call(base, "POST", "/api/v1/auth/register",
                 body={"email": "admin@example.com", "name": "Admin", "password": PASSWORD})
    token = admin["access_token"]
    invitation = call(base, "POST", "/api/v1/invitations", token, {"email": "dev@example.com", "role": "developer"})
    dev = call(base, "POST", "/api/v1/auth/register", body={
        "email": "dev@example.com", "name": "Dev", "password": PASSWORD,
        "invitation_token": invitation["invitation_token"]})
    project = call(base, "POST", "/api/v1/projects", token, {"name": "Fuzz", "budget_usd": "100"})
    project_id = project["id"]
    call(base, "POST", f"/api/v1/projects/{project_id}/members", token, {"user_id": dev["user"]["id"]})
    provider = call(base, "POST", f"/api/v1/projects/{project_id}/providers", token,
                    {"provider": "openai", "api_key": "sk-proj-fuzzingSecret000000"})
    key = call(base, "POST", f"/api/v1/projects/{project_id}/keys", token, {"name": "fuzz"})
    budget_request = call(base, "POST", f"/api/v1/projects/{project_id}/budget-requests", dev["access_token"],
                          {"amount_usd": "1", "reason": "fuzz"})
    return token, {
        "project_id": project_id,
        "provider_id": provider["id"],
        "key_id": key["id"],
        "user_id": dev["user"]["id"],
        "request_id": budget_request["id"],
    }


def test_no_server_errors_and_responses_match_the_schema(server):
    base, workdir = server
    token, parameters = seed(base)
    config = workdir / "schemathesis.toml"
    lines = ["[parameters]"] + [f'{name} = "{value}"' for name, value in parameters.items()]
    config.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [
            st_binary(), "--config-file", str(config), "run", f"{base}/api/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            # The SDK routes take an `ic_` key, not this admin token; their bad
            # input is covered route by route in iron-server/tests/api/sdk.rs.
            "--exclude-path-regex", "^/api/v1/sdk/",
            "--checks", CHECKS,
            "--max-examples", MAX_EXAMPLES,
            "--seed", "1",
            "--workers", "1",
            "--phases", "examples,coverage,fuzzing",
            "--generation-database", "none",
            "--request-timeout", "10",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = result.stdout[-4000:]
    assert result.returncode == 0, summary + result.stderr[-2000:]
    tail = summary.split("SUMMARY")[-1]
    assert " passed" in summary and not re.search(r"\b\d+ failed", tail), summary
