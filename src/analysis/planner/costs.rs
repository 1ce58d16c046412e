//! The costs file (`chiso.costs/1`): the cost of a step per leaf, the fixed leaves and the
//! grid of proportional rates; its checks against an index, and the exactness of every
//! plan's total cost.

use super::{overflow, Group, COSTS_FILE, COSTS_FORMAT};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::Index;
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Cost of improvements per leaf (`chiso.costs/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// Format tag, always `chiso.costs/1`.
    pub format: String,
    /// Index id the costs are for (checked when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// Cost of one step of a leaf not listed (default 1).
    #[serde(default = "one")]
    pub default: Decimal,
    /// Cost of one step per leaf code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub leaves: BTreeMap<String, Decimal>,
    /// Leaves that cannot be changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
    /// Grid of `proportional` rates, in percentage points (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proportional_step_percent: Option<Decimal>,
    /// Notes (where the costs come from).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
}

fn one() -> Decimal {
    Decimal::ONE
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            format: COSTS_FORMAT.into(),
            index: None,
            default: Decimal::ONE,
            leaves: BTreeMap::new(),
            fixed: Vec::new(),
            proportional_step_percent: None,
            notes: Vec::new(),
        }
    }
}

impl Costs {
    /// Parses a costs file.
    pub fn parse(text: &str) -> Result<Costs, Diagnostics> {
        let v = crate::load::parse(text)?;
        let c: Costs = crate::load::typed(v, "$", None).map_err(|d| Diagnostics(vec![*d]))?;
        if c.format != COSTS_FORMAT {
            return Err(Diagnostics(vec![Diagnostic::error(
                "$.format",
                None,
                Problem::WrongFormat {
                    expected: COSTS_FORMAT.into(),
                    found: c.format,
                },
            )]));
        }
        Ok(c)
    }

    /// Checks the costs against an index: unknown codes, parents, negative costs.
    pub fn check(&self, index: &Index) -> Diagnostics {
        let mut d = Diagnostics::default();
        if let Some(id) = &self.index {
            if id != &index.definition().id {
                d.push(Diagnostic::error(
                    "$.index",
                    None,
                    Problem::IndexMismatch {
                        expected: index.definition().id.clone(),
                        found: id.clone(),
                    },
                ));
            }
        }
        let neg = |v: Decimal| v.is_sign_negative() && !v.is_zero();
        if neg(self.default) {
            d.push(Diagnostic::error(
                "$.default",
                None,
                Problem::Negative {
                    what: "cost / chi phí".into(),
                    value: self.default,
                },
            ));
        }
        // Costs, like every number chiso reads, stay below 10¹⁵: sums of steps and
        // plans then cannot overflow.
        let too_large = |v: Decimal| Problem::TooLarge {
            value: v,
            limit: crate::rule::INPUT_LIMIT,
        };
        if crate::rule::bounded(self.default).is_err() {
            d.push(Diagnostic::error(
                "$.default",
                None,
                too_large(self.default),
            ));
        }
        if let Some(s) = self.proportional_step_percent {
            if crate::rule::bounded(s).is_err() {
                d.push(Diagnostic::error(
                    "$.proportional_step_percent",
                    None,
                    too_large(s),
                ));
            }
            if s <= Decimal::ZERO {
                d.push(Diagnostic::error(
                    "$.proportional_step_percent",
                    None,
                    Problem::StepNotPositive,
                ));
            }
        }
        let leaf = |code: &str| index.node(code).map(|n| n.is_leaf() && n.parent.is_some());
        for (code, v) in &self.leaves {
            let path = crate::json::path::keyed("leaves", code);
            match leaf(code) {
                None => d.push(Diagnostic::error(path, Some(code), Problem::UnknownCode)),
                Some(false) => d.push(Diagnostic::error(path, Some(code), Problem::ValueOnParent)),
                Some(true) if neg(*v) => d.push(Diagnostic::error(
                    path,
                    Some(code),
                    Problem::Negative {
                        what: "cost / chi phí".into(),
                        value: *v,
                    },
                )),
                Some(true) if crate::rule::bounded(*v).is_err() => {
                    d.push(Diagnostic::error(path, Some(code), too_large(*v)))
                }
                Some(true) => {}
            }
        }
        for (i, code) in self.fixed.iter().enumerate() {
            let path = format!("$.fixed[{i}]");
            match leaf(code) {
                None => d.push(Diagnostic::error(path, Some(code), Problem::UnknownCode)),
                Some(false) => d.push(Diagnostic::error(path, Some(code), Problem::ValueOnParent)),
                Some(true) => {}
            }
        }
        d
    }

    pub(super) fn unit_cost(&self, code: &str) -> Decimal {
        self.leaves.get(code).copied().unwrap_or(self.default)
    }

    /// Where the cost of a step of `code` is written in the costs file.
    pub(super) fn path_of(&self, code: &str) -> String {
        if self.leaves.contains_key(code) {
            crate::json::path::keyed("leaves", code)
        } else {
            "$.default".into()
        }
    }
}

/// Every plan's total cost must be exact: the dearest option of every leaf, added at
/// the finest scale of the costs, must fit a `Decimal` (96-bit mantissa). Costs of very
/// different magnitudes (999999999999999 beside 0.000000000000001) would need more than
/// 28 significant digits: an [`Problem::Overflow`] in the costs file, not a rounded sum.
pub(super) fn exact_costs(groups: &[Group]) -> Result<(), Diagnostics> {
    let scale = groups
        .iter()
        .flat_map(|g| g.options.iter())
        .map(|o| o.cost.normalize().scale())
        .max()
        .unwrap_or(0);
    let mut total: i128 = 0;
    for g in groups {
        let top = g.options.iter().map(|o| o.cost).max().unwrap_or_default();
        let n = top.normalize();
        let m = 10i128
            .checked_pow(scale - n.scale())
            .and_then(|f| n.mantissa().checked_mul(f))
            .and_then(|m| total.checked_add(m));
        match m {
            Some(t) if t < 1i128 << 96 => total = t,
            _ => {
                return Err(overflow(
                    "$",
                    "total cost of a plan: the costs need more than 28 significant digits together / tổng chi phí của một kế hoạch: các chi phí cộng lại cần hơn 28 chữ số có nghĩa",
                )
                .in_file(COSTS_FILE))
            }
        }
    }
    Ok(())
}
