//! What a scan lets through without a finding: lines carrying an inline allow comment, and
//! context-only matches in dependency lock files. (The repository's allowlist is
//! [`crate::config::Allowlist`].)

use crate::lines::{line_end, line_start};

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

/// True when the line holding `pos` carries an inline allow comment.
pub fn line_has_allow_marker(hay: &[u8], pos: usize) -> bool {
    let start = line_start(hay, pos);
    let end = line_end(hay, pos);
    let line = &hay[start..end];
    ALLOW_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(line, m.as_bytes()).is_some())
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
        assert!(line_has_allow_marker(hay, 8));
        assert!(!line_has_allow_marker(hay, 2));
        assert!(!line_has_allow_marker(hay, hay.len() - 1));
    }
}
