//! The header row of a criteria table: which column means what.

use super::cell_text::{cell_ref, fold};
use super::import::Grid;
use std::collections::HashMap;

/// A column of the criteria table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// STT.
    Code,
    /// Lĩnh vực / Tiêu chí / Tiêu chí thành phần / Nội dung.
    Name,
    /// English name.
    NameEn,
    /// Điểm tối đa.
    Max,
    /// Cách chấm điểm / Cách tính điểm / Thang điểm.
    Scoring,
    /// English scoring text.
    ScoringEn,
    /// Tài liệu kiểm chứng.
    Evidence,
    /// English evidence.
    EvidenceEn,
    /// Quy tắc chấm (rule column syntax).
    Rule,
    /// Ghi chú.
    Notes,
    /// English notes.
    NotesEn,
    /// Loại: điểm thưởng / điểm trừ.
    Kind,
    /// Kênh chấm: thẩm định / điều tra xã hội học.
    Channel,
}

impl Field {
    /// Every field, in the column order chiso writes.
    pub const ALL: [Field; 13] = [
        Field::Code,
        Field::Name,
        Field::Max,
        Field::Scoring,
        Field::Evidence,
        Field::Rule,
        Field::Notes,
        Field::Kind,
        Field::Channel,
        Field::NameEn,
        Field::ScoringEn,
        Field::EvidenceEn,
        Field::NotesEn,
    ];

    /// The header chiso writes for the field.
    pub fn header(self) -> &'static str {
        match self {
            Field::Code => "STT",
            Field::Name => "Tiêu chí, tiêu chí thành phần",
            Field::NameEn => "Tiêu chí (tiếng Anh)",
            Field::Max => "Điểm tối đa",
            Field::Scoring => "Cách chấm điểm",
            Field::ScoringEn => "Cách chấm điểm (tiếng Anh)",
            Field::Evidence => "Tài liệu kiểm chứng",
            Field::EvidenceEn => "Tài liệu kiểm chứng (tiếng Anh)",
            Field::Rule => "Quy tắc chấm",
            Field::Notes => "Ghi chú",
            Field::NotesEn => "Ghi chú (tiếng Anh)",
            Field::Kind => "Loại",
            Field::Channel => "Kênh chấm",
        }
    }
}

/// Which criteria column a header names, if any (any case, with or without diacritics).
///
/// ```
/// use chiso::authoring::{header_field, Field};
/// assert_eq!(header_field("Diem toi da"), Some(Field::Max));
/// assert_eq!(header_field("Tiêu chí, tiêu chí thành phần"), Some(Field::Name));
/// assert_eq!(header_field("Điểm tự chấm"), None);
/// ```
pub fn header_field(text: &str) -> Option<Field> {
    let f: String = fold(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let f = f.split_whitespace().collect::<Vec<_>>().join(" ");
    let has = |p: &str| format!(" {f} ").contains(&format!(" {p} "));
    if f.is_empty()
        || [
            "tu cham",
            "tham dinh",
            "tu danh gia",
            "khong ap dung",
            "gia tri",
            "giai trinh",
            "cach nhap",
            "dinh kem",
        ]
        .iter()
        .any(|p| has(p))
    {
        return None;
    }
    let english = has("tieng anh") || has("english") || has("en");
    if has("ghi chu") || f == "notes" {
        return Some(if english {
            Field::NotesEn
        } else {
            Field::Notes
        });
    }
    if has("cach cham")
        || has("cach tinh diem")
        || has("thang diem")
        || has("huong dan cham")
        || has("phuong phap cham")
        || f == "scoring"
    {
        return Some(if english {
            Field::ScoringEn
        } else {
            Field::Scoring
        });
    }
    if has("quy tac") || f == "rule" || has("cong thuc") {
        return Some(Field::Rule);
    }
    if has("diem toi da") || has("diem chuan") || has("toi da") || f == "max" || f == "diem" {
        return Some(Field::Max);
    }
    if has("kiem chung") || has("tlkc") || f == "evidence" {
        return Some(if english {
            Field::EvidenceEn
        } else {
            Field::Evidence
        });
    }
    if f == "stt"
        || f == "tt"
        || has("so tt")
        || has("so thu tu")
        || f == "ma"
        || f == "ma so"
        || f == "code"
        || has("ma tieu chi")
    {
        return Some(Field::Code);
    }
    if f == "loai" || f == "kind" {
        return Some(Field::Kind);
    }
    if has("kenh") || f == "channel" {
        return Some(Field::Channel);
    }
    if has("tieu chi") || has("noi dung") || has("linh vuc") || f == "ten" || f == "name" {
        return Some(if english { Field::NameEn } else { Field::Name });
    }
    None
}

/// The header row of a sheet (within its first 40 rows): the row naming the most criteria
/// columns, with at least the name and the STT or the maximum; each field's column, and
/// the fields named twice in that row (each as its first and second column).
pub(super) struct Header {
    /// 0-based row.
    pub row: usize,
    /// Column of each field (the first, when named twice).
    pub cols: HashMap<Field, usize>,
    /// Fields named in two columns: (field, first column, second column).
    pub twice: Vec<(Field, usize, usize)>,
}

impl Header {
    /// `'Sheet'!C3` of a column of the header.
    pub fn cell(&self, sheet: &str, col: usize) -> String {
        cell_ref(sheet, self.row, Some(col))
    }
}

/// Finds the header row of `g`.
pub(super) fn header_row(g: &Grid) -> Option<Header> {
    let mut best: Option<Header> = None;
    for (r, row) in g.rows.iter().enumerate().take(40) {
        let mut cols = HashMap::new();
        let mut twice = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            if let Some(f) = header_field(cell) {
                match cols.get(&f) {
                    Some(&first) => twice.push((f, first, c)),
                    None => {
                        cols.insert(f, c);
                    }
                }
            }
        }
        let ok = cols.contains_key(&Field::Name)
            && (cols.contains_key(&Field::Code) || cols.contains_key(&Field::Max));
        if ok && best.as_ref().is_none_or(|b| cols.len() > b.cols.len()) {
            best = Some(Header {
                row: r,
                cols,
                twice,
            });
        }
    }
    best
}
