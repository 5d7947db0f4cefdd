//! Git modes: what a commit adds ([`staged`]), which commit introduced each blob of a history
//! ([`introduced`]), what a push sends ([`push`]), and the plain git hooks ([`hook`]).

pub mod hook;
pub mod introduced;
pub mod push;
pub mod staged;
