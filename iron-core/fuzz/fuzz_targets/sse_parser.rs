#![no_main]
//! The SSE parser must never panic, must give back every byte it was fed
//! (events' raw bytes + the unterminated tail), whatever the chunking.

use iron_core::gateway::sse::SseParser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&split_seed, input)) = data.split_first() else {
        return;
    };
    let step = usize::from(split_seed % 17) + 1;
    let mut parser = SseParser::new();
    let mut out = Vec::new();
    for chunk in input.chunks(step) {
        match parser.push(chunk) {
            Ok(events) => events.iter().for_each(|e| out.extend_from_slice(&e.raw)),
            Err(_) => return,
        }
    }
    if let Some(tail) = parser.finish() {
        out.extend_from_slice(&tail.raw);
    }
    assert_eq!(out, input);
});
