//! `chiso`: validate, score, explain and batch-score assessments against index definitions.
//!
//! Exit codes: 0 ok, 1 invalid input (reasons on stderr), 2 usage.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

mod batch;
mod commands;
mod explain;
mod output;
mod plan;
mod records;
mod report;
mod sensitivity;
mod spreadsheet;
mod survey;
mod whatif;

/// Exact scoring of Vietnam's public-administration indices.
#[derive(Debug, Parser)]
#[command(name = "chiso", version, about)]
pub struct Cli {
    /// Language of messages and labels.
    #[arg(long, global = true, default_value = "vi")]
    pub lang: chiso::Lang,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable table.
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
    /// Markdown table.
    Md,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check an index file and, optionally, assessments against it.
    Validate {
        /// Index definition (JSON file).
        index: PathBuf,
        /// Assessment files.
        assessments: Vec<PathBuf>,
    },
    /// Score one assessment.
    #[command(after_help = report::FORMATS_HELP)]
    Score {
        /// Index definition.
        index: PathBuf,
        /// Assessment file.
        assessment: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Which layers to show as achieved: self, appraised or final.
        #[arg(long, default_value = "final")]
        layer: chiso::View,
    },
    /// Explain the points of one criterion.
    Explain {
        /// Index definition.
        index: PathBuf,
        /// Assessment file.
        assessment: PathBuf,
        /// Criterion code, e.g. 1.1.4.
        code: String,
    },
    /// Print a JSON Schema: index, assessment or result.
    Schema {
        /// Which document.
        document: String,
    },
    /// Score many units (CSV or JSON lines), rank them and print every node.
    Batch(batch::BatchArgs),
    /// Rank intervals under uncertain weights, inputs and aggregations; sensitivity indices.
    Sensitivity(sensitivity::SensitivityArgs),
    /// What-if: apply scenario files to an assessment or a batch and compare with the baseline.
    Whatif(whatif::WhatIfArgs),
    /// What does it take: the least-cost improvements reaching a percent, total, band or rank.
    Plan(plan::PlanArgs),
    /// Turn a criteria table (.xlsx or .csv) into an index definition.
    Import(spreadsheet::import::ImportArgs),
    /// Write a fill-in form (.xlsx) for an index; it reads back with read-form and import.
    ExportTemplate(spreadsheet::export::ExportArgs),
    /// Read a filled form (.xlsx) into an assessment.
    ReadForm(spreadsheet::export::ReadFormArgs),
    /// Score sheets in the official Excel layout, one sheet per unit, and a ranking.
    Sheet(spreadsheet::sheet::SheetArgs),
    /// What changed between two criteria sets.
    Diff(spreadsheet::diff::DiffArgs),
    /// Dossier records (CSV, JSON lines, .xlsx) → QĐ 766 indicators per unit and period.
    Records(records::RecordsArgs),
    /// SIPAS from answer sheets: satisfaction per item, block, component and unit, with intervals.
    Survey(survey::SurveyArgs),
}

/// The `--lang` of the command line when it could not be parsed whole (Vietnamese unless
/// `--lang en` or `--lang=en` is given).
fn requested_lang() -> chiso::Lang {
    let args: Vec<String> = std::env::args().collect();
    let en = args.iter().any(|a| a == "--lang=en")
        || args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en");
    if en {
        chiso::Lang::En
    } else {
        chiso::Lang::Vi
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use std::io::IsTerminal;
            if e.use_stderr() || std::io::stdout().is_terminal() {
                let _ = e.print();
                return if e.use_stderr() {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
            // --help and --version: their text is the output, and failing to write it
            // (`chiso --help > /dev/full`) is an error like any other output's.
            return match output::stdout(e.render().to_string().as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => output::failed(&d, requested_lang()),
            };
        }
    };
    match cli.command {
        Command::Batch(ref args) => batch::run(args, cli.lang),
        Command::Sensitivity(ref a) => sensitivity::run(a, cli.lang),
        Command::Whatif(ref a) => whatif::run(a, cli.lang),
        Command::Plan(ref a) => plan::run(a, cli.lang),
        Command::Import(ref a) => spreadsheet::import::run(a, cli.lang),
        Command::ExportTemplate(ref a) => spreadsheet::export::run_export(a, cli.lang),
        Command::ReadForm(ref a) => spreadsheet::export::run_read(a, cli.lang),
        Command::Sheet(ref a) => spreadsheet::sheet::run(a, cli.lang),
        Command::Diff(ref a) => spreadsheet::diff::run(a, cli.lang),
        Command::Records(ref a) => records::run(a, cli.lang),
        Command::Survey(ref a) => survey::run(a, cli.lang),
        Command::Validate {
            ref index,
            ref assessments,
        } => commands::validate(index, assessments, cli.lang),
        Command::Score {
            ref index,
            ref assessment,
            format,
            layer,
        } => commands::score(index, assessment, format, layer, cli.lang),
        Command::Explain {
            ref index,
            ref assessment,
            ref code,
        } => commands::explain(index, assessment, code, cli.lang),
        Command::Schema { ref document } => commands::schema(document, cli.lang),
    }
}
