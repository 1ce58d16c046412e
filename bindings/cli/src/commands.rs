//! validate, score, explain, schema (dispatched by `main`), and what every command
//! shares: loading, writing stdout, threads, reporting.

use crate::Format;
use chiso::assessment::Assessment;
use chiso::{Diagnostics, Index, Lang, View};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Exit code for invalid input.
pub(crate) const INVALID: u8 = 1;
/// Exit code for a usage error.
pub(crate) const USAGE: u8 = 2;

/// Writes `text` to stdout. A closed pipe (`chiso score … | head`) is not an error; any
/// other failure (a full disk, `> /dev/full`) is a [`chiso::Problem::CannotWrite`].
pub(crate) fn out(text: &str) -> Result<(), Diagnostics> {
    crate::output::stdout(text.as_bytes())
}

/// [`out`] at the end of a command: success, or the failure on stderr and exit code 1.
pub(crate) fn out_exit(text: &str, lang: Lang) -> ExitCode {
    match out(text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => crate::output::failed(&d, lang),
    }
}

/// The worker threads of a command: `requested`, else `default`, at least 1 and at most
/// [`chiso::limits::max_threads`]. More than that is reduced with a warning on stderr:
/// results never depend on the thread count, and more threads than cores only cost
/// memory (100,000 of them exhaust the process).
pub(crate) fn threads(requested: Option<usize>, default: usize, lang: Lang) -> usize {
    let max = chiso::limits::max_threads();
    match requested {
        Some(n) if n > max => {
            // The machine's figure is not printed: messages stay the same on every machine.
            let mut err = std::io::stderr().lock();
            let _ = writeln!(
                err,
                "{}",
                match lang {
                    Lang::Vi => format!(
                        "cảnh báo: --threads {n} nhiều hơn số luồng máy này chạy đồng thời được; chỉ dùng chừng ấy luồng (kết quả không đổi)"
                    ),
                    Lang::En => format!(
                        "warning: --threads {n} is more than this machine can run at once; using as many as it can (the results are the same)"
                    ),
                }
            );
            max
        }
        Some(n) => n.max(1),
        None => chiso::limits::threads(default),
    }
}

/// Writes every diagnostic on stderr, one per line.
pub(crate) fn report(d: &Diagnostics, lang: Lang) {
    if d.is_empty() {
        return;
    }
    let stderr = std::io::stderr();
    let mut lock = stderr.lock();
    for x in &d.0 {
        match x.file.as_deref() {
            Some(f) if f == crate::output::STDOUT => {
                let mut x = x.clone();
                x.file = Some(crate::output::shown(f, lang).to_owned());
                let _ = writeln!(lock, "{}", x.message(lang));
            }
            _ => {
                let _ = writeln!(lock, "{}", x.message(lang));
            }
        }
    }
}

fn file_name(path: &Path) -> String {
    path.display().to_string()
}

/// Reads, parses and validates an index; on success its warnings carry the file name.
pub(crate) fn load_index(path: &Path) -> Result<(Index, Diagnostics), Diagnostics> {
    let index = Index::from_file(path)?;
    let warnings = index.warnings().clone().in_file(&file_name(path));
    Ok((index, warnings))
}

/// Reads and parses an assessment; diagnostics carry the file name.
pub(crate) fn load_assessment(path: &Path) -> Result<Assessment, Diagnostics> {
    let text = chiso::load::read_file(path)?;
    chiso::load::assessment(&text).map_err(|d| d.in_file(&file_name(path)))
}

/// [`load_index`] for a command: reports the warnings, or reports the errors and gives the
/// exit code.
pub(crate) fn index_or_exit(path: &Path, lang: Lang) -> Result<Index, ExitCode> {
    match load_index(path) {
        Ok((index, warnings)) => {
            report(&warnings, lang);
            Ok(index)
        }
        Err(d) => {
            report(&d, lang);
            Err(ExitCode::from(INVALID))
        }
    }
}

/// [`load_assessment`] for a command: on failure reports the errors and gives the exit code.
pub(crate) fn assessment_or_exit(path: &Path, lang: Lang) -> Result<Assessment, ExitCode> {
    load_assessment(path).map_err(|d| {
        report(&d, lang);
        ExitCode::from(INVALID)
    })
}

fn counts(d: &Diagnostics) -> (usize, usize) {
    (d.errors().count(), d.warnings().count())
}

fn tally(errors: usize, warnings: usize, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{errors} lỗi, {warnings} cảnh báo"),
        Lang::En => format!(
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ),
    }
}

pub(crate) fn validate(
    index_path: &Path,
    assessments: &[std::path::PathBuf],
    lang: Lang,
) -> ExitCode {
    let mut summary = String::new();
    let mut failed = false;
    let index = match load_index(index_path) {
        Ok((index, warnings)) => {
            report(&warnings, lang);
            let leaves = index.leaves().count();
            let nodes = index.nodes().len().saturating_sub(1);
            let def = index.definition();
            summary.push_str(&match lang {
                Lang::Vi => format!(
                    "OK {}: bộ chỉ số \"{}\" phiên bản {}, {nodes} tiêu chí ({leaves} tiêu chí chấm điểm trực tiếp); {}\n",
                    file_name(index_path),
                    def.id,
                    def.version,
                    tally(0, warnings.len(), lang)
                ),
                Lang::En => format!(
                    "OK {}: index \"{}\" version {}, {} ({leaves} scored directly); {}\n",
                    file_name(index_path),
                    def.id,
                    def.version,
                    crate::report::count_en(nodes as u64, "criterion", "criteria"),
                    tally(0, warnings.len(), lang)
                ),
            });
            Some(index)
        }
        Err(d) => {
            report(&d, lang);
            let (e, w) = counts(&d);
            eprintln!("{}: {}", file_name(index_path), tally(e, w, lang));
            failed = true;
            None
        }
    };
    for a_path in assessments {
        let Some(index) = &index else {
            eprintln!(
                "{}: {}",
                file_name(a_path),
                match lang {
                    Lang::Vi => "chưa kiểm tra được vì bộ chỉ số có lỗi",
                    Lang::En => "not checked because the index has errors",
                }
            );
            continue;
        };
        let d = match load_assessment(a_path) {
            Ok(a) => index.check_assessment(&a).in_file(&file_name(a_path)),
            Err(d) => d,
        };
        report(&d, lang);
        let (e, w) = counts(&d);
        if e > 0 {
            failed = true;
            eprintln!("{}: {}", file_name(a_path), tally(e, w, lang));
        } else {
            summary.push_str(&format!(
                "OK {}: {}\n",
                file_name(a_path),
                tally(0, w, lang)
            ));
        }
    }
    if let Err(d) = out(&summary) {
        return crate::output::failed(&d, lang);
    }
    if failed {
        ExitCode::from(INVALID)
    } else {
        ExitCode::SUCCESS
    }
}

/// Loads the index and the assessment and scores; on failure reports and returns the exit code.
fn load_and_score(
    index_path: &Path,
    a_path: &Path,
    view: View,
    lang: Lang,
) -> Result<(Index, Assessment, chiso::ScoreResult), ExitCode> {
    let index = index_or_exit(index_path, lang)?;
    let a = assessment_or_exit(a_path, lang)?;
    match index.score(&a, view) {
        Ok(r) => {
            report(&r.diagnostics.clone().in_file(&file_name(a_path)), lang);
            Ok((index, a, r))
        }
        Err(d) => {
            report(&d.in_file(&file_name(a_path)), lang);
            Err(ExitCode::from(INVALID))
        }
    }
}

pub(crate) fn score(
    index_path: &Path,
    a_path: &Path,
    format: Format,
    view: View,
    lang: Lang,
) -> ExitCode {
    let (index, _, result) = match load_and_score(index_path, a_path, view, lang) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let text = match format {
        Format::Table => crate::report::table(&index, &result, lang),
        Format::Md => crate::report::markdown(&index, &result, lang),
        Format::Csv => match crate::report::csv(&index, &result, lang) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("csv: {e}");
                return ExitCode::from(INVALID);
            }
        },
        Format::Json => match serde_json::to_string_pretty(&result) {
            Ok(mut s) => {
                s.push('\n');
                s
            }
            Err(e) => {
                eprintln!("json: {e}");
                return ExitCode::from(INVALID);
            }
        },
    };
    out_exit(&text, lang)
}

pub(crate) fn explain(index_path: &Path, a_path: &Path, code: &str, lang: Lang) -> ExitCode {
    let (index, a, result) = match load_and_score(index_path, a_path, View::Final, lang) {
        Ok(x) => x,
        Err(code) => return code,
    };
    match crate::explain::explain(&index, &a, &result, code, lang) {
        Some(text) => out_exit(&text, lang),
        None => {
            match lang {
                Lang::Vi => eprintln!(
                    "{}: không có tiêu chí nào mang mã \"{code}\" trong bộ chỉ số",
                    file_name(index_path)
                ),
                Lang::En => eprintln!(
                    "{}: the index has no criterion with code \"{code}\"",
                    file_name(index_path)
                ),
            }
            ExitCode::from(INVALID)
        }
    }
}

pub(crate) fn schema(document: &str, lang: Lang) -> ExitCode {
    match chiso::schema::Document::parse(document) {
        Some(doc) => out_exit(&chiso::schema::schema_json(doc), lang),
        None => {
            let names: Vec<&str> = chiso::schema::Document::ALL
                .iter()
                .map(|d| d.name())
                .collect();
            let names = names.join(", ");
            let document = document.escape_debug();
            match lang {
                Lang::Vi => eprintln!(
                    "lỗi: không có lược đồ cho loại tài liệu \"{document}\" (các loại có: {names})"
                ),
                Lang::En => eprintln!(
                    "error: no schema for a document called \"{document}\" (the documents are: {names})"
                ),
            }
            ExitCode::from(USAGE)
        }
    }
}
