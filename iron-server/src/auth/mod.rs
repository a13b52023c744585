//! Sessions: argon2id passwords, JWT access tokens, rotating refresh tokens,
//! the role extractors, and login rate limiting.

pub mod extract;
pub mod limiter;
pub mod password;
pub mod tokens;

pub use extract::{Admin, AuthUser, ClientIp};
