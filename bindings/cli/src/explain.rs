//! `chiso explain`: why a criterion has its points — the library's explanation
//! ([`chiso::explain`]), so the CLI, the web form and a Rust service say the same.

pub use chiso::explain::explain;
