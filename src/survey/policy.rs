//! Declared policies for gaps in the answers: "no answer", answers off the scale, and
//! items nobody in a unit answered. The 1001 method does not publish how it treats
//! them (reference `sipas.md` §7), so a definition must declare each one; there is no
//! silent default.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The three policies of a survey definition (all required).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    /// An empty cell, or a cell holding one of the scale's `no_answer_codes`.
    pub no_answer: NoAnswerPolicy,
    /// A number that is not a value of the scale (e.g. `6` or `0` on a 1–5 scale).
    pub out_of_range: OutOfRangePolicy,
    /// An item (block, component) without any valid answer in a unit.
    pub empty_item: EmptyItemPolicy,
}

/// What a "no answer" (không trả lời) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoAnswerPolicy {
    /// Left out of the item: the rate is the share of **valid** answers that are
    /// satisfied (the reading of `sipas.md` §3, "% of valid answers rated 4 or 5").
    Exclude,
    /// Counted in the item's denominator as not satisfied. The mean score still
    /// leaves it out (a no-answer has no score).
    Unsatisfied,
    /// The respondent is left out entirely when any declared item has no answer
    /// (complete cases only); the result counts the respondents dropped per unit.
    DropRespondent,
    /// A no-answer is an input error (located: row, column, respondent).
    Error,
}

/// What a number off the answer scale does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutOfRangePolicy {
    /// An input error (located: row, column, respondent).
    Error,
    /// Treated as a no-answer (then the no-answer policy applies); counted in the result.
    NoAnswer,
}

/// What an item without any valid answer in a unit does to its block (and a block
/// without a value to its component, a component to the index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmptyItemPolicy {
    /// Left out: the parent is the weighted mean over the children that have a value
    /// (weights renormalised). The parent has no value only when no child has one.
    Skip,
    /// The parent has no value either (no imputation), and so on up to the index.
    Propagate,
}
