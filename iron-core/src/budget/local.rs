//! A budget authority inside the process, for self-managed use: in memory,
//! or persisted to a JSON file so a restarted process continues with what it
//! spent.
//!
//! Ledger rule: `spent + outstanding <= budget` holds for every grant. Spend
//! is recorded as settled, truthfully: a settlement above its lease's amount
//! (a provider billed more than the worst case) is counted in full, never
//! clipped, so `spent` may then exceed `budget` and `remaining()` goes
//! negative. Leases of a process that died without settling stay outstanding
//! (charged in full), since what was spent against them is unknown.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

use super::authority::{BudgetAuthority, Lease, SettleReceipt, Settlement};
use crate::error::{Error, ErrorKind, Result};
use crate::money::{Micros, micros_to_usd_string};

const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct State {
    version: u32,
    budget: Micros,
    spent: Micros,
    /// Outstanding leases: id -> amount.
    leases: BTreeMap<String, Micros>,
    /// Settled idempotency keys and their receipts, so a retry replays the
    /// receipt instead of counting the spend again. Kept for the file's
    /// lifetime: one entry per lease, small next to what they account for.
    receipts: BTreeMap<String, StoredReceipt>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredReceipt {
    returned: Micros,
    next: Option<StoredLease>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredLease {
    id: String,
    amount: Micros,
}

impl State {
    fn new(budget: Micros) -> Self {
        Self {
            version: FORMAT_VERSION,
            budget,
            ..Self::default()
        }
    }

    fn outstanding(&self) -> Micros {
        self.leases.values().sum()
    }

    fn remaining(&self) -> Micros {
        self.budget - self.spent - self.outstanding()
    }

    fn grant(&mut self, want: Micros) -> Result<StoredLease> {
        if want <= 0 {
            return Err(Error::invalid_request(format!(
                "a lease request must be > 0 micro-USD, got {want}"
            )));
        }
        let remaining = self.remaining();
        if remaining <= 0 {
            return Err(Error::budget_exceeded(format!(
                "the local budget of {} USD is used up ({} USD spent, {} USD held by open leases)",
                micros_to_usd_string(self.budget),
                micros_to_usd_string(self.spent),
                micros_to_usd_string(self.outstanding()),
            )));
        }
        let lease = StoredLease {
            id: format!("lease_{}", uuid::Uuid::now_v7()),
            amount: want.min(remaining),
        };
        self.leases.insert(lease.id.clone(), lease.amount);
        Ok(lease)
    }

    fn settle(&mut self, s: &Settlement) -> Result<StoredReceipt> {
        if let Some(receipt) = self.receipts.get(&s.idempotency_key) {
            return Ok(receipt.clone());
        }
        if s.spent < 0 {
            return Err(Error::invalid_request(format!(
                "settled spend must be >= 0, got {} micro-USD",
                s.spent
            )));
        }
        let Some(amount) = self.leases.remove(&s.lease_id) else {
            return Err(Error::invalid_request(format!(
                "lease {} is not open (unknown or already settled)",
                s.lease_id
            )));
        };
        self.spent += s.spent;
        let next = match s.next_tranche {
            Some(want) => match self.grant(want) {
                Ok(lease) => Some(lease),
                Err(e) if e.kind() == ErrorKind::BudgetExceeded => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let receipt = StoredReceipt {
            returned: (amount - s.spent).max(0),
            next,
        };
        self.receipts
            .insert(s.idempotency_key.clone(), receipt.clone());
        Ok(receipt)
    }

    fn validate(&self) -> std::result::Result<(), String> {
        if self.version != FORMAT_VERSION {
            return Err(format!("unsupported version {}", self.version));
        }
        if self.spent < 0 || self.leases.values().any(|&a| a <= 0) {
            return Err("negative spend or non-positive lease amount".into());
        }
        Ok(())
    }
}

/// In-process budget authority. Tranche = `min(want, remaining)`; leases do
/// not expire.
#[derive(Debug)]
pub struct LocalAuthority {
    state: Mutex<State>,
    path: Option<PathBuf>,
}

impl LocalAuthority {
    /// In memory. A negative budget counts as 0.
    pub fn new(budget: Micros) -> Self {
        Self {
            state: Mutex::new(State::new(budget.max(0))),
            path: None,
        }
    }

    /// Same, persisted to a JSON file (atomic write via temp file + rename,
    /// mode 0600) so a restarted process continues with what it spent.
    /// Creates the file if missing; `budget` replaces the stored budget (an
    /// admin may raise or lower it). `Err(InvalidConfig)` on a corrupt file.
    pub fn persistent(path: impl Into<PathBuf>, budget: Micros) -> Result<Self> {
        let path = path.into();
        if budget < 0 {
            return Err(Error::invalid_config(format!(
                "the budget must be >= 0, got {budget} micro-USD"
            )));
        }
        let mut state = match std::fs::read(&path) {
            Ok(bytes) => load(&path, &bytes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::new(budget),
            Err(e) => {
                return Err(Error::invalid_config(format!(
                    "cannot read budget state file {}",
                    path.display()
                ))
                .with_source(e));
            }
        };
        state.budget = budget;
        write_atomic(&path, &state).map_err(|e| {
            Error::invalid_config(format!("cannot write budget state file {}", path.display()))
                .with_source(e)
        })?;
        Ok(Self {
            state: Mutex::new(state),
            path: Some(path),
        })
    }

    /// `budget - spent - outstanding`; negative after an overrun.
    pub fn remaining(&self) -> Micros {
        self.lock().remaining()
    }

    /// Spend settled so far, overruns included.
    pub fn spent(&self) -> Micros {
        self.lock().spent
    }

    /// Granted to leases not yet settled.
    pub fn outstanding(&self) -> Micros {
        self.lock().outstanding()
    }

    pub fn budget(&self) -> Micros {
        self.lock().budget
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies `change` and persists it; the in-memory state moves only if
    /// the file was written, so memory and disk never disagree.
    fn update<T>(&self, change: impl FnOnce(&mut State) -> Result<T>) -> Result<T> {
        let mut state = self.lock();
        let Some(path) = &self.path else {
            return change(&mut state);
        };
        let mut draft = state.clone();
        let out = change(&mut draft)?;
        // Unavailable (retryable): a settle retried with the same key is safe.
        write_atomic(path, &draft).map_err(|e| {
            Error::new(
                ErrorKind::Unavailable,
                format!("cannot write budget state file {}", path.display()),
            )
            .with_source(e)
        })?;
        *state = draft;
        Ok(out)
    }
}

#[async_trait::async_trait]
impl BudgetAuthority for LocalAuthority {
    async fn grant(&self, want: Micros) -> Result<Lease> {
        let lease = self.update(|state| state.grant(want))?;
        Ok(to_lease(lease))
    }

    async fn settle(&self, settlement: Settlement) -> Result<SettleReceipt> {
        let receipt = self.update(|state| state.settle(&settlement))?;
        Ok(SettleReceipt {
            returned: receipt.returned,
            next: receipt.next.map(to_lease),
        })
    }
}

fn to_lease(lease: StoredLease) -> Lease {
    Lease {
        id: lease.id,
        amount: lease.amount,
        expires_at: None,
    }
}

fn load(path: &Path, bytes: &[u8]) -> Result<State> {
    let corrupt = |why: String| {
        Error::invalid_config(format!(
            "budget state file {} is corrupt ({why}); restore it from a backup, \
             or delete it to start again from zero spend",
            path.display()
        ))
    };
    let state: State = serde_json::from_slice(bytes).map_err(|e| corrupt(e.to_string()))?;
    state.validate().map_err(corrupt)?;
    Ok(state)
}

/// Writes to a temp file in the same directory, syncs it, then renames it
/// over `path`: a crash leaves either the old or the new state, never half.
fn write_atomic(path: &Path, state: &State) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "budget".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let json = serde_json::to_vec_pretty(state)?;
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return written;
    }
    // Makes the rename itself durable; best effort where directories cannot
    // be opened (Windows).
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
