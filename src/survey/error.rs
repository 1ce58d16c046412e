//! Errors of the survey module: located problems in answer sheets (row, column,
//! respondent id), invalid options, and the definition's diagnostics. Stable codes,
//! messages in Vietnamese and English.

use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::display::plain;
use crate::text::Lang;
use rust_decimal::Decimal;
use std::fmt;

/// What is wrong with a row (or with the sheet as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowProblem {
    /// The sheet is empty (no header row).
    NoHeader,
    /// A required column (respondent id, unit, an item) is not in the header.
    MissingColumn,
    /// A column used by the survey appears twice in the header.
    DuplicateColumn {
        /// Position (1-based) of the first occurrence.
        first: usize,
    },
    /// The row does not have as many cells as the header.
    FieldCount {
        /// Cells in the row.
        found: usize,
        /// Cells in the header.
        expected: usize,
    },
    /// A required cell (respondent id, unit, stratum, weight) is empty.
    EmptyCell,
    /// A text is longer than the limit.
    TooLong {
        /// Limit in bytes.
        limit: usize,
    },
    /// A text is not valid UTF-8.
    NotUtf8,
    /// An answer cell holds something that is neither a number nor a no-answer code.
    NotAnAnswer {
        /// The scale values and no-answer codes, in words.
        accepted: String,
    },
    /// A number off the scale, and the out-of-range policy is `error`.
    OffScale {
        /// The scale values.
        scale: String,
    },
    /// No answer, and the no-answer policy is `error`.
    NoAnswerNotAllowed,
    /// The weight is not a number.
    WeightNotANumber,
    /// The weight is zero or negative.
    WeightNotPositive,
    /// The weight exceeds the limit.
    WeightTooLarge {
        /// The limit.
        limit: Decimal,
    },
    /// The weight has more decimal places than the limit.
    WeightTooPrecise {
        /// Most decimal places.
        limit: u32,
    },
    /// The respondent id is used twice in the same unit.
    DuplicateRespondent {
        /// Row of the first use.
        first_row: u64,
    },
    /// A JSON line is not valid JSON.
    JsonSyntax {
        /// Column (1-based) in the line.
        column: usize,
    },
    /// A JSON line is not an object.
    NotAnObject,
    /// A key appears twice in one JSON line.
    DuplicateKey,
    /// A JSON value that is an object, a list or a boolean.
    WrongJsonType,
    /// A JSON line has a stratum or weight key the first line lacks.
    KeyNotInFirstLine,
    /// No line of a JSON-lines sheet has this item.
    ItemNeverPresent,
    /// A JSON line is longer than the limit.
    LineTooLong {
        /// Limit in bytes.
        limit: usize,
    },
    /// More respondents than the limit.
    TooManyRespondents {
        /// The limit.
        limit: usize,
    },
    /// More answer cells than the limit.
    TooManyCells {
        /// The limit.
        limit: usize,
    },
    /// More units than the limit.
    TooManyUnits {
        /// The limit.
        limit: usize,
    },
    /// More strata than the limit.
    TooManyStrata {
        /// The limit.
        limit: usize,
    },
    /// The sheet could not be read (CSV structure, I/O).
    Unreadable {
        /// Parser or operating-system message.
        detail: String,
    },
}

impl RowProblem {
    /// Stable code, meant for programs.
    pub fn code(&self) -> &'static str {
        use RowProblem::*;
        match self {
            NoHeader => "survey_no_header",
            MissingColumn => "survey_missing_column",
            DuplicateColumn { .. } => "survey_duplicate_column",
            FieldCount { .. } => "survey_field_count",
            EmptyCell => "survey_empty_cell",
            TooLong { .. } => "survey_text_too_long",
            NotUtf8 => "survey_not_utf8",
            NotAnAnswer { .. } => "survey_not_an_answer",
            OffScale { .. } => "survey_off_scale",
            NoAnswerNotAllowed => "survey_no_answer_not_allowed",
            WeightNotANumber => "survey_weight_not_a_number",
            WeightNotPositive => "survey_weight_not_positive",
            WeightTooLarge { .. } => "survey_weight_too_large",
            WeightTooPrecise { .. } => "survey_weight_too_precise",
            DuplicateRespondent { .. } => "survey_duplicate_respondent",
            JsonSyntax { .. } => "survey_json_syntax",
            NotAnObject => "survey_not_an_object",
            DuplicateKey => "survey_duplicate_key",
            WrongJsonType => "survey_wrong_json_type",
            KeyNotInFirstLine => "survey_key_not_in_first_line",
            ItemNeverPresent => "survey_item_never_present",
            LineTooLong { .. } => "survey_line_too_long",
            TooManyRespondents { .. } => "survey_too_many_respondents",
            TooManyCells { .. } => "survey_too_many_cells",
            TooManyUnits { .. } => "survey_too_many_units",
            TooManyStrata { .. } => "survey_too_many_strata",
            Unreadable { .. } => "survey_unreadable",
        }
    }

    /// Message for people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use Lang::*;
        use RowProblem::*;
        match (self, lang) {
            (NoHeader, Vi) => "bảng trả lời trống: không có dòng tiêu đề".into(),
            (NoHeader, En) => "the sheet is empty: there is no header row".into(),
            (MissingColumn, Vi) => "bảng trả lời không có cột này, là cột bắt buộc".into(),
            (MissingColumn, En) => "the sheet has no such column, which is required".into(),
            (DuplicateColumn { first }, Vi) => format!("tên cột bị trùng (đã có ở cột thứ {first})"),
            (DuplicateColumn { first }, En) => format!("the column name appears twice (first as column {first})"),
            (FieldCount { found, expected }, Vi) => format!("dòng có {found} ô nhưng dòng tiêu đề có {expected} cột"),
            (FieldCount { found, expected }, En) => format!("the row has {found} cells but the header has {expected} columns"),
            (EmptyCell, Vi) => "ô bắt buộc bị bỏ trống".into(),
            (EmptyCell, En) => "the cell is required but empty".into(),
            (TooLong { limit }, Vi) => format!("nội dung dài quá {limit} byte"),
            (TooLong { limit }, En) => format!("the text is longer than {limit} bytes"),
            (NotUtf8, Vi) => "nội dung không phải văn bản UTF-8".into(),
            (NotUtf8, En) => "the text is not UTF-8".into(),
            (NotAnAnswer { accepted }, Vi) => format!("không phải là câu trả lời; chỉ nhận {accepted}"),
            (NotAnAnswer { accepted }, En) => format!("is not an answer; accepted: {}", accepted.replace("ô trống", "an empty cell").replace(" hoặc ", " or ")),
            (OffScale { scale }, Vi) => format!("nằm ngoài thang đo ({scale}); quy tắc out_of_range của phiếu là \"error\""),
            (OffScale { scale }, En) => format!("is not on the scale ({scale}); the survey's out_of_range policy is \"error\""),
            (NoAnswerNotAllowed, Vi) => "không có câu trả lời, mà quy tắc no_answer của phiếu là \"error\"".into(),
            (NoAnswerNotAllowed, En) => "has no answer, and the survey's no_answer policy is \"error\"".into(),
            (WeightNotANumber, Vi) => "trọng số không phải là số (dùng dấu chấm \".\" cho phần thập phân)".into(),
            (WeightNotANumber, En) => "the weight is not a number (use \".\" as the decimal point)".into(),
            (WeightNotPositive, Vi) => "trọng số phải lớn hơn 0".into(),
            (WeightNotPositive, En) => "the weight must be greater than 0".into(),
            (WeightTooLarge { limit }, Vi) => format!("trọng số lớn hơn mức tối đa {}", plain(*limit, Vi)),
            (WeightTooLarge { limit }, En) => format!("the weight is above the limit of {}", plain(*limit, En)),
            (WeightTooPrecise { limit }, Vi) => format!("trọng số có quá {limit} chữ số thập phân"),
            (WeightTooPrecise { limit }, En) => format!("the weight has more than {limit} decimal places"),
            (DuplicateRespondent { first_row }, Vi) => format!("mã người trả lời bị trùng trong cùng đơn vị (đã có ở dòng {first_row})"),
            (DuplicateRespondent { first_row }, En) => format!("the respondent id is used twice in the same unit (first at row {first_row})"),
            (JsonSyntax { column }, Vi) => format!("dòng không đúng cú pháp JSON (ở ký tự thứ {column})"),
            (JsonSyntax { column }, En) => format!("the line is not valid JSON (at character {column})"),
            (NotAnObject, Vi) => "dòng không phải là một đối tượng JSON {…}".into(),
            (NotAnObject, En) => "the line is not a JSON object {…}".into(),
            (DuplicateKey, Vi) => "khóa xuất hiện hai lần trong cùng một dòng".into(),
            (DuplicateKey, En) => "the key appears twice in the line".into(),
            (WrongJsonType, Vi) => "giá trị phải là số, chuỗi hoặc null".into(),
            (WrongJsonType, En) => "the value must be a number, a string or null".into(),
            (KeyNotInFirstLine, Vi) => "dòng đầu tiên không có khóa này; dòng đầu quyết định bảng có tầng mẫu, trọng số hay không".into(),
            (KeyNotInFirstLine, En) => "the first line lacks this key; the first line decides whether the sheet has strata and weights".into(),
            (ItemNeverPresent, Vi) => "không dòng nào có câu hỏi này".into(),
            (ItemNeverPresent, En) => "no line has this item".into(),
            (LineTooLong { limit }, Vi) => format!("dòng dài quá {limit} byte"),
            (LineTooLong { limit }, En) => format!("the line is longer than {limit} bytes"),
            (TooManyRespondents { limit }, Vi) => format!("bảng có quá {limit} người trả lời"),
            (TooManyRespondents { limit }, En) => format!("the sheet has more than {limit} respondents"),
            (TooManyCells { limit }, Vi) => format!("bảng có quá {limit} ô trả lời"),
            (TooManyCells { limit }, En) => format!("the sheet has more than {limit} answer cells"),
            (TooManyUnits { limit }, Vi) => format!("bảng có quá {limit} đơn vị"),
            (TooManyUnits { limit }, En) => format!("the sheet has more than {limit} units"),
            (TooManyStrata { limit }, Vi) => format!("bảng có quá {limit} tầng mẫu"),
            (TooManyStrata { limit }, En) => format!("the sheet has more than {limit} strata"),
            // Operating-system reasons in plain words of `lang`; parser details verbatim.
            (Unreadable { detail }, Vi) => format!("không đọc được bảng ({})", crate::diagnostics::words::io(detail, Vi)),
            (Unreadable { detail }, En) => format!("the sheet cannot be read ({})", crate::diagnostics::words::io(detail, En)),
        }
    }

    /// Whether reading must stop at this problem (limits, unreadable sheet).
    pub(crate) fn is_fatal(&self) -> bool {
        matches!(
            self,
            RowProblem::NoHeader
                | RowProblem::TooManyRespondents { .. }
                | RowProblem::TooManyCells { .. }
                | RowProblem::TooManyUnits { .. }
                | RowProblem::TooManyStrata { .. }
                | RowProblem::Unreadable { .. }
        )
    }
}

/// One problem in an answer sheet, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row in the sheet (CSV and spreadsheets: header = row 1; JSON lines: line
    /// number); 0 for the sheet as a whole.
    pub row: u64,
    /// Column (or JSON key) when known.
    pub column: Option<String>,
    /// Respondent id of the row, when known.
    pub respondent: Option<String>,
    /// The offending text, when there is one.
    pub value: Option<String>,
    /// What is wrong.
    pub problem: RowProblem,
}

impl RowError {
    pub(crate) fn new(row: u64, column: Option<&str>, problem: RowProblem) -> Self {
        RowError {
            row,
            column: column.map(str::to_owned),
            respondent: None,
            value: None,
            problem,
        }
    }

    pub(crate) fn with_value(mut self, value: &str) -> Self {
        // Keep messages short: at most 60 characters of the offending text.
        let mut v: String = value.chars().take(60).collect();
        if v.len() < value.len() {
            v.push('…');
        }
        self.value = Some(v);
        self
    }

    /// `answers.csv row 17, column q9_sat_3 (respondent R017): '7' is not on the scale …`.
    pub fn render(&self, source: &str, lang: Lang) -> String {
        let (row, col, resp) = match lang {
            Lang::Vi => ("dòng", "cột", "người trả lời"),
            Lang::En => ("row", "column", "respondent"),
        };
        let mut s = source.to_owned();
        if self.row > 0 {
            s.push_str(&format!(" {row} {}", self.row));
        }
        if let Some(c) = &self.column {
            s.push_str(&format!(
                "{} {col} {c}",
                if self.row > 0 { "," } else { "" }
            ));
        }
        if let Some(r) = &self.respondent {
            s.push_str(&format!(" ({resp} {r})"));
        }
        s.push_str(": ");
        if let Some(v) = &self.value {
            s.push_str(&format!("'{v}' "));
        }
        s.push_str(&self.problem.message(lang));
        s.push_str(&format!(" [{}]", self.problem.code()));
        s
    }

    /// Where the error is: the row and column (row 0: the sheet as a whole).
    pub fn location(&self) -> Location {
        let at = Location::row(self.row);
        match &self.column {
            Some(c) => at.column(c.as_str()),
            None => at,
        }
    }

    /// This error as a [`Diagnostic`] (a [`Problem::Coded`] with the code and both
    /// messages) at its [`Location`]: the row and column (`row 17, column "q9_sat_3"`,
    /// in Vietnamese `dòng 17, cột "q9_sat_3"`), or the whole sheet.
    pub fn to_diagnostic(&self, source: &str) -> Diagnostic {
        Diagnostic::error_at(
            self.location(),
            None,
            Problem::Coded {
                code: self.problem.code().to_owned(),
                text: self.value.clone().unwrap_or_default(),
                vi: self.problem.message(Lang::Vi),
                en: self.problem.message(Lang::En),
            },
        )
        .in_file(source)
    }
}

/// An option of a run that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionProblem {
    /// Zero bootstrap replications.
    NoReplications,
    /// More replications than [`MAX_BOOTSTRAP_REPS`](super::MAX_BOOTSTRAP_REPS).
    TooManyReplications {
        /// The limit.
        limit: u32,
    },
    /// Replications × respondents or × units beyond the limits.
    TooMuchWork {
        /// What was asked (draws or values).
        asked: u64,
        /// The limit.
        limit: u64,
    },
    /// A confidence level chiso has no z value for (0.90, 0.95 and 0.99 are supported).
    UnsupportedLevel {
        /// The level given.
        level: Decimal,
    },
    /// A margin of error outside (0, 1) (a proportion: 0.05 = ±5 percentage points).
    MarginOutOfRange {
        /// The margin given.
        margin: Decimal,
    },
    /// A proportion outside (0, 1).
    ProportionOutOfRange {
        /// The proportion given.
        p: Decimal,
    },
    /// A design effect below 1 is allowed but it must be positive.
    DesignEffectNotPositive {
        /// The value given.
        deff: Decimal,
    },
    /// The answers were read with another survey definition.
    SheetOfAnotherSurvey,
}

impl OptionProblem {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            OptionProblem::NoReplications => "survey_no_replications",
            OptionProblem::TooManyReplications { .. } => "survey_too_many_replications",
            OptionProblem::TooMuchWork { .. } => "survey_too_much_work",
            OptionProblem::UnsupportedLevel { .. } => "survey_unsupported_level",
            OptionProblem::MarginOutOfRange { .. } => "survey_margin_out_of_range",
            OptionProblem::ProportionOutOfRange { .. } => "survey_proportion_out_of_range",
            OptionProblem::DesignEffectNotPositive { .. } => "survey_design_effect_not_positive",
            OptionProblem::SheetOfAnotherSurvey => "survey_sheet_of_another_survey",
        }
    }

    /// Message for people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use Lang::*;
        use OptionProblem::*;
        match (self, lang) {
            (NoReplications, Vi) => "số lần lặp bootstrap phải lớn hơn 0".into(),
            (NoReplications, En) => "the number of bootstrap replications must be above 0".into(),
            (TooManyReplications { limit }, Vi) => {
                format!("số lần lặp bootstrap tối đa là {limit}")
            }
            (TooManyReplications { limit }, En) => {
                format!("at most {limit} bootstrap replications")
            }
            (TooMuchWork { asked, limit }, Vi) => format!(
                "khối lượng tính toán quá lớn ({asked}, tối đa {limit}); hãy giảm số lần lặp"
            ),
            (TooMuchWork { asked, limit }, En) => {
                format!("too much work ({asked}, at most {limit}); use fewer replications")
            }
            (UnsupportedLevel { level }, Vi) => format!(
                "độ tin cậy {} chưa được hỗ trợ; dùng 0.90, 0.95 hoặc 0.99",
                plain(*level, Vi)
            ),
            (UnsupportedLevel { level }, En) => format!(
                "confidence level {} is not supported; use 0.90, 0.95 or 0.99",
                plain(*level, En)
            ),
            (MarginOutOfRange { margin }, Vi) => format!(
                "sai số {} phải lớn hơn 0 và nhỏ hơn 1 (0.05 = ±5 điểm phần trăm)",
                plain(*margin, Vi)
            ),
            (MarginOutOfRange { margin }, En) => format!(
                "the margin {} must lie strictly between 0 and 1 (0.05 = ±5 percentage points)",
                plain(*margin, En)
            ),
            (ProportionOutOfRange { p }, Vi) => format!(
                "tỷ lệ dự kiến {} phải lớn hơn 0 và nhỏ hơn 1",
                plain(*p, Vi)
            ),
            (ProportionOutOfRange { p }, En) => format!(
                "the expected proportion {} must lie strictly between 0 and 1",
                plain(*p, En)
            ),
            (DesignEffectNotPositive { deff }, Vi) => {
                format!("hệ số thiết kế {} phải lớn hơn 0", plain(*deff, Vi))
            }
            (DesignEffectNotPositive { deff }, En) => {
                format!("the design effect {} must be above 0", plain(*deff, En))
            }
            (SheetOfAnotherSurvey, Vi) => {
                "bảng trả lời được đọc theo một phiếu khảo sát khác".into()
            }
            (SheetOfAnotherSurvey, En) => {
                "the answers were read with another survey definition".into()
            }
        }
    }
}

/// Why a survey computation failed.
#[derive(Debug, Clone, PartialEq)]
pub enum SurveyError {
    /// The definition has errors.
    Definition(Diagnostics),
    /// The answer sheet has errors; nothing was estimated.
    Input {
        /// Name of the sheet (file name).
        source: String,
        /// The first errors, in row order (at most the `max_errors` asked for).
        errors: Vec<RowError>,
        /// How many errors there are in all.
        total: usize,
    },
    /// An option cannot be used.
    Option(OptionProblem),
}

impl SurveyError {
    /// The error as [`Diagnostics`], the vocabulary of the rest of chiso: the
    /// definition's own; each bad row a [`Problem::Coded`] at its row and column, then
    /// `survey_more_errors` on the whole sheet when the list was cut; an invalid option a
    /// `coded` problem at `options`.
    ///
    /// ```
    /// use chiso::survey::error::{OptionProblem, SurveyError};
    /// let d = SurveyError::from(OptionProblem::NoReplications).diagnostics();
    /// assert_eq!(d.0[0].problem.stable_code(), "survey_no_replications");
    /// assert!(d.render(chiso::Lang::Vi).starts_with("lỗi tại options: số lần lặp"));
    /// ```
    pub fn diagnostics(&self) -> Diagnostics {
        let coded = |code: &str, vi: String, en: String| Problem::Coded {
            code: code.to_owned(),
            text: String::new(),
            vi,
            en,
        };
        match self {
            SurveyError::Definition(d) => d.clone(),
            SurveyError::Input {
                source,
                errors,
                total,
            } => {
                let mut out: Vec<Diagnostic> =
                    errors.iter().map(|e| e.to_diagnostic(source)).collect();
                if *total > errors.len() {
                    let more = total - errors.len();
                    out.push(
                        Diagnostic::error_at(
                            Location::File,
                            None,
                            coded(
                                "survey_more_errors",
                                format!("… và {more} lỗi khác ({total} lỗi tất cả)"),
                                format!("… and {more} more errors ({total} in all)"),
                            ),
                        )
                        .in_file(source.as_str()),
                    );
                }
                Diagnostics(out)
            }
            SurveyError::Option(p) => Diagnostics(vec![Diagnostic::error_at(
                Location::json("options"),
                None,
                coded(p.code(), p.message(Lang::Vi), p.message(Lang::En)),
            )]),
        }
    }

    /// All messages in `lang`, one per line, with a final count when the list was cut.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            SurveyError::Definition(d) => d.render(lang),
            SurveyError::Input {
                source,
                errors,
                total,
            } => {
                let mut lines: Vec<String> =
                    errors.iter().map(|e| e.render(source, lang)).collect();
                if *total > errors.len() {
                    let more = total - errors.len();
                    lines.push(match lang {
                        Lang::Vi => format!("… và {more} lỗi khác ({total} lỗi tất cả)"),
                        Lang::En => format!("… and {more} more errors ({total} in all)"),
                    });
                }
                lines.join("\n")
            }
            SurveyError::Option(p) => {
                let head = match lang {
                    Lang::Vi => "lỗi tùy chọn",
                    Lang::En => "invalid option",
                };
                format!("{head}: {} [{}]", p.message(lang), p.code())
            }
        }
    }
}

impl fmt::Display for SurveyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for SurveyError {}

impl From<Diagnostics> for SurveyError {
    fn from(d: Diagnostics) -> Self {
        SurveyError::Definition(d)
    }
}

impl From<OptionProblem> for SurveyError {
    fn from(p: OptionProblem) -> Self {
        SurveyError::Option(p)
    }
}
