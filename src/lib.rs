//! keysift: finds API keys and other credentials in source trees, staged changes and history.
//!
//! Data flows one way: a source (directory walk) yields blobs; the [`engine`] finds candidates
//! in one pass per blob; [`validate`] keeps the believable ones; [`scan`] turns them into
//! [`finding::Finding`]s; a [`report`] prints them; [`exit::ExitStatus`] follows from them.

pub mod baseline;
pub mod commit;
pub mod config;
pub mod detect;
pub mod diagnostic;
pub mod exit;
pub mod finding;
pub mod lines;
pub mod outcome;
pub mod progress;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod verify;
