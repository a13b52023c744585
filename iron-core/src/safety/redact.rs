//! Typed, stable placeholders: the same value gets the same placeholder
//! for the whole session, so the model can still tell `[EMAIL_1]` from
//! `[EMAIL_2]` and refer back to them.

use std::collections::HashMap;
use std::sync::Mutex;

use super::detector::{EntityType, Finding};

/// Per-session placeholder registry. Thread-safe; values are kept in
/// memory for the session only (never logged or serialised).
#[derive(Debug, Default)]
pub struct Redactor {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    by_value: HashMap<(EntityType, String), u32>,
    counts: HashMap<EntityType, u32>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// `[EMAIL_1]`, `[EMAIL_2]`, ...; the same value maps to the same one.
    pub fn placeholder(&self, entity: EntityType, value: &str) -> String {
        // A poisoned lock only means another thread panicked mid-insert;
        // the map is still usable.
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let n = match st.by_value.get(&(entity, value.to_owned())) {
            Some(&n) => n,
            None => {
                let count = st.counts.entry(entity).or_default();
                *count += 1;
                let n = *count;
                st.by_value.insert((entity, value.to_owned()), n);
                n
            }
        };
        format!("[{}_{n}]", entity.name())
    }

    /// `text` with every finding replaced by its placeholder. Findings out of
    /// range, off char boundaries or overlapping an earlier one are skipped.
    pub fn redact(&self, text: &str, findings: &[Finding]) -> String {
        let mut sorted: Vec<&Finding> = findings.iter().collect();
        sorted.sort_by_key(|f| f.start);
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for f in sorted {
            let valid = f.start >= pos
                && f.end <= text.len()
                && f.start < f.end
                && text.is_char_boundary(f.start)
                && text.is_char_boundary(f.end);
            if !valid {
                continue;
            }
            out.push_str(&text[pos..f.start]);
            out.push_str(&self.placeholder(f.entity, &text[f.start..f.end]));
            pos = f.end;
        }
        out.push_str(&text[pos..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(entity: EntityType, start: usize, end: usize) -> Finding {
        Finding {
            entity,
            start,
            end,
            confidence: 1.0,
            rule: "t",
        }
    }

    #[test]
    fn same_value_same_placeholder() {
        let r = Redactor::new();
        let text = "a@x.io b@x.io a@x.io";
        let findings = [
            f(EntityType::Email, 0, 6),
            f(EntityType::Email, 7, 13),
            f(EntityType::Email, 14, 20),
        ];
        assert_eq!(r.redact(text, &findings), "[EMAIL_1] [EMAIL_2] [EMAIL_1]");
        assert_eq!(r.placeholder(EntityType::Phone, "a@x.io"), "[PHONE_1]");
    }

    #[test]
    fn bad_spans_are_skipped() {
        let r = Redactor::new();
        let findings = [
            f(EntityType::Email, 0, 3),
            f(EntityType::Email, 2, 4),
            f(EntityType::Jwt, 3, 99),
        ];
        assert_eq!(r.redact("abcdef", &findings), "[EMAIL_1]def");
    }
}
