"""Remote mode: `SafetyRuntime(ic_key=..., server_url=...)` against a real
`iron serve` (fresh SQLite database) that forwards to the fake provider.
Budget, provider key and kill switch come from the server."""

from __future__ import annotations

import time
from decimal import Decimal

import openai
import pytest

import iron_cage
from conftest import project_with_key

MODEL = "gpt-4o"


def _ask(text: str):
    # The official client, configured only by the environment the runtime sets.
    client = openai.OpenAI(max_retries=0)
    return client.chat.completions.create(
        model=MODEL, max_tokens=400, messages=[{"role": "user", "content": text}]
    )


def _spend(http, project_id: str, requests: int) -> dict:
    """The server's spend analytics once `requests` calls are recorded
    (events reach the server asynchronously; bounded generously)."""
    deadline = time.monotonic() + 30
    while True:
        body = http.get("/api/v1/analytics/spend", params={"project_id": project_id}).json()
        if body.get("requests", 0) >= requests or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def test_calls_through_the_server_show_in_its_analytics(iron_server, fake_provider):
    url, http = iron_server
    provider_key = fake_provider.new_key()
    project_id, _, ic_key = project_with_key(http, "10", provider_key)
    with iron_cage.SafetyRuntime(ic_key=ic_key, server_url=url) as rt:
        assert rt.remote and rt.server_url == url and rt.session_id
        assert rt.budget_usd is None and rt.remaining_usd is None
        for i in range(3):
            rt.run(lambda task: _ask(task).choices[0].message.content, f"call {i}")
        assert rt.usage()[MODEL].calls == 3
    spent = rt.spent_usd
    assert spent > 0
    assert fake_provider.count(provider_key) == 3
    body = _spend(http, project_id, 3)
    assert body["requests"] == 3, body
    assert Decimal(body["total_usd"]) == Decimal(round(spent * 1_000_000)) / 1_000_000, (body, spent)


def test_server_budget_exhaustion_raises_before_the_provider(iron_server, fake_provider):
    url, http = iron_server
    provider_key = fake_provider.new_key()
    fake_provider.script(provider_key, [{"reply": "word " * 2000, "sticky": True}])
    _, _, ic_key = project_with_key(http, "0.02", provider_key)
    ok = 0
    with iron_cage.SafetyRuntime(ic_key=ic_key, server_url=url) as rt:
        with pytest.raises(iron_cage.BudgetExceededError) as raised:
            for i in range(20):
                rt.run(_ask, f"call {i}")
                ok += 1
        assert isinstance(raised.value.__cause__, openai.APIStatusError)
        assert ok >= 1
        seen = fake_provider.count(provider_key)
        assert seen == ok, "the refused call never reached the provider"
        with pytest.raises(iron_cage.BudgetExceededError):
            rt.run(_ask, "again")
        assert fake_provider.count(provider_key) == seen


def test_revoking_the_key_mid_run_raises_key_revoked(iron_server, fake_provider):
    url, http = iron_server
    provider_key = fake_provider.new_key()
    _, key_id, ic_key = project_with_key(http, "10", provider_key)
    with iron_cage.SafetyRuntime(ic_key=ic_key, server_url=url) as rt:

        def agent(task: str) -> None:
            _ask("before")
            http.post(f"/api/v1/keys/{key_id}/revoke", json={}).raise_for_status()
            # Calls may pass until the control stream delivers the revoke.
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                _ask(task)
                time.sleep(0.05)
            raise AssertionError("the revoke never reached the agent")

        with pytest.raises(iron_cage.KeyRevokedError) as raised:
            rt.run(agent, "after")
        assert raised.value.code == "key_revoked"
        seen = fake_provider.count(provider_key)
        with pytest.raises(iron_cage.KeyRevokedError):
            rt.run(_ask, "again")
        assert fake_provider.count(provider_key) == seen, "refused before the provider"
    # A new runtime with the revoked key is refused at start.
    with pytest.raises(iron_cage.KeyRevokedError):
        iron_cage.SafetyRuntime(ic_key=ic_key, server_url=url)


def test_pausing_the_project_raises_project_paused(iron_server, fake_provider):
    url, http = iron_server
    provider_key = fake_provider.new_key()
    project_id, _, ic_key = project_with_key(http, "10", provider_key)
    with iron_cage.SafetyRuntime(ic_key=ic_key, server_url=url) as rt:
        rt.run(_ask, "before")
        http.post(f"/api/v1/projects/{project_id}/pause", json={}).raise_for_status()
        deadline = time.monotonic() + 20
        with pytest.raises(iron_cage.ProjectPausedError):
            while time.monotonic() < deadline:
                rt.run(_ask, "after")
                time.sleep(0.05)
        seen = fake_provider.count(provider_key)
        with pytest.raises(iron_cage.ProjectPausedError):
            rt.run(_ask, "again")
        assert fake_provider.count(provider_key) == seen


def test_env_driven_remote_mode(iron_server, fake_provider, monkeypatch):
    url, http = iron_server
    provider_key = fake_provider.new_key()
    _, _, ic_key = project_with_key(http, "10", provider_key)
    monkeypatch.setenv("IC_KEY", ic_key)
    monkeypatch.setenv("IRON_SERVER_URL", url)
    with iron_cage.SafetyRuntime() as rt:
        assert rt.remote and rt.server_url == url
        rt.run(_ask, "hello")
    assert fake_provider.count(provider_key) == 1

    @iron_cage.protect_agent
    def agent(task: str) -> str:
        return _ask(task).choices[0].message.content or ""

    try:
        agent("decorated")
        assert agent.get_runtime().remote  # type: ignore[attr-defined]
    finally:
        agent.get_runtime().close()  # type: ignore[attr-defined]
    assert fake_provider.count(provider_key) == 2
    monkeypatch.delenv("IRON_SERVER_URL")
    with pytest.raises(iron_cage.ConfigError, match="IRON_SERVER_URL"):
        iron_cage.SafetyRuntime()


def test_local_budget_with_remote_mode_is_refused(iron_server):
    url, _ = iron_server
    with pytest.raises(iron_cage.ConfigError, match="budget"):
        iron_cage.SafetyRuntime(5.0, ic_key="ic_whatever", server_url=url)
    with pytest.raises(iron_cage.ConfigError, match="ic_key"):
        iron_cage.SafetyRuntime(server_url=url)


def test_bad_key_is_refused_at_start(iron_server):
    url, _ = iron_server
    # The server does not know the key: refused like a revoked one, at start.
    with pytest.raises(iron_cage.KeyRevokedError) as raised:
        iron_cage.SafetyRuntime(ic_key="ic_not_a_real_key", server_url=url)
    assert raised.value.code == "unauthenticated"
    assert "iron-server answered 401" in str(raised.value)


def test_unreachable_server_is_refused_at_start():
    with pytest.raises(iron_cage.ServerUnavailableError):
        iron_cage.SafetyRuntime(ic_key="ic_not_a_real_key", server_url="http://127.0.0.1:9")
