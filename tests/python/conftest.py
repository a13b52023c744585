"""Session-wide fake LLM provider for the Python tests.

Builds the `fake-provider` binary with cargo (or takes the one named by
FAKE_PROVIDER_BIN), runs it, reads its `{"url": ...}` line, and drives its
`/_fake` control API. Each test should use its own key (`new_key()`): the
fake keeps scripts and request logs per API key.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import tempfile
import uuid
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


def _target_dir() -> Path:
    """CARGO_TARGET_DIR if set, else what `cargo metadata` reports, else ./target."""
    env = os.environ.get("CARGO_TARGET_DIR")
    if env:
        path = Path(env)
        return path if path.is_absolute() else REPO / path
    try:
        out = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return Path(json.loads(out)["target_directory"])
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError):
        return REPO / "target"


def _binary() -> Path:
    explicit = os.environ.get("FAKE_PROVIDER_BIN")
    if explicit:
        return Path(explicit)
    subprocess.run(
        ["cargo", "build", "-q", "-p", "iron-testkit", "--bin", "fake-provider"],
        cwd=REPO,
        check=True,
    )
    return _target_dir() / "debug" / "fake-provider"


class FakeProvider:
    """Handle on the running fake: its URL and its control API."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx.Client(base_url=url, timeout=10)

    def new_key(self) -> str:
        """A fresh `sk-test-...` key: a tenant of its own."""
        return f"sk-test-{uuid.uuid4().hex}"

    def script(self, key: str, entries: list[dict]) -> None:
        resp = self._http.post(f"/_fake/keys/{key}/script", json=entries)
        resp.raise_for_status()

    def requests(self, key: str) -> list[dict]:
        resp = self._http.get(f"/_fake/keys/{key}/requests")
        resp.raise_for_status()
        return resp.json()

    def stats(self, key: str) -> dict:
        resp = self._http.get(f"/_fake/keys/{key}/stats")
        resp.raise_for_status()
        return resp.json()

    def count(self, key: str) -> int:
        return self.stats(key)["requests"]

    def reset(self, key: str) -> None:
        self._http.delete(f"/_fake/keys/{key}").raise_for_status()

    def close(self) -> None:
        self._http.close()


@pytest.fixture(scope="session")
def fake_provider():
    binary = _binary()
    # stdin stays open: the fake exits on its EOF, so it dies with pytest
    # even if this fixture never reaches its cleanup.
    proc = subprocess.Popen(
        [str(binary), "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line:
            raise RuntimeError(f"fake-provider exited early (code {proc.poll()})")
        fake = FakeProvider(json.loads(line)["url"])
        yield fake
        fake.close()
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

class Gateway:
    """A running `governed-gateway` process: the iron-core runtime with a
    local budget, pointed at the fake provider under its own key."""

    def __init__(self, proc: subprocess.Popen, hello: dict, key: str) -> None:
        self._proc = proc
        self.url = hello["url"]
        self.env = hello["env"]
        self.key = key
        self.placeholder = self.env["OPENAI_API_KEY"]

    def _ask(self, command: str):
        assert self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        return json.loads(self._proc.stdout.readline())

    def snapshot(self) -> dict:
        return self._ask("snapshot")

    def events(self, kind: str | None = None) -> list[dict]:
        events = self._ask("events")
        return [e for e in events if kind is None or e["type"] == kind]

    def wait_for_events(self, kind: str, count: int = 1, timeout: float = 15.0) -> list[dict]:
        """The events of `kind` once there are `count`: a stream's call is
        committed (and its event emitted) just after the agent read its last
        byte, so right after a stream the event may not be there yet."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.events(kind)
            if len(events) >= count or time.monotonic() > deadline:
                return events
            time.sleep(0.05)

    def openai_kwargs(self) -> dict:
        return {"base_url": self.env["OPENAI_BASE_URL"], "api_key": self.placeholder, "max_retries": 0}

    def anthropic_kwargs(self) -> dict:
        return {"base_url": self.env["ANTHROPIC_BASE_URL"], "api_key": self.placeholder, "max_retries": 0}

    def stop(self) -> dict:
        """Shuts down (settling the budget) and returns the final snapshot."""
        assert self._proc.stdin and self._proc.stdout
        self._proc.stdin.write("quit\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        self._proc.wait(timeout=10)
        return json.loads(line)


def _gateway_binary() -> Path:
    subprocess.run(
        ["cargo", "build", "-q", "-p", "iron-testkit", "--bin", "governed-gateway"],
        cwd=REPO,
        check=True,
    )
    return _target_dir() / "debug" / "governed-gateway"


@pytest.fixture(scope="session")
def gateway_binary() -> Path:
    return _gateway_binary()


@pytest.fixture
def start_gateway(fake_provider, gateway_binary):
    """Factory: `start_gateway(budget_usd=1.0, extra_args=[...])` -> Gateway."""
    started: list[Gateway] = []

    def start(budget_usd: float = 5.0, extra_args: list[str] | None = None) -> Gateway:
        key = fake_provider.new_key()
        proc = subprocess.Popen(
            [
                str(gateway_binary),
                "--budget-usd", str(budget_usd),
                "--openai-upstream", fake_provider.url,
                "--anthropic-upstream", fake_provider.url,
                *(extra_args or []),
            ],
            env={**os.environ, "IRON_TEST_PROVIDER_KEY": key},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = proc.stdout.readline() if proc.stdout else ""
        if not line:
            raise RuntimeError(f"governed-gateway exited early (code {proc.poll()})")
        gw = Gateway(proc, json.loads(line), key)
        started.append(gw)
        return gw

    yield start
    for gw in started:
        if gw._proc.poll() is None:
            gw._proc.kill()
            gw._proc.wait()


def _iron_binary() -> Path:
    """IRON_BIN if set, else `cargo build` of the `iron` server binary."""
    explicit = os.environ.get("IRON_BIN")
    if explicit:
        return Path(explicit)
    subprocess.run(["cargo", "build", "-q", "-p", "iron-server", "--bin", "iron"], cwd=REPO, check=True)
    return _target_dir() / "debug" / "iron"


PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def iron_server(fake_provider):
    """A real `iron serve` on a fresh SQLite database, forwarding `openai`
    to the fake provider; yields (url, admin-authenticated httpx client)."""
    binary = _iron_binary()
    with tempfile.TemporaryDirectory() as tmp:
        log = open(Path(tmp) / "server.log", "w")
        proc = subprocess.Popen(
            [
                str(binary), "serve", "--bind", "127.0.0.1:0",
                "--database-url", str(Path(tmp) / "iron.db"),
                "--master-key-file", str(Path(tmp) / "iron.key"),
                "--provider-base-url", f"openai={fake_provider.url}",
            ],
            env={k: v for k, v in os.environ.items() if k != "IRON_MASTER_KEY"},
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            prefix = "iron-server listening on "
            if not line.startswith(prefix):
                raise RuntimeError(f"iron serve did not start: {line!r}")
            url = line[len(prefix):].strip()
            http = httpx.Client(base_url=url, timeout=10)
            admin = http.post(
                "/api/v1/auth/register",
                json={"email": "admin@example.com", "name": "Admin", "password": PASSWORD},
            )
            admin.raise_for_status()
            http.headers["authorization"] = f"Bearer {admin.json()['access_token']}"
            yield url, http
            http.close()
        finally:
            proc.kill()
            proc.wait()
            log.close()


def project_with_key(http: httpx.Client, budget_usd: str, provider_key: str) -> tuple[str, str, str]:
    """A project with the fake's key in its vault; returns (project id, key id, ic_ key)."""
    project = http.post("/api/v1/projects", json={"name": f"p-{provider_key}", "budget_usd": budget_usd})
    project.raise_for_status()
    pid = project.json()["id"]
    http.post(f"/api/v1/projects/{pid}/providers", json={"provider": "openai", "api_key": provider_key}).raise_for_status()
    key = http.post(f"/api/v1/projects/{pid}/keys", json={"name": "agent"})
    key.raise_for_status()
    return pid, key.json()["id"], key.json()["key"]
