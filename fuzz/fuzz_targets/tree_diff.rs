//! Compares one level of a commit's tree with its parents' trees, the pure step of the
//! history diff (`source::objects::diff::compare_level`), on trees built from structured
//! input (sorted as git writes them, or not) and on raw bytes.
//!
//! Besides "no panic" it checks the merge against a plain reference: it never hides a blob
//! that no parent holds at the same name (whatever the order of hostile trees), never pairs
//! a subtree with a parent entry of another name, and on trees in git's order reports
//! exactly what the reference reports.

#![no_main]

use gix::objs::{TreeRefIter, tree::EntryKind};
use keysift::source::objects::diff::{Change, compare_level};
use libfuzzer_sys::{
    arbitrary::{self, Arbitrary},
    fuzz_target,
};

const MODES: &[&[u8]] = &[
    b"100644", b"100755", b"40000", b"120000", b"160000", b"100664", b"040000", b"644", b"0",
];

#[derive(Arbitrary, Debug)]
struct Entry {
    mode: u8,
    name: Vec<u8>,
    /// Ids come from a small pool, so equal ids are common.
    id: u8,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Built {
        tree: Vec<Entry>,
        parents: Vec<Vec<Entry>>,
        /// Write trees in git's order with unique names, as git does.
        canonical: bool,
    },
    Raw {
        tree: Vec<u8>,
        parents: Vec<Vec<u8>>,
    },
}

fn build(entries: &[Entry], canonical: bool) -> Vec<u8> {
    let mut es: Vec<(&[u8], Vec<u8>, u8)> = entries
        .iter()
        .map(|e| {
            let name: Vec<u8> = e
                .name
                .iter()
                .copied()
                .filter(|&b| b != 0 && b != b'/')
                .collect();
            (MODES[e.mode as usize % MODES.len()], name, e.id % 8)
        })
        .filter(|(_, name, _)| !name.is_empty())
        .collect();
    if canonical {
        es.retain(|(mode, ..)| MODES[..5].contains(mode));
        // git's order: a tree sorts as if its name ended with '/'.
        es.sort_by_key(|(mode, name, _)| {
            let mut k = name.clone();
            if *mode == b"40000" {
                k.push(b'/');
            }
            k
        });
        let mut seen = std::collections::HashSet::new();
        es.retain(|(_, name, _)| seen.insert(name.clone()));
    }
    let mut out = Vec::new();
    for (mode, name, id) in es {
        out.extend_from_slice(mode);
        out.push(b' ');
        out.extend_from_slice(&name);
        out.push(0);
        out.extend_from_slice(&[id; 20]);
    }
    out
}

struct Parsed<'a> {
    name: &'a [u8],
    kind: EntryKind,
    id: Vec<u8>,
}

fn parse(data: &[u8]) -> Option<Vec<Parsed<'_>>> {
    TreeRefIter::from_bytes(data, gix::hash::Kind::Sha1)
        .map(|e| {
            e.ok().map(|e| Parsed {
                name: e.filename.as_ref(),
                kind: e.mode.kind(),
                id: e.oid.as_bytes().to_vec(),
            })
        })
        .collect()
}

fn is_blob(k: EntryKind) -> bool {
    matches!(k, EntryKind::Blob | EntryKind::BlobExecutable)
}

fuzz_target!(|input: Input| {
    let (tree, parents, canonical) = match input {
        Input::Built {
            tree,
            parents,
            canonical,
        } => (
            build(&tree, canonical),
            parents
                .iter()
                .take(4)
                .map(|p| build(p, canonical))
                .collect(),
            canonical,
        ),
        Input::Raw { tree, parents } => (tree, parents.into_iter().take(4).collect(), false),
    };
    let parents: Vec<Vec<u8>> = parents;
    let result = compare_level(&tree, &parents, gix::hash::Kind::Sha1);
    let (Some(entries), Some(parent_entries)) = (
        parse(&tree),
        parents.iter().map(|p| parse(p)).collect::<Option<Vec<_>>>(),
    ) else {
        assert!(result.is_err(), "a tree that does not parse was compared");
        return;
    };
    let changes = result.expect("trees that parse compare");

    // The reference: per entry, what a lookup by name in every parent says.
    let mut expected = Vec::new();
    for e in &entries {
        let same_name = |p: &Vec<Parsed<'_>>| -> Vec<(EntryKind, Vec<u8>)> {
            p.iter()
                .filter(|pe| pe.name == e.name)
                .map(|pe| (pe.kind, pe.id.clone()))
                .collect()
        };
        if is_blob(e.kind) {
            let known = parent_entries.iter().any(|p| {
                same_name(p)
                    .iter()
                    .any(|(k, id)| is_blob(*k) && *id == e.id)
            });
            expected.push((e, !known, Vec::new()));
        } else if e.kind == EntryKind::Tree {
            let subs: Vec<Vec<Vec<u8>>> = parent_entries
                .iter()
                .map(|p| {
                    same_name(p)
                        .into_iter()
                        .filter(|(k, _)| *k == EntryKind::Tree)
                        .map(|(_, id)| id)
                        .collect()
                })
                .collect();
            expected.push((e, true, subs));
        }
    }

    // Walk the changes alongside the reference, in tree order.
    let mut changes = changes.into_iter().peekable();
    for (e, introduced, subs) in expected {
        let matches_entry = |c: &Change<'_>| match c {
            Change::Blob { id, name } => {
                is_blob(e.kind) && id.as_bytes() == e.id.as_slice() && *name == e.name
            }
            Change::Tree { id, name, .. } => {
                e.kind == EntryKind::Tree && id.as_bytes() == e.id.as_slice() && *name == e.name
            }
        };
        let reported = changes.peek().is_some_and(matches_entry);
        if is_blob(e.kind) {
            if introduced {
                assert!(reported, "blob {:?} no parent holds was hidden", e.name);
            } else if canonical {
                assert!(!reported, "blob {:?} a parent holds was reported", e.name);
            }
            if reported {
                changes.next();
            }
            continue;
        }
        assert!(reported, "subtree {:?} was not compared", e.name);
        let Some(Change::Tree { parents: got, .. }) = changes.next() else {
            unreachable!("checked above")
        };
        // Each parent subtree taken is a same-named tree of a distinct parent.
        let mut used = vec![false; subs.len()];
        for id in &got {
            let i = (0..subs.len())
                .find(|&i| !used[i] && subs[i].iter().any(|s| s.as_slice() == id.as_bytes()))
                .unwrap_or_else(|| panic!("subtree {:?} paired with a stranger", e.name));
            used[i] = true;
        }
        if canonical {
            let want = subs.iter().filter(|s| !s.is_empty()).count();
            assert_eq!(got.len(), want, "subtree {:?} missed a parent", e.name);
        }
    }
    assert!(changes.next().is_none(), "a change for no entry");
});
