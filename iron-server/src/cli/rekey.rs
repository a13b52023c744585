//! `iron vault rekey`: rotate the master key. Runs against the database
//! directly (the key never crosses the API). Every vault entry and data key
//! is re-encrypted in one transaction; the audit HMAC key itself is
//! unchanged, so the audit chain stays verifiable.

use std::path::{Path, PathBuf};

use super::Global;
use super::client::CliError;
use crate::audit::{self, Actor, Event};
use crate::crypto::{MASTER_KEY_ENV, MasterKey};
use crate::db::Db;
use crate::error::AppError;
use crate::models::provider;
use crate::state::{self, Keys};
use crate::transaction;

#[derive(clap::Args)]
pub struct RekeyArgs {
    #[arg(long, env = "IRON_DATABASE_URL", default_value = "iron.db")]
    pub database_url: String,
    /// The current key file (ignored when `IRON_MASTER_KEY` is set).
    #[arg(long, env = "IRON_MASTER_KEY_FILE", default_value = "iron.key")]
    pub master_key_file: PathBuf,
    /// Where to write the new key; default: replace the current key file.
    #[arg(long)]
    pub new_master_key_file: Option<PathBuf>,
}

pub async fn run(global: &Global, args: RekeyArgs) -> Result<(), CliError> {
    let fail = |e: &dyn std::fmt::Display| CliError::failure(e.to_string());
    let from_env = std::env::var(MASTER_KEY_ENV).is_ok();
    let old = if from_env {
        MasterKey::from_base64(&std::env::var(MASTER_KEY_ENV).unwrap_or_default())
    } else {
        std::fs::read_to_string(&args.master_key_file)
            .map_err(|e| {
                crate::crypto::CryptoError::MasterKey(format!(
                    "{}: {e}",
                    args.master_key_file.display()
                ))
            })
            .and_then(|text| MasterKey::from_base64(&text))
    }
    .map_err(|e| fail(&e))?;
    let db = Db::connect(&args.database_url, 2)
        .await
        .map_err(|e| fail(&e))?;
    let mut conn = db.conn().await.map_err(|e| fail(&e))?;
    // Decrypting the data keys first proves the old key is the right one.
    let keys = Keys::load(&mut conn, old.clone())
        .await
        .map_err(|e| fail(&e))?;

    let new = MasterKey::generate();
    let new_path = args
        .new_master_key_file
        .clone()
        .unwrap_or_else(|| sibling(&args.master_key_file, "new"));
    new.write_new_file(&new_path).map_err(|e| fail(&e))?;

    let reencrypted = reencrypt_all(&mut conn, &old, &new, &keys).await;
    let count = match reencrypted {
        Ok(count) => count,
        Err(err) => {
            let _ = std::fs::remove_file(&new_path);
            return Err(fail(&err));
        }
    };
    let message = if from_env {
        format!(
            "re-encrypted {count} secrets. Set {MASTER_KEY_ENV} to the contents of {} and delete that file.",
            new_path.display()
        )
    } else if args.new_master_key_file.is_none() {
        std::fs::rename(&new_path, &args.master_key_file).map_err(|e| fail(&e))?;
        format!(
            "re-encrypted {count} secrets; {} now holds the new master key.",
            args.master_key_file.display()
        )
    } else {
        format!(
            "re-encrypted {count} secrets. Start the server with --master-key-file {}.",
            new_path.display()
        )
    };
    if global.json {
        println!("{}", serde_json::json!({"reencrypted": count}));
    } else {
        println!("{message}");
    }
    Ok(())
}

async fn reencrypt_all(
    conn: &mut crate::db::Conn,
    old: &MasterKey,
    new: &MasterKey,
    keys: &Keys,
) -> Result<usize, AppError> {
    transaction!(conn, {
        let mut count = 0;
        for entry in provider::list_all(conn).await? {
            let plaintext = old
                .open(&entry.sealed(), &entry.id)
                .map_err(AppError::internal)?;
            let sealed = new.seal(&plaintext, &entry.id);
            provider::replace_secret(conn, &entry.id, &sealed, None, entry.updated_at).await?;
            count += 1;
        }
        for row in state::all_server_keys(conn).await? {
            let sealed = crate::crypto::Sealed {
                nonce: row.nonce,
                ciphertext: row.ciphertext,
            };
            let plaintext = old.open(&sealed, &row.name).map_err(AppError::internal)?;
            state::replace_server_key(conn, &row.name, &new.seal(&plaintext, &row.name)).await?;
            count += 1;
        }
        let actor = Actor {
            user_id: None,
            ip: None,
        };
        let event = Event {
            action: "vault.rekey",
            target_type: "master_key",
            target_id: "master_key",
            before: None,
            after: Some(serde_json::json!({"reencrypted": count})),
        };
        audit::record(conn, &keys.audit_hmac, &actor, event).await?;
        Ok(count)
    })
}

fn sibling(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{extension}"));
    PathBuf::from(name)
}
