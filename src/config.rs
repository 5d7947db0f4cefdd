//! `.keysift.toml`: a repository's own allowlist, found at the repository root automatically
//! (or named with `--config`). It lets a team silence test fixtures and known non-secrets in
//! the repository itself, reviewed like code, instead of in each developer's command line.
//!
//! ```toml
//! [allowlist]
//! paths = ['^tests/fixtures/', '\.snap$']   # regexes on the file's path
//! regexes = ['^AKIA[A-Z0-9]{12}TEST$']       # regexes on the secret
//! rules = ["acme-token"]                     # rule ids never reported here
//! ```

use std::path::{Path, PathBuf};

use regex_automata::meta::Regex;
use serde::Deserialize;

use crate::lines::LineCounter;

/// The file name looked for at the repository root.
pub const CONFIG_FILE: &str = ".keysift.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read config: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    allowlist: RawAllowlist,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAllowlist {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    rules: Vec<String>,
}

/// A loaded allowlist. The default allows nothing.
#[derive(Debug, Default)]
pub struct Allowlist {
    /// Directory of the config file: paths are also matched relative to it.
    root: Option<PathBuf>,
    paths: Vec<Regex>,
    secrets: Vec<Regex>,
    rules: Vec<String>,
    /// Where the allowlist came from, for `--verbose`.
    pub origin: Option<PathBuf>,
}

impl Allowlist {
    /// Loads `path`; every error names the file and the line.
    pub fn load(path: &Path) -> Result<Allowlist, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Allowlist::parse(&text, path)
    }

    /// Parses a config's `text`, read from `path` (named in errors; paths match relative to
    /// its directory). Separate from [`Allowlist::load`] so the parser can be fuzzed.
    pub fn parse(text: &str, path: &Path) -> Result<Allowlist, ConfigError> {
        let shown = path.display().to_string();
        let invalid = |message: String| ConfigError::Invalid {
            path: shown.clone(),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of_offset(text, s.start));
            invalid(format!("line {line}: {}", e.message().trim()))
        })?;
        let compile = |pats: &[String]| -> Result<Vec<Regex>, ConfigError> {
            pats.iter()
                .map(|p| {
                    let line = text
                        .find(&format!("'{p}'"))
                        .or_else(|| text.find(&format!("\"{p}\"")))
                        .or_else(|| text.find(p.as_str()))
                        .map_or(1, |i| line_of_offset(text, i));
                    let re = Regex::new(p)
                        .map_err(|e| invalid(format!("line {line}: invalid regex `{p}`: {e}")))?;
                    // `regexes = [""]` or `'.*'` would silence every finding: a pattern that
                    // matches the empty string matches inside every secret and path.
                    if re.is_match("") {
                        return Err(invalid(format!(
                            "line {line}: regex `{p}` matches the empty string, so it would \
                             allow everything; anchor it or make it match something"
                        )));
                    }
                    Ok(re)
                })
                .collect()
        };
        let a = raw.allowlist;
        Ok(Allowlist {
            root: path.parent().map(Path::to_path_buf),
            paths: compile(&a.paths)?,
            secrets: compile(&a.regexes)?,
            rules: a.rules,
            origin: Some(path.to_path_buf()),
        })
    }

    /// Finds `.keysift.toml` in `start` (a file's directory) or its ancestors up to the
    /// repository root (the nearest directory holding `.git`). Outside a repository only the
    /// scanned directory itself is searched: a config in a parent (another user's
    /// `/tmp/.keysift.toml`) must not silence a scan below it.
    pub fn discover(start: &Path) -> Result<Allowlist, ConfigError> {
        let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
        let dir = if start.is_dir() {
            start.as_path()
        } else {
            match start.parent() {
                Some(p) => p,
                None => return Ok(Allowlist::default()),
            }
        };
        let top = repository_root(dir).unwrap_or(dir);
        for d in dir.ancestors() {
            let candidate = d.join(CONFIG_FILE);
            if candidate.is_file() {
                return Allowlist::load(&candidate);
            }
            if d == top {
                break;
            }
        }
        Ok(Allowlist::default())
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.secrets.is_empty() && self.rules.is_empty()
    }

    /// True when a finding on `secret` in `path` of the rule known by `rule_ids` (its id and
    /// former ids) is allowed (not reported).
    pub fn allows<'a>(
        &self,
        rule_ids: impl IntoIterator<Item = &'a str>,
        path: &str,
        secret: &str,
    ) -> bool {
        if rule_ids
            .into_iter()
            .any(|id| self.rules.iter().any(|r| r == id))
        {
            return true;
        }
        if self.secrets.iter().any(|re| re.is_match(secret)) {
            return true;
        }
        if self.paths.is_empty() {
            return false;
        }
        let relative = self.relative(path);
        self.paths
            .iter()
            .any(|re| re.is_match(path) || relative.as_deref().is_some_and(|r| re.is_match(r)))
    }

    /// `path` relative to the config file's directory, when both resolve.
    fn relative(&self, path: &str) -> Option<String> {
        let root = std::fs::canonicalize(self.root.as_ref()?).ok()?;
        let abs = std::fs::canonicalize(path).ok()?;
        Some(
            abs.strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/"),
        )
    }
}

/// The nearest directory at or above `dir` that holds `.git` (a directory, or the file of a
/// linked worktree or submodule).
pub fn repository_root(dir: &Path) -> Option<&Path> {
    dir.ancestors().find(|d| d.join(".git").exists())
}

/// The allowlists of one run, by scan root: with several paths each path uses its own
/// repository's config. A file uses the allowlist of the deepest root holding it.
#[derive(Debug, Default)]
pub struct Allowlists {
    /// (root as reports spell its paths, allowlist); the empty root holds every path.
    by_root: Vec<(PathBuf, Allowlist)>,
}

impl Allowlists {
    /// One allowlist for every path (`--config FILE`, staged and history scans).
    pub fn everywhere(allowlist: Allowlist) -> Allowlists {
        Allowlists {
            by_root: vec![(PathBuf::new(), allowlist)],
        }
    }

    /// Adds the allowlist for files under `root` (spelled as reported paths are).
    pub fn add(&mut self, root: PathBuf, allowlist: Allowlist) {
        self.by_root.push((root, allowlist));
    }

    /// The config files in use, each once, for `--verbose`.
    pub fn origins(&self) -> Vec<&Path> {
        let mut out: Vec<&Path> = Vec::new();
        for (_, a) in &self.by_root {
            if let Some(o) = a.origin.as_deref()
                && !out.contains(&o)
            {
                out.push(o);
            }
        }
        out
    }

    /// True when a finding of `rule` on `secret` in `path` is allowed (not reported).
    pub fn allows<'a>(
        &self,
        rule_ids: impl IntoIterator<Item = &'a str>,
        path: &str,
        secret: &str,
    ) -> bool {
        let p = Path::new(path);
        self.by_root
            .iter()
            .filter(|(root, _)| p.starts_with(root))
            .max_by_key(|(root, _)| root.components().count())
            .is_some_and(|(_, a)| a.allows(rule_ids, path, secret))
    }
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    LineCounter::new(text.as_bytes()).locate(offset).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Allowlist, ConfigError> {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join(CONFIG_FILE);
        std::fs::write(&p, text).unwrap();
        Allowlist::load(&p)
    }

    #[test]
    fn allows_by_path_secret_and_rule() {
        let a = load(
            "[allowlist]\npaths = ['^tests/fixtures/']\nregexes = ['TEST$']\nrules = ['x-y']\n",
        )
        .unwrap();
        assert!(a.allows(["r"], "tests/fixtures/a.env", "s"));
        assert!(a.allows(["r"], "src/a", "abcTEST"));
        assert!(a.allows(["x-y"], "src/a", "s"));
        assert!(!a.allows(["r"], "src/a", "s"));
    }

    #[test]
    fn errors_name_the_line() {
        let e = load("[allowlist]\npaths = ['(']\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2: invalid regex"), "{e}");
        let e = load("[allowlist]\npathz = []\n").unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn patterns_that_match_everything_are_rejected() {
        for bad in ["''", "'.*'", "'^'", "'x?'", "'(?:)'"] {
            for key in ["regexes", "paths"] {
                let e = load(&format!("[allowlist]\n{key} = ['T$', {bad}]\n"))
                    .unwrap_err()
                    .to_string();
                assert!(e.contains("line 2") && e.contains("empty string"), "{e}");
            }
        }
    }

    #[test]
    fn each_root_uses_its_own_allowlist() {
        let mut all = Allowlists::default();
        all.add(
            PathBuf::from("a"),
            load("[allowlist]\nrules = ['r']\n").unwrap(),
        );
        all.add(PathBuf::from("b"), Allowlist::default());
        assert!(all.allows(["r"], "a/x.env", "s"));
        assert!(!all.allows(["r"], "b/x.env", "s"));
        assert!(!all.allows(["r"], "ab/x.env", "s"));
    }
}
