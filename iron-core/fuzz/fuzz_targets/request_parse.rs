#![no_main]
//! Request parsing and prompt estimation for every API must never panic on
//! any body: malformed input is an `InvalidRequest` error, nothing else.

use iron_core::gateway::fuzzing::parse_and_estimate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    parse_and_estimate(data);
});
