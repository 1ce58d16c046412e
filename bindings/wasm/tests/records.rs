//! Dossier records through the binding, natively: the document's counts against an
//! independent count of the shipped example, its scores against the engine's full result,
//! every costly dossier explained with the cost the list gives, bad rows located, options
//! checked. The same calls against the native CLI: `bindings/wasm/js/records.test.mjs`.
#![cfg(not(target_arch = "wasm32"))]

use chiso_wasm::records::{explain_dossier, records, Records};
use serde_json::{json, Value as Json};
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample() -> String {
    std::fs::read_to_string(repo().join("examples-data/dossiers-sample.csv")).unwrap()
}

const PERIOD: &str = "2026-02..2026-05";

fn options(extra: Json) -> String {
    let mut o = json!({"period": PERIOD, "source": "dossiers-sample.csv"});
    if let (Some(o), Some(e)) = (o.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    o.to_string()
}

fn json(s: &str) -> Json {
    serde_json::from_str(s).unwrap()
}

fn dec(v: &Json) -> chiso::Decimal {
    v.as_str().expect("decimals are strings").parse().unwrap()
}

/// The sample's rows as maps, read with a plain split (the file has no quoted cells).
fn rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            assert!(!l.contains('"'), "the sample has no quoted cells");
            header
                .iter()
                .zip(l.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn period_of<'a>(doc: &'a Json, unit: &str) -> &'a Json {
    let u = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == unit)
        .unwrap_or_else(|| panic!("unit {unit}"));
    &u["periods"][0]
}

#[test]
fn counts_equal_an_independent_count_of_the_example() {
    let text = sample();
    let doc = json(&records(&text, &options(json!({}))).unwrap());
    assert_eq!(doc["format"], "chiso.records/1");
    assert_eq!(doc["source"], "dossiers-sample.csv");
    let rows = rows(&text);
    // Received = status not 1 or 3 (never received), receipt Feb–May 2026; online = kênh 2.
    let received = |r: &&std::collections::HashMap<String, String>| {
        !matches!(r["TrangThaiHoSo"].as_str(), "1" | "3")
            && ("20260201".."20260601").contains(&&r["NgayTiepNhan"][..8])
    };
    for unit in ["Z99.10", "Z99.201", "Z99.202"] {
        let mine: Vec<_> = rows
            .iter()
            .filter(|r| r["DonViXuLy"] == unit)
            .filter(received)
            .collect();
        let online = mine.iter().filter(|r| r["KenhThucHien"] == "2").count();
        let synced = mine.iter().filter(|r| r["DongBoDVCQG"] == "1").count();
        let p = period_of(&doc, unit);
        assert_eq!(p["counts"]["received"], mine.len(), "{unit}");
        assert_eq!(
            p["indicators"]["3.3"],
            json!({"numerator": online, "denominator": mine.len()}),
            "{unit}"
        );
        assert_eq!(
            p["indicators"]["1.4"],
            json!({"numerator": synced, "denominator": mine.len()}),
            "{unit}"
        );
    }
    // The province Z99 rolls its three units up.
    let sum: u64 = ["Z99.10", "Z99.201", "Z99.202"]
        .iter()
        .map(|u| period_of(&doc, u)["counts"]["received"].as_u64().unwrap())
        .sum();
    assert_eq!(period_of(&doc, "Z99")["counts"]["received"], sum);
    assert_eq!(
        doc["rows"]["rows"],
        rows.len(),
        "every data row of the file is read"
    );
}

#[test]
fn scores_are_the_engines_full_result() {
    let text = sample();
    let run = Records::analyse(&text, &options(json!({}))).unwrap();
    let doc = json(&run.document().unwrap());
    for u in doc["units"].as_array().unwrap() {
        let code = u["code"].as_str().unwrap();
        let p = &u["periods"][0];
        let result = json(&run.result(code, p["period"].as_str().unwrap()).unwrap());
        assert_eq!(result["format"], "chiso.result/1");
        for n in result["nodes"].as_array().unwrap() {
            if n["leaf"] == true && !n["achieved"].is_null() {
                let leaf = &p["score"]["leaves"][n["code"].as_str().unwrap()];
                let a: chiso::Decimal = n["achieved"].as_str().unwrap().parse().unwrap();
                let b: chiso::Decimal = leaf.as_str().unwrap().parse().unwrap();
                assert_eq!(a, b, "{code} {}", n["code"]);
            }
        }
        // Indicators records cannot give stay missing, so the total is missing too.
        assert!(result["total"]["achieved"].is_null());
        assert!(p["score"]["total"].is_null());
    }
    let err = run.result("Z42", PERIOD).unwrap_err();
    assert_eq!(err.code, "usage");
    let err = run.result("Z99", "2026-01").unwrap_err();
    assert_eq!(err.code, "usage");
}

#[test]
fn every_costly_dossier_is_explained_with_its_listed_cost() {
    let text = sample();
    let doc = json(&records(&text, &options(json!({"costs": 3, "explain_costs": true}))).unwrap());
    let explanations = doc["explanations"].as_array().unwrap();
    let mut listed = 0;
    for u in doc["units"].as_array().unwrap() {
        let unit = u["code"].as_str().unwrap();
        let costs = u["periods"][0]["costs"].as_array().unwrap();
        assert!(costs.len() <= 3);
        for c in costs {
            listed += 1;
            let e = explanations
                .iter()
                .find(|e| e["ma_ho_so"] == c["ma_ho_so"])
                .unwrap_or_else(|| panic!("{} explained", c["ma_ho_so"]));
            // Two library paths agree: the list's cost and the explanation's chain cost.
            let chain = e["chain_costs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["unit"] == unit)
                .unwrap();
            assert_eq!(
                dec(&chain["cost"]),
                dec(&c["cost"]),
                "{unit} {}",
                c["ma_ho_so"]
            );
            assert!(e["text"]["vi"].as_str().unwrap().starts_with("Hồ sơ "));
            assert!(e["text"]["en"].as_str().unwrap().starts_with("Dossier "));
        }
    }
    assert!(listed > 0);
    // One explanation alone is the same object as in the document.
    let one = &explanations[0];
    let alone = json(
        &explain_dossier(
            &text,
            &options(json!({})),
            one["ma_ho_so"].as_str().unwrap(),
        )
        .unwrap(),
    );
    assert_eq!(&alone, one);
}

#[test]
fn json_lines_give_the_same_document_as_csv() {
    let text = sample();
    let jsonl: String = rows(&text)
        .iter()
        .map(|r| {
            let obj: serde_json::Map<String, Json> = r
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                .collect();
            format!("{}\n", Json::Object(obj))
        })
        .collect();
    let a = json(&records(&text, &options(json!({"costs": 5}))).unwrap());
    let b = json(
        &records(
            &jsonl,
            &options(json!({"costs": 5, "source": "dossiers-sample.jsonl"})),
        )
        .unwrap(),
    );
    assert_eq!(a["rows"], b["rows"]);
    // Row numbers differ by the CSV header line; everything else is the same.
    let strip = |mut d: Json| {
        for u in d["units"].as_array_mut().unwrap() {
            for p in u["periods"].as_array_mut().unwrap() {
                for c in p["costs"].as_array_mut().unwrap() {
                    c.as_object_mut().unwrap().remove("row");
                }
            }
        }
        d["units"].take()
    };
    assert_eq!(strip(a), strip(b));
}

#[test]
fn bad_rows_are_located_all_at_once_and_nothing_is_produced() {
    let text = sample();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Row 3 (line 3): an unknown status; row 5: a receipt time that is not a time.
    let status = 10; // TrangThaiHoSo is the 11th column
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_owned).collect();
    cells[status] = "42".into();
    let ma3 = cells[0].clone();
    lines[2] = cells.join(",");
    let mut cells: Vec<String> = lines[4].split(',').map(str::to_owned).collect();
    cells[6] = "31/02/2026".into();
    let ma5 = cells[0].clone();
    lines[4] = cells.join(",");
    let bad = lines.join("\n");
    let err = records(&bad, &options(json!({}))).unwrap_err();
    let at: Vec<_> = err
        .diagnostics
        .iter()
        .map(|d| (d.row, d.column.as_deref(), d.record.as_deref()))
        .collect();
    assert!(
        at.contains(&(Some(3), Some("TrangThaiHoSo"), Some(ma3.as_str()))),
        "{at:?}"
    );
    assert!(
        at.contains(&(Some(5), Some("NgayTiepNhan"), Some(ma5.as_str()))),
        "{at:?}"
    );
    assert!(err
        .diagnostics
        .iter()
        .all(|d| d.file.as_deref() == Some("dossiers-sample.csv")));
    assert!(err.message_vi.contains("dòng 3") || err.message_vi.contains("row 3"));
    // A duplicate MaHoSo names its second row.
    let dup = format!("{text}{}\n", text.lines().nth(1).unwrap());
    let err = records(&dup, &options(json!({}))).unwrap_err();
    assert_eq!(err.code, "duplicate_key");
    assert_eq!(
        err.diagnostics[0].row,
        Some(text.lines().count() as u64 + 1)
    );
}

#[test]
fn options_are_checked_and_located() {
    let text = sample();
    for (opts, code, path) in [
        (json!({"period": "2026-13"}), "usage", "$options.period"),
        (
            json!({"period": PERIOD, "by": "week"}),
            "usage",
            "$options.by",
        ),
        (
            json!({"period": PERIOD, "unit_level": "deep"}),
            "usage",
            "$options.unit_level",
        ),
        (
            json!({"period": PERIOD, "format": "xlsx"}),
            "usage",
            "$options.format",
        ),
        (
            json!({"period": PERIOD, "as_of": "yesterday"}),
            "usage",
            "$options.as_of",
        ),
        (
            json!({"period": PERIOD, "policies": {"withdrawn": "never"}}),
            "structure",
            "$options.policies.withdrawn",
        ),
        (
            json!({"period": PERIOD, "colour": "red"}),
            "structure",
            "$options.colour",
        ),
    ] {
        let err = records(&text, &opts.to_string()).unwrap_err();
        // Feature `lean` (the form's module only, never built with records) reads shape
        // errors without path tracking: such an error is marked unlocated at the argument.
        let path = if cfg!(feature = "lean") && code == "structure" {
            assert!(err.unlocated, "{opts}");
            "$options"
        } else {
            path
        };
        assert_eq!(
            (err.code.as_str(), err.path.as_str()),
            (code, path),
            "{opts}"
        );
        assert!(!err.message_vi.is_empty() && !err.message_en.is_empty());
    }
    assert_eq!(records(&text, "{").unwrap_err().code, "syntax");
    let err = explain_dossier(&text, &options(json!({})), "NO-SUCH").unwrap_err();
    assert_eq!(err.diagnostics[0].path, "MaHoSo \"NO-SUCH\"");
    assert!(err.message_en.contains("no dossier"), "{}", err.message_en);
    let err = records(&text, &options(json!({"explain": ["NO-SUCH"]}))).unwrap_err();
    assert!(
        err.message_vi.contains("không có hồ sơ"),
        "{}",
        err.message_vi
    );
    // A year outside the working calendar is refused, naming the year.
    let err = records(&text, &json!({"period": "1990"}).to_string()).unwrap_err();
    assert!(err.message_en.contains("1990"), "{}", err.message_en);
}

#[test]
fn policies_and_the_index_can_be_chosen() {
    let text = sample();
    let default = json(&records(&text, &options(json!({}))).unwrap());
    let file =
        std::fs::read_to_string(repo().join("criteria/service-766/qd766-portal-six-groups.json"))
            .unwrap();
    assert_eq!(default["index"], json(&file)["id"]);
    let p = json(
        &records(
            &text,
            &options(json!({"policies": {"withdrawn": "excluded"}})),
        )
        .unwrap(),
    );
    assert_eq!(p["policies"]["withdrawn"], "excluded");
    assert_eq!(default["policies"]["withdrawn"], "judged_by_end");
    // The index passed as text or as an object is the same as the embedded default.
    let as_text = json(&records(&text, &options(json!({"index": file}))).unwrap());
    let as_object = json(&records(&text, &options(json!({"index": json(&file)}))).unwrap());
    assert_eq!(as_text, default);
    assert_eq!(as_object, default);
    let err = records(
        &text,
        &options(json!({"index": {"format": "chiso.index/1"}})),
    )
    .unwrap_err();
    assert_eq!(err.diagnostics[0].file.as_deref(), Some("index"));
    // By month: one period per month, labelled as the CLI labels them.
    let m = json(&records(&text, &options(json!({"by": "month"}))).unwrap());
    let labels: Vec<&str> = m["units"][0]["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2026-02", "2026-03", "2026-04", "2026-05"]);
}
