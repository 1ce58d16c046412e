//! Bootstrap confidence intervals for every unit's index and rank.
//!
//! **Resampling.** In each replication, the respondents of every unit are drawn with
//! replacement, as many as the unit has, separately within each stratum when the sheet
//! has a stratum column; each drawn respondent keeps their weight. Every unit's index is
//! recomputed with the survey's declared aggregation and policies, and the units are
//! ranked (competition ranking on exact values, 1 = highest).
//!
//! **Intervals.** Percentile intervals with nearest-rank percentiles: with `m`
//! replications in which the unit has an index, the low end is the ⌈p·m⌉-th smallest
//! replicated value for `p = (1 − level)/2` and the high end the ⌈q·m⌉-th smallest for
//! `q = (1 + level)/2`. When the estimate itself falls outside that interval (possible
//! with very small or very skewed samples), the interval is widened to the estimate and
//! `widened` says so; the same holds for the rank. So the interval always contains the
//! estimate, and a widened interval is never silent.
//!
//! **Reproducibility.** Replication `r` draws from its own ChaCha8 stream (`seed`,
//! stream `r`), units and strata in a fixed order, so the intervals depend only on the
//! seed — never on the number of threads. With `rayon` (every target but `wasm32`)
//! replications are spread over threads.

use super::error::{OptionProblem, SurveyError};
use super::estimate::{index_rate, PoolSums, SurveyResult};
use super::policy::NoAnswerPolicy;
use super::questionnaire::{Aggregation, Survey};
use super::sheet::Answers;
use super::{MAX_BOOTSTRAP_DRAWS, MAX_BOOTSTRAP_REPS, MAX_BOOTSTRAP_VALUES};
use crate::band::TiePolicy;
use crate::text::Text;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Options of a bootstrap run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapOptions {
    /// Replications (default 1000).
    pub replications: u32,
    /// Seed (default 0).
    pub seed: u64,
    /// Confidence level, strictly between 0 and 1 (default 0.95).
    pub level: Decimal,
    /// Threads (1 = the calling thread only).
    pub threads: usize,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            replications: 1000,
            seed: 0,
            level: Decimal::new(95, 2),
            threads: 1,
        }
    }
}

/// The bootstrap interval of one unit's index and rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndexInterval {
    /// Low end of the index interval (%).
    pub low: Decimal,
    /// High end of the index interval (%).
    pub high: Decimal,
    /// Whether the percentile interval had to be widened to contain the estimate.
    pub widened: bool,
    /// Best rank of the rank interval (the smaller number).
    pub rank_best: u32,
    /// Worst rank of the rank interval.
    pub rank_worst: u32,
    /// Whether the rank interval had to be widened to contain the unit's rank.
    pub rank_widened: bool,
    /// Replications in which the unit had an index (out of all replications).
    pub replications: u32,
}

/// Exactly uniform in `0..n` (rejection sampling), `n ≥ 1`.
fn uniform_below(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    let zone = u32::MAX - (u32::MAX - n + 1) % n;
    loop {
        let x = rng.next_u32();
        if x <= zone {
            return x % n;
        }
    }
}

/// Maps `f` over `0..n` in order, on `threads` threads where available.
fn par_map<T: Send>(n: u32, threads: usize, f: &(dyn Fn(u32) -> T + Sync)) -> Vec<T> {
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        use rayon::prelude::*;
        if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            return pool.install(|| (0..n).into_par_iter().map(f).collect());
        }
    }
    let _ = threads;
    (0..n).map(f).collect()
}

/// What the resampling needs, prepared once.
struct Design<'a> {
    survey: &'a Survey,
    answers: &'a Answers,
    /// Respondents of each unit, grouped by stratum (one group without strata).
    groups: Vec<Vec<Vec<u32>>>,
    /// Items whose histograms the statistic reads.
    items: Vec<usize>,
    /// Respondent pooling: per respondent, (items in the rate denominator, satisfied).
    pooled: Vec<(u16, u16)>,
    pooling: bool,
}

impl<'a> Design<'a> {
    fn new(survey: &'a Survey, answers: &'a Answers) -> Design<'a> {
        let mut groups: Vec<Vec<Vec<u32>>> = vec![Vec::new(); answers.units.len()];
        let mut slot: Vec<std::collections::HashMap<u32, usize>> =
            vec![Default::default(); answers.units.len()];
        for r in 0..answers.respondents() {
            let u = answers.unit_of[r] as usize;
            let s = answers.stratum_of.get(r).copied().unwrap_or(0);
            let g = *slot[u].entry(s).or_insert_with(|| {
                groups[u].push(Vec::new());
                groups[u].len() - 1
            });
            groups[u][g].push(r as u32);
        }
        let def = survey.definition();
        let pooling = matches!(def.aggregation, Aggregation::RespondentPooling);
        let items = match (&def.aggregation, survey.index_item) {
            (Aggregation::RespondentPooling, _) => Vec::new(),
            (_, Some(i)) => vec![i],
            _ => (0..survey.scored).collect(),
        };
        let pooled = if pooling {
            let unsat = def.policies.no_answer == NoAnswerPolicy::Unsatisfied;
            (0..answers.respondents())
                .map(|r| {
                    let (mut a, mut s) = (0u16, 0u16);
                    for &p in &answers.row(r)[..survey.scored] {
                        if p == 0 {
                            a += u16::from(unsat);
                        } else {
                            a += 1;
                            s += u16::from(survey.satisfied[usize::from(p) - 1]);
                        }
                    }
                    (a, s)
                })
                .collect()
        } else {
            Vec::new()
        };
        Design {
            survey,
            answers,
            groups,
            items,
            pooled,
            pooling,
        }
    }

    /// Every unit's index in replication `rep`.
    fn replicate(&self, seed: u64, rep: u32) -> Vec<Option<Decimal>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(u64::from(rep));
        let survey = self.survey;
        let stride = survey.positions() + 1;
        let mut hist = vec![0i128; survey.item_codes().len() * stride];
        let mut pool = PoolSums {
            rate_num: vec![0; survey.scored + 1],
            ..Default::default()
        };
        let n_items = self.answers.n_items;
        let codes = &self.answers.codes;
        self.groups
            .iter()
            .map(|unit| {
                hist.iter_mut().for_each(|h| *h = 0);
                pool.rate_num.iter_mut().for_each(|x| *x = 0);
                pool.rate_w = 0;
                for group in unit {
                    let n = group.len() as u32;
                    for _ in 0..n {
                        let r = group[uniform_below(&mut rng, n) as usize] as usize;
                        let w = self.answers.weight(r);
                        if self.pooling {
                            let (a, s) = self.pooled[r];
                            if a > 0 {
                                pool.rate_num[usize::from(a)] += w * i128::from(s);
                                pool.rate_w += w;
                            }
                        } else {
                            let row = &codes[r * n_items..(r + 1) * n_items];
                            for &i in &self.items {
                                hist[i * stride + usize::from(row[i])] += w;
                            }
                        }
                    }
                }
                index_rate(survey, &hist, Some(&pool))
            })
            .collect()
    }
}

fn check(answers: &Answers, opts: &BootstrapOptions) -> Result<(), SurveyError> {
    if opts.replications == 0 {
        return Err(OptionProblem::NoReplications.into());
    }
    if opts.replications > MAX_BOOTSTRAP_REPS {
        return Err(OptionProblem::TooManyReplications {
            limit: MAX_BOOTSTRAP_REPS,
        }
        .into());
    }
    if opts.level <= Decimal::ZERO || opts.level >= Decimal::ONE {
        return Err(OptionProblem::UnsupportedLevel { level: opts.level }.into());
    }
    let reps = u64::from(opts.replications);
    let draws = reps.saturating_mul(answers.respondents() as u64);
    if draws > MAX_BOOTSTRAP_DRAWS {
        return Err(OptionProblem::TooMuchWork {
            asked: draws,
            limit: MAX_BOOTSTRAP_DRAWS,
        }
        .into());
    }
    let values = reps.saturating_mul(answers.units.len() as u64);
    if values > MAX_BOOTSTRAP_VALUES {
        return Err(OptionProblem::TooMuchWork {
            asked: values,
            limit: MAX_BOOTSTRAP_VALUES,
        }
        .into());
    }
    Ok(())
}

/// Every unit's replicated index, one vector per replication (units in sheet order).
/// The same seed gives the same values whatever `threads` is.
///
/// ```
/// use chiso::survey::{bootstrap::replicates, read_csv, BootstrapOptions, ReadOptions, Survey};
/// let survey = Survey::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/sipas/sipas-1001-2023-q9.survey.json").as_ref()).unwrap();
/// let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples-data/sipas-sample.csv")).unwrap();
/// let answers = read_csv(&survey, csv.as_slice(), &ReadOptions::default()).unwrap();
/// let opts = BootstrapOptions { replications: 20, seed: 7, ..Default::default() };
/// let one = replicates(&survey, &answers, &opts).unwrap();
/// let two = replicates(&survey, &answers, &BootstrapOptions { threads: 2, ..opts }).unwrap();
/// assert_eq!(one, two);
/// ```
pub fn replicates(
    survey: &Survey,
    answers: &Answers,
    opts: &BootstrapOptions,
) -> Result<Vec<Vec<Option<Decimal>>>, SurveyError> {
    if answers.n_items != survey.item_codes().len() {
        return Err(OptionProblem::SheetOfAnotherSurvey.into());
    }
    check(answers, opts)?;
    let design = Design::new(survey, answers);
    Ok(par_map(opts.replications, opts.threads, &|rep| {
        design.replicate(opts.seed, rep)
    }))
}

/// The ⌈p·m⌉-th smallest of `sorted` (nearest rank), `p` in (0, 1).
fn nearest<T: Copy>(sorted: &[T], p: Decimal) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let m = Decimal::from(sorted.len() as u64);
    let k = (m * p).ceil();
    let k = usize::try_from(k.mantissa() / 10i128.pow(k.scale())).ok()?;
    sorted.get(k.clamp(1, sorted.len()) - 1).copied()
}

/// Adds the bootstrap intervals of every unit's index and rank to `result` (made by
/// [`estimate`](super::estimate) from the same survey and answers).
///
/// ```
/// use chiso::survey::{bootstrap, estimate, read_csv, BootstrapOptions, ReadOptions, Survey};
/// let survey = Survey::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/sipas/sipas-1001-2023-q9.survey.json").as_ref()).unwrap();
/// let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples-data/sipas-sample.csv")).unwrap();
/// let answers = read_csv(&survey, csv.as_slice(), &ReadOptions::default()).unwrap();
/// let mut result = estimate(&survey, &answers).unwrap();
/// bootstrap(&survey, &answers, &mut result, &BootstrapOptions { replications: 200, seed: 1, ..Default::default() }).unwrap();
/// for u in &result.units {
///     let (ci, index) = (u.interval.as_ref().unwrap(), u.index.unwrap());
///     assert!(ci.low <= index && index <= ci.high);
/// }
/// ```
pub fn bootstrap(
    survey: &Survey,
    answers: &Answers,
    result: &mut SurveyResult,
    opts: &BootstrapOptions,
) -> Result<(), SurveyError> {
    let reps = replicates(survey, answers, opts)?;
    let n_units = answers.units.len();
    let lo = (Decimal::ONE - opts.level) / Decimal::TWO;
    let hi = (Decimal::ONE + opts.level) / Decimal::TWO;
    let mut values: Vec<Vec<Decimal>> = vec![Vec::with_capacity(reps.len()); n_units];
    let mut ranks: Vec<Vec<u32>> = vec![Vec::with_capacity(reps.len()); n_units];
    for rep in &reps {
        let r = crate::ranking::rank(rep, TiePolicy::Competition);
        for u in 0..n_units {
            if let (Some(v), Some(k)) = (rep[u], r[u]) {
                values[u].push(v);
                ranks[u].push(k);
            }
        }
    }
    for (u, unit) in result.units.iter_mut().enumerate().take(n_units) {
        let (Some(est), Some(rank)) = (unit.index, unit.rank) else {
            unit.interval = None;
            continue;
        };
        let v = &mut values[u];
        let k = &mut ranks[u];
        v.sort_unstable();
        k.sort_unstable();
        let (Some(low), Some(high), Some(best), Some(worst)) = (
            nearest(v, lo),
            nearest(v, hi),
            nearest(k, lo),
            nearest(k, hi),
        ) else {
            unit.interval = None;
            continue;
        };
        unit.interval = Some(IndexInterval {
            low: low.min(est).normalize(),
            high: high.max(est).normalize(),
            widened: est < low || est > high,
            rank_best: best.min(rank),
            rank_worst: worst.max(rank),
            rank_widened: rank < best || rank > worst,
            replications: v.len() as u32,
        });
    }
    result.bootstrap = Some(super::estimate::BootstrapInfo {
        replications: opts.replications,
        seed: opts.seed,
        level: opts.level.normalize(),
        method: Text::new(
            "Lấy mẫu lại có hoàn lại người trả lời trong từng đơn vị (và trong từng tầng nếu có cột tầng), giữ nguyên trọng số; khoảng phân vị (hạng gần nhất) của các lần lặp, mở rộng tới giá trị ước lượng nếu ước lượng nằm ngoài (có ghi rõ); hạng xếp theo kiểu thi đấu trong từng lần lặp.",
            "Respondents resampled with replacement within each unit (and within each stratum when the sheet has one), keeping their weights; percentile interval (nearest rank) of the replications, widened to the estimate when it falls outside (flagged); ranks competition-style in each replication.",
        ),
    });
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn draws_are_uniform_in_range_and_reproducible() {
        let mut a = ChaCha8Rng::seed_from_u64(3);
        a.set_stream(5);
        let mut b = ChaCha8Rng::seed_from_u64(3);
        b.set_stream(5);
        let mut hist = [0u32; 7];
        for _ in 0..70_000 {
            let x = uniform_below(&mut a, 7);
            assert_eq!(x, uniform_below(&mut b, 7));
            hist[x as usize] += 1;
        }
        // Each bin expects 10,000 (σ ≈ 93): a loose 5 % band cannot fail by chance.
        assert!(
            hist.iter().all(|&h| (9_500..=10_500).contains(&h)),
            "{hist:?}"
        );
        assert_eq!(uniform_below(&mut a, 1), 0);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u32> = (1..=1000).collect();
        let lo = Decimal::new(25, 3);
        let hi = Decimal::new(975, 3);
        // ⌈0.025 × 1000⌉ = 25th and ⌈0.975 × 1000⌉ = 975th smallest.
        assert_eq!((nearest(&v, lo), nearest(&v, hi)), (Some(25), Some(975)));
        // m = 10: ⌈0.25⌉ = 1st, ⌈9.75⌉ = 10th.
        assert_eq!(
            (nearest(&v[..10], lo), nearest(&v[..10], hi)),
            (Some(1), Some(10))
        );
        assert_eq!(nearest::<u32>(&[], lo), None);
    }
}
