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

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// What is wrong. The `type` tag is stable and meant for programs (a form highlights
/// the field); the message is meant for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
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
}

impl Problem {
    /// Human message in `lang`, in the words of the criterion.
    pub fn message(&self, lang: Lang) -> String {
        use Lang::*;
        use Problem::*;
        match (self, lang) {
            (Io { detail }, Vi) => format!("không đọc được tệp ({detail})"),
            (Io { detail }, En) => format!("cannot read the file ({detail})"),
            (Syntax { line, column, detail }, Vi) => format!("tệp không đúng cú pháp JSON ở dòng {line}, cột {column} ({detail})"),
            (Syntax { line, column, detail }, En) => format!("the file is not valid JSON at line {line}, column {column} ({detail})"),
            (Structure { detail }, Vi) => format!("nội dung không đúng cấu trúc ({detail})"),
            (Structure { detail }, En) => format!("the content does not have the expected shape ({detail})"),
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
            (PointsAboveMax { what, points, max }, Vi) => format!("{what}: {} điểm vượt điểm tối đa {}", n(points, Vi), n(max, Vi)),
            (PointsAboveMax { what, points, max }, En) => format!("{what}: {} points exceed the maximum of {}", n(points, En), n(max, En)),
            (Negative { what, value }, Vi) => format!("{what} không được âm (đang là {})", n(value, Vi)),
            (Negative { what, value }, En) => format!("{what} must not be negative (it is {})", n(value, En)),
            (AwardSpec { what }, Vi) => format!("{what}: phải ghi đúng một trong hai: số điểm (points) hoặc tỷ lệ % điểm tối đa (percent_of_max)"),
            (AwardSpec { what }, En) => format!("{what}: give exactly one of points or percent_of_max"),
            (PercentOutOfRange { what, value }, Vi) => format!("{what}: tỷ lệ {}% phải nằm trong khoảng 0–100%", n(value, Vi)),
            (PercentOutOfRange { what, value }, En) => format!("{what}: {}% must lie between 0 and 100%", n(value, En)),
            (DuplicateKey { key }, Vi) => format!("khóa \"{key}\" bị trùng"),
            (DuplicateKey { key }, En) => format!("key \"{key}\" is used twice"),
            (Empty { what }, Vi) => format!("{what} không được để trống"),
            (Empty { what }, En) => format!("{what} must not be empty"),
            (EmptyInterval { what }, Vi) => format!("{what} không chứa giá trị nào (cận dưới lớn hơn cận trên)"),
            (EmptyInterval { what }, En) => format!("{what} holds no value (its lower bound is above its upper bound)"),
            (Overlap { first, second, both }, Vi) => format!("{first} và {second} chồng lấn nhau ({both} thuộc cả hai)"),
            (Overlap { first, second, both }, En) => format!("{first} and {second} overlap ({both} belongs to both)"),
            (Uncovered { gap }, Vi) => format!("không mức nào áp dụng cho giá trị {gap}"),
            (Uncovered { gap }, En) => format!("no tier covers values {gap}"),
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
            (WrongValueKind { expected, found }, Vi) => format!("giá trị loại \"{found}\" không dùng được cho cách chấm điểm này; cần: {}", list(&expected.iter().map(|k| k.to_string()).collect::<Vec<_>>())),
            (WrongValueKind { expected, found }, En) => format!("a \"{found}\" value does not fit this scoring rule; expected: {}", list(&expected.iter().map(|k| k.to_string()).collect::<Vec<_>>())),
            (UnknownOption { option, allowed }, Vi) => format!("\"{option}\" không phải là mức chấm điểm của tiêu chí; các mức hợp lệ: {}", list(allowed)),
            (UnknownOption { option, allowed }, En) => format!("\"{option}\" is not an option of this criterion; valid options: {}", list(allowed)),
            (MissingCondition { key }, Vi) => format!("chưa trả lời điều kiện \"{key}\""),
            (MissingCondition { key }, En) => format!("condition \"{key}\" has no answer"),
            (UnknownCondition { key }, Vi) => format!("tiêu chí không có điều kiện \"{key}\""),
            (UnknownCondition { key }, En) => format!("the criterion has no condition \"{key}\""),
            (OutOfRange { value, range }, Vi) => format!("giá trị {} nằm ngoài khoảng cho phép ({range})", n(value, Vi)),
            (OutOfRange { value, range }, En) => format!("value {} is outside the allowed range ({range})", n(value, En)),
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
            (OutsideNominalRange { value, range }, En) => format!("value {} lies outside the nominal range {range}; it is kept as is, please check it", n(value, En)),
            (LayerIgnored { layer }, Vi) => format!("lớp điểm \"{layer}\" không được dùng cho tiêu chí này và bị bỏ qua"),
            (LayerIgnored { layer }, En) => format!("layer \"{layer}\" is not used by this criterion and is ignored"),
            (ValuesIgnoredNotApplicable, Vi) => "tiêu chí được đánh dấu không áp dụng nên các điểm đã nhập bị bỏ qua".into(),
            (ValuesIgnoredNotApplicable, En) => "the criterion is marked not applicable, so the values entered are ignored".into(),
            (TooLarge { value, limit }, Vi) => format!("số {} quá lớn (giới hạn ±{})", n(value, Vi), n(limit, Vi)),
            (TooLarge { value, limit }, En) => format!("the number {} is too large (limit ±{})", n(value, En), n(limit, En)),
            (NotAnIndexForYear { year }, Vi) => format!("bộ chỉ số không áp dụng cho năm {year}"),
            (NotAnIndexForYear { year }, En) => format!("the index does not apply to year {year}"),
        }
    }
}
