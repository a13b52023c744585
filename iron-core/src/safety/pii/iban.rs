//! IBAN: country length table and the ISO 13616 mod-97 check.

use super::context::{is_word, prev};
use crate::safety::detector::{EntityType, Sink};

/// (country, total length) for SEPA and the other common IBAN countries.
const LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BR", 29),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NL", 18),
    (b"NO", 15),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"SA", 24),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VG", 24),
    (b"XK", 20),
];

/// Tries an IBAN starting at the two country letters at `s`, printed
/// compact or in groups separated by single spaces.
pub(super) fn iban_at(b: &[u8], s: usize, sink: &mut Sink) {
    if !sink.wants(EntityType::Iban) || prev(b, s).is_some_and(is_word) {
        return;
    }
    let Some(&(_, len)) = LENGTHS.iter().find(|(cc, _)| b[s..s + 2] == cc[..]) else {
        return;
    };
    let mut chars = Vec::with_capacity(len);
    let mut e = s;
    while chars.len() < len && e < b.len() {
        let c = b[e];
        if c.is_ascii_digit() || c.is_ascii_uppercase() {
            chars.push(c);
            e += 1;
        } else if c == b' ' && b.get(e + 1).is_some_and(u8::is_ascii_alphanumeric) {
            e += 1;
        } else {
            break;
        }
    }
    sink.work += 1;
    if chars.len() == len && !b.get(e).copied().is_some_and(is_word) && mod97(&chars) {
        sink.push(EntityType::Iban, s, e, 0.95, "iban_mod97");
    }
}

fn mod97(chars: &[u8]) -> bool {
    let rotated = chars[4..].iter().chain(&chars[..4]);
    let mut rem = 0u32;
    for &c in rotated {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod97_accepts_valid_and_rejects_typos() {
        assert!(mod97(b"GB82WEST12345698765432"));
        assert!(!mod97(b"GB82WEST12345698765433"));
    }
}
