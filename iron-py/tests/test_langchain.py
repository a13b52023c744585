"""LangChain (langchain-openai) governed with no code change, and the
runnable examples kept runnable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool as lc_tool
from langchain_openai import ChatOpenAI

from iron_cage import PiiBlockedError, ToolDeniedError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


@lc_tool
def drop_table(name: str) -> str:
    """Drops a table."""
    return "dropped"


def test_langchain_agent_redacts_and_guards_tools(make_runtime, fake_provider, provider_key):
    fake_provider.script(
        provider_key,
        [{"reply": "noted"}, {"tool_call": {"name": "drop_table", "arguments": {"name": "users"}}}],
    )
    rt = make_runtime(1.0, tools={"deny": ["drop_*"]})

    def chat(question):
        return ChatOpenAI(model="gpt-4o-mini", max_retries=0).invoke([HumanMessage(question)]).content

    def tool_agent(question):
        llm = ChatOpenAI(model="gpt-4o-mini", max_retries=0).bind_tools([drop_table])
        return llm.invoke([HumanMessage(question)])

    assert rt.run(chat, "remember ana@example.org") == "noted"
    assert "ana@example.org" not in fake_provider.requests(provider_key)[0]["raw_body"]
    with pytest.raises(ToolDeniedError):
        rt.run(tool_agent, "clean the users table")
    with pytest.raises(PiiBlockedError):
        rt.run(chat, "my token is ghp_R4nd0mT0k3nV4lu3Xy9Qw8Er7Ty6Ui5Op4As3")
    assert fake_provider.count(provider_key) == 2


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("openai_raw.py", "refused before sending"),
        ("anthropic_stream.py", "[CREDIT_CARD_1]"),
        ("langchain_agent.py", "sunny in Paris"),
    ],
)
def test_examples_run_against_the_fake(example, expected):
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / example)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert expected in out.stdout
