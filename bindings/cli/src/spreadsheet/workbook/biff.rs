//! Excel 97–2003 (.xls) files, checked before calamine opens them.

use chiso::Diagnostics;
use std::io::{Read, Seek};

/// Checks an .xls file before calamine allocates its sheets.
pub(super) fn check<R: Read + Seek>(_file: &mut R) -> Result<(), Diagnostics> {
    Ok(())
}
