//! Incremental Server-Sent Events parser. The gateway forwards each event's
//! raw bytes unchanged (or drops it), so the parser keeps them alongside the
//! decoded `event` and `data` fields.

use bytes::{Bytes, BytesMut};

/// Largest single event accepted from a provider; beyond it the stream is
/// treated as broken rather than buffered without bound.
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event exactly as received, terminator included.
    pub raw: Bytes,
    pub event: Option<String>,
    /// `data:` lines joined with `\n` (one leading space stripped per line).
    pub data: String,
}

impl SseEvent {
    /// The data as JSON; `None` for `[DONE]`, empty or non-JSON data.
    pub fn json(&self) -> Option<serde_json::Value> {
        if self.data.is_empty() || self.data == "[DONE]" {
            return None;
        }
        serde_json::from_str(&self.data).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTooLarge;

#[derive(Debug, Default)]
pub struct SseParser {
    buf: BytesMut,
    /// Where to resume the terminator search, so a long event arriving in
    /// many small chunks is scanned once (linear, not quadratic).
    scanned: usize,
}

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds a chunk; returns the events it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<SseEvent>, EventTooLarge> {
        self.buf.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(end) = self.find_event_end() {
            let raw = self.buf.split_to(end).freeze();
            self.scanned = 0;
            events.push(decode(raw));
        }
        if self.buf.len() > MAX_EVENT_BYTES {
            return Err(EventTooLarge);
        }
        Ok(events)
    }

    /// Bytes left over at end of stream (an unterminated last event).
    pub fn finish(&mut self) -> Option<SseEvent> {
        self.scanned = 0;
        (!self.buf.is_empty()).then(|| decode(self.buf.split().freeze()))
    }

    /// End offset (exclusive) of the first complete event: the position just
    /// after a blank line (`\n\n`, `\r\n\r\n`, `\r\r` or mixed).
    fn find_event_end(&mut self) -> Option<usize> {
        let bytes = &self.buf[..];
        let mut i = self.scanned;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'\n' || b == b'\r' {
                let line_end = if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else if b == b'\r' && i + 1 == bytes.len() {
                    // A lone CR at the end may be the first half of CRLF: wait.
                    break;
                } else {
                    i + 1
                };
                match bytes.get(line_end) {
                    Some(b'\n') => return Some(line_end + 1),
                    Some(b'\r') => match bytes.get(line_end + 1) {
                        Some(b'\n') => return Some(line_end + 2),
                        Some(_) => return Some(line_end + 1),
                        None => break,
                    },
                    Some(_) => i = line_end,
                    None => break,
                }
            } else {
                i += 1;
            }
        }
        self.scanned = i;
        None
    }
}

fn decode(raw: Bytes) -> SseEvent {
    let text = String::from_utf8_lossy(&raw);
    let mut event = None;
    let mut data: Option<String> = None;
    for line in text.split(['\n', '\r']) {
        let (field, value) = match line.split_once(':') {
            Some(("", _)) => continue, // comment
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => event = Some(value.to_string()),
            "data" => match &mut data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => data = Some(value.to_string()),
            },
            _ => {}
        }
    }
    SseEvent {
        raw,
        event,
        data: data.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut p = SseParser::new();
        let mut out = Vec::new();
        for c in chunks {
            out.extend(p.push(c).unwrap());
        }
        out.extend(p.finish());
        out
    }

    #[test]
    fn splits_events_across_chunks_and_keeps_raw() {
        let input = b"event: message_start\ndata: {\"a\":1}\n\ndata: [DONE]\n\n";
        let whole = parse_all(&[input]);
        for split in 0..input.len() {
            let (a, b) = input.split_at(split);
            assert_eq!(parse_all(&[a, b]), whole, "split at {split}");
        }
        assert_eq!(whole.len(), 2);
        assert_eq!(whole[0].event.as_deref(), Some("message_start"));
        assert_eq!(whole[0].data, "{\"a\":1}");
        assert_eq!(whole[1].data, "[DONE]");
        let raw: Vec<u8> = whole.iter().flat_map(|e| e.raw.to_vec()).collect();
        assert_eq!(raw, input.to_vec());
    }

    #[test]
    fn handles_crlf_comments_and_multiline_data() {
        let events = parse_all(&[b": ping\r\n\r\ndata: a\r\ndata:b\r\n\r\n"]);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].data, "");
        assert_eq!(events[1].data, "a\nb");
    }

    #[test]
    fn byte_by_byte_crlf_matches_whole() {
        let input = b"data: x\r\n\r\ndata: y\r\n\r\n";
        let chunks: Vec<&[u8]> = input.chunks(1).collect();
        let events = parse_all(&chunks);
        assert_eq!(
            events.iter().map(|e| e.data.as_str()).collect::<Vec<_>>(),
            ["x", "y"]
        );
    }

    #[test]
    fn unterminated_tail_is_returned_by_finish() {
        let mut p = SseParser::new();
        assert!(p.push(b"data: partial").unwrap().is_empty());
        assert_eq!(p.finish().unwrap().data, "partial");
        assert!(p.finish().is_none());
    }

    #[test]
    fn refuses_unbounded_events() {
        let mut p = SseParser::new();
        let chunk = vec![b'x'; 1024 * 1024];
        let mut result = Ok(vec![]);
        for _ in 0..20 {
            result = p.push(&chunk);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(EventTooLarge));
    }
}
