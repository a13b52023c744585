"""An `anthropic` streaming script under Iron Cage: the stream is counted
and redacted on the fly (a card number in the answer arrives as a placeholder).

    .venv/bin/python examples/python/anthropic_stream.py          # against the fake provider
    .venv/bin/python examples/python/anthropic_stream.py --real   # ANTHROPIC_API_KEY from the environment
"""

from __future__ import annotations

import anthropic

from _demo import demo_runtime

SCRIPT = [{"reply": "Your card 5555 5555 5555 4444 is on file; the order ships tomorrow.", "chunk_delay_ms": 5}]


def agent(question: str) -> None:
    client = anthropic.Anthropic()
    with client.messages.stream(
        model="claude-haiku-4-5", max_tokens=300, messages=[{"role": "user", "content": question}]
    ) as stream:
        for text in stream.text_stream:
            print(text, end="", flush=True)
    print()


def main() -> None:
    with demo_runtime(SCRIPT, budget_usd=0.10) as runtime:
        runtime.run(agent, "When does my order ship?")
        print(f"spent ${runtime.spent_usd:.6f}; events: {[e['type'] for e in runtime.events()]}")


if __name__ == "__main__":
    main()
