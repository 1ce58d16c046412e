//! Hand-worked estimates: weights, every policy and aggregation, and the published national and provincial figures.

#![allow(clippy::unwrap_used)]
use super::*;

#[test]
fn hand_worked_mini_survey() {
    let r = run(&mini(|_| {}), MINI).unwrap();
    let x = unit(&r, "X");
    // Unit X, items (satisfied = 4 or 5, over valid answers):
    //   a: 5 4 3 1 → 2/4 = 50 %,   mean 13/4 = 3.25
    //   b: 4 2 5 4 → 3/4 = 75 %,   mean 15/4 = 3.75
    //   c: 3 5 4 4 → 3/4 = 75 %,   mean 16/4 = 4
    //   d: 2 4 5 3 → 2/4 = 50 %,   mean 14/4 = 3.5
    //   e: 4 – 5 2 → 2/3 = 66.67 %, mean 11/3 (r2 has no answer: left out)
    eq(rate(x, "a"), 50, 1);
    eq(rate(x, "b"), 75, 1);
    eq(rate(x, "c"), 75, 1);
    eq(rate(x, "d"), 50, 1);
    eq(rate(x, "e"), 200, 3);
    eq(mean(x, "a"), 13, 4);
    eq(mean(x, "e"), 11, 3);
    // Blocks (mean of items): P1 = (50 + 75)/2 = 62.5; P2 = 75; S1 = (50 + 200/3)/2 = 175/3.
    eq(rate(x, "P1"), 125, 2);
    eq(rate(x, "P2"), 75, 1);
    eq(rate(x, "S1"), 175, 3);
    // Components: P = (62.5 + 75)/2 = 68.75; S = 175/3 = 58.33.
    eq(rate(x, "P"), 275, 4);
    eq(rate(x, "S"), 175, 3);
    // Index = (68.75 + 175/3)/2 = (825/12 + 700/12)/2 = 1525/24 = 63.5417.
    eq(x.index, 1525, 24);
    eq(rate(x, "total"), 1525, 24);
    // Mean score: P1 = (3.25 + 3.75)/2 = 3.5, P2 = 4, P = 3.75; S1 = (3.5 + 11/3)/2 = 43/12;
    // index = (3.75 + 43/12)/2 = (45/12 + 43/12)/2 = 88/24 = 11/3.
    eq(x.mean_score, 11, 3);
    // Counts: 20 cells, one no-answer.
    let t = x.node("total").unwrap();
    assert_eq!((t.answers, t.no_answers), (19, 1));
    assert_eq!(x.node("e").unwrap().level, Level::Item);

    // Unit Y: a 5 4 → 100; b 5 3 → 50; c, d, e → 100. P1 = 75, P2 = 100, P = 87.5;
    // S = 100; index = 93.75; mean: P1 = (4.5 + 4)/2 = 4.25, P = (4.25 + 4.5)/2 = 4.375,
    // S = 4.5, index = 4.4375.
    let y = unit(&r, "Y");
    eq(y.index, 9375, 100);
    eq(y.mean_score, 44375, 10000);
    // Ranks on exact indices: Y (93.75) first, X (63.54) second.
    assert_eq!((y.rank, x.rank), (Some(1), Some(2)));

    // All six respondents together: a 5 4 3 1 5 4 → 4/6; b 4 2 5 4 5 3 → 4/6;
    // c 3 5 4 4 5 4 → 5/6; d 2 4 5 3 5 4 → 4/6; e 4 – 5 2 5 4 → 4/5.
    // P1 = 200/3, P2 = 250/3, P = 75; S1 = (200/3 + 80)/2 = 220/3; index = (75 + 220/3)/2 = 445/6.
    eq(r.all.index, 445, 6);
    assert_eq!(r.all.unit, "__all__");
    assert_eq!(r.all.rank, None);
    assert_eq!((r.rows, r.respondents), (6, 6));
    assert!(!r.weighted);
    // The result says what it used.
    assert_eq!(r.aggregation.method(), "hierarchical");
    assert!(r.notes[0].en.contains("inferred"));
}

#[test]
fn weighted_estimates() {
    // Unit X of MINI with weights r1 = 2, r2 = 1, r3 = 1, r4 = 0.5 (total 4.5):
    //   a: 5(2) 4(1) 3(1) 1(.5) → satisfied 3/4.5 = 2/3;  mean (10 + 4 + 3 + .5)/4.5 = 35/9
    //   b: 4(2) 2(1) 5(1) 4(.5) → 3.5/4.5 = 7/9
    //   c: 3(2) 5(1) 4(1) 4(.5) → 2.5/4.5 = 5/9
    //   d: 2(2) 4(1) 5(1) 3(.5) → 2/4.5 = 4/9
    //   e: 4(2) –    5(1) 2(.5) → 3/3.5 = 6/7
    // P1 = (2/3 + 7/9)/2 = 13/18, P2 = 5/9, P = (13/18 + 10/18)/2 = 23/36;
    // S1 = (4/9 + 6/7)/2 = 41/63; index = (23/36 + 41/63)/2 = (161 + 164)/504 = 325/504.
    let csv = MINI
        .replace("id,unit,", "id,unit,weight,")
        .replace("r1,X,", "r1,X,2,")
        .replace("r2,X,", "r2,X,1,")
        .replace("r3,X,", "r3,X,1,")
        .replace("r4,X,", "r4,X,0.5,")
        .replace("r5,Y,", "r5,Y,1,")
        .replace("r6,Y,", "r6,Y,1,");
    let r = run(&mini(|_| {}), &csv).unwrap();
    let x = unit(&r, "X");
    assert!(r.weighted);
    eq(rate(x, "a"), 200, 3);
    eq(mean(x, "a"), 35, 9);
    eq(rate(x, "b"), 700, 9);
    eq(rate(x, "e"), 600, 7);
    eq(rate(x, "P"), 2300, 36);
    eq(rate(x, "S1"), 4100, 63);
    eq(x.index, 32500, 504);
    assert_eq!(x.weight_total, d("4.5"));

    // Equal weights (2.5 each) give exactly the unweighted estimates.
    let equal = MINI
        .replace("id,unit,", "id,unit,weight,")
        .replace(",X,", ",X,2.5,")
        .replace(",Y,", ",Y,2.5,");
    let w = run(&mini(|_| {}), &equal).unwrap();
    let u = run(&mini(|_| {}), MINI).unwrap();
    for (a, b) in w
        .units
        .iter()
        .chain([&w.all])
        .zip(u.units.iter().chain([&u.all]))
    {
        assert_eq!(a.nodes, b.nodes, "unit {}", a.unit);
        assert_eq!(a.weight_total, Decimal::from(a.respondents) * d("2.5"));
    }
}

#[test]
fn no_answer_policies() {
    let with = |policy: &str| {
        let p = policy.to_owned();
        mini(move |v| v["policies"]["no_answer"] = json!(p))
    };
    // unsatisfied: r2's missing e counts in the denominator as not satisfied:
    // e = 2/4 = 50 %; its mean score still leaves it out (11/3).
    let r = run(&with("unsatisfied"), MINI).unwrap();
    let x = unit(&r, "X");
    eq(rate(x, "e"), 50, 1);
    eq(mean(x, "e"), 11, 3);
    eq(rate(x, "a"), 50, 1);

    // drop_respondent: r2 is left out; X keeps r1, r3, r4:
    // a 5 3 1 → 1/3; b 4 5 4 → 1; c 3 4 4 → 2/3; d 2 5 3 → 1/3; e 4 5 2 → 2/3.
    // P = ((100/3 + 100)/2 + 200/3)/2 = (200/3 + 200/3)/2 = 200/3; S = (100/3 + 200/3)/2 = 50;
    // index = (200/3 + 50)/2 = 350/6.
    let r = run(&with("drop_respondent"), MINI).unwrap();
    let x = unit(&r, "X");
    assert_eq!((x.respondents, x.dropped), (3, 1));
    assert_eq!((r.rows, r.respondents), (6, 5));
    eq(rate(x, "a"), 100, 3);
    eq(x.index, 350, 6);

    // error: the no-answer is an input error naming row, column and respondent.
    let e = run(&with("error"), MINI).unwrap_err();
    assert_eq!(
        e.render(Lang::En),
        "answers.csv row 3, column e (respondent r2): has no answer, and the survey's no_answer policy is \"error\" [survey_no_answer_not_allowed]"
    );
}

#[test]
fn out_of_range_policies() {
    // r4 answered 7 to d (the scale is 1–5) and 99 to e.
    let csv = MINI.replace("r4,X,1,4,4,3,2", "r4,X,1,4,4,7,99");
    let e = run(&mini(|_| {}), &csv).unwrap_err();
    let SurveyError::Input { errors, total, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(*total, 2);
    assert_eq!(errors[0].column.as_deref(), Some("d"));
    assert_eq!(errors[0].problem.code(), "survey_off_scale");

    // no_answer: both become no-answers (counted), then "exclude" leaves them out:
    // d 2 4 5 → 2/3; e 4 – 5 – → 2/2.
    let s = mini(|v| v["policies"]["out_of_range"] = json!("no_answer"));
    let r = run(&s, &csv).unwrap();
    assert_eq!(r.recoded_out_of_range, 2);
    let x = unit(&r, "X");
    eq(rate(x, "d"), 200, 3);
    eq(rate(x, "e"), 100, 1);
    assert_eq!(x.node("e").unwrap().no_answers, 2);

    // A declared no-answer code is not off the scale.
    let s = mini(|v| v["scale"]["no_answer_codes"] = json!(["99"]));
    let csv = MINI.replace("r4,X,1,4,4,3,2", "r4,X,1,4,4,3,99");
    let x = run(&s, &csv).unwrap();
    eq(rate(unit(&x, "X"), "e"), 200, 2);
}

#[test]
fn empty_item_policies() {
    // Unit Z: nobody answered c. skip: P = P1 only; propagate: P, and so the index, have no value.
    let csv = "id,unit,a,b,c,d,e\nz1,Z,5,4,,4,4\nz2,Z,4,1,,2,5\n";
    // a 5 4 → 100; b 4 1 → 50; P1 = 75; P = 75 (P2 skipped); d 4 2 → 50, e → 100, S = 75.
    let r = run(&mini(|_| {}), csv).unwrap();
    let z = unit(&r, "Z");
    assert_eq!(rate(z, "c"), None);
    assert_eq!(rate(z, "P2"), None);
    eq(rate(z, "P"), 75, 1);
    eq(z.index, 75, 1);
    let s = mini(|v| v["policies"]["empty_item"] = json!("propagate"));
    let r = run(&s, csv).unwrap();
    let z = unit(&r, "Z");
    assert_eq!((rate(z, "P2"), rate(z, "P"), z.index), (None, None, None));
    eq(rate(z, "S"), 75, 1);
    assert_eq!(z.rank, None);
}

#[test]
fn aggregations() {
    // Item-count weights at both levels = the mean of all item rates of X:
    // (50 + 75 + 75 + 50 + 200/3)/5 = (950/3)/5 = 190/3.
    let s = mini(
        |v| v["aggregation"] = json!({"method": "hierarchical", "block_weights": "item_count", "component_weights": "item_count"}),
    );
    eq(unit(&run(&s, MINI).unwrap(), "X").index, 190, 3);

    // Declared component weights P 0.6, S 0.4: 0.6 × 68.75 + 0.4 × 175/3 = 41.25 + 70/3 = 775/12.
    let s = mini(|v| {
        v["aggregation"] = json!({"method": "hierarchical", "block_weights": "equal",
            "component_weights": {"declared": {"P": "0.6", "S": "0.4"}}})
    });
    eq(unit(&run(&s, MINI).unwrap(), "X").index, 775, 12);

    // Respondent-level pooling, unit X (share of a respondent's answered items rated 4–5):
    //   r1 5 4 3 2 4 → 3/5;  r2 4 2 5 4 – → 3/4;  r3 3 5 4 5 5 → 4/5;  r4 1 4 4 3 2 → 2/5
    //   index = (0.6 + 0.75 + 0.8 + 0.4)/4 = 0.6375 → 63.75 %
    //   P (a, b, c): each respondent 2/3 → 200/3 %;  S (d, e): 1/2, 1/1, 2/2, 0/2 → 62.5 %
    //   mean score: (18/5 + 15/4 + 22/5 + 14/5)/4 = 3.6375
    let s = mini(|v| v["aggregation"] = json!({"method": "respondent_pooling"}));
    let r = run(&s, MINI).unwrap();
    let x = unit(&r, "X");
    eq(x.index, 6375, 100);
    eq(rate(x, "P"), 200, 3);
    eq(rate(x, "S"), 625, 10);
    eq(x.mean_score, 36375, 10000);
    // Items are the same under every aggregation.
    eq(rate(x, "e"), 200, 3);

    // Overall question: the index is item o (4 5 2 3 → 50 % in X); blocks as hierarchical.
    let s = mini(|v| {
        v["overall_items"] = json!([{"code": "o", "title": {"vi": "Hài lòng chung"}}]);
        v["aggregation"] =
            json!({"method": "overall_question", "item": "o", "block_weights": "equal"});
    });
    let csv = MINI
        .replace("id,unit,a,b,c,d,e", "id,unit,a,b,c,d,e,o")
        .replace("r1,X,5,4,3,2,4", "r1,X,5,4,3,2,4,4")
        .replace("r2,X,4,2,5,4,", "r2,X,4,2,5,4,,5")
        .replace("r3,X,3,5,4,5,5", "r3,X,3,5,4,5,5,2")
        .replace("r4,X,1,4,4,3,2", "r4,X,1,4,4,3,2,3")
        .replace("r5,Y,5,5,5,5,5", "r5,Y,5,5,5,5,5,5")
        .replace("r6,Y,4,3,4,4,4", "r6,Y,4,3,4,4,4,4");
    let r = run(&s, &csv).unwrap();
    let x = unit(&r, "X");
    eq(x.index, 50, 1);
    eq(rate(x, "P"), 275, 4);
    assert_eq!(x.node("o").unwrap().level, Level::OverallItem);
}

// ---------------------------------------------------------------------------
// Published national and provincial figures (reference `sipas.md` §3.1, §4)

/// A sheet for the shipped definition whose policy items are all satisfied at rate
/// `policy` and service items at rate `services` (percent with 2 decimals): 10,000
/// respondents per unit, the first `rate × 100` of them answer 5, the others 2.
fn component_sheet(units: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("id,unit");
    for i in 1..=39 {
        s.push_str(&format!(",q9_sat_{i}"));
    }
    s.push('\n');
    for (unit, policy, services) in units {
        let k = |r: &str| {
            (d(r) * Decimal::from(100))
                .normalize()
                .to_string()
                .parse::<usize>()
                .unwrap()
        };
        let (p, q) = (k(policy), k(services));
        for r in 0..10_000 {
            s.push_str(&format!("{unit}-{r},{unit}"));
            for i in 1..=39 {
                let sat = if i <= 23 { r < p } else { r < q };
                s.push_str(if sat { ",5" } else { ",2" });
            }
            s.push('\n');
        }
    }
    s
}

fn published(data: &std::path::Path, year: &str, unit: &str, indicator: &str) -> Decimal {
    let rows = common::read_csv(&data.join("sipas/sipas_published_values.csv"));
    let row = rows
        .iter()
        .find(|r| r["year"] == year && r["unit"] == unit && r["indicator"] == indicator)
        .unwrap_or_else(|| panic!("{year} {unit} {indicator} not in the data"));
    common::dec(&row["value_percent"])
}

#[test]
fn mean_of_components_does_not_give_the_national_2024_figure() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let national = published(&data, "2024", "Viet Nam (national)", "SIPAS");
    assert_eq!(national, d("83.94"));
    let hanoi = published(&data, "2024", "Hà Nội", "SIPAS");
    let hanoi_p = published(
        &data,
        "2024",
        "Hà Nội",
        "index: policy making & implementation",
    );
    let hanoi_s = published(
        &data,
        "2024",
        "Hà Nội",
        "index: public administrative service delivery",
    );
    // The national 2024 components are published (vjs.vietnam.vn; vietnam.vnanet.vn,
    // sipas.md §3.1) but not yet in the data file: policy 83.84, services 84.09.
    let sheet = component_sheet(&[
        ("VN", "83.84", "84.09"),
        ("HN", &hanoi_p.to_string(), &hanoi_s.to_string()),
    ]);
    let shipped = shipped();
    let answers = read_csv(&shipped, sheet.as_bytes(), &ReadOptions::default()).unwrap();
    let r = estimate(&shipped, &answers).unwrap();
    let (vn, hn) = (unit(&r, "VN"), unit(&r, "HN"));
    // The sheet reproduces the components exactly.
    assert_eq!(
        (rate(vn, "I"), rate(vn, "II")),
        (Some(d("83.84")), Some(d("84.09")))
    );
    // Mean of the components (the shipped declaration): (83.84 + 84.09)/2 = 83.965,
    // which rounds to 83.97 (half up) or 83.96 (truncated) — never the published 83.94.
    assert_eq!(vn.index, Some(d("83.965")));
    assert_ne!(vn.index.unwrap().round_dp(2), national);
    assert_ne!(vn.index.unwrap().trunc_with_scale(2), national);
    // Hà Nội 2024 fits it: (86.51 + 86.49)/2 = 86.50.
    assert_eq!(hn.index.unwrap().round_dp(2), hanoi);

    // The item-count weighting (23 : 16 on this form) gives
    // (23 × 83.84 + 16 × 84.09)/39 = 3273.76/39 = 83.9426 → 83.94: it fits 2024.
    let mut def = shipped.definition().clone();
    def.aggregation = chiso::survey::Aggregation::Hierarchical {
        block_weights: chiso::survey::Weighting::ItemCount,
        component_weights: chiso::survey::Weighting::ItemCount,
    };
    let by_items = Survey::new(def).unwrap();
    let answers = read_csv(&by_items, sheet.as_bytes(), &ReadOptions::default()).unwrap();
    let r = estimate(&by_items, &answers).unwrap();
    assert_eq!(unit(&r, "VN").index.unwrap().round_dp(2), national);
    eq(unit(&r, "VN").index, 327376, 3900);
}

#[test]
fn item_count_weighting_does_not_give_the_national_2023_figure() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let national = published(&data, "2023", "Viet Nam (national)", "SIPAS");
    // 2023 components are derived (2024 value − published change, ±0.01; sipas.md §3.1):
    // policy 82.49, services 82.97. Mean: 82.73; item count: (23 × 82.49 + 16 × 82.97)/39
    // = 3224.79/39 = 82.687 — neither is 82.66, whatever the rounding.
    let sheet = component_sheet(&[("VN", "82.49", "82.97")]);
    for weighting in [
        chiso::survey::Weighting::Equal,
        chiso::survey::Weighting::ItemCount,
    ] {
        let mut def = shipped().definition().clone();
        def.aggregation = chiso::survey::Aggregation::Hierarchical {
            block_weights: weighting.clone(),
            component_weights: weighting,
        };
        let s = Survey::new(def).unwrap();
        let answers = read_csv(&s, sheet.as_bytes(), &ReadOptions::default()).unwrap();
        let r = estimate(&s, &answers).unwrap();
        let got = unit(&r, "VN").index.unwrap();
        assert!((got - national).abs() > d("0.02"), "{got} vs {national}");
    }
}
