//! keysift: finds API keys and other credentials in source trees, staged changes and history.
//!
//! Data flows one way. A [`source`] yields blobs (directory walk, git index, history objects);
//! the [`scan`] hands each to [`detect`], whose engine finds candidates in one pass and whose
//! validation keeps the believable ones; the scan turns them into [`finding::Finding`]s and
//! gathers an [`outcome::Outcome`]; [`verify`] may check them with their providers; a
//! [`report`] prints them; [`exit::ExitStatus`] follows from them. The git modes in
//! [`commit`] (staged changes, history attribution, the hook) drive the scan.
//!
//! Layers, top down; an import points only down or within its layer (`tests/layering.rs`
//! holds this list and enforces it):
//!
//! 1. `main` (binary), 2. `app` (wiring per subcommand), 3. `cli`,
//! 4. [`commit`], 5. [`scan`], 6. [`report`], [`verify`], [`progress`], 7. [`outcome`],
//! 8. [`detect`], 9. [`decode`], [`source`], 10. [`rules`], [`config`], [`finding`], [`baseline`],
//! 11. leaves: [`lines`], [`exit`], [`diagnostic`], [`size`], [`output_file`].

pub mod baseline;
pub mod commit;
pub mod config;
pub mod decode;
pub mod detect;
pub mod diagnostic;
pub mod exit;
pub mod finding;
pub mod lines;
pub mod outcome;
pub mod output_file;
pub mod progress;
pub mod report;
pub mod rules;
pub mod scan;
pub mod size;
pub mod source;
pub mod verify;
