"""Many agents at once never overspend: 32 threads and 100 asyncio tasks
share one runtime whose budget covers only some of their calls."""

from __future__ import annotations

import asyncio
import threading

import openai

from iron_cage import BudgetExceededError

MODEL = "gpt-4o-mini"
# gpt-4o-mini output is $0.60/M: each call reserves >= $0.0006 for 1000
# output tokens, so $0.01 covers at most 16 calls in flight at once.
BUDGET = 0.01


def _check_books(rt, fake_provider, key, ok: int, refused: int, attempts: int) -> None:
    call_costs = sum(e["cost_micros"] for e in rt.events("llm.call") if e["outcome"] == "ok")
    assert ok + refused == attempts
    assert ok >= 1 and refused >= 1
    # Refused calls never reached the provider.
    assert fake_provider.count(key) == ok
    books = rt.close()  # idempotent: the final books
    assert books["reserved_micros"] == 0
    assert 0 < books["spent_micros"] <= BUDGET * 1_000_000
    assert books["spent_micros"] == call_costs


def test_32_threads_never_overspend(make_runtime, fake_provider, provider_key):
    fake_provider.script(provider_key, [{"reply": "ok " * 200, "sticky": True, "delay_ms": 20}])
    rt = make_runtime(BUDGET)
    results: list[str] = []
    lock = threading.Lock()

    def agent(_: str) -> None:
        client = openai.OpenAI(max_retries=0)
        for _ in range(3):
            try:
                client.chat.completions.create(
                    model=MODEL, max_tokens=1000, messages=[{"role": "user", "content": "go"}]
                )
                outcome = "ok"
            except openai.APIStatusError as e:
                outcome = e.response.headers.get("x-iron-cage-error", "other")
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=rt.run, args=(agent, "t")) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results) <= {"ok", "budget_exceeded"}, results
    _check_books(rt, fake_provider, provider_key, results.count("ok"), results.count("budget_exceeded"), 96)


def test_100_asyncio_tasks_never_overspend(make_runtime, fake_provider, provider_key):
    fake_provider.script(provider_key, [{"reply": "ok " * 200, "sticky": True, "delay_ms": 20}])
    rt = make_runtime(BUDGET)

    async def one(client: openai.AsyncOpenAI) -> str:
        try:
            await client.chat.completions.create(
                model=MODEL, max_tokens=1000, messages=[{"role": "user", "content": "go"}]
            )
            return "ok"
        except BudgetExceededError:
            return "budget"

    async def agent() -> list[str]:
        client = openai.AsyncOpenAI(max_retries=0)

        async def governed() -> str:
            # Each task's refusal surfaces as BudgetExceededError through arun.
            try:
                return await rt.arun(one, client)
            except BudgetExceededError:
                return "budget"

        return await asyncio.gather(*(governed() for _ in range(100)))

    async def main() -> list[str]:
        with rt.governed():
            return await agent()

    results = asyncio.run(main())
    assert set(results) <= {"ok", "budget"}, results
    _check_books(rt, fake_provider, provider_key, results.count("ok"), results.count("budget"), 100)
