//! A candidate: a rule's match that passed validation, as the engine hands it to the scan.

use std::ops::Range;

use super::context::rank::Rank;

/// A rule's match that passed validation, as a byte span of the scanned buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub rule: usize,
    pub secret: Range<usize>,
    /// A context word of the rule was seen near the secret.
    pub context_seen: bool,
    /// How well the nearest context word explains the secret (see
    /// [`distance`](super::context::rank::distance)); the better rank wins overlaps.
    pub context_rank: Option<Rank>,
    /// Whether the provider's checksum holds; `None` when the rule has no checksum.
    pub checksum: Option<bool>,
}
