//! From a criteria table (grids of text) to a validated index definition.

use super::cell_text::{cell_ref, fold, parse_stt, read_number, unique, CodeStyle};
use super::header::{header_row, Field};
use super::recognise::recognise;
use super::syntax::parse_rule;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::index::{Adjustment, AdjustmentKind, IndexDefinition};
use crate::node::{Aggregation, Channel, Node};
use crate::rule::Rule;
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Tag in cell A1 of the sheet that carries an index's metadata as JSON (cell A2).
pub const META_TAG: &str = "chiso.index.meta/1";

/// One sheet of a workbook (or one CSV file), as text. `rows[0]` is sheet row 1.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grid {
    /// Sheet name (the file name for CSV).
    pub name: String,
    /// Cells as text; numbers written plainly ("0.5"), merged areas blank but the first.
    pub rows: Vec<Vec<String>>,
}

/// The metadata carried by a sheet whose A1 is [`META_TAG`] (JSON in A2): the index
/// definition without its criteria.
pub fn meta_from_grids(grids: &[Grid]) -> Option<Result<IndexDefinition, Diagnostics>> {
    let g = grids.iter().find(|g| is_meta(g))?;
    let json = g
        .rows
        .get(1)
        .and_then(|r| r.first())
        .cloned()
        .unwrap_or_default();
    Some(crate::load::index_definition(&json).map_err(|d| d.in_file(&format!("'{}'!A2", g.name))))
}

fn is_meta(g: &Grid) -> bool {
    g.rows
        .first()
        .and_then(|r| r.first())
        .is_some_and(|c| c.trim() == META_TAG)
}

/// A successful import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The index definition (validated: no errors).
    pub definition: IndexDefinition,
    /// Warnings (ambiguous bounds, wording not recognised…), located.
    pub warnings: Diagnostics,
    /// Where each criterion came from: code → `'Sheet'!A12`.
    pub sources: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
struct Draft {
    code: String,
    text: HashMap<Field, String>,
    max: Option<Decimal>,
    parent: Option<usize>,
    children: Vec<usize>,
    sheet: String,
    row: usize,
    cols: HashMap<Field, usize>,
    style: Option<CodeStyle>,
    adjustment: Option<AdjustmentKind>,
}

impl Draft {
    fn get(&self, f: Field) -> &str {
        self.text.get(&f).map(String::as_str).unwrap_or("")
    }
    fn at(&self, f: Field) -> String {
        let col = self
            .cols
            .get(&f)
            .or_else(|| self.cols.get(&Field::Code))
            .copied();
        cell_ref(&self.sheet, self.row, col)
    }
}

fn adjustment_kind(f: &str) -> Option<AdjustmentKind> {
    let starts = |p: &str| f.starts_with(p);
    if starts("diem thuong") || starts("diem cong") || f == "thuong" || f == "bonus" {
        Some(AdjustmentKind::Bonus)
    } else if starts("diem tru") || starts("diem phat") || starts("tru diem") || f == "penalty" {
        Some(AdjustmentKind::Penalty)
    } else {
        None
    }
}

fn is_column_number(s: &str) -> bool {
    let t = s.trim().trim_start_matches('(').trim_end_matches(')');
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

fn lines(s: &str) -> Vec<Text> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Text::new(l, ""))
        .collect()
}

/// Reads the criteria table in `grids` into an index definition built on `template`
/// (metadata: id, title, version, legal basis, years…; its `nodes` and `adjustments`
/// are replaced). Every problem is returned at once, located as `'Sheet'!D12`.
pub fn import(grids: &[Grid], template: &IndexDefinition) -> Result<Imported, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut drafts: Vec<Draft> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut total_max: Option<Decimal> = None;
    let mut found_header = false;
    let mut stack: Vec<usize> = Vec::new();
    for g in grids.iter().filter(|g| !is_meta(g)) {
        let Some(header) = header_row(g) else {
            continue;
        };
        found_header = true;
        // A meaning named by two columns would be read from one of them silently.
        for &(_, first, second) in &header.twice {
            let text = |c: usize| g.rows[header.row].get(c).map_or("", |s| s.trim());
            let at_first = header.cell(&g.name, first);
            diags.push(Diagnostic::error(
                header.cell(&g.name, second),
                None,
                Problem::DuplicateColumn {
                    header: text(second).to_owned(),
                    first: if text(first) == text(second) {
                        at_first
                    } else {
                        format!("{at_first}, \"{}\"", text(first))
                    },
                },
            ));
        }
        if !header.twice.is_empty() {
            continue;
        }
        let (hr, cols) = (header.row, header.cols);
        if !cols.contains_key(&Field::Code) {
            diags.push(Diagnostic::error(
                cell_ref(&g.name, hr, None),
                None,
                Problem::MissingColumns {
                    missing: vec!["STT".into()],
                },
            ));
            continue;
        }
        stack.clear();
        for (r, row) in g.rows.iter().enumerate().skip(hr + 1) {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let cell = |f: Field| -> String {
                cols.get(&f)
                    .and_then(|&c| row.get(c))
                    .map(|s| s.trim().to_owned())
                    .unwrap_or_default()
            };
            let texts: HashMap<Field, String> = cols
                .keys()
                .map(|&f| (f, cell(f)))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            if texts.is_empty() {
                continue;
            }
            let (code, name, max_text) = (cell(Field::Code), cell(Field::Name), cell(Field::Max));
            if is_column_number(&name) && (code.is_empty() || is_column_number(&code)) {
                continue; // the "(1) (2) (3)" numbering row under the header
            }
            let loc = |f: Field| cell_ref(&g.name, r, cols.get(&f).copied());
            let max = match read_number(&max_text) {
                Ok(m) => m,
                Err(_) => {
                    diags.push(Diagnostic::error(
                        loc(Field::Max),
                        (!code.is_empty()).then_some(code.as_str()),
                        Problem::UnreadableNumber {
                            text: max_text.clone(),
                        },
                    ));
                    None
                }
            };
            let fname = fold(&name);
            let unnumbered = if code.is_empty() {
                if fname.starts_with("tong") {
                    total_max = max.or(total_max);
                    continue;
                }
                if name.is_empty() && max_text.is_empty() {
                    // Continuation of a merged criterion: more wording, evidence, notes.
                    if let Some(last) = drafts.last_mut() {
                        for (f, v) in texts {
                            let e = last.text.entry(f).or_default();
                            if !e.is_empty() {
                                e.push('\n');
                            }
                            e.push_str(&v);
                        }
                    }
                    continue;
                }
                let Some(kind) = adjustment_kind(&fname) else {
                    diags.push(Diagnostic::error(
                        loc(Field::Code),
                        None,
                        Problem::UnreadableCode {
                            text: String::new(),
                        },
                    ));
                    continue;
                };
                let base = kind.key();
                Some((unique(base, |c| by_code.contains_key(c)), kind))
            } else {
                None
            };
            let kind_text = fold(texts.get(&Field::Kind).map(String::as_str).unwrap_or(""));
            let declared = if kind_text.contains("thuong")
                || kind_text.contains("cong")
                || kind_text == "bonus"
            {
                Some(AdjustmentKind::Bonus)
            } else if kind_text.contains("tru")
                || kind_text.contains("phat")
                || kind_text == "penalty"
            {
                Some(AdjustmentKind::Penalty)
            } else {
                None
            };
            // A bonus/penalty block may carry any code ("bonus", "IV") or none.
            let top_adjustment = unnumbered.or_else(|| {
                declared
                    .filter(|_| parse_stt(&code).is_none())
                    .map(|kind| (code.clone(), kind))
            });
            if let Some((code, kind)) = top_adjustment {
                by_code.insert(code.clone(), drafts.len());
                drafts.push(Draft {
                    code,
                    text: texts,
                    max,
                    sheet: g.name.clone(),
                    row: r,
                    cols: cols.clone(),
                    adjustment: Some(kind),
                    ..Default::default()
                });
                stack.clear();
                continue;
            }
            let Some(stt) = parse_stt(&code) else {
                diags.push(Diagnostic::error(
                    loc(Field::Code),
                    None,
                    Problem::UnreadableCode { text: code.clone() },
                ));
                continue;
            };
            // Parent: by dotted prefix when that code exists, else by the style stack.
            let prefix_parent = stt
                .code
                .rsplit_once('.')
                .and_then(|(p, _)| by_code.get(p).copied());
            let parent = if let Some(p) = prefix_parent {
                stack = ancestry(&drafts, p);
                Some(p)
            } else {
                if let Some(pos) = stack
                    .iter()
                    .rposition(|&i| drafts[i].style == Some(stt.style))
                {
                    stack.truncate(pos);
                }
                stack.last().copied()
            };
            let full = match parent {
                None => stt.code.clone(),
                Some(p) if stt.code.starts_with(&format!("{}.", drafts[p].code)) => {
                    stt.code.clone()
                }
                Some(p) => {
                    let last = stt.code.rsplit('.').next().unwrap_or(&stt.code);
                    format!("{}.{last}", drafts[p].code)
                }
            };
            let adjustment = if declared.is_some() {
                declared
            } else if parent.is_none() {
                adjustment_kind(&fname)
            } else {
                None
            };
            let idx = drafts.len();
            if let Some(p) = parent {
                drafts[p].children.push(idx);
            }
            by_code.entry(full.clone()).or_insert(idx);
            drafts.push(Draft {
                code: full,
                text: texts,
                max,
                parent,
                sheet: g.name.clone(),
                row: r,
                cols: cols.clone(),
                style: Some(stt.style),
                adjustment,
                ..Default::default()
            });
            stack.push(idx);
        }
    }
    // Header problems leave nothing to build: the tree checks would only echo them.
    if drafts.is_empty() && diags.has_errors() {
        return Err(diags);
    }
    if !found_header {
        let sheet = grids.first().map(|g| g.name.clone()).unwrap_or_default();
        diags.push(Diagnostic::error(
            format!("'{sheet}'"),
            None,
            Problem::MissingColumns {
                missing: vec!["STT".into(), "Tiêu chí".into(), "Điểm tối đa".into()],
            },
        ));
        return Err(diags);
    }

    // Build the tree.
    let mut def = template.clone();
    def.nodes.clear();
    def.adjustments.clear();
    if total_max.is_some() {
        def.max_points = total_max;
    }
    let mut paths: Vec<(String, usize)> = Vec::new();
    let mut sources = Vec::new();
    let tops: Vec<usize> = (0..drafts.len())
        .filter(|&i| drafts[i].parent.is_none())
        .collect();
    for &i in &tops {
        let d = &drafts[i];
        sources.push((d.code.clone(), d.at(Field::Code)));
        if let Some(kind) = d.adjustment {
            let path = format!("$.adjustments[{}]", def.adjustments.len());
            let mut scoring = d.get(Field::Scoring).to_owned();
            for &c in &d.children {
                let cd = &drafts[c];
                let line = format!("{} {}", cd.code, cd.get(Field::Name));
                scoring = if scoring.is_empty() {
                    line
                } else {
                    format!("{scoring}\n{line}")
                };
            }
            let Some(cap) = d.max else {
                diags.push(Diagnostic::error(
                    d.at(Field::Max),
                    Some(&d.code),
                    Problem::Empty { what: "cap".into() },
                ));
                continue;
            };
            paths.push((path, i));
            def.adjustments.push(Adjustment {
                code: d.code.clone(),
                title: Text::new(d.get(Field::Name), d.get(Field::NameEn)),
                kind,
                cap,
                scoring_text: (!scoring.is_empty())
                    .then(|| Text::new(scoring, d.get(Field::ScoringEn))),
            });
            continue;
        }
        let path = format!("$.nodes[{}]", def.nodes.len());
        let node = build(&drafts, i, &path, &mut paths, &mut diags, &mut sources);
        def.nodes.push(node);
    }

    // Validate and point every problem at its cell.
    for d in crate::validate::check_index(&def).0 {
        diags.push(locate(d, &paths, &drafts));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Imported {
        definition: def,
        warnings: diags,
        sources,
    })
}

fn ancestry(drafts: &[Draft], mut i: usize) -> Vec<usize> {
    let mut v = vec![i];
    while let Some(p) = drafts[i].parent {
        v.push(p);
        i = p;
    }
    v.reverse();
    v
}

fn build(
    drafts: &[Draft],
    i: usize,
    path: &str,
    paths: &mut Vec<(String, usize)>,
    diags: &mut Diagnostics,
    sources: &mut Vec<(String, String)>,
) -> Node {
    let d = &drafts[i];
    paths.push((path.to_owned(), i));
    if d.parent.is_some() {
        sources.push((d.code.clone(), d.at(Field::Code)));
    }
    let scoring = d.get(Field::Scoring);
    let mut notes = lines(d.get(Field::Notes));
    for (k, en) in lines(d.get(Field::NotesEn)).into_iter().enumerate() {
        if let Some(n) = notes.get_mut(k) {
            n.en = en.vi;
        }
    }
    let mut evidence = lines(d.get(Field::Evidence));
    for (k, en) in lines(d.get(Field::EvidenceEn)).into_iter().enumerate() {
        if let Some(e) = evidence.get_mut(k) {
            e.en = en.vi;
        }
    }
    let channel = {
        let c = fold(d.get(Field::Channel));
        if c.contains("dieu tra") || c.contains("survey") || c.contains("xhh") {
            Channel::Survey
        } else {
            Channel::Appraised
        }
    };
    let rule_text = d.get(Field::Rule);
    let mut rule = None;
    let mut aggregation = None;
    let children: Vec<Node> = d
        .children
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            build(
                drafts,
                c,
                &format!("{path}.children[{k}]"),
                paths,
                diags,
                sources,
            )
        })
        .collect();
    if !children.is_empty() {
        if let Some(json) = rule_text.strip_prefix("aggregate:") {
            // chiso's strict JSON reader first: a key written twice is an error.
            let strict = crate::load::check_json(json.trim())
                .map_err(|d| (d.render(Lang::En), d.render(Lang::Vi)));
            match strict.and_then(|()| {
                serde_json::from_str::<Aggregation>(json.trim())
                    .map_err(|e| (e.to_string(), e.to_string()))
            }) {
                Ok(a) => aggregation = Some(a),
                Err((e, v)) => diags.push(Diagnostic::error(
                    d.at(Field::Rule),
                    Some(&d.code),
                    Problem::RuleSyntax {
                        text: rule_text.into(),
                        detail: format!(
                            "invalid aggregation JSON: {e} / JSON cách tổng hợp không hợp lệ: {v}"
                        ),
                    },
                )),
            }
        } else if !rule_text.is_empty() {
            diags.push(Diagnostic::error(
                d.at(Field::Rule),
                Some(&d.code),
                Problem::RuleSyntax {
                    text: rule_text.into(),
                    detail: "a criterion with sub-criteria is scored from them and takes no rule / tiêu chí có tiêu chí thành phần được tính từ các tiêu chí thành phần, không ghi quy tắc chấm".into(),
                },
            ));
        }
    } else if !rule_text.is_empty() {
        match parse_rule(rule_text, d.max) {
            Ok(r) => rule = Some(r),
            Err(detail) => {
                diags.push(Diagnostic::error(
                    d.at(Field::Rule),
                    Some(&d.code),
                    Problem::RuleSyntax {
                        text: rule_text.into(),
                        detail,
                    },
                ));
                rule = Some(Rule::Discretionary { step: None });
            }
        }
    } else if let Some(rec) = (!scoring.is_empty())
        .then(|| recognise(scoring, d.max))
        .flatten()
    {
        for w in rec.warnings {
            notes.push(Text::new(w.message(Lang::Vi), w.message(Lang::En)));
            diags.push(Diagnostic::warning(d.at(Field::Scoring), Some(&d.code), w));
        }
        rule = Some(rec.rule);
    } else {
        let w = Problem::WordingNotRecognised {
            text: scoring.into(),
        };
        notes.push(Text::new(w.message(Lang::Vi), w.message(Lang::En)));
        diags.push(Diagnostic::warning(d.at(Field::Scoring), Some(&d.code), w));
        rule = Some(Rule::Discretionary { step: None });
    }
    Node {
        code: d.code.clone(),
        title: Text::new(d.get(Field::Name), d.get(Field::NameEn)),
        max_points: d.max,
        scoring_text: (!scoring.is_empty()).then(|| Text::new(scoring, d.get(Field::ScoringEn))),
        evidence,
        channel,
        verifier: None,
        notes,
        aggregation,
        children,
        rule,
    }
}

fn locate(mut d: Diagnostic, paths: &[(String, usize)], drafts: &[Draft]) -> Diagnostic {
    let best = paths
        .iter()
        .filter(|(p, _)| {
            d.path == *p
                || d.path
                    .strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|(p, _)| p.len());
    if let Some((p, i)) = best {
        let dr = &drafts[*i];
        let rest = &d.path[p.len()..];
        let field = if rest.starts_with(".max_points") || rest.starts_with(".cap") {
            Field::Max
        } else if rest.starts_with(".rule") {
            if dr.get(Field::Rule).is_empty() {
                Field::Scoring
            } else {
                Field::Rule
            }
        } else if rest.starts_with(".title") {
            Field::Name
        } else if rest.starts_with(".aggregation") || rest.starts_with(".children") {
            Field::Max
        } else {
            Field::Code
        };
        d.path = dr.at(field);
        if d.code.is_none() {
            d.code = Some(dr.code.clone());
        }
    }
    d
}
