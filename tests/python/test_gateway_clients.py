"""The official `openai` and `anthropic` clients, unmodified, through the
iron-core gateway (run as the `governed-gateway` process) to the fake
provider: credentials injected, usage billed, refusals typed."""

from __future__ import annotations

import asyncio

import anthropic
import openai
import pytest


def _messages(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_openai_chat_json_and_stream(start_gateway, fake_provider):
    gw = start_gateway(budget_usd=5.0)
    client = openai.OpenAI(**gw.openai_kwargs())

    reply = client.chat.completions.create(model="gpt-4o-mini", messages=_messages("Hello"))
    assert reply.choices[0].message.content
    assert reply.usage.prompt_tokens > 0

    chunks = list(
        client.chat.completions.create(model="gpt-4o-mini", messages=_messages("Stream"), stream=True)
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text
    assert all(c.usage is None for c in chunks), "usage chunk requested by the gateway is stripped"

    seen = fake_provider.requests(gw.key)
    assert len(seen) == 2
    for request in seen:
        assert request["headers"]["authorization"] == f"Bearer {gw.key}"
        assert gw.placeholder not in str(request["headers"])
    assert seen[1]["body"]["stream_options"] == {"include_usage": True}

    final = gw.stop()
    assert final["spent"] > 0 and final["reserved"] == 0
    assert final["granted"] == final["spent"] + final["returned"]


def test_openai_stream_with_usage_requested_by_the_agent(start_gateway):
    gw = start_gateway(budget_usd=5.0)
    client = openai.OpenAI(**gw.openai_kwargs())
    chunks = list(
        client.chat.completions.create(
            model="gpt-4o-mini",
            messages=_messages("Stream"),
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    usage = [c.usage for c in chunks if c.usage is not None]
    assert len(usage) == 1 and usage[0].completion_tokens > 0
    call = gw.wait_for_events("llm.call")[-1]
    assert call["usage_source"] == "usage"
    assert call["output_tokens"] == usage[0].completion_tokens
    assert call["input_tokens"] == usage[0].prompt_tokens


def test_the_client_never_sees_the_real_key(start_gateway):
    gw = start_gateway(budget_usd=5.0)
    client = openai.OpenAI(**gw.openai_kwargs())
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=_messages("hi"))
    assert gw.key not in raw.text
    assert all(gw.key not in v for v in raw.headers.values())
    assert gw.key not in str(gw.env)


def test_anthropic_messages_json_and_stream(start_gateway, fake_provider):
    gw = start_gateway(budget_usd=5.0)
    client = anthropic.Anthropic(**gw.anthropic_kwargs())
    message = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=_messages("Hi"))
    assert message.content[0].text
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=100, messages=_messages("Hi")) as stream:
        streamed = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert streamed and final.usage.output_tokens > 0
    seen = fake_provider.requests(gw.key)
    assert [r["headers"]["x-api-key"] for r in seen] == [gw.key, gw.key]
    calls = gw.wait_for_events("llm.call", count=2)
    assert [c["usage_source"] for c in calls] == ["usage", "usage"]
    assert calls[1]["output_tokens"] == final.usage.output_tokens


def test_openai_embeddings_and_responses(start_gateway):
    gw = start_gateway(budget_usd=5.0)
    client = openai.OpenAI(**gw.openai_kwargs())
    emb = client.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert len(emb.data) == 2 and len(emb.data[0].embedding) > 0
    resp = client.responses.create(model="gpt-4o-mini", input="Say hi")
    assert resp.output_text
    events = list(client.responses.create(model="gpt-4o-mini", input="Say hi", stream=True))
    assert events[-1].type == "response.completed"
    assert [c["outcome"] for c in gw.wait_for_events("llm.call", count=3)] == ["ok", "ok", "ok"]


def test_budget_refusal_is_a_typed_error_and_nothing_is_sent(start_gateway, fake_provider):
    gw = start_gateway(budget_usd=0.00001)
    client = openai.OpenAI(**gw.openai_kwargs())
    with pytest.raises(openai.APIStatusError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=_messages("hi"), max_tokens=1000)
    assert caught.value.status_code == 402
    assert caught.value.code == "budget_exceeded"
    assert fake_provider.count(gw.key) == 0

    aclient = anthropic.Anthropic(**gw.anthropic_kwargs())
    with pytest.raises(anthropic.APIStatusError) as caught:
        aclient.messages.create(model="claude-sonnet-4-5", max_tokens=1000, messages=_messages("hi"))
    assert caught.value.status_code == 402
    assert caught.value.body["error"]["type"] == "budget_exceeded"
    assert fake_provider.count(gw.key) == 0


def test_bad_requests_are_typed_4xx(start_gateway, fake_provider):
    gw = start_gateway(budget_usd=5.0, extra_args=["--max-body-bytes", "4096"])
    client = openai.OpenAI(**gw.openai_kwargs())
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-imaginary", messages=_messages("hi"))
    assert caught.value.code == "model_not_found"
    with pytest.raises(openai.APIStatusError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=_messages("x" * 10_000))
    assert caught.value.status_code == 413
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=gw.env["OPENAI_BASE_URL"], api_key="sk-wrong", max_retries=0).models.list()
    assert fake_provider.count(gw.key) == 0


def test_200_concurrent_async_calls_never_overspend(start_gateway, fake_provider):
    # One call's worst case is about 20 prompt tokens + 300 output tokens of
    # gpt-4o ($2.50 / $10 per M) = ~$0.00305; the budget covers ~50 of them
    # and every answer runs to max_tokens, so actual cost ~ worst case.
    gw = start_gateway(budget_usd=0.15, extra_args=["--tranche-usd", "0.02"])
    fake_provider.script(gw.key, [{"reply": "word " * 600, "sticky": True}])
    client = openai.AsyncOpenAI(**gw.openai_kwargs())

    async def one():
        try:
            await client.chat.completions.create(
                model="gpt-4o", messages=_messages("Write a long essay."), max_tokens=300
            )
            return "ok"
        except openai.APIStatusError as e:
            assert e.status_code == 402 and e.code == "budget_exceeded", e
            return "refused"

    async def all_calls():
        return await asyncio.gather(*(one() for _ in range(200)))

    results = asyncio.run(all_calls())
    ok = results.count("ok")
    refused = results.count("refused")
    assert ok + refused == 200
    assert refused > 0 and 35 <= ok <= 55, (ok, refused)
    assert fake_provider.count(gw.key) == ok, "refused calls never reached the provider"
    final = gw.stop()
    assert final["spent"] <= 150_000, final
    assert final["granted"] == final["spent"] + final["returned"]
