//! ASCII fast paths: most pieces are decided from single bytes without
//! UTF-8 decoding. Each returns `None` as soon as a non-ASCII character
//! could change the result; the general rules in the parent module then
//! split that piece from scratch.

use super::Scanner;
use super::classes::{L, LO, N, S, UP};

/// One ASCII byte's view for the fast paths: `None` past the end,
/// `Some(None)` on a non-ASCII byte (the fast path then gives up, since a
/// non-ASCII character may change the split), else its class bits.
type Ascii = Option<Option<u8>>;

impl Scanner<'_> {
    #[inline]
    fn ascii(&self, i: usize) -> Ascii {
        let b = *self.s.get(i)?;
        Some((b < 0x80).then(|| self.classes.bmp[usize::from(b)]))
    }

    /// End of the ASCII run of bytes whose class satisfies `pred`, or None
    /// if it stops at a non-ASCII byte.
    #[inline]
    fn ascii_run(&self, mut i: usize, pred: impl Fn(u8, u8) -> bool) -> Option<usize> {
        while let Some(&b) = self.s.get(i) {
            if b >= 0x80 {
                return None;
            }
            if !pred(b, self.classes.bmp[usize::from(b)]) {
                break;
            }
            i += 1;
        }
        Some(i)
    }

    /// `\p{N}{1,3}` over ASCII digits from `i`; None if a non-ASCII byte
    /// could extend it.
    #[inline]
    fn ascii_digits(&self, i: usize) -> Option<usize> {
        let mut end = i;
        while end < i + 3 {
            match self.ascii(end) {
                Some(Some(class)) if class & N != 0 => end += 1,
                Some(None) => return None,
                _ => break,
            }
        }
        Some(end)
    }

    /// A whitespace run of ASCII bytes and the `\s` alternatives' choice
    /// (`at_end_whole`: cl100k's `\s++$` comes before `\s*[\r\n]`).
    #[inline]
    fn ascii_whitespace(&self, i: usize, at_end_whole: bool) -> Option<usize> {
        let end = self.ascii_run(i, |_, class| class & S != 0)?;
        if at_end_whole && end == self.s.len() {
            return Some(end);
        }
        if let Some(k) = self.s[i..end]
            .iter()
            .rposition(|&b| b == b'\r' || b == b'\n')
        {
            return Some(i + k + 1);
        }
        Some(if end == self.s.len() || end - i == 1 {
            end
        } else {
            end - 1
        })
    }
}

#[inline]
fn ascii_prefix(b: u8, class: u8) -> bool {
    b != b'\r' && b != b'\n' && class & (L | N) == 0
}

#[inline]
fn ascii_punct(class: u8) -> bool {
    class & (S | L | N) == 0
}

/// cl100k on ASCII: decides most pieces from single bytes.
#[inline]
pub(super) fn cl100k_ascii(sc: &Scanner<'_>, i: usize) -> Option<usize> {
    let b = sc.s[i];
    let class = sc.ascii(i)??;
    if b == b'\'' && sc.contraction(i) > 0 {
        return Some(i + sc.contraction(i));
    }
    let letters = |k| sc.ascii_run(k, |_, c| c & L != 0);
    if class & L != 0 {
        return letters(i + 1);
    }
    let next = sc.ascii(i + 1);
    if ascii_prefix(b, class) {
        match next {
            Some(Some(c)) if c & L != 0 => return letters(i + 2),
            Some(None) => return None,
            _ => {}
        }
    }
    if class & N != 0 {
        return sc.ascii_digits(i);
    }
    let punct_start = if ascii_punct(class) {
        i
    } else if b == b' ' {
        match next {
            Some(Some(c)) if ascii_punct(c) => i + 1,
            Some(None) => return None,
            _ => return sc.ascii_whitespace(i, true),
        }
    } else {
        return sc.ascii_whitespace(i, true);
    };
    let end = sc.ascii_run(punct_start, |_, c| ascii_punct(c))?;
    Some(sc.run(end, super::Ch::is_crlf))
}

/// o200k on ASCII: in ASCII no character is both "upper" and "lower", so
/// the letter alternatives need no backtracking.
#[inline]
pub(super) fn o200k_ascii(sc: &Scanner<'_>, i: usize) -> Option<usize> {
    let b = sc.s[i];
    let class = sc.ascii(i)??;
    let word_start = if class & L != 0 {
        Some(i)
    } else if ascii_prefix(b, class) {
        Some(i + 1)
    } else {
        None
    };
    if let Some(p) = word_start {
        let k = sc.ascii_run(p, |_, c| c & UP != 0)?;
        match sc.ascii(k) {
            Some(None) => return None,
            Some(Some(c)) if c & LO != 0 => {
                let end = sc.ascii_run(k, |_, c| c & LO != 0)?;
                return Some(end + sc.contraction(end));
            }
            _ if k > p => return Some(k + sc.contraction(k)),
            _ => {}
        }
    }
    if class & N != 0 {
        return sc.ascii_digits(i);
    }
    let punct_start = if ascii_punct(class) {
        i
    } else if b == b' ' {
        match sc.ascii(i + 1) {
            Some(Some(c)) if ascii_punct(c) => i + 1,
            Some(None) => return None,
            _ => return sc.ascii_whitespace(i, false),
        }
    } else {
        return sc.ascii_whitespace(i, false);
    };
    let end = sc.ascii_run(punct_start, |_, c| ascii_punct(c))?;
    Some(sc.run(end, |ch| ch.is_crlf() || ch.cp == u32::from(b'/')))
}
