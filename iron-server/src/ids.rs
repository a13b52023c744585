//! Public identifiers: `prefix_uuid`. UUIDv7 keeps them time-ordered, which
//! makes "id greater than cursor" a stable pagination order.

use rand::Rng;
use sha2::{Digest, Sha256};

pub const USER: &str = "user";
pub const PROJECT: &str = "proj";
pub const KEY: &str = "key";
pub const PROVIDER: &str = "prov";
pub const BUDGET_REQUEST: &str = "breq";
pub const INVITATION: &str = "inv";
pub const REFRESH_TOKEN: &str = "rtok";
pub const SESSION: &str = "sess";
pub const LEASE: &str = "lease";
pub const ALERT: &str = "alert";

pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::now_v7())
}

/// True when `id` looks like `prefix_<uuid>`; used to reject junk early.
pub fn is_valid(prefix: &str, id: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'))
        .is_some_and(|uuid| uuid::Uuid::parse_str(uuid).is_ok())
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` characters from the OS-seeded CSPRNG, uniformly over base62.
pub fn random_base62(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| BASE62[rng.random_range(0..BASE62.len())] as char)
        .collect()
}

pub fn sha256_hex(value: &str) -> String {
    hex(&Sha256::digest(value.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_their_prefix_and_sort_by_creation() {
        let first = new_id(PROJECT);
        let second = new_id(PROJECT);
        assert!(is_valid(PROJECT, &first));
        assert!(!is_valid(USER, &first));
        assert!(first < second);
    }

    #[test]
    fn base62_tokens_have_the_requested_length_and_alphabet() {
        let token = random_base62(32);
        assert_eq!(token.len(), 32);
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(token, random_base62(32));
    }
}
