//! The `iron` command line: `iron serve` and the admin commands.

use clap::{Parser, Subcommand};

use crate::config::ServeConfig;

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

#[derive(Subcommand)]
pub enum Command {
    /// Run the control plane (REST API).
    Serve(ServeConfig),
}
