"""Shared by the examples: a SafetyRuntime against the project's fake LLM
provider (started here, scripted with the example's answers), or with
`--real` against the real providers with keys from the environment."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import iron_cage

REPO = Path(__file__).resolve().parents[2]


def _testkit():
    """The fake provider's Python handle from the test suite (no copy here)."""
    spec = importlib.util.spec_from_file_location("iron_testkit_conftest", REPO / "tests/python/conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def demo_runtime(script: list, budget_usd: float) -> Iterator[iron_cage.SafetyRuntime]:
    if "--real" in sys.argv:
        with iron_cage.SafetyRuntime(budget_usd) as runtime:
            yield runtime
        return
    kit = _testkit()
    proc = subprocess.Popen(
        [str(kit._binary()), "--exit-on-stdin-eof"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        fake = kit.FakeProvider(json.loads(proc.stdout.readline())["url"])  # type: ignore[union-attr]
        key = fake.new_key()
        fake.script(key, script)
        with iron_cage.SafetyRuntime(
            budget_usd,
            upstreams={"openai": fake.url, "anthropic": fake.url},
            provider_keys={"openai": key, "anthropic": key},
        ) as runtime:
            yield runtime
        print(f"[fake provider received {fake.count(key)} request(s)]")
    finally:
        proc.stdin.close()  # type: ignore[union-attr]
        proc.wait(timeout=10)
