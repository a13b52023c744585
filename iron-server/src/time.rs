//! Timestamps are unix microseconds inside and ISO-8601 UTC at the edge.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

pub fn to_iso(micros: i64) -> String {
    DateTime::<Utc>::from_timestamp_micros(micros)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse_iso(value: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|t| t.with_timezone(&Utc).timestamp_micros())
}

pub const MICROS_PER_SECOND: i64 = 1_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip_is_exact_to_the_microsecond() {
        let micros = 1_795_000_000_123_456;
        let text = to_iso(micros);
        assert!(text.ends_with('Z'));
        assert_eq!(parse_iso(&text), Some(micros));
        assert_eq!(parse_iso("yesterday"), None);
    }
}
