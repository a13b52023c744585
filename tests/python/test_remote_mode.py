"""Remote mode from Python: a real `iron serve`, an `ic_` key, and the
official `openai` client through `governed-gateway --server-url` to the
fake provider. The server's budget and kill switch reach the agent as typed
errors, before the provider sees the call."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import time
from pathlib import Path

import openai
import pytest

# By path, not `from conftest import`: with iron-py/tests/conftest.py in the
# same run, the module name `conftest` is ambiguous.
_spec = importlib.util.spec_from_file_location(
    "iron_tests_python_conftest", Path(__file__).with_name("conftest.py")
)
assert _spec and _spec.loader
_shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shared)
_project_with_key = _shared.project_with_key

def _remote_gateway(gateway_binary: Path, server_url: str, ic_key: str) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen(
        [str(gateway_binary), "--server-url", server_url],
        # The key goes through the environment, not the command line.
        env={**os.environ, "IC_KEY": ic_key},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line:
        raise RuntimeError(f"governed-gateway exited early (code {proc.poll()})")
    return proc, json.loads(line)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        assert proc.stdin
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        proc.wait(timeout=20)


def _client(hello: dict) -> openai.OpenAI:
    env = hello["env"]
    return openai.OpenAI(base_url=env["OPENAI_BASE_URL"], api_key=env["OPENAI_API_KEY"], max_retries=0)


def _ask(client: openai.OpenAI, text: str):
    return client.chat.completions.create(
        model="gpt-4o", max_tokens=400, messages=[{"role": "user", "content": text}]
    )


def test_server_budget_through_the_official_client(iron_server, fake_provider, gateway_binary):
    url, http = iron_server
    provider_key = fake_provider.new_key()
    fake_provider.script(provider_key, [{"reply": "word " * 2000, "sticky": True}])
    _, _, ic_key = _project_with_key(http, "0.02", provider_key)
    proc, hello = _remote_gateway(gateway_binary, url, ic_key)
    try:
        client = _client(hello)
        ok = 0
        refused = 0
        for i in range(10):
            try:
                _ask(client, f"call {i}")
                assert refused == 0, "a call succeeded after a refusal"
                ok += 1
            except openai.APIStatusError as e:
                assert e.status_code == 402, e
                assert e.code == "budget_exceeded"
                refused += 1
        assert 2 <= ok <= 5 and ok + refused == 10
        assert fake_provider.count(provider_key) == ok, "refusals never reached the provider"
    finally:
        _stop(proc)


def test_revoking_the_key_stops_the_agent_before_the_provider(iron_server, fake_provider, gateway_binary):
    url, http = iron_server
    provider_key = fake_provider.new_key()
    _, key_id, ic_key = _project_with_key(http, "10", provider_key)
    proc, hello = _remote_gateway(gateway_binary, url, ic_key)
    try:
        client = _client(hello)
        _ask(client, "before")
        http.post(f"/api/v1/keys/{key_id}/revoke", json={}).raise_for_status()
        # Calls may still pass until the control stream delivers the revoke
        # (bounded generously); then every call is refused.
        deadline = time.monotonic() + 15
        while True:
            try:
                _ask(client, "after")
            except openai.PermissionDeniedError as e:
                assert e.code == "key_revoked"
                break
            assert time.monotonic() < deadline, "the revoke never reached the agent"
            time.sleep(0.05)
        seen = fake_provider.count(provider_key)
        with pytest.raises(openai.PermissionDeniedError):
            _ask(client, "again")
        assert fake_provider.count(provider_key) == seen, "refused before the provider"
    finally:
        _stop(proc)
