//! Which commits a history scan reads, in which order.
//!
//! Tips are all refs plus HEAD (stashes only when asked), or the ends of `--since`/`--range`.
//! The walk uses the commit-graph when present. Commits come out parent-before-child, oldest
//! first among those ready: the first commit to introduce a blob is then the oldest one, in
//! topological order, whose tree has it at a path where its parents do not.

use std::{
    cmp::Reverse,
    collections::{BTreeSet, BinaryHeap},
};

use gix::{
    ObjectId,
    hashtable::{HashMap, HashSet},
    objs::Kind,
    revision::walk::Sorting,
    traverse::commit::simple::CommitTimeOrder,
};

use super::{HistoryError, HistoryOptions, Selection};
use crate::diagnostic::{Diagnostic, Severity};

/// The stash ref; its reflog holds the older stashes.
const STASH: &str = "refs/stash";

/// A commit to diff: its parents are those it is compared against (none at a shallow
/// boundary, where they are missing).
pub(super) struct Node {
    pub id: ObjectId,
    pub parents: Vec<ObjectId>,
}

/// A ref that points at a tree or blob instead of a commit.
pub(super) struct OtherTip {
    pub name: String,
    pub id: ObjectId,
}

pub(super) struct Graph {
    /// Parent-before-child.
    pub commits: Vec<Node>,
    pub other_tips: Vec<OtherTip>,
    /// Annotated tags of the refs scanned (`refs/tags/v1` → its tag object), whose messages
    /// are scanned like commit messages.
    pub tags: Vec<OtherTip>,
    pub shallow_boundary: u64,
}

pub(super) fn walk(
    repo: &gix::Repository,
    opts: &HistoryOptions,
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Graph, HistoryError> {
    let mut other_tips = Vec::new();
    let mut tags = Vec::new();
    let (tips, hidden) = match &opts.selection {
        Selection::All => (
            ref_tips(
                repo,
                opts.stash,
                shown,
                &mut other_tips,
                &mut tags,
                diagnostics,
            )?,
            Vec::new(),
        ),
        Selection::Since(rev) => {
            let hidden = vec![resolve(repo, rev)?];
            let (mut ignored, mut no_tags) = (Vec::new(), Vec::new());
            let tips = ref_tips(
                repo,
                opts.stash,
                shown,
                &mut ignored,
                &mut no_tags,
                diagnostics,
            )?;
            (tips, hidden)
        }
        Selection::Range { from, to } => (vec![resolve(repo, to)?], vec![resolve(repo, from)?]),
        Selection::Tips(t) => push_ends(repo, t, shown, diagnostics)?,
    };
    if tips.is_empty() {
        return Ok(Graph {
            commits: Vec::new(),
            other_tips,
            tags,
            shallow_boundary: 0,
        });
    }
    let walk = repo
        .rev_walk(tips)
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .with_hidden(hidden)
        .all()
        .map_err(HistoryError::Walk)?;
    let shallow: HashSet<ObjectId> = repo
        .shallow_commits()
        .map_err(HistoryError::Walk)?
        .map(|s| s.iter().copied().collect())
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut boundary = 0u64;
    for info in walk {
        let info = info.map_err(HistoryError::Walk)?;
        let parents = if shallow.contains(&info.id) {
            boundary += 1;
            Vec::new()
        } else {
            let mut p: Vec<ObjectId> = info.parent_ids.iter().copied().collect();
            p.dedup();
            p
        };
        found.push((
            Node {
                id: info.id,
                parents,
            },
            info.commit_time.unwrap_or(0),
        ));
    }
    if boundary > 0 {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            shown,
            format!(
                "shallow clone: history before {boundary} boundary commit{} is not in the \
                 repository and was not scanned; blobs in those commits are attributed to them \
                 (run `git fetch --unshallow` for a full audit)",
                if boundary == 1 { "" } else { "s" }
            ),
        ));
    }
    Ok(Graph {
        commits: topo_order(found),
        other_tips,
        tags,
        shallow_boundary: boundary,
    })
}

/// The tips and hidden ends of a push. A remote id missing locally (someone else pushed
/// since the last fetch) cannot be hidden: the remote's tracking refs stand in for it.
fn push_ends(
    repo: &gix::Repository,
    t: &super::Tips,
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Vec<ObjectId>, Vec<ObjectId>), HistoryError> {
    let tips = t
        .tips
        .iter()
        .map(|s| resolve(repo, s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut hidden = Vec::new();
    let mut hide_remote = t.hide_remote.is_some();
    for s in &t.hidden {
        match resolve(repo, s) {
            Ok(id) => hidden.push(id),
            Err(_) => {
                hide_remote = true;
                diagnostics.push(Diagnostic::new(
                    Severity::Note,
                    shown,
                    format!(
                        "the remote's {s} is not in this repository (fetch to get it): \
                         scanning against the remote-tracking refs instead"
                    ),
                ));
            }
        }
    }
    let prefix = match (&t.hide_remote, t.hide_all_refs) {
        (_, true) => Some(String::from("refs/")),
        (Some(remote), false) if hide_remote => Some(format!("refs/remotes/{remote}/")),
        _ => None,
    };
    if let Some(prefix) = prefix {
        let platform = repo.references().map_err(HistoryError::Refs)?;
        let refs = platform
            .prefixed(prefix.as_str())
            .map_err(HistoryError::Refs)?;
        for mut r in refs.flatten() {
            if let Ok(id) = r.peel_to_id()
                && let Ok(obj) = id.object()
                && let Ok(obj) = obj.peel_tags_to_end()
                && obj.kind == Kind::Commit
            {
                hidden.push(obj.id);
            }
        }
    }
    Ok((tips, hidden))
}

/// Resolves a revision the way `git rev-parse` does and peels it to a commit.
fn resolve(repo: &gix::Repository, spec: &str) -> Result<ObjectId, HistoryError> {
    let err = |source| HistoryError::Revision {
        spec: spec.to_string(),
        source,
    };
    let id = repo.rev_parse_single(spec).map_err(err)?;
    let object = id.object().map_err(err)?.peel_tags_to_end().map_err(err)?;
    if object.kind != Kind::Commit {
        return Err(HistoryError::NotACommit {
            spec: spec.to_string(),
        });
    }
    Ok(object.id)
}

/// Commit tips of all refs and HEAD; refs to trees or blobs go to `other`, refs to annotated
/// tag objects also to `tags`. A broken ref is reported and skipped, so one bad ref among
/// thousands does not stop an audit.
fn ref_tips(
    repo: &gix::Repository,
    stash: bool,
    shown: &str,
    other: &mut Vec<OtherTip>,
    tags: &mut Vec<OtherTip>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<ObjectId>, HistoryError> {
    let mut tips = BTreeSet::new();
    if let Ok(head) = repo.head_id() {
        classify(
            repo,
            "HEAD",
            head.detach(),
            &mut tips,
            other,
            shown,
            diagnostics,
        );
    }
    let platform = repo.references().map_err(HistoryError::Refs)?;
    for reference in platform.all().map_err(HistoryError::Refs)? {
        let mut reference = match reference {
            Ok(r) => r,
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    shown,
                    format!("unreadable ref skipped: {e}"),
                ));
                continue;
            }
        };
        let name = reference.name().as_bstr().to_string();
        if name == STASH {
            if stash {
                stash_tips(&reference, &mut tips, shown, diagnostics);
            } else {
                continue;
            }
        }
        if let Some(id) = reference.target().try_id()
            && repo.find_header(id).is_ok_and(|h| h.kind() == Kind::Tag)
        {
            tags.push(OtherTip {
                name: reference.name().shorten().to_string(),
                id: id.to_owned(),
            });
        }
        match reference.peel_to_id() {
            Ok(id) => classify(
                repo,
                &name,
                id.detach(),
                &mut tips,
                other,
                shown,
                diagnostics,
            ),
            Err(e) => diagnostics.push(Diagnostic::new(
                Severity::Warning,
                shown,
                format!("ref {name} skipped: cannot resolve it: {e}"),
            )),
        }
    }
    Ok(tips.into_iter().collect())
}

/// Older stashes live only in the reflog of `refs/stash` (`stash@{1}`, ...).
fn stash_tips(
    reference: &gix::Reference<'_>,
    tips: &mut BTreeSet<ObjectId>,
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut log = reference.log_iter();
    let lines = match log.all() {
        Ok(Some(lines)) => lines,
        Ok(None) => return,
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                shown,
                format!("cannot read the stash reflog: {e}"),
            ));
            return;
        }
    };
    for line in lines.flatten() {
        let id = line.new_oid();
        if !id.is_null() {
            tips.insert(id);
        }
    }
}

fn classify(
    repo: &gix::Repository,
    name: &str,
    id: ObjectId,
    tips: &mut BTreeSet<ObjectId>,
    other: &mut Vec<OtherTip>,
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match repo.find_header(id).map(|h| h.kind()) {
        Ok(Kind::Commit) => {
            tips.insert(id);
        }
        Ok(Kind::Tree | Kind::Blob) => other.push(OtherTip {
            name: name.to_string(),
            id,
        }),
        Ok(Kind::Tag) => {}
        Err(e) => diagnostics.push(Diagnostic::new(
            Severity::Warning,
            shown,
            format!("ref {name} skipped: its object is missing: {e}"),
        )),
    }
}

/// Kahn's algorithm: a commit is emitted once all its parents inside the set are; among
/// those ready, the oldest (commit time, then id) goes first, so the order is reproducible.
fn topo_order(found: Vec<(Node, i64)>) -> Vec<Node> {
    let index: HashMap<ObjectId, usize> = found
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.id, i))
        .collect();
    let mut pending = vec![0u32; found.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); found.len()];
    for (i, (node, _)) in found.iter().enumerate() {
        for p in &node.parents {
            if let Some(&pi) = index.get(p) {
                pending[i] += 1;
                children[pi].push(i);
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<(i64, ObjectId, usize)>> = pending
        .iter()
        .enumerate()
        .filter(|(_, n)| **n == 0)
        .map(|(i, _)| Reverse((found[i].1, found[i].0.id, i)))
        .collect();
    let mut order = Vec::with_capacity(found.len());
    while let Some(Reverse((_, _, i))) = ready.pop() {
        order.push(i);
        for &c in &children[i] {
            pending[c] -= 1;
            if pending[c] == 0 {
                ready.push(Reverse((found[c].1, found[c].0.id, c)));
            }
        }
    }
    let mut slots: Vec<Option<Node>> = found.into_iter().map(|(n, _)| Some(n)).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn node(n: u8, parents: &[u8]) -> Node {
        Node {
            id: id(n),
            parents: parents.iter().map(|&p| id(p)).collect(),
        }
    }

    #[test]
    fn parents_come_before_children_even_with_skewed_clocks() {
        // 3's clock is behind its parent 2: topology wins over time.
        let found = vec![(node(3, &[2]), 5), (node(2, &[1]), 20), (node(1, &[]), 10)];
        let order: Vec<ObjectId> = topo_order(found).into_iter().map(|n| n.id).collect();
        assert_eq!(order, vec![id(1), id(2), id(3)]);
    }

    #[test]
    fn oldest_ready_branch_goes_first() {
        // Two branches off 1: 2 (t=30) and 3 (t=20); 3 is older so it is emitted first.
        let found = vec![
            (node(1, &[]), 10),
            (node(2, &[1]), 30),
            (node(3, &[1]), 20),
            (node(4, &[2, 3]), 40),
        ];
        let order: Vec<ObjectId> = topo_order(found).into_iter().map(|n| n.id).collect();
        assert_eq!(order, vec![id(1), id(3), id(2), id(4)]);
    }
}
