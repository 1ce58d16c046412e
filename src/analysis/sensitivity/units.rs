//! The units of an analysis: a batch's rows scored once into leaf cells.

use crate::batch::{Fields, RowError, Scorer};
use crate::engine::{Cell, Index};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The units of a batch: each unit's leaf cells, ready to be re-aggregated.
#[derive(Debug, Clone)]
pub struct Units {
    pub(super) names: Vec<String>,
    pub(super) blocks: Vec<u32>,
    pub(super) block_names: Vec<String>,
    pub(super) cells: Vec<Vec<Cell>>,
    pub(super) adjust: Vec<Decimal>,
}

impl Units {
    /// Reads a batch CSV (the format of [`crate::batch`]): every row is scored, errors
    /// list every bad row.
    pub fn from_csv(index: &Index, text: &[u8], lang: Lang) -> Result<Units, Vec<RowError>> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut records = rdr.byte_records();
        let header: Vec<String> = match records.next() {
            Some(Ok(h)) => h
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
            Some(Err(e)) => return Err(vec![csv_error(1, &e)]),
            None => return Err(vec![RowError::no_units(lang)]),
        };
        let names: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut scorer = Scorer::new(index, &names, lang)?;
        let unit_col = names.iter().position(|h| h.trim() == "unit");
        let block_col = names.iter().position(|h| h.trim() == "block");
        let mut units = Units {
            names: Vec::new(),
            blocks: Vec::new(),
            block_names: Vec::new(),
            cells: Vec::new(),
            adjust: Vec::new(),
        };
        let mut block_ids: HashMap<String, u32> = HashMap::new();
        let mut errors = Vec::new();
        for (k, rec) in records.enumerate() {
            let row = k as u64 + 2;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    errors.push(csv_error(row, &e));
                    continue;
                }
            };
            let row = rec.position().map_or(row, |p| p.line());
            match scorer.score_row(row, &rec) {
                Ok(scored) => {
                    let cells = scorer.cells().to_vec();
                    let adjust = match (scored.total, cells.first().and_then(Cell::achieved)) {
                        (Some(t), Some(r)) => t - r,
                        _ => Decimal::ZERO,
                    };
                    let text = |c: Option<usize>| {
                        c.map(|c| String::from_utf8_lossy(rec.field(c)).trim().to_owned())
                    };
                    units.names.push(text(unit_col).unwrap_or_default());
                    let block = text(block_col).unwrap_or_default();
                    let next = block_ids.len() as u32;
                    let id = *block_ids.entry(block.clone()).or_insert_with(|| {
                        units.block_names.push(block);
                        next
                    });
                    units.blocks.push(id);
                    units.cells.push(cells);
                    units.adjust.push(adjust);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(units)
        } else {
            Err(errors)
        }
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Unit names, in input order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

fn csv_error(row: u64, e: &csv::Error) -> RowError {
    RowError::unreadable(row, e.to_string())
}
