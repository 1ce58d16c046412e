//! Semantic checks of index definitions, after the JSON shape is known to be right.

use crate::band::Band;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::display::plain;
use crate::index::{exclusion_mask, listed_positions, IndexDefinition, INDEX_FORMAT};
use crate::interval::{gap_between, lower_key, overlaps, Bound, Interval};
use crate::node::{Aggregation, Node};
use crate::rule::{Measure, Rule};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

mod maxima;
mod unit_types;
pub use maxima::POINTS_LIMIT;
use maxima::{Parent, Reach};
use unit_types::unit_types;

/// Deepest tree accepted.
pub const MAX_DEPTH: usize = 12;
/// Most nodes accepted in one index.
pub const MAX_NODES: usize = 20_000;
/// Most decimals a leaf rounding may keep (a `Decimal` has at most 28).
pub const MAX_ROUNDING_DECIMALS: u32 = 28;

/// The one ordered map of the checks (codes seen, their paths, parents, sets of codes: a
/// set is a map to empty strings). One map type instead of several sets and maps of
/// borrowed and owned codes keeps one copy of `BTreeMap`'s code in the form's WebAssembly
/// module (issue 13).
pub(crate) type Codes = BTreeMap<String, String>;

/// Inserts `code` into the set `seen`; `false` when it was there already.
pub(crate) fn first_time(seen: &mut Codes, code: &str) -> bool {
    if seen.contains_key(code) {
        return false;
    }
    seen.insert(code.to_owned(), String::new());
    true
}

/// Checks an index definition; returns every error and warning found.
pub fn check_index(def: &IndexDefinition) -> Diagnostics {
    let mut c = Checker {
        out: Diagnostics::default(),
        seen: BTreeMap::new(),
        count: 0,
        rounding: def.policies.leaf_rounding.clone(),
    };
    if def.format != INDEX_FORMAT {
        c.err(
            "$.format",
            None,
            Problem::WrongFormat {
                expected: INDEX_FORMAT.into(),
                found: def.format.clone(),
            },
        );
    }
    if def.nodes.is_empty() {
        c.err(
            "$.nodes",
            None,
            Problem::Empty {
                what: "nodes".into(),
            },
        );
    }
    let max_ok = c.max_points("$.max_points", None, def.max_points);
    let weights_ok = c.weights("$", None, &def.aggregation, &def.nodes);
    let slot = c.out.len();
    let reaches: Vec<Reach> = def
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| c.node(n, &format!("$.nodes[{i}]"), 1))
        .collect();
    let root = if max_ok {
        let parent = Parent {
            path: "$",
            code: None,
            max: def.max_points,
            agg: &def.aggregation,
            children: &def.nodes,
            reaches: &reaches,
            weights_ok,
        };
        c.parent_reach(&parent, slot)
    } else {
        Reach::UNKNOWN
    };
    c.bands(&def.bands);
    if let Some(r) = def
        .policies
        .leaf_rounding
        .as_ref()
        .filter(|r| r.decimals > MAX_ROUNDING_DECIMALS)
    {
        c.err(
            "$.policies.leaf_rounding.decimals",
            None,
            Problem::OutOfRange {
                value: Decimal::from(r.decimals),
                range: format!("0 – {MAX_ROUNDING_DECIMALS}"),
            },
        );
    }
    let mut adj = Codes::new();
    for (i, a) in def.adjustments.iter().enumerate() {
        let path = format!("$.adjustments[{i}]");
        if !first_time(&mut adj, &a.code) {
            c.err(
                &path,
                Some(&a.code),
                Problem::DuplicateKey {
                    key: a.code.clone(),
                },
            );
        }
        if let Err(p) = crate::rule::bounded(a.cap) {
            c.err(&format!("{path}.cap"), Some(&a.code), p);
        } else if a.cap.is_sign_negative() && !a.cap.is_zero() {
            c.err(
                &format!("{path}.cap"),
                Some(&a.code),
                Problem::Negative {
                    what: "cap".into(),
                    value: a.cap,
                },
            );
        }
    }
    let caps: Vec<Decimal> = def.adjustments.iter().map(|a| a.cap).collect();
    c.total_bound(&root, &caps);
    unit_types(&mut c, def);
    c.out
}

struct Checker {
    out: Diagnostics,
    seen: Codes,
    count: usize,
    /// The index's leaf rounding (a rounded leaf may score a little above its maximum).
    rounding: Option<crate::index::LeafRounding>,
}

fn what(kind: &str, i: usize) -> String {
    format!("{kind} {}", i + 1)
}

impl Checker {
    fn err(&mut self, path: &str, code: Option<&str>, p: Problem) {
        self.out.push(Diagnostic::error(path, code, p));
    }
    fn warn(&mut self, path: &str, code: Option<&str>, p: Problem) {
        self.out.push(Diagnostic::warning(path, code, p));
    }

    /// Checks a declared maximum: within the input limit and not negative. `false` when
    /// it is unusable (too large), so nothing is computed from it.
    fn max_points(&mut self, path: &str, code: Option<&str>, max: Option<Decimal>) -> bool {
        let Some(m) = max else { return true };
        if let Err(p) = crate::rule::bounded(m) {
            self.err(path, code, p);
            return false;
        }
        if m.is_sign_negative() && !m.is_zero() {
            self.err(
                path,
                code,
                Problem::Negative {
                    what: "max_points".into(),
                    value: m,
                },
            );
        }
        true
    }

    /// Checks a node and its subtree; returns what the node can score.
    fn node(&mut self, n: &Node, path: &str, depth: usize) -> Reach {
        self.count += 1;
        if self.count == MAX_NODES + 1 {
            self.err(
                path,
                Some(&n.code),
                Problem::TooManyNodes { limit: MAX_NODES },
            );
        }
        if depth > MAX_DEPTH {
            self.err(path, Some(&n.code), Problem::TooDeep { limit: MAX_DEPTH });
            return Reach::UNKNOWN;
        }
        let code = Some(n.code.as_str());
        if n.code.trim().is_empty() {
            self.err(&format!("{path}.code"), None, Problem::EmptyCode);
        } else if let Some(first) = self.seen.get(&n.code) {
            let first_path = first.clone();
            self.err(
                &format!("{path}.code"),
                code,
                Problem::DuplicateCode { first_path },
            );
        } else {
            self.seen.insert(n.code.clone(), path.to_owned());
        }
        if !self.max_points(&format!("{path}.max_points"), code, n.max_points) {
            return Reach::UNKNOWN;
        }
        match (&n.rule, n.children.is_empty()) {
            (Some(_), false) => {
                self.err(path, code, Problem::RuleAndChildren);
                Reach::declared(n.max_points)
            }
            (None, true) => {
                self.err(path, code, Problem::NoRuleNoChildren);
                Reach::declared(n.max_points)
            }
            (Some(r), true) => {
                if n.aggregation.is_some() {
                    self.err(
                        &format!("{path}.aggregation"),
                        code,
                        Problem::AggregationOnLeaf,
                    );
                }
                self.rule(r, n.max_points, &format!("{path}.rule"), code);
                self.leaf_reach(r, n.max_points, path, code)
            }
            (None, false) => {
                let agg = n.aggregation.clone().unwrap_or_default();
                let weights_ok = self.weights(path, code, &agg, &n.children);
                let slot = self.out.len();
                let reaches: Vec<Reach> = n
                    .children
                    .iter()
                    .enumerate()
                    .map(|(i, ch)| self.node(ch, &format!("{path}.children[{i}]"), depth + 1))
                    .collect();
                let parent = Parent {
                    path,
                    code,
                    max: n.max_points,
                    agg: &agg,
                    children: &n.children,
                    reaches: &reaches,
                    weights_ok,
                };
                self.parent_reach(&parent, slot)
            }
        }
    }

    /// Checks the weights of a weighted aggregation: one per child, positive, within the
    /// input limit, none for a code that is not a child. `true` when every child has a
    /// valid weight (or the aggregation is unweighted).
    fn weights(
        &mut self,
        path: &str,
        code: Option<&str>,
        agg: &Aggregation,
        children: &[Node],
    ) -> bool {
        let apath = if path == "$" {
            "$.aggregation".to_owned()
        } else {
            format!("{path}.aggregation")
        };
        let mut ok = true;
        if let Some(w) = agg.weights() {
            for ch in children {
                match w.get(&ch.code) {
                    None => {
                        ok = false;
                        self.err(
                            &apath,
                            code,
                            Problem::WeightMissing {
                                child: ch.code.clone(),
                            },
                        )
                    }
                    Some(x) if crate::rule::bounded(*x).is_err() => {
                        ok = false;
                        self.err(
                            &apath,
                            code,
                            Problem::TooLarge {
                                value: *x,
                                limit: crate::rule::INPUT_LIMIT,
                            },
                        )
                    }
                    Some(x) if *x <= Decimal::ZERO => {
                        ok = false;
                        self.err(
                            &apath,
                            code,
                            Problem::WeightNotPositive {
                                child: ch.code.clone(),
                                weight: *x,
                            },
                        )
                    }
                    Some(_) => {}
                }
            }
            for k in w.keys() {
                if !children.iter().any(|c| &c.code == k) {
                    self.err(
                        &apath,
                        code,
                        Problem::WeightUnknownChild { child: k.clone() },
                    );
                }
            }
        }
        ok
    }

    fn award(
        &mut self,
        path: &str,
        code: Option<&str>,
        label: &str,
        points: Option<Decimal>,
        pct: Option<Decimal>,
        max: Option<Decimal>,
    ) {
        match (points, pct) {
            (Some(p), None) if crate::rule::bounded(p).is_err() => {
                self.err(
                    path,
                    code,
                    Problem::TooLarge {
                        value: p,
                        limit: crate::rule::INPUT_LIMIT,
                    },
                );
            }
            (Some(p), None) => {
                if p.is_sign_negative() && !p.is_zero() {
                    self.err(
                        path,
                        code,
                        Problem::Negative {
                            what: label.into(),
                            value: p,
                        },
                    );
                }
                if let Some(m) = max {
                    if p > m {
                        self.err(
                            path,
                            code,
                            Problem::PointsAboveMax {
                                what: label.into(),
                                points: p,
                                max: m,
                            },
                        );
                    }
                }
            }
            (None, Some(pc)) => {
                if pc < Decimal::ZERO || pc > Decimal::ONE_HUNDRED {
                    self.err(
                        path,
                        code,
                        Problem::PercentOutOfRange {
                            what: label.into(),
                            value: pc,
                        },
                    );
                }
            }
            _ => self.err(path, code, Problem::AwardSpec { what: label.into() }),
        }
    }

    fn keys<'a>(
        &mut self,
        path: &str,
        code: Option<&str>,
        what_: &str,
        keys: impl Iterator<Item = &'a String>,
    ) {
        let mut seen = Codes::new();
        let mut n = 0;
        for k in keys {
            n += 1;
            if !first_time(&mut seen, k) {
                self.err(path, code, Problem::DuplicateKey { key: k.clone() });
            }
        }
        if n == 0 {
            self.err(path, code, Problem::Empty { what: what_.into() });
        }
    }

    fn rule(&mut self, r: &Rule, max: Option<Decimal>, path: &str, code: Option<&str>) {
        if r.needs_max() && max.is_none() {
            self.err(path, code, Problem::MaxRequired);
        }
        match r {
            Rule::YesNo {
                conditions,
                yes,
                no,
            } => {
                if !conditions.is_empty() {
                    self.keys(
                        &format!("{path}.conditions"),
                        code,
                        "conditions",
                        conditions.iter().map(|c| &c.key),
                    );
                }
                self.award(
                    &format!("{path}.yes"),
                    code,
                    "yes",
                    yes.points,
                    yes.percent_of_max,
                    max,
                );
                self.award(
                    &format!("{path}.no"),
                    code,
                    "no",
                    no.points,
                    no.percent_of_max,
                    max,
                );
            }
            Rule::Timeliness {
                on_time,
                late,
                not_done,
            } => {
                for (k, a) in [("on_time", on_time), ("late", late), ("not_done", not_done)] {
                    self.award(
                        &format!("{path}.{k}"),
                        code,
                        k,
                        a.points,
                        a.percent_of_max,
                        max,
                    );
                }
            }
            Rule::Levels { levels } => {
                self.keys(
                    &format!("{path}.levels"),
                    code,
                    "levels",
                    levels.iter().map(|l| &l.key),
                );
                for (i, l) in levels.iter().enumerate() {
                    self.award(
                        &format!("{path}.levels[{i}]"),
                        code,
                        &l.key,
                        l.points,
                        l.percent_of_max,
                        max,
                    );
                }
            }
            Rule::Deductions { severities } => {
                self.keys(
                    &format!("{path}.severities"),
                    code,
                    "severities",
                    severities.iter().map(|l| &l.key),
                );
                for (i, l) in severities.iter().enumerate() {
                    self.award(
                        &format!("{path}.severities[{i}]"),
                        code,
                        &l.key,
                        l.points,
                        l.percent_of_max,
                        max,
                    );
                }
            }
            Rule::Tiers { measure, tiers } => self.tiers(*measure, tiers, max, path, code),
            Rule::Proportional {
                threshold_percent,
                gate,
                ..
            } => {
                if let Some(t) = threshold_percent {
                    if *t <= Decimal::ZERO || *t > Decimal::ONE_HUNDRED {
                        self.err(
                            &format!("{path}.threshold_percent"),
                            code,
                            Problem::PercentOutOfRange {
                                what: "threshold_percent".into(),
                                value: *t,
                            },
                        );
                    }
                }
                if let Some(g) = gate {
                    if g.value < Decimal::ZERO || g.value > Decimal::ONE_HUNDRED {
                        self.err(
                            &format!("{path}.gate"),
                            code,
                            Problem::PercentOutOfRange {
                                what: "gate".into(),
                                value: g.value,
                            },
                        );
                    }
                }
            }
            Rule::Discretionary { step } => {
                if let Some(s) = step {
                    if *s <= Decimal::ZERO {
                        self.err(&format!("{path}.step"), code, Problem::StepNotPositive);
                    }
                }
            }
            Rule::Survey { options } => {
                self.keys(
                    &format!("{path}.options"),
                    code,
                    "options",
                    options.iter().map(|o| &o.key),
                );
                for (i, o) in options.iter().enumerate() {
                    if o.percent < Decimal::ZERO || o.percent > Decimal::ONE_HUNDRED {
                        self.err(
                            &format!("{path}.options[{i}]"),
                            code,
                            Problem::PercentOutOfRange {
                                what: o.key.clone(),
                                value: o.percent,
                            },
                        );
                    }
                }
            }
            Rule::Score { nominal } => {
                if let Some(n) = nominal {
                    if n.is_empty() {
                        self.err(
                            &format!("{path}.nominal"),
                            code,
                            Problem::EmptyInterval {
                                what: "nominal".into(),
                            },
                        );
                    }
                }
            }
        }
    }

    fn tiers(
        &mut self,
        measure: Measure,
        tiers: &[crate::rule::Tier],
        max: Option<Decimal>,
        path: &str,
        code: Option<&str>,
    ) {
        if tiers.is_empty() {
            self.err(
                &format!("{path}.tiers"),
                code,
                Problem::Empty {
                    what: "tiers".into(),
                },
            );
            return;
        }
        let unit = if measure == Measure::Percent { "%" } else { "" };
        for (i, t) in tiers.iter().enumerate() {
            let tp = format!("{path}.tiers[{i}]");
            if t.range.is_empty() {
                self.err(
                    &tp,
                    code,
                    Problem::EmptyInterval {
                        what: what("tier", i),
                    },
                );
            }
            self.award(&tp, code, &what("tier", i), t.points, t.percent_of_max, max);
        }
        for i in 0..tiers.len() {
            for j in i + 1..tiers.len() {
                if overlaps(&tiers[i].range, &tiers[j].range) {
                    let both = overlap_words(&tiers[i].range, &tiers[j].range, unit);
                    self.err(
                        &format!("{path}.tiers[{j}]"),
                        code,
                        Problem::Overlap {
                            first: what("tier", i),
                            second: what("tier", j),
                            both,
                        },
                    );
                }
            }
        }
        let domain = match measure {
            Measure::Percent => Interval {
                from: Some(Bound::incl(Decimal::ZERO)),
                to: Some(Bound::incl(Decimal::ONE_HUNDRED)),
            },
            Measure::Count => Interval {
                from: Some(Bound::incl(Decimal::ZERO)),
                to: None,
            },
            Measure::Number => Interval::default(),
        };
        let mut sorted: Vec<Interval> = tiers
            .iter()
            .map(|t| t.range)
            .filter(|r| !r.is_empty())
            .collect();
        sorted.sort_by_key(lower_key);
        let flip = |b: Bound| Bound {
            value: b.value,
            inclusive: !b.inclusive,
        };
        // `covered`: every value up to its upper end is in some tier (or below the domain).
        let mut covered: Option<Interval> = domain.from.map(|b| Interval {
            from: None,
            to: Some(flip(b)),
        });
        let mut gaps: Vec<Interval> = Vec::new();
        for iv in sorted {
            match covered {
                None => {
                    if let Some(b) = iv.from {
                        gaps.push(Interval {
                            from: None,
                            to: Some(flip(b)),
                        });
                    }
                }
                Some(prev) => gaps.extend(gap_between(&prev, &iv)),
            }
            covered = Some(match covered {
                Some(prev) if upper_beyond(&prev, &iv) => prev,
                _ => iv,
            });
        }
        if let Some(end) = covered.and_then(|c| c.to) {
            let tail = Interval {
                from: Some(flip(end)),
                to: domain.to,
            };
            if !tail.is_empty() {
                gaps.push(tail);
            }
        }
        for g in gaps.into_iter().filter(|g| overlaps(g, &domain)) {
            self.warn(
                &format!("{path}.tiers"),
                code,
                Problem::Uncovered {
                    gap: g.describe(Lang::Vi, unit),
                },
            );
        }
    }

    fn bands(&mut self, bands: &[Band]) {
        let mut seen = Codes::new();
        for (i, b) in bands.iter().enumerate() {
            let p = format!("$.bands[{i}]");
            if !first_time(&mut seen, &b.code) {
                self.err(
                    &p,
                    None,
                    Problem::DuplicateKey {
                        key: b.code.clone(),
                    },
                );
            }
            if b.range.is_empty() {
                self.err(
                    &p,
                    None,
                    Problem::EmptyInterval {
                        what: format!("band {}", b.code),
                    },
                );
            }
            for (j, other) in bands.iter().enumerate().skip(i + 1) {
                if overlaps(&b.range, &other.range) {
                    self.err(
                        &format!("$.bands[{j}]"),
                        None,
                        Problem::Overlap {
                            first: format!("band {}", b.code),
                            second: format!("band {}", other.code),
                            both: overlap_words(&b.range, &other.range, "%"),
                        },
                    );
                }
            }
        }
    }
}

/// Whether `a` reaches at least as far up as `b`.
fn upper_beyond(a: &Interval, b: &Interval) -> bool {
    match (a.to, b.to) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(x), Some(y)) => {
            x.value > y.value || (x.value == y.value && (x.inclusive || !y.inclusive))
        }
    }
}

fn overlap_words(a: &Interval, b: &Interval, unit: &str) -> String {
    let Interval { from: lo, to: hi } = crate::interval::intersection(a, b);
    match (lo, hi) {
        (Some(l), Some(h)) if l.value == h.value => format!("{}{unit}", plain(l.value, Lang::Vi)),
        _ => Interval { from: lo, to: hi }.describe(Lang::Vi, unit),
    }
}
