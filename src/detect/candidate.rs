//! A candidate: a rule's match that passed validation, as the engine hands it to the scan.

use std::ops::Range;

/// A rule's match that passed validation, as a byte span of the scanned buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub rule: usize,
    pub secret: Range<usize>,
    /// A context word of the rule was seen near the secret.
    pub context_seen: bool,
    /// How near the nearest context word is (see `context::distance`); closer wins overlaps.
    pub context_distance: Option<u32>,
}
