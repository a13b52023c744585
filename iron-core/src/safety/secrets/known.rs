//! Values that look like credentials but are documentation examples,
//! templates or masks. Checked only on candidates, so it may be slowish.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::safety::pii::context::entropy;

/// Words that real random keys essentially never contain.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "xxxx",
    "your",
    "placeholder",
    "dummy",
    "redacted",
    "sample",
    "fake",
    "changeme",
    "replace",
    "insert",
    "not-a-real",
    "notreal",
    "****",
    "....",
    "<",
    ">",
    "${",
    "{{",
    "%(",
    "0000000",
    "1234567890",
    "abcdef1234",
    "here",
];

/// Template or masked values (`${DB_PASS}`, `<password>`, `****`, `xxxx`).
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    // One pass even over a whole PEM body.
    static WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(PLACEHOLDER_WORDS)
            .expect("static word list compiles")
    });
    WORDS.is_match(value)
        || value.starts_with(b"$")
        || value.starts_with(b"%")
        || value.starts_with(b"{")
}

/// AWS documents its examples with an `EXAMPLE` suffix
/// (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`).
pub(crate) fn is_aws_example(value: &[u8]) -> bool {
    value.windows(7).any(|w| w == b"EXAMPLE")
}

/// Random-looking enough to be a machine-generated secret.
pub(crate) fn looks_random(body: &[u8], min_entropy: f64) -> bool {
    !is_placeholder(body) && entropy(body) >= min_entropy
}

/// `8-4-4-4-12` hex: an identifier, not a secret.
pub(crate) fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_and_templates() {
        assert!(is_aws_example(b"AKIAIOSFODNN7EXAMPLE"));
        assert!(is_placeholder(b"${DB_PASSWORD}"));
        assert!(is_placeholder(b"<your-api-key>"));
        assert!(!is_placeholder(b"q8Zr2LmX0vTb"));
        assert!(is_uuid(b"550e8400-e29b-41d4-a716-446655440000"));
        assert!(looks_random(b"q8Zr2LmX0vTbW4", 3.0));
        assert!(!looks_random(b"aaaaaaaaaaaaaaaa", 3.0));
    }
}
