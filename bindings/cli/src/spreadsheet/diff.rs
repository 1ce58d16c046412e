//! `chiso diff <old-index> <new-index>`: what changed between two criteria sets.

use crate::commands::{load_index, out_exit, report, INVALID};
use crate::report::new_table;
use crate::Format;
use chiso::diff::{diff, IndexDiff};
use chiso::Lang;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `chiso diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old criteria set.
    pub old: PathBuf,
    /// The new criteria set.
    pub new: PathBuf,
    /// Output: table or json.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// The readable table of a diff.
pub fn table(d: &IndexDiff, lang: Lang) -> String {
    let mut t = new_table(match lang {
        Lang::Vi => vec!["Thay đổi", "Mã", "Tiêu chí", "Cũ", "Mới"],
        Lang::En => vec!["Change", "Code", "Criterion", "Old", "New"],
    });
    for c in &d.changes {
        let code = match &c.new_code {
            Some(n) => format!("{} → {n}", c.code),
            None => c.code.clone(),
        };
        t.add_row(vec![
            c.kind.label(lang).to_owned(),
            code,
            c.title.clone(),
            c.old.clone().unwrap_or_default(),
            c.new.clone().unwrap_or_default(),
        ]);
    }
    let head = match lang {
        Lang::Vi => format!(
            "{} ({}) → {} ({}): {} thay đổi",
            d.old_id,
            d.old_version,
            d.new_id,
            d.new_version,
            d.changes.len()
        ),
        Lang::En => format!(
            "{} ({}) → {} ({}): {} changes",
            d.old_id,
            d.old_version,
            d.new_id,
            d.new_version,
            d.changes.len()
        ),
    };
    format!("{head}\n{t}\n")
}

/// Runs `chiso diff`.
pub fn run(a: &DiffArgs, lang: Lang) -> ExitCode {
    let load = |p: &PathBuf| match load_index(p) {
        Ok((i, _)) => Ok(i),
        Err(d) => {
            report(&d, lang);
            Err(())
        }
    };
    let (Ok(old), Ok(new)) = (load(&a.old), load(&a.new)) else {
        return ExitCode::from(INVALID);
    };
    let d = diff(old.definition(), new.definition());
    match a.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&d).unwrap_or_default();
            s.push('\n');
            out_exit(&s, lang)
        }
        _ => out_exit(&table(&d, lang), lang),
    }
}
