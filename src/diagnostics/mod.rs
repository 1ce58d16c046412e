//! Typed problems found in index files and assessments, with messages in Vietnamese
//! and English that name the file, the JSON path and the criterion code.

use crate::assessment::ValueKind;
use crate::text::Lang;
use rust_decimal::Decimal;
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
    /// JSON path of the offending value, e.g. `$.nodes[0].children[3].rule.tiers[1]`.
    pub path: String,
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
            code: code.map(str::to_owned),
            problem,
        }
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
        out.push_str(if lang == Lang::Vi { " tại " } else { " at " });
        out.push_str(&self.path);
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

fn n(d: &Decimal, lang: Lang) -> String {
    crate::display::plain(*d, lang)
}

/// A limit written as `10¹⁵` when it is a power of ten (as the README states the
/// limits), otherwise as a plain number.
fn power_of_ten(d: &Decimal, lang: Lang) -> String {
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let text = d.normalize().to_string();
    match text.strip_prefix('1') {
        Some(zeros) if zeros.len() >= 3 && zeros.bytes().all(|b| b == b'0') => {
            let exp = zeros.len().to_string();
            let sup: String = exp
                .bytes()
                .map(|b| SUPERSCRIPT[usize::from(b - b'0')])
                .collect();
            format!("10{sup}")
        }
        _ => n(d, lang),
    }
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// What is wrong. The `type` tag is stable and meant for programs (a form highlights
/// the field); the message is meant for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
    /// No row of the table names the required columns (criteria import).
    MissingColumns {
        /// Columns not found, e.g. `STT`, `Tiêu chí`.
        missing: Vec<String>,
    },
    /// A row has a criterion but no STT, or an STT that is not a code.
    UnreadableCode {
        /// The text found in the STT column (empty when blank).
        text: String,
    },
    /// A cell that must hold a number does not.
    UnreadableNumber {
        /// The text found.
        text: String,
    },
    /// The rule column cannot be read.
    RuleSyntax {
        /// The rule text.
        text: String,
        /// What is wrong, written "english / tiếng Việt".
        detail: String,
    },
    /// A bound of the scoring wording can be read two ways; chiso chose one.
    AmbiguousBound {
        /// The bound.
        value: Decimal,
        /// The reading chosen, in Vietnamese words.
        reading: String,
    },
    /// The scoring wording was not recognised as a rule; the criterion is scored by
    /// the appraiser (discretionary) until a rule is written.
    WordingNotRecognised {
        /// The wording.
        text: String,
    },
    /// A value typed in a fill-in form cannot be read for the criterion's rule.
    UnreadableValue {
        /// The text typed.
        text: String,
        /// What is expected, written "english / tiếng Việt".
        detail: String,
    },
    /// The file could not be read.
    Io {
        /// Operating-system message.
        detail: String,
    },
    /// The text is not valid JSON.
    Syntax {
        /// Line (1-based).
        line: usize,
        /// Column (1-based).
        column: usize,
        /// Parser message.
        detail: String,
    },
    /// The JSON does not have the expected shape (missing field, wrong type, unknown field).
    Structure {
        /// Parser message.
        detail: String,
    },
    /// The `format` tag is not the one expected.
    WrongFormat {
        /// Expected tag.
        expected: String,
        /// Tag found.
        found: String,
    },
    /// A node has an empty code.
    EmptyCode,
    /// Two nodes share one code.
    DuplicateCode {
        /// Path of the first node with this code.
        first_path: String,
    },
    /// A node has neither children nor a rule.
    NoRuleNoChildren,
    /// A node has both children and a rule.
    RuleAndChildren,
    /// A leaf declares an aggregation.
    AggregationOnLeaf,
    /// The children's maxima do not add up to the node's maximum.
    MaxMismatch {
        /// Declared maximum.
        declared: Decimal,
        /// Maximum implied by the children.
        computed: Decimal,
    },
    /// The rule needs the node's maximum points, but none is declared.
    MaxRequired,
    /// A child has no weight.
    WeightMissing {
        /// Child code.
        child: String,
    },
    /// A weight names a code that is not a child.
    WeightUnknownChild {
        /// The code named.
        child: String,
    },
    /// A weight is zero or negative.
    WeightNotPositive {
        /// Child code.
        child: String,
        /// The weight.
        weight: Decimal,
    },
    /// Points of an option exceed the node maximum.
    PointsAboveMax {
        /// Option, tier or level.
        what: String,
        /// Points given.
        points: Decimal,
        /// Node maximum.
        max: Decimal,
    },
    /// A number that must not be negative is negative.
    Negative {
        /// What the number is.
        what: String,
        /// The number.
        value: Decimal,
    },
    /// An option must give exactly one of `points` and `percent_of_max`.
    AwardSpec {
        /// Option, tier or level.
        what: String,
    },
    /// A percent lies outside 0–100.
    PercentOutOfRange {
        /// What the percent is.
        what: String,
        /// The percent.
        value: Decimal,
    },
    /// A key is used twice.
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// A list that needs items is empty.
    Empty {
        /// What is empty.
        what: String,
    },
    /// A tier or band holds no value.
    EmptyInterval {
        /// Tier or band.
        what: String,
    },
    /// Two tiers or bands overlap.
    Overlap {
        /// First tier or band.
        first: String,
        /// Second tier or band.
        second: String,
        /// Values in both.
        both: String,
    },
    /// Values no tier covers.
    Uncovered {
        /// The uncovered values, in words.
        gap: String,
    },
    /// A step is zero or negative.
    StepNotPositive,
    /// The tree is deeper than allowed.
    TooDeep {
        /// Limit.
        limit: usize,
    },
    /// The tree has more nodes than allowed.
    TooManyNodes {
        /// Limit.
        limit: usize,
    },
    /// The assessment is for another index.
    IndexMismatch {
        /// Index id expected.
        expected: String,
        /// Index id found.
        found: String,
    },
    /// No criterion has this code.
    UnknownCode,
    /// No bonus/penalty block has this code.
    UnknownAdjustment,
    /// A value is given for a criterion that is scored from its sub-criteria.
    ValueOnParent,
    /// The value kind does not fit the rule.
    WrongValueKind {
        /// Kinds the rule accepts.
        expected: Vec<ValueKind>,
        /// Kind given.
        found: ValueKind,
    },
    /// The option is not one of the rule's options.
    UnknownOption {
        /// Option given.
        option: String,
        /// Options allowed.
        allowed: Vec<String>,
    },
    /// A condition of the rule has no answer.
    MissingCondition {
        /// Condition key.
        key: String,
    },
    /// The answer names a condition the rule does not have.
    UnknownCondition {
        /// Condition key.
        key: String,
    },
    /// A value lies outside its allowed range.
    OutOfRange {
        /// The value.
        value: Decimal,
        /// Allowed range, in words.
        range: String,
    },
    /// A count is not a whole number.
    NotWhole {
        /// The value.
        value: Decimal,
    },
    /// Points are not a multiple of the step.
    NotOnStep {
        /// The value.
        value: Decimal,
        /// The step.
        step: Decimal,
    },
    /// The numerator exceeds the denominator.
    NumeratorAboveDenominator {
        /// Numerator.
        numerator: Decimal,
        /// Denominator.
        denominator: Decimal,
    },
    /// The denominator is 0 and the rule declares that as invalid.
    ZeroDenominator,
    /// The value falls in no tier.
    NoTier {
        /// The value.
        value: Decimal,
    },
    /// A survey answer set has no respondents.
    NoAnswers,
    /// A value lies outside its nominal range (kept, but worth checking).
    OutsideNominalRange {
        /// The value.
        value: Decimal,
        /// Nominal range in words.
        range: String,
    },
    /// A layer is present that the criterion's channel does not use.
    LayerIgnored {
        /// The layer.
        layer: String,
    },
    /// A criterion marked not applicable also carries values (they are ignored).
    ValuesIgnoredNotApplicable,
    /// A number is too large to be a real score input.
    TooLarge {
        /// The value.
        value: Decimal,
        /// Largest magnitude accepted.
        limit: Decimal,
    },
    /// The assessment's year is outside the index's years.
    NotAnIndexForYear {
        /// The year.
        year: i32,
    },
    /// The assessment was made for another version of the index.
    IndexVersionMismatch {
        /// Version of the index.
        expected: String,
        /// Version named by the assessment.
        found: String,
    },
    /// Inputs or a cell buffer prepared for another index (program error, not a data error).
    InputsMismatch {
        /// Node count of the index.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// A scenario override sets what the base already has.
    OverrideSameAsBase,
    /// A scenario override changes no points, maximum, percent or band of any unit.
    OverrideNoEffect,
    /// A weight override names a child whose parent is a plain sum (no weights).
    NotWeighted {
        /// Code of the parent (`total` for the index).
        parent: String,
    },
    /// A rule parameter override names a parameter the criterion's rule does not have.
    ParameterNotInRule {
        /// The parameter.
        parameter: String,
        /// The rule type.
        rule: String,
    },
    /// A tier position that does not exist.
    NoSuchTier {
        /// Position given (0-based).
        tier: usize,
        /// Number of tiers.
        count: usize,
    },
    /// A unit named in a scenario is not in the batch.
    UnknownUnit {
        /// The name.
        unit: String,
    },
    /// A band code the index does not have.
    UnknownBand {
        /// The code given.
        band: String,
        /// Codes the index has.
        allowed: Vec<String>,
    },
    /// The total cannot be formed (missing values that the index does not impute).
    TotalMissing,
    /// The assessment names a unit type (loại đơn vị) the index does not declare.
    UnknownUnitType {
        /// The unit type given.
        unit_type: String,
        /// Unit types the index declares.
        allowed: Vec<String>,
    },
    /// A unit type's declaration leaves no criterion to score.
    UnitTypeExcludesAll {
        /// The unit type.
        unit_type: String,
    },
    /// The maximum declared for a unit type differs from the criteria that apply to it.
    UnitTypeMaxMismatch {
        /// The unit type.
        unit_type: String,
        /// Maximum declared.
        declared: Decimal,
        /// Maximum of the criteria that apply.
        computed: Decimal,
    },
    /// A criterion is listed as not applicable although a parent is already listed.
    ExcludedWithAncestor {
        /// Code of the listed parent.
        ancestor: String,
    },
    /// Values entered for a criterion that does not apply to the assessment's unit type.
    ValuesIgnoredUnitType {
        /// The unit type.
        unit_type: String,
    },
    /// A resource limit of `chiso::limits` is exceeded (checked before allocating).
    LimitExceeded {
        /// What is limited, in words (e.g. "file size", "nodes", "threads").
        what: String,
        /// The limit (see `chiso::limits`).
        limit: u64,
        /// What the input asked for, when known.
        #[serde(skip_serializing_if = "Option::is_none")]
        found: Option<u64>,
        /// Unit of `limit` and `found` ("bytes", "nodes", …); empty when a count.
        unit: String,
    },
    /// A computation with the file's numbers would exceed the exact range (about 7.9·10²⁸).
    Overflow {
        /// What was being computed (e.g. "weighted sum of the children"; written
        /// "english / tiếng Việt", each language shows its own).
        what: String,
    },
    /// The file is not UTF-8 text (a UTF-16 file, a binary file…).
    NotUtf8 {
        /// What it looks like instead (e.g. "UTF-16 LE", "binary").
        found: String,
    },
    /// An output could not be written (the previous file, if any, is left untouched).
    CannotWrite {
        /// The operating system's reason.
        detail: String,
    },
    /// A hidden sheet of a workbook was not read (criteria on it are not imported).
    HiddenSheetSkipped {
        /// The sheet's name.
        sheet: String,
        /// Whether it is "very hidden" (unhidden only from the VBA editor).
        very_hidden: bool,
    },
    /// Two columns of one header row have the same meaning (e.g. two "Điểm tối đa").
    DuplicateColumn {
        /// The header, as written in the first of the two cells.
        header: String,
        /// The first cell, e.g. `'Phụ lục'!C3`.
        first: String,
    },
    /// A spreadsheet cell holds a formula whose result was never saved in the file.
    FormulaWithoutValue {
        /// The formula, shortened (empty when the file gives only a shared reference).
        formula: String,
    },
    /// A spreadsheet file cannot be read as a workbook of its format (damaged, encrypted,
    /// not that format, or its archive is inconsistent).
    UnreadableWorkbook {
        /// The format tried: "xlsx", "ods", "xls".
        format: String,
        /// What is wrong: the reader's words, or a phrase written "english / tiếng Việt".
        detail: String,
    },
    /// A leaf's rule can never award its maximum (its best outcome is worth less), so
    /// the leaf, and every node above it, can never reach full marks.
    MaxUnreachable {
        /// Declared maximum.
        max: Decimal,
        /// The most points the rule can award.
        best: Decimal,
    },
    /// A node rescales its children's points to its maximum (`rescale_to_max`), but its
    /// own maximum, or a child's, is not declared (the scores would silently stay
    /// unscaled).
    RescaleNeedsMax {
        /// The rescaling parent, when the maximum missing is a child's (`None`: the
        /// node's own).
        parent: Option<String>,
    },
}

impl Problem {
    /// Human message in `lang`, in the words of the criterion.
    pub fn message(&self, lang: Lang) -> String {
        use Lang::*;
        use Problem::*;
        match (self, lang) {
            (MissingColumns { missing }, Vi) => format!("không tìm thấy dòng tiêu đề có các cột bắt buộc; thiếu cột: {}", list(missing)),
            (MissingColumns { missing }, En) => format!("no header row names the required columns; missing: {}", list(missing)),
            (UnreadableCode { text }, Vi) if text.is_empty() => "dòng có tên tiêu chí hoặc điểm nhưng không có số thứ tự (STT)".into(),
            (UnreadableCode { text }, En) if text.is_empty() => "the row has a criterion name or points but no STT (code)".into(),
            (UnreadableCode { text }, Vi) => format!("\"{text}\" không phải là số thứ tự tiêu chí (ví dụ: 1, 1.1, 1.1.4, I, a)"),
            (UnreadableCode { text }, En) => format!("\"{text}\" is not a criterion code (e.g. 1, 1.1, 1.1.4, I, a)"),
            (UnreadableNumber { text }, Vi) => format!("\"{text}\" không phải là số (viết ví dụ 1 hoặc 0,5)"),
            (UnreadableNumber { text }, En) => format!("\"{text}\" is not a number (write e.g. 1 or 0,5)"),
            (RuleSyntax { text, detail }, Vi) => format!("không đọc được quy tắc chấm \"{text}\": {}", words::what(detail, Vi)),
            (RuleSyntax { text, detail }, En) => format!("cannot read the rule \"{text}\": {}", words::what(detail, En)),
            (AmbiguousBound { value, reading }, Vi) => format!("mốc {} có thể hiểu theo hai cách; chiso đọc là: {reading}. Đề nghị người soạn xác định rõ (ví dụ ghi \"từ … đến dưới …\" hoặc điền cột quy tắc chấm)", n(value, Vi)),
            (AmbiguousBound { value, reading }, En) => format!("the bound {} can be read two ways; chiso read it as: {}. Please settle it (e.g. write \"từ … đến dưới …\" or fill the rule column)", n(value, En), words::range_en(reading)),
            (WordingNotRecognised { text }, Vi) => format!("không nhận ra cách chấm điểm \"{text}\"; tạm để Hội đồng chấm trực tiếp (discretionary). Hãy ghi quy tắc ở cột quy tắc chấm"),
            (UnreadableValue { text, detail }, Vi) => format!("không đọc được giá trị \"{text}\": {}", words::what(detail, Vi)),
            (UnreadableValue { text, detail }, En) => format!("cannot read the value \"{text}\": {}", words::what(detail, En)),
            (WordingNotRecognised { text }, En) => format!("the scoring wording \"{text}\" was not recognised; the appraiser scores it directly (discretionary) until a rule is written in the rule column"),
            (Io { detail }, Vi) => format!("không đọc được tệp ({})", words::io(detail, Vi)),
            (Io { detail }, En) => format!("cannot read the file ({})", words::io(detail, En)),
            (Syntax { line, column, detail }, Vi) => format!("tệp không đúng cú pháp JSON ở dòng {line}, cột {column} ({})", words::syntax(detail, Vi)),
            (Syntax { line, column, detail }, En) => format!("the file is not valid JSON at line {line}, column {column} ({})", words::syntax(detail, En)),
            (Structure { detail }, Vi) => format!("nội dung không đúng cấu trúc: {}", words::structure(detail, Vi)),
            (Structure { detail }, En) => format!("the content does not have the expected shape: {}", words::structure(detail, En)),
            (WrongFormat { expected, found }, Vi) => format!("trường \"format\" phải là \"{expected}\", nhưng là \"{found}\""),
            (WrongFormat { expected, found }, En) => format!("field \"format\" must be \"{expected}\", found \"{found}\""),
            (EmptyCode, Vi) => "mã tiêu chí bị bỏ trống".into(),
            (EmptyCode, En) => "the criterion code is empty".into(),
            (DuplicateCode { first_path }, Vi) => format!("mã tiêu chí bị trùng (đã dùng tại {first_path})"),
            (DuplicateCode { first_path }, En) => format!("the code is used twice (first at {first_path})"),
            (NoRuleNoChildren, Vi) => "tiêu chí không có tiêu chí thành phần cũng không có cách chấm điểm".into(),
            (NoRuleNoChildren, En) => "the criterion has neither sub-criteria nor a scoring rule".into(),
            (RuleAndChildren, Vi) => "tiêu chí có cả tiêu chí thành phần và cách chấm điểm riêng; chỉ được có một".into(),
            (RuleAndChildren, En) => "the criterion has both sub-criteria and its own scoring rule; only one is allowed".into(),
            (AggregationOnLeaf, Vi) => "tiêu chí không có tiêu chí thành phần nên không được khai báo cách tổng hợp".into(),
            (AggregationOnLeaf, En) => "the criterion has no sub-criteria, so it cannot declare an aggregation".into(),
            (MaxMismatch { declared, computed }, Vi) => format!("điểm tối đa là {} nhưng tổng điểm tối đa của các tiêu chí thành phần là {}", n(declared, Vi), n(computed, Vi)),
            (MaxMismatch { declared, computed }, En) => format!("the maximum is {} but the sub-criteria maxima add up to {}", n(declared, En), n(computed, En)),
            (MaxRequired, Vi) => "cách chấm điểm này cần điểm tối đa (max_points) của tiêu chí".into(),
            (MaxRequired, En) => "this scoring rule needs the criterion's maximum points (max_points)".into(),
            (WeightMissing { child }, Vi) => format!("chưa khai báo trọng số cho tiêu chí thành phần {child}"),
            (WeightMissing { child }, En) => format!("no weight is declared for sub-criterion {child}"),
            (WeightUnknownChild { child }, Vi) => format!("trọng số khai báo cho mã {child}, nhưng đó không phải tiêu chí thành phần"),
            (WeightUnknownChild { child }, En) => format!("a weight is declared for {child}, which is not a sub-criterion"),
            (WeightNotPositive { child, weight }, Vi) => format!("trọng số của {child} phải lớn hơn 0 (đang là {})", n(weight, Vi)),
            (WeightNotPositive { child, weight }, En) => format!("the weight of {child} must be greater than 0 (it is {})", n(weight, En)),
            (PointsAboveMax { what, points, max }, Vi) => format!("{}: {} điểm vượt điểm tối đa {}", words::what(what, Vi), n(points, Vi), n(max, Vi)),
            (PointsAboveMax { what, points, max }, En) => format!("{}: {} points exceed the maximum of {}", words::what(what, En), n(points, En), n(max, En)),
            (Negative { what, value }, Vi) => format!("{} không được âm (đang là {})", words::what(what, Vi), n(value, Vi)),
            (Negative { what, value }, En) => format!("{} must not be negative (it is {})", words::what(what, En), n(value, En)),
            (AwardSpec { what }, Vi) => format!("{}: phải ghi đúng một trong hai: số điểm (points) hoặc tỷ lệ % của điểm tối đa (percent_of_max), không ghi cả hai hoặc bỏ trống cả hai", words::what(what, Vi)),
            (AwardSpec { what }, En) => format!("{}: give exactly one of points or percent_of_max, not both and not neither", words::what(what, En)),
            (PercentOutOfRange { what, value }, Vi) => format!("{}: tỷ lệ {}% phải nằm trong khoảng 0–100%", words::what(what, Vi), n(value, Vi)),
            (PercentOutOfRange { what, value }, En) => format!("{}: {}% must lie between 0 and 100%", words::what(what, En), n(value, En)),
            (DuplicateKey { key }, Vi) => format!("khóa \"{key}\" bị trùng"),
            (DuplicateKey { key }, En) => format!("key \"{key}\" is used twice"),
            (Empty { what }, Vi) => format!("{} không được để trống", words::what(what, Vi)),
            (Empty { what }, En) => format!("{} must not be empty", words::what(what, En)),
            (EmptyInterval { what }, Vi) => format!("{} không chứa giá trị nào (cận dưới lớn hơn cận trên)", words::what(what, Vi)),
            (EmptyInterval { what }, En) => format!("{} holds no value (its lower bound is above its upper bound)", words::what(what, En)),
            (Overlap { first, second, both }, Vi) => format!("{} và {} chồng lấn nhau: giá trị {both} thuộc cả hai", words::what(first, Vi), words::what(second, Vi)),
            (Overlap { first, second, both }, En) => format!("{} and {} overlap: {} belongs to both", words::what(first, En), words::what(second, En), words::range_en(both)),
            (Uncovered { gap }, Vi) => format!("thang điểm bỏ sót giá trị {gap}: giá trị này không thuộc mức nào nên không chấm được điểm"),
            (Uncovered { gap }, En) => format!("the scale leaves out {}: such a value falls in no tier and cannot be scored", words::range_en(gap)),
            (StepNotPositive, Vi) => "bước điểm phải lớn hơn 0".into(),
            (StepNotPositive, En) => "the step must be greater than 0".into(),
            (TooDeep { limit }, Vi) => format!("cây tiêu chí sâu quá {limit} cấp"),
            (TooDeep { limit }, En) => format!("the criteria tree is deeper than {limit} levels"),
            (TooManyNodes { limit }, Vi) => format!("bộ tiêu chí có quá {limit} tiêu chí"),
            (TooManyNodes { limit }, En) => format!("the index has more than {limit} criteria"),
            (IndexMismatch { expected, found }, Vi) => format!("bản chấm điểm dành cho bộ chỉ số \"{found}\", không phải \"{expected}\""),
            (IndexMismatch { expected, found }, En) => format!("the assessment is for index \"{found}\", not \"{expected}\""),
            (UnknownCode, Vi) => "không có tiêu chí nào mang mã này trong bộ chỉ số".into(),
            (UnknownCode, En) => "the index has no criterion with this code".into(),
            (UnknownAdjustment, Vi) => "bộ chỉ số không có mục điểm thưởng/điểm trừ mang mã này".into(),
            (UnknownAdjustment, En) => "the index has no bonus/penalty block with this code".into(),
            (ValueOnParent, Vi) => "tiêu chí này được tính từ các tiêu chí thành phần; hãy chấm điểm các tiêu chí thành phần".into(),
            (ValueOnParent, En) => "this criterion is computed from its sub-criteria; score the sub-criteria instead".into(),
            (WrongValueKind { expected, found }, Vi) => format!("giá trị loại \"{found}\" không dùng được cho cách chấm điểm này; cần giá trị loại: {}", list(&expected.iter().map(|k| k.to_string()).collect::<Vec<_>>())),
            (WrongValueKind { expected, found }, En) => format!("a \"{found}\" value does not fit this scoring rule; expected: {}", list(&expected.iter().map(|k| k.to_string()).collect::<Vec<_>>())),
            (UnknownOption { option, allowed }, Vi) => format!("\"{option}\" không phải là mức chấm điểm của tiêu chí; các mức hợp lệ: {}", list(allowed)),
            (UnknownOption { option, allowed }, En) => format!("\"{option}\" is not an option of this criterion; valid options: {}", list(allowed)),
            (MissingCondition { key }, Vi) => format!("chưa trả lời điều kiện \"{key}\""),
            (MissingCondition { key }, En) => format!("condition \"{key}\" has no answer"),
            (UnknownCondition { key }, Vi) => format!("tiêu chí không có điều kiện \"{key}\""),
            (UnknownCondition { key }, En) => format!("the criterion has no condition \"{key}\""),
            (OutOfRange { value, range }, Vi) => format!("giá trị {} nằm ngoài khoảng cho phép ({range})", n(value, Vi)),
            (OutOfRange { value, range }, En) => format!("value {} is outside the allowed range ({})", n(value, En), words::range_en(range)),
            (NotWhole { value }, Vi) => format!("số lượng phải là số nguyên (đang là {})", n(value, Vi)),
            (NotWhole { value }, En) => format!("a count must be a whole number (it is {})", n(value, En)),
            (NotOnStep { value, step }, Vi) => format!("điểm {} không phải là bội số của bước {}", n(value, Vi), n(step, Vi)),
            (NotOnStep { value, step }, En) => format!("{} points is not a multiple of the step {}", n(value, En), n(step, En)),
            (NumeratorAboveDenominator { numerator, denominator }, Vi) => format!("tử số {} lớn hơn mẫu số {}", n(numerator, Vi), n(denominator, Vi)),
            (NumeratorAboveDenominator { numerator, denominator }, En) => format!("numerator {} is greater than denominator {}", n(numerator, En), n(denominator, En)),
            (ZeroDenominator, Vi) => "mẫu số bằng 0 và tiêu chí không cho phép trường hợp này".into(),
            (ZeroDenominator, En) => "the denominator is 0, which this criterion does not allow".into(),
            (NoTier { value }, Vi) => format!("giá trị {} không thuộc mức nào của thang điểm", n(value, Vi)),
            (NoTier { value }, En) => format!("value {} falls in no tier of the scale", n(value, En)),
            (NoAnswers, Vi) => "phiếu khảo sát không có câu trả lời nào".into(),
            (NoAnswers, En) => "the survey has no answers".into(),
            (OutsideNominalRange { value, range }, Vi) => format!("giá trị {} nằm ngoài khoảng danh nghĩa {range}; vẫn được giữ nguyên, đề nghị kiểm tra", n(value, Vi)),
            (OutsideNominalRange { value, range }, En) => format!("value {} lies outside the nominal range {}; it is kept as is, please check it", n(value, En), words::range_en(range)),
            (LayerIgnored { layer }, Vi) => format!("lớp điểm \"{layer}\" không được dùng cho tiêu chí này và bị bỏ qua"),
            (LayerIgnored { layer }, En) => format!("layer \"{layer}\" is not used by this criterion and is ignored"),
            (ValuesIgnoredNotApplicable, Vi) => "tiêu chí được đánh dấu không áp dụng nên các điểm đã nhập bị bỏ qua".into(),
            (ValuesIgnoredNotApplicable, En) => "the criterion is marked not applicable, so the values entered are ignored".into(),
            (TooLarge { value, limit }, Vi) => format!("số {} quá lớn (giới hạn ±{})", n(value, Vi), power_of_ten(limit, Vi)),
            (TooLarge { value, limit }, En) => format!("the number {} is too large (limit ±{})", n(value, En), power_of_ten(limit, En)),
            (NotAnIndexForYear { year }, Vi) => format!("bộ chỉ số không áp dụng cho năm {year}"),
            (NotAnIndexForYear { year }, En) => format!("the index does not apply to year {year}"),
            (IndexVersionMismatch { expected, found }, Vi) => format!("bản chấm điểm được lập cho phiên bản \"{found}\" của bộ chỉ số, không phải phiên bản \"{expected}\" đang dùng"),
            (IndexVersionMismatch { expected, found }, En) => format!("the assessment was made for version \"{found}\" of the index, not the version \"{expected}\" in use"),
            (InputsMismatch { expected, found }, Vi) => format!("dữ liệu chấm điểm được chuẩn bị cho một bộ chỉ số khác ({found} ô, bộ chỉ số có {expected} tiêu chí)"),
            (InputsMismatch { expected, found }, En) => format!("the scoring inputs were prepared for another index ({found} cells, the index has {expected} criteria)"),
            (OverrideSameAsBase, Vi) => "thay đổi này đặt đúng giá trị/thiết lập đã có, nên không thay đổi gì".into(),
            (OverrideSameAsBase, En) => "this override sets what is already there, so it changes nothing".into(),
            (OverrideNoEffect, Vi) => "thay đổi này không làm thay đổi điểm, điểm tối đa, tỷ lệ hay xếp loại của đơn vị nào (ví dụ: giá trị vẫn cùng mức, hoặc lớp điểm được sửa không phải lớp được dùng để tính điểm)".into(),
            (OverrideNoEffect, En) => "this override changes no points, maximum, percent or band of any unit (e.g. the value stays in the same tier, or the layer changed is not the one scored)".into(),
            (NotWeighted { parent }, Vi) => format!("tiêu chí cha {parent} cộng điểm trực tiếp, không có trọng số để thay đổi"),
            (NotWeighted { parent }, En) => format!("the parent {parent} is a plain sum; it has no weights to change"),
            (ParameterNotInRule { parameter, rule }, Vi) => format!("cách chấm điểm loại \"{rule}\" không có tham số \"{parameter}\""),
            (ParameterNotInRule { parameter, rule }, En) => format!("a \"{rule}\" rule has no parameter \"{parameter}\""),
            (NoSuchTier { tier, count }, Vi) => format!("không có mức số {tier} (các mức được đánh số từ 0 đến {})", count.saturating_sub(1)),
            (NoSuchTier { tier, count }, En) => format!("there is no tier {tier} (tiers are numbered 0 to {})", count.saturating_sub(1)),
            (UnknownUnit { unit }, Vi) => format!("không có đơn vị \"{unit}\" trong danh sách đơn vị"),
            (UnknownUnit { unit }, En) => format!("there is no unit \"{unit}\" in the batch"),
            (UnknownBand { band, allowed }, Vi) => format!("bộ chỉ số không có xếp loại \"{band}\"; các xếp loại: {}", list(allowed)),
            (UnknownBand { band, allowed }, En) => format!("the index has no band \"{band}\"; bands: {}", list(allowed)),
            (TotalMissing, Vi) => "không tính được tổng điểm: còn thiếu số liệu mà bộ chỉ số không ước tính".into(),
            (TotalMissing, En) => "the total cannot be computed: values are missing and the index does not impute them".into(),
            (UnknownUnitType { unit_type, allowed }, Vi) if allowed.is_empty() => format!("bộ chỉ số không khai báo loại đơn vị nào, nên không có loại đơn vị \"{unit_type}\""),
            (UnknownUnitType { unit_type, allowed }, En) if allowed.is_empty() => format!("the index declares no unit types, so there is no unit type \"{unit_type}\""),
            (UnknownUnitType { unit_type, allowed }, Vi) => format!("bộ chỉ số không khai báo loại đơn vị \"{unit_type}\"; các loại đơn vị: {}", list(allowed)),
            (UnknownUnitType { unit_type, allowed }, En) => format!("the index declares no unit type \"{unit_type}\"; unit types: {}", list(allowed)),
            (UnitTypeExcludesAll { unit_type }, Vi) => format!("loại đơn vị \"{unit_type}\" loại bỏ mọi tiêu chí: không còn tiêu chí nào để chấm điểm"),
            (UnitTypeExcludesAll { unit_type }, En) => format!("unit type \"{unit_type}\" excludes every criterion: nothing is left to score"),
            (UnitTypeMaxMismatch { unit_type, declared, computed }, Vi) => format!("điểm tối đa khai báo cho loại đơn vị \"{unit_type}\" là {} nhưng các tiêu chí áp dụng cho loại này cộng lại {}", n(declared, Vi), n(computed, Vi)),
            (UnitTypeMaxMismatch { unit_type, declared, computed }, En) => format!("the maximum declared for unit type \"{unit_type}\" is {} but the criteria that apply to it add up to {}", n(declared, En), n(computed, En)),
            (ExcludedWithAncestor { ancestor }, Vi) => format!("tiêu chí cha {ancestor} đã được khai báo không áp dụng; chỉ khai báo một lần"),
            (ExcludedWithAncestor { ancestor }, En) => format!("its parent {ancestor} is already listed as not applicable; list it once"),
            (ValuesIgnoredUnitType { unit_type }, Vi) => format!("tiêu chí không áp dụng cho loại đơn vị \"{unit_type}\" nên các điểm đã nhập bị bỏ qua"),
            (ValuesIgnoredUnitType { unit_type }, En) => format!("the criterion does not apply to unit type \"{unit_type}\", so the values entered are ignored"),
            (LimitExceeded { what, limit, found, unit }, Vi) => {
                let (what, unit) = (words::both(what, Vi), words::unit(unit, Vi));
                match found {
                    Some(f) => format!("vượt giới hạn {what}: {f}{unit}, tối đa {limit}{unit} (xem phần \"Giới hạn\" trong README)"),
                    None => format!("vượt giới hạn {what}: tối đa {limit}{unit} (xem phần \"Giới hạn\" trong README)"),
                }
            }
            (LimitExceeded { what, limit, found, unit }, En) => {
                let (what, unit) = (words::both(what, En), words::unit(unit, En));
                match found {
                    Some(f) => format!("{what} exceeds the limit: {f}{unit}, at most {limit}{unit} (see \"Limits and guarantees\" in the README)"),
                    None => format!("{what} exceeds the limit of {limit}{unit} (see \"Limits and guarantees\" in the README)"),
                }
            }
            (Overflow { what }, Vi) => format!("số quá lớn: không tính chính xác được {} (giới hạn khoảng 7,9·10²⁸); hãy kiểm tra lại điểm tối đa, trọng số và giá trị đã nhập", words::both(what, Vi)),
            (Overflow { what }, En) => format!("numbers too large: the {} cannot be computed exactly (limit about 7.9·10²⁸); check the maxima, weights and values", words::both(what, En)),
            (NotUtf8 { found }, Vi) => format!("tệp không phải văn bản UTF-8 (có vẻ là {}); hãy lưu lại tệp dưới dạng UTF-8", words::both(found, Vi)),
            (NotUtf8 { found }, En) => format!("the file is not UTF-8 text (it looks like {}); save it again as UTF-8", words::both(found, En)),
            (CannotWrite { detail }, Vi) => format!("không ghi được kết quả ({}); tệp cũ (nếu có) được giữ nguyên", words::io_write(detail, Vi)),
            (CannotWrite { detail }, En) => format!("cannot write the output ({}); the previous file, if any, is left untouched", words::io_write(detail, En)),
            (HiddenSheetSkipped { sheet, very_hidden }, Vi) => format!("trang tính \"{sheet}\" đang bị ẩn{}, nên không được đọc; nếu các dòng trên trang này cần nhập, hãy bỏ ẩn trang rồi chạy lại", if *very_hidden { " (ẩn sâu, chỉ bỏ ẩn được trong trình soạn VBA)" } else { "" }),
            (HiddenSheetSkipped { sheet, very_hidden }, En) => format!("the sheet \"{sheet}\" is {}hidden, so it was not read; if its rows belong in the import, unhide the sheet and run again", if *very_hidden { "very " } else { "" }),
            (DuplicateColumn { header, first }, Vi) => format!("cột \"{header}\" xuất hiện hai lần trong dòng tiêu đề (lần đầu tại {first}); chỉ giữ một cột"),
            (DuplicateColumn { header, first }, En) => format!("the column \"{header}\" appears twice in the header row (first at {first}); keep one"),
            (FormulaWithoutValue { formula }, Vi) => format!("ô chứa công thức{} nhưng tệp không lưu kết quả tính; hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi chạy lại", if formula.is_empty() { String::new() } else { format!(" \"{formula}\"") }),
            (FormulaWithoutValue { formula }, En) => format!("the cell holds a formula{} whose result is not saved in the file; open the file in Excel or LibreOffice, save it and run again", if formula.is_empty() { String::new() } else { format!(" \"{formula}\"") }),
            (UnreadableWorkbook { format, detail }, Vi) => format!("không đọc được tệp như một bảng tính .{format} ({}); hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx", words::both(detail, Vi)),
            (UnreadableWorkbook { format, detail }, En) => format!("the file cannot be read as a .{format} workbook ({}); open it in Excel or LibreOffice and save it as .xlsx", words::both(detail, En)),
            (MaxUnreachable { max, best }, Vi) => format!("điểm tối đa là {} nhưng mức cao nhất của cách chấm điểm chỉ cho {} điểm, nên không bao giờ đạt điểm tối đa; sửa điểm tối đa hoặc các mức điểm cho khớp với văn bản", n(max, Vi), n(best, Vi)),
            (MaxUnreachable { max, best }, En) => format!("the maximum is {} but the best outcome of the scoring rule gives only {} points, so full marks can never be reached; correct the maximum or the awards to match the source", n(max, En), n(best, En)),
            (RescaleNeedsMax { parent: None }, Vi) => "quy đổi về thang điểm tối đa (rescale_to_max) cần điểm tối đa (max_points) của chính tiêu chí này".into(),
            (RescaleNeedsMax { parent: None }, En) => "rescaling to the maximum (rescale_to_max) needs this criterion's own maximum points (max_points)".into(),
            (RescaleNeedsMax { parent: Some(p) }, Vi) => format!("tiêu chí {p} quy đổi điểm các tiêu chí thành phần về thang điểm tối đa (rescale_to_max), nên tiêu chí này cần điểm tối đa (max_points)"),
            (RescaleNeedsMax { parent: Some(p) }, En) => format!("{p} rescales its sub-criteria's points to its maximum (rescale_to_max), so this criterion needs its maximum points (max_points)"),
        }
    }
}

/// Plain words for the parts of messages that come from elsewhere: parser details,
/// operating-system errors, field names and ranges written in Vietnamese.
mod words {
    use crate::text::Lang;

    /// A field, option, tier or band name as people read it.
    pub(super) fn what(what: &str, lang: Lang) -> String {
        // Bilingual labels written "english / tiếng Việt".
        if let Some((en, vi)) = what.split_once(" / ") {
            return match lang {
                Lang::Vi => vi.to_owned(),
                Lang::En => en.to_owned(),
            };
        }
        if let Some(n) = what.strip_prefix("tier ") {
            return match lang {
                Lang::Vi => format!("mức {n}"),
                Lang::En => format!("tier {n}"),
            };
        }
        if let Some(b) = what.strip_prefix("band ") {
            return match lang {
                Lang::Vi => format!("xếp loại \"{b}\""),
                Lang::En => format!("band \"{b}\""),
            };
        }
        let vi = match what {
            "yes" => "phương án \"có\" (yes)",
            "no" => "phương án \"không\" (no)",
            "on_time" => "phương án \"kịp thời\" (on_time)",
            "late" => "phương án \"không kịp thời\" (late)",
            "not_done" => "phương án \"không thực hiện\" (not_done)",
            "levels" => "danh sách mức chấm điểm (levels)",
            "tiers" => "danh sách mức chấm điểm (tiers)",
            "severities" => "danh sách mức vi phạm (severities)",
            "conditions" => "danh sách điều kiện (conditions)",
            "options" => "danh sách phương án trả lời (options)",
            "nodes" => "danh sách tiêu chí (nodes)",
            "cap" => "mức tối đa (cap)",
            "max_points" => "điểm tối đa (max_points)",
            "gate" => "ngưỡng tối thiểu (gate)",
            "threshold_percent" => "ngưỡng đạt điểm tối đa (threshold_percent)",
            "nominal" => "khoảng danh nghĩa (nominal)",
            "award" => "phương án",
            _ => "",
        };
        let en = match what {
            "yes" | "no" | "on_time" | "late" | "not_done" => Some(format!("outcome \"{what}\"")),
            "levels" | "tiers" | "severities" | "conditions" | "options" | "nodes" | "cap"
            | "max_points" | "gate" | "threshold_percent" | "nominal" => Some(what.to_owned()),
            "award" => Some("outcome".to_owned()),
            _ => None,
        };
        match lang {
            Lang::Vi if !vi.is_empty() => vi.to_owned(),
            Lang::Vi => format!("mức \"{what}\""),
            Lang::En => en.unwrap_or_else(|| format!("option \"{what}\"")),
        }
    }

    /// A range described in Vietnamese (`từ 70% đến dưới 90%`), in English.
    pub(super) fn range_en(range: &str) -> String {
        let mut s = range.to_owned();
        for (vi, en) in [
            ("mọi giá trị", "any value"),
            ("đúng ", "exactly "),
            (" đến dưới ", " to under "),
            (" đến ", " to "),
            ("từ ", "from "),
            ("trên ", "over "),
            ("không quá ", "at most "),
            ("dưới ", "under "),
        ] {
            s = s.replace(vi, en);
        }
        // Decimal comma between digits → decimal point.
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        for (i, &c) in chars.iter().enumerate() {
            let between_digits = c == ','
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
            out.push(if between_digits { '.' } else { c });
        }
        out
    }

    /// A phrase written "english / tiếng Việt" in `lang`; any other text verbatim (names
    /// of limits, units and encodings in `LimitExceeded` and `NotUtf8`).
    pub(super) fn both(s: &str, lang: Lang) -> String {
        match (s.split_once(" / "), lang) {
            (Some((_, vi)), Lang::Vi) => vi.to_owned(),
            (Some((en, _)), Lang::En) => en.to_owned(),
            (None, _) => s.to_owned(),
        }
    }

    /// A unit after a number: " bytes", " byte"…; nothing for a plain count.
    pub(super) fn unit(unit: &str, lang: Lang) -> String {
        match both(unit, lang) {
            u if u.is_empty() => u,
            u => format!(" {u}"),
        }
    }

    /// The plain-words rendering of the first known phrase `detail` contains, else `detail`.
    fn first_known(known: &[(&str, &str, &str)], detail: &str, lang: Lang) -> String {
        known
            .iter()
            .find(|(needle, _, _)| detail.contains(needle))
            .map(|(_, vi, en)| match lang {
                Lang::Vi => (*vi).to_owned(),
                Lang::En => (*en).to_owned(),
            })
            .unwrap_or_else(|| detail.to_owned())
    }

    /// Operating-system error text of a failed write (never worded as a read).
    pub(super) fn io_write(detail: &str, lang: Lang) -> String {
        let known = [
            (
                "Is a directory",
                "đây là một thư mục, không phải tệp",
                "this is a folder, not a file",
            ),
            (
                "Not a directory",
                "một phần của đường dẫn là tệp, không phải thư mục",
                "a part of the path is a file, not a folder",
            ),
            (
                "No space left",
                "ổ đĩa đã hết chỗ trống",
                "no space left on the device",
            ),
            (
                "No such file",
                "thư mục chứa tệp không tồn tại",
                "the folder does not exist",
            ),
            (
                "cannot find the",
                "thư mục chứa tệp không tồn tại",
                "the folder does not exist",
            ),
            (
                "Permission denied",
                "không có quyền ghi tệp",
                "permission to write denied",
            ),
            (
                "Access is denied",
                "không có quyền ghi tệp",
                "permission to write denied",
            ),
            (
                "Read-only file system",
                "ổ đĩa chỉ cho phép đọc",
                "the file system is read-only",
            ),
            (
                "quota exceeded",
                "đã vượt hạn mức dung lượng",
                "disk quota exceeded",
            ),
            (
                "File too large",
                "tệp vượt kích thước hệ thống cho phép",
                "the file is larger than the system allows",
            ),
        ];
        first_known(&known, detail, lang)
    }

    /// Operating-system error text.
    pub(super) fn io(detail: &str, lang: Lang) -> String {
        let known = [
            (
                "Is a directory",
                "đây là một thư mục, không phải tệp",
                "this is a folder, not a file",
            ),
            ("No such file", "không tìm thấy tệp", "no such file"),
            ("cannot find the", "không tìm thấy tệp", "no such file"),
            (
                "Permission denied",
                "không có quyền đọc tệp",
                "permission denied",
            ),
            (
                "Access is denied",
                "không có quyền đọc tệp",
                "permission denied",
            ),
            (
                "valid UTF-8",
                "tệp không phải là văn bản UTF-8; có thể là tệp nhị phân hoặc dùng bảng mã khác",
                "the file is not UTF-8 text; it may be a binary file or use another encoding",
            ),
        ];
        first_known(&known, detail, lang)
    }

    /// JSON parser detail.
    pub(super) fn syntax(detail: &str, lang: Lang) -> String {
        let known = [
            (
                "EOF while parsing a string",
                "chuỗi chưa được đóng bằng dấu ngoặc kép",
                "a string is not closed with a double quote",
            ),
            (
                "EOF while parsing",
                "tệp trống hoặc kết thúc giữa chừng",
                "the file is empty or ends too early",
            ),
            (
                "expected `,` or `}`",
                "thiếu dấu phẩy \",\" hoặc dấu đóng \"}\"",
                "a comma \",\" or a closing \"}\" is missing",
            ),
            (
                "expected `,` or `]`",
                "thiếu dấu phẩy \",\" hoặc dấu đóng \"]\"",
                "a comma \",\" or a closing \"]\" is missing",
            ),
            (
                "expected `:`",
                "thiếu dấu hai chấm \":\" sau tên trường",
                "a colon \":\" is missing after a field name",
            ),
            (
                "trailing comma",
                "thừa dấu phẩy \",\" ở cuối danh sách",
                "an extra comma \",\" before the end of a list",
            ),
            (
                "trailing characters",
                "có nội dung thừa sau khi JSON đã kết thúc",
                "extra text after the end of the JSON",
            ),
            (
                "key must be a string",
                "tên trường phải đặt trong dấu ngoặc kép",
                "a field name must be in double quotes",
            ),
            (
                "expected value",
                "thiếu giá trị hoặc giá trị không hợp lệ",
                "a value is missing or invalid",
            ),
            (
                "expected ident",
                "giá trị không hợp lệ (chỉ dùng true, false hoặc null)",
                "invalid value (only true, false or null)",
            ),
            (
                "number out of range",
                "số quá lớn",
                "the number is too large",
            ),
            ("invalid number", "số không hợp lệ", "invalid number"),
            (
                "recursion limit exceeded",
                "dữ liệu lồng nhau quá sâu",
                "the data is nested too deeply",
            ),
            (
                "control character",
                "chuỗi chứa ký tự điều khiển (ví dụ xuống dòng) chưa được viết thoát",
                "a string contains an unescaped control character (e.g. a line break)",
            ),
            (
                "invalid escape",
                "chuỗi có ký tự thoát \"\\\" không hợp lệ",
                "a string has an invalid \"\\\" escape",
            ),
        ];
        first_known(&known, detail, lang)
    }

    /// Text between backticks, in order: "unknown field `a`, expected one of `b`, `c`" → [a, b, c].
    fn ticked(s: &str) -> Vec<&str> {
        s.split('`').skip(1).step_by(2).collect()
    }

    /// A Rust type name as people read it.
    fn expected(e: &str, lang: Lang) -> String {
        let e = e.trim();
        let (vi, en) = if e.contains("Decimal") {
            (
                "một số thập phân, nên viết trong ngoặc kép, ví dụ \"2.5\"",
                "a decimal number, best written as a string, e.g. \"2.5\"",
            )
        } else if e == "struct Text" {
            (
                "một đối tượng {\"vi\": \"…\", \"en\": \"…\"}",
                "an object {\"vi\": \"…\", \"en\": \"…\"}",
            )
        } else if e.starts_with("struct ") || e.starts_with("a map") || e.contains("enum") {
            ("một đối tượng JSON {…}", "a JSON object {…}")
        } else if e.contains("sequence") || e.starts_with("a Vec") {
            ("một danh sách JSON […]", "a JSON list […]")
        } else if e.contains("string") {
            ("một chuỗi trong ngoặc kép", "a string in double quotes")
        } else if e.contains("boolean") {
            ("true hoặc false", "true or false")
        } else if e.starts_with('i') || e.starts_with('u') || e.contains("integer") {
            ("một số nguyên", "a whole number")
        } else {
            return e.to_owned();
        };
        match lang {
            Lang::Vi => vi.to_owned(),
            Lang::En => en.to_owned(),
        }
    }

    /// What was found, from "string \"x\"", "boolean `true`", "integer `5`", "map"…
    fn found(f: &str, lang: Lang) -> String {
        let f = f.trim();
        let (kind, rest) = f.split_once(' ').unwrap_or((f, ""));
        let rest = rest.trim_matches('`');
        let vi = match kind {
            "string" => format!("chuỗi {rest}"),
            "boolean" => format!("giá trị {rest}"),
            "integer" | "floating" => {
                format!("số {}", rest.trim_start_matches("point ").trim_matches('`'))
            }
            "map" => "một đối tượng {…}".to_owned(),
            "sequence" => "một danh sách […]".to_owned(),
            "null" => "null".to_owned(),
            _ => f.to_owned(),
        };
        let en = match kind {
            "string" => format!("the string {rest}"),
            "boolean" => format!("the value {rest}"),
            "integer" | "floating" => format!(
                "the number {}",
                rest.trim_start_matches("point ").trim_matches('`')
            ),
            "map" => "an object {…}".to_owned(),
            "sequence" => "a list […]".to_owned(),
            "null" => "null".to_owned(),
            _ => f.to_owned(),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Shape detail from the deserializer.
    pub(super) fn structure(detail: &str, lang: Lang) -> String {
        let names = ticked(detail);
        let list = |v: &[&str]| {
            v.iter()
                .map(|x| format!("\"{x}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if detail.starts_with("missing field") {
            if let Some(f) = names.first() {
                return match lang {
                    Lang::Vi => format!("thiếu trường bắt buộc \"{f}\""),
                    Lang::En => format!("missing field \"{f}\", which is required"),
                };
            }
        }
        if detail.starts_with("unknown field") {
            if let Some((f, allowed)) = names.split_first() {
                return match (lang, allowed.is_empty()) {
                    (Lang::Vi, false) => format!("trường \"{f}\" không được dùng ở đây (có thể viết sai tên); các trường hợp lệ: {}", list(allowed)),
                    (Lang::En, false) => format!("field \"{f}\" is not allowed here (perhaps misspelt); valid fields: {}", list(allowed)),
                    (Lang::Vi, true) => format!("trường \"{f}\" không được dùng ở đây"),
                    (Lang::En, true) => format!("field \"{f}\" is not allowed here"),
                };
            }
        }
        if detail.starts_with("unknown variant") {
            if let Some((f, allowed)) = names.split_first() {
                return match lang {
                    Lang::Vi => format!(
                        "\"{f}\" không phải là giá trị hợp lệ; các giá trị hợp lệ: {}",
                        list(allowed)
                    ),
                    Lang::En => format!(
                        "\"{f}\" is not a valid choice; valid choices: {}",
                        list(allowed)
                    ),
                };
            }
        }
        if let Some(rest) = detail.strip_prefix("invalid type: ") {
            if let Some((f, e)) = rest.split_once(", expected ") {
                return match lang {
                    Lang::Vi => format!(
                        "sai kiểu dữ liệu: đang là {}, cần {}",
                        found(f, lang),
                        expected(e, lang)
                    ),
                    Lang::En => format!(
                        "wrong kind of value: found {}, expected {}",
                        found(f, lang),
                        expected(e, lang)
                    ),
                };
            }
        }
        if let Some(rest) = detail.strip_prefix("invalid value: ") {
            if let Some((f, e)) = rest.split_once(", expected ") {
                return match lang {
                    Lang::Vi => format!(
                        "giá trị không hợp lệ: đang là {}, cần {}",
                        found(f, lang),
                        expected(e, lang)
                    ),
                    Lang::En => format!(
                        "invalid value: found {}, expected {}",
                        found(f, lang),
                        expected(e, lang)
                    ),
                };
            }
        }
        if detail.starts_with("duplicate field") {
            if let Some(f) = names.first() {
                return match lang {
                    Lang::Vi => format!("trường \"{f}\" được ghi hai lần"),
                    Lang::En => format!("field \"{f}\" is written twice"),
                };
            }
        }
        detail.to_owned()
    }
}
