//! The batch of a rank target, as the target needs it: the other units' totals.

use crate::assessment::Assessment;
use crate::diagnostics::Diagnostics;
use crate::engine::{Compiled, Index, Scratch};
use crate::inputs::Inputs;
use crate::ranking::percent_of;
use crate::result::View;
use rust_decimal::Decimal;

/// What a rank target needs from the batch: for each other unit of the planned unit's
/// block, its exact total and applicable maximum and its place in the batch — no
/// assessment, no tree. Built while the batch streams by ([`Rivals::push`]), so `chiso
/// plan --batch` holds a few numbers per unit, not every unit's assessment.
///
/// ```
/// use chiso::planner::Rivals;
/// let a = chiso::Assessment { unit: chiso::assessment::Unit { name: "B".into(), id: None, block: None }, ..Default::default() };
/// let mut r = Rivals::for_unit(&a);
/// r.push("A", None, Some(5.into()), Some(10.into()));
/// r.push("B", None, Some(4.into()), Some(10.into())); // the planned unit: its place only
/// r.push("C", Some("k2"), Some(9.into()), Some(10.into())); // another block
/// assert_eq!(r.len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Rivals {
    name: String,
    block: Option<String>,
    /// The planned unit's first place in the batch, when it is there.
    pub(super) own_place: Option<usize>,
    /// (total, applicable maximum, place) of the other units of the block with a total.
    pub(super) rivals: Vec<(Decimal, Option<Decimal>, usize)>,
    /// Units seen.
    seen: usize,
}

/// A unit's total and applicable maximum in `view` (`total.achieved`,
/// `total.applicable_max` of [`Index::score`]) from the compiled plan; `None` when
/// [`Index::score`] has to decide: it refuses a unit for an error in any view, or a
/// percent that overflows, and reports every problem — the plan only says that there
/// is none.
fn compiled_total(
    plan: &Compiled,
    u: &Assessment,
    view: View,
    scratch: &mut Scratch,
) -> Option<(Option<Decimal>, Option<Decimal>)> {
    let mut out = None;
    // Every view, as `Index::score` refuses a unit for an error in any; checked once.
    for (v, inputs) in Inputs::resolve_views(plan.index(), u).ok()? {
        let values = plan.read(&inputs);
        let total = plan.evaluate(&values, scratch).ok()?;
        if v == view {
            let max = plan.cell(scratch, 0).max();
            if let (Some(x), Some(m)) = (total, max) {
                if !m.is_zero() && percent_of(x, Some(m)).is_none() {
                    return None;
                }
            }
            out = Some((total, max));
        }
    }
    out
}

/// A block name, with an empty name meaning no block.
fn block_key(b: Option<&str>) -> Option<&str> {
    b.filter(|b| !b.is_empty())
}

impl Rivals {
    /// The rivals of the unit `a` names (in its block), none seen yet.
    pub fn for_unit(a: &Assessment) -> Rivals {
        Rivals {
            name: a.unit.name.clone(),
            block: block_key(a.unit.block.as_deref()).map(str::to_owned),
            ..Rivals::default()
        }
    }

    /// Takes in the next unit of the batch (in batch order): its name, block, total and
    /// applicable maximum in the view planned. Units of other blocks only take a place;
    /// the planned unit itself (by name) is not its own rival.
    pub fn push(
        &mut self,
        name: &str,
        block: Option<&str>,
        total: Option<Decimal>,
        max: Option<Decimal>,
    ) {
        let place = self.seen;
        self.seen += 1;
        if block_key(block) != self.block.as_deref() {
            return;
        }
        if name == self.name {
            self.own_place = Some(self.own_place.map_or(place, |p| p.min(place)));
            return;
        }
        if let Some(t) = total {
            self.rivals.push((t, max, place));
        }
    }

    /// Whether the unit named `name` in `block` is a rival whose total counts (the
    /// caller can skip scoring the others).
    pub fn wants(&self, name: &str, block: Option<&str>) -> bool {
        block_key(block) == self.block.as_deref() && name != self.name
    }

    /// Rivals with a total (the other units of the block).
    pub fn len(&self) -> usize {
        self.rivals.len()
    }

    /// Whether no other unit of the block has a total.
    pub fn is_empty(&self) -> bool {
        self.rivals.is_empty()
    }

    /// The rivals of `a` among `units`, each scored in `view`; every unit's errors.
    /// Totals come from the index compiled once ([`Compiled`]), the same numbers as
    /// [`Index::score`]; a unit with a problem is scored by [`Index::score`] for its
    /// errors.
    pub fn from_assessments(
        index: &Index,
        a: &Assessment,
        units: &[Assessment],
        view: View,
    ) -> Result<Rivals, Diagnostics> {
        let mut r = Rivals::for_unit(a);
        let mut errors = Diagnostics::default();
        let mut plan: Option<Compiled> = None;
        let mut scratch = Scratch::default();
        for u in units {
            let same = block_key(u.unit.block.as_deref()) == r.block.as_deref();
            if !same || u.unit.name == r.name {
                r.push(&u.unit.name, u.unit.block.as_deref(), None, None);
                continue;
            }
            let plan = plan.get_or_insert_with(|| Compiled::new(index));
            let scored = match compiled_total(plan, u, view, &mut scratch) {
                Some(t) => Ok(t),
                None => index
                    .score(u, view)
                    .map(|x| (x.total.achieved, x.total.applicable_max)),
            };
            match scored {
                Ok((total, max)) => r.push(&u.unit.name, u.unit.block.as_deref(), total, max),
                Err(d) => errors.0.extend(d.0),
            }
        }
        if errors.has_errors() {
            return Err(errors);
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{LayerEntry, Value};

    /// The compiled totals are `Index::score`'s, and the plan defers to it whenever it
    /// refuses the unit — here for bad values in every layer, one leaf at a time.
    #[test]
    fn compiled_totals_are_score_totals_or_defer_to_score() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
        let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
        let text =
            std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
        let base = crate::load::assessment(&text).unwrap();
        let plan = Compiled::new(&index);
        let mut scratch = Scratch::default();
        let odd = [
            Value::Number(Decimal::new(-5, 0)),
            Value::Number(Decimal::new(3, 1)),
            Value::YesNo(true),
            Value::Option("zzz".into()),
            Value::Percent(Decimal::new(150, 0)),
        ];
        let mut variants = vec![base.clone()];
        for leaf in index.leaves() {
            let code = &index.nodes()[leaf].code;
            for (k, v) in odd.iter().enumerate() {
                let mut a = base.clone();
                let e = a.entries.entry(code.clone()).or_default();
                let layer = Some(LayerEntry::new(v.clone()));
                match k % 3 {
                    0 => e.self_assessment = layer,
                    1 => e.appraisal_1 = layer,
                    _ => e.survey = layer,
                }
                variants.push(a);
            }
        }
        let (mut agreed, mut deferred) = (0, 0);
        for a in &variants {
            for view in [View::SelfAssessment, View::Appraised, View::Final] {
                let score = index.score(a, view);
                match compiled_total(&plan, a, view, &mut scratch) {
                    Some(t) => {
                        let s = score
                            .as_ref()
                            .expect("the plan accepts only what score does");
                        let show = |x: Option<Decimal>| x.map(|x| x.to_string());
                        assert_eq!(
                            (show(t.0), show(t.1)),
                            (show(s.total.achieved), show(s.total.applicable_max))
                        );
                        agreed += 1;
                    }
                    None => deferred += 1,
                }
            }
        }
        assert!(
            agreed > 10 && deferred > 10,
            "{agreed} agreed, {deferred} deferred"
        );
    }
}
