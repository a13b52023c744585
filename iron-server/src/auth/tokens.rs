//! JWT access tokens (short-lived, stateless) and refresh tokens (random,
//! stored as SHA-256 hashes, rotated on every use).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::ids;

pub const REFRESH_TOKEN_PREFIX: &str = "rt_";

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys([redacted])")
    }
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> JwtKeys {
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn issue(&self, user_id: &str, now_secs: i64, ttl_secs: i64) -> AppResult<String> {
        let claims = AccessClaims {
            sub: user_id.to_owned(),
            iat: now_secs,
            exp: now_secs + ttl_secs,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(AppError::internal)
    }

    pub fn verify(&self, token: &str) -> AppResult<AccessClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    AppError::unauthorized("access token expired")
                }
                _ => AppError::unauthorized("invalid access token"),
            })
    }
}

pub fn new_refresh_token() -> String {
    format!("{REFRESH_TOKEN_PREFIX}{}", ids::random_base62(43))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_with_their_key_and_before_expiry() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef");
        let now = chrono::Utc::now().timestamp();
        let token = keys.issue("user_1", now, 60).unwrap();
        assert_eq!(keys.verify(&token).unwrap().sub, "user_1");
        let expired = keys.issue("user_1", now - 120, 60).unwrap();
        assert_eq!(keys.verify(&expired).unwrap_err().code(), "UNAUTHORIZED");
        let other = JwtKeys::new(b"another-secret-another-secret-xx");
        assert!(other.verify(&token).is_err());
    }
}
