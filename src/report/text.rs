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
    Some(format!(
        "; verified: {live} live, {invalid} invalid, {unknown} unknown"
    ))
}

/// `N findings (Provider n, ...) in F files; scanned X files, Y MiB in Z s`.
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
        Some(h) => format!("{} blobs from {} commits", h.blobs_scanned, h.commits),
        None => format!("{} files", s.files),
    };
    let scanned = format!(
        "scanned {what} ({:.1} MiB) in {:.2} s",
        s.bytes as f64 / (1024.0 * 1024.0),
        s.elapsed.as_secs_f64()
    );
    let mut extra = String::new();
    if s.binary_skipped > 0 {
        extra.push_str(&format!(", {} binary skipped", s.binary_skipped));
    }
    let partial: Vec<String> = [
        (s.binary_partial, "binary (self-identifying keys only)"),
        (s.decode_errors, "malformed UTF-16"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !partial.is_empty() {
        extra.push_str(&format!(", not fully scanned: {}", partial.join(", ")));
    }
    if s.errors > 0 {
        extra.push_str(&format!(", {} unreadable", s.errors));
    }
    let n = outcome.findings.len();
    if n == 0 && s.incomplete() == 0 {
        return format!("keysift: no secrets found; {scanned}{extra}");
    }
    if n == 0 {
        return format!("keysift: no findings in what could be scanned; {scanned}{extra}");
    }
    if let Some(v) = verified(outcome) {
        extra.push_str(&v);
    }
    let providers: Vec<String> = per_provider
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    format!(
        "keysift: {n} finding{} ({}) in {} file{}; {scanned}{extra}",
        if n == 1 { "" } else { "s" },
        providers.join(", "),
        files.len(),
        if files.len() == 1 { "" } else { "s" },
    )
}
