//! Decodes packed objects by walking each pack's delta trees: every object is inflated once
//! and every delta applied once, against its base held in memory. Used for a plan's blobs,
//! and for the trees that diffing commits reads.
//!
//! Reading blob after blob through the object database resolves each one's delta chain on its
//! own: a full base is inflated again for every delta built on it, and a chain whose bases a
//! bounded cache has let go is rebuilt from its start. On a real history that is most of the
//! work. Here the wanted blobs and the bases their chains go through form a forest, and gix's
//! delta-tree traversal decodes it root to leaves on all threads.

use std::{
    collections::{BTreeMap, HashSet},
    path::Path,
    sync::{
        Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
};

use gix::{
    ObjectId,
    hashtable::HashMap,
    objs::Kind,
    odb::pack::{
        cache::delta::{
            Tree,
            traverse::{Context, Options},
        },
        data::{self, entry::Header},
        index,
    },
    utils::progress::Discard,
};

/// Marks a node that no wanted blob sits at: a base that only others' chains go through.
const BASE_ONLY: u32 = u32::MAX;

/// Delta chains longer than this are left to the object database (git's own deepest default
/// is 4095); it also stops a cycle of REF_DELTA bases.
const MAX_CHAIN: usize = 10_000;

/// Packs with more objects than this have their trees read one by one (the up-front walk
/// keeps a kind per object, ~40 bytes each).
const MAX_OBJECTS_FOR_TREES: usize = 2_000_000;

/// A node of the forest: its pack offset and the index of the blob there, or [`BASE_ONLY`].
type Node = (u64, u32);

/// Decodes the blobs at `wanted` (pack offset, blob index) of the pack at `pack_path` and hands
/// each blob's bytes to `on_blob` with a per-thread state from `init`. `threads` as in rayon,
/// 0 for one per core.
///
/// Blobs it does not hand over are left to the caller: those whose chain leaves the pack or
/// cannot be followed, objects that turn out not to be blobs, and all the rest when the pack
/// is corrupt (the error is returned). The object database then reads and reports them, so a
/// broken pack is never scanned as if it were whole.
pub(super) fn read<S>(
    pack_path: &Path,
    hash: gix::hash::Kind,
    wanted: &[Node],
    threads: usize,
    init: &(dyn Fn() -> S + Sync),
    on_blob: &(dyn Fn(&mut S, u32, &[u8]) + Sync),
) -> Result<(), gix::Error>
where
    S: Send,
{
    read_kind(pack_path, hash, wanted, Kind::Blob, threads, init, on_blob)
}

/// Decodes every tree of the pack at `pack_path` once, and keeps them by id while their
/// total size stays under `budget` bytes; the trees past it (and all, if the pack cannot be
/// walked) are left to the object database.
pub(super) fn trees(
    pack_path: &Path,
    hash: gix::hash::Kind,
    threads: usize,
    budget: usize,
) -> HashMap<ObjectId, Vec<u8>> {
    let kept = Mutex::new(HashMap::default());
    let Ok(pack) = data::File::at(pack_path, hash) else {
        return HashMap::default();
    };
    let Ok(idx) = index::File::at(pack_path.with_extension("idx"), hash) else {
        return HashMap::default();
    };
    // The kind of every entry is kept while sorting them out: bounded memory for it too.
    if idx.num_objects() as usize > MAX_OBJECTS_FOR_TREES {
        return HashMap::default();
    }
    // An entry's kind is its chain's root's: found by following bases, each offset once.
    let mut kinds: std::collections::HashMap<u64, Option<Kind>> = Default::default();
    let mut wanted = Vec::new();
    let mut chain = Vec::new();
    for (n, e) in idx.iter().enumerate() {
        chain.clear();
        let mut cursor = e.pack_offset;
        let kind = loop {
            if let Some(k) = kinds.get(&cursor) {
                break *k;
            }
            if chain.len() >= MAX_CHAIN {
                break None;
            }
            chain.push(cursor);
            let Ok(entry) = pack.entry(cursor) else {
                break None;
            };
            let base = match entry.header {
                Header::OfsDelta { base_distance } => entry.checked_base_pack_offset(base_distance),
                Header::RefDelta { base_id } => {
                    idx.lookup(base_id).map(|i| idx.pack_offset_at_index(i))
                }
                h => break h.as_kind(),
            };
            match base {
                Some(base) if base != cursor => cursor = base,
                _ => break None,
            }
        };
        for &at in &chain {
            kinds.insert(at, kind);
        }
        if kind == Some(Kind::Tree) {
            wanted.push((e.pack_offset, n as u32));
        }
    }
    drop(kinds);
    wanted.sort_unstable();
    let total = AtomicUsize::new(0);
    let _ = read_kind(
        pack_path,
        hash,
        &wanted,
        Kind::Tree,
        threads,
        &|| (),
        &|_, n, data| {
            if total.fetch_add(data.len(), Ordering::Relaxed) + data.len() <= budget {
                let id = idx.oid_at_index(n).to_owned();
                kept.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(id, data.to_vec());
            }
        },
    );
    kept.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// [`read`] for objects of any one `kind`.
fn read_kind<S>(
    pack_path: &Path,
    hash: gix::hash::Kind,
    wanted: &[Node],
    kind: Kind,
    threads: usize,
    init: &(dyn Fn() -> S + Sync),
    on_blob: &(dyn Fn(&mut S, u32, &[u8]) + Sync),
) -> Result<(), gix::Error>
where
    S: Send,
{
    if wanted.is_empty() {
        return Ok(());
    }
    let pack = data::File::at(pack_path, hash)?;
    let idx = index::File::at(pack_path.with_extension("idx"), hash)?;
    let in_pack = |id: &gix::oid| -> Result<Option<u64>, gix::Error> {
        Ok(idx.lookup(id).map(|e| idx.pack_offset_at_index(e)))
    };
    // The tree builder reads its first node right after the pack header, wherever that node
    // is: so the pack's first entry is always a node.
    let first = (data::header::SIZE as u64, BASE_ONLY);
    let nodes = forest(&pack, std::iter::once(&first).chain(wanted), &in_pack);
    if !nodes.contains_key(&first.0) {
        return Err(gix::error::message("the pack's first entry cannot be decoded in it").into());
    }
    let tree = Tree::from_offsets_in_pack(
        pack_path,
        nodes.into_iter(),
        &|(offset, _)| *offset,
        &in_pack,
        &mut Discard,
        &AtomicBool::new(false),
        hash,
    )?;
    let mut state = Lazy(None);
    let pack_ref = &pack;
    let inspect = move |node: &mut Node, _: &dyn gix::Progress, ctx: Context<'_>| {
        let (state, inflate, scratch) =
            state.get(|| (init(), gix::zlib::Inflate::default(), Vec::<u8>::new()));
        if ctx.level == 0 {
            // The traversal does not check that a full object's zlib stream ends exactly where
            // its header says: the database's decoder does, and a short stream must not pass
            // for an object padded with zeros (its deltas would inherit it).
            scratch.clear();
            scratch.resize(ctx.decompressed.len(), 0);
            pack_ref.decompress_entry(ctx.entry, inflate, scratch)?;
        }
        if node.1 != BASE_ONLY && ctx.entry.header.as_kind() == Some(kind) {
            on_blob(state, node.1, ctx.decompressed);
        }
        Ok(())
    };
    tree.traverse(
        |range, pack: &data::File| pack.entry_slice(range),
        &pack,
        pack.pack_end() as u64,
        inspect,
        Options {
            object_progress: Box::new(Discard),
            size_progress: &mut Discard,
            thread_limit: (threads > 0).then_some(threads),
            should_interrupt: &AtomicBool::new(false),
            object_hash: hash,
            alloc_limit_bytes: None,
        },
    )?;
    Ok(())
}

/// The wanted blobs plus every base their delta chains go through, by offset. A blob whose
/// chain cannot be followed inside the pack is left out, with the part of its chain that no
/// other blob needs.
fn forest<'a>(
    pack: &data::File,
    wanted: impl IntoIterator<Item = &'a Node>,
    in_pack: &dyn Fn(&gix::oid) -> Result<Option<u64>, gix::Error>,
) -> BTreeMap<u64, u32> {
    let mut nodes: BTreeMap<u64, u32> = BTreeMap::new();
    let mut broken: HashSet<u64> = HashSet::new();
    let mut chain = Vec::new();
    for &(offset, blob) in wanted {
        chain.clear();
        let mut cursor = offset;
        let complete = loop {
            if nodes.contains_key(&cursor) {
                break true;
            }
            if broken.contains(&cursor) || chain.len() >= MAX_CHAIN {
                break false;
            }
            chain.push(cursor);
            let Ok(entry) = pack.entry(cursor) else {
                break false;
            };
            let base = match entry.header {
                Header::OfsDelta { base_distance } => entry.checked_base_pack_offset(base_distance),
                Header::RefDelta { base_id } => in_pack(&base_id).ok().flatten(),
                _ => break true,
            };
            match base {
                Some(base) if base != cursor => cursor = base,
                _ => break false,
            }
        };
        if complete {
            for &at in &chain {
                nodes.entry(at).or_insert(BASE_ONLY);
            }
            if blob != BASE_ONLY {
                nodes.insert(offset, blob);
            }
        } else {
            broken.extend(chain.iter().copied());
        }
    }
    nodes
}

/// Per-thread state of the traversal's inspector: the traversal clones the inspector for each
/// of its threads, and each clone starts empty and makes its own state on first use.
struct Lazy<T>(Option<T>);

impl<T> Lazy<T> {
    /// A method, not a field access, so that a closure captures the whole `Lazy` (and its
    /// `Clone`), not the inner `Option`.
    fn get(&mut self, make: impl FnOnce() -> T) -> &mut T {
        self.0.get_or_insert_with(make)
    }
}

impl<T> Clone for Lazy<T> {
    fn clone(&self) -> Self {
        Lazy(None)
    }
}
