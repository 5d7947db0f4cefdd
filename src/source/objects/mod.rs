//! Git history as a source: every blob reachable from the repository's refs, each listed once
//! with the commits and paths that introduced it.
//!
//! Planning reads the object database directly (gix): `revwalk` collects the commits in
//! parent-before-child order, `diff` finds what each commit introduced (in parallel), and the
//! plan keeps one entry per distinct blob with every (commit, path) that introduced it, oldest
//! first. A blob that a hundred commits contain is read and scanned once (issue 7).

pub mod diff;
mod pack_order;
mod pack_walk;
mod quarantine;
mod revwalk;

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
};

use gix::{
    ObjectId,
    bstr::{BStr, BString},
    hashtable::HashMap,
    prelude::FindExt,
};
use rayon::prelude::*;

use crate::{
    diagnostic::{Diagnostic, Severity},
    finding::Commit,
};

/// What part of the history to read.
#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// A directory inside the repository, its `.git` directory, or a bare repository.
    pub path: PathBuf,
    /// Which commits count.
    pub selection: Selection,
    /// Also read `refs/stash` and the older stashes in its reflog.
    pub stash: bool,
    /// Worker threads; 0 picks one per core.
    pub threads: usize,
}

/// The commits whose introduced blobs are scanned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Selection {
    /// Everything reachable from any ref (and HEAD).
    #[default]
    All,
    /// Reachable from the refs but not from this revision (`--since REV`).
    Since(String),
    /// Reachable from B but not from A (`--range A..B`).
    Range { from: String, to: String },
    /// What a push sends (parsed by `commit::push`, a layer above).
    Tips(Tips),
}

/// Commits reachable from `tips` and not from `hidden`, nor (when `hide_remote` names a
/// remote) from that remote's tracking refs, nor (with `hide_all_refs`) from any ref.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tips {
    pub tips: Vec<String>,
    pub hidden: Vec<String>,
    /// New branches are scanned against what the remote already has (`--not
    /// --remotes=<remote>`); so is a remote id that is not in the local repository.
    pub hide_remote: Option<String>,
    /// A server-side hook: every existing ref is what the server already has (`--not --all`).
    pub hide_all_refs: bool,
}

impl Selection {
    /// Parses `A..B`; an empty side means `HEAD`, as in git. `A...B` is refused: its meaning
    /// (symmetric difference) is rarely what a CI check wants.
    pub fn parse_range(spec: &str) -> Result<Selection, HistoryError> {
        let bad = || HistoryError::BadRange(spec.to_string());
        if spec.contains("...") {
            return Err(bad());
        }
        let (from, to) = spec.split_once("..").ok_or_else(bad)?;
        if to.contains("..") {
            return Err(bad());
        }
        let side = |s: &str| if s.is_empty() { "HEAD" } else { s }.to_string();
        Ok(Selection::Range {
            from: side(from),
            to: side(to),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{}: not a git repository", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: gix::Error,
    },
    #[error("cannot resolve revision `{spec}`")]
    Revision {
        spec: String,
        #[source]
        source: gix::Error,
    },
    #[error("`{spec}` is not a commit")]
    NotACommit { spec: String },
    #[error("invalid range `{0}`: expected A..B")]
    BadRange(String),
    #[error("cannot list references")]
    Refs(#[source] gix::Error),
    #[error("cannot walk the commit graph")]
    Walk(#[source] gix::Error),
    #[error(
        "cannot open the object directories named by GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES"
    )]
    Quarantine(#[source] std::io::Error),
    #[error("cannot start worker threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
}

/// Where a blob was introduced: compact, as a large history has millions of them.
#[derive(Debug, Clone, Copy)]
pub struct Occurrence {
    /// Index into [`Plan::commits`]; `None` when a ref points straight at a tree or blob.
    pub commit: Option<u32>,
    /// Index into the plan's path table; see [`Plan::path`].
    pub path: u32,
}

impl Occurrence {
    /// Sort key: parent-before-child order, refs to trees and blobs last.
    pub fn order(&self) -> u32 {
        self.commit.unwrap_or(u32::MAX)
    }
}

/// One distinct blob and where it was introduced, oldest first.
#[derive(Debug, Clone)]
pub struct Blob {
    pub id: ObjectId,
    /// Never empty; `occurrences[0]` is the introducing commit and path.
    pub occurrences: Vec<Occurrence>,
}

/// Counters for `--verbose` and the JSON stats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct HistoryStats {
    /// Commits walked (in the selection).
    pub commits: u64,
    /// (commit, path) pairs where a blob appeared that no parent had there.
    pub blob_occurrences: u64,
    /// Distinct blobs among them: each is read and scanned once.
    pub distinct_blobs: u64,
    /// Blobs actually read and scanned, counted as it happens; equals `distinct_blobs`.
    pub blobs_scanned: u64,
    /// Commits whose parents are missing because the clone is shallow.
    pub shallow_boundary: u64,
    /// Commit messages scanned (one per commit walked).
    pub messages_scanned: u64,
}

/// The distinct blobs of a history, ready to be read in parallel.
pub struct Plan {
    repo: gix::ThreadSafeRepository,
    /// Commits of the selection in parent-before-child order.
    pub commits: Vec<ObjectId>,
    /// Distinct blobs in pack order (see `pack_order`).
    pub blobs: Vec<Blob>,
    /// Where each of `blobs` is stored, for `pack_walk`.
    packed: pack_order::Packed,
    /// Every path seen, once; `/`-separated (for a ref at a tree: `ref:path`).
    paths: Vec<BString>,
    /// Annotated tags of the refs scanned: (short ref name, tag object).
    pub tags: Vec<(String, ObjectId)>,
    pub stats: HistoryStats,
    /// Problems met while planning: shallow boundary, unreadable refs or trees.
    pub diagnostics: Vec<Diagnostic>,
    pool: rayon::ThreadPool,
    /// Worker threads as asked (0: one per core), for the pack walk's own threads.
    threads: usize,
    /// Keeps a quarantine overlay's scratch directory while blobs are read.
    _overlay: Option<quarantine::Overlay>,
}

/// Commits diffed per parallel batch: bounds memory while keeping workers busy.
const BATCH: usize = 2048;

/// Blobs a worker reads in a row at least, outside the pack walk: neighbours in a pack share
/// delta bases, which stay in that worker's pack cache.
const READ_RUN: usize = 256;

/// Object cache per worker while diffing trees: a commit's parent trees were usually just
/// decoded for the parent itself.
const TREE_CACHE: usize = 16 * 1024 * 1024;

/// Bytes of trees decoded up front for diffing; beyond it trees are read one by one.
const TREE_BUDGET: usize = 256 * 1024 * 1024;

impl Plan {
    /// Opens the repository, walks the selected commits and collects the blobs they introduced.
    pub fn new(opts: &HistoryOptions) -> Result<Plan, HistoryError> {
        let mut sync = gix::discover(&opts.path)
            .map_err(|source| HistoryError::Open {
                path: opts.path.clone(),
                source,
            })?
            .into_sync();
        let overlay = quarantine::apply(&mut sync).map_err(HistoryError::Quarantine)?;
        let repo = sync.to_thread_local();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads)
            .thread_name(|i| format!("keysift-history-{i}"))
            .build()
            .map_err(HistoryError::Threads)?;
        let mut diagnostics = Vec::new();
        let shown = opts.path.display().to_string();
        let graph = revwalk::walk(&repo, opts, &shown, &mut diagnostics)?;

        let hash = repo.object_hash();
        drop(repo);
        // Every tree of the packs decoded once up front (within a budget): diffing reads most
        // trees, several times, and through the object database each read replays its
        // delta chain.
        let mut trees = HashMap::default();
        if !graph.commits.is_empty() {
            let mut kept = 0;
            for idx in pack_order::index_paths(sync.objects_dir()) {
                let more = pack_walk::trees(
                    &idx.with_extension("pack"),
                    hash,
                    opts.threads,
                    TREE_BUDGET.saturating_sub(kept),
                );
                kept += more.values().map(Vec::len).sum::<usize>();
                trees.extend(more);
            }
        }
        let trees = &trees;
        let workers = PerThread::new(&pool, || {
            let mut r = sync.to_thread_local();
            r.object_cache_size(TREE_CACHE);
            diff::Differ::new(r, trees)
        });
        let mut index: HashMap<ObjectId, usize> = HashMap::default();
        let mut blobs: Vec<Blob> = Vec::new();
        let mut paths = PathTable::default();
        let mut occurrences = 0u64;
        let mut record = |id: ObjectId, commit: Option<u32>, path: BString| {
            occurrences += 1;
            let occ = Occurrence {
                commit,
                path: paths.intern(path),
            };
            match index.get(&id) {
                Some(&i) => blobs[i].occurrences.push(occ),
                None => {
                    index.insert(id, blobs.len());
                    blobs.push(Blob {
                        id,
                        occurrences: vec![occ],
                    });
                }
            }
        };
        for (batch_no, batch) in graph.commits.chunks(BATCH).enumerate() {
            let results: Vec<_> = pool.install(|| {
                batch
                    .par_iter()
                    .map(|c| workers.with(|d| d.introduced(c.id, &c.parents)))
                    .collect()
            });
            for (i, result) in results.into_iter().enumerate() {
                let n = (batch_no * BATCH + i) as u32;
                match result {
                    Ok(intro) => {
                        for (id, path) in intro {
                            record(id, Some(n), path);
                        }
                    }
                    Err(e) => diagnostics.push(Diagnostic::new(
                        Severity::Error,
                        format!("{shown}@{}", graph.commits[n as usize].id),
                        format!("cannot read the commit's trees, its blobs were not scanned: {e}"),
                    )),
                }
            }
        }
        // Refs that point straight at a tree or blob (git.git tags a GPG key blob, for one).
        for tip in &graph.other_tips {
            let result = workers.with(|d| d.introduced_by_object(tip.id, &tip.name));
            match result {
                Ok(intro) => {
                    for (id, path) in intro {
                        record(id, None, path);
                    }
                }
                Err(e) => diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    format!("{shown}@{}", tip.name),
                    format!("cannot read the tree the ref points to: {e}"),
                )),
            }
        }
        drop(workers);
        let paths = paths.paths;
        let packed = pool.install(|| pack_order::sort(&mut blobs, sync.objects_dir(), hash));
        let stats = HistoryStats {
            commits: graph.commits.len() as u64,
            blob_occurrences: occurrences,
            distinct_blobs: blobs.len() as u64,
            blobs_scanned: 0,
            messages_scanned: 0,
            shallow_boundary: graph.shallow_boundary,
        };
        Ok(Plan {
            repo: sync,
            commits: graph.commits.into_iter().map(|c| c.id).collect(),
            blobs,
            packed,
            paths,
            tags: graph.tags.into_iter().map(|t| (t.name, t.id)).collect(),
            stats,
            diagnostics,
            pool,
            threads: opts.threads,
            _overlay: overlay,
        })
    }

    /// Reads every blob once, in parallel, and hands its bytes to `visit` with a per-thread
    /// state made by `init`. Results come back in [`Plan::blobs`] order.
    ///
    /// Packed blobs are decoded by walking their packs' delta trees (`pack_walk`); what that
    /// leaves (loose objects, alternates, chains it cannot follow, a corrupt pack) is read
    /// through the object database, which reports what it cannot read.
    pub fn read_blobs<S, R, I, F>(&self, init: I, visit: F) -> Vec<R>
    where
        S: Send,
        R: Send,
        I: Fn() -> S + Sync,
        F: Fn(&mut S, &Blob, Result<&[u8], gix::Error>) -> R + Sync,
    {
        let slots: Vec<Mutex<Option<R>>> = self.blobs.iter().map(|_| Mutex::new(None)).collect();
        let fill = |i: usize, r: R| {
            *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
        };
        let positions = &self.packed.positions;
        for (n, pack) in self.packed.packs.iter().enumerate() {
            let start = positions.partition_point(|p| p.pack < n as u32);
            let end = positions.partition_point(|p| p.pack <= n as u32);
            let wanted: Vec<(u64, u32)> = (start..end)
                .map(|i| (positions[i].offset, i as u32))
                .collect();
            // An error leaves the blobs not yet handed over to the object database below.
            let _ = pack_walk::read(
                pack,
                self.repo.objects.object_hash(),
                &wanted,
                self.threads,
                &init,
                &|state, i, data| fill(i as usize, visit(state, &self.blobs[i as usize], Ok(data))),
            );
        }
        let rest: Vec<usize> = slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.lock().unwrap_or_else(|p| p.into_inner()).is_none())
            .map(|(i, _)| i)
            .collect();
        if !rest.is_empty() {
            let workers = PerThread::new(&self.pool, || {
                (self.repo.to_thread_local(), Vec::new(), init())
            });
            self.pool.install(|| {
                rest.par_iter().with_min_len(READ_RUN).for_each(|&i| {
                    let blob = &self.blobs[i];
                    workers.with(|(repo, buf, state)| {
                        let data = repo.objects.find_blob(&blob.id, buf).map(|b| b.data);
                        fill(i, visit(state, blob, data));
                    })
                })
            });
        }
        slots
            .into_iter()
            .filter_map(|s| s.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect()
    }

    /// Reads every commit's message once, in parallel, and hands it to `visit` with the
    /// commit's index into [`Plan::commits`]. Results come back in commit order.
    pub fn read_messages<S, R, I, F>(&self, init: I, visit: F) -> Vec<R>
    where
        S: Send,
        R: Send,
        I: Fn() -> S + Sync,
        F: Fn(&mut S, u32, Result<&[u8], gix::Error>) -> R + Sync,
    {
        let workers = PerThread::new(&self.pool, || {
            (self.repo.to_thread_local(), Vec::new(), init())
        });
        self.pool.install(|| {
            self.commits
                .par_iter()
                .enumerate()
                .with_min_len(READ_RUN)
                .map(|(i, id)| {
                    workers.with(|(repo, buf, state)| {
                        let message = repo
                            .objects
                            .find_commit(id, buf)
                            .map(|c| c.message.as_ref());
                        visit(state, i as u32, message)
                    })
                })
                .collect()
        })
    }

    /// The message of each of [`Plan::tags`], in order: tag messages leak keys as commit
    /// messages do.
    pub fn tag_messages(&self) -> Vec<Result<Vec<u8>, gix::Error>> {
        let repo = self.repo.to_thread_local();
        let mut buf = Vec::new();
        self.tags
            .iter()
            .map(|(_, id)| {
                repo.objects
                    .find_tag(id, &mut buf)
                    .map(|t| t.message.to_vec())
            })
            .collect()
    }

    /// A reader of commit details (author, date, summary) by index into [`Plan::commits`],
    /// for the few commits that findings name.
    pub fn commit_reader(&self) -> CommitReader<'_> {
        CommitReader {
            repo: self.repo.to_thread_local(),
            commits: &self.commits,
        }
    }

    /// The path of an occurrence.
    pub fn path(&self, occurrence: &Occurrence) -> &BStr {
        self.paths[occurrence.path as usize].as_ref()
    }

    /// The repository's git directory, for messages.
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }
}

pub struct CommitReader<'a> {
    repo: gix::Repository,
    commits: &'a [ObjectId],
}

impl CommitReader<'_> {
    pub fn read(&self, index: u32) -> Result<Commit, gix::Error> {
        let id = self.commits[index as usize];
        let commit = self.repo.find_commit(id)?;
        let author = commit.author()?;
        let time = author.time()?;
        Ok(Commit {
            id: id.to_string(),
            author: author.name.to_string(),
            email: author.email.to_string(),
            date: time.format_or_unix(gix::date::time::format::ISO8601_STRICT),
            summary: commit.message()?.summary().to_string(),
        })
    }
}

/// Paths stored once: the same path recurs in thousands of commits.
#[derive(Default)]
struct PathTable {
    index: std::collections::HashMap<BString, u32>,
    paths: Vec<BString>,
}

impl PathTable {
    fn intern(&mut self, path: BString) -> u32 {
        if let Some(&i) = self.index.get(&path) {
            return i;
        }
        let i = self.paths.len() as u32;
        self.paths.push(path.clone());
        self.index.insert(path, i);
        i
    }
}

/// One value per pool thread, each used only by its own thread, so `!Sync` gix handles and
/// their caches live as long as the pool (rayon's `map_init` would rebuild them per split).
struct PerThread<'a, T> {
    slots: Vec<Mutex<Option<T>>>,
    make: Box<dyn Fn() -> T + Sync + 'a>,
}

impl<'a, T: Send> PerThread<'a, T> {
    fn new(pool: &rayon::ThreadPool, make: impl Fn() -> T + Sync + 'a) -> PerThread<'a, T> {
        // One extra slot for calls from outside the pool.
        let slots = (0..=pool.current_num_threads())
            .map(|_| Mutex::new(None))
            .collect();
        PerThread {
            slots,
            make: Box::new(make),
        }
    }

    /// Runs `f` with this thread's value, creating it on first use. The lock is never
    /// contended: a slot belongs to one thread, and `f` does not re-enter the pool.
    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let slot = rayon::current_thread_index().unwrap_or(self.slots.len() - 1);
        let mut guard = self.slots[slot.min(self.slots.len() - 1)]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(guard.get_or_insert_with(|| (self.make)()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_parses_like_git() {
        assert_eq!(
            Selection::parse_range("main..feature").unwrap(),
            Selection::Range {
                from: "main".into(),
                to: "feature".into()
            }
        );
        assert_eq!(
            Selection::parse_range("v1..").unwrap(),
            Selection::Range {
                from: "v1".into(),
                to: "HEAD".into()
            }
        );
        assert!(Selection::parse_range("a...b").is_err());
        assert!(Selection::parse_range("main").is_err());
    }
}
