"""The official clients (openai, anthropic, LangChain) against the fake
provider: proof that its JSON and SSE are faithful enough for them."""

from __future__ import annotations

import math

import anthropic
import httpx
import openai
import pytest
from langchain_openai import ChatOpenAI

# The fake's default reply (iron_testkit::fake_provider::tokens::DEFAULT_REPLY).
REPLY = (
    "This is a deterministic reply from the Iron Cage fake provider, "
    "written so that tests can count every token of it exactly."
)
MESSAGES = [{"role": "user", "content": "Say something."}]


@pytest.fixture
def key(fake_provider):
    return fake_provider.new_key()


@pytest.fixture
def oai(fake_provider, key):
    return openai.OpenAI(base_url=fake_provider.url + "/v1", api_key=key, max_retries=0)


@pytest.fixture
def claude(fake_provider, key):
    return anthropic.Anthropic(base_url=fake_provider.url, api_key=key, max_retries=0)


def test_chat_json(oai, fake_provider, key):
    resp = oai.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert resp.choices[0].message.content == REPLY
    assert resp.choices[0].finish_reason == "stop"
    usage = resp.usage
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    recorded = fake_provider.requests(key)
    assert recorded[0]["headers"]["authorization"] == f"Bearer {key}"
    assert recorded[0]["body"]["messages"] == MESSAGES
    assert fake_provider.count(key) == 1


def test_chat_truncated_by_max_tokens(oai):
    resp = oai.chat.completions.create(model="gpt-4o", messages=MESSAGES, max_tokens=3)
    assert resp.choices[0].finish_reason == "length"
    assert REPLY.startswith(resp.choices[0].message.content)
    assert resp.usage.completion_tokens <= 3


def test_chat_stream_include_usage(oai):
    stream = oai.chat.completions.create(
        model="gpt-4o",
        messages=MESSAGES,
        stream=True,
        stream_options={"include_usage": True},
    )
    text, usage = "", None
    for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.usage:
            usage = chunk.usage
    assert text == REPLY
    assert usage is not None and usage.completion_tokens > 0


def test_chat_tool_call_stream_helper(oai, fake_provider, key):
    args = {"city": "Paris"}
    fake_provider.script(key, [{"tool_call": {"name": "get_weather", "arguments": args}}])
    with oai.chat.completions.stream(model="gpt-4o", messages=MESSAGES) as stream:
        final = stream.get_final_completion()
    choice = final.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert call.function.arguments == '{"city":"Paris"}'


def test_responses_json(oai):
    resp = oai.responses.create(model="gpt-4.1", instructions="Be brief.", input="Hello")
    assert resp.output_text == REPLY
    assert resp.status == "completed"
    assert resp.usage.input_tokens > 0
    assert resp.usage.total_tokens == resp.usage.input_tokens + resp.usage.output_tokens
    assert resp.usage.input_tokens_details.cached_tokens == 0
    assert resp.usage.output_tokens_details.reasoning_tokens == 0


def test_responses_stream(oai):
    deltas = []
    with oai.responses.stream(model="gpt-4.1", input="Hello") as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                deltas.append(event.delta)
        final = stream.get_final_response()
    assert "".join(deltas) == REPLY
    assert final.output_text == REPLY
    assert final.usage.output_tokens > 0

    raw = oai.responses.create(model="gpt-4.1", input="Hello", stream=True)
    types = [event.type for event in raw]
    assert types[0] == "response.created" and types[-1] == "response.completed"


def test_embeddings_base64_default(oai, fake_provider, key):
    resp = oai.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"])
    assert fake_provider.requests(key)[0]["body"]["encoding_format"] == "base64"
    assert [d.index for d in resp.data] == [0, 1]
    vector = resp.data[0].embedding
    assert len(vector) == 8
    assert math.isclose(math.sqrt(sum(x * x for x in vector)), 1.0, rel_tol=1e-5)
    assert resp.usage.prompt_tokens == resp.usage.total_tokens > 0

    floats = oai.embeddings.create(
        model="text-embedding-3-small", input="alpha", encoding_format="float", dimensions=8
    )
    assert floats.data[0].embedding == pytest.approx(vector)


def test_anthropic_messages_json(claude):
    msg = claude.messages.create(model="claude-sonnet-4-6", max_tokens=200, messages=MESSAGES)
    assert msg.content[0].type == "text" and msg.content[0].text == REPLY
    assert msg.stop_reason == "end_turn"
    assert msg.usage.input_tokens > 0 and msg.usage.output_tokens > 0


def test_anthropic_messages_stream(claude):
    with claude.messages.stream(
        model="claude-sonnet-4-6", max_tokens=200, messages=MESSAGES
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == REPLY
    assert final.content[0].text == REPLY
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens > 1 and final.usage.input_tokens > 0


def test_anthropic_tool_use_stream(claude, fake_provider, key):
    fake_provider.script(key, [{"tool_call": {"name": "search", "arguments": {"q": "rust"}}}])
    with claude.messages.stream(model="claude-haiku-4-5", max_tokens=50, messages=MESSAGES) as s:
        final = s.get_final_message()
    assert final.stop_reason == "tool_use"
    block = final.content[0]
    assert block.type == "tool_use" and block.name == "search" and block.input == {"q": "rust"}


def test_langchain_chat_openai(fake_provider, key):
    llm = ChatOpenAI(
        model="gpt-4o", base_url=fake_provider.url + "/v1", api_key=key, max_retries=0
    )
    reply = llm.invoke("Hello")
    assert reply.content == REPLY
    assert reply.usage_metadata["output_tokens"] > 0


def test_openai_error_types(oai, fake_provider, key):
    fake_provider.script(key, [{"status": 429, "retry_after": 1}, {"status": 500}])
    with pytest.raises(openai.RateLimitError) as rate:
        oai.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert rate.value.response.headers["retry-after"] == "1"
    assert rate.value.code == "rate_limit_exceeded"
    with pytest.raises(openai.InternalServerError):
        oai.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert fake_provider.stats(key) == {"requests": 2, "completed": 0}


def test_missing_key_is_authentication_error(fake_provider):
    # The client refuses an empty key itself, so leave the header out instead.
    client = openai.OpenAI(
        base_url=fake_provider.url + "/v1",
        api_key="unused",
        max_retries=0,
    )
    with pytest.raises(openai.AuthenticationError) as err:
        client.models.list(extra_headers={"Authorization": openai.omit})
    assert err.value.code == "invalid_api_key"


def test_anthropic_error_types(claude, fake_provider, key):
    fake_provider.script(key, [{"status": 429, "retry_after": 2}, {"status": 529}])
    with pytest.raises(anthropic.RateLimitError):
        claude.messages.create(model="claude-sonnet-4-6", max_tokens=10, messages=MESSAGES)
    with pytest.raises(anthropic.APIStatusError) as overloaded:
        claude.messages.create(model="claude-sonnet-4-6", max_tokens=10, messages=MESSAGES)
    assert overloaded.value.status_code == 529


def test_drops_are_connection_errors(oai, fake_provider, key):
    fake_provider.script(key, [{"drop": True}, {"stream_drop_after": 2}])
    with pytest.raises(openai.APIConnectionError):
        oai.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    stream = oai.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)
    seen = []
    with pytest.raises((httpx.RemoteProtocolError, openai.APIConnectionError)):
        for chunk in stream:
            seen.append(chunk.choices[0].delta.content or "")
    assert "".join(seen) == "This is"
    outcomes = [r["outcome"] for r in fake_provider.requests(key)]
    assert outcomes == ["dropped", "stream_dropped"]


@pytest.mark.asyncio
async def test_async_client_stream(fake_provider, key):
    client = openai.AsyncOpenAI(base_url=fake_provider.url + "/v1", api_key=key, max_retries=0)
    fake_provider.script(key, [{"reply": "Async hello there.", "chunk_delay_ms": 5}])
    stream = await client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)
    text = "".join([chunk.choices[0].delta.content or "" async for chunk in stream])
    assert text == "Async hello there."
    await client.close()
