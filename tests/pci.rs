//! PCI (VCCI) from 2013: the shipped `criteria/pci/pci-2013.json` recomputes the published
//! PCI of every province-year in `pci/pci_2013_2016_subindices.csv` (official VCCI
//! workbooks) within 1e-5 (pci.md §3).

mod common;

use chiso::assessment::{Assessment, Entry};
use chiso::{Decimal, Index, Value, View};
use std::collections::{BTreeMap, BTreeSet};

const SUB_INDICES: [&str; 10] = [
    "entry_costs",
    "land_access",
    "transparency",
    "time_costs",
    "informal_charges",
    "policy_bias",
    "proactivity",
    "business_support",
    "labor_training",
    "legal_institutions",
];

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn pci_index() -> Index {
    Index::from_file(&common::repo().join("criteria/pci/pci-2013.json"))
        .unwrap_or_else(|e| panic!("pci-2013.json must validate:\n{e}"))
}

#[test]
fn pci_index_declares_the_2013_weights() {
    let index = pci_index();
    let def = index.definition();
    assert_eq!(def.max_points, Some(d("100")));
    // Weights from pci.md §2, in the order of the sub-indices there.
    let expected = ["0.5", "0.5", "2", "0.5", "1", "0.5", "0.5", "2", "2", "0.5"];
    let weights = def.aggregation.weights().expect("weighted sum");
    assert_eq!(weights.len(), 10);
    for (code, w) in SUB_INDICES.iter().zip(expected) {
        assert_eq!(weights.get(*code), Some(&d(w)), "weight of {code}");
        let node = index.node(code).expect("sub-index node");
        assert_eq!(node.max, Some(d("10")), "{code} is on a 10-point scale");
        assert!(node.is_leaf());
    }
    assert_eq!(def.nodes.len(), 10);
}

#[test]
fn pci_2013_2016_recomputed_within_tolerance() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let index = pci_index();
    let path = data.join("pci/pci_2013_2016_subindices.csv");
    let mut reader = csv::Reader::from_path(&path).expect("open PCI csv");
    let headers = reader.headers().expect("headers").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (year_col, prov_col, pub_col) = (col("year"), col("province_vi"), col("pci_published"));
    let sub_cols: Vec<(&str, usize)> = SUB_INDICES.iter().map(|c| (*c, col(c))).collect();

    let tolerance = d("0.00001");
    let mut rows = 0;
    let mut per_year: BTreeMap<i32, BTreeSet<String>> = BTreeMap::new();
    let mut worst = Decimal::ZERO;
    let mut equal_weights_miss = 0;
    for rec in reader.records() {
        let rec = rec.expect("csv record");
        let year: i32 = rec[year_col].parse().expect("year");
        let province = rec[prov_col].to_owned();
        let mut entries = BTreeMap::new();
        for (code, i) in &sub_cols {
            // Alternate the two value kinds a batch CSV may use; both must work.
            let v = d(&rec[*i]);
            let value = if rows % 2 == 0 {
                Value::Number(v)
            } else {
                Value::Points(v)
            };
            entries.insert((*code).to_owned(), Entry::self_value(value));
        }
        let a = Assessment {
            year: Some(year),
            entries,
            ..Assessment::new("pci-2013", province.clone())
        };
        let r = index
            .score(&a, View::Final)
            .unwrap_or_else(|e| panic!("{year} {province}: {e}"));
        let total = r.total.achieved.expect("PCI total");
        let published = d(&rec[pub_col]);
        let diff = (total - published).abs();
        worst = worst.max(diff);
        // The tolerance must be able to fail: equal weights (also summing to 10) miss.
        let equal: Decimal = sub_cols.iter().map(|(_, i)| d(&rec[*i])).sum();
        if (equal - published).abs() > tolerance {
            equal_weights_miss += 1;
        }
        assert!(
            diff <= tolerance,
            "{year} {province}: computed {total}, published {published} (diff {diff})"
        );
        // Max is 100, so the percent equals the total.
        assert_eq!(r.total.applicable_max, Some(d("100")));
        assert_eq!(r.total.percent, Some(total.normalize()));
        per_year.entry(year).or_default().insert(province);
        rows += 1;
    }
    eprintln!("PCI: {rows} province-years, largest difference {worst}");
    assert_eq!(rows, 252, "every province-year of 2013–2016");
    assert!(
        equal_weights_miss > 200,
        "equal weights should miss most rows, missed {equal_weights_miss}"
    );
    assert_eq!(
        per_year.keys().copied().collect::<Vec<_>>(),
        vec![2013, 2014, 2015, 2016]
    );
    assert!(
        per_year.values().all(|p| p.len() == 63),
        "63 provinces each year"
    );
}
