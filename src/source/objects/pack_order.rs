//! The order blobs are read in: by position in their pack. A pack stores a delta after its
//! base (git's OFS_DELTA points backwards), and the pack cache keeps objects just read, so
//! reading in pack order resolves each delta against a cached base instead of inflating the
//! whole chain again. Objects outside packs (loose, alternates) go last.

use std::path::Path;

use gix::{ObjectId, odb::pack::index};
use rayon::prelude::*;

use super::Blob;

/// Sorts `blobs` by (pack, offset), using the pack indexes in `objects_dir/pack`.
pub(super) fn sort(blobs: &mut Vec<Blob>, objects_dir: &Path, hash: gix::hash::Kind) {
    let mut idx_paths: Vec<_> = std::fs::read_dir(objects_dir.join("pack"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    idx_paths.sort();
    let indexes: Vec<index::File> = idx_paths
        .iter()
        .filter_map(|p| index::File::at(p, hash).ok())
        .collect();
    let position = |id: &ObjectId| {
        indexes
            .iter()
            .enumerate()
            .find_map(|(n, file)| {
                file.lookup(id)
                    .map(|e| (n as u32, file.pack_offset_at_index(e)))
            })
            .unwrap_or((u32::MAX, 0))
    };
    let mut keyed: Vec<((u32, u64), Blob)> = std::mem::take(blobs)
        .into_par_iter()
        .map(|b| (position(&b.id), b))
        .collect();
    keyed.par_sort_unstable_by_key(|(k, b)| (*k, b.id));
    blobs.extend(keyed.into_iter().map(|(_, b)| b));
}
