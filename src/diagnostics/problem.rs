//! [`Problem`]: what is wrong, one variant per kind of problem, with a stable `type` tag.

use crate::assessment::ValueKind;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// Values read by one compiled plan given to another (program error, not a data
    /// error).
    ValuesOfAnotherPlan,
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
    /// A problem of a table file (dossiers, publications, survey answers, the working
    /// calendar) under its own stable code, with its message in both languages.
    Coded {
        /// Stable code, meant for programs: `records_*`, `publications_*`, `survey_*`,
        /// `calendar_*`.
        code: String,
        /// The offending text, escaped and shortened (empty when there is none).
        text: String,
        /// Message in Vietnamese.
        vi: String,
        /// Message in English.
        en: String,
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
    /// The stable code of the problem, meant for programs: the domain code of a
    /// [`Problem::Coded`] (`records_due_before_receipt`), otherwise the `type` tag
    /// ([`Problem::tag`]: `unknown_code`, `syntax`).
    ///
    /// ```
    /// use chiso::Problem;
    /// assert_eq!(Problem::UnknownCode.stable_code(), "unknown_code");
    /// let p = Problem::Coded { code: "records_no_due".into(), text: String::new(), vi: "…".into(), en: "…".into() };
    /// assert_eq!(p.stable_code(), "records_no_due");
    /// ```
    pub fn stable_code(&self) -> &str {
        match self {
            Problem::Coded { code, .. } => code,
            other => other.tag(),
        }
    }

    /// The serde `type` tag of the problem, without serializing it (cheap, and small in
    /// WebAssembly); a test checks it against the serialized tag of every variant.
    pub fn tag(&self) -> &'static str {
        use Problem::*;
        match self {
            MissingColumns { .. } => "missing_columns",
            UnreadableCode { .. } => "unreadable_code",
            UnreadableNumber { .. } => "unreadable_number",
            RuleSyntax { .. } => "rule_syntax",
            AmbiguousBound { .. } => "ambiguous_bound",
            WordingNotRecognised { .. } => "wording_not_recognised",
            UnreadableValue { .. } => "unreadable_value",
            Io { .. } => "io",
            Syntax { .. } => "syntax",
            Structure { .. } => "structure",
            WrongFormat { .. } => "wrong_format",
            EmptyCode => "empty_code",
            DuplicateCode { .. } => "duplicate_code",
            NoRuleNoChildren => "no_rule_no_children",
            RuleAndChildren => "rule_and_children",
            AggregationOnLeaf => "aggregation_on_leaf",
            MaxMismatch { .. } => "max_mismatch",
            MaxRequired => "max_required",
            WeightMissing { .. } => "weight_missing",
            WeightUnknownChild { .. } => "weight_unknown_child",
            WeightNotPositive { .. } => "weight_not_positive",
            PointsAboveMax { .. } => "points_above_max",
            Negative { .. } => "negative",
            AwardSpec { .. } => "award_spec",
            PercentOutOfRange { .. } => "percent_out_of_range",
            DuplicateKey { .. } => "duplicate_key",
            Empty { .. } => "empty",
            EmptyInterval { .. } => "empty_interval",
            Overlap { .. } => "overlap",
            Uncovered { .. } => "uncovered",
            StepNotPositive => "step_not_positive",
            TooDeep { .. } => "too_deep",
            TooManyNodes { .. } => "too_many_nodes",
            IndexMismatch { .. } => "index_mismatch",
            UnknownCode => "unknown_code",
            UnknownAdjustment => "unknown_adjustment",
            ValueOnParent => "value_on_parent",
            WrongValueKind { .. } => "wrong_value_kind",
            UnknownOption { .. } => "unknown_option",
            MissingCondition { .. } => "missing_condition",
            UnknownCondition { .. } => "unknown_condition",
            OutOfRange { .. } => "out_of_range",
            NotWhole { .. } => "not_whole",
            NotOnStep { .. } => "not_on_step",
            NumeratorAboveDenominator { .. } => "numerator_above_denominator",
            ZeroDenominator => "zero_denominator",
            NoTier { .. } => "no_tier",
            NoAnswers => "no_answers",
            OutsideNominalRange { .. } => "outside_nominal_range",
            LayerIgnored { .. } => "layer_ignored",
            ValuesIgnoredNotApplicable => "values_ignored_not_applicable",
            TooLarge { .. } => "too_large",
            NotAnIndexForYear { .. } => "not_an_index_for_year",
            IndexVersionMismatch { .. } => "index_version_mismatch",
            InputsMismatch { .. } => "inputs_mismatch",
            ValuesOfAnotherPlan => "values_of_another_plan",
            OverrideSameAsBase => "override_same_as_base",
            OverrideNoEffect => "override_no_effect",
            NotWeighted { .. } => "not_weighted",
            ParameterNotInRule { .. } => "parameter_not_in_rule",
            NoSuchTier { .. } => "no_such_tier",
            UnknownUnit { .. } => "unknown_unit",
            UnknownBand { .. } => "unknown_band",
            TotalMissing => "total_missing",
            UnknownUnitType { .. } => "unknown_unit_type",
            UnitTypeExcludesAll { .. } => "unit_type_excludes_all",
            UnitTypeMaxMismatch { .. } => "unit_type_max_mismatch",
            ExcludedWithAncestor { .. } => "excluded_with_ancestor",
            ValuesIgnoredUnitType { .. } => "values_ignored_unit_type",
            LimitExceeded { .. } => "limit_exceeded",
            Overflow { .. } => "overflow",
            NotUtf8 { .. } => "not_utf8",
            CannotWrite { .. } => "cannot_write",
            HiddenSheetSkipped { .. } => "hidden_sheet_skipped",
            DuplicateColumn { .. } => "duplicate_column",
            FormulaWithoutValue { .. } => "formula_without_value",
            UnreadableWorkbook { .. } => "unreadable_workbook",
            Coded { .. } => "coded",
            MaxUnreachable { .. } => "max_unreachable",
            RescaleNeedsMax { .. } => "rescale_needs_max",
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Problem;
    use serde_json::{json, Value};

    /// A value for a property of the schema: the first kind of a `$ref` enum, else the
    /// simplest value of its type.
    fn filler(prop: &Value, defs: &Value) -> Value {
        if let Some(r) = prop["$ref"].as_str() {
            let def = &defs[r.trim_start_matches("#/$defs/")];
            let first = def["oneOf"][0]["const"].clone();
            return if first.is_null() {
                def["enum"][0].clone()
            } else {
                first
            };
        }
        let ty = match &prop["type"] {
            Value::Array(kinds) => kinds[0].as_str().unwrap_or("null").to_owned(),
            t => t.as_str().unwrap_or("null").to_owned(),
        };
        match ty.as_str() {
            "string" => json!("1"),
            "integer" | "number" => json!(1),
            "boolean" => json!(false),
            "array" => json!([]),
            _ => Value::Null,
        }
    }

    #[test]
    fn tag_is_the_serialized_type_of_every_variant() {
        let schema = serde_json::to_value(schemars::schema_for!(Problem)).unwrap();
        let defs = &schema["$defs"];
        let variants = schema["oneOf"].as_array().unwrap();
        assert!(variants.len() >= 79, "{}", variants.len());
        for v in variants {
            let tag = v["properties"]["type"]["const"].as_str().unwrap();
            let mut instance = serde_json::Map::new();
            for (k, prop) in v["properties"].as_object().unwrap() {
                if k != "type" {
                    instance.insert(k.clone(), filler(prop, defs));
                }
            }
            instance.insert("type".into(), json!(tag));
            let p: Problem = serde_json::from_value(Value::Object(instance)).unwrap();
            assert_eq!(p.tag(), tag);
            assert_eq!(serde_json::to_value(&p).unwrap()["type"], tag);
        }
    }
}
