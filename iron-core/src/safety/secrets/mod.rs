//! Credentials: vendor tokens with a fixed prefix, PEM private keys,
//! passwords in URLs, and entropy-gated generic assignments.

mod generic;
mod known;

use regex::Regex;

use crate::safety::detector::{EntityType, Sink};
use crate::safety::pii::context::{is_word, prev};

/// Case-sensitive literal prefixes of vendor tokens (anchors for the
/// prefilter, which matches case-insensitively; exact case is checked here).
pub(crate) const TOKEN_PREFIXES: &[&str] = &[
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "sk-",
    "sk-ant-",
    "sk_live_",
    "rk_live_",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxo-",
    "xoxr-",
    "xoxs-",
    "xoxe-",
    "xapp-",
    "AIza",
    "eyJ",
];
pub(crate) use generic::KEYWORDS;

/// Longest vendor token we match (Anthropic keys are ~108 bytes).
const MAX_TOKEN: usize = 320;
/// How far a PEM block may extend (a 4096-bit RSA key is ~3.3 KB).
pub const MAX_PEM: usize = 16 * 1024;

#[derive(Debug)]
struct TokenRule {
    prefix: &'static str,
    entity: EntityType,
    rule: &'static str,
    re: Regex,
    /// Bits per byte the part after the prefix must reach.
    min_entropy: f64,
}

#[derive(Debug)]
pub(crate) struct SecretRules {
    tokens: Vec<TokenRule>,
    pem: Regex,
}

impl SecretRules {
    pub(crate) fn new() -> Self {
        use EntityType::*;
        let specs: &[(&[&'static str], EntityType, &'static str, &str, f64)] = &[
            (
                &["AKIA", "ASIA", "ABIA", "ACCA"],
                AwsAccessKey,
                "aws_access_key_id",
                r"^[A-Z]{4}[A-Z0-9]{16}",
                2.8,
            ),
            (
                &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
                GithubToken,
                "github_token",
                r"^gh[pousr]_[A-Za-z0-9]{36,251}",
                3.5,
            ),
            (
                &["github_pat_"],
                GithubToken,
                "github_fine_grained_pat",
                r"^github_pat_[A-Za-z0-9_]{22,244}",
                3.5,
            ),
            (
                &["sk-ant-"],
                AnthropicKey,
                "anthropic_api_key",
                r"^sk-ant-[A-Za-z0-9_\-]{24,300}",
                3.5,
            ),
            (
                &["sk-"],
                OpenaiKey,
                "openai_api_key",
                r"^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,300}",
                3.5,
            ),
            (
                &["sk_live_", "rk_live_"],
                StripeKey,
                "stripe_live_key",
                r"^[rs]k_live_[A-Za-z0-9]{20,247}",
                3.3,
            ),
            (
                &[
                    "xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxr-", "xoxs-", "xoxe-",
                ],
                SlackToken,
                "slack_token",
                r"^xox[abeoprs]-[A-Za-z0-9\-]{10,250}",
                3.0,
            ),
            (
                &["xapp-"],
                SlackToken,
                "slack_app_token",
                r"^xapp-[0-9]-[A-Za-z0-9\-]{10,250}",
                3.0,
            ),
            (
                &["AIza"],
                GoogleApiKey,
                "google_api_key",
                r"^AIza[0-9A-Za-z_\-]{35}",
                3.5,
            ),
            (
                &["eyJ"],
                Jwt,
                "jwt",
                r"^eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,}",
                3.5,
            ),
        ];
        let mut tokens = Vec::new();
        for &(prefixes, entity, rule, re, min_entropy) in specs {
            let re = Regex::new(&format!("(?-u){re}")).expect("static token rule compiles");
            for &prefix in prefixes {
                tokens.push(TokenRule {
                    prefix,
                    entity,
                    rule,
                    re: re.clone(),
                    min_entropy,
                });
            }
        }
        let pem = Regex::new(r"(?-u)^-----BEGIN ([A-Z0-9]+ ){0,3}PRIVATE KEY( BLOCK)?-----")
            .expect("static PEM rule compiles");
        Self { tokens, pem }
    }

    /// A vendor token starting at the prefix `text[s..e]`.
    pub(crate) fn token_at(&self, text: &str, s: usize, e: usize, sink: &mut Sink) {
        let b = text.as_bytes();
        let lit = &b[s..e];
        let Some(rule) = self.tokens.iter().find(|r| r.prefix.as_bytes() == lit) else {
            return; // matched only case-insensitively
        };
        if !sink.wants(rule.entity) || prev(b, s).is_some_and(|c| is_word(c) || c == b'-') {
            return;
        }
        let window = &text[s..floor_char(text, s + MAX_TOKEN)];
        sink.work += 1;
        let Some(m) = rule.re.find(window) else {
            return;
        };
        let end = s + m.end();
        let body = &b[s + rule.prefix.len()..end];
        let truncated = b.get(end).copied().is_some_and(|c| is_word(c) || c == b'-');
        if truncated || known::is_aws_example(body) || !known::looks_random(body, rule.min_entropy)
        {
            return;
        }
        sink.push(rule.entity, s, end, 0.95, rule.rule);
    }

    /// A PEM private-key block; an unterminated block runs to the end of
    /// its base64 body (a truncated key is still a leak).
    pub(crate) fn pem_at(&self, text: &str, s: usize, sink: &mut Sink) {
        if !sink.wants(EntityType::PrivateKey) {
            return;
        }
        let header = &text[s..floor_char(text, s + 80)];
        let Some(m) = self.pem.find(header) else {
            return;
        };
        sink.work += 1;
        let body_start = s + m.end();
        let limit = floor_char(text, s + MAX_PEM);
        let end = match text[body_start..limit].find("-----END") {
            Some(i) => {
                let after = body_start + i + 8;
                text[after..limit]
                    .find("-----")
                    .map_or(limit, |j| after + j + 5)
            }
            None => base64_body_end(text.as_bytes(), body_start, limit),
        };
        let body = &text.as_bytes()[body_start..end];
        let b64 = body.iter().filter(|c| c.is_ascii_alphanumeric()).count();
        if b64 >= 64 && !known::is_placeholder(body) {
            sink.push(EntityType::PrivateKey, s, end, 0.99, "pem_private_key");
        }
    }

    /// `scheme://user:password@host`: the span is the password.
    pub(crate) fn url_password_at(&self, text: &str, s: usize, sink: &mut Sink) {
        if !sink.wants(EntityType::UrlPassword) {
            return;
        }
        let b = text.as_bytes();
        let scheme_ok = prev(b, s).is_some_and(|c| c.is_ascii_alphanumeric());
        let stop = |c: u8| c.is_ascii_whitespace() || matches!(c, b'/' | b'@' | b'"' | b'\'');
        let limit = (s + 3 + 256).min(b.len());
        let userinfo_end = (s + 3..limit).find(|&i| stop(b[i]));
        let Some(at) = userinfo_end.filter(|&i| b[i] == b'@') else {
            return;
        };
        let Some(colon) = (s + 3..at).find(|&i| b[i] == b':') else {
            return;
        };
        let pass = &b[colon + 1..at];
        let host_ok = b
            .get(at + 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'[');
        sink.work += 1;
        if scheme_ok && host_ok && !pass.is_empty() && !is_masked_password(pass) {
            sink.push(EntityType::UrlPassword, colon + 1, at, 0.9, "url_password");
        }
    }

    pub(crate) fn keyword_at(&self, text: &str, s: usize, e: usize, sink: &mut Sink) {
        generic::keyword_at(text, s, e, sink);
    }
}

/// Templates, masks and the literal words used in documentation.
fn is_masked_password(p: &[u8]) -> bool {
    const DOC_WORDS: &[&[u8]] = &[b"password", b"pass", b"passwd", b"pwd", b"secret", b"pw"];
    known::is_placeholder(p)
        || p.iter().all(|&c| c == b'*' || c == b'x' || c == b'X')
        || DOC_WORDS.iter().any(|w| w.eq_ignore_ascii_case(p))
}

/// End of base64 lines (also with JSON-escaped `\n`) from `i`.
fn base64_body_end(b: &[u8], i: usize, limit: usize) -> usize {
    let body = |c: u8| {
        c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'\\' | b'\r' | b'\n' | b' ')
    };
    (i..limit).find(|&j| !body(b[j])).unwrap_or(limit)
}

/// Largest char boundary `<= i` (clamped to the text).
pub(crate) fn floor_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use crate::safety::{Detector, EntityType, RuleDetector};

    fn found(text: &str) -> Vec<(EntityType, &str)> {
        RuleDetector::shared()
            .detect(text)
            .into_iter()
            .map(|f| (f.entity, &text[f.start..f.end]))
            .collect()
    }

    #[test]
    fn vendor_tokens() {
        let cases = [
            (
                "id AKIA2E0A8F3B244C9986 ok",
                EntityType::AwsAccessKey,
                "AKIA2E0A8F3B244C9986",
            ),
            (
                "t=ghp_R8kLq2mZx9Vb7Nw4Tc1Yp6Hs3Jd5Fg0Ae2Qu done",
                EntityType::GithubToken,
                "ghp_R8kLq2mZx9Vb7Nw4Tc1Yp6Hs3Jd5Fg0Ae2Qu",
            ),
            (
                "use sk-proj-Xa93kLm2Qz8Rt5Vb1Nc7Wd4Ye6Uf0Gh3Ji",
                EntityType::OpenaiKey,
                "sk-proj-Xa93kLm2Qz8Rt5Vb1Nc7Wd4Ye6Uf0Gh3Ji",
            ),
            (
                "pw postgres://admin:S3cr3t-Pa55@db.internal:5432/app",
                EntityType::UrlPassword,
                "S3cr3t-Pa55",
            ),
        ];
        for (text, entity, value) in cases {
            assert_eq!(found(text), vec![(entity, value)], "{text}");
        }
    }

    #[test]
    fn documented_examples_and_lookalikes_are_not_secrets() {
        for text in [
            "AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "this is a risk-free sk-learn model",
            "postgres://user:${DB_PASSWORD}@db/app",
            "commit 3f2a9c1e4b7d8a6f5e0c2b1a9d8e7f6a5b4c3d2e",
            "-----BEGIN PUBLIC KEY-----",
        ] {
            assert_eq!(found(text), vec![], "{text}");
        }
    }
}
