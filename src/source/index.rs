//! The changes staged for commit, read from the git index through the git CLI.
//!
//! A pre-commit hook must judge what the commit will contain, which is the index, not the
//! working tree: an unstaged edit is not committed, and a file staged and then edited (or
//! deleted) on disk is committed as staged. `git commit -a` and `git commit PATH` point
//! `GIT_INDEX_FILE` at a temporary index before running hooks; child processes inherit it,
//! so every git command here reads the index the commit will be made from.
//!
//! Two processes do the work whatever the size of the commit: `git diff --cached --raw -z`
//! lists the staged entries with their blob ids (against HEAD, or against the empty tree when
//! there is no commit yet, which porcelain `git diff --cached` does by itself), and one
//! `git cat-file --batch` streams the blobs. Paths are bytes (`-z`), so names that are not
//! UTF-8 survive; reports show them lossily.

use std::{
    ffi::OsStr,
    io::{self, BufRead, BufReader, Read, Write},
    path::PathBuf,
    process::{Child, ChildStdout, Command, Stdio},
};

use super::ignore_files::path_from_bytes;

/// Why staged changes could not be read. Messages never contain file contents.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git ({0}); --staged needs git on PATH")]
    Spawn(#[source] io::Error),
    #[error(
        "not inside a git repository: --staged reads the index of the repository around the current directory"
    )]
    NotARepository,
    #[error("`git {command}` failed: {stderr}")]
    Failed { command: String, stderr: String },
    #[error("unexpected output from `git {command}`: {detail}")]
    Protocol {
        command: &'static str,
        detail: String,
    },
    #[error("reading from git: {0}")]
    Io(#[from] io::Error),
}

/// A file entry whose staged content keysift scans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    /// Repository-relative path as git stores it (bytes; not necessarily UTF-8).
    pub path: Vec<u8>,
    /// The staged blob: what the commit will contain.
    pub blob: String,
    /// The blob this one replaces (HEAD's version of the path, or the rename source), when
    /// the old side is a regular file. Findings that also occur in it are not new.
    pub base: Option<String>,
}

impl StagedFile {
    /// The path as reports show it: lossy UTF-8, repository-relative, `/`-separated.
    pub fn shown(&self) -> String {
        String::from_utf8_lossy(&self.path).into_owned()
    }
}

/// One line of `git diff --cached --raw`, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Added, modified, renamed, copied or type-changed to a regular file.
    Scan(StagedFile),
    /// Nothing for the commit to add here: a deletion, or an entry whose new side is not a
    /// regular file.
    Skip { path: Vec<u8>, reason: SkipReason },
}

impl Entry {
    pub fn path(&self) -> &[u8] {
        match self {
            Entry::Scan(f) => &f.path,
            Entry::Skip { path, .. } => path,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    Deleted,
    /// A gitlink (mode 160000): the submodule's own hooks judge its commits.
    Submodule,
    /// The blob is a link target, not file content; directory scans skip links too.
    Symlink,
    /// An unmerged path during a conflict; git refuses to commit until it is resolved.
    Unmerged,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Deleted => "deleted",
            SkipReason::Submodule => "submodule, skipped",
            SkipReason::Symlink => "symbolic link, skipped",
            SkipReason::Unmerged => "unmerged, skipped",
        }
    }
}

/// Runs git in the current directory with the caller's environment (see the module docs for
/// why `GIT_INDEX_FILE` must pass through).
fn git() -> Command {
    let mut c = Command::new("git");
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `git ARGS` to completion and returns its standard output.
fn run(args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = git().args(args).output().map_err(GitError::Spawn)?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    Err(GitError::Failed {
        command: args.join(" "),
        stderr: first_line(&out.stderr),
    })
}

fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("exited with an error");
    line.trim().trim_start_matches("fatal: ").to_string()
}

/// After a failed git command: a precise error when the cause is "no repository here".
fn diagnose(err: GitError) -> GitError {
    match run(&["rev-parse", "--git-dir"]) {
        Err(GitError::Failed { stderr, .. }) if stderr.contains("not a git repository") => {
            GitError::NotARepository
        }
        _ => err,
    }
}

/// The staged entries of the repository around the current directory, in git's order.
pub fn staged_entries() -> Result<Vec<Entry>, GitError> {
    let out = run(&[
        "diff",
        "--cached",
        "--raw",
        "-z",
        "-M",
        "--no-abbrev",
        "--no-relative",
        "--no-color",
        "--no-ext-diff",
        "--ignore-submodules=none",
    ])
    .map_err(diagnose)?;
    parse_raw(&out)
}

/// Whether a merge is being concluded (`MERGE_HEAD` exists): its commit is a second parent
/// whose content the commit does not add either.
pub fn merging() -> Result<bool, GitError> {
    let out = git()
        .args(["rev-parse", "-q", "--verify", "MERGE_HEAD^{commit}"])
        .output()
        .map_err(GitError::Spawn)?;
    Ok(out.status.success())
}

/// Where the current directory sits in its repository.
#[derive(Debug, Clone)]
pub struct Location {
    /// The working tree's top directory.
    pub root: PathBuf,
    /// The current directory relative to `root` (`sub/dir/`, or empty at the root).
    pub prefix: Vec<u8>,
}

/// Asks git for the working tree root and the current directory's place in it.
pub fn location() -> Result<Location, GitError> {
    let out = run(&["rev-parse", "--show-toplevel", "--show-prefix"]).map_err(diagnose)?;
    let mut lines = out.split(|b| *b == b'\n');
    let root = lines
        .next()
        .filter(|l| !l.is_empty())
        .ok_or(GitError::Protocol {
            command: "rev-parse --show-toplevel",
            detail: "no top-level directory".into(),
        })?;
    Ok(Location {
        root: path_from_bytes(root),
        prefix: lines.next().unwrap_or_default().to_vec(),
    })
}

/// Parses `git diff --raw -z` output: `:SRCMODE DSTMODE SRCID DSTID STATUS\0PATH\0`, with a
/// second path (the destination) for renames and copies.
pub fn parse_raw(out: &[u8]) -> Result<Vec<Entry>, GitError> {
    let bad = |detail: String| GitError::Protocol {
        command: "diff --cached --raw",
        detail,
    };
    // Every field ends with NUL; without the last one, splitting yields exactly the fields.
    let out = out.strip_suffix(b"\0").unwrap_or(out);
    if out.is_empty() {
        return Ok(Vec::new());
    }
    let mut fields = out.split(|b| *b == 0);
    let mut entries = Vec::new();
    while let Some(header) = fields.next() {
        let header = std::str::from_utf8(header)
            .ok()
            .and_then(|h| h.strip_prefix(':'))
            .ok_or_else(|| bad("record does not start with ':'".into()))?;
        let parts: Vec<&str> = header.split(' ').collect();
        let [src_mode, dst_mode, src_id, dst_id, status] = parts[..] else {
            return Err(bad(format!("malformed record header `{header}`")));
        };
        let letter = status.chars().next().unwrap_or(' ');
        let mut path = fields
            .next()
            .ok_or_else(|| bad("record without a path".into()))?
            .to_vec();
        if matches!(letter, 'R' | 'C') {
            path = fields
                .next()
                .ok_or_else(|| bad("rename without a destination".into()))?
                .to_vec();
        }
        entries.push(classify(letter, src_mode, dst_mode, src_id, dst_id, path));
    }
    Ok(entries)
}

fn classify(
    letter: char,
    src_mode: &str,
    dst_mode: &str,
    src_id: &str,
    dst_id: &str,
    path: Vec<u8>,
) -> Entry {
    let skip = |reason| Entry::Skip {
        path: path.clone(),
        reason,
    };
    match letter {
        'D' => return skip(SkipReason::Deleted),
        'U' => return skip(SkipReason::Unmerged),
        _ => {}
    }
    match dst_mode {
        "160000" => return skip(SkipReason::Submodule),
        "120000" => return skip(SkipReason::Symlink),
        m if !is_regular(m) => return skip(SkipReason::Deleted),
        _ => {}
    }
    if is_null(dst_id) {
        return skip(SkipReason::Unmerged);
    }
    let base = (is_regular(src_mode) && !is_null(src_id)).then(|| src_id.to_string());
    Entry::Scan(StagedFile {
        path,
        blob: dst_id.to_string(),
        base,
    })
}

fn is_regular(mode: &str) -> bool {
    mode.starts_with("100")
}

fn is_null(id: &str) -> bool {
    id.bytes().all(|b| b == b'0')
}

/// An object read from `git cat-file --batch`.
pub struct Blob {
    /// The object id git resolved the name to (empty when missing).
    pub id: String,
    /// The content; empty when the object is missing or not a blob.
    pub bytes: Vec<u8>,
    /// The name did not resolve to a blob (missing, ambiguous, or a tree).
    pub missing: bool,
}

/// Streams objects from one `git cat-file --batch` process, in the order they were asked
/// for. A writer thread feeds the names so neither side can block the other on a full pipe.
pub struct BlobReader {
    child: Child,
    stdout: BufReader<ChildStdout>,
    writer: Option<std::thread::JoinHandle<io::Result<()>>>,
    remaining: usize,
    header: Vec<u8>,
}

impl BlobReader {
    /// `names` are object ids, or `REV:PATH` names (which must not contain a newline).
    pub fn new(names: Vec<Vec<u8>>) -> Result<BlobReader, GitError> {
        let mut child = git()
            .args(["cat-file", "--batch", "--buffer"])
            .stdin(Stdio::piped())
            .spawn()
            .map_err(GitError::Spawn)?;
        let no_pipe = || GitError::Protocol {
            command: "cat-file --batch",
            detail: "no pipe".into(),
        };
        let mut stdin = child.stdin.take().ok_or_else(no_pipe)?;
        let stdout = BufReader::with_capacity(64 * 1024, child.stdout.take().ok_or_else(no_pipe)?);
        let remaining = names.len();
        let writer = std::thread::spawn(move || {
            let mut w = io::BufWriter::new(&mut stdin);
            for name in &names {
                w.write_all(name)?;
                w.write_all(b"\n")?;
            }
            w.flush()
        });
        Ok(BlobReader {
            child,
            stdout,
            writer: Some(writer),
            remaining,
            header: Vec::new(),
        })
    }

    /// The next object, or `None` when every requested one has been read.
    pub fn next_blob(&mut self) -> Result<Option<Blob>, GitError> {
        if self.remaining == 0 {
            self.finish()?;
            return Ok(None);
        }
        self.remaining -= 1;
        let bad = |detail: String| GitError::Protocol {
            command: "cat-file --batch",
            detail,
        };
        self.header.clear();
        self.stdout.read_until(b'\n', &mut self.header)?;
        if self.header.last() != Some(&b'\n') {
            let err = self.finish().err();
            return Err(err.unwrap_or_else(|| bad("output ended early".into())));
        }
        let header = &self.header[..self.header.len() - 1];
        // `NAME missing` / `NAME ambiguous`, where NAME may contain spaces.
        if header.ends_with(b" missing") || header.ends_with(b" ambiguous") {
            return Ok(Some(Blob {
                id: String::new(),
                bytes: Vec::new(),
                missing: true,
            }));
        }
        let header = String::from_utf8_lossy(header).into_owned();
        let mut parts = header.rsplitn(3, ' ');
        let (Some(size), Some(kind), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad(format!("unexpected header `{header}`")));
        };
        let size: usize = size
            .parse()
            .map_err(|_| bad(format!("bad size in `{header}`")))?;
        let mut bytes = vec![0; size];
        self.stdout.read_exact(&mut bytes)?;
        let mut newline = [0u8; 1];
        self.stdout.read_exact(&mut newline)?;
        let missing = kind != "blob";
        if missing {
            bytes.clear();
        }
        Ok(Some(Blob {
            id: id.to_string(),
            bytes,
            missing,
        }))
    }

    /// Waits for the writer and the process; a failure of either is an error.
    fn finish(&mut self) -> Result<(), GitError> {
        if let Some(w) = self.writer.take() {
            let written = w.join().unwrap_or_else(|_| {
                Err(io::Error::other("the thread feeding git cat-file panicked"))
            });
            let status = self.child.wait()?;
            if !status.success() {
                let mut stderr = Vec::new();
                if let Some(mut e) = self.child.stderr.take() {
                    let _ = e.read_to_end(&mut stderr);
                }
                return Err(GitError::Failed {
                    command: "cat-file --batch".into(),
                    stderr: first_line(&stderr),
                });
            }
            written?;
        }
        Ok(())
    }
}

impl Iterator for BlobReader {
    type Item = Result<Blob, GitError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_blob().transpose()
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Normalises a command-line path (relative to the current directory) to a
/// repository-relative path: `prefix` + path without `./` and trailing `/`.
pub fn repo_relative(prefix: &[u8], path: &OsStr) -> Vec<u8> {
    let mut p = path.as_encoded_bytes();
    while let Some(rest) = p.strip_prefix(b"./") {
        p = rest;
    }
    if p == b"." {
        p = b"";
    }
    let mut out = prefix.to_vec();
    out.extend_from_slice(p);
    while out.last() == Some(&b'/') {
        out.pop();
    }
    out
}

/// Whether the repository-relative `entry` path is `filter` or lies under it.
pub fn path_matches(filter: &[u8], entry: &[u8]) -> bool {
    filter.is_empty()
        || entry == filter
        || (entry.starts_with(filter) && entry.get(filter.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";
    const Z: &str = "0000000000000000000000000000000000000000";

    fn raw(records: &[(&str, &[&[u8]])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (header, paths) in records {
            out.extend_from_slice(header.as_bytes());
            out.push(0);
            for p in *paths {
                out.extend_from_slice(p);
                out.push(0);
            }
        }
        out
    }

    #[test]
    fn parses_every_kind_of_entry() {
        let out = raw(&[
            (&format!(":000000 100644 {Z} {A} A"), &[b"new file.txt"]),
            (&format!(":100644 100755 {A} {B} M"), &[b"caf\xe9"]),
            (
                &format!(":100644 100644 {A} {B} R087"),
                &[b"old", b"dir/new"],
            ),
            (&format!(":100644 000000 {A} {Z} D"), &[b"gone"]),
            (&format!(":000000 160000 {Z} {A} A"), &[b"sub"]),
            (&format!(":000000 120000 {Z} {A} A"), &[b"link"]),
            (&format!(":120000 100644 {A} {B} T"), &[b"was-link"]),
            (&format!(":000000 000000 {Z} {Z} U"), &[b"conflict"]),
        ]);
        let e = parse_raw(&out).unwrap();
        let scan = |path: &[u8], blob: &str, base: Option<&str>| {
            Entry::Scan(StagedFile {
                path: path.to_vec(),
                blob: blob.into(),
                base: base.map(Into::into),
            })
        };
        let skip = |path: &[u8], reason| Entry::Skip {
            path: path.to_vec(),
            reason,
        };
        assert_eq!(
            e,
            vec![
                scan(b"new file.txt", A, None),
                scan(b"caf\xe9", B, Some(A)),
                scan(b"dir/new", B, Some(A)),
                skip(b"gone", SkipReason::Deleted),
                skip(b"sub", SkipReason::Submodule),
                skip(b"link", SkipReason::Symlink),
                scan(b"was-link", B, None),
                skip(b"conflict", SkipReason::Unmerged),
            ]
        );
    }

    #[test]
    fn empty_output_means_nothing_staged() {
        assert!(parse_raw(b"").unwrap().is_empty());
    }

    #[test]
    fn garbage_is_a_protocol_error() {
        assert!(matches!(
            parse_raw(b"hello\0"),
            Err(GitError::Protocol { .. })
        ));
        assert!(parse_raw(format!(":100644 100644 {A} {B} R100\0only\0").as_bytes()).is_err());
    }

    #[test]
    fn repo_relative_paths() {
        assert_eq!(repo_relative(b"", OsStr::new("./a/b")), b"a/b");
        assert_eq!(repo_relative(b"sub/", OsStr::new("x.txt")), b"sub/x.txt");
        assert_eq!(repo_relative(b"sub/", OsStr::new(".")), b"sub");
        assert_eq!(repo_relative(b"", OsStr::new("dir/")), b"dir");
        assert!(path_matches(b"dir", b"dir/a"));
        assert!(path_matches(b"dir", b"dir"));
        assert!(!path_matches(b"dir", b"dir2/a"));
        assert!(path_matches(b"", b"anything"));
    }
}
