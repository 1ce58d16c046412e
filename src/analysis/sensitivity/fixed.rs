//! A unit's total in integers: the compiled evaluator's exact decimal arithmetic
//! ([`Fx`], which follows `Decimal`'s values and scales and refuses where `Decimal` would
//! round) applied to [`Model::total`]'s steps in the same order, so every total, and so
//! every rank, is the one `Decimal` gives. An operation `Decimal` would round (a mean
//! that does not terminate, a product beyond 28 decimals) is done by `Decimal` itself and
//! the integers carry on from its result; `None` (an overflow) sends the unit to
//! [`Model::total`], which reports it.

use super::model::{f64_to_decimal_12, Kind, Model, Scenario};
use super::spec::{AggregationChoice, InputMode};
use crate::engine::{Cell, Fx};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

const ONE: Fx = Fx { m: 1, s: 0 };

/// A cell in integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FxCell {
    Missing,
    NotApplicable,
    Value { achieved: Fx, max: Option<Fx> },
}

impl FxCell {
    pub(super) fn of(c: Cell) -> FxCell {
        match c {
            Cell::Missing => FxCell::Missing,
            Cell::NotApplicable => FxCell::NotApplicable,
            Cell::Value { achieved, max } => FxCell::Value {
                achieved: super::model::fx(achieved),
                max: max.map(super::model::fx),
            },
        }
    }
}

/// `Decimal::min(a, b)`: `a` unless `a > b`.
fn min(a: Fx, b: Fx) -> Fx {
    if a.cmp_value(b).is_gt() {
        b
    } else {
        a
    }
}

/// `a ÷ b` as `Decimal` computes it: in integers when the quotient is exact, else by
/// `Decimal` itself (any decimal is an [`Fx`], so the integers carry on from there).
fn div(a: Fx, b: Fx) -> Option<Fx> {
    a.div(b)
        .or_else(|| a.dec().checked_div(b.dec()).map(super::model::fx))
}

/// `a + b` as `Decimal` computes it (by `Decimal` itself where it rounds).
fn add(a: Fx, b: Fx) -> Option<Fx> {
    a.add(b)
        .or_else(|| a.dec().checked_add(b.dec()).map(super::model::fx))
}

/// `a × b` as `Decimal` computes it (by `Decimal` itself where it rounds).
fn mul(a: Fx, b: Fx) -> Option<Fx> {
    a.mul(b)
        .or_else(|| a.dec().checked_mul(b.dec()).map(super::model::fx))
}

/// `Decimal::to_f64` of `x`, bit for bit: its own steps in 64-bit integers when the
/// mantissa and the power of ten fit them (the conversions of equal integers to `f64`
/// are equal), else `Decimal` itself.
pub(super) fn f64_of(x: Fx) -> Option<f64> {
    let (Ok(m), true) = (u64::try_from(x.m), x.s <= 19) else {
        return x.dec().to_f64();
    };
    if x.s == 0 {
        return Some(m as f64);
    }
    let precision = POW10_U64[x.s as usize];
    let (integral, frac) = (m / precision, m % precision);
    let frac = frac as f64 / precision as f64;
    if frac == 0.0 {
        return Some(integral as f64);
    }
    let round_to = 10f64.powi(x.s as i32);
    Some(((integral as f64 + frac) * round_to).round() / round_to)
}

const POW10_U64: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

impl Model<'_> {
    /// [`Model::total`] in integers; `None` when `Decimal` would round or overflow
    /// somewhere (the caller then runs [`Model::total`]).
    pub(super) fn total_fx(
        &self,
        u: usize,
        sc: &Scenario,
        buf: &mut Vec<FxCell>,
    ) -> Option<Option<Decimal>> {
        buf.clear();
        buf.extend_from_slice(&self.fx_cells[u]);
        for (p, mode, shifts) in &sc.inputs {
            if let FxCell::Value { achieved, max } = buf[*p] {
                let d = shifts[u];
                let mut v = match mode {
                    InputMode::Add => add(achieved, d)?,
                    InputMode::Scale => mul(achieved, add(ONE, d)?)?,
                };
                if v.m < 0 {
                    v = Fx::ZERO;
                }
                if let Some(m) = max {
                    v = min(v, m);
                }
                buf[*p] = FxCell::Value { achieved: v, max };
            }
        }
        for &p in &self.parents_rev {
            buf[p] = self.combine_fx(p, buf, sc)?;
        }
        Some(match buf[0] {
            FxCell::Value { achieved, .. } => {
                let t = add(achieved, super::model::fx(self.units.adjust[u]))?;
                Some(t.max(Fx::ZERO).dec())
            }
            _ => None,
        })
    }

    /// [`Model::combine`] in integers.
    fn combine_fx(&self, p: usize, cells: &[FxCell], sc: &Scenario) -> Option<FxCell> {
        let node = &self.index.nodes()[p];
        let kind = match sc.choice[p] {
            None | Some(AggregationChoice::Declared) => self.declared[p],
            Some(AggregationChoice::Sum) => Kind::Sum,
            Some(AggregationChoice::Mean) => Kind::Mean,
            Some(AggregationChoice::GeometricMean) => Kind::Geometric,
        };
        let (mut all_na, mut missing, mut zero) = (true, false, false);
        let mut sum = Fx::ZERO;
        let mut max_sum = Some(Fx::ZERO);
        let mut wsum = Fx::ZERO;
        let (mut lsum, mut lmax, mut wf) = (0f64, Some(0f64), 0f64);
        for &c in &node.children {
            let w = sc.weight[c];
            match cells[c] {
                FxCell::NotApplicable => {}
                FxCell::Missing => {
                    all_na = false;
                    missing = true;
                }
                FxCell::Value { achieved, max } => {
                    all_na = false;
                    wsum = add(wsum, w)?;
                    if kind == Kind::Geometric {
                        let wv = sc.wf[c]?;
                        wf += wv;
                        if achieved.m <= 0 {
                            zero = true;
                        } else {
                            lsum += wv * f64_of(achieved)?.ln();
                        }
                        lmax = match (lmax, max) {
                            (Some(l), Some(m)) if m.m > 0 => Some(l + wv * f64_of(m)?.ln()),
                            _ => None,
                        };
                    } else if sc.one[c] {
                        sum = add(sum, achieved)?;
                        max_sum = match (max_sum, max) {
                            (Some(s), Some(m)) => Some(add(s, m)?),
                            _ => None,
                        };
                    } else {
                        sum = add(sum, mul(w, achieved)?)?;
                        max_sum = match (max_sum, max) {
                            (Some(s), Some(m)) => Some(add(s, mul(w, m)?)?),
                            _ => None,
                        };
                    }
                }
            }
        }
        if all_na {
            return Some(FxCell::NotApplicable);
        }
        if missing {
            return Some(FxCell::Missing);
        }
        let (mut achieved, mut max) = match kind {
            Kind::Sum => (sum, max_sum),
            Kind::Mean if wsum.m != 0 => (
                div(sum, wsum)?,
                match max_sum {
                    Some(m) => Some(div(m, wsum)?),
                    None => None,
                },
            ),
            Kind::Mean => (sum, max_sum),
            Kind::Geometric => {
                let g = |l: f64| -> Option<Fx> {
                    if wf > 0.0 {
                        Fx::of(f64_to_decimal_12((l / wf).exp())?)
                    } else {
                        Some(Fx::ZERO)
                    }
                };
                let a = if zero { Fx::ZERO } else { g(lsum)? };
                let m = match lmax {
                    Some(l) => Some(g(l)?),
                    None => None,
                };
                (a, m)
            }
        };
        if node.aggregation.rescales() {
            if let (Some(target), Some(m)) = (node.max, max) {
                if m.m != 0 {
                    achieved = mul(div(achieved, m)?, Fx::of(target)?)?;
                }
                max = Some(Fx::of(target)?);
            }
        }
        Some(FxCell::Value { achieved, max })
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{Buffers, MATRIX_UA};
    use super::super::{parse_spec, Units};
    use super::*;
    use crate::engine::Index;

    #[test]
    fn to_f64_is_decimal_to_f64_bit_for_bit() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..200_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = if i % 3 == 0 {
                x % 1_000_000_000
            } else {
                x >> (i % 40)
            };
            let s = (i % 29) as u32;
            let d = Decimal::from_i128_with_scale(i128::from(m), s);
            let fx = Fx {
                m: i128::from(m),
                s,
            };
            assert_eq!(
                f64_of(fx).map(f64::to_bits),
                d.to_f64().map(f64::to_bits),
                "{d}"
            );
        }
    }

    /// The integer totals equal the `Decimal` ones (value and scale) in every scenario
    /// where they are computed, and they are computed in most.
    #[test]
    fn integer_totals_equal_decimal_totals() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let index = Index::from_file(format!("{dir}/criteria/papi/papi-2021-2024.json").as_ref())
            .expect("index");
        let csv = std::fs::read(format!("{dir}/examples-data/papi-2023-sample.csv")).expect("csv");
        let units = Units::from_csv(&index, &csv, crate::Lang::En).expect("units");
        let leaves: Vec<String> = index
            .leaves()
            .map(|i| format!("\"{}\"", index.nodes()[i].code))
            .collect();
        let spec = parse_spec(&format!(
            r#"{{"format": "chiso.sensitivity/1", "assumptions": [
            {{"kind": "weights", "name": "w", "noise": "0.35"}},
            {{"kind": "inputs", "name": "add", "from": "-0.5", "to": "0.25", "codes": [{}]}},
            {{"kind": "inputs", "name": "scale", "mode": "scale", "from": "-0.3", "to": "0.1", "codes": [{}]}},
            {{"kind": "aggregation", "name": "a", "alternatives": ["declared", "sum", "mean", "geometric_mean"]}}]}}"#,
            leaves[..leaves.len() / 2].join(","),
            leaves[leaves.len() / 2..].join(",")
        ))
        .expect("spec");
        let model = Model::new(&index, &units, &spec, 7).expect("model");
        let mut buf = Buffers::default();
        let (mut integer, mut decimal) = (0, 0);
        for row in 0..300 {
            let sc = model.scenario(row, &|_| MATRIX_UA);
            for u in 0..units.len() {
                let want = model.total_for_test(u, &sc, &mut buf.cells);
                match model.total_fx(u, &sc, &mut buf.fx) {
                    Some(got) => {
                        integer += 1;
                        let show = |x: Option<Option<Decimal>>| x.map(|t| t.map(|t| t.to_string()));
                        assert_eq!(show(Some(got)), show(want), "row {row}, unit {u}");
                    }
                    None => decimal += 1,
                }
            }
        }
        assert!(
            integer > 10 * decimal.max(1),
            "{integer} in integers, {decimal} not"
        );
    }
}
