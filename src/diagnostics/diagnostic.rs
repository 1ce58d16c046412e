//! One located problem ([`Diagnostic`]) and a set of them ([`Diagnostics`]).

use super::{Location, Problem};
use crate::text::Lang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The input cannot be used until this is fixed.
    Error,
    /// The input is usable, but something looks wrong.
    Warning,
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File the problem is in, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// JSON path of the offending value, e.g. `$.nodes[0].children[3].rule.tiers[1]`;
    /// for a problem in a table, its [`Location`] in English (`row 12, column "X"`),
    /// and `$` for the file as a whole.
    pub path: String,
    /// Where the problem is, when it is not (only) a JSON path: a row and column of a
    /// table, a spreadsheet cell, the whole file. Messages render it in their language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Criterion code the problem concerns, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What is wrong (stable tag in `type`).
    pub problem: Problem,
}

impl Diagnostic {
    /// An error at `path`.
    pub fn error(path: impl Into<String>, code: Option<&str>, problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            path: path.into(),
            location: None,
            code: code.map(str::to_owned),
            problem,
        }
    }

    /// An error at `location` (its `path` is [`Location::path`]).
    ///
    /// ```
    /// use chiso::diagnostics::Location;
    /// use chiso::{Diagnostic, Lang, Problem};
    /// let d = Diagnostic::error_at(Location::row(4).column("Điểm"), None, Problem::StepNotPositive);
    /// assert_eq!(d.path, "row 4, column \"Điểm\"");
    /// assert!(d.message(Lang::Vi).starts_with("lỗi tại dòng 4, cột \"Điểm\": "));
    /// ```
    pub fn error_at(location: Location, code: Option<&str>, problem: Problem) -> Self {
        Diagnostic {
            location: Some(location.clone()),
            ..Self::error(location.path(), code, problem)
        }
    }

    /// A warning at `location`.
    pub fn warning_at(location: Location, code: Option<&str>, problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error_at(location, code, problem)
        }
    }

    /// Where the problem is: its [`Location`], else its JSON path.
    pub fn located(&self) -> Location {
        self.location
            .clone()
            .unwrap_or_else(|| Location::json(self.path.clone()))
    }

    /// A warning at `path`.
    pub fn warning(path: impl Into<String>, code: Option<&str>, problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(path, code, problem)
        }
    }

    /// Sets the file name.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Full message in `lang`: location, criterion and explanation.
    pub fn message(&self, lang: Lang) -> String {
        let sev = match (self.severity, lang) {
            (Severity::Error, Lang::Vi) => "lỗi",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Vi) => "cảnh báo",
            (Severity::Warning, Lang::En) => "warning",
        };
        let mut out = String::new();
        if let Some(f) = &self.file {
            out.push_str(f);
            out.push_str(": ");
        }
        out.push_str(sev);
        match &self.location {
            // "data.csv: lỗi: …" rather than a JSON-path `$` for a table file as a whole.
            Some(l) if l.is_whole_file() => {}
            Some(l) => {
                out.push_str(lang.pick(" tại ", " at "));
                out.push_str(&l.render(lang));
            }
            None => {
                out.push_str(lang.pick(" tại ", " at "));
                out.push_str(&self.path);
            }
        }
        if let Some(c) = &self.code {
            match lang {
                Lang::Vi => out.push_str(&format!(" (tiêu chí {c})")),
                Lang::En => out.push_str(&format!(" (criterion {c})")),
            }
        }
        out.push_str(": ");
        out.push_str(&self.problem.message(lang));
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// A set of diagnostics (all problems found, not just the first).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
    /// Only the errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }
    /// Only the warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }
    /// Sets the file on every diagnostic that has none.
    pub fn in_file(mut self, file: &str) -> Self {
        for d in &mut self.0 {
            if d.file.is_none() {
                d.file = Some(file.to_owned());
            }
        }
        self
    }
    /// All messages in `lang`, one per line.
    pub fn render(&self, lang: Lang) -> String {
        self.0
            .iter()
            .map(|d| d.message(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Diagnostics {}
