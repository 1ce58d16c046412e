//! validate, score, explain, schema.

use std::process::ExitCode;

/// Runs every subcommand but `batch`.
pub fn run(_cli: &crate::Cli) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(1)
}
