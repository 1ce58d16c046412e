//! Minimum sample size for a margin of error on a satisfaction rate.
//!
//! For a proportion `p` estimated with margin `e` (a proportion: 0.05 = ±5 percentage
//! points) at confidence level `1 − α` with normal quantile `z`:
//!
//! ```text
//! n₀ = z² · p · (1 − p) / e²                      simple random sample
//! n₁ = n₀ / (1 + (n₀ − 1) / N)                    finite population N (optional)
//! n  = ⌈ n₁ · deff ⌉                               design effect of the weights
//! ```
//!
//! `p = 0.5` gives the largest `n` (the conservative choice when nothing is known).
//! The design effect of a unit's weights is Kish's `deff = n·Σw² / (Σw)²` (1 for equal
//! weights), so a weighted sample needs proportionally more respondents. `z` is the
//! conventional three-decimal value: 1.645 (90 %), 1.96 (95 %), 2.576 (99 %).

use super::error::{OptionProblem, SurveyError};
use super::estimate::SurveyResult;
use super::sheet::{Answers, WEIGHT_SCALE};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The sample-size check of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SampleSize {
    /// Margin of error asked for (a proportion: 0.05 = ±5 percentage points).
    pub margin: Decimal,
    /// Confidence level.
    pub level: Decimal,
    /// Normal quantile used for the level.
    pub z: Decimal,
    /// Expected proportion used (0.5 = the most conservative).
    pub proportion: Decimal,
    /// Kish design effect of the unit's weights (1 when unweighted).
    pub design_effect: Decimal,
    /// Respondents needed.
    pub required: u64,
    /// Respondents the unit has.
    pub respondents: u64,
    /// Whether the unit has at least the respondents needed.
    pub sufficient: bool,
}

/// The normal quantile for a two-sided level: 0.90, 0.95 or 0.99.
///
/// ```
/// use chiso::survey::sample_size::z_value;
/// assert_eq!(z_value("0.95".parse().unwrap()), Some("1.96".parse().unwrap()));
/// assert_eq!(z_value("0.8".parse().unwrap()), None);
/// ```
pub fn z_value(level: Decimal) -> Option<Decimal> {
    let l = level.normalize();
    [
        (Decimal::new(9, 1), Decimal::new(1645, 3)),
        (Decimal::new(95, 2), Decimal::new(196, 2)),
        (Decimal::new(99, 2), Decimal::new(2576, 3)),
    ]
    .into_iter()
    .find(|(k, _)| *k == l)
    .map(|(_, z)| z)
}

/// Respondents needed for margin `margin` at confidence `level`, expected proportion
/// `p`, design effect `deff` and, optionally, a finite population.
///
/// ```
/// use chiso::survey::minimum_sample_size;
/// let d = |s: &str| s.parse::<chiso::Decimal>().unwrap();
/// // 1.96² · 0.25 / 0.05² = 384.16 → 385 respondents.
/// assert_eq!(minimum_sample_size(d("0.05"), d("0.95"), d("0.5"), d("1"), None).unwrap(), 385);
/// ```
pub fn minimum_sample_size(
    margin: Decimal,
    level: Decimal,
    p: Decimal,
    deff: Decimal,
    population: Option<u64>,
) -> Result<u64, SurveyError> {
    if margin <= Decimal::ZERO || margin >= Decimal::ONE {
        return Err(OptionProblem::MarginOutOfRange { margin }.into());
    }
    if p <= Decimal::ZERO || p >= Decimal::ONE {
        return Err(OptionProblem::ProportionOutOfRange { p }.into());
    }
    if deff <= Decimal::ZERO {
        return Err(OptionProblem::DesignEffectNotPositive { deff }.into());
    }
    let z = z_value(level).ok_or(OptionProblem::UnsupportedLevel { level })?;
    let too_much = || OptionProblem::DesignEffectNotPositive { deff };
    let mut n = (z * z * p * (Decimal::ONE - p))
        .checked_div(margin * margin)
        .ok_or_else(too_much)?;
    if let Some(pop) = population.filter(|p| *p > 0) {
        n = n
            .checked_div(Decimal::ONE + (n - Decimal::ONE) / Decimal::from(pop))
            .ok_or_else(too_much)?;
    }
    let n = n.checked_mul(deff).ok_or_else(too_much)?.ceil();
    u64::try_from(n.mantissa() / 10i128.pow(n.scale())).map_err(|_| too_much().into())
}

/// Kish's design effect `n·Σw² / (Σw)²` of the respondents of every unit (1 when
/// unweighted, `None` for a unit without respondents).
pub fn design_effects(answers: &Answers) -> Vec<Option<Decimal>> {
    let units = answers.units().len();
    let mut n = vec![0u64; units];
    let mut sum = vec![Decimal::ZERO; units];
    let mut sq = vec![Some(Decimal::ZERO); units];
    for (r, &u) in answers.unit_of.iter().enumerate() {
        let u = u as usize;
        n[u] += 1;
        if answers.is_weighted() {
            let w = Decimal::try_from_i128_with_scale(answers.weight(r), WEIGHT_SCALE).ok();
            sq[u] = match (sq[u], w) {
                (Some(s), Some(w)) => w.checked_mul(w).and_then(|w2| s.checked_add(w2)),
                _ => None,
            };
            sum[u] = w.and_then(|w| sum[u].checked_add(w)).unwrap_or(sum[u]);
        }
    }
    (0..units)
        .map(|u| match n[u] {
            0 => None,
            _ if !answers.is_weighted() => Some(Decimal::ONE),
            k => Decimal::from(k)
                .checked_mul(sq[u]?)?
                .checked_div(sum[u].checked_mul(sum[u])?),
        })
        .collect()
}

/// Adds the sample-size check (margin `margin`, level `level`, p = 0.5) to every unit
/// of `result`.
///
/// ```
/// use chiso::survey::{estimate, read_csv, sample_size::add_sample_sizes, ReadOptions, Survey};
/// let survey = Survey::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/sipas/sipas-1001-2023-q9.survey.json").as_ref()).unwrap();
/// let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples-data/sipas-sample.csv")).unwrap();
/// let answers = read_csv(&survey, csv.as_slice(), &ReadOptions::default()).unwrap();
/// let mut result = estimate(&survey, &answers).unwrap();
/// add_sample_sizes(&answers, &mut result, "0.05".parse().unwrap(), "0.95".parse().unwrap()).unwrap();
/// assert!(result.units.iter().all(|u| u.sample_size.as_ref().is_some_and(|s| s.required >= 385)));
/// ```
pub fn add_sample_sizes(
    answers: &Answers,
    result: &mut SurveyResult,
    margin: Decimal,
    level: Decimal,
) -> Result<(), SurveyError> {
    let p = Decimal::new(5, 1);
    // Validate once, even for a sheet without respondents.
    minimum_sample_size(margin, level, p, Decimal::ONE, None)?;
    let z = z_value(level).unwrap_or_default();
    let deffs = design_effects(answers);
    for (u, unit) in result.units.iter_mut().enumerate() {
        let Some(deff) = deffs.get(u).copied().flatten() else {
            unit.sample_size = None;
            continue;
        };
        let required = minimum_sample_size(margin, level, p, deff, None)?;
        unit.sample_size = Some(SampleSize {
            margin: margin.normalize(),
            level: level.normalize(),
            z,
            proportion: p,
            design_effect: deff.normalize(),
            required,
            respondents: unit.respondents,
            sufficient: unit.respondents >= required,
        });
    }
    Ok(())
}
