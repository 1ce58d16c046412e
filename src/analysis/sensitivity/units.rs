//! The units of an analysis: a batch's rows scored once into leaf cells.

use crate::batch::{read_unit_cells, BatchError, Options, RowError};
use crate::engine::{Cell, Index};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::ops::ControlFlow;

/// The units of a batch: each unit's leaf cells, ready to be re-aggregated.
#[derive(Debug, Clone, Default)]
pub struct Units {
    pub(super) names: Vec<String>,
    pub(super) blocks: Vec<u32>,
    pub(super) block_names: Vec<String>,
    pub(super) cells: Vec<Vec<Cell>>,
    pub(super) adjust: Vec<Decimal>,
    warnings: Vec<RowError>,
}

impl Units {
    /// Reads a batch CSV as `chiso batch` reads it ([`read_unit_cells`]: the same limits,
    /// checks, messages and row numbers): every row is scored, the errors list every bad
    /// row; a unit repeated in its block is a warning ([`Units::warnings`]).
    pub fn from_csv(index: &Index, text: &[u8], lang: Lang) -> Result<Units, Vec<RowError>> {
        let opts = Options {
            lang,
            // Every bad row is listed (the input is already bounded by its size).
            max_errors: usize::MAX,
            ..Options::default()
        };
        let mut units = Units::default();
        let mut block_ids: HashMap<String, u32> = HashMap::new();
        let read = read_unit_cells(index, text, &opts, |u| {
            let cells = u.cells.unwrap_or_default();
            let adjust = match (u.scored.total, cells.first().and_then(Cell::achieved)) {
                (Some(t), Some(r)) => t - r,
                _ => Decimal::ZERO,
            };
            let block = u.block.unwrap_or_default();
            let next = block_ids.len() as u32;
            let id = *block_ids.entry(block.clone()).or_insert_with(|| {
                units.block_names.push(block);
                next
            });
            units.names.push(u.name);
            units.blocks.push(id);
            units.cells.push(cells);
            units.adjust.push(adjust);
            ControlFlow::Continue(())
        })
        .map_err(|e| match e {
            BatchError::Input { errors, .. } => errors,
            BatchError::Io(e) => vec![RowError::unreadable(0, e.to_string())],
        })?;
        units.warnings = read.warnings;
        Ok(units)
    }

    /// Warnings of the reading: each unit that repeats an earlier row of its block.
    pub fn warnings(&self) -> &[RowError] {
        &self.warnings
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
