//! Argument size: the length of the arguments as compact JSON, computed
//! without serialising, stopping as soon as the limit is passed. Nesting is
//! capped too, so later recursive walks over the arguments are bounded.

use serde_json::Value;

use super::Violation;

const ARG_TOO_LARGE: &str = "arg_too_large";

/// Deeper arguments are refused; real tool schemas nest a few levels.
pub(crate) const MAX_DEPTH: usize = 64;

/// The serialized size of `args`, or a violation when it exceeds `limit`
/// bytes or nests deeper than [`MAX_DEPTH`].
pub(crate) fn check(args: &Value, limit: usize) -> Result<usize, Violation> {
    let mut total = 0usize;
    measure(args, 0, limit, &mut total)?;
    Ok(total)
}

fn measure(v: &Value, depth: usize, limit: usize, total: &mut usize) -> Result<(), Violation> {
    if depth > MAX_DEPTH {
        return Err(Violation::new(
            ARG_TOO_LARGE,
            format!("arguments nest deeper than {MAX_DEPTH} levels"),
        ));
    }
    *total += match v {
        Value::Null => 4,
        Value::Bool(b) => 4 + usize::from(!*b),
        Value::Number(n) => number_len(n),
        Value::String(s) => string_len(s),
        Value::Array(items) => {
            for item in items {
                measure(item, depth + 1, limit, total)?;
            }
            2 + items.len().saturating_sub(1)
        }
        Value::Object(map) => {
            for (k, item) in map {
                *total += string_len(k) + 1;
                measure(item, depth + 1, limit, total)?;
            }
            2 + map.len().saturating_sub(1)
        }
    };
    if *total > limit {
        return Err(Violation::new(
            ARG_TOO_LARGE,
            format!("arguments exceed {limit} bytes"),
        ));
    }
    Ok(())
}

fn number_len(n: &serde_json::Number) -> usize {
    let digits = |u: u64| u.checked_ilog10().map_or(1, |d| d as usize + 1);
    if let Some(u) = n.as_u64() {
        return digits(u);
    }
    if let Some(i) = n.as_i64() {
        return 1 + digits(i.unsigned_abs());
    }
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut c = Count(0);
    // Writing to a counter cannot fail.
    let _ = std::fmt::write(&mut c, format_args!("{n}"));
    c.0
}

/// Quoted, escaped length, as serde_json writes it.
fn string_len(s: &str) -> usize {
    // A branch-free count first (vectorises); exact escapes only when needed.
    let special: usize = s
        .bytes()
        .map(|b| usize::from(b < 0x20 || b == b'"' || b == b'\\'))
        .sum();
    if special == 0 {
        return s.len() + 2;
    }
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..0x20 => 6,
            _ => 1,
        })
        .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn size_matches_serde_json() {
        let v =
            json!({"a": [1, 2.5, -3, null, true, false], "b\"": "x\ny\u{1}\\", "c": {"d": "é"}});
        assert_eq!(
            check(&v, usize::MAX).unwrap(),
            serde_json::to_string(&v).unwrap().len()
        );
        assert_eq!(check(&json!([]), 10).unwrap(), 2);
        assert_eq!(check(&json!({}), 10).unwrap(), 2);
    }

    #[test]
    fn over_limit_and_too_deep_are_denied() {
        let big = json!({"data": "x".repeat(100)});
        assert_eq!(check(&big, 50).unwrap_err().rule, ARG_TOO_LARGE);
        assert!(check(&big, 200).is_ok());
        let mut deep = json!(1);
        for _ in 0..=MAX_DEPTH {
            deep = json!([deep]);
        }
        assert_eq!(check(&deep, usize::MAX).unwrap_err().rule, ARG_TOO_LARGE);
    }
}
