"""Fixtures for the iron_cage tests: the shared fake provider (from
tests/python/conftest.py) and runtimes pointed at it under a fresh key."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import iron_cage

_SHARED = Path(__file__).resolve().parents[2] / "tests" / "python" / "conftest.py"
_spec = importlib.util.spec_from_file_location("iron_shared_conftest", _SHARED)
assert _spec and _spec.loader
_shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shared)

fake_provider = _shared.fake_provider


@pytest.fixture
def provider_key(fake_provider) -> str:
    """A fresh tenant of the fake provider (its own script and request log)."""
    return fake_provider.new_key()


@pytest.fixture
def make_runtime(fake_provider, provider_key):
    """Factory: `make_runtime(budget_usd=1.0, **options)` -> SafetyRuntime
    forwarding to the fake under `provider_key`; closed after the test."""
    made: list[iron_cage.SafetyRuntime] = []

    def make(budget_usd: float = 1.0, **options) -> iron_cage.SafetyRuntime:
        options.setdefault("upstreams", {"openai": fake_provider.url, "anthropic": fake_provider.url})
        options.setdefault("provider_keys", {"openai": provider_key, "anthropic": provider_key})
        rt = iron_cage.SafetyRuntime(budget_usd, **options)
        made.append(rt)
        return rt

    yield make
    for rt in made:
        rt.close()


@pytest.fixture
def protect_options(fake_provider, provider_key) -> dict:
    """Keyword arguments pointing `@protect_agent` at the fake."""
    return {
        "upstreams": {"openai": fake_provider.url, "anthropic": fake_provider.url},
        "provider_keys": {"openai": provider_key, "anthropic": provider_key},
    }


iron_server = _shared.iron_server
project_with_key = _shared.project_with_key
