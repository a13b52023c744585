"""Bad input gets a clear Python exception saying what to fix."""

from __future__ import annotations

import os

import openai
import pytest

import iron_cage
from iron_cage import ConfigError, PiiConfig, SafetyRuntime, ToolsConfig, UnknownModelError


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"budget_usd": -1}, "budget_usd must be a finite number >= 0"),
        ({"budget_usd": float("nan")}, "budget_usd must be a finite number >= 0"),
        ({"budget_usd": "50"}, "budget_usd must be a number of US dollars, got str"),
        ({"pii": "scramble"}, "PiiConfig.mode must be one of"),
        ({"pii": 3}, "pii must be a PiiConfig"),
        ({"injection": "maybe"}, "InjectionConfig.action must be one of"),
        ({"tools": {"denny": ["x"]}}, "invalid runtime configuration at tools.denny: unknown field `denny`, expected one of `allow`"),
        ({"tools": {"deny": "rm_*"}}, "invalid runtime configuration at tools.deny"),
        ({"tools": {"max_arg_bytes": 0}}, "max_arg_bytes must be > 0"),
        ({"tools": {"restricted_paths": ["relative/dir"]}}, "relative/dir"),
        ({"tools": ["deny"]}, "tools must be a ToolsConfig or a dict"),
        ({"allowed_models": "gpt-4o"}, "allowed_models must be a list"),
        ({"approver": "yes"}, "approver must be callable"),
        ({"provider_keys": {"mistral": "k"}}, "unknown provider \"mistral\""),
    ],
)
def test_bad_configuration(kwargs, message):
    with pytest.raises(ConfigError) as caught:
        SafetyRuntime(**kwargs)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)  # ConfigError is a ValueError too


def test_bad_config_objects():
    with pytest.raises(ConfigError, match="unknown entity type 'ZIP_CODE'"):
        PiiConfig(overrides={"ZIP_CODE": "allow"})
    with pytest.raises(ConfigError, match="between 0 and 1"):
        iron_cage.InjectionConfig(threshold=1.5)
    with pytest.raises(ConfigError, match="ToolsConfig.action"):
        ToolsConfig(action="ignore")
    with pytest.raises(ConfigError, match="BudgetConfig.max_usd must be a finite number >= 0"):
        iron_cage.BudgetConfig(max_usd=-5)
    with pytest.raises(ConfigError, match="budget must be a number"):
        iron_cage.protect_agent(budget="lots")


def test_unknown_model_is_refused_before_the_provider(make_runtime, fake_provider, provider_key):
    rt = make_runtime(1.0)

    def agent(_):
        openai.OpenAI(max_retries=0).chat.completions.create(
            model="gpt-imaginary-9", messages=[{"role": "user", "content": "hi"}]
        )

    with pytest.raises(UnknownModelError, match="gpt-imaginary-9"):
        rt.run(agent, "x")
    assert fake_provider.count(provider_key) == 0


def test_model_not_on_the_allow_list(make_runtime, fake_provider, provider_key):
    rt = make_runtime(1.0, allowed_models=["gpt-4o-mini"])

    def agent(_):
        openai.OpenAI(max_retries=0).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )

    with pytest.raises(iron_cage.ModelNotAllowedError):
        rt.run(agent, "x")
    assert fake_provider.count(provider_key) == 0


def test_bad_tool_arguments(make_runtime):
    rt = make_runtime(1.0)
    with pytest.raises(TypeError, match="non-empty str"):
        rt.check_tool("", {})
    with pytest.raises(TypeError, match="keys must be str"):
        rt.check_tool("t", {1: "x"})
    with pytest.raises(TypeError, match="NaN"):
        rt.check_tool("t", {"x": float("nan")})
    deep: dict = {}
    cur = deep
    for _ in range(100):
        cur["a"] = {}
        cur = cur["a"]
    with pytest.raises(TypeError, match="nested deeper"):
        rt.check_tool("t", deep)


def test_coroutine_inside_a_running_loop_points_to_arun(make_runtime):
    import asyncio

    rt = make_runtime(1.0)

    async def agent(_):
        return 1

    async def main():
        with pytest.raises(iron_cage.IronCageError, match="await runtime.arun"):
            rt.run(agent, "x")
        assert await rt.arun(agent, "x") == 1

    asyncio.run(main())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_rule(make_runtime, fake_provider, provider_key, protect_options):
    """A runtime made before fork refuses to work in the child; protect_agent
    makes a fresh one there."""
    rt = make_runtime(1.0)
    fake_provider.script(provider_key, [{"reply": "child", "sticky": True}])

    @iron_cage.protect_agent(budget=1.0, **protect_options)
    def agent(task):
        return openai.OpenAI(max_retries=0).chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": task}]
        ).choices[0].message.content

    assert agent("parent") == "child"
    parent_rt = agent.get_runtime()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        code = 1
        try:
            try:
                rt.spent_usd
            except iron_cage.IronCageError as e:
                assert "before os.fork()" in str(e)
                assert agent("child") == "child"
                assert agent.get_runtime() is not parent_rt
                code = 0
        finally:
            os.write(write, bytes([code]))
            os._exit(code)
    os.close(write)
    status = os.read(read, 1)
    os.waitpid(pid, 0)
    assert status == bytes([0])
    assert agent("parent again") == "child"
    parent_rt.close()
