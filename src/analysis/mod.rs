//! Questions analysts ask of an index: what if ([`scenario`]), what does it take
//! ([`planner`]), how robust is a ranking ([`sensitivity`]) and what changed between two
//! sets of criteria ([`diff`]).

pub mod diff;
pub mod planner;
pub mod scenario;
pub mod sensitivity;
