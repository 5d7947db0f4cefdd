//! Wires up the library for each subcommand. Errors carry context for the user; the
//! caller maps them to exit status 2.

mod commit_hook;
mod docs;
mod history;

use std::{
    fs::File,
    io::{self, BufWriter, IsTerminal, Write},
    path::Path,
    sync::Arc,
    time::Duration,
};

use anyhow::{Context, Result};
use keysift::{
    commit::hook::Blocked,
    config::{Allowlist, Allowlists},
    detect::check::check_rules,
    detect::engine::Engine,
    diagnostic::Severity,
    exit::ExitStatus,
    finding::Verification,
    outcome::Outcome,
    output_file::{self, OutputFile},
    report::{
        self, GitlabReporter, JsonReporter, Palette, Redactor, ReportContext, Reporter,
        SarifReporter, Secrets, TextReporter, escape,
    },
    rules::RuleSet,
    scan::{ScanOptions, Scanner, display_path},
    source::{archive, walk::WalkOptions},
    verify::{self, VerifyOptions},
};

use crate::cli::{
    Cli, ColorChoice, Command, Format, ListFormat, OutputArgs, RulesAction, RulesArgs, ScanArgs,
    VerifyArgs,
};

pub fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.command {
        Command::Scan(args) => scan(*args),
        Command::Rules(args) => rules(args),
        Command::Baseline(args) => commit_hook::baseline(args),
        Command::InstallHook(args) => commit_hook::install_hook(args),
        Command::UninstallHook(args) => commit_hook::uninstall_hook(args),
        Command::Completions { shell } => docs::completions(shell),
        Command::Man { subcommand } => docs::man(subcommand.as_deref()),
    }
}

fn scan(args: ScanArgs) -> Result<ExitStatus> {
    if let Some(path) = &args.output.output {
        output_file::check(path).context("bad --output")?;
    }
    let baseline = commit_hook::load_baseline(args.baseline.as_deref())?;
    let rules = Arc::new(RuleSet::builtin_with(&args.rule_files)?);
    let verify_opts = verify_options(&args.verify)?;
    let engine = Engine::new(Arc::clone(&rules))?;
    let options = ScanOptions {
        inline_allow: !args.no_inline_allow && !args.audit,
        allowlists: allowlists(&args)?,
        skip_binary: args.skip_binary,
        decode: !args.no_decode,
        archives: (!args.no_archives).then(|| archive::Limits {
            max_member: args
                .max_file_size
                .unwrap_or(archive::Limits::default().max_member),
            ..Default::default()
        }),
        max_file_size: args.max_file_size,
    };
    if args.verbose {
        for origin in options.allowlists.origins() {
            stderr_line!(
                "keysift: config: {}",
                escape::field(&origin.to_string_lossy())
            );
        }
        if let Some(b) = &args.baseline {
            stderr_line!("keysift: baseline: {}", escape::field(&b.to_string_lossy()));
        }
        if args.audit {
            stderr_line!(
                "keysift: audit: no repository config, .keysiftignore, .ignore, inline allow comments or baseline"
            );
        }
    }
    let scanner = Scanner::new(engine, options);
    let walk = WalkOptions {
        no_ignore: args.no_ignore,
        no_ignore_files: args.audit,
        threads: args.jobs.threads,
        stdin_name: args.stdin_name.clone(),
    };
    let (mut outcome, blocked) = if args.staged {
        let (outcome, blocked) = commit_hook::scan_staged(&scanner, &args.paths, &walk)?;
        (outcome, Some(blocked))
    } else if args.history.git {
        (history::scan(&scanner, &args)?, None)
    } else if args.history.pre_push {
        (history::scan_push(&scanner, &args)?, Some(Blocked::Push))
    } else if args.history.pre_receive {
        (history::scan_push(&scanner, &args)?, None)
    } else if let Some(msg) = &args.history.commit_msg {
        let file = File::open(msg)
            .with_context(|| format!("cannot read the commit message {}", msg.display()))?;
        (
            scanner.scan_reader(keysift::finding::COMMIT_MESSAGE, file),
            Some(Blocked::CommitMsg),
        )
    } else {
        let roots = commit_hook::or_cwd(&args.paths);
        (scanner.scan_paths(&roots, &walk, true), None)
    };
    // Built before the baseline and --only-live drop findings: a dropped key may still be
    // quoted on a reported finding's line or in a commit message.
    let secrets = Secrets::new(outcome.findings.iter().map(|f| &f.secret));
    outcome.stats.suppressed = scanner.suppressed();
    // Accepted findings first, so --verify never sends a baselined key anywhere.
    commit_hook::apply_baseline(baseline.as_ref(), &mut outcome, args.verbose);
    if args.verbose {
        for f in &outcome.ignore_files {
            stderr_line!("keysift: ignore file: {}", escape::field(f));
        }
    }
    if let Some(opts) = &verify_opts {
        verify_stage(&mut outcome, &rules, opts, &args.verify, args.verbose);
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let cwd = cwd.to_string_lossy();
    let redactor =
        secrets.redactor(|f| report::printed_texts(&outcome, &rules, &[cwd.as_ref()], f));
    drop(secrets);
    print_diagnostics(&outcome, args.verbose, &redactor);
    let status = status_of(&outcome);
    match write_report(&outcome, &rules, &args.output, &redactor) {
        // `keysift scan | head`: the reader left; the findings still decide the status.
        Err(e) if crate::is_broken_pipe(&e) => return Ok(status),
        r => r?,
    }
    if args.verbose {
        let s = &outcome.stats;
        stderr_line!(
            "keysift: stats: {} files ({} from {} archives), {} bytes, {} binary skipped, {} \
             binary scanned for self-identifying keys only, {} with malformed UTF-16, {} over \
             --max-file-size, {} errors, {} rules, {:.3} s",
            s.files,
            s.archive_members,
            s.archives,
            s.bytes,
            s.binary_skipped,
            s.binary_partial,
            s.decode_errors,
            s.too_large,
            s.errors,
            rules.len(),
            s.elapsed.as_secs_f64()
        );
        if let Some(h) = &s.history {
            stderr_line!("{}", history::stats_line(h));
        }
    }
    if let Some(blocked) = blocked
        && !outcome.findings.is_empty()
    {
        let advice =
            keysift::commit::hook::advice(blocked, &outcome.findings, args.baseline.as_deref());
        let _ = io::stderr().lock().write_all(advice.as_bytes());
    }
    Ok(status)
}

/// Which `.keysift.toml` applies where: none with `--audit` or `--no-config`; `--config FILE`
/// everywhere; otherwise each scanned path's own repository config (staged and history scans
/// have one repository).
fn allowlists(args: &ScanArgs) -> Result<Allowlists> {
    if args.audit || args.no_config {
        return Ok(Allowlists::default());
    }
    if let Some(path) = &args.config {
        return Ok(Allowlists::everywhere(Allowlist::load(path)?));
    }
    // Standard input has no repository of its own: the working directory's config applies.
    let mut roots: Vec<_> = commit_hook::or_cwd(&args.paths)
        .into_iter()
        .filter(|p| p.as_os_str() != keysift::scan::STDIN)
        .collect();
    if roots.is_empty() {
        roots.push(".".into());
    }
    if args.staged || args.history.git {
        let start = if args.staged {
            Path::new(".")
        } else {
            roots[0].as_path()
        };
        return Ok(Allowlists::everywhere(Allowlist::discover(start)?));
    }
    per_root_allowlists(&roots)
}

/// Each root's own repository config, keyed by the root as reports spell paths under it.
pub(crate) fn per_root_allowlists(roots: &[std::path::PathBuf]) -> Result<Allowlists> {
    let mut all = Allowlists::default();
    for root in &keysift::source::roots::normalize(roots).paths {
        all.add(display_path(root).into(), Allowlist::discover(root)?);
    }
    Ok(all)
}

/// `--verify` settings, checked before the scan so a bad one fails fast. `None` without it.
fn verify_options(args: &VerifyArgs) -> Result<Option<VerifyOptions>> {
    if !args.verify {
        return Ok(None);
    }
    let timeout = Duration::try_from_secs_f64(args.verify_timeout)
        .ok()
        .filter(|t| !t.is_zero() && *t <= Duration::from_secs(120))
        .context("--verify-timeout must be more than 0 and at most 120 seconds")?;
    let loopback = match std::env::var(verify::OVERRIDE_ENV) {
        Ok(value) => {
            let addr = verify::parse_loopback_override(&value)?;
            stderr_line!(
                "keysift: warning: {} is set: checks go over plain HTTP to {addr} (test setting)",
                verify::OVERRIDE_ENV
            );
            Some(addr)
        }
        Err(_) => None,
    };
    Ok(Some(VerifyOptions { timeout, loopback }))
}

/// Fills each finding's verification; with `--only-live`, keeps the live ones only.
fn verify_stage(
    outcome: &mut Outcome,
    rules: &RuleSet,
    opts: &VerifyOptions,
    args: &VerifyArgs,
    verbose: bool,
) {
    let started = std::time::Instant::now();
    let summary = verify::verify(&mut outcome.findings, rules, opts);
    // The scan's own time stays as measured; the summary adds the checks' time beside it.
    outcome.stats.verify_elapsed = Some(started.elapsed());
    if verbose {
        stderr_line!(
            "keysift: verify: {} distinct keys checked; findings: {} live, {} invalid, {} unknown",
            summary.keys_checked,
            summary.live,
            summary.invalid,
            summary.unknown
        );
    }
    if args.only_live {
        outcome
            .findings
            .retain(|f| f.verification == Some(Verification::Live));
        if summary.unknown > 0 {
            stderr_line!(
                "keysift: note: {} findings could not be verified (unknown) and are not \
                 reported because of --only-live",
                summary.unknown
            );
        }
    }
}

/// A live key wins over everything; findings win over errors: a secret must block even when
/// another file was unreadable.
pub(crate) fn status_of(outcome: &Outcome) -> ExitStatus {
    if outcome
        .findings
        .iter()
        .any(|f| f.verification == Some(Verification::Live))
    {
        ExitStatus::LiveFindings
    } else if !outcome.findings.is_empty() {
        ExitStatus::Findings
    } else if outcome.has_errors() {
        ExitStatus::Error
    } else {
        ExitStatus::Clean
    }
}

/// Diagnostics on stderr, with secrets masked and the tree's file names escaped.
pub(crate) fn print_diagnostics(outcome: &Outcome, verbose: bool, redactor: &Redactor) {
    let mut err = io::stderr().lock();
    for d in &outcome.diagnostics {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note if verbose => "note",
            Severity::Note => continue,
        };
        let line = format!("{}: {}", escape::field(&d.path), escape::field(&d.message));
        let _ = writeln!(err, "keysift: {label}: {}", redactor.text(&line));
    }
}

/// Writes the report; secrets are masked everywhere in it unless `--show-secrets` is given
/// for a format that honours it (SARIF never does).
fn write_report(
    outcome: &Outcome,
    rules: &RuleSet,
    args: &OutputArgs,
    redactor: &Redactor,
) -> Result<()> {
    let show = args.show_secrets && args.format != Format::Sarif;
    let unmasked = Redactor::default();
    let redactor = if show { &unmasked } else { redactor };
    let ctx = ReportContext {
        rules,
        show_secrets: args.show_secrets,
    };
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let reporter: Box<dyn Reporter> = match args.format {
        Format::Text => Box::new(TextReporter {
            palette: Palette::new(color),
        }),
        Format::Json => Box::new(JsonReporter),
        Format::Gitlab => Box::new(GitlabReporter),
        Format::Sarif => Box::new(SarifReporter::new(
            std::env::current_dir().context("cannot read the current directory")?,
        )),
    };
    match &args.output {
        Some(path) => {
            let cannot = || format!("cannot write report file {}", path.display());
            let mut out = BufWriter::new(OutputFile::create(path).with_context(cannot)?);
            report::write(&*reporter, outcome, &ctx, redactor, &mut out)?;
            out.into_inner()
                .map_err(|e| e.into_error())
                .and_then(OutputFile::commit)
                .with_context(cannot)?;
            // The report went to a file: the terminal or CI log still gets the verdict.
            stderr_line!("{}", keysift::report::summary(outcome));
        }
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            report::write(&*reporter, outcome, &ctx, redactor, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn rules(args: RulesArgs) -> Result<ExitStatus> {
    if let Some(RulesAction::Check { files }) = &args.action {
        let set = Arc::new(RuleSet::from_files(files)?);
        let failures = check_rules(Arc::clone(&set))?;
        let mut out = BufWriter::new(io::stdout().lock());
        for f in &failures {
            writeln!(
                out,
                "{}: rule `{}`: {}: {:?}",
                f.origin, f.rule, f.problem, f.example
            )?;
        }
        writeln!(
            out,
            "{} rules checked, {} example failures",
            set.len(),
            failures.len()
        )?;
        out.flush()?;
        return Ok(if failures.is_empty() {
            ExitStatus::Clean
        } else {
            ExitStatus::Findings
        });
    }
    let set = RuleSet::builtin_with(&args.rule_files)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            /// A rule with the word lists in force for it (shared lists and its provider's).
            #[derive(serde::Serialize)]
            struct Listed<'a> {
                #[serde(flatten)]
                rule: &'a keysift::rules::Rule,
                words: &'a keysift::rules::WordSet,
            }
            let words = set.rule_words();
            let list: Vec<Listed<'_>> = set
                .rules()
                .iter()
                .zip(&words)
                .map(|(r, w)| Listed {
                    rule: r,
                    words: &w.set,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            let w = set.rules().iter().map(|r| r.id.len()).max().unwrap_or(0);
            let pw = set
                .rules()
                .iter()
                .map(|r| r.provider.name.len())
                .max()
                .unwrap_or(0);
            for r in set.rules() {
                writeln!(
                    out,
                    "{:<w$}  {:<pw$}  {:<10}  {}",
                    r.id,
                    r.provider.name,
                    r.category.as_str(),
                    r.name
                )?;
            }
            let lists: Vec<String> = keysift::rules::List::ALL
                .iter()
                .map(|&l| format!("{} {}", l.name(), set.shared_words().get(l).len()))
                .collect();
            writeln!(out, "{} rules; word lists: {}", set.len(), lists.join(", "))?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Clean)
}
