//! tiktoken's byte-pair merge for short pieces, on the stack.
//!
//! Same algorithm as tiktoken's `_byte_pair_merge`: repeatedly merge the
//! adjacent pair whose bytes have the lowest rank (leftmost on ties) until no
//! adjacent pair is a token. Quadratic, but pieces are words: for up to
//! [`SMALL_PIECE`] bytes this beats a general encoder's set-up cost. Longer
//! pieces go to `bpe`'s linear backtracking encoder.

use rustc_hash::FxHashMap;

/// Token bytes -> rank (= token id), tuned for the short keys BPE looks up:
/// direct tables for 1 and 2 bytes, an integer-keyed map up to 7 bytes.
pub(crate) struct Ranks {
    bytes1: [u32; 256],
    bytes2: Box<[u32]>,
    short: FxHashMap<u64, u32>,
    long: FxHashMap<&'static [u8], u32>,
}

impl Ranks {
    pub(crate) fn new(tokens: impl IntoIterator<Item = (&'static [u8], u32)>) -> Self {
        let tokens: Vec<_> = tokens.into_iter().collect();
        let short = tokens
            .iter()
            .filter(|(b, _)| (3..=7).contains(&b.len()))
            .count();
        let long = tokens.iter().filter(|(b, _)| b.len() > 7).count();
        let mut ranks = Ranks {
            bytes1: [NONE; 256],
            bytes2: vec![NONE; 1 << 16].into_boxed_slice(),
            short: FxHashMap::with_capacity_and_hasher(short, Default::default()),
            long: FxHashMap::with_capacity_and_hasher(long, Default::default()),
        };
        for (bytes, rank) in tokens {
            match bytes.len() {
                0 => {}
                1 => ranks.bytes1[usize::from(bytes[0])] = rank,
                2 => ranks.bytes2[pair_index(bytes)] = rank,
                3..=7 => {
                    ranks.short.insert(pack(bytes), rank);
                }
                _ => {
                    ranks.long.insert(bytes, rank);
                }
            }
        }
        ranks
    }

    #[inline]
    pub(crate) fn get(&self, bytes: &[u8]) -> Option<u32> {
        let rank = match bytes.len() {
            0 => NONE,
            1 => self.bytes1[usize::from(bytes[0])],
            2 => self.bytes2[pair_index(bytes)],
            3..=7 => self.short.get(&pack(bytes)).copied().unwrap_or(NONE),
            _ => self.long.get(bytes).copied().unwrap_or(NONE),
        };
        (rank != NONE).then_some(rank)
    }
}

#[inline]
fn pair_index(bytes: &[u8]) -> usize {
    (usize::from(bytes[0]) << 8) | usize::from(bytes[1])
}

/// Up to 7 bytes and their length in one integer.
#[inline]
fn pack(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    buf[7] = bytes.len() as u8;
    u64::from_le_bytes(buf)
}

/// Longest piece merged here.
pub(crate) const SMALL_PIECE: usize = 64;

const NONE: u32 = u32::MAX;

/// Token boundaries of `piece` (at most [`SMALL_PIECE`] bytes, at least 2).
pub(crate) struct Merged {
    /// `starts[..len]` are token starts; `starts[len]` is the piece length.
    starts: [u8; SMALL_PIECE + 1],
    len: usize,
}

impl Merged {
    /// Number of tokens.
    pub(crate) fn count(&self) -> usize {
        self.len
    }

    /// The tokens' byte ranges in `piece`.
    pub(crate) fn ranges(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.starts[..=self.len]
            .windows(2)
            .map(|w| usize::from(w[0])..usize::from(w[1]))
    }
}

pub(crate) fn merge(ranks: &Ranks, piece: &[u8]) -> Merged {
    let n = piece.len();
    assert!(
        (2..=SMALL_PIECE).contains(&n),
        "merge needs 2..={SMALL_PIECE} bytes"
    );
    let rank = |bytes: &[u8]| ranks.get(bytes).unwrap_or(NONE);
    // parts[k] = (start of part k, rank of joining part k with part k + 1);
    // the last entry is the end sentinel, as in tiktoken.
    let mut starts = [0u8; SMALL_PIECE + 1];
    let mut pair_ranks = [NONE; SMALL_PIECE + 1];
    for i in 0..n {
        starts[i] = i as u8;
        if i + 1 < n {
            pair_ranks[i] = rank(&piece[i..i + 2]);
        }
    }
    starts[n] = n as u8;
    let mut len = n + 1;
    // The rank of joining parts k, k+1 and k+2's start, i.e. after a merge at k.
    let joined = |starts: &[u8], len: usize, k: usize| -> u32 {
        if k + 3 < len {
            rank(&piece[usize::from(starts[k])..usize::from(starts[k + 3])])
        } else {
            NONE
        }
    };
    loop {
        let (mut best, mut at) = (NONE, 0);
        for (k, &r) in pair_ranks[..len - 1].iter().enumerate() {
            if r < best {
                best = r;
                at = k;
            }
        }
        if best == NONE {
            break;
        }
        // Update ranks around the merge before removing part at + 1.
        if at > 0 {
            pair_ranks[at - 1] = joined(&starts, len, at - 1);
        }
        pair_ranks[at] = joined(&starts, len, at);
        starts.copy_within(at + 2..len, at + 1);
        pair_ranks.copy_within(at + 2..len, at + 1);
        len -= 1;
    }
    Merged {
        starts,
        len: len - 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(tokens: &[&'static str]) -> Ranks {
        Ranks::new(
            tokens
                .iter()
                .enumerate()
                .map(|(rank, t)| (t.as_bytes(), rank as u32)),
        )
    }

    fn pieces<'a>(ranks: &Ranks, piece: &'a str) -> Vec<&'a str> {
        let merged = merge(ranks, piece.as_bytes());
        let out: Vec<&str> = merged.ranges().map(|r| &piece[r]).collect();
        assert_eq!(out.len(), merged.count());
        out
    }

    #[test]
    fn merges_lowest_rank_first_and_leftmost_on_ties() {
        let ranks = table(&["a", "b", "c", "ab", "bc", "abc", "aa"]);
        assert_eq!(pieces(&ranks, "abc"), ["abc"]);
        // "ab" (rank 3) beats "bc" (4); then "ab"+"c" -> "abc".
        assert_eq!(pieces(&ranks, "abcc"), ["abc", "c"]);
        // Ties between equal pairs go left: "aa" + "a".
        assert_eq!(pieces(&ranks, "aaa"), ["aa", "a"]);
        assert_eq!(pieces(&ranks, "aaaa"), ["aa", "aa"]);
        // Unknown pairs never merge.
        assert_eq!(pieces(&ranks, "ca"), ["c", "a"]);
    }

    #[test]
    fn ranks_of_every_length() {
        let long = "0123456789abcdef";
        let ranks = table(&["x", "xy", "xyz", "abcdefg", long, "\u{e9}"]);
        for (i, t) in ["x", "xy", "xyz", "abcdefg", long, "\u{e9}"]
            .iter()
            .enumerate()
        {
            assert_eq!(ranks.get(t.as_bytes()), Some(i as u32), "{t}");
        }
        for missing in ["", "y", "yx", "xy\0", "abcdef", "abcdefgh", &long[1..]] {
            assert_eq!(ranks.get(missing.as_bytes()), None, "{missing:?}");
        }
    }

    #[test]
    fn handles_the_largest_small_piece() {
        let ranks = table(&["x", "xx", "xxxx"]);
        let piece = "x".repeat(SMALL_PIECE);
        assert_eq!(pieces(&ranks, &piece), vec!["xxxx"; SMALL_PIECE / 4]);
    }
}
