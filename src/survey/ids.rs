//! Respondent ids seen so far, per unit: duplicate detection with one arena of id bytes
//! and a map keyed by a randomly keyed 64-bit hash, without an allocation per id. Two
//! different ids with the same hash (vanishingly rare) are told apart exactly.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// Keys are already hashes: pass them through.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

/// One id seen: where its bytes are, its unit and its first row.
struct Entry {
    start: usize,
    len: u32,
    unit: u32,
    row: u64,
}

/// The ids seen so far.
#[derive(Default)]
pub(crate) struct Ids {
    state: RandomState,
    arena: Vec<u8>,
    entries: Vec<Entry>,
    by_hash: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    /// Ids whose hash is taken by another id (exact keys).
    collided: HashMap<(u32, Box<str>), u64>,
}

impl Ids {
    /// Records `id` of `unit` first seen at `row`; if it was seen before, returns the
    /// row where it was first seen (and records nothing).
    pub(crate) fn insert(&mut self, unit: u32, id: &str, row: u64) -> Option<u64> {
        let h = self.state.hash_one((unit, id));
        match self.by_hash.get(&h) {
            None => {
                let idx = u32::try_from(self.entries.len()).ok()?;
                self.entries.push(Entry {
                    start: self.arena.len(),
                    len: id.len() as u32,
                    unit,
                    row,
                });
                self.arena.extend_from_slice(id.as_bytes());
                self.by_hash.insert(h, idx);
                None
            }
            Some(&idx) => {
                let e = &self.entries[idx as usize];
                let bytes = &self.arena[e.start..e.start + e.len as usize];
                if e.unit == unit && bytes == id.as_bytes() {
                    return Some(e.row);
                }
                match self.collided.get(&(unit, Box::from(id))) {
                    Some(&first) => Some(first),
                    None => {
                        self.collided.insert((unit, Box::from(id)), row);
                        None
                    }
                }
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn duplicates_within_a_unit_only() {
        let mut ids = Ids::default();
        assert_eq!(ids.insert(0, "R1", 2), None);
        assert_eq!(ids.insert(1, "R1", 3), None);
        assert_eq!(ids.insert(0, "R2", 4), None);
        assert_eq!(ids.insert(0, "R1", 5), Some(2));
        assert_eq!(ids.insert(1, "R1", 6), Some(3));
        assert_eq!(ids.insert(0, "R1", 7), Some(2));
    }

    #[test]
    fn colliding_hashes_are_told_apart() {
        // Force every id onto one hash slot by pre-filling it.
        let mut ids = Ids::default();
        assert_eq!(ids.insert(0, "a", 2), None);
        let h = ids.state.hash_one((0u32, "b"));
        ids.by_hash.insert(h, 0); // "b" now looks like "a"'s slot
        assert_eq!(ids.insert(0, "b", 3), None);
        assert_eq!(ids.insert(0, "b", 4), Some(3));
        assert_eq!(ids.insert(0, "a", 5), Some(2));
    }
}
