//! Detection: finds the believable secrets in one buffer. The [`engine`] searches every rule's
//! [`keywords`] in one pass and runs regexes only around the hits; [`validate`] keeps the
//! believable matches, asking [`context`] whether a context word explains prefixless keys; the
//! survivors leave as [`candidate::Candidate`]s. [`check`] runs rules against their examples.

pub mod candidate;
pub mod check;
pub mod context;
pub mod engine;
pub mod keywords;
pub mod validate;
