//! Safety: PII and secret detection with typed findings, and the
//! redact / block / alert actions a [`SafetyPolicy`] assigns to them.

pub mod detector;
pub mod injection;
pub(crate) mod pii;
pub mod policy;
pub mod redact;
pub(crate) mod secrets;
pub mod stream;

pub use detector::{Detector, EntityType, Finding, RuleDetector};
pub use policy::{Action, Direction, Flagged, Outcome, SafetyPolicy};
pub use redact::Redactor;
pub use stream::StreamRedactor;
