//! The unit tree from `DonViXuLy` codes: codes nest by prefix at `.` (reference §11.1,
//! TD `Catalog.Groups.MaDinhDanh`; Gia Lai `H21` → `H21.17` department, `H21.227`
//! commune). Every ancestor of a code in the file is a unit of the tree even when no
//! dossier names it; its figures are the sums of its own dossiers and all its
//! descendants' (declared in every output as a roll-up).

use crate::records::limits::{MAX_UNITS, MAX_UNIT_DEPTH};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A unit of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitNode {
    /// `DonViXuLy` code.
    pub code: String,
    /// `TenDonViXuLy` (the first non-empty one seen), empty when unknown.
    pub name: String,
    /// Parent unit (the code up to its last `.`).
    #[serde(skip)]
    pub parent: Option<u32>,
    /// Depth: a code without `.` is 1.
    pub depth: u8,
    /// Whether some dossier names this unit itself.
    pub own_dossiers: bool,
    /// Number of child units.
    pub children: u32,
}

/// Why a unit code is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitCodeProblem {
    /// Empty, spaces, or an empty segment (`H21..17`, `.H21`, `H21.`).
    Malformed,
    /// Deeper than [`MAX_UNIT_DEPTH`].
    TooDeep,
    /// More than [`MAX_UNITS`] units.
    TooMany,
}

/// Units by code, with their ancestors.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    ids: HashMap<Box<str>, u32>,
    units: Vec<UnitNode>,
}

impl UnitTree {
    /// An empty tree.
    pub fn new() -> UnitTree {
        UnitTree::default()
    }

    /// The id of `code`, adding it and its ancestors when new; `name` fills an empty
    /// name. Marks the unit as having its own dossiers.
    ///
    /// ```
    /// let mut t = chiso::records::UnitTree::new();
    /// let c = t.intern("H21.227", "UBND xã Vân Canh").unwrap();
    /// let p = t.get(c).parent.unwrap();
    /// assert_eq!(t.get(p).code, "H21");
    /// assert!(!t.get(p).own_dossiers);
    /// assert_eq!(t.len(), 2);
    /// ```
    pub fn intern(&mut self, code: &str, name: &str) -> Result<u32, UnitCodeProblem> {
        if let Some(&id) = self.ids.get(code) {
            let u = &mut self.units[id as usize];
            u.own_dossiers = true;
            if u.name.is_empty() && !name.is_empty() {
                u.name = name.to_owned();
            }
            return Ok(id);
        }
        if code.is_empty()
            || code.chars().any(char::is_whitespace)
            || code.split('.').any(str::is_empty)
        {
            return Err(UnitCodeProblem::Malformed);
        }
        let depth = code.split('.').count();
        if depth > MAX_UNIT_DEPTH {
            return Err(UnitCodeProblem::TooDeep);
        }
        if self.units.len() + depth > MAX_UNITS {
            return Err(UnitCodeProblem::TooMany);
        }
        let id = self.add(code)?;
        let u = &mut self.units[id as usize];
        u.own_dossiers = true;
        u.name = name.to_owned();
        Ok(id)
    }

    /// Adds `code` (known to be well formed and new, or an ancestor) and its ancestors.
    fn add(&mut self, code: &str) -> Result<u32, UnitCodeProblem> {
        if let Some(&id) = self.ids.get(code) {
            return Ok(id);
        }
        let parent = match code.rsplit_once('.') {
            Some((p, _)) => Some(self.add(p)?),
            None => None,
        };
        let depth = parent.map_or(1, |p| self.units[p as usize].depth + 1);
        let id = u32::try_from(self.units.len()).map_err(|_| UnitCodeProblem::TooMany)?;
        if let Some(p) = parent {
            self.units[p as usize].children += 1;
        }
        self.units.push(UnitNode {
            code: code.to_owned(),
            name: String::new(),
            parent,
            depth,
            own_dossiers: false,
            children: 0,
        });
        self.ids.insert(code.into(), id);
        Ok(id)
    }

    /// The unit with id `id`.
    pub fn get(&self, id: u32) -> &UnitNode {
        &self.units[id as usize]
    }

    /// The id of `code`.
    pub fn id(&self, code: &str) -> Option<u32> {
        self.ids.get(code).copied()
    }

    /// Number of units (with ancestors).
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there is no unit.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Every unit.
    pub fn units(&self) -> &[UnitNode] {
        &self.units
    }

    /// `id` and its ancestors, nearest first.
    pub fn chain(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(id), move |&u| self.units[u as usize].parent)
    }

    /// Ids in tree order: parents before children, siblings by code (numeric segments
    /// compared as numbers: `H21.3` < `H21.17` < `H21.227`).
    pub fn tree_order(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.units.len() as u32).collect();
        ids.sort_by(|&a, &b| {
            code_order(&self.units[a as usize].code, &self.units[b as usize].code)
        });
        ids
    }
}

/// Segment-wise order of unit codes; numeric segments compare as numbers.
pub fn code_order(a: &str, b: &str) -> Ordering {
    let mut x = a.split('.');
    let mut y = b.split('.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n).then_with(|| p.cmp(q)),
                    _ => p.cmp(q),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ancestors_and_order() {
        let mut t = UnitTree::new();
        let a = t.intern("H21.227", "xã Vân Canh").unwrap();
        t.intern("H21.17", "Sở VH-TT-DL").unwrap();
        t.intern("H21.3.1", "").unwrap();
        t.intern("H21", "UBND tỉnh Gia Lai").unwrap();
        assert_eq!(t.len(), 5);
        let codes: Vec<_> = t
            .tree_order()
            .into_iter()
            .map(|i| t.get(i).code.clone())
            .collect();
        assert_eq!(codes, ["H21", "H21.3", "H21.3.1", "H21.17", "H21.227"]);
        let h21 = t.id("H21").unwrap();
        assert_eq!(t.get(h21).children, 3);
        assert!(t.get(h21).own_dossiers);
        assert_eq!(t.get(h21).name, "UBND tỉnh Gia Lai");
        assert!(!t.get(t.id("H21.3").unwrap()).own_dossiers);
        assert_eq!(t.chain(a).count(), 2);
        for bad in ["", "H21..1", ".H21", "H21.", "H 21"] {
            assert_eq!(t.intern(bad, ""), Err(UnitCodeProblem::Malformed), "{bad}");
        }
        let deep = ["a"; MAX_UNIT_DEPTH + 1].join(".");
        assert_eq!(t.intern(&deep, ""), Err(UnitCodeProblem::TooDeep));
    }
}
