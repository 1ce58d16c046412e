//! [`Rule`] and [`Aggregation`] read without serde's `Content` buffer, for the browser's
//! form module (feature `lean`).
//!
//! serde derives an internally tagged enum (`#[serde(tag = "type")]`) by first buffering
//! the whole object in its private `Content` tree (the tag may come last) and then reading
//! the variant from that buffer, so every type under a rule (awards, tiers, levels, texts,
//! decimals, intervals …) is compiled a second time for the buffer's deserializer. Here
//! the object is read as a JSON map, the tag taken out, and each field deserialized from
//! its own `serde_json::Value` by the deserializer the rest of the document already uses
//! (`io/json/untracked.rs`).
//!
//! Well-formed objects give exactly what the derived implementation gives (the tests
//! below compare both on every rule and aggregation of every shipped index, and on
//! malformed variants of them); a malformed object is an error naming the field but no
//! JSON path: the form re-reads a refused file with the library's located loader.
//! Native builds keep the derived implementation, whose attributes the JSON Schema is
//! generated from.

use super::{entered, Rule};
use crate::json::untracked::Error;
use crate::json::untracked::Untracked;
use crate::node::Aggregation;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value as Json};

/// The JSON `type` of each [`Rule`] variant, for the unknown-variant message.
const RULE_TYPES: &[&str] = &[
    "yes_no",
    "timeliness",
    "tiers",
    "proportional",
    "levels",
    "deductions",
    "discretionary",
    "survey",
    "score",
];

/// The JSON `method` of each [`Aggregation`] variant.
const METHODS: &[&str] = &["sum", "weighted_sum", "weighted_mean"];

/// An object's fields once its tag is taken out, in key order (as the JSON map keeps
/// them); each is taken as it is read, what is left at the end is an unknown field (the
/// derived impls deny unknown fields). A list, not the map: the handful of fields of a
/// rule need no `BTreeMap::remove` (4.5 KB of WebAssembly) to be taken out.
struct Fields(Vec<(String, Json)>);

impl Fields {
    /// The object `d` holds, split into the string under `tag` and the other fields.
    fn read<'de, D: Deserializer<'de>>(d: D, tag: &'static str) -> Result<(String, Fields), Error> {
        let map = Map::<String, Json>::deserialize(d).map_err(Error::custom)?;
        let mut fields = Fields(map.into_iter().collect());
        let kind = match fields.take(tag) {
            Some(v) => String::deserialize(Untracked(v))?,
            None => return Err(Error::missing_field(tag)),
        };
        Ok((kind, fields))
    }

    /// The value of `key`, taken out.
    fn take(&mut self, key: &str) -> Option<Json> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// A field that must be present.
    fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, Error> {
        match self.take(key) {
            Some(v) => T::deserialize(Untracked(v)),
            None => Err(Error::missing_field(key)),
        }
    }

    /// A field that may be absent (`#[serde(default)]`).
    fn optional<T: DeserializeOwned + Default>(&mut self, key: &'static str) -> Result<T, Error> {
        self.or_else(key, T::default)
    }

    /// A field that may be absent (`#[serde(default = "…")]`).
    fn or_else<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
        default: impl FnOnce() -> T,
    ) -> Result<T, Error> {
        self.take(key)
            .map_or_else(|| Ok(default()), |v| T::deserialize(Untracked(v)))
    }

    /// `value`, unless a field was not read (`expected`: the variant's fields).
    fn end<T>(self, value: T, expected: &'static [&'static str]) -> Result<T, Error> {
        match self.0.first() {
            Some((key, _)) => Err(Error::unknown_field(key, expected)),
            None => Ok(value),
        }
    }
}

/// A [`Rule`] from any deserializer, as the derived impl reads it (without its `Content`
/// buffer).
pub(crate) fn rule<'de, D: Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
    read_rule(d).map_err(D::Error::custom)
}

fn read_rule<'de, D: Deserializer<'de>>(d: D) -> Result<Rule, Error> {
    let (kind, mut f) = Fields::read(d, "type")?;
    let (rule, fields): (_, &[&str]) = match kind.as_str() {
        "yes_no" => (
            Rule::YesNo {
                conditions: f.optional("conditions")?,
                yes: f.required("yes")?,
                no: f.required("no")?,
            },
            &["conditions", "yes", "no"],
        ),
        "timeliness" => (
            Rule::Timeliness {
                on_time: f.required("on_time")?,
                late: f.required("late")?,
                not_done: f.required("not_done")?,
            },
            &["on_time", "late", "not_done"],
        ),
        "tiers" => (
            Rule::Tiers {
                measure: f.required("measure")?,
                tiers: f.required("tiers")?,
            },
            &["measure", "tiers"],
        ),
        "proportional" => (
            Rule::Proportional {
                threshold_percent: f.optional("threshold_percent")?,
                gate: f.optional("gate")?,
                zero_denominator: f.required("zero_denominator")?,
                numerator: f.optional("numerator")?,
                denominator: f.optional("denominator")?,
            },
            &[
                "threshold_percent",
                "gate",
                "zero_denominator",
                "numerator",
                "denominator",
            ],
        ),
        "levels" => (
            Rule::Levels {
                levels: f.required("levels")?,
            },
            &["levels"],
        ),
        "deductions" => (
            Rule::Deductions {
                severities: f.required("severities")?,
            },
            &["severities"],
        ),
        "discretionary" => (
            Rule::Discretionary {
                step: f.optional("step")?,
            },
            &["step"],
        ),
        "survey" => (
            Rule::Survey {
                options: f.or_else("options", entered::default_survey_options)?,
            },
            &["options"],
        ),
        "score" => (
            Rule::Score {
                nominal: f.optional("nominal")?,
            },
            &["nominal"],
        ),
        other => return Err(Error::unknown_variant(other, RULE_TYPES)),
    };
    f.end(rule, fields)
}

/// An [`Aggregation`] from any deserializer, as the derived impl reads it (without its
/// `Content` buffer).
pub(crate) fn aggregation<'de, D: Deserializer<'de>>(d: D) -> Result<Aggregation, D::Error> {
    read_aggregation(d).map_err(D::Error::custom)
}

fn read_aggregation<'de, D: Deserializer<'de>>(d: D) -> Result<Aggregation, Error> {
    let (method, mut f) = Fields::read(d, "method")?;
    let (aggregation, fields): (_, &[&str]) = match method.as_str() {
        "sum" => (
            Aggregation::Sum {
                rescale_to_max: f.optional("rescale_to_max")?,
            },
            &["rescale_to_max"],
        ),
        "weighted_sum" => (
            Aggregation::WeightedSum {
                weights: f.required("weights")?,
                rescale_to_max: f.optional("rescale_to_max")?,
            },
            &["weights", "rescale_to_max"],
        ),
        "weighted_mean" => (
            Aggregation::WeightedMean {
                weights: f.required("weights")?,
                rescale_to_max: f.optional("rescale_to_max")?,
            },
            &["weights", "rescale_to_max"],
        ),
        other => return Err(Error::unknown_variant(other, METHODS)),
    };
    f.end(aggregation, fields)
}

// The derived impls are the reference; with `lean` they are not compiled.
#[cfg(all(test, not(feature = "lean")))]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::{Path, PathBuf};

    /// Every `rule` and `aggregation` object of every shipped index.
    fn shipped() -> (Vec<Json>, Vec<Json>) {
        let (mut rules, mut aggregations) = (Vec::new(), Vec::new());
        let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("criteria")];
        let mut files = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "json") {
                    let v: Json = read(&p);
                    if v.get("format").and_then(Json::as_str) == Some("chiso.index/1") {
                        files += 1;
                        let mut nodes: Vec<&Json> = v["nodes"].as_array().unwrap().iter().collect();
                        while let Some(n) = nodes.pop() {
                            rules.extend(n.get("rule").cloned());
                            aggregations.extend(n.get("aggregation").cloned());
                            if let Some(Json::Array(c)) = n.get("children") {
                                nodes.extend(c);
                            }
                        }
                    }
                }
            }
        }
        assert!(files >= 5, "{files} shipped indices");
        (rules, aggregations)
    }

    fn read(p: &Path) -> Json {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    }

    /// Lean and derived agree: the same value, or both refuse (and the lean reader names a
    /// field or a type whenever the derived one does).
    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
        v: &Json,
        lean: fn(Json) -> Result<T, Error>,
    ) -> bool {
        let derived = T::deserialize(v.clone());
        let ours = lean(v.clone());
        match (&derived, &ours) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{v}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{v}: derived {derived:?}, lean {ours:?}"),
        }
        derived.is_ok()
    }

    /// `v` and its malformed neighbours: each field removed, null, a string, a number, an
    /// object, plus an unknown field; the tag a number; not an object at all.
    fn neighbours(v: &Json) -> Vec<Json> {
        let mut out = vec![v.clone(), json!(null), json!("x"), json!([]), json!(3)];
        let map = v.as_object().unwrap();
        for key in map.keys() {
            for replacement in [
                None,
                Some(json!(null)),
                Some(json!("x")),
                Some(json!(1)),
                Some(json!({})),
            ] {
                let mut m = map.clone();
                match replacement {
                    Some(r) => m.insert(key.clone(), r),
                    None => m.remove(key),
                };
                out.push(Json::Object(m));
            }
        }
        let mut m = map.clone();
        m.insert("unknown".into(), json!(true));
        out.push(Json::Object(m));
        out
    }

    #[test]
    fn every_shipped_rule_reads_as_derived_and_so_do_its_malformed_neighbours() {
        let (rules, _) = shipped();
        let mut kinds: Vec<&str> = rules.iter().map(|r| r["type"].as_str().unwrap()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(
            kinds.len(),
            RULE_TYPES.len(),
            "every rule kind is shipped: {kinds:?}"
        );
        let (mut ok, mut refused) = (0, 0);
        for r in &rules {
            for v in neighbours(r) {
                if same(&v, rule) {
                    ok += 1;
                } else {
                    refused += 1;
                }
            }
        }
        // Both outcomes are reached, on many objects.
        assert!(
            ok > rules.len() && refused > 5 * rules.len(),
            "{ok} read, {refused} refused"
        );
    }

    #[test]
    fn aggregations_read_as_derived() {
        let (_, mut aggregations) = shipped();
        assert!(aggregations.len() >= 10);
        aggregations.extend([
            json!({"method": "weighted_mean", "weights": {"a": "1.5", "b": 2}}),
            json!({"method": "weighted_sum", "weights": {}, "rescale_to_max": true}),
            json!({"method": "sum", "rescale_to_max": true}),
            json!({"method": "hierarchical"}),
        ]);
        let mut ok = 0;
        for a in &aggregations {
            for v in neighbours(a) {
                ok += usize::from(same(&v, aggregation));
            }
        }
        assert!(ok > aggregations.len(), "{ok}");
    }

    #[test]
    fn defaults_and_refusals_are_the_derived_ones() {
        let r: Rule = rule(json!({"type": "survey"})).unwrap();
        assert_eq!(
            r,
            Rule::Survey {
                options: entered::default_survey_options()
            }
        );
        for bad in [
            json!({"yes": {"label": {"vi": "Có"}}}),
            json!({"type": "nope"}),
            json!({"type": 3}),
            json!({"type": "discretionary", "step": "0.25", "extra": 1}),
        ] {
            assert!(!same(&bad, rule), "{bad}");
        }
        let e = rule(json!({"type": "nope"})).unwrap_err().to_string();
        assert!(
            e.contains("unknown variant `nope`") && e.contains("yes_no"),
            "{e}"
        );
        let e = aggregation(json!({"method": "sum", "x": 1}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `x`"), "{e}");
    }
}
