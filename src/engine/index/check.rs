//! Checking an assessment (or one entry) against an index before scoring: every
//! problem at once, each located by JSON path and criterion code.

use super::*;

impl Index {
    /// Checks an assessment against this index: unknown codes, wrong value kinds,
    /// out-of-range values. Returns every error and warning.
    pub fn check_assessment(&self, a: &Assessment) -> Diagnostics {
        let mut out = Diagnostics::default();
        if a.index != self.def.id {
            out.push(Diagnostic::error(
                "$.index",
                None,
                Problem::IndexMismatch {
                    expected: self.def.id.clone(),
                    found: a.index.clone(),
                },
            ));
        }
        if let Some(v) = a.index_version.as_ref().filter(|v| **v != self.def.version) {
            out.push(Diagnostic::error(
                "$.index_version",
                None,
                Problem::IndexVersionMismatch {
                    expected: self.def.version.clone(),
                    found: v.clone(),
                },
            ));
        }
        if a.format != crate::assessment::ASSESSMENT_FORMAT {
            out.push(Diagnostic::error(
                "$.format",
                None,
                Problem::WrongFormat {
                    expected: crate::assessment::ASSESSMENT_FORMAT.into(),
                    found: a.format.clone(),
                },
            ));
        }
        if let Some(y) = a.year {
            if !self.def.years.contains(y) {
                out.push(Diagnostic::warning(
                    "$.year",
                    None,
                    Problem::NotAnIndexForYear { year: y },
                ));
            }
        }
        let excluded = self.excluded(a.unit_type.as_deref());
        if let Some(t) = &a.unit_type {
            if self.unit_type(t).is_none() {
                out.push(Diagnostic::error(
                    "$.unit_type",
                    None,
                    Problem::UnknownUnitType {
                        unit_type: t.clone(),
                        allowed: self.def.unit_types.iter().map(|u| u.code.clone()).collect(),
                    },
                ));
            }
        }
        for (code, entry) in &a.entries {
            let excluded_here = self
                .by_code
                .get(code.as_str())
                .and_then(|&p| excluded.get(p))
                .copied()
                .unwrap_or(false);
            if let (Some(t), true) = (&a.unit_type, excluded_here) {
                // Declared not applicable to the unit type: the values are not used.
                if entry.layers().next().is_some() {
                    out.push(Diagnostic::warning(
                        crate::json::path::keyed("entries", code),
                        Some(code),
                        Problem::ValuesIgnoredUnitType {
                            unit_type: t.clone(),
                        },
                    ));
                }
                continue;
            }
            out.0.extend(self.check_entry(code, entry).0);
        }
        for (code, entry) in &a.adjustments {
            let path = crate::json::path::keyed("adjustments", code);
            let c = Some(code.as_str());
            let Some(adj) = self.def.adjustments.iter().find(|x| &x.code == code) else {
                out.push(Diagnostic::error(path, c, Problem::UnknownAdjustment));
                continue;
            };
            for (layer, le) in entry.layers() {
                let lpath = format!("{path}.{}.value", layer.key());
                match le.value {
                    Value::Points(p) if p >= Decimal::ZERO && p <= adj.cap => {}
                    Value::Points(p) => out.push(Diagnostic::error(
                        lpath,
                        c,
                        Problem::OutOfRange {
                            value: p,
                            range: format!(
                                "0 – {}",
                                crate::display::plain(adj.cap, crate::Lang::Vi)
                            ),
                        },
                    )),
                    ref v => out.push(Diagnostic::error(
                        lpath,
                        c,
                        Problem::WrongValueKind {
                            expected: vec![crate::assessment::ValueKind::Points],
                            found: v.kind(),
                        },
                    )),
                }
            }
        }
        out
    }

    /// Checks one entry of an assessment (the criterion `code`): unknown code, values on a
    /// parent, layers the criterion's channel ignores, values its rule rejects or flags.
    /// [`Index::check_assessment`] runs this for every entry; a form re-checks only the
    /// entry that changed.
    pub fn check_entry(&self, code: &str, entry: &Entry) -> Diagnostics {
        let mut out = Diagnostics::default();
        let path = crate::json::path::keyed("entries", code);
        let c = Some(code);
        let Some(&i) = self.by_code.get(code).filter(|&&i| i != 0) else {
            out.push(Diagnostic::error(path, c, Problem::UnknownCode));
            return out;
        };
        let node = &self.nodes[i];
        let has_layers = entry.layers().next().is_some();
        if entry.not_applicable.is_some() {
            if has_layers {
                out.push(Diagnostic::warning(
                    path,
                    c,
                    Problem::ValuesIgnoredNotApplicable,
                ));
            }
            return out;
        }
        if !node.is_leaf() {
            if has_layers {
                out.push(Diagnostic::error(path, c, Problem::ValueOnParent));
            }
            return out;
        }
        let Some(rule) = &node.rule else { return out };
        for (layer, le) in entry.layers() {
            let lpath = format!("{path}.{}.value", layer.key());
            let used = match node.channel {
                Channel::Appraised => layer != Layer::Survey,
                Channel::Survey => layer == Layer::Survey,
            };
            if !used {
                out.push(Diagnostic::warning(
                    format!("{path}.{}", layer.key()),
                    c,
                    Problem::LayerIgnored {
                        layer: layer.key().into(),
                    },
                ));
                continue;
            }
            if let Err(p) = rule.points(node.max, &le.value) {
                out.push(Diagnostic::error(lpath.clone(), c, p));
            }
            for w in rule.warnings(&le.value) {
                out.push(Diagnostic::warning(lpath.clone(), c, w));
            }
        }
        out
    }
}
