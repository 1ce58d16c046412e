//! Bootstrap intervals (properties: they contain the estimate and depend only on the seed) and sample sizes.

#![allow(clippy::unwrap_used)]
use super::*;

// ---------------------------------------------------------------------------
// Bootstrap

#[test]
fn bootstrap_on_the_sample_sheet() {
    let s = shipped();
    let csv = std::fs::read(common::repo().join("examples-data/sipas-sample.csv")).unwrap();
    let answers = read_csv(&s, csv.as_slice(), &ReadOptions::default()).unwrap();
    let mut r = estimate(&s, &answers).unwrap();
    let opts = BootstrapOptions {
        replications: 300,
        seed: 11,
        threads: 2,
        ..Default::default()
    };
    bootstrap(&s, &answers, &mut r, &opts).unwrap();
    let info = r.bootstrap.as_ref().unwrap();
    assert_eq!((info.replications, info.seed), (300, 11));
    for u in &r.units {
        let ci = u.interval.as_ref().unwrap();
        assert!(ci.low <= u.index.unwrap() && u.index.unwrap() <= ci.high);
        assert!(ci.rank_best <= u.rank.unwrap() && u.rank.unwrap() <= ci.rank_worst);
        assert!(ci.rank_worst as usize <= r.units.len());
        assert!(ci.low < ci.high, "six respondents per unit do vary");
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// A random mini sheet: 1–4 units of 1–7 respondents, answers 1–5 or empty, and
    /// optionally weights with up to two decimals.
    fn sheet() -> impl Strategy<Value = String> {
        let row = (proptest::collection::vec(0u8..=5, 5), 1u32..=400);
        let unit = proptest::collection::vec(row, 1..=7);
        (proptest::collection::vec(unit, 1..=4), any::<bool>()).prop_map(|(units, weighted)| {
            let mut s = String::from(if weighted {
                "id,unit,weight,a,b,c,d,e\n"
            } else {
                "id,unit,a,b,c,d,e\n"
            });
            for (u, rows) in units.iter().enumerate() {
                for (r, (answers, w)) in rows.iter().enumerate() {
                    s.push_str(&format!("r{r},U{u}"));
                    if weighted {
                        s.push_str(&format!(",{}", Decimal::new(i64::from(*w), 2)));
                    }
                    for a in answers {
                        if *a == 0 {
                            s.push(',');
                        } else {
                            s.push_str(&format!(",{a}"));
                        }
                    }
                    s.push('\n');
                }
            }
            s
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn interval_contains_the_estimate_and_depends_only_on_the_seed(csv in sheet(), seed in any::<u64>()) {
            let s = mini(|_| {});
            let answers = read_csv(&s, csv.as_bytes(), &ReadOptions::default()).unwrap();
            let base = estimate(&s, &answers).unwrap();
            let opts = BootstrapOptions { replications: 60, seed, threads: 1, ..Default::default() };
            let mut one = base.clone();
            bootstrap(&s, &answers, &mut one, &opts).unwrap();
            let mut again = base.clone();
            bootstrap(&s, &answers, &mut again, &opts).unwrap();
            let mut two = base.clone();
            bootstrap(&s, &answers, &mut two, &BootstrapOptions { threads: 2, ..opts }).unwrap();
            prop_assert_eq!(&one, &again);
            prop_assert_eq!(&one, &two);
            let reps = replicates(&s, &answers, &opts).unwrap();
            prop_assert_eq!(&reps, &replicates(&s, &answers, &BootstrapOptions { threads: 2, ..opts }).unwrap());
            for (u, unit) in one.units.iter().enumerate() {
                let Some(est) = unit.index else {
                    prop_assert!(unit.interval.is_none());
                    continue;
                };
                let ci = unit.interval.as_ref().unwrap();
                prop_assert!(ci.low <= est && est <= ci.high);
                let rank = unit.rank.unwrap();
                prop_assert!(ci.rank_best <= rank && rank <= ci.rank_worst);
                // The ends are the nearest-rank 2.5 % and 97.5 % replicated values,
                // unless widened to the estimate (and then flagged).
                let mut v: Vec<Decimal> = reps.iter().filter_map(|r| r[u]).collect();
                v.sort();
                prop_assert_eq!(ci.replications as usize, v.len());
                let m = v.len();
                let (lo, hi) = (v[(m * 25).div_ceil(1000).max(1) - 1], v[(m * 975).div_ceil(1000).max(1) - 1]);
                prop_assert_eq!(ci.low, lo.min(est).normalize());
                prop_assert_eq!(ci.high, hi.max(est).normalize());
                prop_assert_eq!(ci.widened, est < lo || est > hi);
            }
        }
    }
}

#[test]
fn bootstrap_options_are_checked() {
    let s = mini(|_| {});
    let answers = read_csv(&s, MINI.as_bytes(), &ReadOptions::default()).unwrap();
    let mut r = estimate(&s, &answers).unwrap();
    for (opts, code) in [
        (
            BootstrapOptions {
                replications: 0,
                ..Default::default()
            },
            "survey_no_replications",
        ),
        (
            BootstrapOptions {
                replications: 200_000,
                ..Default::default()
            },
            "survey_too_many_replications",
        ),
        (
            BootstrapOptions {
                level: d("1"),
                ..Default::default()
            },
            "survey_unsupported_level",
        ),
    ] {
        let SurveyError::Option(p) = bootstrap(&s, &answers, &mut r, &opts).unwrap_err() else {
            panic!()
        };
        assert_eq!(p.code(), code);
    }
}

// ---------------------------------------------------------------------------
// Sample size

#[test]
fn sample_sizes() {
    // n₀ = 1.96² × 0.5 × 0.5 / 0.05² = 3.8416 × 0.25 / 0.0025 = 384.16 → 385.
    assert_eq!(
        minimum_sample_size(d("0.05"), d("0.95"), d("0.5"), d("1"), None).unwrap(),
        385
    );
    // ±3 points at 99 %: 2.576² × 0.25 / 0.0009 = 6.635776 × 0.25 / 0.0009 = 1843.27… → 1844.
    assert_eq!(
        minimum_sample_size(d("0.03"), d("0.99"), d("0.5"), d("1"), None).unwrap(),
        1844
    );
    // p = 0.85 at 90 %, ±5: 1.645² × 0.1275 / 0.0025 = 2.706025 × 51 = 138.007… → 139.
    assert_eq!(
        minimum_sample_size(d("0.05"), d("0.9"), d("0.85"), d("1"), None).unwrap(),
        139
    );
    // Finite population N = 1000: 384.16 / (1 + 383.16/1000) = 384.16 / 1.38316 = 277.74… → 278.
    assert_eq!(
        minimum_sample_size(d("0.05"), d("0.95"), d("0.5"), d("1"), Some(1000)).unwrap(),
        278
    );
    // Design effect 1.5: 384.16 × 1.5 = 576.24 → 577.
    assert_eq!(
        minimum_sample_size(d("0.05"), d("0.95"), d("0.5"), d("1.5"), None).unwrap(),
        577
    );
    assert!(minimum_sample_size(d("0"), d("0.95"), d("0.5"), d("1"), None).is_err());
    assert!(minimum_sample_size(d("0.05"), d("0.8"), d("0.5"), d("1"), None).is_err());

    // Kish's design effect of unit X weighted 2, 1, 1, 0.5: n Σw² / (Σw)² = 4 × 6.25 / 20.25 = 100/81.
    let csv = MINI
        .replace("id,unit,", "id,unit,weight,")
        .replace("r1,X,", "r1,X,2,")
        .replace("r2,X,", "r2,X,1,")
        .replace("r3,X,", "r3,X,1,")
        .replace("r4,X,", "r4,X,0.5,")
        .replace(",Y,", ",Y,3,");
    let s = mini(|_| {});
    let answers = read_csv(&s, csv.as_bytes(), &ReadOptions::default()).unwrap();
    let deffs = design_effects(&answers);
    assert_eq!(deffs[0].unwrap().round_dp(20), frac(100, 81));
    assert_eq!(deffs[1], Some(Decimal::ONE));
    let mut r = estimate(&s, &answers).unwrap();
    add_sample_sizes(&answers, &mut r, d("0.05"), d("0.95")).unwrap();
    // 384.16 × 100/81 = 474.27… → 475 needed; X has 4.
    let ss = unit(&r, "X").sample_size.as_ref().unwrap();
    assert_eq!(
        (ss.required, ss.respondents, ss.sufficient),
        (475, 4, false)
    );
}
