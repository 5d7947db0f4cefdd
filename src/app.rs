//! Wires the library together for each subcommand. Errors carry context for the user; the
//! caller maps them to exit status 2.

mod commit_hook;
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
    config::Allowlist,
    detect::check::check_rules,
    detect::engine::Engine,
    diagnostic::Severity,
    exit::ExitStatus,
    finding::Verification,
    outcome::Outcome,
    report::{
        self, JsonReporter, Palette, Redactor, ReportContext, Reporter, SarifReporter,
        TextReporter, escape,
    },
    rules::RuleSet,
    scan::{ScanOptions, Scanner},
    source::walk::WalkOptions,
    verify::{self, VerifyOptions},
};

use crate::cli::{
    Cli, ColorChoice, Command, Format, ListFormat, OutputArgs, RulesAction, RulesArgs, ScanArgs,
    VerifyArgs,
};

pub fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules(args) => rules(args),
        Command::Baseline(args) => commit_hook::baseline(args),
        Command::InstallHook(args) => commit_hook::install_hook(args),
        Command::UninstallHook => commit_hook::uninstall_hook(),
    }
}

fn scan(args: ScanArgs) -> Result<ExitStatus> {
    let baseline = commit_hook::load_baseline(args.baseline.as_deref())?;
    let rules = Arc::new(RuleSet::builtin_with(&args.rule_files)?);
    let verify_opts = verify_options(&args.verify)?;
    let engine = Engine::new(Arc::clone(&rules))?;
    let allowlist = match &args.config {
        Some(path) => Allowlist::load(path)?,
        None => Allowlist::discover(args.paths.first().map_or(Path::new("."), |p| p.as_path()))?,
    };
    let options = ScanOptions {
        inline_allow: !args.no_inline_allow,
        allowlist,
        skip_binary: args.skip_binary,
        decode: !args.no_decode,
    };
    let scanner = Scanner::new(engine, options);
    let walk = WalkOptions {
        no_ignore: args.no_ignore,
        threads: args.threads,
    };
    let mut outcome = if args.staged {
        commit_hook::scan_staged(&scanner, &args.paths, &walk)?
    } else if args.history.git {
        history::scan(&scanner, &args)?
    } else {
        scanner.scan_paths(&commit_hook::or_cwd(&args.paths), &walk, true)
    };
    // Built before the baseline and --only-live drop findings: a dropped key may still be
    // quoted on a reported finding's line or in a commit message.
    let redactor = Redactor::new(outcome.findings.iter().map(|f| &f.secret));
    // Accepted findings first, so --verify never sends a baselined key anywhere.
    commit_hook::apply_baseline(baseline.as_ref(), &mut outcome, args.verbose);
    if let Some(opts) = &verify_opts {
        verify_stage(&mut outcome, &rules, opts, &args.verify, args.verbose);
    }
    print_diagnostics(&outcome, args.verbose, &redactor);
    write_report(&outcome, &rules, &args.output, &redactor)?;
    if args.verbose {
        let s = &outcome.stats;
        stderr_line!(
            "keysift: stats: {} files, {} bytes, {} binary skipped, {} binary scanned for \
             self-identifying keys only, {} with malformed UTF-16, {} errors, {} rules, {:.3} s",
            s.files,
            s.bytes,
            s.binary_skipped,
            s.binary_partial,
            s.decode_errors,
            s.errors,
            rules.len(),
            s.elapsed.as_secs_f64()
        );
        if let Some(h) = &s.history {
            stderr_line!("{}", history::stats_line(h));
        }
    }
    if args.staged && !outcome.findings.is_empty() {
        let advice = keysift::commit::hook::advice(&outcome.findings, args.baseline.as_deref());
        let _ = io::stderr().lock().write_all(advice.as_bytes());
    }
    Ok(status_of(&outcome))
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
    let summary = verify::verify(&mut outcome.findings, rules, opts);
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
        Format::Sarif => Box::new(SarifReporter::new(
            std::env::current_dir().context("cannot read the current directory")?,
        )),
    };
    match &args.output {
        Some(path) => {
            let mut out = BufWriter::new(create(path)?);
            report::write(&*reporter, outcome, &ctx, redactor, &mut out)?;
            out.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            if args.format != Format::Text && io::stderr().is_terminal() {
                stderr_line!("{}", keysift::report::summary(outcome));
            }
        }
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            report::write(&*reporter, outcome, &ctx, redactor, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn create(path: &Path) -> Result<File> {
    File::create(path).with_context(|| format!("cannot create report file {}", path.display()))
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
            let list: Vec<&keysift::rules::Rule> = set.rules().iter().map(|r| &**r).collect();
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
                writeln!(out, "{:<w$}  {:<pw$}  {}", r.id, r.provider.name, r.name)?;
            }
            writeln!(out, "{} rules", set.len())?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Clean)
}
