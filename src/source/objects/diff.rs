//! What a commit introduced: the (blob, path) pairs in its tree that none of its parents has
//! at the same path. Subtrees identical to a parent's are skipped without being read, so a
//! commit costs what it changed, not the size of its tree.

use std::cmp::Ordering;

use gix::{
    ObjectId,
    bstr::{BStr, BString, ByteSlice},
    hashtable::HashMap,
    objs::{
        Kind,
        tree::{EntryKind, name_order},
    },
    prelude::FindExt,
};

/// One worker's handle on the repository plus reusable buffers.
pub(super) struct Differ<'a> {
    repo: gix::Repository,
    /// Trees decoded up front, by id; the others are read from the repository.
    trees: &'a HashMap<ObjectId, Vec<u8>>,
    commit_buf: Vec<u8>,
    free: Vec<Vec<u8>>,
    /// Length of the path prefix at the top of the current diff (`ref:` or nothing).
    root_len: usize,
}

/// A tree entry with the parts the diff needs.
struct Entry<'a> {
    name: &'a BStr,
    kind: EntryKind,
    id: ObjectId,
}

type Introduced = Vec<(ObjectId, BString)>;

impl<'a> Differ<'a> {
    pub fn new(repo: gix::Repository, trees: &'a HashMap<ObjectId, Vec<u8>>) -> Differ<'a> {
        Differ {
            repo,
            trees,
            commit_buf: Vec::new(),
            free: Vec::new(),
            root_len: 0,
        }
    }

    /// Blobs `commit` introduced relative to `parents` (none: everything in its tree).
    pub fn introduced(
        &mut self,
        commit: ObjectId,
        parents: &[ObjectId],
    ) -> Result<Introduced, gix::Error> {
        let tree = self.tree_of(commit)?;
        let parent_trees = parents
            .iter()
            .map(|&p| self.tree_of(p))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        let mut prefix = BString::default();
        self.root_len = 0;
        self.diff(tree, &parent_trees, &mut prefix, &mut out)?;
        Ok(out)
    }

    /// Blobs under a ref that points straight at a tree or a blob; paths are `ref:path`
    /// (git's own syntax for a path in a tree-ish) or the ref name for a blob.
    pub fn introduced_by_object(
        &mut self,
        id: ObjectId,
        ref_name: &str,
    ) -> Result<Introduced, gix::Error> {
        use gix::prelude::HeaderExt;
        match self.repo.objects.header(id)?.kind() {
            Kind::Blob => Ok(vec![(id, BString::from(ref_name))]),
            Kind::Tree => {
                let mut out = Vec::new();
                let mut prefix = BString::from(format!("{ref_name}:"));
                self.root_len = prefix.len();
                self.diff(id, &[], &mut prefix, &mut out)?;
                Ok(out)
            }
            Kind::Commit | Kind::Tag => Ok(Vec::new()),
        }
    }

    fn tree_of(&mut self, commit: ObjectId) -> Result<ObjectId, gix::Error> {
        self.repo
            .objects
            .find_commit_iter(&commit, &mut self.commit_buf)?
            .tree_id()
    }

    /// Reads a tree into a buffer from the free list.
    fn load(&mut self, id: ObjectId) -> Result<Vec<u8>, gix::Error> {
        let mut buf = self.free.pop().unwrap_or_default();
        if let Some(data) = self.trees.get(&id) {
            buf.clear();
            buf.extend_from_slice(data);
            return Ok(buf);
        }
        match self.repo.objects.find_tree_iter(&id, &mut buf) {
            Ok(_) => Ok(buf),
            Err(e) => {
                self.free.push(buf);
                Err(e)
            }
        }
    }

    fn diff(
        &mut self,
        tree: ObjectId,
        parents: &[ObjectId],
        prefix: &mut BString,
        out: &mut Introduced,
    ) -> Result<(), gix::Error> {
        if parents.contains(&tree) {
            return Ok(());
        }
        let data = self.load(tree)?;
        let mut parent_data = Vec::with_capacity(parents.len());
        for &p in parents {
            match self.load(p) {
                Ok(d) => parent_data.push(d),
                Err(e) => {
                    self.free.push(data);
                    self.free.append(&mut parent_data);
                    return Err(e);
                }
            }
        }
        let result = self.diff_loaded(&data, &parent_data, prefix, out);
        self.free.push(data);
        self.free.append(&mut parent_data);
        result
    }

    fn diff_loaded(
        &mut self,
        data: &[u8],
        parent_data: &[Vec<u8>],
        prefix: &mut BString,
        out: &mut Introduced,
    ) -> Result<(), gix::Error> {
        for change in compare_level(data, parent_data, self.repo.object_hash())? {
            match change {
                Change::Blob { id, name } => {
                    let mut path = prefix.clone();
                    push_name(&mut path, self.root_len, name);
                    out.push((id, path));
                }
                Change::Tree { id, name, parents } => {
                    let len = prefix.len();
                    push_name(prefix, self.root_len, name);
                    let r = self.diff(id, &parents, prefix, out);
                    prefix.truncate(len);
                    r?;
                }
            }
        }
        Ok(())
    }
}

/// What one level of a commit's tree holds that its parents' trees at the same path do not.
#[derive(Debug, PartialEq, Eq)]
pub enum Change<'a> {
    /// A blob no parent holds, with this id, under this name.
    Blob { id: ObjectId, name: &'a BStr },
    /// A subtree to compare in turn, with the parents' same-named subtrees.
    Tree {
        id: ObjectId,
        name: &'a BStr,
        parents: Vec<ObjectId>,
    },
}

/// Compares the raw tree `data` with its parents' raw trees at the same path. Symlinks
/// (their targets are paths) and submodules (other repositories' commits) are not changes.
/// Pure, bytes in and changes out, so it is tested and fuzzed without a repository.
pub fn compare_level<'a>(
    data: &'a [u8],
    parent_data: &[Vec<u8>],
    kind: gix::hash::Kind,
) -> Result<Vec<Change<'a>>, gix::Error> {
    let entries = parse_entries(data, kind)?;
    let parents = parent_data
        .iter()
        .map(|d| parse_entries(d, kind))
        .collect::<Result<Vec<_>, _>>()?;
    // Trees are sorted in git's order, so one cursor per parent finds the same-named entries
    // in a single merge pass.
    let mut cursors = vec![0usize; parents.len()];
    let mut changes = Vec::new();
    for e in entries {
        let is_tree = e.kind == EntryKind::Tree;
        let mut known = false;
        let mut sub_parents = Vec::new();
        for (p, cursor) in parents.iter().zip(cursors.iter_mut()) {
            while p.get(*cursor).is_some_and(|pe| {
                name_order(pe.name, pe.kind == EntryKind::Tree, e.name, is_tree) == Ordering::Less
            }) {
                *cursor += 1;
            }
            let Some(pe) = p.get(*cursor).filter(|pe| pe.name == e.name) else {
                continue;
            };
            match (e.kind, pe.kind) {
                (EntryKind::Tree, EntryKind::Tree) => sub_parents.push(pe.id),
                (
                    EntryKind::Blob | EntryKind::BlobExecutable,
                    EntryKind::Blob | EntryKind::BlobExecutable,
                ) => known |= pe.id == e.id,
                _ => {}
            }
        }
        match e.kind {
            EntryKind::Blob | EntryKind::BlobExecutable if !known => changes.push(Change::Blob {
                id: e.id,
                name: e.name,
            }),
            EntryKind::Tree => changes.push(Change::Tree {
                id: e.id,
                name: e.name,
                parents: sub_parents,
            }),
            _ => {}
        }
    }
    Ok(changes)
}

fn parse_entries(data: &[u8], kind: gix::hash::Kind) -> Result<Vec<Entry<'_>>, gix::Error> {
    gix::objs::TreeRefIter::from_bytes(data, kind)
        .map(|e| {
            e.map(|e| Entry {
                name: e.filename,
                kind: e.mode.kind(),
                id: e.oid.to_owned(),
            })
        })
        .collect()
}

/// Appends `name` to a `/`-separated path below a root prefix of `root_len` bytes.
fn push_name(path: &mut BString, root_len: usize, name: &BStr) {
    if path.len() > root_len {
        path.push(b'/');
    }
    path.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw tree of (mode, name, id byte) entries, in the order given.
    fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in entries {
            out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    #[test]
    fn a_level_reports_new_blobs_and_pairs_subtrees_by_name() {
        let child = tree(&[
            ("100644", "a", 1),
            ("100644", "b", 2),
            ("40000", "d", 3),
            ("120000", "link", 4),
            ("100755", "moved", 5),
        ]);
        let parent = tree(&[("100644", "a", 1), ("40000", "d", 7), ("100644", "was", 5)]);
        let parents = [parent];
        let changes = compare_level(&child, &parents, gix::hash::Kind::Sha1).unwrap();
        let id = |b: u8| ObjectId::from_bytes_or_panic(&[b; 20]);
        assert_eq!(
            changes,
            vec![
                Change::Blob {
                    id: id(2),
                    name: "b".into()
                },
                Change::Tree {
                    id: id(3),
                    name: "d".into(),
                    parents: vec![id(7)]
                },
                Change::Blob {
                    id: id(5),
                    name: "moved".into()
                },
            ]
        );
    }

    #[test]
    fn a_truncated_tree_is_an_error() {
        let mut t = tree(&[("100644", "a", 1)]);
        t.pop();
        assert!(compare_level(&t, &[], gix::hash::Kind::Sha1).is_err());
    }
}
