//! The model of an analysis: the tree, the assumptions checked against the index, the
//! draws of one replication and the re-scoring of every unit under them.

use super::fixed::FxCell;
use super::spec::{codes, AggregationChoice, Assumption, Error, InputMode, Spec, SpecProblem};
use super::units::Units;
use super::{GRID, MAX_SPEC_PROBLEMS, SPEC_FORMAT};
use crate::engine::{Cell, Fx, Index, FX_POW10 as POW10};
use crate::node::Aggregation;
use crate::ranking::rank_in_blocks;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Sum,
    Mean,
    Geometric,
}

#[derive(Debug, Clone)]
pub(super) enum Group {
    Weights {
        noise: Decimal,
        nodes: Vec<usize>,
    },
    Inputs {
        nodes: Vec<usize>,
        from: Decimal,
        width: Decimal,
        mode: InputMode,
    },
    Aggregation {
        alternatives: Vec<AggregationChoice>,
        nodes: Vec<usize>,
    },
}

/// The compiled model: the tree, the assumptions, the units.
pub(super) struct Model<'a> {
    pub(super) index: &'a Index,
    pub(super) units: &'a Units,
    pub(super) parents_rev: Vec<usize>,
    pub(super) declared: Vec<Kind>,
    nominal_weight: Vec<Fx>,
    /// Each unit's cells in integers.
    pub(super) fx_cells: Vec<Vec<FxCell>>,
    pub(super) groups: Vec<Group>,
    seed: u64,
}

/// One replication's draws.
pub(super) struct Scenario {
    pub(super) weight: Vec<Fx>,
    pub(super) choice: Vec<Option<AggregationChoice>>,
    /// (leaf, mode, shift per unit).
    pub(super) inputs: Vec<(usize, InputMode, Vec<Fx>)>,
    /// Per node, whether its weight is 1 and its weight in `f64` (the same for every
    /// unit: computed once per scenario by [`Scenario::finish`]).
    pub(super) one: Vec<bool>,
    pub(super) wf: Vec<Option<f64>>,
}

impl Scenario {
    fn finish(mut self) -> Scenario {
        self.one = self
            .weight
            .iter()
            .map(|w| w.cmp_value(fx(Decimal::ONE)).is_eq())
            .collect();
        self.wf = self
            .weight
            .iter()
            .map(|w| super::fixed::f64_of(*w))
            .collect();
        self
    }
}

/// Working memory of one thread: the cells of a unit being re-scored.
#[derive(Debug, Default)]
pub(crate) struct Buffers {
    pub(super) cells: Vec<Cell>,
    pub(super) fx: Vec<FxCell>,
}

/// The exact integer form of a decimal (a negative zero, which no arithmetic result
/// is and which compares, adds and prints as zero once floored, as zero).
pub(super) fn fx(d: Decimal) -> Fx {
    Fx::of(d).unwrap_or(Fx { m: 0, s: d.scale() })
}

/// `a + b × g` as `Decimal` computes it (exact; `Decimal` itself where it would round).
fn add_mul(a: Fx, b: Fx, g: Fx) -> Fx {
    b.mul(g)
        .and_then(|x| a.add(x))
        .unwrap_or_else(|| fx(a.dec() + b.dec() * g.dec()))
}

/// `from + width × k/10⁶` as `Decimal` computes it, for many `k`: both terms aligned
/// once to the scale of the sum.
struct Draw {
    from: Fx,
    width: Fx,
    /// `from` and `width` as integers at `scale` (`width` already × 10⁻⁶), when they fit.
    aligned: Option<(i128, i128, u32)>,
}

impl Draw {
    fn new(from: Fx, width: Fx) -> Draw {
        let scale = from.s.max(width.s + 6);
        let aligned = (scale <= 28)
            .then(|| {
                let f = from.m.checked_mul(*POW10.get((scale - from.s) as usize)?)?;
                let w = width
                    .m
                    .checked_mul(*POW10.get((scale - width.s - 6) as usize)?)?;
                // |f| + |w| × 10⁶ must stay a Decimal mantissa.
                let most = f.unsigned_abs() + w.unsigned_abs() * 1_000_001;
                (most < 1 << 95).then_some((f, w, scale))
            })
            .flatten();
        Draw {
            from,
            width,
            aligned,
        }
    }

    fn at(&self, k: u32) -> Fx {
        let g = Fx {
            m: i128::from(k),
            s: 6,
        };
        match self.aligned {
            // A zero term leaves the other as it is (Decimal's rule), scale included.
            Some(_) if k == 0 || self.width.m == 0 => add_mul(self.from, self.width, g),
            Some(_) if self.from.m == 0 => add_mul(self.from, self.width, g),
            Some((f, w, s)) => Fx {
                m: f + w * i128::from(k),
                s,
            },
            None => add_mul(self.from, self.width, g),
        }
    }
}

/// `a × b` as `Decimal` computes it.
fn mul(a: Fx, b: Fx) -> Fx {
    a.mul(b).unwrap_or_else(|| fx(a.dec() * b.dec()))
}

pub(super) const MATRIX_UA: u64 = 0;
pub(super) const MATRIX_A: u64 = 1;
pub(super) const MATRIX_B: u64 = 2;

fn uniform_below(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    // Rejection sampling: exactly uniform in 0..n.
    let zone = u32::MAX - (u32::MAX - n + 1) % n;
    loop {
        let x = rng.next_u32();
        if x <= zone {
            return x % n;
        }
    }
}

/// A uniform point of `[0, 1]` on the 10⁻⁶ grid, exact.
fn grid(rng: &mut ChaCha8Rng) -> Fx {
    Fx {
        m: i128::from(uniform_below(rng, GRID + 1)),
        s: 6,
    }
}

impl<'a> Model<'a> {
    pub(super) fn new(
        index: &'a Index,
        units: &'a Units,
        spec: &Spec,
        seed: u64,
    ) -> Result<Self, Error> {
        let nodes = index.nodes();
        let mut problems = Vec::new();
        let mut more = 0usize;
        let mut push = |path: String, code: &'static str, message: String, vi: String| {
            if problems.len() < MAX_SPEC_PROBLEMS {
                problems.push(SpecProblem::coded(path, code, message, vi));
            } else {
                more += 1;
            }
        };
        if spec.format != SPEC_FORMAT {
            push(
                "$.format".into(),
                codes::WRONG_FORMAT,
                format!(
                    "expected '{SPEC_FORMAT}', found '{}'",
                    crate::text::excerpt(&spec.format)
                ),
                format!(
                    "phải là '{SPEC_FORMAT}', nhưng là '{}'",
                    crate::text::excerpt(&spec.format)
                ),
            );
        }
        if spec.assumptions.len() > 0xFFFF {
            push(
                "$.assumptions".into(),
                codes::TOO_MANY_ASSUMPTIONS,
                "too many assumptions (at most 65,535)".into(),
                "quá nhiều giả định (tối đa 65.535)".into(),
            );
        }
        if spec.reps == Some(0) {
            push(
                "$.reps".into(),
                codes::REPS_BELOW_ONE,
                "must be at least 1".into(),
                "phải từ 1 trở lên".into(),
            );
        }
        if let Some(sa) = spec.sensitivity {
            if sa.n < 2 {
                push(
                    "$.sensitivity.n".into(),
                    codes::N_BELOW_TWO,
                    "must be at least 2".into(),
                    "phải từ 2 trở lên".into(),
                );
            }
            if spec.assumptions.is_empty() {
                push(
                    "$.sensitivity".into(),
                    codes::NO_ASSUMPTION,
                    "a sensitivity analysis needs at least one assumption".into(),
                    "phân tích độ nhạy cần ít nhất một giả định".into(),
                );
            }
        }
        let mut names = BTreeSet::new();
        let mut groups = Vec::new();
        for (i, a) in spec.assumptions.iter().enumerate() {
            let at = format!("$.assumptions[{i}]");
            if a.name().trim().is_empty() {
                push(
                    format!("{at}.name"),
                    codes::EMPTY_NAME,
                    "the name is empty".into(),
                    "tên đang để trống".into(),
                );
            } else if !names.insert(a.name().to_owned()) {
                push(
                    format!("{at}.name"),
                    codes::DUPLICATE_NAME,
                    format!("duplicate name '{}'", crate::text::excerpt(a.name())),
                    format!("tên '{}' bị trùng", crate::text::excerpt(a.name())),
                );
            }
            let resolve =
                |codes: &[String],
                 want: &str,
                 push: &mut dyn FnMut(String, &'static str, String, String)| {
                    let mut out = Vec::new();
                    let mut seen = BTreeSet::new();
                    for (k, c) in codes.iter().enumerate() {
                        let path = format!("{at}.codes[{k}]");
                        let Some(p) = index.position(c) else {
                            push(
                                path,
                                codes::UNKNOWN_CODE,
                                format!("unknown code '{}'", crate::text::excerpt(c)),
                                format!("bộ chỉ số không có mã '{}'", crate::text::excerpt(c)),
                            );
                            continue;
                        };
                        let leaf = nodes[p].is_leaf() && p != 0;
                        let ok = match want {
                            "leaf" => leaf,
                            "parent" => !leaf,
                            _ => p != 0,
                        };
                        if !ok {
                            let (code, what, vi) = match want {
                            "leaf" => (
                                codes::NOT_A_LEAF,
                                "is not a leaf (inputs vary leaf points)",
                                "không phải tiêu chí lá (giả định đầu vào thay đổi điểm của tiêu chí lá)",
                            ),
                            "parent" => (
                                codes::NOT_A_PARENT,
                                "is a leaf (aggregations apply to parents)",
                                "là tiêu chí lá (cách tổng hợp chỉ áp dụng cho tiêu chí có tiêu chí con)",
                            ),
                            _ => (
                                codes::ROOT_HAS_NO_WEIGHT,
                                "is the root (it has no weight)",
                                "là gốc của cây (không có trọng số)",
                            ),
                        };
                            let c = crate::text::excerpt(c);
                            push(path, code, format!("'{c}' {what}"), format!("'{c}' {vi}"));
                            continue;
                        }
                        if !seen.insert(p) {
                            push(
                                path,
                                codes::CODE_LISTED_TWICE,
                                format!("'{}' is listed twice", crate::text::excerpt(c)),
                                format!("'{}' được liệt kê hai lần", crate::text::excerpt(c)),
                            );
                            continue;
                        }
                        out.push(p);
                    }
                    out
                };
            match a {
                Assumption::Weights { noise, codes, .. } => {
                    if *noise < Decimal::ZERO || *noise >= Decimal::ONE {
                        push(
                            format!("{at}.noise"),
                            codes::NOISE_OUT_OF_RANGE,
                            format!("{noise} is not in [0, 1)"),
                            format!("{noise} không thuộc khoảng [0, 1)"),
                        );
                    }
                    let nodes_in = if codes.is_empty() {
                        (1..nodes.len()).collect()
                    } else {
                        resolve(codes, "node", &mut push)
                    };
                    groups.push(Group::Weights {
                        noise: *noise,
                        nodes: nodes_in,
                    });
                }
                Assumption::Inputs {
                    codes,
                    from,
                    to,
                    mode,
                    ..
                } => {
                    if codes.is_empty() {
                        push(
                            format!("{at}.codes"),
                            codes::NO_LEAF_CODE,
                            "no leaf code given".into(),
                            "chưa nêu mã tiêu chí lá nào".into(),
                        );
                    }
                    if from > to {
                        push(
                            format!("{at}.from"),
                            codes::RANGE_REVERSED,
                            format!("{from} is above 'to' ({to})"),
                            format!("{from} lớn hơn 'to' ({to})"),
                        );
                    }
                    if *mode == InputMode::Scale && *from < Decimal::NEGATIVE_ONE {
                        push(
                            format!("{at}.from"),
                            codes::SCALE_BELOW_MINUS_ONE,
                            format!("a scale below -1 ({from}) makes points negative"),
                            format!("hệ số nhỏ hơn -1 ({from}) làm điểm bị âm"),
                        );
                    }
                    let leaves = resolve(codes, "leaf", &mut push);
                    groups.push(Group::Inputs {
                        nodes: leaves,
                        from: *from,
                        width: *to - *from,
                        mode: *mode,
                    });
                }
                Assumption::Aggregation {
                    alternatives,
                    codes,
                    ..
                } => {
                    if alternatives.is_empty() {
                        push(
                            format!("{at}.alternatives"),
                            codes::NO_ALTERNATIVE,
                            "no alternative given".into(),
                            "chưa nêu cách tổng hợp nào".into(),
                        );
                    }
                    let parents = if codes.is_empty() {
                        (0..nodes.len()).filter(|&p| !nodes[p].is_leaf()).collect()
                    } else {
                        resolve(codes, "parent", &mut push)
                    };
                    groups.push(Group::Aggregation {
                        alternatives: alternatives.clone(),
                        nodes: parents,
                    });
                }
            }
        }
        if more > 0 {
            problems.push(SpecProblem::coded(
                "$".into(),
                codes::MORE_ERRORS,
                if more == 1 {
                    "… and 1 more error".into()
                } else {
                    format!("… and {more} more errors")
                },
                format!("… và {more} lỗi khác"),
            ));
        }
        if !problems.is_empty() {
            return Err(Error::Spec(problems));
        }
        let mut nominal_weight = vec![fx(Decimal::ONE); nodes.len()];
        for n in nodes {
            for (&c, &w) in n.children.iter().zip(&n.weights) {
                nominal_weight[c] = fx(w);
            }
        }
        let fx_cells = units
            .cells
            .iter()
            .map(|cells| cells.iter().map(|c| FxCell::of(*c)).collect())
            .collect();
        let declared = nodes
            .iter()
            .map(|n| match n.aggregation {
                Aggregation::WeightedMean { .. } => Kind::Mean,
                _ => Kind::Sum,
            })
            .collect();
        let parents_rev = (0..nodes.len())
            .rev()
            .filter(|&p| !nodes[p].children.is_empty())
            .collect();
        Ok(Model {
            index,
            units,
            parents_rev,
            declared,
            nominal_weight,
            fx_cells,
            groups,
            seed,
        })
    }

    pub(super) fn rng(&self, matrix: u64, row: u64, group: usize) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream((matrix << 62) | (row << 16) | group as u64);
        rng
    }

    pub(super) fn nominal(&self) -> Scenario {
        Scenario {
            weight: self.nominal_weight.clone(),
            choice: vec![None; self.nominal_weight.len()],
            inputs: Vec::new(),
            one: Vec::new(),
            wf: Vec::new(),
        }
        .finish()
    }

    /// The scenario of a row: group `g` drawn from `matrix_of(g)`.
    pub(super) fn scenario(&self, row: u64, matrix_of: &dyn Fn(usize) -> u64) -> Scenario {
        let mut sc = self.nominal();
        let n_units = self.units.len();
        for (g, group) in self.groups.iter().enumerate() {
            let mut rng = self.rng(matrix_of(g), row, g);
            match group {
                Group::Weights { noise, nodes } => {
                    let low = fx(Decimal::ONE - noise);
                    let span = fx(noise + noise);
                    for &p in nodes {
                        let factor = add_mul(low, span, grid(&mut rng));
                        sc.weight[p] = mul(self.nominal_weight[p], factor);
                    }
                }
                Group::Inputs {
                    nodes,
                    from,
                    width,
                    mode,
                } => {
                    let draw = Draw::new(fx(*from), fx(*width));
                    for &p in nodes {
                        let shifts = (0..n_units)
                            .map(|_| draw.at(uniform_below(&mut rng, GRID + 1)))
                            .collect();
                        sc.inputs.push((p, *mode, shifts));
                    }
                }
                Group::Aggregation {
                    alternatives,
                    nodes,
                } => {
                    let k = uniform_below(&mut rng, alternatives.len().max(1) as u32) as usize;
                    let pick = alternatives.get(k).copied();
                    for &p in nodes {
                        sc.choice[p] = pick;
                    }
                }
            }
        }
        sc.finish()
    }

    /// Totals of every unit under `sc`.
    /// Each unit in integers ([`Model::total_fx`]); with `Decimal` where that cannot
    /// follow `Decimal` exactly (a quotient it would round, an overflow).
    pub(super) fn totals(
        &self,
        sc: &Scenario,
        buf: &mut Buffers,
    ) -> Result<Vec<Option<Decimal>>, Error> {
        (0..self.units.len())
            .map(|u| {
                self.total_fx(u, sc, &mut buf.fx)
                    .or_else(|| self.total(u, sc, &mut buf.cells))
                    .ok_or_else(|| Error::Overflow {
                        unit: self.units.names[u].clone(),
                    })
            })
            .collect()
    }

    /// [`Model::total`], for the tests of the integer path.
    #[cfg(test)]
    pub(super) fn total_for_test(
        &self,
        u: usize,
        sc: &Scenario,
        buf: &mut Vec<Cell>,
    ) -> Option<Option<Decimal>> {
        self.total(u, sc, buf)
    }

    /// A unit's total with `Decimal` arithmetic (the reference the integers follow).
    fn total(&self, u: usize, sc: &Scenario, buf: &mut Vec<Cell>) -> Option<Option<Decimal>> {
        buf.clear();
        buf.extend_from_slice(&self.units.cells[u]);
        for (p, mode, shifts) in &sc.inputs {
            if let Cell::Value { achieved, max } = buf[*p] {
                let d = shifts[u].dec();
                let mut v = match mode {
                    InputMode::Add => achieved.checked_add(d)?,
                    InputMode::Scale => achieved.checked_mul(Decimal::ONE.checked_add(d)?)?,
                };
                if v < Decimal::ZERO {
                    v = Decimal::ZERO;
                }
                if let Some(m) = max {
                    v = v.min(m);
                }
                buf[*p] = Cell::Value { achieved: v, max };
            }
        }
        for &p in &self.parents_rev {
            buf[p] = self.combine(p, buf, sc)?;
        }
        Some(match buf[0].achieved() {
            Some(t) => {
                let t = t.checked_add(self.units.adjust[u])?;
                Some(t.max(Decimal::ZERO))
            }
            None => None,
        })
    }

    fn combine(&self, p: usize, cells: &[Cell], sc: &Scenario) -> Option<Cell> {
        let node = &self.index.nodes()[p];
        let kind = match sc.choice[p] {
            None | Some(AggregationChoice::Declared) => self.declared[p],
            Some(AggregationChoice::Sum) => Kind::Sum,
            Some(AggregationChoice::Mean) => Kind::Mean,
            Some(AggregationChoice::GeometricMean) => Kind::Geometric,
        };
        let (mut all_na, mut missing, mut zero) = (true, false, false);
        let mut sum = Decimal::ZERO;
        let mut max_sum = Some(Decimal::ZERO);
        let mut wsum = Decimal::ZERO;
        let (mut lsum, mut lmax, mut wf) = (0f64, Some(0f64), 0f64);
        for &c in &node.children {
            let w = sc.weight[c].dec();
            match cells[c] {
                Cell::NotApplicable => {}
                Cell::Missing => {
                    all_na = false;
                    missing = true;
                }
                Cell::Value { achieved, max } => {
                    all_na = false;
                    wsum = wsum.checked_add(w)?;
                    if kind == Kind::Geometric {
                        let wv = w.to_f64()?;
                        wf += wv;
                        if achieved <= Decimal::ZERO {
                            zero = true;
                        } else {
                            lsum += wv * achieved.to_f64()?.ln();
                        }
                        lmax = match (lmax, max) {
                            (Some(l), Some(m)) if m > Decimal::ZERO => {
                                Some(l + wv * m.to_f64()?.ln())
                            }
                            _ => None,
                        };
                    } else if w == Decimal::ONE {
                        sum = sum.checked_add(achieved)?;
                        max_sum = match (max_sum, max) {
                            (Some(s), Some(m)) => Some(s.checked_add(m)?),
                            _ => None,
                        };
                    } else {
                        sum = sum.checked_add(w.checked_mul(achieved)?)?;
                        max_sum = match (max_sum, max) {
                            (Some(s), Some(m)) => Some(s.checked_add(w.checked_mul(m)?)?),
                            _ => None,
                        };
                    }
                }
            }
        }
        if all_na {
            return Some(Cell::NotApplicable);
        }
        if missing {
            return Some(Cell::Missing);
        }
        let (mut achieved, mut max) = match kind {
            Kind::Sum => (sum, max_sum),
            Kind::Mean if !wsum.is_zero() => (
                sum.checked_div(wsum)?,
                match max_sum {
                    Some(m) => Some(m.checked_div(wsum)?),
                    None => None,
                },
            ),
            Kind::Mean => (sum, max_sum),
            Kind::Geometric => {
                let g = |l: f64| -> Option<Decimal> {
                    if wf > 0.0 {
                        f64_to_decimal_12((l / wf).exp())
                    } else {
                        Some(Decimal::ZERO)
                    }
                };
                let a = if zero { Decimal::ZERO } else { g(lsum)? };
                let m = match lmax {
                    Some(l) => Some(g(l)?),
                    None => None,
                };
                (a, m)
            }
        };
        if node.aggregation.rescales() {
            if let (Some(target), Some(m)) = (node.max, max) {
                if !m.is_zero() {
                    achieved = achieved.checked_div(m)?.checked_mul(target)?;
                }
                max = Some(target);
            }
        }
        Some(Cell::Value { achieved, max })
    }

    pub(super) fn ranks(&self, totals: &[Option<Decimal>]) -> Vec<Option<u32>> {
        rank_in_blocks(
            totals,
            &self.units.blocks,
            self.index.definition().tie_policy,
        )
    }

    /// Ranks of one scenario.
    pub(super) fn run_ranks(
        &self,
        sc: &Scenario,
        buf: &mut Buffers,
    ) -> Result<Vec<Option<u32>>, Error> {
        Ok(self.ranks(&self.totals(sc, buf)?))
    }
}

/// `x` rounded to 12 decimal places as a decimal (`x·10¹²` rounded half away from zero
/// in `f64`, then scaled exactly); falls back to the slower exact conversion when
/// `x·10¹²` does not fit an `i64`.
pub(super) fn f64_to_decimal_12(x: f64) -> Option<Decimal> {
    let scaled = (x * 1e12).round();
    if scaled.is_finite() && scaled.abs() < 9.0e18 {
        Some(Decimal::new(scaled as i64, 12))
    } else {
        Decimal::from_f64(x).map(|d| d.round_dp(12))
    }
}
