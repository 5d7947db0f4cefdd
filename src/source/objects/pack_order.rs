//! The order blobs are read in: by position in their pack. A pack stores a delta after its
//! base (git's OFS_DELTA points backwards), so pack order reads bases before the deltas built
//! on them; `pack_walk` decodes the packed blobs from these positions. Objects outside packs
//! (loose, alternates) go last.

use std::path::{Path, PathBuf};

use gix::{ObjectId, odb::pack::index};
use rayon::prelude::*;

use super::Blob;

/// Where a blob is stored: `pack` indexes [`Packed::packs`]; [`Position::LOOSE`] when no pack
/// of the repository's own object directory holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Position {
    pub pack: u32,
    pub offset: u64,
}

impl Position {
    pub const LOOSE: Position = Position {
        pack: u32::MAX,
        offset: 0,
    };
}

/// The packs of the object directory and each blob's position, parallel to the sorted blobs.
#[derive(Default)]
pub(super) struct Packed {
    /// Paths of the `.pack` files, by pack number.
    pub packs: Vec<PathBuf>,
    pub positions: Vec<Position>,
}

/// Sorts `blobs` by (pack, offset), using the pack indexes in `objects_dir/pack`.
pub(super) fn sort(blobs: &mut Vec<Blob>, objects_dir: &Path, hash: gix::hash::Kind) -> Packed {
    let idx_paths = index_paths(objects_dir);
    let (packs, indexes): (Vec<PathBuf>, Vec<index::File>) = idx_paths
        .iter()
        .filter_map(|p| Some((p.with_extension("pack"), index::File::at(p, hash).ok()?)))
        .unzip();
    let position = |id: &ObjectId| {
        indexes
            .iter()
            .enumerate()
            .find_map(|(n, file)| {
                file.lookup(id).map(|e| Position {
                    pack: n as u32,
                    offset: file.pack_offset_at_index(e),
                })
            })
            .unwrap_or(Position::LOOSE)
    };
    let mut keyed: Vec<(Position, Blob)> = std::mem::take(blobs)
        .into_par_iter()
        .map(|b| (position(&b.id), b))
        .collect();
    keyed.par_sort_unstable_by_key(|(k, b)| (*k, b.id));
    let mut positions = Vec::with_capacity(keyed.len());
    blobs.extend(keyed.into_iter().map(|(p, b)| {
        positions.push(p);
        b
    }));
    Packed { packs, positions }
}

/// The pack indexes of `objects_dir`, by name.
pub(super) fn index_paths(objects_dir: &Path) -> Vec<PathBuf> {
    let mut idx_paths: Vec<_> = std::fs::read_dir(objects_dir.join("pack"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    idx_paths.sort();
    idx_paths
}
