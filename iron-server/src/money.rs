//! USD amounts at the API edge. Inside, money is `i64` micro-dollars; these
//! conversions never go through a float.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

pub const MICROS_PER_USD: i64 = 1_000_000;
/// Upper bound for any single amount: one trillion dollars.
const MAX_MICROS: i64 = 1_000_000_000_000 * MICROS_PER_USD;
const PATTERN: &str = r"^[0-9]{1,13}(\.[0-9]{1,6})?$";

/// A non-negative USD amount; accepts `"12.50"` or `12.5`, renders `"12.50"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usd(pub i64);

impl Usd {
    pub fn micros(self) -> i64 {
        self.0
    }

    pub fn parse(text: &str) -> Result<Usd, String> {
        let invalid = || format!("`{text}` is not a USD amount like \"12.50\"");
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
            return Err(invalid());
        }
        if fraction.len() > 6 || (text.contains('.') && fraction.is_empty()) {
            return Err("at most 6 decimal places".to_owned());
        }
        let whole: i64 = whole.parse().map_err(|_| invalid())?;
        let fraction_micros: i64 = format!("{fraction:0<6}").parse().map_err(|_| invalid())?;
        whole
            .checked_mul(MICROS_PER_USD)
            .and_then(|m| m.checked_add(fraction_micros))
            .filter(|m| *m <= MAX_MICROS)
            .map(Usd)
            .ok_or_else(|| "amount is too large".to_owned())
    }
}

impl std::fmt::Display for Usd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / MICROS_PER_USD as u64;
        let fraction = format!("{:06}", abs % MICROS_PER_USD as u64);
        let trimmed = fraction.trim_end_matches('0');
        let shown = if trimmed.len() < 2 {
            &fraction[..2]
        } else {
            trimmed
        };
        write!(f, "{sign}{whole}.{shown}")
    }
}

impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(serde_json::Number),
        }
        let text = match Raw::deserialize(deserializer)? {
            Raw::Text(text) => text,
            Raw::Number(number) => number.to_string(),
        };
        Usd::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl PartialSchema for Usd {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(PATTERN))
            .description(Some("US dollars as a decimal string, e.g. \"500.00\""))
            .examples([serde_json::json!("500.00")])
            .into()
    }
}

impl ToSchema for Usd {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_strings_and_numbers_exactly() {
        assert_eq!(Usd::parse("500").unwrap().micros(), 500_000_000);
        assert_eq!(Usd::parse("0.000001").unwrap().micros(), 1);
        assert_eq!(Usd::parse("12.5").unwrap().micros(), 12_500_000);
        let from_number: Usd = serde_json::from_str("0.1").unwrap();
        assert_eq!(from_number.micros(), 100_000);
    }

    #[test]
    fn rejects_negative_malformed_and_overprecise_amounts() {
        for bad in [
            "-1",
            "1.2345678",
            "abc",
            "",
            ".5",
            "5.",
            "1e3",
            "99999999999999",
        ] {
            assert!(Usd::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn renders_at_least_cents() {
        assert_eq!(Usd(500_000_000).to_string(), "500.00");
        assert_eq!(Usd(1_234_567).to_string(), "1.234567");
        assert_eq!(Usd(100_000).to_string(), "0.10");
    }
}
