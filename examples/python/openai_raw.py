"""A plain `openai` script under Iron Cage: a JSON call, then the budget
running out with BudgetExceededError before anything is sent.

    .venv/bin/python examples/python/openai_raw.py          # against the fake provider
    .venv/bin/python examples/python/openai_raw.py --real   # OPENAI_API_KEY from the environment
"""

from __future__ import annotations

import openai

import iron_cage
from _demo import demo_runtime


def agent(question: str) -> str:
    client = openai.OpenAI()  # base URL and key come from the environment
    resp = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": question}], max_tokens=200
    )
    return resp.choices[0].message.content or ""


def main() -> None:
    with demo_runtime([{"reply": "Paris."}], budget_usd=0.001) as runtime:
        print(runtime.run(agent, "Capital of France? My email is ana@example.org"))
        print(f"spent ${runtime.spent_usd:.6f} of ${runtime.budget_usd}")
        try:
            runtime.run(lambda q: openai.OpenAI().chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": q}], max_tokens=4000
            ), "A long essay, please")
        except iron_cage.BudgetExceededError as e:
            print(f"refused before sending: {e.message} (spent ${e.spent:.6f} of ${e.limit})")


if __name__ == "__main__":
    main()
