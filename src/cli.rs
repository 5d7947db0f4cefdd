//! Command-line definitions (clap derive). `app` turns them into validated configuration.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "keysift",
    version,
    about = "Find API keys and other secrets in source trees, staged changes and git history",
    after_help = "Exit status: 0 no findings, 1 findings, 2 error, 3 live key found (--verify)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and directories for secrets
    Scan(Box<ScanArgs>),
    /// List the detection rules, or check a rule file against its examples
    Rules(RulesArgs),
    /// Record the current findings so later scans and the hook report only new ones
    Baseline(BaselineArgs),
    /// Install a git pre-commit hook that runs `keysift scan --staged` (or a pre-push or
    /// commit-msg hook)
    InstallHook(InstallHookArgs),
    /// Remove a hook written by install-hook (the pre-commit hook unless another is named)
    UninstallHook(UninstallHookArgs),
    /// Print a shell completion script (e.g. `keysift completions bash > /etc/bash_completion.d/keysift`)
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page in roff (e.g. `keysift man | man -l -`); with a subcommand, its page
    Man {
        /// A subcommand, for its own page (`keysift man scan` is keysift-scan(1))
        subcommand: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan [default: .]; `-` reads standard input (FIFOs and `<(cmd)`
    /// are read as streams too). With --staged: only staged changes to these paths, or, when
    /// one of them has no staged change, these paths in full
    pub paths: Vec<PathBuf>,

    /// Name standard input (`-`) in reports; its extension counts as a file's would
    /// (`--stdin-name app.env`)
    #[arg(long, value_name = "NAME")]
    pub stdin_name: Option<String>,

    /// Scan the changes staged for commit (read from the git index), reporting only secrets
    /// the commit adds
    #[arg(long)]
    pub staged: bool,

    /// Do not report findings recorded in this baseline file (see `keysift baseline create`)
    #[arg(long, value_name = "FILE", conflicts_with = "audit")]
    pub baseline: Option<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Additional rule file (TOML); its rules add to or replace built-in ones with the same id
    #[arg(long = "rules", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,

    /// Also scan files excluded by .gitignore, .ignore and .keysiftignore
    #[arg(long)]
    pub no_ignore: bool,

    /// Allowlist config (default: `.keysift.toml` found at the repository root)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["no_config", "audit"])]
    pub config: Option<PathBuf>,

    /// Scan archives and compressed files (zip, jar, docx, tar, .gz, .bz2, .xz) as they are,
    /// instead of the files inside them
    #[arg(long)]
    pub no_archives: bool,

    /// Skip files, and archive members, larger than SIZE (e.g. 500K, 10M, 1G); skipped ones are
    /// counted in the summary and listed with --verbose
    #[arg(long, value_name = "SIZE", value_parser = keysift::size::parse)]
    pub max_file_size: Option<u64>,

    /// Do not load the repository's `.keysift.toml`
    #[arg(long)]
    pub no_config: bool,

    /// Trust nothing in the scanned tree: no `.keysift.toml`, `.keysiftignore` or `.ignore`,
    /// no inline allow comments, no baseline (`.gitignore` still skips untracked files unless
    /// --no-ignore)
    #[arg(long)]
    pub audit: bool,

    /// Ignore inline `keysift:allow` comments (for audits that must not trust the code)
    #[arg(long)]
    pub no_inline_allow: bool,

    /// Skip binary files (counted) instead of scanning them for self-identifying keys
    #[arg(long)]
    pub skip_binary: bool,

    /// Do not decode base64, percent-encoded and escaped runs before matching (faster; misses
    /// secrets stored encoded, as in Kubernetes Secrets)
    #[arg(long)]
    pub no_decode: bool,

    #[command(flatten)]
    pub jobs: Jobs,

    /// Also list skipped binary and oversized files, and print scan statistics
    #[arg(short, long)]
    pub verbose: bool,

    #[command(flatten)]
    pub verify: VerifyArgs,

    #[command(flatten)]
    pub history: HistoryArgs,
}

/// `-j`, shared by every command that scans.
#[derive(Args, Debug)]
pub struct Jobs {
    /// Worker threads (default: one per core; at most 4 per core)
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true,
        value_parser = threads
    )]
    pub threads: usize,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Ask each key's provider whether the key is live (read-only HTTPS request to the
    /// provider's own host; off by default)
    #[arg(long)]
    pub verify: bool,

    /// Report, and fail on, live keys only
    #[arg(long, requires = "verify")]
    pub only_live: bool,

    /// Timeout of one verification request, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 10.0, requires = "verify")]
    pub verify_timeout: f64,
}

/// `scan --git`: audit a repository's history instead of files.
#[derive(Args, Debug)]
#[command(next_help_heading = "Git history")]
pub struct HistoryArgs {
    /// Scan every blob in the git history of the repository at PATH (each once), not files
    #[arg(long, conflicts_with = "staged")]
    pub git: bool,

    /// Only what commits reachable from the refs but not from REV introduced
    #[arg(long, value_name = "REV", requires = "git", conflicts_with = "range")]
    pub since: Option<String>,

    /// Only what commits in B but not in A introduced (a pull request: base..head)
    #[arg(long, value_name = "A..B", requires = "git")]
    pub range: Option<String>,

    /// Also scan stashes (refs/stash and its reflog)
    #[arg(long, requires = "git")]
    pub stash: bool,

    /// Report every commit and path that introduced a blob containing a secret, not only the first
    #[arg(long, requires = "git")]
    pub all_occurrences: bool,

    /// Scan the commits a `git push` sends: reads the pre-push hook's lines from standard input
    /// (or the pre-commit framework's PRE_COMMIT_* variables); new branches are scanned against
    /// what --remote already has
    #[arg(long, conflicts_with_all = ["staged", "git", "pre_receive"])]
    pub pre_push: bool,

    /// The remote being pushed to (the pre-push hook's first argument), for new branches
    #[arg(long, value_name = "NAME", requires = "pre_push")]
    pub remote: Option<String>,

    /// Scan a commit message file (the commit-msg hook's argument); findings are shown at
    /// `<commit message>`
    #[arg(long, value_name = "FILE", conflicts_with_all = ["staged", "git", "pre_push"])]
    pub commit_msg: Option<PathBuf>,

    /// Server side: scan the commits a push brings, from the pre-receive hook's lines on
    /// standard input (`<old> <new> <ref>`), against every existing ref
    #[arg(long, conflicts_with_all = ["staged", "git"])]
    pub pre_receive: bool,
}

#[derive(Args, Debug)]
pub struct OutputArgs {
    /// Report format
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print secrets in full instead of redacted (first 4 characters and the length); not in SARIF
    #[arg(long)]
    pub show_secrets: bool,

    /// When to colour text output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,

    /// Output format of the listing
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,

    /// Additional rule file to load, as with `scan --rules`
    #[arg(long = "rules", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum RulesAction {
    /// Load rule files and test every rule against its examples and negative examples
    Check {
        /// Rule files to check
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct BaselineArgs {
    #[command(subcommand)]
    pub action: BaselineAction,
}

#[derive(Subcommand, Debug)]
pub enum BaselineAction {
    /// Scan PATHS and write the fingerprints of every finding to a baseline file (run it at the
    /// repository root so paths match the hook's)
    Create(BaselineCreateArgs),
}

#[derive(Args, Debug)]
pub struct BaselineCreateArgs {
    /// Files or directories to scan
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Baseline file to write (replaced if it exists)
    #[arg(short, long, value_name = "FILE", default_value = keysift::baseline::DEFAULT_FILE)]
    pub output: PathBuf,

    /// Additional rule file, as with `scan --rules`
    #[arg(long = "rules", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,

    /// Also scan files excluded by .gitignore, .ignore and .keysiftignore
    #[arg(long)]
    pub no_ignore: bool,

    #[command(flatten)]
    pub jobs: Jobs,
}

#[derive(Args, Debug)]
pub struct InstallHookArgs {
    /// Replace an existing hook not written by keysift (it is kept as
    /// <hook>.keysift-backup and restored by uninstall-hook)
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub which: WhichHooks,

    /// Extra arguments for `keysift scan` in the hook, after `--`
    /// (e.g. `-- --baseline .keysift-baseline.json`)
    #[arg(last = true, value_name = "SCAN_ARGS")]
    pub scan_args: Vec<String>,
}

/// Which hooks install-hook and uninstall-hook handle; the pre-commit hook when none is named.
#[derive(Args, Debug)]
pub struct WhichHooks {
    /// The pre-commit hook (`scan --staged`): the default
    #[arg(long)]
    pub pre_commit: bool,

    /// A pre-push hook (`scan --pre-push`): scans exactly the commits being pushed, so commits
    /// made with --no-verify or before the hook existed are caught before they leave
    #[arg(long)]
    pub pre_push: bool,

    /// A commit-msg hook (`scan --commit-msg`): blocks commits whose message holds a secret
    #[arg(long)]
    pub commit_msg: bool,
}

#[derive(Args, Debug)]
pub struct UninstallHookArgs {
    #[command(flatten)]
    pub which: WhichHooks,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0 for GitHub code scanning (always redacted)
    Sarif,
    /// GitLab's secret-detection report, for `artifacts: reports: secret_detection` (always
    /// redacted)
    Gitlab,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Most worker threads per core. More never helps a scan that reads from the page cache and
/// matches on the CPU; without a bound `-j 2000` spent a minute starting threads on a 2-file
/// tree and `-j 1000000` reserved 5 GB.
const MAX_THREADS_PER_CORE: usize = 4;

/// Parses `-j N`, capping N at [`MAX_THREADS_PER_CORE`] per core (0 still means one per core).
fn threads(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|e| format!("{e}"))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(n.min(cores * MAX_THREADS_PER_CORE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_capped_at_a_multiple_of_the_cores() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(threads("0"), Ok(0));
        assert_eq!(threads("1"), Ok(1));
        assert_eq!(threads("1000000"), Ok(cores * MAX_THREADS_PER_CORE));
        assert_eq!(
            threads(&usize::MAX.to_string()),
            Ok(cores * MAX_THREADS_PER_CORE)
        );
        assert!(threads("-1").is_err());
        assert!(threads("many").is_err());
    }
}
