//! Prompt-token counts and output caps of request bodies, for the worst-case
//! cost reserved before a call.
//!
//! OpenAI prompts are counted the way OpenAI's cookbook
//! `num_tokens_from_messages` does (exact for text messages); parts that
//! cannot be counted offline (images, tool schemas, audio, files) get a
//! documented conservative value. Claude has no offline tokenizer: its text is
//! counted with o200k and scaled by [`CLAUDE_TOKEN_FACTOR_PERCENT`]. The
//! gateway reconciles with the provider's reported usage after the call.

use serde_json::{Map, Value};

use super::prices::ModelPrice;
use super::tokenizer::{Tokenizer, encoding_for_model};
use crate::error::{Error, Result};

/// Cookbook: every message costs 3 tokens of framing (`<|start|>role...<|end|>`).
pub const TOKENS_PER_MESSAGE: u64 = 3;
/// Cookbook: a `name` field costs 1 token on top of its text.
pub const TOKENS_PER_NAME: u64 = 1;
/// Cookbook: every reply is primed with `<|start|>assistant<|message|>`.
pub const REPLY_PRIMING_TOKENS: u64 = 3;

/// Claude token counts are estimated as o200k count x 135%, rounded up.
///
/// Anthropic publishes no tokenizer for Claude 3+ models. Published
/// side-by-side measurements (Claude 3.5 Sonnet vs GPT-4o on the same
/// prompts) found Claude's tokenizer emits about 16% more tokens than o200k
/// for English prose, 21% for maths and 30% for Python code. 135% covers the
/// worst of these (code, the common agent workload) with a 5-point margin
/// for other scripts and formats. Over-reserving only parks lease money for
/// the duration of the call: the actual usage reported by Anthropic is what
/// gets committed.
pub const CLAUDE_TOKEN_FACTOR_PERCENT: u64 = 135;

/// Worst case per image for OpenAI models that bill by 32px patches: the
/// 1536-patch cap x the largest multiplier (gpt-4.1-nano / gpt-5-nano, 2.46)
/// = 3779. It also covers every 512px-tile model (gpt-4o at high detail:
/// 85 + 170 x 8 tiles = 1445). The request's `detail` is ignored: an upper bound.
pub const OPENAI_IMAGE_TOKENS: u64 = 3_779;
/// gpt-4o-mini bills images at 2833 + 5667 per tile, up to 8 tiles = 48169
/// tokens (at its low per-token price this is the same money as gpt-4o).
pub const GPT_4O_MINI_IMAGE_TOKENS: u64 = 48_169;
/// Anthropic resizes images to at most ~1.15 megapixels, about 1600 tokens
/// (width x height / 750).
pub const ANTHROPIC_IMAGE_TOKENS: u64 = 1_600;
/// Anthropic adds a tool-use system prompt when `tools` is non-empty: 346
/// tokens for Claude 4 / 3.7 models with `tool_choice` auto or none (the
/// largest value in Anthropic's pricing table).
pub const ANTHROPIC_TOOL_SYSTEM_PROMPT_TOKENS: u64 = 346;

/// Which wire format a request body is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    /// OpenAI `POST /v1/chat/completions`.
    ChatCompletions,
    /// OpenAI `POST /v1/responses`.
    Responses,
    /// OpenAI `POST /v1/embeddings`.
    Embeddings,
    /// Anthropic `POST /v1/messages`.
    AnthropicMessages,
}

/// What a request can cost in tokens before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromptEstimate {
    /// Prompt tokens (exact per the cookbook for OpenAI text; scaled for Claude).
    pub prompt_tokens: u64,
    /// Most output tokens the call may bill (0 for embeddings).
    pub max_output_tokens: u64,
}

/// Counts the prompt of a parsed request body and finds its output cap
/// (max_tokens / max_completion_tokens / max_output_tokens; the model's max
/// output from `price` when absent; 0 for embeddings).
///
/// Errors (InvalidRequest with a message naming the field) when the body is
/// not the right shape: messages not an array, content of a wrong type,
/// negative/non-integer max_tokens, missing model etc.
///
/// Not counted, because they are not in the body: earlier turns referenced
/// by the Responses API's `previous_response_id` / `conversation`; the
/// gateway reconciles those from the reported usage.
pub fn estimate_prompt(
    api: ApiKind,
    model: &str,
    body: &Value,
    price: &ModelPrice,
) -> Result<PromptEstimate> {
    let body = body
        .as_object()
        .ok_or_else(|| Error::invalid_request("the request body must be a JSON object"))?;
    match body.get("model") {
        Some(Value::String(m)) if !m.trim().is_empty() => {}
        None | Some(Value::Null) => return Err(Error::invalid_request("`model` is required")),
        Some(_) => return Err(Error::invalid_request("`model` must be a non-empty string")),
    }
    let counter = Counter::new(api, model);
    let (prompt, max_output) = match api {
        ApiKind::ChatCompletions => chat(&counter, body, price)?,
        ApiKind::Responses => responses(&counter, body, price)?,
        ApiKind::Embeddings => (embeddings(&counter, body)?, 0),
        ApiKind::AnthropicMessages => anthropic(&counter, body, price)?,
    };
    let prompt_tokens = if api == ApiKind::AnthropicMessages || is_claude_model(model) {
        claude_scale(prompt)
    } else {
        prompt
    };
    Ok(PromptEstimate {
        prompt_tokens,
        max_output_tokens: max_output,
    })
}

/// Tokens of generated text (streamed output counting when the provider
/// sends no usage). For Claude models applies the same safety factor.
pub fn count_output_text(model: &str, text: &str) -> u64 {
    let tokens = encoding_for_model(model).tokenizer().count(text) as u64;
    if is_claude_model(model) {
        claude_scale(tokens)
    } else {
        tokens
    }
}

/// Whether `model` names an Anthropic Claude model (`claude-...`, also
/// behind a provider prefix such as `anthropic/claude-...`).
pub fn is_claude_model(model: &str) -> bool {
    model.contains("claude")
}

fn claude_scale(tokens: u64) -> u64 {
    tokens
        .saturating_mul(CLAUDE_TOKEN_FACTOR_PERCENT)
        .div_ceil(100)
}

/// Counts text and JSON with the model's tokenizer.
struct Counter {
    tokenizer: &'static dyn Tokenizer,
    image_tokens: u64,
}

impl Counter {
    fn new(api: ApiKind, model: &str) -> Self {
        let image_tokens = if api == ApiKind::AnthropicMessages || is_claude_model(model) {
            ANTHROPIC_IMAGE_TOKENS
        } else if model.contains("gpt-4o-mini") {
            GPT_4O_MINI_IMAGE_TOKENS
        } else {
            OPENAI_IMAGE_TOKENS
        };
        Self {
            tokenizer: encoding_for_model(model).tokenizer(),
            image_tokens,
        }
    }

    fn text(&self, text: &str) -> u64 {
        self.tokenizer.count(text) as u64
    }

    /// Structured values (tool schemas, tool-call arguments, unknown parts)
    /// are counted as their compact JSON text: a conservative stand-in for the
    /// provider's internal rendering, which drops most of JSON's quotes and
    /// braces.
    fn json(&self, value: &Value) -> u64 {
        match value {
            Value::Null => 0,
            Value::String(s) => self.text(s),
            other => self.text(&other.to_string()),
        }
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid_request(message)
}

/// Reads an optional token cap: absent or null -> None; else a non-negative integer.
fn optional_cap(body: &Map<String, Value>, field: &str) -> Result<Option<u64>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| invalid(format!("`{field}` must be a non-negative integer, got {v}"))),
    }
}

/// Tools and similar schema arrays: counted as JSON; must be arrays.
fn optional_array_json(counter: &Counter, body: &Map<String, Value>, field: &str) -> Result<u64> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(0),
        Some(v @ Value::Array(_)) => Ok(counter.json(v)),
        Some(_) => Err(invalid(format!("`{field}` must be an array"))),
    }
}

fn required_array<'a>(body: &'a Map<String, Value>, field: &str) -> Result<&'a Vec<Value>> {
    match body.get(field) {
        Some(Value::Array(items)) if !items.is_empty() => Ok(items),
        Some(Value::Array(_)) => Err(invalid(format!("`{field}` must not be empty"))),
        None | Some(Value::Null) => Err(invalid(format!("`{field}` is required"))),
        Some(_) => Err(invalid(format!("`{field}` must be an array"))),
    }
}

fn as_object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    value
        .as_object()
        .ok_or_else(|| invalid(format!("`{path}` must be an object")))
}

fn required_str<'a>(obj: &'a Map<String, Value>, field: &str, path: &str) -> Result<&'a str> {
    match obj.get(field) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(invalid(format!("`{path}.{field}` is required"))),
        Some(_) => Err(invalid(format!("`{path}.{field}` must be a string"))),
    }
}

/// The part's `type` tag.
fn part_type<'a>(part: &'a Map<String, Value>, path: &str) -> Result<&'a str> {
    required_str(part, "type", path)
}

// ---------------------------------------------------------------- chat

fn chat(counter: &Counter, body: &Map<String, Value>, price: &ModelPrice) -> Result<(u64, u64)> {
    let messages = required_array(body, "messages")?;
    let mut tokens = REPLY_PRIMING_TOKENS;
    for (i, message) in messages.iter().enumerate() {
        tokens += chat_message(counter, message, &format!("messages[{i}]"))?;
    }
    tokens += optional_array_json(counter, body, "tools")?;
    tokens += optional_array_json(counter, body, "functions")?;
    if let Some(choice @ Value::Object(_)) = body.get("tool_choice") {
        tokens += counter.json(choice);
    }
    if let Some(format) = body.get("response_format") {
        let format = as_object(format, "response_format")?;
        if format.get("type").and_then(Value::as_str) == Some("json_schema") {
            tokens += counter.json(&Value::Object(format.clone()));
        }
    }

    // max_completion_tokens replaced max_tokens; if a client sends both, take the larger.
    let cap = match (
        optional_cap(body, "max_completion_tokens")?,
        optional_cap(body, "max_tokens")?,
    ) {
        (Some(a), Some(b)) => a.max(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => price.max_output_tokens,
    };
    // `n` choices each generate up to the cap.
    let n = match body.get("n") {
        None | Some(Value::Null) => 1,
        Some(v) => v
            .as_u64()
            .filter(|&n| n >= 1)
            .ok_or_else(|| invalid(format!("`n` must be a positive integer, got {v}")))?,
    };
    // Rejected predicted-output tokens are billed as completion tokens on top.
    let prediction = match body.get("prediction") {
        None | Some(Value::Null) => 0,
        Some(p) => counter.json(
            as_object(p, "prediction")?
                .get("content")
                .unwrap_or(&Value::Null),
        ),
    };
    Ok((tokens, cap.saturating_mul(n).saturating_add(prediction)))
}

/// One chat message per the cookbook: 3 + the tokens of every string value
/// (role, content, name, tool_call_id, ...) + 1 for a name. Non-string
/// values (tool_calls, function_call, audio) are counted as JSON.
fn chat_message(counter: &Counter, message: &Value, path: &str) -> Result<u64> {
    let message = as_object(message, path)?;
    required_str(message, "role", path)?;
    let mut tokens = TOKENS_PER_MESSAGE;
    for (key, value) in message {
        tokens += match (key.as_str(), value) {
            (_, Value::Null) => 0,
            ("content", Value::String(s)) => counter.text(s),
            ("content", Value::Array(parts)) => {
                chat_parts(counter, parts, &format!("{path}.content"))?
            }
            ("content", _) => {
                return Err(invalid(format!(
                    "`{path}.content` must be a string, an array of content parts, or null"
                )));
            }
            ("name", Value::String(s)) => counter.text(s) + TOKENS_PER_NAME,
            ("name", _) => return Err(invalid(format!("`{path}.name` must be a string"))),
            ("tool_calls", v @ Value::Array(_)) => counter.json(v),
            ("tool_calls", _) => {
                return Err(invalid(format!("`{path}.tool_calls` must be an array")));
            }
            (_, v) => counter.json(v),
        };
    }
    Ok(tokens)
}

fn chat_parts(counter: &Counter, parts: &[Value], path: &str) -> Result<u64> {
    let mut tokens = 0;
    for (i, part) in parts.iter().enumerate() {
        let path = format!("{path}[{i}]");
        let part = as_object(part, &path)?;
        tokens += match part_type(part, &path)? {
            "text" => counter.text(required_str(part, "text", &path)?),
            "refusal" => counter.text(required_str(part, "refusal", &path)?),
            "image_url" => counter.image_tokens,
            // input_audio, file, ...: their JSON (base64 data included) as text.
            _ => counter.json(&Value::Object(part.clone())),
        };
    }
    Ok(tokens)
}

// ---------------------------------------------------------------- responses

fn responses(
    counter: &Counter,
    body: &Map<String, Value>,
    price: &ModelPrice,
) -> Result<(u64, u64)> {
    let mut tokens = REPLY_PRIMING_TOKENS;
    match body.get("instructions") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => tokens += TOKENS_PER_MESSAGE + counter.text(s),
        Some(_) => return Err(invalid("`instructions` must be a string")),
    }
    match body.get("input") {
        None | Some(Value::Null) => {}
        // A bare string is one user message.
        Some(Value::String(s)) => {
            tokens += TOKENS_PER_MESSAGE + counter.text("user") + counter.text(s)
        }
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                tokens += responses_item(counter, item, &format!("input[{i}]"))?;
            }
        }
        Some(_) => {
            return Err(invalid(
                "`input` must be a string or an array of input items",
            ));
        }
    }
    tokens += optional_array_json(counter, body, "tools")?;
    if let Some(text) = body.get("text").filter(|v| !v.is_null()) {
        let text = as_object(text, "text")?;
        if let Some(format) = text.get("format") {
            tokens += counter.json(format);
        }
    }
    let cap = optional_cap(body, "max_output_tokens")?.unwrap_or(price.max_output_tokens);
    Ok((tokens, cap))
}

fn responses_item(counter: &Counter, item: &Value, path: &str) -> Result<u64> {
    let item = as_object(item, path)?;
    let kind = match item.get("type") {
        None | Some(Value::Null) => "message",
        Some(Value::String(t)) => t.as_str(),
        Some(_) => return Err(invalid(format!("`{path}.type` must be a string"))),
    };
    if kind != "message" {
        // function_call, function_call_output, reasoning, ...: JSON text.
        return Ok(TOKENS_PER_MESSAGE + counter.json(&Value::Object(item.clone())));
    }
    let role = required_str(item, "role", path)?;
    let content = match item.get("content") {
        Some(Value::String(s)) => counter.text(s),
        Some(Value::Array(parts)) => {
            let mut tokens = 0;
            for (i, part) in parts.iter().enumerate() {
                let path = format!("{path}.content[{i}]");
                let part = as_object(part, &path)?;
                tokens += match part_type(part, &path)? {
                    "input_text" | "output_text" | "text" => {
                        counter.text(required_str(part, "text", &path)?)
                    }
                    "refusal" => counter.text(required_str(part, "refusal", &path)?),
                    "input_image" => counter.image_tokens,
                    // input_file, input_audio, ...: their JSON as text.
                    _ => counter.json(&Value::Object(part.clone())),
                };
            }
            tokens
        }
        None | Some(Value::Null) => {
            return Err(invalid(format!("`{path}.content` is required")));
        }
        Some(_) => {
            return Err(invalid(format!(
                "`{path}.content` must be a string or an array of content parts"
            )));
        }
    };
    Ok(TOKENS_PER_MESSAGE + counter.text(role) + content)
}

// ---------------------------------------------------------------- embeddings

/// `input`: a string, an array of strings, an array of token ids, or an
/// array of arrays of token ids (token ids count one each).
fn embeddings(counter: &Counter, body: &Map<String, Value>) -> Result<u64> {
    const SHAPE: &str = "`input` must be a string, an array of strings, an array of token ids, or an array of token-id arrays";
    let items = match body.get("input") {
        Some(Value::String(s)) => return Ok(counter.text(s)),
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) => return Err(invalid("`input` must not be empty")),
        None | Some(Value::Null) => return Err(invalid("`input` is required")),
        Some(_) => return Err(invalid(SHAPE)),
    };
    let token_ids = |v: &Value| v.as_u64().is_some();
    if items.iter().all(Value::is_string) {
        Ok(items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| counter.text(s))
            .sum())
    } else if items.iter().all(token_ids) {
        Ok(items.len() as u64)
    } else {
        let mut tokens = 0;
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Array(ids) if ids.iter().all(token_ids) => tokens += ids.len() as u64,
                _ => return Err(invalid(format!("{SHAPE}; `input[{i}]` is neither"))),
            }
        }
        Ok(tokens)
    }
}

// ---------------------------------------------------------------- anthropic

fn anthropic(
    counter: &Counter,
    body: &Map<String, Value>,
    price: &ModelPrice,
) -> Result<(u64, u64)> {
    let messages = required_array(body, "messages")?;
    let mut tokens = REPLY_PRIMING_TOKENS;
    match body.get("system") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => tokens += TOKENS_PER_MESSAGE + counter.text(s),
        Some(Value::Array(blocks)) => {
            tokens += TOKENS_PER_MESSAGE + anthropic_blocks(counter, blocks, "system")?;
        }
        Some(_) => {
            return Err(invalid(
                "`system` must be a string or an array of text blocks",
            ));
        }
    }
    for (i, message) in messages.iter().enumerate() {
        let path = format!("messages[{i}]");
        let message = as_object(message, &path)?;
        let role = required_str(message, "role", &path)?;
        tokens += TOKENS_PER_MESSAGE + counter.text(role);
        tokens += match message.get("content") {
            Some(Value::String(s)) => counter.text(s),
            Some(Value::Array(blocks)) => {
                anthropic_blocks(counter, blocks, &format!("{path}.content"))?
            }
            None | Some(Value::Null) => {
                return Err(invalid(format!("`{path}.content` is required")));
            }
            Some(_) => {
                return Err(invalid(format!(
                    "`{path}.content` must be a string or an array of content blocks"
                )));
            }
        };
    }
    match body.get("tools") {
        None | Some(Value::Null) => {}
        Some(Value::Array(tools)) if tools.is_empty() => {}
        Some(tools @ Value::Array(_)) => {
            tokens += counter.json(tools) + ANTHROPIC_TOOL_SYSTEM_PROMPT_TOKENS;
        }
        Some(_) => return Err(invalid("`tools` must be an array")),
    }
    let cap = optional_cap(body, "max_tokens")?.unwrap_or(price.max_output_tokens);
    Ok((tokens, cap))
}

fn anthropic_blocks(counter: &Counter, blocks: &[Value], path: &str) -> Result<u64> {
    let mut tokens = 0;
    for (i, block) in blocks.iter().enumerate() {
        let path = format!("{path}[{i}]");
        let block = as_object(block, &path)?;
        tokens += match part_type(block, &path)? {
            "text" => counter.text(required_str(block, "text", &path)?),
            "image" => counter.image_tokens,
            "thinking" => counter.text(required_str(block, "thinking", &path)?),
            "tool_use" | "server_tool_use" => {
                counter.text(required_str(block, "name", &path)?)
                    + counter.json(block.get("input").unwrap_or(&Value::Null))
            }
            "tool_result" => match block.get("content") {
                None | Some(Value::Null) => 0,
                Some(Value::String(s)) => counter.text(s),
                Some(Value::Array(inner)) => {
                    anthropic_blocks(counter, inner, &format!("{path}.content"))?
                }
                Some(_) => {
                    return Err(invalid(format!(
                        "`{path}.content` must be a string or an array of content blocks"
                    )));
                }
            },
            // document (PDF/base64), redacted_thinking, search results, ...:
            // their JSON as text.
            _ => counter.json(&Value::Object(block.clone())),
        };
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::accounting::tokenizer::Encoding;
    use crate::error::ErrorKind;

    const PRICE: ModelPrice = ModelPrice {
        input_per_mtok: 2_500_000,
        cached_input_per_mtok: 1_250_000,
        output_per_mtok: 10_000_000,
        max_output_tokens: 16_384,
    };

    fn est(api: ApiKind, model: &str, body: Value) -> Result<PromptEstimate> {
        estimate_prompt(api, model, &body, &PRICE)
    }

    fn count(model: &str, text: &str) -> u64 {
        encoding_for_model(model).tokenizer().count(text) as u64
    }

    /// The example conversation of OpenAI's cookbook "How to count tokens
    /// with tiktoken" (`num_tokens_from_messages`). The cookbook prints 129
    /// prompt tokens for gpt-4 / gpt-3.5-turbo (cl100k) and 124 for gpt-4o
    /// (o200k), matching the API's reported usage.
    fn cookbook_messages() -> Value {
        json!([
            {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
            {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
            {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
            {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
            {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
            {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."},
        ])
    }

    #[test]
    fn cookbook_example_counts_to_the_known_numbers() {
        for (model, want) in [
            ("gpt-4", 129),
            ("gpt-3.5-turbo", 129),
            ("gpt-4o", 124),
            ("gpt-4o-mini", 124),
        ] {
            let body = json!({"model": model, "messages": cookbook_messages()});
            let e = est(ApiKind::ChatCompletions, model, body).unwrap();
            assert_eq!(e.prompt_tokens, want, "{model}");
            assert_eq!(
                e.max_output_tokens, PRICE.max_output_tokens,
                "model max when no cap"
            );
        }
    }

    #[test]
    fn chat_counts_per_the_cookbook_formula() {
        let m = "gpt-4o";
        let body = json!({"model": m, "messages": [
            {"role": "user", "content": "hello there"},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\"a\":1}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "42"},
        ]});
        let tool_calls = json!([{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\"a\":1}"}}]);
        let want = 3 * 3
            + count(m, "user")
            + count(m, "hello there")
            + count(m, "assistant")
            + count(m, &tool_calls.to_string())
            + count(m, "tool")
            + count(m, "call_1")
            + count(m, "42")
            + REPLY_PRIMING_TOKENS;
        assert_eq!(
            est(ApiKind::ChatCompletions, m, body)
                .unwrap()
                .prompt_tokens,
            want
        );
    }

    #[test]
    fn chat_parts_tools_and_caps() {
        let m = "gpt-4.1";
        let tools = json!([{"type": "function", "function": {"name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]);
        let body = json!({"model": m, "max_completion_tokens": 100, "n": 2, "tools": tools,
        "messages": [{"role": "user", "content": [
            {"type": "text", "text": "what is in"},
            {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}},
            {"type": "text", "text": "this picture?"},
        ]}]});
        let e = est(ApiKind::ChatCompletions, m, body).unwrap();
        let want = 3
            + count(m, "user")
            + count(m, "what is in")
            + OPENAI_IMAGE_TOKENS
            + count(m, "this picture?")
            + count(m, &tools.to_string())
            + REPLY_PRIMING_TOKENS;
        assert_eq!(e.prompt_tokens, want);
        assert_eq!(e.max_output_tokens, 200, "n=2 choices of 100");

        let body = json!({"model": "gpt-4o-mini", "max_tokens": 7,
            "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}]});
        let e = est(ApiKind::ChatCompletions, "gpt-4o-mini", body).unwrap();
        assert_eq!(
            e.prompt_tokens,
            3 + count("gpt-4o-mini", "user") + GPT_4O_MINI_IMAGE_TOKENS + 3
        );
        assert_eq!(e.max_output_tokens, 7);

        // Both caps given: the larger one; predicted output adds to the cap.
        let body = json!({"model": m, "max_tokens": 50, "max_completion_tokens": 20,
            "prediction": {"type": "content", "content": "fn main() {}"},
            "messages": [{"role": "user", "content": "x"}]});
        let e = est(ApiKind::ChatCompletions, m, body).unwrap();
        assert_eq!(e.max_output_tokens, 50 + count(m, "fn main() {}"));

        // A json_schema response format is part of the prompt; plain text is not.
        let schema = json!({"type": "json_schema", "json_schema": {"name": "r", "schema": {"type": "object"}}});
        let base = json!({"model": m, "messages": [{"role": "user", "content": "x"}]});
        let plain = est(ApiKind::ChatCompletions, m, base.clone())
            .unwrap()
            .prompt_tokens;
        let mut with = base.clone();
        with["response_format"] = schema.clone();
        assert_eq!(
            est(ApiKind::ChatCompletions, m, with)
                .unwrap()
                .prompt_tokens,
            plain + count(m, &schema.to_string())
        );
        let mut text = base;
        text["response_format"] = json!({"type": "text"});
        assert_eq!(
            est(ApiKind::ChatCompletions, m, text)
                .unwrap()
                .prompt_tokens,
            plain
        );
    }

    #[test]
    fn malformed_chat_bodies_are_invalid_requests() {
        let cases = [
            (json!([1, 2]), "JSON object"),
            (json!({"messages": []}), "`model` is required"),
            (json!({"model": 5, "messages": []}), "`model`"),
            (json!({"model": "gpt-4o"}), "`messages` is required"),
            (
                json!({"model": "gpt-4o", "messages": {"role": "user"}}),
                "`messages` must be an array",
            ),
            (
                json!({"model": "gpt-4o", "messages": []}),
                "`messages` must not be empty",
            ),
            (
                json!({"model": "gpt-4o", "messages": ["hi"]}),
                "`messages[0]` must be an object",
            ),
            (
                json!({"model": "gpt-4o", "messages": [{"content": "hi"}]}),
                "`messages[0].role` is required",
            ),
            (
                json!({"model": "gpt-4o", "messages": [{"role": "user", "content": 5}]}),
                "`messages[0].content`",
            ),
            (
                json!({"model": "gpt-4o", "messages": [{"role": "user", "content": [{"text": "x"}]}]}),
                "`messages[0].content[0].type`",
            ),
            (
                json!({"model": "gpt-4o", "messages": [{"role": "user", "content": [{"type": "text", "text": 1}]}]}),
                "`messages[0].content[0].text`",
            ),
            (
                json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "x", "name": 1}]}),
                "`messages[0].name`",
            ),
            (
                json!({"model": "gpt-4o", "messages": [{"role": "assistant", "tool_calls": {}}]}),
                "`messages[0].tool_calls`",
            ),
            (
                json!({"model": "gpt-4o", "max_tokens": -1, "messages": [{"role": "user", "content": "x"}]}),
                "`max_tokens`",
            ),
            (
                json!({"model": "gpt-4o", "max_tokens": 1.5, "messages": [{"role": "user", "content": "x"}]}),
                "`max_tokens`",
            ),
            (
                json!({"model": "gpt-4o", "max_completion_tokens": "9", "messages": [{"role": "user", "content": "x"}]}),
                "`max_completion_tokens`",
            ),
            (
                json!({"model": "gpt-4o", "n": 0, "messages": [{"role": "user", "content": "x"}]}),
                "`n`",
            ),
            (
                json!({"model": "gpt-4o", "tools": {}, "messages": [{"role": "user", "content": "x"}]}),
                "`tools`",
            ),
            (
                json!({"model": "gpt-4o", "response_format": "json", "messages": [{"role": "user", "content": "x"}]}),
                "`response_format`",
            ),
        ];
        for (body, needle) in cases {
            let err = est(ApiKind::ChatCompletions, "gpt-4o", body.clone()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{body}");
            assert!(
                err.message().contains(needle),
                "{body}: {:?} lacks {needle:?}",
                err.message()
            );
        }
    }

    #[test]
    fn responses_api() {
        let m = "gpt-5";
        let e = est(
            ApiKind::Responses,
            m,
            json!({"model": m, "input": "hi there", "instructions": "be brief"}),
        )
        .unwrap();
        assert_eq!(
            e.prompt_tokens,
            3 + count(m, "be brief") + 3 + count(m, "user") + count(m, "hi there") + 3
        );
        assert_eq!(e.max_output_tokens, PRICE.max_output_tokens);

        let call =
            json!({"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"});
        let body = json!({"model": m, "max_output_tokens": 64, "input": [
            {"role": "user", "content": [{"type": "input_text", "text": "look"}, {"type": "input_image", "image_url": "data:..."}]},
            {"type": "message", "role": "assistant", "content": "ok"},
            call.clone(),
        ]});
        let e = est(ApiKind::Responses, m, body).unwrap();
        let want = 3
            + count(m, "user")
            + count(m, "look")
            + OPENAI_IMAGE_TOKENS
            + 3
            + count(m, "assistant")
            + count(m, "ok")
            + 3
            + count(m, &call.to_string())
            + 3;
        assert_eq!(e.prompt_tokens, want);
        assert_eq!(e.max_output_tokens, 64);

        for (body, needle) in [
            (json!({"model": m, "input": 5}), "`input`"),
            (
                json!({"model": m, "input": [{"role": "user"}]}),
                "`input[0].content` is required",
            ),
            (
                json!({"model": m, "input": [{"role": "user", "content": [{"type": "input_text"}]}]}),
                "`input[0].content[0].text`",
            ),
            (
                json!({"model": m, "input": [{"content": "x"}]}),
                "`input[0].role`",
            ),
            (
                json!({"model": m, "input": "x", "instructions": []}),
                "`instructions`",
            ),
            (
                json!({"model": m, "input": "x", "max_output_tokens": -5}),
                "`max_output_tokens`",
            ),
            (json!({"model": m, "input": "x", "text": "json"}), "`text`"),
        ] {
            let err = est(ApiKind::Responses, m, body.clone()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{body}");
            assert!(
                err.message().contains(needle),
                "{body}: {:?}",
                err.message()
            );
        }
    }

    #[test]
    fn embeddings_inputs() {
        let m = "text-embedding-3-small";
        let e = |input: Value| est(ApiKind::Embeddings, m, json!({"model": m, "input": input}));
        assert_eq!(
            e(json!("hello world")).unwrap(),
            PromptEstimate {
                prompt_tokens: 2,
                max_output_tokens: 0
            }
        );
        assert_eq!(
            e(json!(["hello world", "hi"])).unwrap().prompt_tokens,
            2 + count(m, "hi")
        );
        assert_eq!(e(json!([15339, 1917, 0])).unwrap().prompt_tokens, 3);
        assert_eq!(e(json!([[1, 2], [3], []])).unwrap().prompt_tokens, 3);
        for (input, needle) in [
            (json!(5), "`input` must be"),
            (json!([]), "must not be empty"),
            (json!(["a", 1]), "`input[0]`"),
            (json!([[1, "a"]]), "`input[0]`"),
            (json!([-1]), "`input[0]`"),
            (json!({"text": "a"}), "`input` must be"),
        ] {
            let err = e(input.clone()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{input}");
            assert!(
                err.message().contains(needle),
                "{input}: {:?}",
                err.message()
            );
        }
        let err = est(ApiKind::Embeddings, m, json!({"model": m})).unwrap_err();
        assert!(err.message().contains("`input` is required"));
    }

    #[test]
    fn anthropic_messages_scale_by_the_safety_factor() {
        let m = "claude-sonnet-4-5";
        let tools = json!([{"name": "get_weather", "input_schema": {"type": "object"}}]);
        let body = json!({"model": m, "max_tokens": 1024, "system": [{"type": "text", "text": "be kind"}],
        "tools": tools,
        "messages": [
            {"role": "user", "content": "what's the weather?"},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "hmm", "signature": "sig"},
                {"type": "tool_use", "id": "t1", "name": "get_weather", "input": {"city": "Paris"}}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "sunny"}]},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}}]},
        ]});
        let raw = 3
            + count(m, "be kind")
            + 3
            + count(m, "user")
            + count(m, "what's the weather?")
            + 3
            + count(m, "assistant")
            + count(m, "hmm")
            + count(m, "get_weather")
            + count(m, "{\"city\":\"Paris\"}")
            + 3
            + count(m, "user")
            + count(m, "sunny")
            + ANTHROPIC_IMAGE_TOKENS
            + count(m, &tools.to_string())
            + ANTHROPIC_TOOL_SYSTEM_PROMPT_TOKENS
            + 3;
        let e = est(ApiKind::AnthropicMessages, m, body).unwrap();
        assert_eq!(e.prompt_tokens, (raw * 135).div_ceil(100));
        assert_eq!(e.max_output_tokens, 1024);

        // max_tokens absent: the model's max output.
        let body =
            json!({"model": m, "messages": [{"role": "user", "content": "hi"}], "system": "s"});
        let e = est(ApiKind::AnthropicMessages, m, body).unwrap();
        assert_eq!(e.max_output_tokens, PRICE.max_output_tokens);
        let raw = 3 + count(m, "s") + 3 + count(m, "user") + count(m, "hi") + 3;
        assert_eq!(e.prompt_tokens, (raw * 135).div_ceil(100));

        for (body, needle) in [
            (
                json!({"model": m, "messages": [{"role": "user", "content": 3}]}),
                "`messages[0].content`",
            ),
            (
                json!({"model": m, "messages": [{"role": "user"}]}),
                "`messages[0].content` is required",
            ),
            (
                json!({"model": m, "system": 1, "messages": [{"role": "user", "content": "x"}]}),
                "`system`",
            ),
            (
                json!({"model": m, "system": [{"type": "text"}], "messages": [{"role": "user", "content": "x"}]}),
                "`system[0].text`",
            ),
            (
                json!({"model": m, "messages": [{"role": "user", "content": [{"type": "tool_use", "input": {}}]}]}),
                "`messages[0].content[0].name`",
            ),
            (
                json!({"model": m, "messages": [{"role": "user", "content": [{"type": "tool_result", "content": 1}]}]}),
                "`messages[0].content[0].content`",
            ),
            (
                json!({"model": m, "max_tokens": "1", "messages": [{"role": "user", "content": "x"}]}),
                "`max_tokens`",
            ),
        ] {
            let err = est(ApiKind::AnthropicMessages, m, body.clone()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{body}");
            assert!(
                err.message().contains(needle),
                "{body}: {:?}",
                err.message()
            );
        }
    }

    #[test]
    fn output_text_counting() {
        let text = "The quick brown fox jumps over the lazy dog.";
        let o200k = Encoding::O200kBase.tokenizer().count(text) as u64;
        let cl100k = Encoding::Cl100kBase.tokenizer().count(text) as u64;
        assert_eq!(count_output_text("gpt-4o", text), o200k);
        assert_eq!(count_output_text("gpt-4", text), cl100k);
        assert_eq!(
            count_output_text("claude-haiku-4-5", text),
            (o200k * 135).div_ceil(100)
        );
        assert_eq!(count_output_text("claude-haiku-4-5", ""), 0);
        // Rounded up: 1 token -> 2.
        assert_eq!(count_output_text("claude-haiku-4-5", "a"), 2);
    }

    #[test]
    fn claude_over_openai_compatible_api_is_scaled_too() {
        let body = json!({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "hello"}]});
        let e = est(ApiKind::ChatCompletions, "claude-sonnet-4-5", body).unwrap();
        let raw = 3 + count("claude-sonnet-4-5", "user") + count("claude-sonnet-4-5", "hello") + 3;
        assert_eq!(e.prompt_tokens, (raw * 135).div_ceil(100));
    }
}
