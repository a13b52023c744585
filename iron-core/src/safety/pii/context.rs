//! Byte-level helpers shared by the PII and secret rules: boundaries,
//! context words and entropy. Everything here is ASCII-only on purpose:
//! the anchors we look for are ASCII, and non-ASCII bytes simply count as
//! "not part of a token", which also keeps spans on char boundaries.

/// Letters, digits and `_`: what continues an identifier or a token.
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The byte before `i`, if any.
pub(crate) fn prev(text: &[u8], i: usize) -> Option<u8> {
    i.checked_sub(1).map(|j| text[j])
}

/// ASCII case-insensitive substring test.
pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    needle.len() <= hay.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether any of `words` starts a word in the `window` bytes before `i`
/// (so `id ` does not match inside `paid `).
pub(crate) fn words_before(text: &[u8], i: usize, window: usize, words: &[&str]) -> bool {
    let from = i.saturating_sub(window);
    words.iter().any(|w| {
        let w = w.as_bytes();
        (from..i.saturating_sub(w.len() - 1)).any(|s| {
            text[s..s + w.len()].eq_ignore_ascii_case(w)
                && !(w[0].is_ascii_alphabetic()
                    && prev(text, s).is_some_and(|c| c.is_ascii_alphabetic()))
        })
    })
}

/// Shannon entropy in bits per byte.
pub(crate) fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Luhn checksum over the ASCII digits of `s` (other bytes ignored).
pub(crate) fn luhn(s: &[u8]) -> bool {
    let mut sum = 0u32;
    let mut double = false;
    let mut n = 0;
    for &b in s.iter().rev().filter(|b| b.is_ascii_digit()) {
        let mut d = u32::from(b - b'0');
        if double {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        double = !double;
        n += 1;
    }
    n > 0 && sum % 10 == 0
}

/// The ASCII digits of `s`.
pub(crate) fn digits(s: &[u8]) -> Vec<u8> {
    s.iter().copied().filter(u8::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_entropy() {
        assert!(luhn(b"4111 1111 1111 1111"));
        assert!(!luhn(b"4111 1111 1111 1112"));
        assert!(entropy(b"aaaaaaaa") < 0.01);
        assert!(entropy(b"aB3xK9pQ") > 2.9);
    }

    #[test]
    fn context_words_are_case_insensitive_and_bounded() {
        let t = b"Phone: 415";
        assert!(words_before(t, 7, 10, &["phone"]));
        assert!(!words_before(t, 7, 3, &["phone"]));
        assert!(!words_before(b"paid 4111", 5, 10, &["id "]));
    }
}
