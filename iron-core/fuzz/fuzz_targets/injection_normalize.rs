#![no_main]
//! The injection normaliser and detector must never panic on any UTF-8, and
//! normalising never grows the text by more than lowercasing can.

use iron_core::safety::injection::{InjectionDetector, normalize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let normalized = normalize(text);
    // Lowercasing can expand a character to at most three.
    assert!(normalized.len() <= text.len() * 3);
    let detector = InjectionDetector::shared();
    for verdict in [detector.check(text), detector.check_untrusted(text)] {
        assert!((0.0..=1.0).contains(&verdict.score));
        assert_eq!(verdict.flagged, verdict.score >= detector.threshold());
    }
});
