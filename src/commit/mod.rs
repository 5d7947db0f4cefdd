//! Git modes: what a commit adds ([`staged`]), which commit introduced each blob of a history
//! ([`introduced`]), and the plain git pre-commit hook ([`hook`]).

pub mod hook;
pub mod introduced;
pub mod staged;
