//! The batch of a rank target, as the target needs it: the other units' totals.

use crate::assessment::Assessment;
use crate::diagnostics::Diagnostics;
use crate::engine::Index;
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
    pub fn from_assessments(
        index: &Index,
        a: &Assessment,
        units: &[Assessment],
        view: View,
    ) -> Result<Rivals, Diagnostics> {
        let mut r = Rivals::for_unit(a);
        let mut errors = Diagnostics::default();
        for u in units {
            let same = block_key(u.unit.block.as_deref()) == r.block.as_deref();
            if !same || u.unit.name == r.name {
                r.push(&u.unit.name, u.unit.block.as_deref(), None, None);
                continue;
            }
            match index.score(u, view) {
                Ok(x) => r.push(
                    &u.unit.name,
                    u.unit.block.as_deref(),
                    x.total.achieved,
                    x.total.applicable_max,
                ),
                Err(d) => errors.0.extend(d.0),
            }
        }
        if errors.has_errors() {
            return Err(errors);
        }
        Ok(r)
    }
}
