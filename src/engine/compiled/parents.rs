//! Parents on the general path: a fixed parent summed in 64- or 128-bit integers at
//! `Decimal`'s scale, else the engine's own aggregation on the children's cells.

use super::{plan, Compiled, Scratch, DEC, MISSING, NA, VALUE};

/// The body of a fixed parent's sum ([`Compiled::sum64`], [`Compiled::sum128`]): the
/// children's products by their coefficients added at `Decimal`'s scale, in `$int`
/// integers; `$mul`/`$add` say `None` when a result does not fit (the parent then goes
/// to `Decimal`).
macro_rules! fixed_sum {
    ($self:ident, $p:ident, $sc:ident, $coef:ident, $int:ty,
     |$m:ident, $c:ident| $mul:expr, |$sum:ident, $t:ident| $add:expr) => {{
        let plan = &$self.plan;
        let (mut all_na, mut missing, mut na_any) = (true, false, false);
        let (mut total, mut s): ($int, u8) = (0, 0);
        let range = $p.from as usize..$p.to as usize;
        let edges = plan.child[range.clone()]
            .iter()
            .zip(&plan.$coef[range.clone()])
            .zip(&plan.wscale[range]);
        for ((&c, &coef), &ws) in edges {
            let v = $sc.v[c as usize];
            na_any |= v.na_below;
            match v.st {
                VALUE => {
                    all_na = false;
                    let ($m, $c) = (v.m, coef);
                    let Some(t) = $mul else {
                        return false;
                    };
                    let ts = if $p.weighted && t == 0 { 0 } else { v.s + ws };
                    s = if total == 0 {
                        ts
                    } else if t == 0 {
                        s
                    } else {
                        s.max(ts)
                    };
                    let ($sum, $t) = (total, t);
                    let Some(x) = $add else {
                        return false;
                    };
                    total = x;
                }
                MISSING => {
                    all_na = false;
                    missing = true;
                }
                NA => na_any = true,
                _ => return false,
            }
        }
        $sc.finish(
            $p.node as usize,
            all_na,
            missing,
            na_any,
            i128::from(total),
            s,
        );
        true
    }};
}

impl Compiled {
    #[inline]
    pub(super) fn parent(&self, p: &plan::Parent, sc: &mut Scratch) {
        let i = p.node as usize;
        if p.fixed {
            let done = if p.narrow {
                self.sum64(p, sc)
            } else {
                self.sum128(p, sc)
            };
            if done {
                return;
            }
        }
        // With `Decimal`: the engine's own aggregation on the children's cells.
        let node = &self.index.nodes()[i];
        for &c in &node.children {
            if sc.v[c].st != DEC {
                sc.cells[c] = self.cell(sc, c);
            }
        }
        sc.cells[i] = crate::engine::combine(node, &sc.cells);
        sc.v[i].st = DEC;
        sc.v[i].na_below = true;
        sc.slow += 1;
    }

    /// A fixed parent in 64-bit integers; `false` when a child or the sum needs more (or
    /// `Decimal`): the node is then computed with `Decimal`.
    #[inline]
    fn sum64(&self, p: &plan::Parent, sc: &mut Scratch) -> bool {
        fixed_sum!(
            self,
            p,
            sc,
            coef64,
            i64,
            |m, coef| i64::try_from(m).ok().and_then(|m| m.checked_mul(coef)),
            |sum, t| sum.checked_add(t)
        )
    }

    /// A fixed parent in 128-bit integers ([`Compiled::sum64`]; the plan proved these
    /// products and sums fit).
    #[inline]
    fn sum128(&self, p: &plan::Parent, sc: &mut Scratch) -> bool {
        fixed_sum!(
            self,
            p,
            sc,
            coef,
            i128,
            |m, coef| Some(m * coef),
            |sum, t| Some(sum + t)
        )
    }
}
