#![no_main]
//! The PII/secret scanner must never panic, must return sorted,
//! non-overlapping spans on char boundaries, and the stream redactor must
//! give the same text whatever the chunking.

use std::sync::Arc;

use iron_core::safety::{Detector, Redactor, RuleDetector, StreamRedactor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&seed, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let findings = RuleDetector::shared().detect(text);
    let mut last_end = 0;
    for f in &findings {
        assert!(f.start >= last_end && f.start < f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        last_end = f.end;
    }
    let detector: Arc<dyn Detector> = Arc::new(RuleDetector::shared().clone());
    let redactor = Arc::new(Redactor::new());
    let whole = {
        let mut r = StreamRedactor::new(detector.clone(), redactor.clone(), |_| true);
        let mut out = r.push(text);
        out.push_str(&r.finish());
        out
    };
    let step = usize::from(seed % 13) + 1;
    let mut r = StreamRedactor::new(detector, redactor, |_| true);
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = step.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        out.push_str(&r.push(&rest[..cut]));
        rest = &rest[cut..];
    }
    out.push_str(&r.finish());
    assert_eq!(out, whole);
});
