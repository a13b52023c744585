//! Unicode classes the split rules use, as bits per code point.
//!
//! Built from `regex-syntax`, the crate tiktoken's own regexes are compiled
//! with, so both agree on the Unicode version.

use std::sync::OnceLock;

use regex_syntax::hir::{Class, HirKind};

/// `\p{L}`
pub(super) const L: u8 = 1;
/// `\p{N}`
pub(super) const N: u8 = 2;
/// `\s` (Unicode White_Space)
pub(super) const S: u8 = 4;
/// o200k's "upper" class `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`
pub(super) const UP: u8 = 8;
/// o200k's "lower" class `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`
pub(super) const LO: u8 = 16;

/// Class bits of every code point: a flat table for the BMP, sorted ranges above.
pub(super) struct Classes {
    pub(super) bmp: Box<[u8]>,
    astral: Vec<(u32, u32, u8)>,
}

pub(super) fn class_ranges(pattern: &str) -> Vec<(u32, u32)> {
    let hir = regex_syntax::Parser::new()
        .parse(pattern)
        .expect("class patterns are valid");
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
        other => unreachable!("{pattern} parsed to {other:?}"),
    }
}

pub(super) fn classes() -> &'static Classes {
    static CLASSES: OnceLock<Classes> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut bmp = vec![0u8; 0x1_0000].into_boxed_slice();
        let mut astral_bits: Vec<(u32, u32, u8)> = Vec::new();
        let sets = [
            (L, r"\p{L}"),
            (N, r"\p{N}"),
            (S, r"\s"),
            (UP, r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]"),
            (LO, r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]"),
        ];
        for (bit, pattern) in sets {
            for (start, end) in class_ranges(pattern) {
                for cp in start..=end.min(0xFFFF) {
                    bmp[cp as usize] |= bit;
                }
                if end > 0xFFFF {
                    astral_bits.push((start.max(0x1_0000), end, bit));
                }
            }
        }
        // Merge the per-class astral ranges into disjoint ranges with combined bits.
        let mut bounds: Vec<u32> = astral_bits
            .iter()
            .flat_map(|&(s, e, _)| [s, e + 1])
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut astral = Vec::new();
        for w in bounds.windows(2) {
            let (start, end) = (w[0], w[1] - 1);
            let bits = astral_bits
                .iter()
                .filter(|&&(s, e, _)| s <= start && end <= e)
                .fold(0, |acc, &(_, _, b)| acc | b);
            if bits != 0 {
                astral.push((start, end, bits));
            }
        }
        Classes { bmp, astral }
    })
}

impl Classes {
    #[inline]
    pub(super) fn of(&self, cp: u32) -> u8 {
        if cp < 0x1_0000 {
            self.bmp[cp as usize]
        } else {
            match self.astral.binary_search_by(|&(s, e, _)| {
                if e < cp {
                    std::cmp::Ordering::Less
                } else if s > cp {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            }) {
                Ok(i) => self.astral[i].2,
                Err(_) => 0,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_match_regex_syntax() {
        let c = classes();
        assert_eq!(c.of('a' as u32), L | LO);
        assert_eq!(c.of('A' as u32), L | UP);
        assert_eq!(c.of('7' as u32), N);
        assert_eq!(c.of(' ' as u32), S);
        assert_eq!(c.of('\u{3000}' as u32), S);
        assert_eq!(
            c.of('\u{301}' as u32),
            UP | LO,
            "marks are in both o200k classes"
        );
        assert_eq!(c.of('日' as u32), L | UP | LO, "Lo is in both");
        assert_eq!(c.of('!' as u32), 0);
        assert_eq!(c.of(0x1_D400), L | UP, "MATHEMATICAL BOLD CAPITAL A");
        assert_eq!(c.of(0x1_D7CE), N, "MATHEMATICAL BOLD DIGIT ZERO");
        assert_eq!(c.of(0x1_F600), 0, "emoji");
        assert_eq!(c.of(0x10_FFFF), 0);
    }

    #[test]
    fn contraction_case_folding_is_what_the_regex_says() {
        // The only non-ASCII simple case folding among these letters is s -> ſ.
        let folded = class_ranges("(?i:[sdmtlvre])");
        let ascii_and_long_s: Vec<(u32, u32)> = class_ranges("[DELMRSTVdelmrstvſ]");
        assert_eq!(folded, ascii_and_long_s);
    }
}
