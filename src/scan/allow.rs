//! What a scan lets through without a finding: lines carrying an inline allow comment, and
//! context-only matches in dependency lock files. (The repository's allowlist is
//! [`crate::config::Allowlist`].)

use std::ops::Range;

use crate::lines::LineCursor;

/// Inline comments that suppress a finding on their line (`gitleaks:allow` and the
/// detect-secrets pragma are honoured so teams can migrate without editing every file).
pub const ALLOW_MARKERS: &[&str] = &[
    "keysift:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
];

/// Dependency lock files: their integrity hashes look random and sit next to package names
/// that double as context words (`cohere`, `mistralai`), so context-only rules skip them.
const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "Cargo.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "go.sum",
    "composer.lock",
    "Gemfile.lock",
    "packages.lock.json",
    "flake.lock",
    "mix.lock",
    "pubspec.lock",
    "Podfile.lock",
    "deno.lock",
    "conda-lock.yml",
    "gradle.lockfile",
    "Package.resolved",
    ".terraform.lock.hcl",
];

/// True when `path` names a dependency lock file.
pub fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    LOCKFILES.contains(&name)
}

fn has_marker(line: &[u8]) -> bool {
    ALLOW_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(line, m.as_bytes()).is_some())
}

/// Which lines carry an inline allow comment, asked for increasing offsets: each line is found and searched once,
/// however many candidates it holds (a minified file is one line).
pub struct AllowMarkers<'a> {
    hay: &'a [u8],
    lines: LineCursor<'a>,
    last: Option<(Range<usize>, bool)>,
}

impl<'a> AllowMarkers<'a> {
    pub fn new(hay: &'a [u8]) -> Self {
        AllowMarkers {
            hay,
            lines: LineCursor::new(hay),
            last: None,
        }
    }

    /// True when the line holding `pos` carries an inline allow comment.
    pub fn on_line_of(&mut self, pos: usize) -> bool {
        let line = self.lines.line(pos);
        match &self.last {
            Some((l, marked)) if *l == line => *marked,
            _ => {
                let marked = has_marker(&self.hay[line.clone()]);
                self.last = Some((line, marked));
                marked
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockfiles_by_name() {
        assert!(is_lockfile("web/package-lock.json"));
        assert!(is_lockfile("go.sum"));
        assert!(!is_lockfile("src/lock.rs"));
    }

    #[test]
    fn allow_marker_is_per_line() {
        let hay = b"a = 1\nkey = 'x' # keysift:allow\nb = 2";
        let mut m = AllowMarkers::new(hay);
        assert!(!m.on_line_of(2));
        assert!(m.on_line_of(8));
        assert!(m.on_line_of(20));
        assert!(!m.on_line_of(hay.len() - 1));
    }
}
