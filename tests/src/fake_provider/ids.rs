//! Provider-looking identifiers and timestamps.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A unique id such as `chatcmpl-…` or `msg_…`: the prefix, the process id
/// and a counter, so ids never repeat within or across fake processes.
pub fn new(prefix: &str) -> String {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}fake{:x}x{n:08x}", std::process::id())
}

/// Seconds since the Unix epoch, for `created` fields.
pub fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
