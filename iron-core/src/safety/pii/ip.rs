//! IPv4 (from digit runs) and IPv6 (from colon groups).

use std::net::Ipv6Addr;

use super::Group;
use super::context::{is_word, prev, words_before};
use crate::safety::detector::{EntityType, Sink};

/// Context that makes a dotted quad a version or section number.
const NOT_IP: &[&str] = &[
    "version", "ver ", "ver.", "release", "build", "firmware", "update", "upgrade", "section",
    "chapter", "step", "clause", "§", "rule", "version:", "v.", "oid", "snmp", "tag",
];
/// Context that makes a small dotted quad (`2.3.9.14`) an address.
const IP_WORDS: &[&str] = &[
    "ip",
    "addr",
    "host",
    "server",
    "dns",
    "ping",
    "connect",
    "from",
    "route",
    "gateway",
    "resolver",
    "nameserver",
    "proxy",
    "client",
    "remote",
    "peer",
    "inet",
    "listen",
    "bind",
    "subnet",
    "cidr",
];
/// Well-known public resolvers, written in the small-numbers shape of versions.
const RESOLVERS: &[&[u8]] = &[b"8.8.8.8", b"8.8.4.4", b"1.1.1.1", b"1.0.0.1", b"9.9.9.9"];
/// Longest textual IPv6 address (with an embedded IPv4 tail).
const MAX_V6: usize = 45;

/// Dotted quads inside a run that are not part of a longer dotted chain.
pub(super) fn ipv4_in_run(b: &[u8], groups: &[Group], sink: &mut Sink) {
    let sep = |i: usize| &b[groups[i].end..groups[i + 1].start];
    let mut j = 0;
    while j + 4 <= groups.len() {
        let quad = &groups[j..j + 4];
        let dotted = (j..j + 3).all(|i| sep(i) == b".");
        let chained = (j > 0 && sep(j - 1) == b".") || (j + 4 < groups.len() && sep(j + 3) == b".");
        if !dotted || chained || !quad.iter().all(|g| octet(&b[g.start..g.end])) {
            j += 1;
            continue;
        }
        let (s, e) = (quad[0].start, quad[3].end);
        // 1.4.12.3 reads as a version unless the text talks about addresses.
        let versionish = b[s] != b'0'
            && quad[0].end - quad[0].start == 1
            && quad.iter().all(|g| g.end - g.start <= 2)
            && !RESOLVERS.contains(&&b[s..e])
            && !words_before(b, s, 24, IP_WORDS);
        let left_ok = !prev(b, s).is_some_and(|c| is_word(c) || matches!(c, b'.' | b'@' | b'-'));
        let right_ok = !b.get(e).copied().is_some_and(is_word);
        if left_ok && right_ok && !versionish && !words_before(b, s, 20, NOT_IP) {
            sink.push(EntityType::IpAddress, s, e, 0.8, "ipv4");
        }
        j += 4;
    }
}

fn octet(d: &[u8]) -> bool {
    // Length first: a long digit group must not reach the arithmetic
    // (found by the pii_scanner fuzz target as a u32 overflow).
    if d.is_empty() || d.len() > 3 || (d.len() > 1 && d[0] == b'0') {
        return false;
    }
    d.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')) <= 255
}

/// Tries an IPv6 address around the colon at `colon`; returns where the
/// scan may resume when one was found.
pub(super) fn ipv6_at(b: &[u8], colon: usize, sink: &mut Sink) -> Option<usize> {
    let v6 = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
    let mut s = colon;
    while s > colon.saturating_sub(MAX_V6) && s > 0 && v6(b[s - 1]) {
        s -= 1;
    }
    let mut e = colon;
    while e < b.len() && e - s < MAX_V6 && v6(b[e]) {
        e += 1;
    }
    // A sentence may end right after the address.
    while e > colon && b[e - 1] == b'.' {
        e -= 1;
    }
    if prev(b, s).is_some_and(is_word) || b.get(e).copied().is_some_and(is_word) {
        return None;
    }
    let cand = &b[s..e];
    let colons = cand.iter().filter(|&&c| c == b':').count();
    let compressed = cand.windows(2).any(|w| w == b"::");
    let has_digit = cand.iter().any(u8::is_ascii_digit);
    if colons < 2 || !(compressed || colons == 7) || !has_digit || cand.len() < 3 {
        return None;
    }
    let text = std::str::from_utf8(cand).ok()?;
    text.parse::<Ipv6Addr>().ok()?;
    sink.push(EntityType::IpAddress, s, e, 0.8, "ipv6");
    Some(e)
}

#[cfg(test)]
mod overflow_tests {
    use crate::safety::{Detector, RuleDetector};

    #[test]
    fn long_digit_groups_in_dotted_runs_do_not_overflow() {
        for text in [
            "0.7.7466666666666317.777077",
            "1.2.3.99999999999",
            "10.0.0.1",
        ] {
            RuleDetector::shared().detect(text);
        }
    }
}
