//! What one analysis may cost, checked before anything is allocated, and the pool that
//! runs the model in bounded chunks.
//!
//! Memory does not grow with the number of replications: replications are scored a chunk
//! at a time and folded into the rank histogram (`units × (units + 1)` counters), so only
//! one chunk of rank vectors is alive at once. What remains is bounded here:
//! - the work, `(replications + N·(d+2)) × units` unit scorings ([`MAX_WORK`]), which is
//!   also the time the analysis takes;
//! - the memory of the results kept to the end ([`MAX_RESULT_BYTES`]): the histogram and
//!   the `N·(d+2)` outputs of the sensitivity design.

use super::model::Buffers;
use super::{Error, Spec, DEFAULT_REPS, MAX_RUNS};
use crate::Problem;

/// Most unit scorings of one analysis: `(replications + N·(d+2)) × units` ≤ 20,000,000.
/// The time of an analysis is proportional to this figure; the benchmark
/// (`cargo bench --bench sensitivity`: 10,000 replications × 63 provinces of the 40-node
/// PAPI tree in 1.45 s on two threads) puts the limit at about 45 s.
pub const MAX_WORK: u64 = 20_000_000;

/// Most bytes of results one analysis keeps to the end: 256 MiB — the rank histogram
/// (`units × (units + 1)` counters of 4 bytes, so at most 8,191 units) plus the outputs of
/// the sensitivity design (`N·(d+2)` numbers of 8 bytes).
pub const MAX_RESULT_BYTES: u64 = 256 << 20;

/// Bytes of rank vectors scored between two merges into the histogram (one chunk).
const IN_FLIGHT_BYTES: u64 = 16 << 20;

/// A limit broken, before the analysis starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// Where the figure comes from: `--reps`, `$.reps`, `$.sensitivity.n` or `$` (the units).
    pub path: String,
    /// What is limited, written `english / tiếng Việt`.
    pub what: String,
    /// The most allowed.
    pub limit: u64,
    /// What was asked.
    pub found: u64,
}

impl Limit {
    /// The limit as a located [`Problem::LimitExceeded`] error (no file set).
    pub fn diagnostic(&self) -> crate::Diagnostic {
        crate::Diagnostic::error(
            self.path.clone(),
            None,
            Problem::LimitExceeded {
                what: self.what.clone(),
                limit: self.limit,
                found: Some(self.found),
                unit: String::new(),
            },
        )
    }
}

fn units_words(units: u64) -> (String, String) {
    let en = if units == 1 {
        "1 unit".to_owned()
    } else {
        format!("{units} units")
    };
    (en, format!("{units} đơn vị"))
}

/// Checks the analysis of `units` units with `reps` replications (`from_option`: given on
/// the command line, not in the spec) against [`MAX_RUNS`], [`MAX_WORK`] and
/// [`MAX_RESULT_BYTES`], before anything is allocated.
pub(super) fn check(spec: &Spec, reps: u32, from_option: bool, units: usize) -> Result<(), Error> {
    let units = units as u64;
    let d = spec.assumptions.len() as u64;
    let n = spec.sensitivity.map_or(0, |s| u64::from(s.n));
    let sa_runs = n.saturating_mul(d + 2);
    let runs = u64::from(reps).saturating_add(sa_runs);
    let reps_path = if from_option { "--reps" } else { "$.reps" };
    let (en_units, vi_units) = units_words(units);
    // Histogram first: it does not depend on the replications.
    let hist = units.saturating_mul(units + 1).saturating_mul(4);
    if hist > MAX_RESULT_BYTES {
        return Err(Error::Limit(Limit {
            path: "$".into(),
            what: "units in one rank analysis / số đơn vị trong một phân tích thứ hạng".into(),
            limit: max_units(),
            found: units,
        }));
    }
    let per_unit = MAX_WORK / units.max(1);
    if sa_runs > per_unit.min(MAX_RUNS)
        || sa_runs.saturating_mul(8) > MAX_RESULT_BYTES.saturating_sub(hist)
    {
        let max_n = (per_unit.min(MAX_RUNS) / (d + 2))
            .min(MAX_RESULT_BYTES.saturating_sub(hist) / 8 / (d + 2));
        return Err(Error::Limit(Limit {
            path: "$.sensitivity.n".into(),
            what: format!(
                "base sample of the sensitivity design (sensitivity.n) for {en_units} and {d} assumptions / cỡ mẫu cơ sở của phân tích độ nhạy (sensitivity.n) cho {vi_units} và {d} giả định",
            ),
            limit: max_n,
            found: n,
        }));
    }
    if runs > per_unit.min(MAX_RUNS) {
        let max_reps = per_unit.min(MAX_RUNS) - sa_runs;
        let what = if from_option {
            format!("replications (--reps) for {en_units} / số lần lặp (--reps) cho {vi_units}")
        } else {
            format!(
                "replications (reps in the spec) for {en_units} / số lần lặp (reps trong tệp mô tả) cho {vi_units}"
            )
        };
        return Err(Error::Limit(Limit {
            path: reps_path.into(),
            what,
            limit: max_reps,
            found: u64::from(reps),
        }));
    }
    Ok(())
}

/// The most units whose histogram fits [`MAX_RESULT_BYTES`]: the largest `u` with
/// `u·(u+1)·4 ≤` the budget.
fn max_units() -> u64 {
    let cells = MAX_RESULT_BYTES / 4;
    let mut u = ((cells as f64).sqrt() as u64).saturating_add(1);
    while u.saturating_mul(u + 1) > cells {
        u -= 1;
    }
    u
}

/// Replications scored per chunk for `units` units: [`IN_FLIGHT_BYTES`] of rank vectors,
/// at least 16 and at most 4,096.
pub(super) fn chunk_len(units: usize) -> u64 {
    (IN_FLIGHT_BYTES / (units as u64 * 8 + 64)).clamp(16, 4096)
}

/// Replications when neither the caller nor the spec gives a number.
pub(super) fn reps_of(spec: &Spec, option: Option<u32>) -> u32 {
    option.or(spec.reps).unwrap_or(DEFAULT_REPS)
}

/// The threads of one analysis, made once and used for every chunk.
pub(super) struct Pool {
    #[cfg(not(target_arch = "wasm32"))]
    pool: Option<rayon::ThreadPool>,
}

impl Pool {
    /// A pool of `threads` threads (at most [`crate::limits::max_threads`]: a larger
    /// request is clamped, never spawned); none when one thread is asked or the threads
    /// cannot be started (the calling thread then does the work).
    pub(super) fn new(threads: usize) -> Pool {
        let threads = crate::limits::threads(threads);
        #[cfg(not(target_arch = "wasm32"))]
        {
            let pool = (threads > 1)
                .then(|| {
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .ok()
                })
                .flatten();
            Pool { pool }
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = threads;
            Pool {}
        }
    }

    /// Maps `f` over `range` in order.
    pub(super) fn map<T: Send>(
        &self,
        range: std::ops::Range<u64>,
        f: &(dyn Fn(u64, &mut Buffers) -> T + Sync),
    ) -> Vec<T> {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(pool) = &self.pool {
            use rayon::prelude::*;
            return pool.install(|| {
                range
                    .into_par_iter()
                    .map_init(Buffers::default, |buf, i| f(i, buf))
                    .collect()
            });
        }
        let mut buf = Buffers::default();
        range.map(|i| f(i, &mut buf)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(reps: Option<u32>, n: Option<u32>, d: usize) -> Spec {
        let assumptions = (0..d)
            .map(|i| format!(r#"{{"kind": "weights", "name": "w{i}", "noise": "0.1"}}"#))
            .collect::<Vec<_>>()
            .join(",");
        let mut s: Spec = serde_json::from_str(&format!(
            r#"{{"format": "chiso.sensitivity/1", "assumptions": [{assumptions}]}}"#
        ))
        .unwrap();
        s.reps = reps;
        s.sensitivity = n.map(|n| super::super::SensitivityDesign { n });
        s
    }

    fn limit(r: Result<(), Error>) -> Limit {
        match r {
            Err(Error::Limit(l)) => l,
            other => panic!("expected a limit, got {other:?}"),
        }
    }

    #[test]
    fn replications_are_bounded_per_unit() {
        // 2 units: 20,000,000 / 2 = 10,000,000 replications at most.
        assert!(check(&spec(None, None, 1), 10_000_000, true, 2).is_ok());
        let l = limit(check(&spec(None, None, 1), 10_000_001, true, 2));
        assert_eq!(
            (l.path.as_str(), l.limit, l.found),
            ("--reps", 10_000_000, 10_000_001)
        );
        assert!(
            l.what.contains("2 units") && l.what.contains("2 đơn vị"),
            "{}",
            l.what
        );
        // From the spec, the path is the spec's.
        let l = limit(check(&spec(Some(4_000_000), None, 1), 4_000_000, false, 63));
        assert_eq!((l.path.as_str(), l.limit), ("$.reps", 20_000_000 / 63));
        assert!(l.what.contains("63 units"));
        // One unit: singular, and the run count (50,000,000) is not the binding limit.
        let l = limit(check(&spec(None, None, 1), u32::MAX, true, 1));
        assert_eq!(l.limit, MAX_WORK);
        assert!(l.what.contains("for 1 unit /"), "{}", l.what);
    }

    #[test]
    fn the_sensitivity_design_counts_in_the_work() {
        // 10 units, 3 assumptions: N·5·10 ≤ 20,000,000 → N ≤ 400,000.
        assert!(check(&spec(None, Some(399_000), 3), 1_000, true, 10).is_ok());
        let l = limit(check(&spec(None, Some(400_001), 3), 1, true, 10));
        assert_eq!((l.path.as_str(), l.limit), ("$.sensitivity.n", 400_000));
        // The replications get what the design leaves: 2,000,000 − 399,000·5 = 5,000.
        let l = limit(check(&spec(None, Some(399_000), 3), 5_001, true, 10));
        assert_eq!(l.limit, 5_000);
    }

    #[test]
    fn the_histogram_is_bounded_before_it_is_allocated() {
        let u = max_units();
        assert!(u * (u + 1) * 4 <= MAX_RESULT_BYTES && (u + 1) * (u + 2) * 4 > MAX_RESULT_BYTES);
        assert!(check(&spec(None, None, 0), 1, true, u as usize).is_ok());
        let l = limit(check(&spec(None, None, 0), 1, true, u as usize + 1));
        assert_eq!((l.path.as_str(), l.limit, l.found), ("$", u, u + 1));
    }

    #[test]
    fn chunks_stay_small() {
        assert_eq!(chunk_len(1), 4096);
        assert_eq!(chunk_len(1_000_000), 16);
        let u = 10_000usize;
        assert!(chunk_len(u) * (u as u64 * 8 + 64) <= IN_FLIGHT_BYTES);
    }

    #[test]
    fn the_pool_maps_in_order_whatever_the_threads() {
        for threads in [1, 2, 100_000] {
            let pool = Pool::new(threads);
            assert_eq!(pool.map(3..8, &|i, _| i * 10), [30, 40, 50, 60, 70]);
        }
    }
}
