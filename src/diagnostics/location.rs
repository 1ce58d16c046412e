//! [`Location`]: where a problem is, in the words of the file it is in: a JSON path, a
//! row and column of a table (with the record's key), a spreadsheet cell, or the file
//! as a whole. Rendered in the language of the message it belongs to.

use crate::text::Lang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a problem is (built and rendered as [`Location::render`] shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Location {
    /// The file as a whole (its encoding, its size, its header as a whole).
    File,
    /// A value of a JSON document.
    Json {
        /// JSON path, e.g. `$.nodes[0].children[3].rule.tiers[1]`.
        path: String,
    },
    /// A row of a table file (CSV, JSON lines, a sheet of a workbook), and optionally a
    /// column and the key of the record on that row.
    Row {
        /// Row number: header = row 1 (JSON lines: the line number); 0 for no one row
        /// (a column of the whole table).
        row: u64,
        /// A second row the problem concerns (a duplicate names both, first the earlier).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        and_row: Option<u64>,
        /// Column name (JSON lines: the key), as written in the file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        column: Option<String>,
        /// The record's key on that row, e.g. `MaHoSo "H21.17-0001"`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<RecordKey>,
    },
    /// A cell (or a row, `3:3`) of a spreadsheet, written `'Phụ lục'!C3`.
    Cell {
        /// Sheet name.
        sheet: String,
        /// Cell reference, e.g. `C3` (a whole row: `3:3`).
        cell: String,
    },
}

/// The key naming a record in a table: the column it comes from and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecordKey {
    /// Column of the key, e.g. `MaHoSo`, `SoQuyetDinhBo`, `respondent`.
    pub name: String,
    /// The key's value, escaped for messages as shown.
    pub value: String,
}

impl Location {
    /// A value of a JSON document at `path`.
    pub fn json(path: impl Into<String>) -> Self {
        Location::Json { path: path.into() }
    }

    /// Row `row` of a table (header = row 1; 0 for no one row).
    pub fn row(row: u64) -> Self {
        Location::Row {
            row,
            and_row: None,
            column: None,
            key: None,
        }
    }

    /// A cell of a spreadsheet.
    pub fn cell(sheet: impl Into<String>, cell: impl Into<String>) -> Self {
        Location::Cell {
            sheet: sheet.into(),
            cell: cell.into(),
        }
    }

    /// The same row location with a second row (no effect on other locations).
    pub fn and_row(mut self, other: u64) -> Self {
        if let Location::Row { and_row, .. } = &mut self {
            *and_row = Some(other);
        }
        self
    }

    /// The same row location in `name`'s column (no effect on other locations).
    pub fn column(mut self, name: impl Into<String>) -> Self {
        if let Location::Row { column, .. } = &mut self {
            *column = Some(name.into());
        }
        self
    }

    /// The same row location naming the record by its key, e.g. `("MaHoSo", "H21-1")`;
    /// an empty value names nothing (no effect on other locations).
    pub fn key(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let value = value.into();
        if let (Location::Row { key, .. }, false) = (&mut self, value.is_empty()) {
            *key = Some(RecordKey {
                name: name.into(),
                value,
            });
        }
        self
    }

    /// Whether this names the file as a whole (also a row location naming nothing).
    pub fn is_whole_file(&self) -> bool {
        match self {
            Location::File => true,
            Location::Row {
                row, column, key, ..
            } => *row == 0 && column.is_none() && key.is_none(),
            Location::Json { .. } | Location::Cell { .. } => false,
        }
    }

    /// The location in `lang`: `dòng 12, cột "NgayHenTra", MaHoSo "…"` /
    /// `row 12, column "NgayHenTra", MaHoSo "…"`, `'Phụ lục'!C3`, a JSON path, or
    /// `cả tệp` / `the whole file`.
    ///
    /// ```
    /// use chiso::diagnostics::Location;
    /// use chiso::Lang;
    /// let at = Location::row(12).column("NgayHenTra").key("MaHoSo", "H21.17-0001");
    /// assert_eq!(at.render(Lang::Vi), "dòng 12, cột \"NgayHenTra\", MaHoSo \"H21.17-0001\"");
    /// assert_eq!(at.render(Lang::En), "row 12, column \"NgayHenTra\", MaHoSo \"H21.17-0001\"");
    /// assert_eq!(Location::cell("Phụ lục", "C3").render(Lang::Vi), "'Phụ lục'!C3");
    /// assert_eq!(Location::json("$.nodes[0]").path(), "$.nodes[0]");
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        if self.is_whole_file() {
            return lang.pick("cả tệp", "the whole file").to_owned();
        }
        match self {
            Location::Json { path } => path.clone(),
            Location::Cell { sheet, cell } => format!("{}!{cell}", sheet_name(sheet)),
            Location::Row {
                row,
                and_row,
                column,
                key,
            } => {
                let mut parts = Vec::with_capacity(3);
                match (row, and_row) {
                    (0, _) => {}
                    (r, Some(a)) => parts.push(match lang {
                        Lang::Vi => format!("dòng {r} và {a}"),
                        Lang::En => format!("rows {r} and {a}"),
                    }),
                    (r, None) => parts.push(format!("{} {r}", lang.pick("dòng", "row"))),
                }
                if let Some(c) = column {
                    parts.push(format!("{} \"{c}\"", lang.pick("cột", "column")));
                }
                if let Some(k) = key {
                    parts.push(format!("{} \"{}\"", k.name, k.value));
                }
                parts.join(", ")
            }
            Location::File => String::new(),
        }
    }

    /// The location as the `path` string of a [`Diagnostic`](super::Diagnostic): the
    /// JSON path, `$` for the whole file, otherwise the English rendering.
    pub fn path(&self) -> String {
        match self {
            Location::Json { path } => path.clone(),
            _ if self.is_whole_file() => "$".to_owned(),
            _ => self.render(Lang::En),
        }
    }
}

impl From<&str> for Location {
    /// A JSON path; `$` is the whole file.
    fn from(path: &str) -> Self {
        match path {
            "$" => Location::File,
            p => Location::json(p),
        }
    }
}

impl From<String> for Location {
    /// A JSON path; `$` is the whole file.
    fn from(path: String) -> Self {
        Location::from(path.as_str())
    }
}

/// A sheet name as chiso writes it in a reference: always quoted (`'Phụ lục'`, `'bang'`),
/// a `'` in the name doubled, as spreadsheets write it.
fn sheet_name(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_render_in_each_language() {
        let dup = Location::row(7).and_row(8).column("MaHoSo");
        assert_eq!(dup.render(Lang::Vi), "dòng 7 và 8, cột \"MaHoSo\"");
        assert_eq!(dup.render(Lang::En), "rows 7 and 8, column \"MaHoSo\"");
        assert_eq!(dup.path(), "rows 7 and 8, column \"MaHoSo\"");
        let col = Location::row(0).column("q1");
        assert_eq!(col.render(Lang::Vi), "cột \"q1\"");
        assert_eq!(Location::row(3).key("MaHoSo", "").path(), "row 3");
    }

    #[test]
    fn whole_file_and_cells() {
        assert!(Location::File.is_whole_file());
        assert!(Location::row(0).is_whole_file());
        assert_eq!(Location::File.path(), "$");
        assert_eq!(Location::File.render(Lang::Vi), "cả tệp");
        assert_eq!(
            Location::cell("Sheet1", "B2").render(Lang::En),
            "'Sheet1'!B2"
        );
        assert_eq!(Location::cell("bang", "3:3").path(), "'bang'!3:3");
        assert_eq!(Location::cell("it's", "B2").render(Lang::En), "'it''s'!B2");
        assert_eq!(Location::cell("1a", "B2").path(), "'1a'!B2");
    }

    #[test]
    fn serialises_with_a_kind_tag() {
        let at = Location::row(2).column("X").key("MaHoSo", "B1");
        let v = serde_json::to_value(&at).unwrap();
        assert_eq!(v["kind"], "row");
        assert_eq!(v["key"]["name"], "MaHoSo");
        assert!(v.get("and_row").is_none());
        let back: Location = serde_json::from_value(v).unwrap();
        assert_eq!(back, at);
    }
}
