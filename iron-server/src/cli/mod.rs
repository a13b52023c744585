//! The `iron` command line: `iron serve`, and admin commands that talk to
//! the REST API with a stored login.

mod client;
mod commands;
mod rekey;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::ServeConfig;

pub use commands::run;

#[derive(Parser)]
#[command(
    name = "iron",
    version,
    about = "Iron Cage control plane and admin CLI"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone)]
pub struct Global {
    /// Server URL; defaults to the one stored by `iron login`.
    #[arg(long, env = "IRON_SERVER", global = true)]
    pub server: Option<String>,
    /// Print the API's JSON instead of text, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the control plane (REST API).
    Serve(ServeConfig),
    /// Sign in and store the session for the other commands.
    Login {
        #[command(flatten)]
        global: Global,
        #[arg(long)]
        email: String,
        /// Read from `IRON_PASSWORD`, else from the first line of stdin.
        #[arg(long, env = "IRON_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// End the stored session.
    Logout {
        #[command(flatten)]
        global: Global,
    },
    /// Projects and their budgets.
    Projects {
        #[command(flatten)]
        global: Global,
        #[command(subcommand)]
        action: ProjectAction,
    },
    /// IC keys for the SDK.
    Keys {
        #[command(flatten)]
        global: Global,
        #[command(subcommand)]
        action: KeyAction,
    },
    /// Provider credentials of a project.
    Vault {
        #[command(flatten)]
        global: Global,
        #[command(subcommand)]
        action: VaultAction,
    },
    /// Team members and roles.
    Users {
        #[command(flatten)]
        global: Global,
        #[command(subcommand)]
        action: UserAction,
    },
    /// Budget requests.
    Budget {
        #[command(flatten)]
        global: Global,
        #[command(subcommand)]
        action: BudgetAction,
    },
    /// The budget ledger (runs against the database directly).
    Ledger {
        #[command(subcommand)]
        action: LedgerAction,
    },
    /// The audit trail.
    Audit {
        #[command(flatten)]
        global: Global,
        #[command(subcommand)]
        action: AuditAction,
    },
}

#[derive(Subcommand)]
pub enum ProjectAction {
    Create {
        #[arg(long)]
        name: String,
        /// USD, e.g. 500 or 12.50
        #[arg(long)]
        budget: String,
        /// none, daily, weekly or monthly
        #[arg(long, default_value = "none")]
        period: String,
    },
    List,
    Show {
        project_id: String,
    },
    Pause {
        project_id: String,
    },
    Resume {
        project_id: String,
    },
    Archive {
        project_id: String,
    },
}

#[derive(Subcommand)]
pub enum KeyAction {
    /// Prints the new key once; store it now.
    Create {
        #[arg(long)]
        project: String,
        #[arg(long)]
        name: String,
        /// User id of the developer; default: you.
        #[arg(long)]
        owner: Option<String>,
        /// Spend limit in USD.
        #[arg(long)]
        limit: Option<String>,
        /// CIDR allowed to use the key; repeatable.
        #[arg(long = "allow-ip")]
        allow_ip: Vec<String>,
        /// ISO-8601 expiry.
        #[arg(long)]
        expires: Option<String>,
    },
    List {
        #[arg(long)]
        project: Option<String>,
    },
    Revoke {
        key_id: String,
    },
    Suspend {
        key_id: String,
    },
    Resume {
        key_id: String,
    },
}

#[derive(Subcommand)]
pub enum VaultAction {
    /// Reads the provider key from the first line of stdin (never from argv).
    Add {
        #[arg(long)]
        project: String,
        #[arg(long)]
        provider: String,
        #[arg(long)]
        label: Option<String>,
    },
    List {
        #[arg(long)]
        project: String,
    },
    /// Reads the new provider key from the first line of stdin.
    Rotate {
        #[arg(long)]
        project: String,
        provider_id: String,
    },
    Remove {
        #[arg(long)]
        project: String,
        provider_id: String,
    },
    Test {
        #[arg(long)]
        project: String,
        provider_id: String,
    },
    /// Re-encrypt every secret under a new master key (offline, against the database).
    Rekey(rekey::RekeyArgs),
}

#[derive(Subcommand)]
pub enum UserAction {
    /// Prints an invitation token for the new user's registration.
    Invite {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "developer")]
        role: String,
    },
    List,
    Remove {
        user_id: String,
    },
    Role {
        user_id: String,
        role: String,
    },
}

#[derive(Subcommand)]
pub enum BudgetAction {
    Request {
        #[arg(long)]
        project: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reason: String,
    },
    List {
        #[arg(long)]
        status: Option<String>,
    },
    Approve {
        request_id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    Deny {
        request_id: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum LedgerAction {
    /// Verifies the ledger invariants; prints a JSON report and exits 5 on
    /// any imbalance.
    Check {
        #[arg(long, env = "IRON_DATABASE_URL", default_value = "iron.db")]
        database_url: String,
    },
}

#[derive(Subcommand)]
pub enum AuditAction {
    List {
        #[arg(long)]
        action: Option<String>,
        #[arg(long)]
        target: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Checks the HMAC chain; exits 4 and names the record when it is broken.
    Verify,
}

/// Where `iron login` keeps the session: `$IRON_CONFIG_DIR`, else
/// `$XDG_CONFIG_HOME/iron`, else `~/.config/iron`.
pub fn config_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("IRON_CONFIG_DIR") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("iron")
}
