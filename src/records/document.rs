//! The `chiso.records/1` document: everything a records run found, exact, as serialisable
//! types — the one document that `chiso records --format json` writes and the WASM
//! binding hands to JavaScript.
//!
//! [`document`] builds it from a [`Report`], the index, the optional [`Values`], the units
//! to show, the optional [`Details`] (cost lists and explanations) and the [`CostModel`];
//! [`Document::to_json`] writes its canonical text: keys sorted at every level, two-space
//! indentation, a final newline. Exact decimals are strings without trailing zeros
//! (`"33.222222222222222222222222222"`, `"10"`); dates and times are local
//! `YYYY-MM-DDTHH:MM:SS`.
//!
//! ```
//! use chiso::records::{analyse, document, CostModel, Options, RecordFormat};
//! let csv = "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy\n\
//!            A1,H21.17,10,20260302080000,20260304080000,20260303080000\n";
//! let opts = Options::new(RecordFormat::Csv, "dossiers.csv", "2026-03".parse().unwrap());
//! let report = analyse(&mut || Ok(csv.as_bytes()), &opts).unwrap();
//! let index = chiso::Index::from_json(include_str!(
//!     "../../criteria/service-766/qd766-portal-six-groups.json"
//! ))
//! .unwrap();
//! let model = CostModel::from_index(&index).unwrap();
//! let units = report.units.tree_order();
//! let doc = document(&report, &index, None, &units, None, &model).unwrap();
//! assert_eq!(doc.format, "chiso.records/1");
//! let h21_17 = &doc.units[1];
//! assert_eq!(h21_17.code, "H21.17");
//! // Finished a day early: 2.1 = 1/1 → 20 points.
//! assert_eq!(h21_17.periods[0].indicators["2.1"].numerator, 1);
//! let json: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
//! assert_eq!(json["units"][1]["periods"][0]["score"]["leaves"]["2.1"], "20");
//! ```

use crate::diagnostics::Diagnostics;
use crate::engine::Index;
use crate::records::analyse::{Report, RowStats};
use crate::records::assess::{score, unit_label, Values};
use crate::records::columns::Column;
use crate::records::cost::{CostCase, CostEntry, CostModel};
use crate::records::explain::{Details, Explanation};
use crate::records::indicator::{Indicator, NOT_FROM_DOSSIERS};
use crate::records::judge::Outcome;
use crate::records::period::By;
use crate::records::policy::Policies;
use crate::records::publications::{
    Feed, Judged, NotIssuedCount, Options as PublicationOptions, PeriodSummary, FED_INDICATORS,
};
use crate::records::tally::Counts;
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// The `format` of the document.
pub const DOCUMENT_FORMAT: &str = "chiso.records/1";

/// How a unit's figures relate to its children's (the document's `roll_up`).
pub const ROLL_UP: &str = "a unit's figures include its own dossiers and those of every unit whose code starts with its code followed by '.'";

/// Everything a records run found (`chiso.records/1`). Fields are in the order of the
/// canonical text ([`Document::to_json`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// The exclusive instant at which open dossiers are judged when earlier than a
    /// period's end (`--as-of D` gives the end of day D), `YYYY-MM-DDTHH:MM:SS`.
    pub as_of: Option<String>,
    /// How the period is cut.
    pub by: By,
    /// The chiso columns present in the file, in [`Column::ALL`] order.
    pub columns: Vec<&'static str>,
    /// The index the costs are read from ([`CostModel::index_id`]).
    pub cost_model: String,
    /// The explanations asked for, in the order of the file.
    pub explanations: Vec<DocExplanation>,
    /// Always [`DOCUMENT_FORMAT`].
    pub format: &'static str,
    /// The id of the index scored with.
    pub index: String,
    /// Every indicator computable from dossiers: computable in this file or not, and why.
    pub indicators: Vec<DocIndicator>,
    /// The indicators dossiers cannot give, and what they need.
    pub not_from_dossiers: Vec<DocNotFromDossiers>,
    /// The period's label (`2026-01..2026-09`).
    pub period: String,
    /// The policies used (every one, defaults included).
    pub policies: Policies,
    /// The publication decisions, when given ([`Values::with_publications`]); absent
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publications: Option<DocPublications>,
    /// The roll-up rule ([`ROLL_UP`]).
    pub roll_up: &'static str,
    /// Rows read and set aside.
    pub rows: RowStats,
    /// The dossier file's name.
    pub source: String,
    /// Whether the file has the supplement columns (without them no dossier is taken to
    /// have had a supplement request).
    pub supplement_columns: bool,
    /// The label of each unit shown (`code` or `code name`), in the order of `units`.
    pub unit_labels: Vec<String>,
    /// The units shown, in tree order.
    pub units: Vec<DocUnit>,
}

/// One indicator of [`Indicator::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocIndicator {
    /// Code (`2.1`).
    pub code: &'static str,
    /// Whether the file has the columns it needs.
    pub computable: bool,
    /// The denominator in words.
    pub denominator: &'static str,
    /// Groups of columns missing (one column of each group is needed).
    pub missing_columns: Vec<Vec<&'static str>>,
    /// The numerator in words.
    pub numerator: &'static str,
    /// The reference row followed.
    pub reference: &'static str,
    /// Title in Vietnamese and English.
    pub title: Text,
}

/// An indicator dossiers cannot give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocNotFromDossiers {
    /// Code (`1.1`).
    pub code: &'static str,
    /// The data it needs, in Vietnamese and English.
    pub needs: Text,
}

/// One unit shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocUnit {
    /// Number of child units.
    pub children: u32,
    /// `DonViXuLy` code.
    pub code: String,
    /// Depth in the tree (1 = a code without a dot).
    pub depth: u8,
    /// Name (`TenDonViXuLy`), empty when the file gives none.
    pub name: String,
    /// Whether some dossier names this unit itself.
    pub own_dossiers: bool,
    /// The parent unit's code.
    pub parent: Option<String>,
    /// One entry per bucket of the period, in time order.
    pub periods: Vec<DocPeriod>,
}

/// A unit in one bucket of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocPeriod {
    /// The "dossiers that cost points" list (empty unless asked for).
    pub costs: Vec<CostEntry>,
    /// The counters.
    pub counts: Counts,
    /// 1.1 and 1.2 as fed by publication decisions to this unit (absent when none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub from_publications: BTreeMap<&'static str, DocFedValue>,
    /// Every indicator computable from the file, by code.
    pub indicators: BTreeMap<&'static str, Fraction>,
    /// The bucket's label (`2026-05`, or the whole period's).
    pub period: String,
    /// The scores.
    pub score: DocScore,
}

/// An indicator fed by publication decisions to a unit in one bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocFedValue {
    /// Denominator: TTHC counted (or decisions, when they give no TTHC code).
    pub denominator: u64,
    /// Why, in Vietnamese and English ("inherited from the province: 1/47 …").
    pub explanation: Text,
    /// Whether the unit inherits the province's value (it is below the province).
    pub inherited: bool,
    /// Numerator: on time.
    pub numerator: u64,
}

/// The publication decisions of a run (`publications` of the document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocPublications {
    /// Every decision judged, in file order.
    pub decisions: Vec<DocDecision>,
    /// 1.1 and 1.2 per bucket: fed to the province, or not fed and why.
    pub indicators: Vec<DocFedIndicator>,
    /// Decisions not issued yet, per kind.
    pub not_issued: Vec<NotIssuedCount>,
    /// How the deadlines were counted.
    pub options: PublicationOptions,
    /// Decisions issued outside the period (not counted).
    pub outside_period: u64,
    /// The counts per bucket (the directive's deadlines and the portal's 1.1 and 1.2).
    pub periods: Vec<PeriodSummary>,
    /// The province the values are fed to (the root unit).
    pub province: Option<String>,
    /// The publications file's name.
    pub source: String,
}

/// One decision judged, with the bucket it falls in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocDecision {
    /// The judgement (row, decisions, due date, on time or late by N working days,
    /// explanations).
    #[serde(flatten)]
    pub judged: Judged,
    /// The bucket holding the provincial decision's date; `None`: not issued, or issued
    /// outside the period.
    pub period: Option<String>,
}

/// 1.1 or 1.2 in one bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocFedIndicator {
    /// Denominator, when fed.
    pub denominator: Option<u64>,
    /// The province's value in words, or why it is not fed.
    pub explanation: Text,
    /// Whether a value is fed.
    pub fed: bool,
    /// `1.1` or `1.2`.
    pub indicator: &'static str,
    /// Numerator, when fed.
    pub numerator: Option<u64>,
    /// The bucket's label.
    pub period: String,
}

/// A numerator over a denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fraction {
    /// Denominator (mẫu số).
    pub denominator: u64,
    /// Numerator (tử số).
    pub numerator: u64,
}

/// A unit's scores in one bucket, exact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocScore {
    /// Points of every leaf that has a value, by code.
    #[serde(serialize_with = "exact_map")]
    pub leaves: BTreeMap<String, Decimal>,
    /// Σ maxima of the indicators computed from the records.
    #[serde(serialize_with = "exact")]
    pub records_max: Decimal,
    /// Σ points of the indicators computed from the records.
    #[serde(serialize_with = "exact")]
    pub records_points: Decimal,
    /// The index total, when every leaf has a value (else missing).
    #[serde(serialize_with = "exact_opt")]
    pub total: Option<Decimal>,
}

/// One dossier explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocExplanation {
    /// What the dossier costs each ancestor unit, exactly: `(unit code, points)`.
    pub chain_costs: Vec<DocChainCost>,
    /// What it costs its own unit, per indicator failed.
    pub costs: Vec<DocIndicatorCost>,
    /// The due time after supplement pauses.
    pub due: Option<String>,
    /// `MaHoSo`.
    pub ma_ho_so: String,
    /// Working minutes from the due time to the judged time (positive: late by).
    pub margin_working_minutes: Option<i64>,
    /// The outcome, when judged.
    pub outcome: Option<Outcome>,
    /// Working minutes excluded for supplements.
    pub paused_working_minutes: Option<i64>,
    /// Row in the file.
    pub row: u64,
    /// The explanation in Vietnamese and English.
    pub text: Text,
    /// The dossier's own unit code.
    pub unit: String,
}

/// The cost of a dossier to an ancestor unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocChainCost {
    /// Points, exactly.
    #[serde(serialize_with = "exact")]
    pub cost: Decimal,
    /// The unit's code.
    pub unit: String,
}

/// What one failed indicator costs the dossier's unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocIndicatorCost {
    /// How the cost arises.
    pub case: Option<CostCase>,
    /// Points, exactly (missing when the index has no rule for the indicator).
    #[serde(serialize_with = "exact_opt")]
    pub cost: Option<Decimal>,
    /// The unit's denominator.
    pub denominator: u64,
    /// The cost as a reduced fraction (`10/3`).
    pub exact: Option<String>,
    /// Indicator code.
    pub indicator: &'static str,
    /// The unit's numerator.
    pub numerator: u64,
}

fn exact<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.normalize().to_string())
}

fn exact_opt<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => exact(d, s),
        None => s.serialize_none(),
    }
}

fn exact_map<S: Serializer>(m: &BTreeMap<String, Decimal>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(m.iter().map(|(k, v)| (k, v.normalize().to_string())))
}

fn time(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

impl Document {
    /// The canonical text: keys sorted at every level, two-space indentation, a final
    /// newline — byte for byte what `chiso records --format json` writes.
    pub fn to_json(&self) -> String {
        // Through a `serde_json::Value` (whose maps are sorted), so that the library's
        // nested types (counts, policies, cost entries) are sorted too. Serialising
        // these types cannot fail (every map key is a string).
        let mut s = serde_json::to_value(self)
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or_default();
        s.push('\n');
        s
    }
}

/// One explanation as the document carries it.
fn explanation(e: &Explanation) -> DocExplanation {
    let j = e.judgement.as_ref();
    DocExplanation {
        chain_costs: e
            .chain_costs
            .iter()
            .map(|(unit, cost)| DocChainCost {
                cost: *cost,
                unit: unit.clone(),
            })
            .collect(),
        costs: e
            .costs
            .iter()
            .map(|c| DocIndicatorCost {
                case: c.case,
                cost: c.cost,
                denominator: c.fraction.1,
                exact: c.exact.clone(),
                indicator: c.indicator.code(),
                numerator: c.fraction.0,
            })
            .collect(),
        due: j.and_then(|j| j.due).map(|d| time(d.at)),
        ma_ho_so: e.ma_ho_so.clone(),
        margin_working_minutes: j.and_then(|j| j.margin_minutes),
        outcome: j.map(|j| j.outcome),
        paused_working_minutes: j.map(|j| j.paused_minutes),
        row: e.row,
        text: Text::new(e.text(Lang::Vi), e.text(Lang::En)),
        unit: e.unit.0.clone(),
    }
}

/// The `publications` member.
fn publications(f: &Feed) -> DocPublications {
    let mut indicators = Vec::new();
    for (b, p) in f.summary.periods.iter().enumerate() {
        for code in FED_INDICATORS {
            let count = f.count(b, code);
            let explanation = match &f.province {
                Some(province) if count.is_some() => f.explanation(province, b, code),
                _ => f.not_fed_explanation(b, code),
            };
            indicators.push(DocFedIndicator {
                denominator: count.map(|c| c.count.total),
                explanation: explanation.unwrap_or_default(),
                fed: count.is_some() && f.province.is_some(),
                indicator: code,
                numerator: count.map(|c| c.count.on_time),
                period: p.label.clone(),
            });
        }
    }
    DocPublications {
        decisions: f
            .judged
            .iter()
            .map(|j| DocDecision {
                judged: j.clone(),
                period: f.bucket_of(j).map(str::to_owned),
            })
            .collect(),
        indicators,
        not_issued: f.summary.not_issued.clone(),
        options: f.options,
        outside_period: f.summary.outside_period,
        periods: f.summary.periods.clone(),
        province: f.province.clone(),
        source: f.source.clone(),
    }
}

/// What publication decisions feed `unit` in `bucket`.
fn fed_values(
    values: Option<&Values>,
    unit: &str,
    bucket: usize,
) -> BTreeMap<&'static str, DocFedValue> {
    let Some(f) = values.and_then(Values::publications) else {
        return BTreeMap::new();
    };
    FED_INDICATORS
        .into_iter()
        .filter_map(|code| {
            let c = f.count(bucket, code)?;
            let explanation = f.explanation(unit, bucket, code)?;
            Some((
                code,
                DocFedValue {
                    denominator: c.count.total,
                    explanation,
                    inherited: f.inherits(unit),
                    numerator: c.count.on_time,
                },
            ))
        })
        .collect()
}

/// The `chiso.records/1` document of a run: `units` (ids of `report.units`, e.g.
/// [`UnitTree::tree_order`](crate::records::UnitTree::tree_order)) scored with `index`
/// and `values` ([`score`]), with the cost lists and explanations of `details` when given.
/// Errors are the engine's (an index that cannot score the assessment).
pub fn document(
    report: &Report,
    index: &Index,
    values: Option<&Values>,
    units: &[u32],
    details: Option<&Details>,
    model: &CostModel,
) -> Result<Document, Diagnostics> {
    let o = &report.options;
    let indicators = Indicator::ALL
        .iter()
        .map(|i| {
            let (numerator, denominator, reference) = i.definition();
            DocIndicator {
                code: i.code(),
                computable: report.computable(*i),
                denominator,
                missing_columns: report
                    .missing_for(*i)
                    .iter()
                    .map(|g| g.iter().map(|c| c.name()).collect())
                    .collect(),
                numerator,
                reference,
                title: Text::new(i.title(Lang::Vi), i.title(Lang::En)),
            }
        })
        .collect();
    let mut out_units = Vec::with_capacity(units.len());
    for &u in units {
        let n = report.units.get(u);
        let mut periods = Vec::with_capacity(report.buckets.len());
        for (b, bucket) in report.buckets.iter().enumerate() {
            let s = score(report, u, b, index, values)?;
            let b16 = u16::try_from(b).unwrap_or(u16::MAX);
            periods.push(DocPeriod {
                costs: details
                    .and_then(|d| d.costs.get(&(u, b16)))
                    .cloned()
                    .unwrap_or_default(),
                counts: report.counts(u, b),
                from_publications: fed_values(values, &n.code, b),
                indicators: Indicator::ALL
                    .into_iter()
                    .filter_map(|i| {
                        let (numerator, denominator) = report.fraction(u, b, i)?;
                        Some((
                            i.code(),
                            Fraction {
                                denominator,
                                numerator,
                            },
                        ))
                    })
                    .collect(),
                period: bucket.label.clone(),
                score: DocScore {
                    leaves: s
                        .result
                        .nodes
                        .iter()
                        .filter(|n| n.leaf)
                        .filter_map(|n| Some((n.code.clone(), n.achieved?)))
                        .collect(),
                    records_max: s.records_max,
                    records_points: s.records_points,
                    total: s.result.total.achieved,
                },
            });
        }
        out_units.push(DocUnit {
            children: n.children,
            code: n.code.clone(),
            depth: n.depth,
            name: n.name.clone(),
            own_dossiers: n.own_dossiers,
            parent: n.parent.map(|p| report.units.get(p).code.clone()),
            periods,
        });
    }
    Ok(Document {
        as_of: o.as_of.map(time),
        by: o.by,
        columns: Column::ALL
            .iter()
            .filter(|c| report.present[c.index()])
            .map(|c| c.name())
            .collect(),
        cost_model: model.index_id.clone(),
        explanations: details
            .map(|d| d.explanations.iter().map(explanation).collect())
            .unwrap_or_default(),
        format: DOCUMENT_FORMAT,
        index: index.definition().id.clone(),
        indicators,
        not_from_dossiers: NOT_FROM_DOSSIERS
            .iter()
            .map(|(code, vi, en)| DocNotFromDossiers {
                code,
                needs: Text::new(*vi, *en),
            })
            .collect(),
        period: o.period.label(),
        policies: o.policies,
        publications: values.and_then(Values::publications).map(publications),
        roll_up: ROLL_UP,
        rows: report.stats,
        source: o.source.clone(),
        supplement_columns: report.has_supplement_columns(),
        unit_labels: units.iter().map(|u| unit_label(report, *u)).collect(),
        units: out_units,
    })
}
