//! Master key handling and AES-256-GCM sealing of secrets at rest.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use rand::RngCore;
use zeroize::Zeroizing;

pub const MASTER_KEY_ENV: &str = "IRON_MASTER_KEY";

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("master key: {0}")]
    MasterKey(String),
    #[error("decryption failed: wrong master key or tampered ciphertext")]
    Decrypt,
}

/// The 256-bit key that wraps every secret; never printed.
#[derive(Clone)]
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey([redacted])")
    }
}

/// A sealed secret: base64 nonce and ciphertext (with the GCM tag).
pub struct Sealed {
    pub nonce: String,
    pub ciphertext: String,
}

impl MasterKey {
    pub fn generate() -> MasterKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(bytes.as_mut());
        MasterKey(bytes)
    }

    pub fn from_base64(text: &str) -> Result<MasterKey, CryptoError> {
        let decoded = Zeroizing::new(
            B64.decode(text.trim())
                .map_err(|_| CryptoError::MasterKey("not valid base64".into()))?,
        );
        let bytes: [u8; 32] = decoded
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::MasterKey("must decode to exactly 32 bytes".into()))?;
        Ok(MasterKey(Zeroizing::new(bytes)))
    }

    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(B64.encode(self.0.as_ref()))
    }

    /// `IRON_MASTER_KEY` if set, else the key file, created (mode 0600) when absent.
    pub fn load_or_create(key_file: &Path) -> Result<MasterKey, CryptoError> {
        if let Ok(value) = std::env::var(MASTER_KEY_ENV) {
            return MasterKey::from_base64(&value);
        }
        match std::fs::read_to_string(key_file) {
            Ok(text) => MasterKey::from_base64(&text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let key = MasterKey::generate();
                key.write_new_file(key_file)?;
                tracing::info!(path = %key_file.display(), "generated a new master key file");
                Ok(key)
            }
            Err(err) => Err(CryptoError::MasterKey(format!(
                "cannot read {}: {err}",
                key_file.display()
            ))),
        }
    }

    /// Writes the key to a file that must not exist yet, readable by the owner only.
    pub fn write_new_file(&self, path: &Path) -> Result<(), CryptoError> {
        let io_error = |e: std::io::Error| {
            CryptoError::MasterKey(format!("cannot write {}: {e}", path.display()))
        };
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(io_error)?;
        file.write_all(self.to_base64().as_bytes())
            .map_err(io_error)?;
        file.sync_all().map_err(io_error)
    }

    /// Seals `plaintext` with a fresh random 96-bit nonce; `aad` binds the
    /// ciphertext to its row, so it cannot be moved to another entry.
    pub fn seal(&self, plaintext: &[u8], aad: &str) -> Sealed {
        let cipher = Aes256Gcm::new_from_slice(self.0.as_ref()).expect("32-byte key");
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plaintext,
            aad: aad.as_bytes(),
        };
        let ciphertext = cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("AES-GCM encryption cannot fail for in-memory buffers");
        Sealed {
            nonce: B64.encode(nonce),
            ciphertext: B64.encode(ciphertext),
        }
    }

    pub fn open(&self, sealed: &Sealed, aad: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let cipher = Aes256Gcm::new_from_slice(self.0.as_ref()).expect("32-byte key");
        let nonce = B64
            .decode(&sealed.nonce)
            .map_err(|_| CryptoError::Decrypt)?;
        let ciphertext = B64
            .decode(&sealed.ciphertext)
            .map_err(|_| CryptoError::Decrypt)?;
        if nonce.len() != 12 {
            return Err(CryptoError::Decrypt);
        }
        let payload = Payload {
            msg: &ciphertext,
            aad: aad.as_bytes(),
        };
        cipher
            .decrypt(Nonce::from_slice(&nonce), payload)
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Decrypt)
    }
}

/// `sk-...abcd`: enough to recognise a key, useless to an attacker.
pub fn mask_secret(secret: &str) -> String {
    const KNOWN_PREFIXES: [&str; 3] = ["sk-ant-", "sk-proj-", "sk-"];
    let prefix = KNOWN_PREFIXES
        .iter()
        .find(|p| secret.starts_with(*p))
        .copied()
        .unwrap_or("");
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < prefix.len() + 12 {
        return format!("{prefix}...");
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}...{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_the_same_key_and_row() {
        let key = MasterKey::generate();
        let sealed = key.seal(b"sk-secret", "prov_1");
        assert_eq!(
            key.open(&sealed, "prov_1").unwrap().as_slice(),
            b"sk-secret"
        );
        assert!(key.open(&sealed, "prov_2").is_err());
        assert!(MasterKey::generate().open(&sealed, "prov_1").is_err());
        assert_ne!(key.seal(b"sk-secret", "prov_1").nonce, sealed.nonce);
    }

    #[test]
    fn masks_keep_only_the_vendor_prefix_and_last_four() {
        assert_eq!(
            mask_secret("sk-ant-api03-abcdefghijklmnopWXYZ"),
            "sk-ant-...WXYZ"
        );
        assert_eq!(mask_secret("sk-1234567890abcdefabcd"), "sk-...abcd");
        assert_eq!(mask_secret("short"), "...");
    }

    #[test]
    fn key_file_is_created_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("iron.key");
        let key = MasterKey::generate();
        key.write_new_file(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            MasterKey::from_base64(&text).unwrap().to_base64(),
            key.to_base64()
        );
        assert!(key.write_new_file(&path).is_err(), "never overwrites a key");
    }
}
