//! `--format text`: one block per finding, in `path:line:col` form editors can jump to, and a
//! summary line.

use std::{
    collections::BTreeMap,
    io::{self, Write},
};

use anstyle::{AnsiColor, Style};

use super::{Palette, ReportContext, Reporter, escape::field};
use crate::{finding::Verification, outcome::Outcome};

pub struct TextReporter {
    pub palette: Palette,
}

impl Reporter for TextReporter {
    fn report(
        &self,
        outcome: &Outcome,
        ctx: &ReportContext<'_>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let p = self.palette;
        let bold = Style::new().bold();
        let red = AnsiColor::Red.on_default().bold();
        let dim = Style::new().dimmed();
        for f in &outcome.findings {
            let loc = format!(
                "{}:{}:{}",
                field(&f.path),
                f.location.line,
                f.location.column
            );
            write!(
                out,
                "{}: {} {}",
                p.paint(bold, &loc),
                p.paint(red, &field(&f.rule.name)),
                p.paint(dim, &format!("[{}]", field(&f.rule.id))),
            )?;
            if !f.decoded.is_empty() {
                // Innermost first: `(escape in base64)`.
                let chain: Vec<&str> = f.decoded.iter().rev().copied().collect();
                write!(out, " ({})", chain.join(" in "))?;
            }
            if let Some(v) = &f.verification {
                let (label, style) = match v {
                    Verification::Live => ("LIVE".to_string(), AnsiColor::Red.on_default().bold()),
                    Verification::Invalid => ("invalid".to_string(), AnsiColor::Green.on_default()),
                    Verification::Unknown { reason } => {
                        let reason = field(reason);
                        (format!("unknown: {reason}"), AnsiColor::Yellow.on_default())
                    }
                };
                write!(out, " {}", p.paint(style, &format!("({label})")))?;
            }
            writeln!(out)?;
            if let Some(c) = &f.commit {
                writeln!(
                    out,
                    "    commit {} by {} <{}> on {}: {}",
                    field(&c.id),
                    field(&c.author),
                    field(&c.email),
                    field(&c.date),
                    field(&c.summary)
                )?;
            }
            let snippet = f.snippet.render(&f.secret, ctx.show_secrets);
            writeln!(out, "    {}", field(&snippet))?;
            writeln!(
                out,
                "    {} {}",
                p.paint(dim, "fix:"),
                field(&f.rule.remediation)
            )?;
        }
        writeln!(out, "{}", summary(outcome))
    }
}

/// `; verified: L live, I invalid, U unknown` when `--verify` ran.
fn verified(outcome: &Outcome) -> Option<String> {
    let (mut live, mut invalid, mut unknown) = (0, 0, 0);
    for f in &outcome.findings {
        match f.verification.as_ref()? {
            Verification::Live => live += 1,
            Verification::Invalid => invalid += 1,
            Verification::Unknown { .. } => unknown += 1,
        }
    }
    let time = outcome
        .stats
        .verify_elapsed
        .map(|t| format!(" in {:.2} s", t.as_secs_f64()))
        .unwrap_or_default();
    Some(format!(
        "; verified: {live} live, {invalid} invalid, {unknown} unknown{time}"
    ))
}

/// The one-line summary: what was found, what was scanned and, whenever anything was not
/// scanned, what. It says "no secrets found" only when everything asked for was scanned.
pub fn summary(outcome: &Outcome) -> String {
    let s = &outcome.stats;
    let mut per_provider: BTreeMap<&str, usize> = BTreeMap::new();
    let mut files: Vec<&str> = Vec::new();
    for f in &outcome.findings {
        *per_provider.entry(&f.rule.provider.name).or_default() += 1;
        files.push(&f.path);
    }
    files.dedup();
    let what = match &s.history {
        Some(h) => format!(
            "{} from {}",
            plural(h.blobs_scanned, "blob"),
            plural(h.commits, "commit")
        ),
        None => plural(s.files, "file"),
    };
    let inside = if s.archives > 0 {
        format!(
            "; {} inside {}",
            s.archive_members,
            plural(s.archives, "archive")
        )
    } else {
        String::new()
    };
    let scanned = format!(
        "scanned {what} ({}{inside}) in {:.2} s",
        crate::size::human(s.bytes),
        s.elapsed.as_secs_f64()
    );
    let skipped = not_scanned(outcome);
    let partial: Vec<String> = [
        (s.binary_partial, "binary (self-identifying keys only)"),
        (s.decode_errors, "malformed UTF-16"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let mut extra = String::new();
    if !partial.is_empty() {
        extra.push_str(&format!("; not fully scanned: {}", partial.join(", ")));
    }
    if s.ignored > 0 {
        extra.push_str(&format!("; {} skipped by ignore files", s.ignored));
    } else if !outcome.ignore_files.is_empty() {
        // The walk never sees what `.keysiftignore` and `.ignore` exclude, so it cannot count
        // them; it can say the files were in force.
        extra.push_str(&format!(
            "; {} applied (-v names them)",
            plural(outcome.ignore_files.len() as u64, "ignore file")
        ));
    }
    let q = &s.suppressed;
    if q.total() > 0 {
        let parts: Vec<String> = [
            (q.allowlist, "allowlist"),
            (q.inline_allow, "inline allow"),
            (q.baseline, "baseline"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} by {what}"))
        .collect();
        extra.push_str(&format!("; suppressed {}", parts.join(", ")));
    }
    let n = outcome.findings.len();
    let silenced = s.ignored + q.total() + outcome.ignore_files.len() as u64;
    if n == 0 {
        return if skipped.is_empty() && partial.is_empty() && silenced == 0 {
            format!("keysift: no secrets found; {scanned}")
        } else if skipped.is_empty() && partial.is_empty() {
            // What the repository's ignore files kept out and the findings it silenced are its
            // claims, not keysift's: the summary does not call that "no secrets".
            format!("keysift: no findings reported; {scanned}{extra}")
        } else if s.errors > 0 {
            format!(
                "keysift: scan incomplete, not scanned: {}; no secrets in the rest: {scanned}{extra}",
                skipped.join(", ")
            )
        } else if skipped.is_empty() {
            format!("keysift: no findings in what could be scanned; {scanned}{extra}")
        } else {
            format!(
                "keysift: no findings in what could be scanned; {scanned}; not scanned: {}{extra}",
                skipped.join(", ")
            )
        };
    }
    if !skipped.is_empty() {
        extra = format!("; not scanned: {}{extra}", skipped.join(", "));
    }
    if let Some(v) = verified(outcome) {
        extra.push_str(&v);
    }
    let providers: Vec<String> = per_provider
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    format!(
        "keysift: {} ({}) in {}; {scanned}{extra}",
        plural(n as u64, "finding"),
        providers.join(", "),
        plural(files.len() as u64, "file"),
    )
}

/// Each kind of input that was not scanned, with its count.
fn not_scanned(outcome: &Outcome) -> Vec<String> {
    let s = &outcome.stats;
    let mut out = Vec::new();
    if s.errors > 0 {
        out.push(format!("{} with errors (see above)", s.errors));
    }
    if s.binary_skipped > 0 {
        out.push(format!("{} binary skipped", s.binary_skipped));
    }
    if s.too_large > 0 {
        out.push(format!("{} over --max-file-size", s.too_large));
    }
    out
}

/// `1 file`, `2 files`.
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};

    #[test]
    fn never_all_clear_over_an_unreadable_path() {
        let mut o = Outcome::default();
        o.stats.errors = 1;
        o.diagnostics
            .push(Diagnostic::new(Severity::Error, "x", "cannot read"));
        let line = summary(&o);
        assert!(!line.contains("no secrets found"), "{line}");
        assert!(line.contains("1 with errors"), "{line}");
        o.stats.errors = 0;
        o.stats.binary_skipped = 2;
        let line = summary(&o);
        assert!(!line.contains("no secrets found"), "{line}");
        assert!(line.contains("2 binary skipped"), "{line}");
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "file"), "0 files");
    }
}
