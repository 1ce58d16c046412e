//! The compiled evaluator: see [`Compiled`].

mod flat;
mod fx;
mod hot;
mod leaf;
mod parents;
mod plan;

use crate::assessment::{Assessment, Value};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::inputs::{Inputs, Slot};
use crate::engine::{Cell, Index};
use crate::result::View;
pub(crate) use fx::Fx;
pub(crate) use fx::POW10 as FX_POW10;
use fx::POW10;
use hot::HotOut;
use leaf::{Input, Out};
use rust_decimal::Decimal;

/// The compiled evaluator: an [`Index`] turned once into an evaluation plan whose
/// arithmetic is in integers, with the same results as [`Index::evaluate`] and
/// [`Index::score`] — the same values *and* the same decimal scales.
///
/// Every number is held as an integer mantissa at a scale fixed per node when the index
/// is compiled (thresholds, maxima, weights and the points of every outcome), next to the
/// scale `rust_decimal` would give it, so sums are integer additions and the scales of
/// the results follow `Decimal`'s rules exactly. A node falls back to `Decimal` where it
/// needs it: statically (a weighted mean, a rescaled node, a node whose range would not
/// fit the integers, a rule kind without a kernel, and their ancestors) or for one
/// evaluation (a value the rule rejects or flags, a quotient `Decimal` would round):
/// then the rule itself ([`Rule::points`](crate::rule::Rule::points)) and the engine's
/// own aggregation compute that node. Property tests keep the plan equal to
/// [`Index::evaluate`] on random trees and on every shipped index.
///
/// The commonest leaves (outcomes, tiers on a number, entered points, shares without a
/// gate, up to two counted deductions) take a hot path in 64-bit integers (`hot.rs`):
/// outcome and tier points written once at the leaf's scale, tier limits as inclusive
/// integers, the value read into a small record; parents whose integers fit 64 bits sum
/// in `i64`. Whatever the hot path cannot decide goes to the general kernels above.
/// When the whole index is like that, it is also laid out flat (`flat.rs`): nodes
/// breadth-first in one plain array, each parent summing a contiguous run of slots,
/// leaves grouped by rule kind; an evaluation whose every leaf the hot path reads takes
/// that path, and starts again on the general one where it cannot decide.
///
/// ```
/// use chiso::engine::{Compiled, Scratch};
/// use chiso::{Cell, Index, View};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
/// let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
/// let text = std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
/// let assessment = chiso::load::assessment(&text).unwrap();
///
/// let plan = Compiled::new(&index);              // once per index
/// let mut scratch = Scratch::default();          // once per thread
/// let values = plan.values(&assessment, View::Final).unwrap(); // once per assessment
/// let total = plan.evaluate(&values, &mut scratch).unwrap();
///
/// let full = index.score(&assessment, View::Final).unwrap();
/// assert_eq!(total, full.total.achieved);
/// // Every node's cell, as Index::evaluate fills it.
/// let cells = plan.cells(&scratch);
/// assert_eq!(cells[0].achieved(), full.total.criteria_points);
/// ```
#[derive(Debug, Clone)]
pub struct Compiled {
    /// This plan's identity ([`Compiled::new`]; a clone is the same plan): the
    /// [`LeafValues`] it reads carry it, and [`Compiled::evaluate`] and
    /// [`Compiled::set_value`] refuse values read by another plan.
    id: u64,
    index: Index,
    plan: plan::Plan,
    /// The flat layout, when the whole index can take the flat path (`flat.rs`).
    flat: Option<flat::Flat>,
}

/// What one leaf holds in [`LeafValues`].
#[derive(Debug, Clone, PartialEq)]
enum Leaf {
    Missing,
    NotAppraised,
    NotApplicable,
    Value { input: Input, credited: bool },
}

/// An assessment resolved for one view and read into the plan's form: one entry per
/// leaf and the bonus / penalty points. Built by [`Compiled::values`]; reusable for any
/// number of evaluations.
#[derive(Debug, Clone, PartialEq)]
pub struct LeafValues {
    /// The identity of the plan that read these values (`Compiled::id`).
    plan: u64,
    leaves: Vec<Leaf>,
    /// The same leaves in the hot path's form (`hot::H_GENERAL`: see `leaves`).
    hot: Vec<hot::Hot>,
    /// The same records in the flat path's group order (`flat::Flat::order`; empty
    /// when the plan has no flat layout).
    flat: Vec<hot::Hot>,
    /// How many leaves the hot path cannot read (`hot` tags below `H_CHOICE`): the
    /// flat path is tried only when there are none.
    cold: usize,
    adjustments: Vec<Decimal>,
}

/// Working memory of evaluations (one per thread); reused from call to call.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// The identity of the plan whose evaluation the scratch holds (0: none yet).
    plan: u64,
    v: Vec<Val>,
    cells: Vec<Cell>,
    slow: usize,
    /// The last evaluation took the flat path: the nodes are in `fm` / `fs` (by slot),
    /// not in `v`.
    flat: bool,
    /// Flat path: each slot's integer at the plan's scale and its scale word (the
    /// `Decimal` scale and the scales of the nonzero terms below, `flat.rs`).
    f: Vec<flat::Num>,
    /// The flat path summed the parents without a check per child.
    unchecked: bool,
}

/// One node's state in a [`Scratch`]: its integer at the plan's scale for the node and
/// the scale `Decimal` gives it, or where its cell is.
#[derive(Debug, Clone, Copy)]
struct Val {
    m: i128,
    s: u8,
    st: u8,
    /// Something below the node is not applicable (its maximum is then summed).
    na_below: bool,
}

impl Val {
    const MISSING: Val = Val {
        m: 0,
        s: 0,
        st: MISSING,
        na_below: false,
    };
}

/// The error of values read by another plan (out of the evaluation's line).
#[cold]
#[inline(never)]
fn another_plan() -> Box<Diagnostic> {
    Box::new(Diagnostic::error("$", None, Problem::ValuesOfAnotherPlan))
}

/// The next plan's identity (`Compiled::id`); 0 is no plan's.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

// Node states in a scratch.
const VALUE: u8 = 0;
const MISSING: u8 = 1;
const NA: u8 = 2;
/// The node's cell is in `cells` (computed with `Decimal`).
const DEC: u8 = 3;

impl Compiled {
    /// Compiles `index` (a copy of it is kept).
    pub fn new(index: &Index) -> Compiled {
        let plan = plan::Plan::new(index);
        Compiled {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            flat: flat::Flat::new(index, &plan),
            plan,
            index: index.clone(),
        }
    }

    /// The index this plan was compiled from.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// How many nodes are computed in integers whatever the values (the others always
    /// use `Decimal`), out of [`Index::nodes`].
    pub fn fixed_nodes(&self) -> usize {
        self.plan.fixed.iter().filter(|&&f| f).count()
    }

    /// Resolves `a` for `view` ([`Inputs::resolve`]) and reads every leaf's value into
    /// the plan's form ([`Compiled::read`]). The assessment is checked first
    /// ([`Index::check_assessment`]); errors are returned all at once.
    pub fn values(&self, a: &Assessment, view: View) -> Result<LeafValues, Diagnostics> {
        Ok(self.read(&Inputs::resolve(&self.index, a, view)?))
    }

    /// Reads resolved `inputs` (of this plan's index) into the plan's form, for any number
    /// of [`Compiled::evaluate`] calls. A value its rule rejects is kept as it is and
    /// reported by [`Compiled::evaluate`], as [`Index::evaluate`] does.
    pub fn read(&self, inputs: &Inputs) -> LeafValues {
        let nodes = self.index.nodes();
        let slots = inputs.slots();
        let leaves: Vec<Leaf> = self
            .plan
            .leaves
            .iter()
            .enumerate()
            .map(|(k, &i)| match slots.get(i) {
                Some(Slot::NotApplicable) => Leaf::NotApplicable,
                Some(Slot::NotAppraised) => Leaf::NotAppraised,
                Some(Slot::Value { value, credited }) => Leaf::Value {
                    input: leaf::read(&self.plan.kernels[k], &nodes[i], value),
                    credited: *credited,
                },
                Some(Slot::Missing) | None => Leaf::Missing,
            })
            .collect();
        let hot = (self.plan.leaf_plan.iter())
            .zip(&leaves)
            .map(|(lp, l)| hot::read(lp.hot, lp.cmp, l))
            .collect::<Vec<_>>();
        let flat = self.flat.as_ref().map_or_else(Vec::new, |f| {
            (f.order.iter().enumerate())
                .map(|(j, &k)| {
                    f.refine(j, hot.get(k as usize).copied().unwrap_or(hot::Hot::GENERAL))
                })
                .collect()
        });
        LeafValues {
            plan: self.id,
            leaves,
            flat,
            cold: hot.iter().filter(|h| h.tag < hot::H_CHOICE).count(),
            hot,
            adjustments: inputs.adjustment_points().to_vec(),
        }
    }

    /// Replaces the value of the leaf at `position` (an [`Index::nodes`] position) with
    /// `value` (credited), as if the assessment said so; `Ok(false)` when `position` is
    /// not a leaf. Planners and what-if analyses change one value at a time this way.
    ///
    /// # Errors
    /// [`Problem::ValuesOfAnotherPlan`] when `values` were read by another plan.
    pub fn set_value(
        &self,
        values: &mut LeafValues,
        position: usize,
        value: &Value,
    ) -> Result<bool, Box<Diagnostic>> {
        self.check_values(values)?;
        let Some(k) = self.plan.leaf_of.get(position).copied().flatten() else {
            return Ok(false);
        };
        let node = &self.index.nodes()[position];
        let leaf = Leaf::Value {
            input: leaf::read(&self.plan.kernels[k], node, value),
            credited: true,
        };
        let lp = &self.plan.leaf_plan[k];
        let h = hot::read(lp.hot, lp.cmp, &leaf);
        values.cold = values.cold + usize::from(h.tag < hot::H_CHOICE)
            - usize::from(values.hot[k].tag < hot::H_CHOICE);
        values.hot[k] = h;
        let place = self.flat.as_ref().and_then(|f| f.place.get(k));
        if let (Some(f), Some(&j)) = (&self.flat, place) {
            if let Some(x) = values.flat.get_mut(j as usize) {
                *x = f.refine(j as usize, h);
            }
        }
        values.leaves[k] = leaf;
        Ok(true)
    }

    /// [`Problem::ValuesOfAnotherPlan`] unless `values` were read by this plan (or a
    /// clone of it).
    #[inline]
    fn check_values(&self, values: &LeafValues) -> Result<(), Box<Diagnostic>> {
        if values.plan == self.id {
            Ok(())
        } else {
            Err(another_plan())
        }
    }

    /// Points of `values`: the total after bonus / penalty points (floored at 0), as
    /// [`Index::evaluate`] and [`Index::score`] (`total.achieved`) give it, with the same
    /// errors. The nodes' cells stay in `scratch` ([`Compiled::cells`],
    /// [`Compiled::cell`]). One scratch serves any plan, one evaluation at a time.
    ///
    /// # Errors
    /// The problems [`Index::evaluate`] reports for these values; and
    /// [`Problem::ValuesOfAnotherPlan`] when `values` were read by another plan (then
    /// `scratch` is left as it was).
    pub fn evaluate(
        &self,
        values: &LeafValues,
        scratch: &mut Scratch,
    ) -> Result<Option<Decimal>, Box<Diagnostic>> {
        self.check_values(values)?;
        let plan = &self.plan;
        let n = plan.scale.len();
        if values.leaves.len() != plan.leaves.len() {
            return Err(Box::new(Diagnostic::error(
                "$",
                None,
                Problem::InputsMismatch {
                    expected: plan.leaves.len(),
                    found: values.leaves.len(),
                },
            )));
        }
        scratch.prepare(n);
        scratch.plan = self.id;
        let flat = match &self.flat {
            Some(f) if values.cold == 0 => self.flat_run(f, values, scratch),
            _ => false,
        };
        scratch.flat = flat;
        let root = if flat {
            Some(self.flat_fx(scratch, 0).dec())
        } else {
            self.leaves(values, scratch)?;
            for p in plan.parents.iter() {
                self.parent(p, scratch);
            }
            match scratch.v[0].st {
                VALUE => Some(plan.fx_at(scratch, 0).dec()),
                DEC => scratch.cells[0].achieved(),
                _ => None,
            }
        };
        if plan.unverified {
            self.materialize_all(scratch);
            if let Some(d) = self
                .index
                .points_above_declared_max(&scratch.cells)
                .0
                .into_iter()
                .next()
            {
                return Err(Box::new(d));
            }
        }
        for (adj, p) in self
            .index
            .definition()
            .adjustments
            .iter()
            .zip(&values.adjustments)
        {
            if *p < Decimal::ZERO || *p > adj.cap {
                return Err(Box::new(Diagnostic::error(
                    format!("$.adjustments[\"{}\"]", adj.code),
                    Some(&adj.code),
                    Problem::OutOfRange {
                        value: *p,
                        range: format!("0 – {}", crate::display::plain(adj.cap, crate::Lang::Vi)),
                    },
                )));
            }
        }
        Ok(self.index.adjusted_total(root, &values.adjustments))
    }

    /// The cell of the node at `position` after [`Compiled::evaluate`] (as
    /// [`Index::evaluate`] fills it); [`Cell::Missing`] when the scratch's last
    /// evaluation was another plan's (or there was none).
    pub fn cell(&self, scratch: &Scratch, position: usize) -> Cell {
        if scratch.plan != self.id {
            return Cell::Missing;
        }
        if scratch.flat {
            return match self.plan.static_max.get(position) {
                Some(&max) => Cell::Value {
                    achieved: self.flat_fx(scratch, position).dec(),
                    max,
                },
                None => Cell::Missing,
            };
        }
        match scratch.v.get(position).map(|v| v.st) {
            Some(VALUE) => Cell::Value {
                achieved: self.plan.fx_at(scratch, position).dec(),
                max: self.max_of(scratch, position),
            },
            Some(MISSING) => Cell::Missing,
            Some(NA) => Cell::NotApplicable,
            Some(_) => scratch.cells[position],
            None => Cell::Missing,
        }
    }

    /// Every node's cell after [`Compiled::evaluate`], in [`Index::nodes`] order.
    pub fn cells(&self, scratch: &Scratch) -> Vec<Cell> {
        (0..self.plan.scale.len())
            .map(|i| self.cell(scratch, i))
            .collect()
    }

    /// How many nodes the last evaluation computed with `Decimal` (the static ones and
    /// those a value sent there).
    pub fn decimal_nodes(scratch: &Scratch) -> usize {
        scratch.slow
    }

    /// Whether the whole index can take the flat path: every parent in 64-bit integers
    /// and every leaf with a hot form (then an evaluation whose every leaf the hot path
    /// reads tries it first).
    pub fn has_flat_path(&self) -> bool {
        self.flat.is_some()
    }

    /// Whether the last evaluation took the flat path (else the general one).
    pub fn took_flat_path(scratch: &Scratch) -> bool {
        scratch.flat
    }

    /// Whether the last evaluation took the flat path and summed its parents without a
    /// check per child (every parent a plain sum, every leaf's integer non-negative and
    /// small enough that no sum overflows).
    pub fn took_unchecked_sums(scratch: &Scratch) -> bool {
        scratch.flat && scratch.unchecked
    }

    /// Every leaf: the hot path where it decides, else [`Compiled::leaf`].
    fn leaves(&self, values: &LeafValues, sc: &mut Scratch) -> Result<(), Box<Diagnostic>> {
        let plan = &self.plan;
        let leaves = plan.leaf_plan.iter().zip(&plan.kernels).zip(&values.hot);
        for (k, ((lp, kernel), h)) in leaves.enumerate() {
            let i = lp.node as usize;
            match self.hot_leaf(lp, h) {
                HotOut::Points(m, s) => sc.put(i, m, s, h.credited),
                HotOut::Missing => sc.state(i, MISSING),
                HotOut::Na => sc.state(i, NA),
                HotOut::General => self.leaf(lp, kernel, &values.leaves[k], sc)?,
            }
        }
        Ok(())
    }

    /// The exact value of node `i` after a flat evaluation.
    fn flat_fx(&self, sc: &Scratch, i: usize) -> Fx {
        let slot = (self.flat.as_ref()).and_then(|f| f.slot.get(i));
        let at = slot.and_then(|&j| sc.f.get(j as usize).map(|&(m, w)| (m, flat::scale_of(w))));
        match (at, self.plan.scale.get(i)) {
            (Some((m, s)), Some(&scale)) => {
                // |m| < 2⁶³ < 10¹⁹: a value with `s` places has m = 0 beyond 18 places.
                let k = scale.saturating_sub(u32::from(s)) as usize;
                let m = match POW10.get(k) {
                    Some(&p) if k <= 18 => m / p as i64,
                    _ => 0,
                };
                Fx {
                    m: i128::from(m),
                    s: u32::from(s),
                }
            }
            _ => Fx::ZERO,
        }
    }

    #[inline]
    fn leaf(
        &self,
        lp: &plan::LeafPlan,
        kernel: &leaf::Kernel,
        leaf: &Leaf,
        sc: &mut Scratch,
    ) -> Result<(), Box<Diagnostic>> {
        let plan = &self.plan;
        let i = lp.node as usize;
        let (input, credited) = match leaf {
            Leaf::NotApplicable => {
                sc.state(i, NA);
                return Ok(());
            }
            Leaf::NotAppraised => {
                sc.state(i, MISSING);
                return Ok(());
            }
            Leaf::Missing if plan.zero_if_missing => {
                sc.set(i, Fx::ZERO, lp);
                return Ok(());
            }
            Leaf::Missing => {
                sc.state(i, MISSING);
                return Ok(());
            }
            Leaf::Value { input, credited } => (input, *credited),
        };
        let out = if !lp.fixed || matches!(input, Input::Slow(_)) {
            Out::Slow
        } else {
            leaf::run(kernel, input)
        };
        match out {
            Out::NotApplicable => sc.state(i, NA),
            Out::Points(p) => {
                let p = if !credited {
                    Fx::ZERO
                } else if plan.rounding {
                    match Fx::of(self.index.round_leaf(p.dec())) {
                        Some(r) => r,
                        None => return self.slow_leaf(kernel, i, input, credited, sc),
                    }
                } else {
                    p
                };
                if p.s > lp.scale || !sc.set(i, p, lp) {
                    sc.cells[i] = Cell::Value {
                        achieved: p.dec(),
                        max: self.index.nodes()[i].max,
                    };
                    sc.v[i].st = DEC;
                    sc.slow += 1;
                }
            }
            Out::Slow => return self.slow_leaf(kernel, i, input, credited, sc),
        }
        Ok(())
    }

    /// A leaf scored by its rule, as [`Index::evaluate`] does.
    fn slow_leaf(
        &self,
        kernel: &leaf::Kernel,
        i: usize,
        input: &Input,
        credited: bool,
        sc: &mut Scratch,
    ) -> Result<(), Box<Diagnostic>> {
        let node = &self.index.nodes()[i];
        sc.v[i].st = DEC;
        sc.slow += 1;
        let (Some(rule), Some(value)) = (&node.rule, leaf::value_of(kernel, node, input)) else {
            sc.cells[i] = if self.plan.zero_if_missing {
                Cell::Value {
                    achieved: Decimal::ZERO,
                    max: node.max,
                }
            } else {
                Cell::Missing
            };
            return Ok(());
        };
        sc.cells[i] = match rule.points(node.max, &value) {
            Ok(None) => Cell::NotApplicable,
            Ok(Some(p)) => Cell::Value {
                achieved: if credited {
                    self.index.round_leaf(p)
                } else {
                    Decimal::ZERO
                },
                max: node.max,
            },
            Err(p) => {
                return Err(Box::new(Diagnostic::error(
                    node.path.clone(),
                    Some(&node.code),
                    p,
                )))
            }
        };
        Ok(())
    }

    fn materialize_all(&self, sc: &mut Scratch) {
        for i in 0..sc.v.len() {
            // After a flat evaluation `v` is an earlier evaluation's: every cell anew.
            if sc.flat || sc.v[i].st != DEC {
                sc.cells[i] = self.cell(sc, i);
            }
        }
    }

    /// The maximum of a node in the integer state: its static maximum when nothing below
    /// it is not applicable, else the engine's sum over its applicable children.
    fn max_of(&self, sc: &Scratch, i: usize) -> Option<Decimal> {
        let node = &self.index.nodes()[i];
        if node.is_leaf() || !sc.v[i].na_below {
            return self.plan.static_max[i];
        }
        let plain = matches!(node.aggregation, crate::node::Aggregation::Sum { .. });
        let mut max_sum = Some(Decimal::ZERO);
        for (&c, &w) in node.children.iter().zip(&node.weights) {
            if sc.v[c].st == NA {
                continue;
            }
            let m = self.max_of(sc, c);
            max_sum = if plain {
                max_sum.zip(m).map(|(s, m)| s + m)
            } else {
                max_sum.zip(m).map(|(s, m)| s + w * m)
            };
        }
        max_sum
    }
}

impl Scratch {
    fn prepare(&mut self, n: usize) {
        if self.v.len() != n {
            self.v = vec![Val::MISSING; n];
            self.cells = vec![Cell::Missing; n];
        }
        self.slow = 0;
    }

    /// Node `i` missing or not applicable.
    #[inline]
    fn state(&mut self, i: usize, st: u8) {
        self.v[i].st = st;
    }

    /// Leaf `i` has points `p` (at most the leaf's scale); `false` when they do not fit
    /// the leaf's integers (then nothing is written).
    #[inline]
    fn set(&mut self, i: usize, p: Fx, lp: &plan::LeafPlan) -> bool {
        let k = (lp.scale - p.s) as usize;
        let m = if lp.narrow {
            // |p| × 10^k < 2⁶³ when the plan's bounds hold, so k ≤ 18 unless p is 0.
            match i64::try_from(p.m)
                .ok()
                .and_then(|m| m.checked_mul(POW10[k.min(18)] as i64))
            {
                Some(m) => i128::from(m),
                None => return false,
            }
        } else {
            match p.m.checked_mul(POW10[k]) {
                Some(m) => m,
                None => return false,
            }
        };
        self.v[i] = Val {
            m,
            s: p.s as u8,
            st: VALUE,
            na_below: false,
        };
        true
    }

    /// Leaf `i` has points `m` (at the leaf's scale) of scale `s`; zero when not
    /// `credited`.
    #[inline(always)]
    fn put(&mut self, i: usize, m: i64, s: u8, credited: bool) {
        self.v[i] = if credited {
            Val {
                m: i128::from(m),
                s,
                st: VALUE,
                na_below: false,
            }
        } else {
            Val {
                m: 0,
                s: 0,
                st: VALUE,
                na_below: false,
            }
        };
    }

    /// A fixed parent's result.
    #[inline]
    fn finish(&mut self, i: usize, all_na: bool, missing: bool, na_any: bool, m: i128, s: u8) {
        let v = &mut self.v[i];
        v.na_below = na_any;
        v.st = if all_na {
            NA
        } else if missing {
            MISSING
        } else {
            v.m = m;
            v.s = s;
            VALUE
        };
    }
}

impl LeafValues {
    /// Number of leaves.
    pub fn len(&self) -> usize {
        self.leaves.len()
    }

    /// Whether there are no leaves.
    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// How many leaves are read for the integer kernels (the others are scored by their
    /// rule with `Decimal`).
    pub fn fast_leaves(&self) -> usize {
        self.leaves
            .iter()
            .filter(|l| {
                !matches!(
                    l,
                    Leaf::Value {
                        input: Input::Slow(_),
                        ..
                    }
                )
            })
            .count()
    }

    /// How many leaves have a value the hot path reads (outcomes, tiers on a number,
    /// entered points, shares, counted deductions, in 64-bit integers); the others take
    /// the general path.
    pub fn hot_leaves(&self) -> usize {
        (self.hot.iter()).filter(|h| h.tag >= hot::H_CHOICE).count()
    }
}
