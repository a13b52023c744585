//! Generic credential assignments: `api_key = "..."`, `"token": "..."`,
//! `PASSWORD=...`, `Authorization: Bearer ...`. The keyword only proposes a
//! candidate; the value must look machine-generated (entropy, mixed
//! classes) and not be a template, an expression or an identifier.

use super::known;
use crate::safety::detector::{EntityType, Sink};
use crate::safety::pii::context::{contains_ci, entropy};

/// Prefilter anchors (matched case-insensitively).
pub(crate) const KEYWORDS: &[&str] = &[
    "key",
    "secret",
    "token",
    "passw",
    "pwd",
    "credential",
    "auth",
    "bearer",
];

const MAX_IDENT: usize = 48;
const MAX_VALUE: usize = 256;

fn ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// Bytes that may appear in an unquoted value.
fn value_byte(c: u8) -> bool {
    c.is_ascii_graphic()
        && !matches!(
            c,
            b'"' | b'\''
                | b'`'
                | b','
                | b';'
                | b'('
                | b')'
                | b'{'
                | b'}'
                | b'['
                | b']'
                | b'<'
                | b'>'
        )
}

pub(super) fn keyword_at(text: &str, s: usize, e: usize, sink: &mut Sink) {
    if !(sink.wants(EntityType::GenericSecret) || sink.wants(EntityType::AwsSecretKey)) {
        return;
    }
    let b = text.as_bytes();
    let mut is = s;
    while is > s.saturating_sub(MAX_IDENT) && is > 0 && ident_byte(b[is - 1]) {
        is -= 1;
    }
    let mut ie = e;
    while ie < b.len() && ie - e < MAX_IDENT && ident_byte(b[ie]) {
        ie += 1;
    }
    let ident = &b[is..ie];
    let Some(vs) = value_start(b, ie, contains_ci(ident, b"bearer")) else {
        return;
    };
    let Some((vs, ve)) = value_span(b, vs) else {
        return;
    };
    sink.work += 1;
    let value = &b[vs..ve];
    let aws = contains_ci(ident, b"secret_access_key")
        || contains_ci(ident, b"secretaccesskey")
        || (contains_ci(ident, b"aws") && contains_ci(ident, b"secret"));
    if aws
        && value.len() == 40
        && value
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'/' || c == b'+')
    {
        if !known::is_aws_example(value) && entropy(value) >= 3.5 {
            sink.push(
                EntityType::AwsSecretKey,
                vs,
                ve,
                0.9,
                "aws_secret_access_key",
            );
        }
        return;
    }
    let password = contains_ci(ident, b"pass") || contains_ci(ident, b"pwd");
    if secret_value(value, password) {
        let rule = if password {
            "password_assignment"
        } else {
            "secret_assignment"
        };
        sink.push(EntityType::GenericSecret, vs, ve, 0.6, rule);
    }
}

/// Start of the value after an identifier ending at `i`: an optional
/// closing quote, then `=`, `:`, `:=` or `=>` (or a space after `Bearer`).
fn value_start(b: &[u8], mut i: usize, bearer: bool) -> Option<usize> {
    if matches!(b.get(i), Some(b'"' | b'\'' | b'`')) {
        i += 1;
        // setenv("API_KEY", "value") / ["token", "value"]: a quoted pair.
        if b.get(i) == Some(&b',') {
            let mut j = i + 1;
            while b.get(j) == Some(&b' ') {
                j += 1;
            }
            return matches!(b.get(j), Some(b'"' | b'\'')).then_some(j);
        }
    }
    let ws = |i: &mut usize| {
        let from = *i;
        while *i < b.len() && *i - from < 4 && matches!(b[*i], b' ' | b'\t') {
            *i += 1;
        }
    };
    ws(&mut i);
    match (b.get(i), b.get(i + 1)) {
        (Some(b'='), Some(b'=' | b'~')) | (Some(b':'), Some(b':')) => return None,
        (Some(b':'), Some(b'=')) | (Some(b'='), Some(b'>')) => i += 2,
        (Some(b'=' | b':'), _) => i += 1,
        _ if bearer && i > 0 && b[i - 1] == b' ' => return Some(i),
        _ => return None,
    }
    ws(&mut i);
    // `Authorization: Bearer <v>` / `Basic <v>`: the credential is the next word.
    for scheme in [&b"Bearer "[..], b"Basic ", b"Token "] {
        if b.len() >= i + scheme.len() && b[i..i + scheme.len()].eq_ignore_ascii_case(scheme) {
            return Some(i + scheme.len());
        }
    }
    Some(i)
}

/// The value's span: inside matching quotes, or a run of value bytes.
fn value_span(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let q = *b.get(i)?;
    if matches!(q, b'"' | b'\'' | b'`') {
        let limit = (i + 1 + MAX_VALUE).min(b.len());
        let close = (i + 1..limit).find(|&j| b[j] == q || b[j] == b'\n')?;
        return (b[close] == q).then_some((i + 1, close));
    }
    let mut e = i;
    while e < b.len() && e - i < MAX_VALUE && value_byte(b[e]) {
        e += 1;
    }
    // Trailing sentence punctuation is not part of the value.
    while e > i && matches!(b[e - 1], b'.' | b':') {
        e -= 1;
    }
    let expression = b.get(e).is_some_and(|&c| c == b'(' || c == b'[');
    (!expression && e > i).then_some((i, e))
}

fn secret_value(v: &[u8], password: bool) -> bool {
    let letters = v.iter().any(u8::is_ascii_alphabetic);
    let digits = v.iter().any(u8::is_ascii_digit);
    let symbols = v.iter().any(|c| !c.is_ascii_alphanumeric());
    let (min_len, min_entropy) = if password { (6, 2.2) } else { (12, 3.0) };
    v.len() >= min_len
        && v.len() <= MAX_VALUE
        && letters
        && (digits || (password && symbols))
        && !v.contains(&b' ')
        && !known::is_placeholder(v)
        && !known::is_uuid(v)
        && !is_expression(v, password)
        && entropy(v) >= min_entropy
}

/// `os.environ.get`, `self.token`, `process.env.TOKEN`, `SOME_CONSTANT`,
/// `user_name` (a variable, unless it is a password: `hunter2` is one).
fn is_expression(v: &[u8], password: bool) -> bool {
    let dotted_ident = v.contains(&b'.')
        && v.split(|&c| c == b'.').all(|p| {
            !p.is_empty()
                && !p[0].is_ascii_digit()
                && p.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
        });
    let constant = v
        .iter()
        .all(|&c| c.is_ascii_uppercase() || c == b'_' || c.is_ascii_digit());
    let lower_ident = !password
        && v.iter()
            .all(|&c| c.is_ascii_lowercase() || c == b'_' || c.is_ascii_digit())
        && v.iter().filter(|c| c.is_ascii_digit()).count() <= 2;
    let path = v.windows(2).any(|w| w == b"::");
    dotted_ident || constant || lower_ident || path || v.starts_with(b"http")
}

#[cfg(test)]
mod tests {
    use crate::safety::{Detector, EntityType, RuleDetector};

    fn values(text: &str) -> Vec<(EntityType, &str)> {
        RuleDetector::shared()
            .detect(text)
            .into_iter()
            .map(|f| (f.entity, &text[f.start..f.end]))
            .collect()
    }

    #[test]
    fn assignments() {
        let g = EntityType::GenericSecret;
        assert_eq!(
            values(r#"api_key = "f9Kx2Lq8Zm4Rv7Tb""#),
            vec![(g, "f9Kx2Lq8Zm4Rv7Tb")]
        );
        assert_eq!(
            values(r#"{"auth_token": "Zq81mXk2Lr0pVt5w"}"#),
            vec![(g, "Zq81mXk2Lr0pVt5w")]
        );
        assert_eq!(values("DB_PASSWORD=Tr0ub4dor&3"), vec![(g, "Tr0ub4dor&3")]);
        assert_eq!(values("password: hunter2"), vec![(g, "hunter2")]);
        assert_eq!(
            values("aws_secret_access_key = Xb7Qm2Lk9Rt4Vz8Np3Wc6Hy1Jd5Fs0Gu2Ae7Ki9L"),
            vec![(
                EntityType::AwsSecretKey,
                "Xb7Qm2Lk9Rt4Vz8Np3Wc6Hy1Jd5Fs0Gu2Ae7Ki9L"
            )]
        );
    }

    #[test]
    fn non_secrets() {
        for text in [
            "token = os.environ.get(\"TOKEN\")",
            "api_key: ${API_KEY}",
            "max_tokens: 4096",
            "sort_key = 'created_at_desc'",
            "password: <your-password>",
            "session_token = 550e8400-e29b-41d4-a716-446655440000",
            "if token == expected_token2:",
            "the key is important",
        ] {
            assert_eq!(values(text), vec![], "{text}");
        }
    }
}
