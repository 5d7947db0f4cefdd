//! Turns blobs into findings (engine → validate → finding) and drives a directory scan:
//! workers walk, read and match in parallel; one collector gathers results and shows progress.

use std::{
    io::{self, Read},
    ops::Range,
    path::{Path, PathBuf},
    sync::{Arc, mpsc},
    time::{Duration, Instant},
};

mod allow;

use crate::{
    config::Allowlist,
    decode,
    detect::engine::{Engine, Scratch},
    diagnostic::{Diagnostic, Severity},
    finding::{self, Finding, Location, Secret},
    lines::LineCounter,
    outcome::{Coverage, Outcome},
    progress::Progress,
    rules::hosts,
    source::{
        encoding::{self, Kind},
        read::{self, Contents},
        walk,
        window::{Window, Windower},
    },
};

/// Options that change what counts as a finding.
#[derive(Debug)]
pub struct ScanOptions {
    /// Honour `keysift:allow` (and migrated) comments; audits may turn this off.
    pub inline_allow: bool,
    /// The repository's `.keysift.toml` allowlist.
    pub allowlist: Allowlist,
    /// Skip binary files instead of scanning them for self-identifying keys.
    pub skip_binary: bool,
    /// Decode encoded runs (base64, percent, escapes) and scan them too (`--no-decode` turns
    /// this off).
    pub decode: bool,
}

/// A candidate on its way to a finding: the span it is reported at (the encoded run for a
/// decoded secret) and the secret itself.
struct Hit {
    rule: usize,
    span: Range<usize>,
    secret: Secret,
    context_seen: bool,
    decoded: Vec<&'static str>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            inline_allow: true,
            allowlist: Allowlist::default(),
            skip_binary: false,
            decode: true,
        }
    }
}

/// Which rules run over a buffer.
#[derive(Clone, Copy)]
enum Pass {
    All,
    /// Rules whose matches need no context: for binary bytes.
    SelfIdentifying,
}

/// What scanning one blob produced, and how completely it was scanned.
#[derive(Debug)]
pub struct Scanned {
    pub findings: Vec<Finding>,
    pub coverage: Coverage,
}

impl Scanned {
    fn new(findings: Vec<Finding>, kind: Kind, malformed: bool) -> Scanned {
        let coverage = match kind {
            Kind::Binary => Coverage::BinaryPartial,
            _ if malformed => Coverage::DecodeErrors,
            _ => Coverage::Full,
        };
        Scanned { findings, coverage }
    }

    fn skipped() -> Scanned {
        Scanned {
            findings: Vec::new(),
            coverage: Coverage::BinarySkipped,
        }
    }
}

/// The engine plus the options that filter its candidates.
pub struct Scanner {
    engine: Engine,
    options: ScanOptions,
}

impl Scanner {
    pub fn new(engine: Engine, options: ScanOptions) -> Scanner {
        Scanner { engine, options }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn options(&self) -> &ScanOptions {
        &self.options
    }

    /// Scans text bytes (already decoded) shown as `path`.
    pub fn scan_text(&self, path: &str, hay: &[u8], scratch: &mut Scratch) -> Vec<Finding> {
        let mut out = Vec::new();
        self.scan_window(path, &Window::whole(hay), Pass::All, scratch, &mut out);
        out
    }

    /// Appends to `out` the findings that start in the part of `w` the window owns.
    fn scan_window(
        &self,
        path: &str,
        w: &Window<'_>,
        pass: Pass,
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        let hay = w.bytes;
        let lockfile = allow::is_lockfile(path);
        let rules = self.engine.rules().rules();
        let candidates = match pass {
            Pass::All => self.engine.scan(hay, scratch),
            Pass::SelfIdentifying => self.engine.scan_self_identifying(hay, scratch),
        };
        let mut hits: Vec<Hit> = candidates
            .iter()
            // Lock files are full of hashes: only keys with a literal prefix count there.
            .filter(|c| !(lockfile && rules[c.rule].is_context_anchored()))
            .map(|c| Hit {
                rule: c.rule,
                span: c.secret.clone(),
                secret: Secret::new(String::from_utf8_lossy(&hay[c.secret.clone()]).into_owned()),
                context_seen: c.context_seen,
                decoded: Vec::new(),
            })
            .collect();
        if matches!(pass, Pass::All) {
            if path.ends_with(".ipynb") {
                echoes(hay, &mut hits);
            }
            // Lock files are full of integrity hashes and name packages after providers.
            if self.options.decode && !lockfile {
                self.decoded_hits(hay, &mut hits, scratch);
            }
            if path.ends_with(".json")
                && !lockfile
                && let Some(view) = decode::postman::layer(hay)
            {
                let plain = hits.len();
                self.layer_hits(&view, &mut hits, plain, scratch);
                hits.sort_by_key(|h| h.span.start);
            }
        }
        hits.retain(|h| w.owns.contains(&h.span.start));
        if hits.is_empty() {
            return;
        }
        let spans: Vec<_> = hits.iter().map(|h| h.span.clone()).collect();
        let mut lines = LineCounter::new(hay);
        // Positions in the stream, not the window: lines before it, columns on its first line.
        let mut locate = |offset: usize| {
            let (line, column) = lines.locate(offset);
            let column = if line == 1 {
                column + w.column_before
            } else {
                column
            };
            (line + w.lines_before, column)
        };
        for h in hits {
            if self.options.inline_allow && allow::line_has_allow_marker(hay, h.span.start) {
                continue;
            }
            let rule = Arc::clone(&rules[h.rule]);
            if self
                .options
                .allowlist
                .allows(&rule.id, path, h.secret.expose())
            {
                continue;
            }
            let (line, column) = locate(h.span.start);
            let last = h.span.end.saturating_sub(1).max(h.span.start);
            let (end_line, end_column) = locate(last);
            let fingerprint = finding::fingerprint(&rule.id, h.secret.expose(), path);
            let nearby_host = hosts::nearby_host(&rule.provider.id, hay, h.span.clone());
            out.push(Finding {
                snippet: finding::snippet(hay, h.span.clone(), &spans),
                rule,
                path: path.to_string(),
                location: Location {
                    line,
                    column,
                    end_line,
                    end_column,
                },
                secret: h.secret,
                fingerprint,
                context_seen: h.context_seen,
                decoded: h.decoded,
                commit: None,
                verification: None,
                nearby_host,
            });
        }
    }

    /// Adds to `hits` (sorted by position after) the secrets inside the encoded runs of `hay`,
    /// decoded layer by layer (see [`crate::decode`]), at the span of the outermost run.
    fn decoded_hits(&self, hay: &[u8], hits: &mut Vec<Hit>, scratch: &mut Scratch) {
        let plain = hits.len();
        decode::layers(hay, |layer| self.layer_hits(layer, hits, plain, scratch));
        hits.sort_by_key(|h| h.span.start);
    }

    /// Adds to `hits` the candidates of `layer` that lie in its pieces, mapped back to the
    /// scanned buffer, unless the first `plain` hits or an earlier layer have them.
    fn layer_hits(
        &self,
        layer: &decode::Layer,
        hits: &mut Vec<Hit>,
        plain: usize,
        scratch: &mut Scratch,
    ) {
        for c in self.engine.scan(&layer.buf, scratch) {
            let Some(piece) = layer.piece(&c.secret) else {
                continue;
            };
            let secret = String::from_utf8_lossy(&layer.buf[c.secret.clone()]);
            let span = if piece.chain.is_empty() {
                let start = piece.origin.start + (c.secret.start - piece.at.start);
                start..start + c.secret.len()
            } else {
                piece.origin.clone()
            };
            // Found already: as written, or through a shorter chain of decodings.
            let known = |h: &Hit| {
                h.rule == c.rule
                    && h.secret.expose() == secret
                    && h.span.start < span.end
                    && span.start < h.span.end
            };
            if hits[..plain].iter().any(known) || hits[plain..].iter().any(known) {
                continue;
            }
            hits.push(Hit {
                rule: c.rule,
                span,
                secret: Secret::new(secret.into_owned()),
                context_seen: c.context_seen,
                decoded: piece.chain.iter().map(|e| e.name()).collect(),
            });
        }
    }

    /// Scans raw blob bytes: text with every rule (UTF-16 decoded first), binary bytes
    /// with the self-identifying rules only (none with `skip_binary`).
    pub fn scan_blob(&self, path: &str, bytes: &[u8], scratch: &mut Scratch) -> Scanned {
        let kind = encoding::classify(bytes);
        if kind == Kind::Binary && self.options.skip_binary {
            return Scanned::skipped();
        }
        let mut findings = Vec::new();
        let (text, malformed) = encoding::text(bytes, kind);
        if let Some(text) = &text {
            let w = Window::whole(text);
            self.scan_window(path, &w, Pass::All, scratch, &mut findings);
        }
        if kind.scan_raw() {
            let w = Window::whole(bytes);
            self.scan_window(path, &w, Pass::SelfIdentifying, scratch, &mut findings);
        }
        Scanned::new(findings, kind, malformed)
    }

    /// Scans a blob read from `reader` in windows of `window` bytes (plus overlap), so memory
    /// stays bounded whatever its size. Finds what [`Scanner::scan_blob`] would find over
    /// the whole blob. Returns that and the number of bytes read.
    pub fn scan_stream(
        &self,
        path: &str,
        mut reader: impl Read,
        window: usize,
        scratch: &mut Scratch,
    ) -> io::Result<(Scanned, u64)> {
        let mut head = Vec::new();
        Read::by_ref(&mut reader)
            .take(encoding::UTF16_PROBE as u64 + 2)
            .read_to_end(&mut head)?;
        let mut total = head.len() as u64;
        let kind = encoding::classify(&head);
        if kind == Kind::Binary && self.options.skip_binary {
            return Ok((Scanned::skipped(), total));
        }
        let margin = self.engine.reach();
        let (mut text_out, mut raw_out) = (Vec::new(), Vec::new());
        let mut raw_scratch = Scratch::default();
        let mut emit_text =
            |w: Window<'_>| self.scan_window(path, &w, Pass::All, scratch, &mut text_out);
        let mut emit_raw = |w: Window<'_>| {
            self.scan_window(
                path,
                &w,
                Pass::SelfIdentifying,
                &mut raw_scratch,
                &mut raw_out,
            )
        };
        let mut malformed = false;
        match kind {
            Kind::Text { skip } => {
                let mut text = Windower::new(window, margin);
                text.push(&head[skip..], &mut emit_text);
                loop {
                    match text.fill(&mut reader, &mut emit_text, &mut |_| {})? {
                        0 => break,
                        n => total += n as u64,
                    }
                }
                text.finish(&mut emit_text);
            }
            Kind::Binary => {
                let mut raw = Windower::new(window, margin);
                raw.push(&head, &mut emit_raw);
                loop {
                    match raw.fill(&mut reader, &mut emit_raw, &mut |_| {})? {
                        0 => break,
                        n => total += n as u64,
                    }
                }
                raw.finish(&mut emit_raw);
            }
            Kind::Utf16 { big_endian, skip } => {
                // The raw bytes land in their window (scanned for self-identifying keys), and
                // each new stretch of them is decoded into the text window.
                let mut decoder = encoding::Utf16Decoder::new(big_endian);
                let mut decoded = Vec::new();
                let mut text = Windower::new(window, margin);
                let mut raw = Windower::new(window, margin);
                let mut to_text = |bytes: &[u8], last: bool| {
                    decoded.clear();
                    decoder.decode(bytes, last, &mut decoded);
                    text.push(&decoded, &mut emit_text);
                };
                raw.push(&head, &mut emit_raw);
                to_text(&head[skip..], false);
                loop {
                    match raw.fill(&mut reader, &mut emit_raw, &mut |b| to_text(b, false))? {
                        0 => break,
                        n => total += n as u64,
                    }
                }
                to_text(&[], true);
                raw.finish(&mut emit_raw);
                text.finish(&mut emit_text);
                malformed = decoder.malformed;
            }
        }
        text_out.append(&mut raw_out);
        Ok((Scanned::new(text_out, kind, malformed), total))
    }

    /// Walks `roots` and scans every file in parallel.
    pub fn scan_paths(
        &self,
        roots: &[PathBuf],
        walk_opts: &walk::WalkOptions,
        progress: bool,
    ) -> Outcome {
        let start = Instant::now();
        let (tx, rx) = mpsc::channel::<Event>();
        let mut outcome = Outcome::default();
        std::thread::scope(|s| {
            s.spawn(|| {
                let tx = tx;
                walk::walk(roots, walk_opts, || {
                    let mut batch = Batch::new(tx.clone());
                    let mut scratch = Scratch::default();
                    let mut buf = Vec::new();
                    let this: &Scanner = self;
                    Box::new(move |entry| match entry {
                        walk::Entry::File(path) => {
                            this.scan_file(&path, &mut buf, &mut scratch, &mut batch)
                        }
                        walk::Entry::Problem(d) => batch.send(Event::Problem(d)),
                    })
                });
            });
            let mut bar = Progress::new(progress);
            loop {
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(ev) => outcome.absorb(ev),
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
                bar.tick(&outcome.stats, outcome.findings.len());
            }
            bar.finish();
        });
        outcome.stats.elapsed = start.elapsed();
        outcome.sort();
        outcome
    }

    fn scan_file(&self, path: &Path, buf: &mut Vec<u8>, scratch: &mut Scratch, batch: &mut Batch) {
        let shown = display_path(path);
        let scanned = match read::open(path, buf, read::WHOLE_LIMIT) {
            Ok((Contents::Whole(bytes), len)) => Ok((
                self.scan_blob(&shown, bytes, scratch),
                bytes.len() as u64,
                len,
            )),
            Ok((Contents::Large(file), len)) => self
                .scan_stream(&shown, file, read::WHOLE_LIMIT as usize, scratch)
                .map(|(scanned, bytes)| (scanned, bytes, len)),
            Err(e) => Err(e),
        };
        if let Ok((scanned, bytes, len)) = &scanned
            && scanned.coverage != Coverage::BinarySkipped
            && bytes != len
        {
            // Truncated or appended to by another process: what was read is scanned.
            batch.send(Event::Problem(Diagnostic::new(
                Severity::Warning,
                shown.clone(),
                format!("changed while scanned: {len} bytes when opened, {bytes} read"),
            )));
        }
        let ev = match scanned.map(|(scanned, bytes, _)| (scanned, bytes)) {
            Ok((
                Scanned {
                    findings,
                    coverage: Coverage::Full,
                },
                bytes,
            )) => Event::Scanned {
                files: 1,
                bytes,
                findings,
            },
            Ok((scanned, bytes)) => Event::Partial {
                path: shown,
                bytes,
                scanned,
            },
            Err(e) => Event::Problem(Diagnostic::new(
                Severity::Error,
                shown,
                format!("cannot read: {e}"),
            )),
        };
        batch.push(ev);
    }
}

/// Distinct secrets of a notebook followed to their other occurrences, at most.
const ECHOED_SECRETS: usize = 32;

/// Occurrences of one secret followed, at most.
const ECHOES: usize = 256;

/// A notebook's output cells echo what its code cells assigned (`!echo $MISTRAL_API_KEY`):
/// the cell that named the key is the context of every other occurrence of the same value,
/// reported as the same rule's. Adds those occurrences (whole tokens only) to `hits`.
fn echoes(hay: &[u8], hits: &mut Vec<Hit>) {
    let mut seen: Vec<(usize, Vec<u8>)> = Vec::new();
    for h in hits.iter() {
        let s = h.secret.expose().as_bytes();
        if seen.len() < ECHOED_SECRETS && !seen.iter().any(|(_, x)| x == s) {
            seen.push((h.rule, s.to_vec()));
        }
    }
    let token = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'/');
    for (rule, secret) in seen {
        for at in memchr::memmem::find_iter(hay, &secret).take(ECHOES) {
            let span = at..at + secret.len();
            let whole = at.checked_sub(1).is_none_or(|i| !token(hay[i]))
                && hay.get(span.end).is_none_or(|&b| !token(b));
            if whole && !hits.iter().any(|h| h.span == span) {
                hits.push(Hit {
                    rule,
                    span,
                    secret: Secret::new(String::from_utf8_lossy(&secret).into_owned()),
                    context_seen: true,
                    decoded: Vec::new(),
                });
            }
        }
    }
    hits.sort_by_key(|h| h.span.start);
}

/// A path as reports show it: without a leading `./`, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let p = path.strip_prefix(".").unwrap_or(path);
    let s = p.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace('\\', "/")
    }
}

/// Files per message from a worker to the collector when they have nothing to report: one
/// channel message (and thread wake-up) per file cost more system time than reading it.
const BATCH_FILES: u64 = 256;

/// A worker's running counts of clean files, sent in batches and on drop.
struct Batch {
    tx: mpsc::Sender<Event>,
    files: u64,
    bytes: u64,
}

impl Batch {
    fn new(tx: mpsc::Sender<Event>) -> Batch {
        Batch {
            tx,
            files: 0,
            bytes: 0,
        }
    }

    fn push(&mut self, ev: Event) {
        match ev {
            Event::Scanned {
                files,
                bytes,
                findings,
            } if findings.is_empty() => {
                self.files += files;
                self.bytes += bytes;
                if self.files >= BATCH_FILES {
                    self.flush();
                }
            }
            ev => self.send(ev),
        }
    }

    fn send(&self, ev: Event) {
        let _ = self.tx.send(ev);
    }

    fn flush(&mut self) {
        if self.files > 0 {
            self.send(Event::Scanned {
                files: self.files,
                bytes: self.bytes,
                findings: Vec::new(),
            });
            (self.files, self.bytes) = (0, 0);
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        self.flush();
    }
}

enum Event {
    Scanned {
        files: u64,
        bytes: u64,
        findings: Vec<Finding>,
    },
    /// A file not scanned whole with every rule (binary, badly encoded).
    Partial {
        path: String,
        bytes: u64,
        scanned: Scanned,
    },
    Problem(Diagnostic),
}

impl Outcome {
    fn absorb(&mut self, ev: Event) {
        match ev {
            Event::Scanned {
                files,
                bytes,
                findings,
            } => {
                self.stats.files += files;
                self.stats.bytes += bytes;
                self.findings.extend(findings);
            }
            Event::Partial {
                path,
                bytes,
                scanned,
            } => {
                self.record(path, scanned.coverage, bytes);
                self.findings.extend(scanned.findings);
            }
            Event::Problem(d) => {
                if d.severity == Severity::Error {
                    self.stats.errors += 1;
                }
                self.diagnostics.push(d);
            }
        }
    }
}
