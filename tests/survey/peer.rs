//! An independent computation of the same aggregates: `benches/peer/survey_peer.py`
//! (polars for the sums, Python `Fraction`s for the ratios) on a generated
//! 100,000-respondent sheet, compared for equality with chiso after rounding both to
//! 10 decimal places (half even), for five combinations of aggregation, policies and
//! weights.
//!
//! Needs `python3` with `polars` (`pip install polars`). Without them the test prints
//! `SKIPPED` loudly and passes, unless `CHISO_REQUIRE_PEERS=1` (CI), where it fails.

use super::common;
use chiso::survey::{estimate, read_csv, ReadOptions, Survey};
use rust_decimal::RoundingStrategy;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const RESPONDENTS: usize = 100_000;
const UNITS: usize = 37;

fn peers_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import polars"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var_os("CHISO_REQUIRE_PEERS").is_some_and(|v| v != "0") {
            panic!(
                "python3 with polars is required (CHISO_REQUIRE_PEERS is set): pip install polars"
            );
        }
        eprintln!("SKIPPED: python3 with polars not found (pip install polars); the independent survey computation was not compared");
    }
    ok
}

/// xorshift64*: a small deterministic generator for the synthetic sheet.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Three sheets of the same SYNTHETIC respondents: `clean` (weights with 0–2 decimals,
/// strata, an overall question `q_overall`, ~3 % no-answers), `dirty_unweighted` and
/// `dirty_weighted` (also ~0.5 % off-scale `9`s and no-answer codes `KTL`). In the last
/// unit nobody answers item 7.
fn generate(dir: &Path) -> [std::path::PathBuf; 3] {
    let mut rng = Rng(0x5EED_5195_2024);
    let mut header = String::from("id,unit,stratum,weight,gioi_tinh");
    for i in 1..=39 {
        header.push_str(&format!(",q9_sat_{i}"));
    }
    header.push_str(",q_overall\n");
    let unweighted_header = header.replace(",weight", "");
    let (mut clean, mut dirty_w, mut dirty_u) = (header.clone(), header.clone(), unweighted_header);
    for r in 0..RESPONDENTS {
        // Units of unequal size; a unit-specific propensity to be satisfied.
        let u = ((rng.below(1000) * rng.below(1000)) / 27_028).min(UNITS as u64 - 1) as usize;
        let unit = format!("Đơn vị tổng hợp {u:02}");
        let stratum = format!("thôn {}", rng.below(3) + 1);
        let weight = match rng.below(3) {
            0 => format!("{}", rng.below(5) + 1),
            1 => format!("{}.{}", rng.below(5), rng.below(9) + 1),
            _ => format!("{}.{:02}", rng.below(4), rng.below(99) + 1),
        };
        let mut cells = Vec::new();
        let mut dirty = Vec::new();
        for i in 1..=40 {
            let no_answer = rng.below(100) < 3 || (u == UNITS - 1 && i == 7);
            let bias = (u as u64 % 5) + 1;
            let a = (1 + (rng.below(5) + rng.below(bias + 1)).min(4)).to_string();
            let (c, d) = if no_answer {
                let d = if rng.below(2) == 0 { "" } else { "KTL" };
                (String::new(), d.to_owned())
            } else if rng.below(200) == 0 {
                (a.clone(), "9".to_owned())
            } else {
                (a.clone(), a)
            };
            cells.push(c);
            dirty.push(d);
        }
        let id = format!("R{r:06}");
        let sex = if rng.below(2) == 0 { "nam" } else { "nữ" };
        clean.push_str(&format!(
            "{id},{unit},{stratum},{weight},{sex},{}\n",
            cells.join(",")
        ));
        dirty_w.push_str(&format!(
            "{id},{unit},{stratum},{weight},{sex},{}\n",
            dirty.join(",")
        ));
        dirty_u.push_str(&format!(
            "{id},{unit},{stratum},{sex},{}\n",
            dirty.join(",")
        ));
    }
    let paths = ["clean.csv", "dirty-unweighted.csv", "dirty-weighted.csv"].map(|n| dir.join(n));
    for (p, text) in paths.iter().zip([clean, dirty_u, dirty_w]) {
        std::fs::write(p, text).unwrap();
    }
    paths
}

/// (unit, code) → (rate, mean), each rounded half-even to 10 places, "" when missing.
type Table = BTreeMap<(String, String), (String, String)>;

fn ten(d: Option<chiso::Decimal>) -> String {
    d.map(|d| {
        let mut r = d.round_dp_with_strategy(10, RoundingStrategy::MidpointNearestEven);
        r.rescale(10);
        r.to_string()
    })
    .unwrap_or_default()
}

fn chiso_table(def: &Json, sheet: &Path) -> Table {
    let survey = Survey::from_json(&def.to_string()).unwrap();
    let bytes = std::fs::read(sheet).unwrap();
    let answers = read_csv(&survey, bytes.as_slice(), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.render(chiso::Lang::En)));
    let r = estimate(&survey, &answers).unwrap();
    let mut t = Table::new();
    for u in r.units.iter().chain([&r.all]) {
        for n in &u.nodes {
            t.insert(
                (u.unit.clone(), n.code.clone()),
                (ten(n.satisfaction_rate), ten(n.mean_score)),
            );
        }
    }
    t
}

fn peer_table(def: &Json, sheet: &Path, dir: &Path) -> Table {
    let def_path = dir.join("def.survey.json");
    std::fs::write(&def_path, def.to_string()).unwrap();
    let out = dir.join("peer.csv");
    let script = common::repo().join("benches/peer/survey_peer.py");
    let o = Command::new("python3")
        .arg(&script)
        .args([&def_path, sheet, &out])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "peer failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    common::read_csv(&out)
        .into_iter()
        .map(|r| {
            (
                (r["unit"].clone(), r["code"].clone()),
                (r["rate"].clone(), r["mean"].clone()),
            )
        })
        .collect()
}

#[test]
fn polars_peer_computes_the_same_aggregates() {
    if !peers_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("chiso-survey-peer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let [clean, dirty_u, dirty_w] = generate(&dir);
    let shipped: Json = serde_json::from_str(
        &std::fs::read_to_string(
            common::repo().join("criteria/sipas/sipas-1001-2023-q9.survey.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let with = |edit: &dyn Fn(&mut Json)| {
        let mut d = shipped.clone();
        edit(&mut d);
        d
    };
    let cases: Vec<(&str, Json, &Path)> = vec![
        ("shipped definition, weighted", shipped.clone(), &clean),
        (
            "respondent pooling, no-answer unsatisfied, off-scale as no-answer, unweighted",
            with(&|d| {
                d["aggregation"] = json!({"method": "respondent_pooling"});
                d["policies"] = json!({"no_answer": "unsatisfied", "out_of_range": "no_answer", "empty_item": "skip"});
                d["scale"]["no_answer_codes"] = json!(["KTL"]);
            }),
            &dirty_u,
        ),
        (
            "item-count blocks, declared components 0.6/0.4, empty items propagate, weighted",
            with(&|d| {
                d["aggregation"] = json!({"method": "hierarchical", "block_weights": "item_count",
                    "component_weights": {"declared": {"I": "0.6", "II": "0.4"}}});
                d["policies"] = json!({"no_answer": "exclude", "out_of_range": "no_answer", "empty_item": "propagate"});
                d["scale"]["no_answer_codes"] = json!(["KTL"]);
            }),
            &dirty_w,
        ),
        (
            "drop respondents with a no-answer, weighted",
            with(&|d| {
                d["policies"] = json!({"no_answer": "drop_respondent", "out_of_range": "no_answer", "empty_item": "skip"});
                d["scale"]["no_answer_codes"] = json!(["KTL"]);
            }),
            &dirty_w,
        ),
        (
            "overall question, weighted",
            with(&|d| {
                d["overall_items"] =
                    json!([{"code": "q_overall", "title": {"vi": "Hài lòng chung (tổng hợp)"}}]);
                d["aggregation"] = json!({"method": "overall_question", "item": "q_overall", "block_weights": "item_count"});
            }),
            &clean,
        ),
    ];
    let mut failures = Vec::new();
    for (name, def, sheet) in &cases {
        let ours = chiso_table(def, sheet);
        let theirs = peer_table(def, sheet, &dir);
        let values = ours
            .values()
            .filter(|(r, m)| !r.is_empty() || !m.is_empty())
            .count();
        eprintln!("{name}: {} rows ({values} with values)", ours.len());
        assert!(values > UNITS * 40, "{name}: too few values to compare");
        if ours != theirs {
            let diff: Vec<String> = ours
                .iter()
                .filter(|(k, v)| theirs.get(*k) != Some(*v))
                .take(5)
                .map(|(k, v)| format!("  {k:?}: chiso {v:?}, peer {:?}", theirs.get(k)))
                .collect();
            let missing = theirs.keys().filter(|k| !ours.contains_key(*k)).count();
            failures.push(format!(
                "{name}:\n{}\n  ({missing} peer rows not in chiso)",
                diff.join("\n")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "chiso and the polars peer differ:\n{}",
        failures.join("\n")
    );
}
