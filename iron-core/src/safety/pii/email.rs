//! E-mail addresses, parsed outwards from an `@`.

use crate::safety::detector::{EntityType, Sink};

const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 253;
/// File extensions that look like TLDs in `icon@2x.png` or `pkg@1.0.js`.
const NOT_TLD: &[&[u8]] = &[
    b"png", b"jpg", b"jpeg", b"gif", b"svg", b"webp", b"ico", b"js", b"ts", b"css", b"json", b"py",
    b"rs", b"go", b"txt", b"md", b"html", b"pdf", b"zip", b"gz", b"lock", b"toml", b"yaml", b"yml",
    b"xml", b"tsx", b"jsx", b"mjs", b"wasm",
];

fn local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

pub(super) fn email_at(b: &[u8], at: usize, sink: &mut Sink) {
    let mut s = at;
    while s > at.saturating_sub(MAX_LOCAL) && s > 0 && local_byte(b[s - 1]) {
        s -= 1;
    }
    while s < at && matches!(b[s], b'.' | b'-' | b'+') {
        s += 1;
    }
    if s == at || b[at - 1] == b'.' || in_url_userinfo(b, s) {
        return;
    }
    let Some(e) = domain_end(b, at + 1) else {
        return;
    };
    sink.work += 1;
    sink.push(EntityType::Email, s, e, 0.9, "email");
}

/// End of a dotted domain starting at `d`, if it has a letter-only TLD.
fn domain_end(b: &[u8], d: usize) -> Option<usize> {
    let mut e = d;
    while e < b.len()
        && e - d < MAX_DOMAIN
        && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'.' | b'-'))
    {
        e += 1;
    }
    while e > d && matches!(b[e - 1], b'.' | b'-') {
        e -= 1;
    }
    let domain = &b[d..e];
    let dot = domain.iter().rposition(|&c| c == b'.')?;
    let tld = &domain[dot + 1..];
    let labels_ok = domain
        .split(|&c| c == b'.')
        .all(|l| !l.is_empty() && l[0] != b'-' && l[l.len() - 1] != b'-');
    let tld_ok = (2..=24).contains(&tld.len())
        && tld.iter().all(u8::is_ascii_alphabetic)
        && !NOT_TLD.iter().any(|x| x.eq_ignore_ascii_case(tld));
    (labels_ok && tld_ok).then_some(e)
}

/// `scheme://user@host` or `scheme://user:pass@host`: user info, not an
/// address (the password part is a URL_PASSWORD).
fn in_url_userinfo(b: &[u8], s: usize) -> bool {
    let from = s.saturating_sub(160);
    let before = &b[from..s];
    let token_start = before
        .iter()
        .rposition(|c| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'<' | b'(' | b'/'))
        .map_or(0, |p| p + 1);
    token_start >= 3 && &before[token_start - 3..token_start] == b"://"
}
