//! Personal data: e-mail, phone, card, SSN, IBAN, IP addresses.
//!
//! Numeric entities are found without regexes: one byte loop cuts the text
//! into "digit runs" (digit groups joined by short separators such as
//! `' '`, `-`, `.`, `/`, `(`, `)`), and each run is split into candidates
//! that the validators in [`numeric`] accept or reject. Candidates are cut
//! only at whitespace, so a date, version or ID is never split into a
//! phone-looking piece.

pub(crate) mod context;
mod email;
mod iban;
mod ip;
mod numeric;

use super::detector::{EntityType, Sink};
use context::{is_word, prev};

/// Longest run of groups one candidate may span (e.g. `+44 (0) 20 7946 0958`).
const MAX_GROUPS: usize = 8;
/// Cap on one digit run; longer runs are cut so a run of near-matches
/// stays linear.
const MAX_RUN: usize = 256;

/// A maximal digit group inside a run: `text[start..end]` is all digits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group {
    pub start: usize,
    pub end: usize,
}

/// The PII rules (stateless today; kept as a type so compiled data can be
/// added without touching the engine).
#[derive(Debug, Default)]
pub(crate) struct PiiRules;

impl PiiRules {
    pub(crate) fn new() -> Self {
        Self
    }

    /// The byte-class pass: digit runs, IPv6 colon groups and e-mail `@`s.
    pub(crate) fn scan_bytes(&self, text: &str, sink: &mut Sink) {
        let numeric = [
            EntityType::Email,
            EntityType::Phone,
            EntityType::CreditCard,
            EntityType::UsSsn,
            EntityType::Iban,
            EntityType::IpAddress,
        ];
        if !numeric.iter().any(|&e| sink.wants(e)) {
            return;
        }
        let b = text.as_bytes();
        let mut groups = Vec::with_capacity(MAX_GROUPS * 2);
        let mut i = 0;
        loop {
            i = next_interesting(b, i);
            let Some(&c) = b.get(i) else { break };
            if c.is_ascii_digit() {
                let end = collect_run(b, i, &mut groups);
                sink.work += 1;
                if b.get(i.wrapping_sub(2)..i)
                    .is_some_and(|p| p.iter().all(u8::is_ascii_uppercase))
                {
                    iban::iban_at(b, i - 2, sink);
                }
                let glued = prev(b, i).is_some_and(is_word);
                if !glued && !after_code_group(b, i) {
                    numeric::scan_run(b, &groups, sink);
                }
                i = end;
            } else if c == b'@' {
                if sink.wants(EntityType::Email) {
                    email::email_at(b, i, sink);
                }
                i += 1;
            } else if c == b':' && sink.wants(EntityType::IpAddress) {
                sink.work += 1;
                i = ip::ipv6_at(b, i, sink).unwrap_or(i + 1);
            } else {
                i += 1;
            }
        }
    }
}

/// Index of the next digit, `:` or `@` at or after `i` (or the end).
/// Skips eight bytes at a time: most text has none in most words.
fn next_interesting(b: &[u8], mut i: usize) -> usize {
    const LO: u64 = u64::from_le_bytes([1; 8]);
    const HI: u64 = LO * 0x80;
    const LOW7: u64 = LO * 127;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        // "hasbetween(x, 0x2F, 0x3B)" from Bit Twiddling Hacks: some ASCII
        // byte is in 0x30..=0x3A. Bytes >= 0x80 never match.
        let hit =
            (LO * (127 + 0x3B)).wrapping_sub(x & LOW7) & !x & ((x & LOW7) + LO * (127 - 0x2F)) & HI;
        // "haszero(x ^ '@'...)": some byte is `@`.
        let at = x ^ (LO * u64::from(b'@'));
        let has_at = at.wrapping_sub(LO) & !at & HI;
        if hit | has_at != 0 {
            break;
        }
        i += 8;
    }
    while i < b.len() && !matches!(b[i], b'0'..=b':' | b'@') {
        i += 1;
    }
    i
}

/// `GB07 GGMT 0212 ...`: digits continuing a grouped alphanumeric code
/// (an IBAN that failed its checksum, a licence key) are not a phone or card.
fn after_code_group(b: &[u8], i: usize) -> bool {
    if i < 6 || b[i - 1] != b' ' {
        return false;
    }
    let group = &b[i - 5..i - 1];
    let boundary = i == 5 || !b[i - 6].is_ascii_alphanumeric();
    boundary
        && group
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && group.iter().any(u8::is_ascii_uppercase)
}

/// Fills `groups` with the run starting at the digit `i`; returns its end.
fn collect_run(b: &[u8], i: usize, groups: &mut Vec<Group>) -> usize {
    groups.clear();
    let mut e = i;
    loop {
        let s = e;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        groups.push(Group { start: s, end: e });
        // Up to three separator bytes (") ", " - ") may join the next group.
        let mut k = e;
        while k < b.len() && k - e < 3 && matches!(b[k], b' ' | b'-' | b'.' | b'/' | b'(' | b')') {
            k += 1;
        }
        let joins = k > e && b.get(k).is_some_and(u8::is_ascii_digit);
        if !joins || e - i >= MAX_RUN {
            return e;
        }
        e = k;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Detector, RuleDetector};
    use super::*;

    fn found(text: &str) -> Vec<(EntityType, &str)> {
        RuleDetector::shared()
            .detect(text)
            .into_iter()
            .map(|f| (f.entity, &text[f.start..f.end]))
            .collect()
    }

    #[test]
    fn runs_split_on_separators() {
        let mut g = Vec::new();
        let end = collect_run(b"+1 (415) 555-0123, x", 1, &mut g);
        assert_eq!(end, 17);
        assert_eq!(g.len(), 4);
    }

    #[test]
    fn positives() {
        let cases = [
            (
                "Call (415) 555-0123 today",
                EntityType::Phone,
                "(415) 555-0123",
            ),
            (
                "UK office +44 20 7946 0958.",
                EntityType::Phone,
                "+44 20 7946 0958",
            ),
            ("Büro: 030 12345678", EntityType::Phone, "030 12345678"),
            (
                "mobile +91 98765 43210",
                EntityType::Phone,
                "+91 98765 43210",
            ),
            ("tél 06 12 34 56 78", EntityType::Phone, "06 12 34 56 78"),
            (
                "card 4111-1111-1111-1111 exp",
                EntityType::CreditCard,
                "4111-1111-1111-1111",
            ),
            (
                "amex 3782 822463 10005",
                EntityType::CreditCard,
                "3782 822463 10005",
            ),
            ("SSN 536-22-1234", EntityType::UsSsn, "536-22-1234"),
            (
                "IBAN DE89 3704 0044 0532 0130 00 ok",
                EntityType::Iban,
                "DE89 3704 0044 0532 0130 00",
            ),
            ("from 10.0.12.7:443", EntityType::IpAddress, "10.0.12.7"),
            (
                "v6 fe80::1ff:fe23:4567:890a up",
                EntityType::IpAddress,
                "fe80::1ff:fe23:4567:890a",
            ),
        ];
        for (text, entity, value) in cases {
            assert_eq!(found(text), vec![(entity, value)], "{text}");
        }
    }

    #[test]
    fn hard_negatives() {
        for text in [
            "released 2024-01-15 at 12:30:45",
            "version 1.2.3.4 is out",
            "Order #4829173650 shipped",
            "ISBN 978-3-16-148410-0",
            "card 4111 1111 1111 1112",
            "SSN 666-12-3456 and 123-00-4567",
            "zip 94107-1234, price $1,234.56",
            "id 550e8400-e29b-41d4-a716-446655440000",
            "mac 00:1A:2B:3C:4D:5E",
            "epoch 1700000000123",
        ] {
            assert_eq!(found(text), vec![], "{text}");
        }
    }
}
