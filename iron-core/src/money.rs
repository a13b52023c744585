//! Money is an integer number of micro-dollars everywhere inside Iron Cage.
//! Decimals appear only at API/UI edges, through the two functions below.

use crate::error::{Error, ErrorKind, Result};

/// Micro-dollars: 1 USD = 1_000_000.
pub type Micros = i64;

pub const MICROS_PER_USD: i64 = 1_000_000;

/// Converts a user-supplied USD amount (an edge value) to micro-dollars,
/// rounding to the nearest micro-dollar. Rejects NaN, infinities, negatives
/// and amounts too large to hold.
pub fn usd_to_micros(usd: f64) -> Result<Micros> {
    if !usd.is_finite() || usd < 0.0 {
        return Err(Error::new(
            ErrorKind::InvalidConfig,
            format!("a USD amount must be a finite number >= 0, got {usd}"),
        ));
    }
    let micros = (usd * MICROS_PER_USD as f64).round();
    if micros > i64::MAX as f64 / 2.0 {
        return Err(Error::new(
            ErrorKind::InvalidConfig,
            format!("USD amount {usd} is too large"),
        ));
    }
    Ok(micros as Micros)
}

/// Formats micro-dollars as a decimal USD string with six decimals, e.g. `"1.250000"`.
pub fn micros_to_usd_string(micros: Micros) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    format!(
        "{sign}{}.{:06}",
        abs / MICROS_PER_USD as u64,
        abs % MICROS_PER_USD as u64
    )
}

/// Micro-dollars as an `f64` USD value, for display and bindings only.
pub fn micros_to_usd(micros: Micros) -> f64 {
    micros as f64 / MICROS_PER_USD as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_edges() {
        assert_eq!(usd_to_micros(0.5).unwrap(), 500_000);
        assert_eq!(usd_to_micros(0.0000014).unwrap(), 1);
        assert!(usd_to_micros(-1.0).is_err());
        assert!(usd_to_micros(f64::NAN).is_err());
        assert!(usd_to_micros(1e300).is_err());
        assert_eq!(micros_to_usd_string(1_250_000), "1.250000");
        assert_eq!(micros_to_usd_string(-5), "-0.000005");
    }
}
