//! Hand-written pretokenizers equivalent to tiktoken's cl100k_base and
//! o200k_base split regexes (the `pat_str` in tiktoken's `openai_public.py`).
//!
//! The regexes need a backtracking engine (`\s+(?!\S)`, and o200k's
//! overlapping letter classes), which made pretokenization the larger half
//! of tokenizing time. A direct scanner does the same splits several times
//! faster. Each function below follows one regex alternative in order, with
//! its greedy / backtracking choices spelled out; leftmost-first alternation
//! means the first alternative that matches wins, whatever its length.
//!
//! `tests/python/test_tiktoken_parity.py` checks the splits end to end.

mod ascii;
mod classes;

use ascii::{cl100k_ascii, o200k_ascii};
use classes::{Classes, L, LO, N, S, UP, classes};

/// A character at a byte offset: code point, class bits, UTF-8 length.
#[derive(Clone, Copy)]
struct Ch {
    cp: u32,
    class: u8,
    len: usize,
}

impl Ch {
    fn is(self, bits: u8) -> bool {
        self.class & bits != 0
    }
    fn is_crlf(self) -> bool {
        self.cp == u32::from(b'\r') || self.cp == u32::from(b'\n')
    }
    /// `[^\r\n\p{L}\p{N}]`: the optional one-character prefix of a word.
    fn is_prefix(self) -> bool {
        !self.is_crlf() && !self.is(L | N)
    }
    /// `[^\s\p{L}\p{N}]`: punctuation, symbols, marks, controls.
    fn is_punct(self) -> bool {
        !self.is(S | L | N)
    }
}

/// Scans one `&str` (kept as bytes: all offsets are char boundaries).
struct Scanner<'a> {
    s: &'a [u8],
    classes: &'static Classes,
}

impl Scanner<'_> {
    #[inline]
    fn at(&self, i: usize) -> Option<Ch> {
        let b0 = *self.s.get(i)?;
        let (cp, len) = if b0 < 0x80 {
            (u32::from(b0), 1)
        } else {
            // Valid UTF-8 (it came from a &str): decode without checks.
            let cont = |k: usize| u32::from(self.s[i + k] & 0x3F);
            if b0 < 0xE0 {
                ((u32::from(b0 & 0x1F) << 6) | cont(1), 2)
            } else if b0 < 0xF0 {
                ((u32::from(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
            } else {
                (
                    (u32::from(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
                    4,
                )
            }
        };
        Some(Ch {
            cp,
            class: self.classes.of(cp),
            len,
        })
    }

    /// End of the run of characters satisfying `pred` starting at `i`.
    #[inline]
    fn run(&self, mut i: usize, pred: impl Fn(Ch) -> bool) -> usize {
        while let Some(c) = self.at(i) {
            if !pred(c) {
                break;
            }
            i += c.len;
        }
        i
    }

    /// Up to three `\p{N}` from `i` (`\p{N}{1,3}`); `i` holds one.
    fn digits(&self, mut i: usize) -> usize {
        for _ in 0..3 {
            match self.at(i) {
                Some(c) if c.is(N) => i += c.len,
                _ => break,
            }
        }
        i
    }

    /// Length of `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `i` (0 if none). Case
    /// folding is Unicode's: `s` also matches U+017F LATIN SMALL LETTER LONG S.
    fn contraction(&self, i: usize) -> usize {
        if self.s.get(i) != Some(&b'\'') {
            return 0;
        }
        let lower = |k: usize| self.s.get(i + k).map(u8::to_ascii_lowercase);
        match lower(1) {
            Some(b's' | b't' | b'm' | b'd') => 2,
            Some(b'r') if lower(2) == Some(b'e') => 3,
            Some(b'v') if lower(2) == Some(b'e') => 3,
            Some(b'l') if lower(2) == Some(b'l') => 3,
            // U+017F is 0xC5 0xBF in UTF-8.
            Some(0xC5) if self.s.get(i + 2) == Some(&0xBF) => 3,
            _ => 0,
        }
    }

    /// A whitespace run from `i` and what the `\s` alternatives need of it.
    fn whitespace(&self, i: usize) -> WhitespaceRun {
        let mut run = WhitespaceRun {
            end: i,
            last_start: i,
            last_crlf_end: None,
            chars: 0,
        };
        while let Some(c) = self.at(run.end) {
            if !c.is(S) {
                break;
            }
            run.last_start = run.end;
            run.end += c.len;
            run.chars += 1;
            if c.is_crlf() {
                run.last_crlf_end = Some(run.end);
            }
        }
        run
    }

    /// `\s+(?!\S)` then the single-whitespace fallback: the run without its
    /// last character when that leaves one (the last stays to prefix the
    /// next word), else the run's first character; the whole run at the end.
    fn whitespace_tail(&self, run: &WhitespaceRun) -> usize {
        if run.end == self.s.len() {
            run.end
        } else if run.chars >= 2 {
            run.last_start
        } else {
            // `\s` (cl100k) / `\s+` (o200k) on a one-character run.
            run.end
        }
    }
}

struct WhitespaceRun {
    end: usize,
    last_start: usize,
    last_crlf_end: Option<usize>,
    chars: usize,
}

/// cl100k_base:
/// `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+|
///  ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`
fn cl100k_piece(sc: &Scanner<'_>, i: usize) -> usize {
    if let Some(end) = cl100k_ascii(sc, i) {
        return end;
    }
    let c = sc.at(i).expect("called below the end");
    let j = i + c.len;
    if c.cp == u32::from(b'\'') {
        let n = sc.contraction(i);
        if n > 0 {
            return i + n;
        }
    }
    if c.is(L) {
        return sc.run(j, |c| c.is(L));
    }
    if c.is_prefix() && sc.at(j).is_some_and(|n| n.is(L)) {
        return sc.run(j, |c| c.is(L));
    }
    if c.is(N) {
        return sc.digits(i);
    }
    let punct_start = if c.is_punct() {
        Some(i)
    } else if c.cp == u32::from(b' ') && sc.at(j).is_some_and(Ch::is_punct) {
        Some(j)
    } else {
        None
    };
    if let Some(start) = punct_start {
        let end = sc.run(start, Ch::is_punct);
        return sc.run(end, Ch::is_crlf);
    }
    let run = sc.whitespace(i);
    if run.end == sc.s.len() {
        return run.end; // \s++$
    }
    if let Some(end) = run.last_crlf_end {
        return end; // \s*[\r\n]
    }
    sc.whitespace_tail(&run)
}

/// o200k_base, alternatives in order:
/// 1. `[^\r\n\p{L}\p{N}]?[UP]*[LO]+C?`  2. `[^\r\n\p{L}\p{N}]?[UP]+[LO]*C?`
/// 3. `\p{N}{1,3}`  4. ` ?[^\s\p{L}\p{N}]+[\r\n/]*`  5. `\s*[\r\n]+`
/// 6. `\s+(?!\S)`  7. `\s+`
///
/// with UP = `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`, LO = `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`,
/// C = `(?i:'s|'t|'re|'ve|'m|'ll|'d)`.
fn o200k_piece(sc: &Scanner<'_>, i: usize) -> usize {
    if let Some(end) = o200k_ascii(sc, i) {
        return end;
    }
    let c = sc.at(i).expect("called below the end");
    let j = i + c.len;
    // The optional prefix is tried taken first, then skipped.
    let starts = if c.is_prefix() {
        [Some(j), Some(i)]
    } else {
        [Some(i), None]
    };
    let with_contraction = |end: usize| end + sc.contraction(end);

    // 1: UP* backtracks until LO+ can match. LO+ starts either right after
    // the UP run, or (giving back UP characters) at the last character of
    // the run that is also LO (Lm, Lo, M), where it then takes one char.
    for p in starts.into_iter().flatten() {
        let mut k = p;
        let mut last_both_end = None;
        while let Some(ch) = sc.at(k) {
            if !ch.is(UP) {
                break;
            }
            k += ch.len;
            if ch.is(LO) {
                last_both_end = Some(k);
            }
        }
        if sc.at(k).is_some_and(|ch| ch.is(LO)) {
            return with_contraction(sc.run(k, |ch| ch.is(LO)));
        }
        if let Some(end) = last_both_end {
            return with_contraction(end);
        }
    }
    // 2: UP+ then LO* (greedy, nothing to give back).
    for p in starts.into_iter().flatten() {
        let k = sc.run(p, |ch| ch.is(UP));
        if k > p {
            return with_contraction(sc.run(k, |ch| ch.is(LO)));
        }
    }
    // 3
    if c.is(N) {
        return sc.digits(i);
    }
    // 4
    let punct_start = if c.is_punct() {
        Some(i)
    } else if c.cp == u32::from(b' ') && sc.at(j).is_some_and(Ch::is_punct) {
        Some(j)
    } else {
        None
    };
    if let Some(start) = punct_start {
        let end = sc.run(start, Ch::is_punct);
        return sc.run(end, |ch| ch.is_crlf() || ch.cp == u32::from(b'/'));
    }
    // 5, 6, 7
    let run = sc.whitespace(i);
    if let Some(end) = run.last_crlf_end {
        return end;
    }
    sc.whitespace_tail(&run)
}

/// Which split rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    Cl100k,
    O200k,
}

/// Iterator over the pieces of `text`, exactly as tiktoken's regex splits it.
pub(crate) struct Pieces<'a> {
    scanner: Scanner<'a>,
    text: &'a str,
    pos: usize,
    pattern: Pattern,
}

pub(crate) fn split(pattern: Pattern, text: &str) -> Pieces<'_> {
    Pieces {
        scanner: Scanner {
            s: text.as_bytes(),
            classes: classes(),
        },
        text,
        pos: 0,
        pattern,
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let end = match self.pattern {
            Pattern::Cl100k => cl100k_piece(&self.scanner, start),
            Pattern::O200k => o200k_piece(&self.scanner, start),
        };
        debug_assert!(end > start && self.text.is_char_boundary(end));
        self.pos = end;
        Some(&self.text[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(pattern: Pattern, text: &str) -> Vec<&str> {
        split(pattern, text).collect()
    }

    #[test]
    fn cl100k_splits() {
        let p = Pattern::Cl100k;
        assert_eq!(pieces(p, "Hello world"), ["Hello", " world"]);
        assert_eq!(pieces(p, "it's They'LL"), ["it", "'s", " They", "'LL"]);
        assert_eq!(pieces(p, "12345"), ["123", "45"]);
        assert_eq!(pieces(p, "a  b"), ["a", " ", " b"]);
        assert_eq!(pieces(p, "a \n\n b"), ["a", " \n\n", " b"]);
        assert_eq!(
            pieces(p, "x  \n  "),
            ["x", "  \n  "],
            "\\s++$ takes the tail"
        );
        assert_eq!(pieces(p, " (foo)!\n\n"), [" (", "foo", ")!\n\n"]);
        assert_eq!(pieces(p, "\tx"), ["\tx"]);
        assert_eq!(pieces(p, " 1"), [" ", "1"]);
        assert_eq!(pieces(p, "'ſ"), ["'ſ"]);
    }

    #[test]
    fn o200k_splits() {
        let p = Pattern::O200k;
        assert_eq!(pieces(p, "Hello world"), ["Hello", " world"]);
        assert_eq!(pieces(p, "CamelCaseXML"), ["Camel", "Case", "XML"]);
        assert_eq!(pieces(p, "XMLHttp"), ["XMLHttp"]);
        assert_eq!(pieces(p, "don't STOP'S"), ["don't", " STOP'S"]);
        assert_eq!(pieces(p, "a/b//\n"), ["a", "/b", "//\n"]);
        assert_eq!(pieces(p, "x  \n  "), ["x", "  \n", "  "]);
        assert_eq!(pieces(p, "!!!abc"), ["!!!", "abc"]);
        assert_eq!(pieces(p, "e\u{301}te\u{301}"), ["e\u{301}te\u{301}"]);
    }

    #[test]
    fn pieces_cover_the_text() {
        let text =
            "Mixed 文本 with émojis 👩\u{200d}💻, tabs\t\t, CRLF\r\n\r\n and 123456 digits '' ";
        for p in [Pattern::Cl100k, Pattern::O200k] {
            assert_eq!(pieces(p, text).concat(), text);
            assert!(pieces(p, "").is_empty());
        }
    }
}
