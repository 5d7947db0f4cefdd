//! Binary side of the git integration: `scan --staged`, `--baseline`, `baseline create`,
//! `install-hook` and `uninstall-hook`. The logic lives in the library (`source::index`,
//! `commit::staged`, `baseline`, `commit::hook`); this module wires it to arguments and
//! messages.

use std::{
    io::{self, Write},
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::{Context, Result};
use keysift::{
    baseline::{Baseline, BaselineMatcher},
    commit::{
        hook::{self, Blocked, HookKind, Installed, Uninstalled},
        staged::{self, Scope},
    },
    detect::engine::Engine,
    exit::ExitStatus,
    outcome::Outcome,
    rules::RuleSet,
    scan::{ScanOptions, Scanner},
    source::{
        ignore_files::{IgnoreFiles, path_from_bytes},
        index,
        walk::WalkOptions,
    },
};

use crate::app::{print_diagnostics, status_of};
use crate::cli::{BaselineAction, BaselineArgs, InstallHookArgs, UninstallHookArgs, WhichHooks};
use keysift::report::Redactor;

/// The scan roots: the given paths, or the current directory.
pub fn or_cwd(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// `scan --staged [PATH...]`: the staged changes, or the paths in full when some path has no
/// staged change (`pre-commit run --all-files`; see README "pre-commit framework").
/// `.keysiftignore` and `.ignore` apply as in directory scans, unless `--no-ignore`.
/// The outcome says whether the staged changes or the files in full were scanned.
pub fn scan_staged(
    scanner: &Scanner,
    paths: &[PathBuf],
    walk: &WalkOptions,
) -> Result<(Outcome, Blocked)> {
    // Two independent git processes: run them side by side, the hook waits for both.
    let (entries, location) = std::thread::scope(|s| {
        let location = s.spawn(index::location);
        (index::staged_entries(), location.join())
    });
    let entries = entries.context("cannot list the staged changes")?;
    let location = location
        .map_err(|_| anyhow::anyhow!("the git thread panicked"))?
        .context("cannot locate the repository")?;
    let filters: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| index::repo_relative(&location.prefix, p.as_os_str()))
        .collect();
    let mut ignore = IgnoreFiles::new(&location.root);
    let honour_ignore_files = !walk.no_ignore && !walk.no_ignore_files;
    match staged::select(entries, &filters) {
        Scope::Staged(mut entries) => {
            let before = entries.len();
            if honour_ignore_files {
                entries = staged::without_ignored(entries, &mut ignore);
            }
            let ignored = (before - entries.len()) as u64;
            let mut outcome = staged::scan_staged(scanner, &entries, walk.threads)
                .context("cannot read the staged changes")?;
            outcome.stats.ignored += ignored;
            Ok((outcome, Blocked::Staged))
        }
        Scope::Paths => {
            stderr_line!(
                "keysift: not every path given has a staged change (as with `pre-commit run --all-files`): scanning the paths in full"
            );
            let kept: Vec<PathBuf> = paths
                .iter()
                .zip(&filters)
                .filter(|(_, rel)| {
                    !honour_ignore_files || !ignore.is_ignored(&path_from_bytes(rel))
                })
                .map(|(p, _)| p.clone())
                .collect();
            let mut outcome = scanner.scan_paths(&kept, walk, true);
            outcome.stats.ignored += (paths.len() - kept.len()) as u64;
            Ok((outcome, Blocked::FullFiles))
        }
    }
}

/// A loaded `--baseline` and the file it came from.
pub struct ActiveBaseline {
    path: PathBuf,
    matcher: BaselineMatcher,
}

pub fn load_baseline(path: Option<&Path>) -> Result<Option<ActiveBaseline>> {
    Ok(match path {
        Some(p) => Some(ActiveBaseline {
            path: p.to_path_buf(),
            matcher: Baseline::load(p)?.matcher(),
        }),
        None => None,
    })
}

/// Drops the findings the baseline accepts, and any in the baseline file itself: it holds
/// only hashes and redacted hints, but 32 hex digits next to a rule id that names a provider
/// look like a key to context rules.
pub fn apply_baseline(b: Option<&ActiveBaseline>, outcome: &mut Outcome, verbose: bool) {
    if let Some(b) = b {
        let n = b.matcher.suppress(&mut outcome.findings);
        outcome.stats.suppressed.baseline += n as u64;
        outcome
            .findings
            .retain(|f| !same_file(Path::new(&f.path), &b.path));
        if verbose {
            stderr_line!("keysift: {n} findings suppressed by the baseline");
        }
    }
}

pub fn baseline(args: BaselineArgs) -> Result<ExitStatus> {
    let BaselineAction::Create(args) = args.action;
    keysift::output_file::check(&args.output).context("bad --output")?;
    let rules = Arc::new(RuleSet::builtin_with(&args.rule_files)?);
    let options = ScanOptions {
        allowlists: crate::app::per_root_allowlists(&args.paths)?,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(Engine::new(rules)?, options);
    let walk = WalkOptions {
        no_ignore: args.no_ignore,
        no_ignore_files: false,
        threads: args.jobs.threads,
        ..WalkOptions::default()
    };
    let mut outcome = scanner.scan_paths(&args.paths, &walk, true);
    // A previous baseline holds no secrets (see `apply_baseline`); never record it.
    let out = args.output.as_path();
    outcome
        .findings
        .retain(|f| !same_file(Path::new(&f.path), out));
    print_diagnostics(
        &outcome,
        false,
        &Redactor::new(outcome.findings.iter().map(|f| &f.secret)),
    );
    let baseline = Baseline::from_findings(&outcome.findings);
    baseline.save(out)?;
    writeln!(
        io::stdout().lock(),
        "keysift: recorded {} finding{} in {}; commit it and pass --baseline {} to scans and the hook",
        baseline.entries.len(),
        if baseline.entries.len() == 1 { "" } else { "s" },
        out.display(),
        out.display()
    )?;
    Ok(match status_of(&outcome) {
        ExitStatus::Error => ExitStatus::Error,
        _ => ExitStatus::Clean,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The hooks named by `which`; the pre-commit hook when none is.
fn kinds(which: &WhichHooks) -> Vec<HookKind> {
    let mut k = Vec::new();
    if which.pre_commit {
        k.push(HookKind::PreCommit);
    }
    if which.pre_push {
        k.push(HookKind::PrePush);
    }
    if which.commit_msg {
        k.push(HookKind::CommitMsg);
    }
    if k.is_empty() {
        k.push(HookKind::PreCommit);
    }
    k
}

pub fn install_hook(args: InstallHookArgs) -> Result<ExitStatus> {
    let dir = hook::hooks_dir()?;
    let exe = std::env::current_exe().context("cannot locate the keysift executable")?;
    let mut stdout = io::stdout().lock();
    for kind in kinds(&args.which) {
        let (path, what) = hook::install(kind, &dir, &exe, &args.scan_args, args.force)?;
        match what {
            Installed::Created => writeln!(stdout, "keysift: installed {}", path.display())?,
            Installed::Updated => writeln!(stdout, "keysift: updated {}", path.display())?,
            Installed::Replaced { backup } => writeln!(
                stdout,
                "keysift: installed {}; the previous hook is saved as {}",
                path.display(),
                backup.display()
            )?,
        }
    }
    Ok(ExitStatus::Clean)
}

pub fn uninstall_hook(args: UninstallHookArgs) -> Result<ExitStatus> {
    let dir = hook::hooks_dir()?;
    let mut stdout = io::stdout().lock();
    for kind in kinds(&args.which) {
        let (path, what) = hook::uninstall(kind, &dir)?;
        match what {
            Uninstalled::Removed => writeln!(stdout, "keysift: removed {}", path.display())?,
            Uninstalled::Restored => writeln!(
                stdout,
                "keysift: removed the keysift hook and restored the previous {}",
                path.display()
            )?,
        }
    }
    Ok(ExitStatus::Clean)
}
