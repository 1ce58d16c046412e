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
use super::estimate::{index_from_item_rates, pooled, rate, PoolSums, SurveyResult};
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
    /// Threads (1 = the calling thread only; clamped to [`crate::limits::max_threads`]).
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

/// Maps `f` over `0..n` in order, on `threads` threads where available (at most
/// [`crate::limits::max_threads`]: a larger request is clamped, never spawned).
fn par_map<T: Send>(n: u32, threads: usize, f: &(dyn Fn(u32) -> T + Sync)) -> Vec<T> {
    let threads = crate::limits::threads(threads);
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

/// The respondents of one unit, grouped by stratum.
struct UnitDesign {
    /// Respondent indices of the unit, stratum after stratum.
    members: Vec<u32>,
    /// Each stratum's range in `members`.
    groups: Vec<std::ops::Range<usize>>,
}

/// What the resampling needs, prepared once.
struct Design<'a> {
    survey: &'a Survey,
    answers: &'a Answers,
    units: Vec<UnitDesign>,
    /// Items the statistic reads: `first..first + k` of each respondent's answers.
    first: usize,
    k: usize,
    /// Bit `p` set when scale position `p` is satisfied.
    satisfied_mask: u32,
    /// The satisfied positions when they are one contiguous range (4–5 on a 1–5 scale).
    satisfied_range: Option<(u8, u8)>,
    unsatisfied: bool,
    /// Respondent pooling: per respondent, (items in the rate denominator, satisfied).
    pooled: Vec<(u16, u16)>,
    pooling: bool,
    largest_unit: usize,
}

impl<'a> Design<'a> {
    fn new(survey: &'a Survey, answers: &'a Answers) -> Design<'a> {
        let mut slot: Vec<std::collections::HashMap<u32, usize>> =
            vec![Default::default(); answers.units.len()];
        let mut by_group: Vec<Vec<Vec<u32>>> = vec![Vec::new(); answers.units.len()];
        for r in 0..answers.respondents() {
            let u = answers.unit_of[r] as usize;
            let s = answers.stratum_of.get(r).copied().unwrap_or(0);
            let g = *slot[u].entry(s).or_insert_with(|| {
                by_group[u].push(Vec::new());
                by_group[u].len() - 1
            });
            by_group[u][g].push(r as u32);
        }
        let units: Vec<UnitDesign> = by_group
            .into_iter()
            .map(|groups| {
                let mut members = Vec::new();
                let mut ranges = Vec::new();
                for g in groups {
                    let start = members.len();
                    members.extend(g);
                    ranges.push(start..members.len());
                }
                UnitDesign {
                    members,
                    groups: ranges,
                }
            })
            .collect();
        let def = survey.definition();
        let pooling = matches!(def.aggregation, Aggregation::RespondentPooling);
        let unsatisfied = def.policies.no_answer == NoAnswerPolicy::Unsatisfied;
        let (first, k) = match (&def.aggregation, survey.index_item) {
            (Aggregation::RespondentPooling, _) => (0, 0),
            (_, Some(i)) => (i, 1),
            _ => (0, survey.scored),
        };
        let pooled = if pooling {
            (0..answers.respondents())
                .map(|r| {
                    let (mut a, mut s) = (0u16, 0u16);
                    for &p in &answers.row(r)[..survey.scored] {
                        if p == 0 {
                            a += u16::from(unsatisfied);
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
        let satisfied_mask = survey
            .satisfied
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .fold(0u32, |m, (k, _)| m | (1 << (k + 1)));
        // Positions are 1-based; satisfied positions lo..=hi with nothing missing between.
        let sat: Vec<u8> = (1..=survey.satisfied.len() as u8)
            .filter(|p| survey.satisfied[usize::from(*p) - 1])
            .collect();
        let satisfied_range = match (sat.first(), sat.last()) {
            (Some(&lo), Some(&hi)) if usize::from(hi - lo) + 1 == sat.len() => Some((lo, hi)),
            _ => None,
        };
        Design {
            satisfied_range,
            survey,
            answers,
            largest_unit: units.iter().map(|u| u.members.len()).max().unwrap_or(0),
            units,
            first,
            k,
            satisfied_mask,
            unsatisfied,
            pooled,
            pooling,
        }
    }

    /// Every unit's index in replication `rep`: each unit's respondents are drawn
    /// (within strata) into multiplicities, then every drawn respondent is added once,
    /// times its multiplicity (and weight).
    fn replicate(&self, seed: u64, rep: u32) -> Vec<Option<Decimal>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(u64::from(rep));
        let (survey, answers) = (self.survey, self.answers);
        let (first, k, n_items) = (self.first, self.k, answers.n_items);
        let weighted = answers.is_weighted();
        let mask = self.satisfied_mask;
        let mut counts = vec![0u32; self.largest_unit];
        let (mut ans32, mut sat32) = (vec![0u32; k], vec![0u32; k]);
        let (mut ans128, mut sat128) = (vec![0i128; k], vec![0i128; k]);
        let mut rates = vec![None; k];
        let mut pool = PoolSums {
            rate_num: vec![0; survey.scored + 1],
            ..Default::default()
        };
        self.units
            .iter()
            .map(|unit| {
                let m = unit.members.len();
                counts[..m].iter_mut().for_each(|c| *c = 0);
                for g in &unit.groups {
                    let n = g.len() as u32;
                    for _ in 0..n {
                        counts[g.start + uniform_below(&mut rng, n) as usize] += 1;
                    }
                }
                if self.pooling {
                    pool.rate_num.iter_mut().for_each(|x| *x = 0);
                    pool.rate_w = 0;
                    for (j, &c) in counts[..m].iter().enumerate().filter(|(_, c)| **c > 0) {
                        let r = unit.members[j] as usize;
                        let cw = i128::from(c) * answers.weight(r);
                        let (a, s) = self.pooled[r];
                        if a > 0 {
                            pool.rate_num[usize::from(a)] += cw * i128::from(s);
                            pool.rate_w += cw;
                        }
                    }
                    return pooled(&pool.rate_num, pool.rate_w, 100);
                }
                let mut total = 0i128;
                if weighted {
                    ans128
                        .iter_mut()
                        .chain(sat128.iter_mut())
                        .for_each(|x| *x = 0);
                    for (j, &c) in counts[..m].iter().enumerate().filter(|(_, c)| **c > 0) {
                        let r = unit.members[j] as usize;
                        let cw = i128::from(c) * answers.weight(r);
                        total += cw;
                        let row = &answers.codes[r * n_items + first..r * n_items + first + k];
                        for ((a, s), &p) in ans128.iter_mut().zip(sat128.iter_mut()).zip(row) {
                            if p != 0 {
                                *a += cw;
                                if (mask >> p) & 1 == 1 {
                                    *s += cw;
                                }
                            }
                        }
                    }
                    for (i, r) in rates.iter_mut().enumerate() {
                        *r = rate(sat128[i], if self.unsatisfied { total } else { ans128[i] });
                    }
                } else {
                    ans32
                        .iter_mut()
                        .chain(sat32.iter_mut())
                        .for_each(|x| *x = 0);
                    for (j, &c) in counts[..m].iter().enumerate().filter(|(_, c)| **c > 0) {
                        let r = unit.members[j] as usize;
                        total += i128::from(c);
                        let row = &answers.codes[r * n_items + first..r * n_items + first + k];
                        match self.satisfied_range {
                            // Branch-free compares the compiler vectorises.
                            Some((lo, hi)) => {
                                for ((a, s), &p) in ans32.iter_mut().zip(sat32.iter_mut()).zip(row)
                                {
                                    *a += c & 0u32.wrapping_sub(u32::from(p != 0));
                                    *s += c & 0u32.wrapping_sub(u32::from(p >= lo && p <= hi));
                                }
                            }
                            None => {
                                for ((a, s), &p) in ans32.iter_mut().zip(sat32.iter_mut()).zip(row)
                                {
                                    let p = u32::from(p);
                                    *a += c * u32::from(p != 0);
                                    *s += c * ((mask >> p) & 1);
                                }
                            }
                        }
                    }
                    for (i, r) in rates.iter_mut().enumerate() {
                        let den = if self.unsatisfied {
                            total
                        } else {
                            i128::from(ans32[i])
                        };
                        *r = rate(i128::from(sat32[i]), den);
                    }
                }
                if survey.index_item.is_some() {
                    rates[0]
                } else {
                    index_from_item_rates(survey, &rates)
                }
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
/// [`estimate`](fn@super::estimate) from the same survey and answers).
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
    fn the_range_and_the_mask_paths_agree() {
        let survey = Survey::from_file(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/criteria/sipas/sipas-1001-2023-q9.survey.json"
            )
            .as_ref(),
        )
        .unwrap();
        let csv = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples-data/sipas-sample.csv"
        ))
        .unwrap();
        let answers = super::super::read_csv(&survey, csv.as_slice(), &Default::default()).unwrap();
        let fast = Design::new(&survey, &answers);
        assert_eq!(fast.satisfied_range, Some((4, 5)));
        let mut general = Design::new(&survey, &answers);
        general.satisfied_range = None;
        for rep in 0..20 {
            let a = fast.replicate(9, rep);
            assert!(a.iter().all(Option::is_some));
            assert_eq!(a, general.replicate(9, rep));
        }
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
