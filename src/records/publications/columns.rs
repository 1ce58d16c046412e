//! The columns of a publications file: canonical names, the aliases accepted (compared
//! with [`header_key`]: no diacritics, any case, letters and digits only), what each holds,
//! and the table for the README.

use crate::records::header_key;
use serde::Serialize;

/// A column of a publications file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Column {
    /// `SoQuyetDinhBo`: number of the ministry's decision.
    SoQuyetDinhBo,
    /// `NgayQuyetDinhBo`: date of the ministry's decision.
    NgayQuyetDinhBo,
    /// `SoQuyetDinhTinh`: number of the provincial decision.
    SoQuyetDinhTinh,
    /// `NgayQuyetDinhTinh`: date of the provincial decision.
    NgayQuyetDinhTinh,
    /// `LoaiQuyetDinh`: list of TTHC or internal procedure.
    LoaiQuyetDinh,
    /// `NgayHieuLuc`: effective date of the legal basis (portal 1.1).
    NgayHieuLuc,
    /// `NgayCongKhai`: date "công khai" was clicked on the national database (portal 1.2).
    NgayCongKhai,
    /// `MaTTHC`: codes of the TTHC the decision announces (portal 1.1 and 1.2 count TTHC).
    MaTTHC,
}

/// Number of [`Column`]s.
pub const COLUMN_COUNT: usize = 8;

/// What a column holds, for people and for the README table.
#[derive(Debug, Clone, Copy)]
pub struct ColumnInfo {
    /// Canonical name.
    pub name: &'static str,
    /// Other accepted names (compared after folding diacritics, case and punctuation).
    pub aliases: &'static [&'static str],
    /// Whether every file must have it.
    pub required: bool,
    /// Meaning, Vietnamese.
    pub meaning_vi: &'static str,
    /// Meaning, English.
    pub meaning_en: &'static str,
    /// Accepted values, English.
    pub values: &'static str,
}

const DATE: &str = "a date: dd/MM/yyyy, YYYY-MM-DD, yyyyMMdd (a time of day, if any, is ignored)";

/// Columns accepted and ignored (numbering, titles, notes).
pub const IGNORED_COLUMNS: &[&str] = &["STT", "TT", "TrichYeu", "GhiChu", "TenTTHC"];

impl Column {
    /// Every column, in the order of the documentation table.
    pub const ALL: [Column; COLUMN_COUNT] = [
        Column::SoQuyetDinhBo,
        Column::NgayQuyetDinhBo,
        Column::SoQuyetDinhTinh,
        Column::NgayQuyetDinhTinh,
        Column::LoaiQuyetDinh,
        Column::NgayHieuLuc,
        Column::NgayCongKhai,
        Column::MaTTHC,
    ];

    /// Canonical name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Documentation of the column.
    pub fn info(self) -> ColumnInfo {
        let c = |name, aliases, required, meaning_vi, meaning_en, values| ColumnInfo {
            name,
            aliases,
            required,
            meaning_vi,
            meaning_en,
            values,
        };
        match self {
            Column::SoQuyetDinhBo => c("SoQuyetDinhBo", &["Số quyết định của Bộ", "Số QĐ của Bộ", "Số QĐ Bộ", "QuyetDinhBo", "ministry_decision"], true, "Số quyết định công bố TTHC của Bộ", "number of the ministry's decision announcing the TTHC", "text, not empty; with LoaiQuyetDinh, unique in the file"),
            Column::NgayQuyetDinhBo => c("NgayQuyetDinhBo", &["Ngày quyết định của Bộ", "Ngày QĐ của Bộ", "Ngày QĐ Bộ", "ministry_decision_date"], true, "Ngày ban hành quyết định của Bộ", "date of the ministry's decision (the count starts here)", DATE),
            Column::SoQuyetDinhTinh => c("SoQuyetDinhTinh", &["Số quyết định của tỉnh", "Số QĐ của tỉnh", "Số QĐ tỉnh", "Số quyết định", "provincial_decision"], false, "Số quyết định của UBND tỉnh", "number of the provincial decision; empty with NgayQuyetDinhTinh = not yet issued", "text"),
            Column::NgayQuyetDinhTinh => c("NgayQuyetDinhTinh", &["Ngày quyết định của tỉnh", "Ngày QĐ của tỉnh", "Ngày QĐ tỉnh", "Ngày ban hành", "provincial_decision_date"], false, "Ngày ban hành quyết định của tỉnh", "date of the provincial decision; not before NgayQuyetDinhBo", DATE),
            Column::LoaiQuyetDinh => c("LoaiQuyetDinh", &["Loại quyết định", "Loại", "kind"], true, "Loại quyết định: công bố danh mục TTHC (hạn 5 ngày làm việc) hoặc phê duyệt quy trình nội bộ (hạn 10 ngày làm việc)", "kind: the list of TTHC (5 working days) or the internal procedure (10 working days)", "danh mục / công bố / QĐCB / list; quy trình nội bộ / QTNB / internal procedure (with or without diacritics)"),
            Column::NgayHieuLuc => c("NgayHieuLuc", &["Ngày hiệu lực", "Ngày có hiệu lực", "effective_date"], false, "Ngày có hiệu lực của văn bản quy định TTHC", "effective date of the legal basis (portal 1.1); list rows only, judged once the provincial decision is given", DATE),
            Column::NgayCongKhai => c("NgayCongKhai", &["Ngày công khai", "public_date"], false, "Ngày bấm \"công khai\" trên CSDL quốc gia về TTHC", "date \"công khai\" was clicked on the national TTHC database (portal 1.2); list rows with a provincial decision only", DATE),
            Column::MaTTHC => c("MaTTHC", &["Mã TTHC", "tthc_codes"], false, "Mã các TTHC được công bố", "codes of the TTHC announced: 1.1 and 1.2 count each TTHC once per period (a row without codes counts as one)", "codes separated by ';' or ','; JSON: a list of strings"),
        }
    }

    /// The column a header names: the canonical name or an alias, compared after folding
    /// diacritics, case and every character that is not a letter or a digit.
    ///
    /// ```
    /// use chiso::records::publications::Column;
    /// assert_eq!(Column::from_header("Ngày QĐ của Bộ"), Some(Column::NgayQuyetDinhBo));
    /// assert_eq!(Column::from_header("ngay_quyet_dinh_tinh"), Some(Column::NgayQuyetDinhTinh));
    /// assert_eq!(Column::from_header("Email"), None);
    /// ```
    pub fn from_header(name: &str) -> Option<Column> {
        let key = header_key(name);
        Column::ALL.into_iter().find(|c| {
            let i = c.info();
            header_key(i.name) == key || i.aliases.iter().any(|a| header_key(a) == key)
        })
    }

    /// Position in [`Column::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// The column table in Markdown (for the README and `--help`).
pub fn column_table_markdown() -> String {
    let mut s = String::from(
        "| Column | Also accepted | Required | Ý nghĩa | Meaning | Values |\n|---|---|---|---|---|---|\n",
    );
    for c in Column::ALL {
        let i = c.info();
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            i.name,
            i.aliases.join(", "),
            if i.required { "yes" } else { "no" },
            i.meaning_vi,
            i.meaning_en,
            i.values
        ));
    }
    s
}
