"""A LangChain agent with a tool, governed by Iron Cage without changing
its code: `ChatOpenAI` goes through the in-process gateway (budget, PII,
injection, tool policy) and the Python tool is checked by `@runtime.tool`.

    .venv/bin/python examples/python/langchain_agent.py          # against the fake provider
    .venv/bin/python examples/python/langchain_agent.py --real   # OPENAI_API_KEY from the environment
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool as lc_tool
from langchain_openai import ChatOpenAI

from _demo import demo_runtime

SCRIPT = [
    {"tool_call": {"name": "get_weather", "arguments": {"city": "Paris"}}},
    {"reply": "It is sunny in Paris, 21 °C."},
]


def build_agent(runtime):
    @lc_tool
    @runtime.tool
    def get_weather(city: str) -> str:
        """Current weather in a city."""
        return f"sunny, 21 °C in {city}"

    tools = {"get_weather": get_weather}

    def agent(question: str) -> str:
        llm = ChatOpenAI(model="gpt-4o-mini", max_retries=0).bind_tools(list(tools.values()))
        messages = [HumanMessage(question)]
        for _ in range(5):
            reply = llm.invoke(messages)
            messages.append(reply)
            if not reply.tool_calls:
                return str(reply.content)
            for call in reply.tool_calls:
                result = tools[call["name"]].invoke(call["args"])
                messages.append(ToolMessage(result, tool_call_id=call["id"]))
        return "gave up"

    return agent


def main() -> None:
    with demo_runtime(SCRIPT, budget_usd=0.50) as runtime:
        answer = runtime.run(build_agent(runtime), "What's the weather in Paris? Reply to ana@example.org")
        print(answer)
        print(f"spent ${runtime.spent_usd:.6f}, usage: {runtime.usage()}")


if __name__ == "__main__":
    main()
