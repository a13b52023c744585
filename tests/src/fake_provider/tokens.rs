//! Real token counts, so usage numbers the fake reports are the ones an
//! accountant computing them independently would get.

use bpe_openai::Tokenizer;
use serde_json::Value;

/// The default reply: fixed, ~20 words, echoes nothing from the prompt.
pub const DEFAULT_REPLY: &str = "This is a deterministic reply from the Iron Cage fake provider, \
     written so that tests can count every token of it exactly.";

/// The encoding a model family uses; o200k for everything recent, claude included.
pub fn tokenizer(model: &str) -> &'static Tokenizer {
    let m = model.to_ascii_lowercase();
    let newer_gpt4 = ["gpt-4o", "gpt-4.1", "gpt-4.5"]
        .iter()
        .any(|p| m.starts_with(p));
    let cl100k = (m.starts_with("gpt-4") && !newer_gpt4)
        || m.starts_with("gpt-3.5")
        || m.starts_with("text-embedding-");
    if cl100k {
        bpe_openai::cl100k_base()
    } else {
        bpe_openai::o200k_base()
    }
}

/// Sums the tokens of every text piece in a content value: a plain string,
/// or an array of parts/blocks with `text` (nested `content` is followed, as
/// in Anthropic tool results). Each piece is counted on its own.
pub fn content_tokens(tok: &Tokenizer, content: &Value) -> usize {
    match content {
        Value::String(s) => tok.count(s.as_str()),
        Value::Array(parts) => parts.iter().map(|p| content_tokens(tok, p)).sum(),
        Value::Object(part) => {
            let text = part
                .get("text")
                .and_then(Value::as_str)
                .map(|t| tok.count(t));
            let nested = part.get("content").map(|c| content_tokens(tok, c));
            text.unwrap_or(0) + nested.unwrap_or(0)
        }
        _ => 0,
    }
}

/// Tokens of the compact JSON text of `tools`, when present.
pub fn tools_tokens(tok: &Tokenizer, body: &Value) -> usize {
    match body.get("tools") {
        Some(tools) if !tools.is_null() => tok.count(tools.to_string().as_str()),
        _ => 0,
    }
}

/// The reply actually sent and its real token count.
pub struct Reply {
    pub text: String,
    pub tokens: usize,
    /// True when `max` cut the reply short.
    pub truncated: bool,
}

/// Cuts `text` so it counts at most `max` tokens, as a provider stops at its
/// output limit.
pub fn fit(tok: &Tokenizer, text: &str, max: Option<u64>) -> Reply {
    let full = tok.count(text);
    let max = match max {
        Some(max) if (max as usize) < full => max as usize,
        _ => {
            return Reply {
                text: text.to_owned(),
                tokens: full,
                truncated: false,
            };
        }
    };
    let ids = tok.encode(text);
    // A token prefix may end inside a UTF-8 character or re-tokenize
    // differently; shorten until the decoded text really fits.
    for n in (0..=max).rev() {
        if let Some(prefix) = tok.decode(&ids[..n]) {
            let tokens = tok.count(prefix.as_str());
            if tokens <= max {
                return Reply {
                    text: prefix,
                    tokens,
                    truncated: true,
                };
            }
        }
    }
    Reply {
        text: String::new(),
        tokens: 0,
        truncated: true,
    }
}

/// Splits text into stream chunks of one word each, whitespace leading, so
/// the chunks concatenate back to the text.
pub fn words(text: &str) -> Vec<&str> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut prev_ws = true;
    for (i, c) in text.char_indices() {
        let ws = c.is_whitespace();
        if ws && !prev_ws && i > start {
            chunks.push(&text[start..i]);
            start = i;
        }
        prev_ws = ws;
    }
    if start < text.len() {
        chunks.push(&text[start..]);
    }
    chunks
}

/// Splits tool-call argument JSON into small pieces at character boundaries.
pub fn pieces(text: &str, chars: usize) -> Vec<String> {
    let all: Vec<char> = text.chars().collect();
    all.chunks(chars.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_concatenate_back() {
        let text = "  Hello,  big world\n again ";
        assert_eq!(words(text).concat(), text);
        assert_eq!(words("a b"), vec!["a", " b"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn fit_respects_the_limit() {
        let tok = tokenizer("gpt-4o");
        let reply = fit(tok, DEFAULT_REPLY, Some(5));
        assert!(reply.truncated);
        assert_eq!(reply.tokens, tok.count(reply.text.as_str()));
        assert!(reply.tokens <= 5 && reply.tokens > 0);
        let untouched = fit(tok, DEFAULT_REPLY, Some(1000));
        assert!(!untouched.truncated);
        assert_eq!(untouched.text, DEFAULT_REPLY);
    }

    #[test]
    fn families() {
        assert!(std::ptr::eq(
            tokenizer("gpt-4-turbo"),
            bpe_openai::cl100k_base()
        ));
        assert!(std::ptr::eq(
            tokenizer("gpt-4o-mini"),
            bpe_openai::o200k_base()
        ));
        assert!(std::ptr::eq(
            tokenizer("claude-sonnet-4-5"),
            bpe_openai::o200k_base()
        ));
        assert!(std::ptr::eq(
            tokenizer("text-embedding-3-small"),
            bpe_openai::cl100k_base()
        ));
    }
}
