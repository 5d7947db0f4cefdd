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
    Scan(ScanArgs),
    /// List the detection rules, or check a rule file against its examples
    Rules(RulesArgs),
    /// Record the current findings so later scans and the hook report only new ones
    Baseline(BaselineArgs),
    /// Install a git pre-commit hook that runs `keysift scan --staged`
    InstallHook(InstallHookArgs),
    /// Remove the pre-commit hook written by install-hook
    UninstallHook,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan [default: .]. With --staged: only staged changes to these
    /// paths, or, when one of them has no staged change, these paths in full
    pub paths: Vec<PathBuf>,

    /// Scan the changes staged for commit (read from the git index), reporting only secrets
    /// the commit adds
    #[arg(long)]
    pub staged: bool,

    /// Do not report findings recorded in this baseline file (see `keysift baseline create`)
    #[arg(long, value_name = "FILE")]
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
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

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

    /// Worker threads (default: one per core)
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// Also report skipped binary files and scan statistics
    #[arg(short, long)]
    pub verbose: bool,

    #[command(flatten)]
    pub verify: VerifyArgs,

    #[command(flatten)]
    pub history: HistoryArgs,
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

    /// Worker threads (default: one per core)
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

#[derive(Args, Debug)]
pub struct InstallHookArgs {
    /// Replace an existing pre-commit hook not written by keysift (it is kept as
    /// pre-commit.keysift-backup and restored by uninstall-hook)
    #[arg(long)]
    pub force: bool,

    /// Extra arguments for `keysift scan --staged` in the hook, after `--`
    /// (e.g. `-- --baseline .keysift-baseline.json`)
    #[arg(last = true, value_name = "SCAN_ARGS")]
    pub scan_args: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0 for GitHub code scanning (always redacted)
    Sarif,
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
