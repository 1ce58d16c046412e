//! `chiso batch`: stream units in, rank, write every node's score.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `chiso batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Index definition.
    pub index: PathBuf,
    /// Units: CSV (`unit`, optional `block`, one column per leaf code) or JSON lines.
    pub units: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: crate::Format,
}

/// Runs the batch command.
pub fn run(_args: &BatchArgs, _lang: chiso::Lang) -> ExitCode {
    eprintln!("batch: not implemented yet");
    ExitCode::from(1)
}
