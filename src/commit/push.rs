//! What a push sends: parses the ref updates git hands a `pre-push` hook (`<local ref> <local
//! id> <remote ref> <remote id>` per line) or a server's `pre-receive` hook (`<old> <new>
//! <ref>`), or the pre-commit framework's `PRE_COMMIT_*` variables, into the commits to scan:
//! reachable from the new tips, not from what the remote already has.

use crate::{
    diagnostic::{Diagnostic, Severity},
    source::objects::Tips,
};

/// A parsed hook input: the selection plus a diagnostic per line that could not be used.
#[derive(Debug, Default)]
pub struct Parsed {
    pub selection: Tips,
    pub diagnostics: Vec<Diagnostic>,
    /// Ref deletions, which send no commits.
    pub deletions: usize,
}

/// Which hook's lines these are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookInput {
    /// Client side: `<local ref> <local id> <remote ref> <remote id>`.
    PrePush,
    /// Server side: `<old id> <new id> <ref>`.
    PreReceive,
}

fn is_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_zero(s: &str) -> bool {
    s.bytes().all(|b| b == b'0')
}

/// Parses the hook's standard input. `remote` is the remote's name (the pre-push hook's first
/// argument), used to hide its tracking refs.
pub fn parse(input: &str, kind: HookInput, remote: Option<&str>) -> Parsed {
    let mut p = Parsed::default();
    p.selection.hide_all_refs = kind == HookInput::PreReceive;
    for (n, line) in input.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (old, new) = match (kind, fields.as_slice()) {
            (HookInput::PrePush, [_, local, _, remote_id]) => (*remote_id, *local),
            (HookInput::PreReceive, [old, new, _]) => (*old, *new),
            _ => {
                p.diagnostics
                    .push(bad_line(n, line, kind, "wrong number of fields"));
                continue;
            }
        };
        if let Some(bad) = [old, new].into_iter().find(|s| !is_id(s)) {
            let why = format!("`{bad}` is not a commit id (40 or 64 hex digits)");
            p.diagnostics.push(bad_line(n, line, kind, &why));
            continue;
        }
        if is_zero(new) {
            p.deletions += 1;
            continue;
        }
        p.selection.tips.push(new.to_string());
        if is_zero(old) {
            // A new branch: the remote has whatever its tracking refs show.
            if kind == HookInput::PrePush {
                p.selection.hide_remote = remote.map(str::to_string);
            }
        } else {
            p.selection.hidden.push(old.to_string());
        }
    }
    if kind == HookInput::PrePush && p.selection.hide_remote.is_none() {
        p.selection.hide_remote = remote.map(str::to_string);
    }
    p
}

fn bad_line(n: usize, line: &str, kind: HookInput, why: &str) -> Diagnostic {
    let expected = match kind {
        HookInput::PrePush => "<local ref> <local id> <remote ref> <remote id>",
        HookInput::PreReceive => "<old id> <new id> <ref>",
    };
    let shown: String = line.chars().take(200).collect();
    Diagnostic::new(
        Severity::Error,
        format!("<hook input line {}>", n + 1),
        format!("{why}; expected `{expected}`, got `{shown}`; that update was not scanned"),
    )
}

/// The pre-commit framework's pre-push stage reads git's lines itself and passes them on as
/// variables: `PRE_COMMIT_TO_REF` (the local id) and `PRE_COMMIT_FROM_REF` (what the remote
/// has), or, for a branch new down to its root commit, only `PRE_COMMIT_LOCAL_BRANCH`; and
/// `PRE_COMMIT_REMOTE_NAME`. `None` outside that stage.
pub fn from_pre_commit_env(get: impl Fn(&str) -> Option<String>) -> Option<Parsed> {
    let get = |k: &str| get(k).filter(|s| !s.is_empty());
    let to = get("PRE_COMMIT_TO_REF").or_else(|| get("PRE_COMMIT_LOCAL_BRANCH"))?;
    let mut p = Parsed::default();
    p.selection.tips.push(to);
    match get("PRE_COMMIT_FROM_REF") {
        Some(from) => p.selection.hidden.push(from),
        None => p.selection.hide_remote = get("PRE_COMMIT_REMOTE_NAME"),
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(c: char) -> String {
        std::iter::repeat_n(c, 40).collect()
    }

    #[test]
    fn updates_new_branches_and_deletions() {
        let zero = id('0');
        let input = format!(
            "refs/heads/main {a} refs/heads/main {b}\n\
             refs/heads/topic {c} refs/heads/topic {zero}\n\
             (delete) {zero} refs/heads/old {d}\n",
            a = id('a'),
            b = id('b'),
            c = id('c'),
            d = id('d'),
        );
        let p = parse(&input, HookInput::PrePush, Some("origin"));
        assert!(p.diagnostics.is_empty());
        assert_eq!(p.deletions, 1);
        assert_eq!(p.selection.tips, [id('a'), id('c')]);
        assert_eq!(p.selection.hidden, [id('b')]);
        assert_eq!(p.selection.hide_remote.as_deref(), Some("origin"));
    }

    #[test]
    fn malformed_lines_are_reported_and_skipped() {
        let input = format!(
            "refs/heads/main xyz refs/heads/main {}\nonly two\nrefs/heads/ok {} refs/heads/ok {}\n",
            id('b'),
            id('e'),
            id('f')
        );
        let p = parse(&input, HookInput::PrePush, None);
        assert_eq!(p.diagnostics.len(), 2);
        assert!(
            p.diagnostics[0]
                .message
                .contains("`xyz` is not a commit id")
        );
        assert!(p.diagnostics[1].message.contains("wrong number of fields"));
        assert_eq!(p.selection.tips, [id('e')]);
    }

    #[test]
    fn pre_receive_hides_every_ref() {
        let input = format!("{} {} refs/heads/main\n", id('0'), id('a'));
        let p = parse(&input, HookInput::PreReceive, None);
        assert!(p.selection.hide_all_refs);
        assert_eq!(p.selection.tips, [id('a')]);
    }

    #[test]
    fn pre_commit_framework_variables() {
        let vars = |k: &str| match k {
            "PRE_COMMIT_TO_REF" => Some(id('a')),
            "PRE_COMMIT_REMOTE_NAME" => Some("up".to_string()),
            _ => None,
        };
        let p = from_pre_commit_env(vars).unwrap();
        assert_eq!(p.selection.hide_remote.as_deref(), Some("up"));
        assert!(from_pre_commit_env(|_| None).is_none());
    }
}
