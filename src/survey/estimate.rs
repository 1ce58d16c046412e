//! Satisfaction rate and mean score of every item, block, component and of the index,
//! per unit and for all units, weighted when the sheet has weights; units ranked on
//! their exact index.
//!
//! Sums are exact: weights are integers (× 10¹²) summed per item and scale position;
//! each rate or mean is then one `Decimal` division, and parents are weighted means of
//! their children's `Decimal` values (see [`Aggregation`]).

use super::bootstrap::IndexInterval;
use super::error::{OptionProblem, SurveyError};
use super::policy::{EmptyItemPolicy, NoAnswerPolicy, Policies};
use super::questionnaire::{Aggregation, Level, Survey, Weighting};
use super::sample_size::SampleSize;
use super::sheet::Answers;
use crate::band::TiePolicy;
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Format tag of a survey result.
pub const RESULT_FORMAT: &str = "chiso.survey-result/1";

/// Estimates of one survey sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SurveyResult {
    /// Format tag, always `chiso.survey-result/1`.
    pub format: String,
    /// `id` of the survey definition.
    pub survey: String,
    /// `version` of the survey definition.
    pub survey_version: String,
    /// The aggregation used (as declared in the definition).
    pub aggregation: Aggregation,
    /// The policies used (as declared in the definition).
    pub policies: Policies,
    /// Scale values counted as satisfied.
    pub satisfied: Vec<u16>,
    /// Whether the estimates are weighted (the sheet has a weight column).
    pub weighted: bool,
    /// What the figures mean, in Vietnamese and English.
    pub notes: Vec<Text>,
    /// Data rows read.
    pub rows: u64,
    /// Respondents used (rows minus those dropped by the no-answer policy).
    pub respondents: u64,
    /// Off-scale answers treated as no-answers (policy `out_of_range: no_answer`).
    pub recoded_out_of_range: u64,
    /// Columns of the sheet the survey does not use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_columns: Vec<String>,
    /// One result per unit, in order of first appearance in the sheet.
    pub units: Vec<UnitResult>,
    /// All units together (every respondent of the sheet).
    pub all: UnitResult,
    /// The bootstrap run, when one was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapInfo>,
}

/// How the intervals were computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BootstrapInfo {
    /// Replications.
    pub replications: u32,
    /// Seed of the random draws.
    pub seed: u64,
    /// Confidence level, e.g. 0.95.
    pub level: Decimal,
    /// How respondents are resampled and intervals formed, in words.
    pub method: Text,
}

/// The estimates of one unit (or of all units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnitResult {
    /// Unit name (`__all__` for all units).
    pub unit: String,
    /// Respondents used.
    pub respondents: u64,
    /// Respondents left out by the `drop_respondent` policy.
    pub dropped: u64,
    /// Sum of the weights of the respondents used (their number when unweighted).
    pub weight_total: Decimal,
    /// The index: satisfaction rate (%) of the `total` node.
    pub index: Option<Decimal>,
    /// Mean score (on the answer scale) of the `total` node.
    pub mean_score: Option<Decimal>,
    /// Rank among the units on the exact index (1 = highest; ties share a rank,
    /// competition style). `null` for all units and for units without an index.
    pub rank: Option<u32>,
    /// Bootstrap interval of the index and the rank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<IndexInterval>,
    /// Respondents needed for the requested margin of error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<SampleSize>,
    /// Every node, in the survey's order (`total`, components, blocks, items, overall items).
    pub nodes: Vec<NodeEstimate>,
}

impl UnitResult {
    /// The estimate of the node with `code`.
    pub fn node(&self, code: &str) -> Option<&NodeEstimate> {
        self.nodes.iter().find(|n| n.code == code)
    }
}

/// Name of the all-units result.
pub const ALL_UNITS: &str = "__all__";

/// One node's estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NodeEstimate {
    /// Node code (`total` for the index).
    pub code: String,
    /// Level of the node.
    pub level: Level,
    /// Satisfaction rate in percent; `null` when no answer allows it.
    pub satisfaction_rate: Option<Decimal>,
    /// Mean score on the answer scale; `null` when there is no valid answer.
    pub mean_score: Option<Decimal>,
    /// Valid answers in the node's items (respondents × items), not weighted.
    pub answers: u64,
    /// No-answers in the node's items, not weighted.
    pub no_answers: u64,
}

/// Sums of one pooled node (respondent-level pooling). A respondent with `a` items in
/// the node's rate denominator adds `w·s` to `rate_num[a]` (s = items satisfied); with
/// `b` answered items, `w·(sum of scores)` to `score_num[b]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct PoolSums {
    pub(crate) rate_num: Vec<i128>,
    pub(crate) rate_w: i128,
    pub(crate) score_num: Vec<i128>,
    pub(crate) score_w: i128,
}

/// Sums of one unit.
#[derive(Debug, Clone, Default)]
pub(crate) struct Acc {
    /// Weight per (item, scale position), `hist[item * stride + position]`, position 0 = no answer.
    pub(crate) hist: Vec<i128>,
    /// Respondents per (item, position), not weighted.
    pub(crate) count: Vec<u64>,
    /// Pooled nodes: 0 = index, then components, then blocks.
    pub(crate) pool: Vec<PoolSums>,
    pub(crate) respondents: u64,
    pub(crate) weight: i128,
}

impl Acc {
    pub(crate) fn new(survey: &Survey, with_pool: bool) -> Acc {
        let cells = survey.item_codes().len() * (survey.positions() + 1);
        let pool = if with_pool {
            let mut sizes = vec![survey.scored];
            sizes.extend(survey.components.iter().map(|c| c.items.len()));
            sizes.extend(survey.blocks.iter().map(|b| b.items.len()));
            sizes
                .into_iter()
                .map(|n| PoolSums {
                    rate_num: vec![0; n + 1],
                    score_num: vec![0; n + 1],
                    ..Default::default()
                })
                .collect()
        } else {
            Vec::new()
        };
        Acc {
            hist: vec![0; cells],
            count: vec![0; cells],
            pool,
            respondents: 0,
            weight: 0,
        }
    }

    /// Adds respondent `row` (scale positions) with weight `w`.
    pub(crate) fn add(&mut self, survey: &Survey, row: &[u8], w: i128, counts: bool) {
        let stride = survey.positions() + 1;
        for (i, &p) in row.iter().enumerate() {
            self.hist[i * stride + usize::from(p)] += w;
        }
        if counts {
            for (i, &p) in row.iter().enumerate() {
                self.count[i * stride + usize::from(p)] += 1;
            }
        }
        self.respondents += 1;
        self.weight += w;
        if !self.pool.is_empty() {
            let unsat = survey.definition().policies.no_answer == NoAnswerPolicy::Unsatisfied;
            let stats = |items: std::ops::Range<usize>| {
                let (mut a, mut s, mut b, mut score) = (0usize, 0i128, 0usize, 0i128);
                for &p in &row[items] {
                    if p == 0 {
                        a += usize::from(unsat);
                    } else {
                        let k = usize::from(p) - 1;
                        a += 1;
                        b += 1;
                        s += i128::from(survey.satisfied[k]);
                        score += i128::from(survey.values[k]);
                    }
                }
                (a, s, b, score)
            };
            let ranges = std::iter::once(0..survey.scored)
                .chain(survey.components.iter().map(|c| c.items.clone()))
                .chain(survey.blocks.iter().map(|b| b.items.clone()));
            for (sums, items) in self.pool.iter_mut().zip(ranges) {
                let (a, s, b, score) = stats(items);
                if a > 0 {
                    sums.rate_num[a] += w * s;
                    sums.rate_w += w;
                }
                if b > 0 {
                    sums.score_num[b] += w * score;
                    sums.score_w += w;
                }
            }
        }
    }

    /// Adds another unit's sums.
    pub(crate) fn merge(&mut self, other: &Acc) {
        for (a, b) in self.hist.iter_mut().zip(&other.hist) {
            *a += b;
        }
        for (a, b) in self.count.iter_mut().zip(&other.count) {
            *a += b;
        }
        for (a, b) in self.pool.iter_mut().zip(&other.pool) {
            for (x, y) in a.rate_num.iter_mut().zip(&b.rate_num) {
                *x += y;
            }
            for (x, y) in a.score_num.iter_mut().zip(&b.score_num) {
                *x += y;
            }
            a.rate_w += b.rate_w;
            a.score_w += b.score_w;
        }
        self.respondents += other.respondents;
        self.weight += other.weight;
    }
}

fn dec(x: i128) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(x, 0).ok()
}

/// Rate (%) and mean score of item `i` from its weight histogram.
pub(crate) fn item_value(
    survey: &Survey,
    hist: &[i128],
    i: usize,
) -> (Option<Decimal>, Option<Decimal>) {
    let stride = survey.positions() + 1;
    let row = &hist[i * stride..(i + 1) * stride];
    let (mut answered, mut sat, mut score) = (0i128, 0i128, 0i128);
    for (k, &w) in row[1..].iter().enumerate() {
        answered += w;
        if survey.satisfied[k] {
            sat += w;
        }
        score += w * i128::from(survey.values[k]);
    }
    let den = match survey.definition().policies.no_answer {
        NoAnswerPolicy::Unsatisfied => answered + row[0],
        _ => answered,
    };
    let rate = (den > 0)
        .then(|| dec(sat * 100)?.checked_div(dec(den)?))
        .flatten();
    let mean = (answered > 0)
        .then(|| dec(score)?.checked_div(dec(answered)?))
        .flatten();
    (rate, mean)
}

/// Weighted mean of the children that have a value (policy `skip`), or `None` as soon
/// as one has none (policy `propagate`).
pub(crate) fn weighted_mean(
    parts: impl Iterator<Item = (Decimal, Option<Decimal>)>,
    policy: EmptyItemPolicy,
) -> Option<Decimal> {
    let (mut num, mut den) = (Decimal::ZERO, Decimal::ZERO);
    for (w, v) in parts {
        match v {
            Some(v) => {
                num = num.checked_add(w.checked_mul(v)?)?;
                den = den.checked_add(w)?;
            }
            None if policy == EmptyItemPolicy::Propagate => return None,
            None => {}
        }
    }
    if den.is_zero() {
        None
    } else {
        num.checked_div(den)
    }
}

/// Pooled rate (%) or mean: `Σ_a num[a] / a / total`, × `scale`.
pub(crate) fn pooled(num: &[i128], total: i128, scale: i64) -> Option<Decimal> {
    if total == 0 {
        return None;
    }
    let mut sum = Decimal::ZERO;
    for (a, &x) in num.iter().enumerate().skip(1) {
        if x != 0 {
            sum =
                sum.checked_add(dec(x * i128::from(scale))?.checked_div(Decimal::from(a as u64))?)?;
        }
    }
    sum.checked_div(dec(total)?)
}

/// Values (rate, mean) of every level from item values: blocks, components, index.
struct Tree {
    block: Vec<(Option<Decimal>, Option<Decimal>)>,
    component: Vec<(Option<Decimal>, Option<Decimal>)>,
    index: (Option<Decimal>, Option<Decimal>),
}

fn hierarchical(
    survey: &Survey,
    items: &[(Option<Decimal>, Option<Decimal>)],
    want_mean: bool,
) -> Tree {
    let policy = survey.definition().policies.empty_item;
    let pick = |v: &(Option<Decimal>, Option<Decimal>), mean: bool| if mean { v.1 } else { v.0 };
    let both =
        |f: &dyn Fn(bool) -> Option<Decimal>| (f(false), if want_mean { f(true) } else { None });
    let block: Vec<_> = survey
        .blocks
        .iter()
        .map(|b| {
            both(&|m| {
                weighted_mean(
                    items[b.items.clone()]
                        .iter()
                        .map(|v| (Decimal::ONE, pick(v, m))),
                    policy,
                )
            })
        })
        .collect();
    let component: Vec<_> = survey
        .components
        .iter()
        .map(|c| {
            both(&|m| {
                weighted_mean(
                    c.blocks
                        .clone()
                        .map(|b| (survey.block_weights[b], pick(&block[b], m))),
                    policy,
                )
            })
        })
        .collect();
    let index = match survey.index_item {
        Some(i) => items[i],
        None => both(&|m| {
            weighted_mean(
                component
                    .iter()
                    .enumerate()
                    .map(|(c, v)| (survey.component_weights[c], pick(v, m))),
                policy,
            )
        }),
    };
    Tree {
        block,
        component,
        index,
    }
}

fn pooled_tree(survey: &Survey, acc: &Acc, want_mean: bool) -> Tree {
    let value = |s: &PoolSums| {
        (
            pooled(&s.rate_num, s.rate_w, 100),
            if want_mean {
                pooled(&s.score_num, s.score_w, 1)
            } else {
                None
            },
        )
    };
    let c0 = 1;
    let b0 = 1 + survey.components.len();
    Tree {
        index: value(&acc.pool[0]),
        component: acc.pool[c0..b0].iter().map(value).collect(),
        block: acc.pool[b0..].iter().map(value).collect(),
    }
}

/// Satisfaction rate `100 × satisfied / denominator` from integer sums.
pub(crate) fn rate(satisfied: i128, denominator: i128) -> Option<Decimal> {
    if denominator <= 0 {
        return None;
    }
    dec(satisfied.checked_mul(100)?)?.checked_div(dec(denominator)?)
}

/// The index of a `hierarchical` aggregation from the rates of the scored items.
pub(crate) fn index_from_item_rates(survey: &Survey, rates: &[Option<Decimal>]) -> Option<Decimal> {
    let items: Vec<_> = rates.iter().map(|r| (*r, None)).collect();
    hierarchical(survey, &items, false).index.0
}

fn unit_result(
    survey: &Survey,
    name: &str,
    acc: &Acc,
    dropped: u64,
    weight_unit: Decimal,
) -> UnitResult {
    let stride = survey.positions() + 1;
    let items: Vec<_> = (0..survey.item_codes().len())
        .map(|i| item_value(survey, &acc.hist, i))
        .collect();
    let tree = match survey.definition().aggregation {
        Aggregation::RespondentPooling => pooled_tree(survey, acc, true),
        _ => hierarchical(survey, &items, true),
    };
    let counts = |range: std::ops::Range<usize>| {
        let (mut a, mut n) = (0u64, 0u64);
        for i in range {
            let row = &acc.count[i * stride..(i + 1) * stride];
            n += row[0];
            a += row[1..].iter().sum::<u64>();
        }
        (a, n)
    };
    let nodes = survey
        .nodes()
        .iter()
        .map(|node| {
            let ((rate, mean), (answers, no_answers)) = match node.level {
                Level::Index => (tree.index, counts(0..survey.scored)),
                Level::Component => (
                    tree.component[node.at],
                    counts(survey.components[node.at].items.clone()),
                ),
                Level::Block => (
                    tree.block[node.at],
                    counts(survey.blocks[node.at].items.clone()),
                ),
                Level::Item | Level::OverallItem => (items[node.at], counts(node.at..node.at + 1)),
            };
            NodeEstimate {
                code: node.code.clone(),
                level: node.level,
                satisfaction_rate: rate.map(|d| d.normalize()),
                mean_score: mean.map(|d| d.normalize()),
                answers,
                no_answers,
            }
        })
        .collect();
    UnitResult {
        unit: name.to_owned(),
        respondents: acc.respondents,
        dropped,
        weight_total: dec(acc.weight)
            .and_then(|w| w.checked_div(weight_unit))
            .unwrap_or_default()
            .normalize(),
        index: tree.index.0.map(|d| d.normalize()),
        mean_score: tree.index.1.map(|d| d.normalize()),
        rank: None,
        interval: None,
        sample_size: None,
        nodes,
    }
}

/// The sums of every unit (and of all units, last).
pub(crate) fn unit_sums(survey: &Survey, answers: &Answers) -> Vec<Acc> {
    let pool = matches!(
        survey.definition().aggregation,
        Aggregation::RespondentPooling
    );
    let mut accs = vec![Acc::new(survey, pool); answers.units.len()];
    for r in 0..answers.respondents() {
        let u = answers.unit_of[r] as usize;
        accs[u].add(survey, answers.row(r), answers.weight(r), true);
    }
    accs
}

fn weighting_text(w: &Weighting) -> (String, String) {
    match w {
        Weighting::Equal => ("bằng nhau".into(), "equal".into()),
        Weighting::ItemCount => ("theo số câu hỏi".into(), "by item count".into()),
        Weighting::Declared(m) => {
            let s = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.normalize()))
                .collect::<Vec<_>>()
                .join(", ");
            (format!("khai báo ({s})"), format!("declared ({s})"))
        }
    }
}

fn notes(survey: &Survey, weighted: bool) -> Vec<Text> {
    let def = survey.definition();
    let sat = def
        .scale
        .satisfied
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let (agg_vi, agg_en) = match &def.aggregation {
        Aggregation::Hierarchical {
            block_weights,
            component_weights,
        } => {
            let (bv, be) = weighting_text(block_weights);
            let (cv, ce) = weighting_text(component_weights);
            (
                format!("phân cấp: câu hỏi → khối (bình quân) → thành phần (trọng số khối {bv}) → chỉ số (trọng số thành phần {cv})"),
                format!("hierarchical: item → block (mean) → component (block weights {be}) → index (component weights {ce})"),
            )
        }
        Aggregation::RespondentPooling => (
            "gộp theo người trả lời: mỗi người, tỷ lệ câu hỏi hài lòng; chỉ số = bình quân (gia quyền) theo người".into(),
            "respondent-level pooling: per respondent, the share of items satisfied; index = (weighted) mean over respondents".into(),
        ),
        Aggregation::OverallQuestion { item, block_weights } => {
            let (bv, be) = weighting_text(block_weights);
            (
                format!("chỉ số lấy từ câu hỏi hài lòng chung {item}; khối, thành phần phân cấp (trọng số khối {bv})"),
                format!("index from the overall question {item}; blocks and components hierarchical (block weights {be})"),
            )
        }
    };
    vec![
        Text::new(
            format!("Tỷ lệ hài lòng = % câu trả lời hợp lệ ở mức {sat} (theo khai báo của phiếu; cách tính chính thức của QĐ 1001/QĐ-BNV không công khai, đây là suy luận)."),
            format!("Satisfaction rate = % of valid answers rated {sat} (as declared by the survey; the official 1001/QĐ-BNV rule is not public, this is inferred)."),
        ),
        Text::new(
            format!("Cách tổng hợp do phiếu khai báo ({agg_vi}); công thức chính thức không công khai."),
            format!("Aggregation declared by the survey ({agg_en}); the official formula is not public."),
        ),
        if weighted {
            Text::new("Ước lượng có trọng số (cột trọng số của bảng trả lời).", "Weighted estimates (the sheet's weight column).")
        } else {
            Text::new("Ước lượng không trọng số (bảng trả lời không có cột trọng số).", "Unweighted estimates (the sheet has no weight column).")
        },
    ]
}

/// Estimates every node per unit and for all units, and ranks the units.
///
/// ```
/// use chiso::survey::{estimate, read_csv, ReadOptions, Survey};
/// let survey = Survey::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/sipas/sipas-1001-2023-q9.survey.json").as_ref()).unwrap();
/// let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples-data/sipas-sample.csv")).unwrap();
/// let answers = read_csv(&survey, csv.as_slice(), &ReadOptions::default()).unwrap();
/// let result = estimate(&survey, &answers).unwrap();
/// assert_eq!(result.units.len(), answers.units().len());
/// assert!(result.units.iter().all(|u| u.index.is_some()));
/// ```
pub fn estimate(survey: &Survey, answers: &Answers) -> Result<SurveyResult, SurveyError> {
    if answers.n_items != survey.item_codes().len() {
        return Err(OptionProblem::SheetOfAnotherSurvey.into());
    }
    let def = survey.definition();
    let accs = unit_sums(survey, answers);
    let wu = answers.weight_unit();
    let mut units: Vec<UnitResult> = accs
        .iter()
        .enumerate()
        .map(|(u, acc)| unit_result(survey, &answers.units[u], acc, answers.dropped[u], wu))
        .collect();
    let ranks = crate::ranking::rank(
        &units.iter().map(|u| u.index).collect::<Vec<_>>(),
        TiePolicy::Competition,
    );
    for (u, r) in units.iter_mut().zip(ranks) {
        u.rank = r;
    }
    let mut all = Acc::new(
        survey,
        matches!(def.aggregation, Aggregation::RespondentPooling),
    );
    for acc in &accs {
        all.merge(acc);
    }
    let all = unit_result(survey, ALL_UNITS, &all, answers.dropped.iter().sum(), wu);
    Ok(SurveyResult {
        format: RESULT_FORMAT.into(),
        survey: def.id.clone(),
        survey_version: def.version.clone(),
        aggregation: def.aggregation.clone(),
        policies: def.policies,
        satisfied: def.scale.satisfied.clone(),
        weighted: answers.is_weighted(),
        notes: notes(survey, answers.is_weighted()),
        rows: answers.rows,
        respondents: answers.respondents() as u64,
        recoded_out_of_range: answers.recoded,
        ignored_columns: answers.ignored_columns.clone(),
        units,
        all,
        bootstrap: None,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn weighted_mean_skips_or_propagates() {
        let parts = || {
            [
                (d("1"), Some(d("50"))),
                (d("3"), None),
                (d("1"), Some(d("100"))),
            ]
            .into_iter()
        };
        assert_eq!(weighted_mean(parts(), EmptyItemPolicy::Skip), Some(d("75")));
        assert_eq!(weighted_mean(parts(), EmptyItemPolicy::Propagate), None);
        // 0.6 × 80 + 0.4 × 90 = 84
        let w = [(d("0.6"), Some(d("80"))), (d("0.4"), Some(d("90")))].into_iter();
        assert_eq!(weighted_mean(w, EmptyItemPolicy::Skip), Some(d("84")));
        assert_eq!(
            weighted_mean([(d("1"), None)].into_iter(), EmptyItemPolicy::Skip),
            None
        );
    }

    #[test]
    fn pooled_is_the_mean_of_per_respondent_shares() {
        // Respondents with 1 of 2, 2 of 2 and 1 of 3 items satisfied (weights 1):
        // num[2] = 1 + 2 = 3, num[3] = 1; (3/2 + 1/3) / 3 = 11/18 → 61.11 %.
        let num = [0, 0, 3, 1];
        let got = pooled(&num, 3, 100).unwrap();
        assert_eq!(
            got.round_dp(20),
            (Decimal::from(1100) / Decimal::from(18)).round_dp(20)
        );
        assert_eq!(pooled(&num, 0, 100), None);
    }
}
