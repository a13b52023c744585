//! Redaction of streamed text (SSE deltas) without missing an entity that
//! straddles two chunks.
//!
//! Bound: text is emitted once it is more than [`HOLD`] bytes from the end
//! of what has arrived, cut at whitespace, never inside a finding. Tokens
//! without whitespace (keys, JWTs) are held whole until they end. An open
//! PEM block (`-----BEGIN` without its `-----END`) is held up to
//! [`MAX_PEM`](super::secrets::MAX_PEM) bytes; past [`MAX_PENDING`] bytes
//! the text is released anyway (redacted as far as it can be) so memory
//! stays bounded. The last [`CONTEXT`] emitted bytes are kept so context
//! words (`password =`) still apply to the value in the next chunk.

use std::sync::Arc;

use super::detector::{Detector, EntityType, Finding};
use super::redact::Redactor;
use super::secrets::{MAX_PEM, floor_char};

/// Bytes held back from the end: longer than any entity containing spaces
/// (IBAN in groups: 42, card: 23, phone: ~20).
pub const HOLD: usize = 128;
/// Already-emitted bytes kept as left context for detection.
pub const CONTEXT: usize = 128;
/// Upper bound on text held back before it is released regardless.
pub const MAX_PENDING: usize = MAX_PEM + HOLD;

/// Redacts a stream chunk by chunk. See the module docs for the bound.
pub struct StreamRedactor {
    detector: Arc<dyn Detector>,
    redactor: Arc<Redactor>,
    redact_if: Box<dyn Fn(EntityType) -> bool + Send + Sync>,
    /// Context (already emitted) followed by pending text.
    buf: String,
    emitted: usize,
    /// Stream offset of `buf[0]`.
    base: usize,
    found: Vec<Finding>,
}

impl std::fmt::Debug for StreamRedactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamRedactor")
            .field("pending", &(self.buf.len() - self.emitted))
            .finish_non_exhaustive()
    }
}

impl StreamRedactor {
    pub fn new(
        detector: Arc<dyn Detector>,
        redactor: Arc<Redactor>,
        redact_if: impl Fn(EntityType) -> bool + Send + Sync + 'static,
    ) -> Self {
        Self {
            detector,
            redactor,
            redact_if: Box::new(redact_if),
            buf: String::new(),
            emitted: 0,
            base: 0,
            found: Vec::new(),
        }
    }

    /// Adds a chunk; returns the text that is safe to emit now (redacted).
    pub fn push(&mut self, chunk: &str) -> String {
        self.buf.push_str(chunk);
        self.drain(false)
    }

    /// Flushes everything still held (end of stream).
    pub fn finish(&mut self) -> String {
        self.drain(true)
    }

    /// Every finding emitted so far (redacted or not), with offsets into
    /// the whole stream; for alerts and events. Clears the list.
    pub fn take_findings(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.found)
    }

    fn drain(&mut self, last: bool) -> String {
        let findings: Vec<Finding> = self
            .detector
            .detect(&self.buf)
            .into_iter()
            .filter(|f| f.start >= self.emitted)
            .collect();
        let cut = if last {
            self.buf.len()
        } else {
            self.cut(&findings)
        };
        if cut <= self.emitted {
            return String::new();
        }
        let mut out = String::with_capacity(cut - self.emitted);
        let mut pos = self.emitted;
        for f in findings.iter().filter(|f| f.end <= cut) {
            if (self.redact_if)(f.entity) {
                out.push_str(&self.buf[pos..f.start]);
                out.push_str(
                    &self
                        .redactor
                        .placeholder(f.entity, &self.buf[f.start..f.end]),
                );
                pos = f.end;
            }
            self.found.push(Finding {
                start: f.start + self.base,
                end: f.end + self.base,
                ..f.clone()
            });
        }
        out.push_str(&self.buf[pos..cut]);
        let keep_from = floor_char(&self.buf, cut.saturating_sub(CONTEXT));
        self.buf.drain(..keep_from);
        self.base += keep_from;
        self.emitted = cut - keep_from;
        out
    }

    /// How far the pending text can be emitted.
    fn cut(&self, findings: &[Finding]) -> usize {
        let len = self.buf.len();
        let forced = len - self.emitted > MAX_PENDING;
        let mut cut = floor_char(&self.buf, len.saturating_sub(HOLD));
        if !forced {
            // Never emit half a word: a token may still be growing.
            let b = self.buf.as_bytes();
            cut = (self.emitted..cut)
                .rev()
                .find(|&i| b[i].is_ascii_whitespace())
                .map_or(self.emitted, |i| i + 1);
            if let Some(p) = self.open_pem() {
                cut = cut.min(p);
            }
        }
        for f in findings {
            if f.start < cut && f.end > cut {
                // Forced: emit the whole finding (redacted) rather than half.
                cut = if forced { f.end } else { f.start };
            }
        }
        cut.max(self.emitted)
    }

    /// Start of a `-----BEGIN` in the pending text with no `-----END` after.
    fn open_pem(&self) -> Option<usize> {
        let pending = &self.buf[self.emitted..];
        let begin = pending.rfind("-----BEGIN")?;
        (!pending[begin..].contains("-----END")).then_some(self.emitted + begin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::RuleDetector;

    fn stream(text: &str, chunk: usize) -> String {
        let det: Arc<dyn Detector> = Arc::new(RuleDetector::shared().clone());
        let mut s = StreamRedactor::new(det, Arc::new(Redactor::new()), |_| true);
        let mut out = String::new();
        let bytes: Vec<char> = text.chars().collect();
        for piece in bytes.chunks(chunk) {
            out.push_str(&s.push(&piece.iter().collect::<String>()));
        }
        out.push_str(&s.finish());
        out
    }

    #[test]
    fn split_findings_are_caught_for_every_chunk_size() {
        let text = "Hi, mail jane.doe@example.com or call +44 20 7946 0958. \
                    password = \"Zx81qPmL2vT9\" and card 4111 1111 1111 1111 — ünïcödé ok.";
        let whole = stream(text, text.len());
        assert!(!whole.contains("jane.doe") && !whole.contains("7946") && !whole.contains("4111"));
        for chunk in [1, 2, 3, 7, 16, 64] {
            assert_eq!(stream(text, chunk), whole, "chunk size {chunk}");
        }
    }

    #[test]
    fn pem_block_is_held_until_it_ends() {
        let body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB";
        let text = format!(
            "key:\n-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\nbye"
        );
        let out = stream(&text, 5);
        assert_eq!(out, "key:\n[PRIVATE_KEY_1]\nbye");
    }
}
