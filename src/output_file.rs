//! Files keysift writes (reports, baselines), written so a hostile tree cannot redirect them:
//! the content goes to a temporary file in the destination's directory that is then renamed
//! over the destination, so a symlink planted there is replaced, never followed. Destinations
//! inside a `.git` directory (hooks, config) and existing executables are refused, because a
//! report written over a hook runs as shell on the next commit.

use std::{
    fs::{self, File},
    io::{self, Write},
    path::{Path, PathBuf},
};

use tempfile::NamedTempFile;

/// How a checked destination is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A regular file, a symlink to one, or nothing yet: temporary file, then rename.
    Replace,
    /// A device or pipe (`/dev/stdout`, `/dev/null`), possibly behind a symlink: written in
    /// place, because renaming over it would replace the device node itself.
    Stream,
}

/// Why a destination is refused.
fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("refusing to write {}: {why}", path.display()),
    )
}

/// Checks that `path` may be written, before any work is done, so a bad `-o` fails fast.
pub fn check(path: &Path) -> io::Result<()> {
    destination(path).map(|_| ())
}

fn destination(path: &Path) -> io::Result<Mode> {
    let name = path
        .file_name()
        .ok_or_else(|| refused(path, "not a file name"))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let in_git = |p: &Path| p.components().any(|c| is_git_dir_name(c.as_os_str()));
    if in_git(path) {
        return Err(refused(path, "it is inside a .git directory"));
    }
    let parent = fs::canonicalize(parent)?;
    if in_git(&parent) {
        return Err(refused(path, "it is inside a .git directory"));
    }
    if inside_repository_git_dir(&parent) {
        return Err(refused(path, "it is inside the repository's git directory"));
    }
    let full = parent.join(name);
    let meta = match fs::symlink_metadata(&full) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Mode::Replace),
        Err(e) => return Err(e),
    };
    if meta.is_dir() {
        return Err(refused(path, "it is a directory"));
    }
    if meta.file_type().is_symlink() {
        return match fs::metadata(&full) {
            Ok(target) if target.is_dir() => Err(refused(path, "it links to a directory")),
            Ok(target) if !target.is_file() => Ok(Mode::Stream),
            _ => Ok(Mode::Replace),
        };
    }
    if !meta.is_file() {
        return Ok(Mode::Stream);
    }
    if is_executable(&meta) {
        return Err(refused(path, "it is an existing executable file"));
    }
    Ok(Mode::Replace)
}

/// `.git` in any letter case: case-insensitive file systems treat `.GIT` as the same directory.
fn is_git_dir_name(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().eq_ignore_ascii_case(b".git")
}

/// The git directory of the repository around `dir` need not be called `.git` (`GIT_DIR`,
/// linked worktrees, bare repositories): ask git's discovery where it is.
fn inside_repository_git_dir(dir: &Path) -> bool {
    let Ok(repo) = gix::discover(dir) else {
        return false;
    };
    [repo.git_dir(), repo.common_dir()]
        .iter()
        .filter_map(|d| fs::canonicalize(d).ok())
        .any(|d| dir.starts_with(d))
}

#[cfg(unix)]
fn is_executable(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &fs::Metadata) -> bool {
    false
}

/// An output file being written; [`OutputFile::commit`] puts it in place. Dropped without a
/// commit, the temporary file is removed and the destination is untouched.
pub struct OutputFile {
    path: PathBuf,
    inner: Inner,
}

enum Inner {
    Temp(NamedTempFile),
    Stream(File),
}

impl OutputFile {
    /// Checks `path` (see [`check`]) and opens where its content goes.
    pub fn create(path: &Path) -> io::Result<OutputFile> {
        let inner = match destination(path)? {
            Mode::Stream => Inner::Stream(fs::OpenOptions::new().write(true).open(path)?),
            Mode::Replace => {
                let dir = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                Inner::Temp(builder().tempfile_in(dir)?)
            }
        };
        Ok(OutputFile {
            path: path.to_path_buf(),
            inner,
        })
    }

    /// Flushes and renames the temporary file over the destination.
    pub fn commit(self) -> io::Result<()> {
        match self.inner {
            Inner::Stream(mut f) => f.flush(),
            Inner::Temp(mut t) => {
                t.flush()?;
                t.persist(&self.path).map(|_| ()).map_err(|e| e.error)
            }
        }
    }
}

/// Unix: what `File::create` gives a new file (the umask still applies), so a report or
/// baseline is a plain readable file rather than owner-only like a temporary file.
fn builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(".keysift-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(0o666));
    }
    b
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Inner::Temp(t) => t.write(buf),
            Inner::Stream(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Inner::Temp(t) => t.flush(),
            Inner::Stream(f) => f.flush(),
        }
    }
}
