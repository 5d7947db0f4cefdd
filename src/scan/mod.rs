//! Turns blobs into findings (engine → validate → finding) and drives a directory scan:
//! workers walk, read and match in parallel; one collector gathers results and shows progress.

use std::{
    io::{self, Read},
    path::{Path, PathBuf},
    sync::{Arc, mpsc},
    time::{Duration, Instant},
};

mod allow;

use crate::{
    config::Allowlist,
    detect::engine::{Engine, Scratch},
    diagnostic::{Diagnostic, Severity},
    finding::{self, Finding, Location, Secret},
    lines::LineCounter,
    outcome::Outcome,
    progress::Progress,
    rules::hosts,
    source::{
        encoding::{self, Kind},
        read::{self, Contents},
        walk,
        window::{Window, Windower},
    },
};

/// Bytes asked of the operating system per read when streaming a large file.
const READ_CHUNK: usize = 1024 * 1024;

/// Options that change what counts as a finding.
#[derive(Debug)]
pub struct ScanOptions {
    /// Honour `keysift:allow` (and migrated) comments; audits may turn this off.
    pub inline_allow: bool,
    /// The repository's `.keysift.toml` allowlist.
    pub allowlist: Allowlist,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            inline_allow: true,
            allowlist: Allowlist::default(),
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
        self.scan_window(path, &Window::whole(hay), scratch, &mut out);
        out
    }

    /// Appends to `out` the findings that start in the part of `w` the window owns.
    fn scan_window(
        &self,
        path: &str,
        w: &Window<'_>,
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        let hay = w.bytes;
        let candidates = self.engine.scan(hay, scratch);
        if candidates.is_empty() {
            return;
        }
        let rules = self.engine.rules().rules();
        let lockfile = allow::is_lockfile(path);
        let spans: Vec<_> = candidates.iter().map(|c| c.secret.clone()).collect();
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
        for c in candidates {
            if !w.owns.contains(&c.secret.start) {
                continue;
            }
            if self.options.inline_allow && allow::line_has_allow_marker(hay, c.secret.start) {
                continue;
            }
            let rule = Arc::clone(&rules[c.rule]);
            // Lock files are full of hashes: only keys with a literal prefix count there.
            if lockfile && rule.is_context_anchored() {
                continue;
            }
            let secret = Secret::new(String::from_utf8_lossy(&hay[c.secret.clone()]).into_owned());
            if self
                .options
                .allowlist
                .allows(&rule.id, path, secret.expose())
            {
                continue;
            }
            let (line, column) = locate(c.secret.start);
            let last = c.secret.end.saturating_sub(1).max(c.secret.start);
            let (end_line, end_column) = locate(last);
            let fingerprint = finding::fingerprint(&rule.id, secret.expose(), path);
            let nearby_host = hosts::nearby_host(&rule.provider.id, hay, c.secret.clone());
            out.push(Finding {
                snippet: finding::snippet(hay, c.secret.clone(), &spans),
                rule,
                path: path.to_string(),
                location: Location {
                    line,
                    column,
                    end_line,
                    end_column,
                },
                secret,
                fingerprint,
                context_seen: c.context_seen,
                commit: None,
                verification: None,
                nearby_host,
            });
        }
    }

    /// Scans raw blob bytes: decodes UTF-16, skips binary. `None` means binary.
    pub fn scan_blob(
        &self,
        path: &str,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> Option<Vec<Finding>> {
        let kind = encoding::classify(bytes);
        let (text, _malformed) = encoding::text(bytes, kind);
        Some(self.scan_text(path, &text?, scratch))
    }

    /// Scans a blob read from `reader` in windows of `window` bytes (plus overlap), so memory
    /// stays bounded whatever its size. Finds what [`Scanner::scan_blob`] would find over
    /// the whole blob. Returns the findings (`None` for binary) and the bytes read.
    pub fn scan_stream(
        &self,
        path: &str,
        mut reader: impl Read,
        window: usize,
        scratch: &mut Scratch,
    ) -> io::Result<(Option<Vec<Finding>>, u64)> {
        let mut head = Vec::new();
        Read::by_ref(&mut reader)
            .take(encoding::UTF16_PROBE as u64 + 2)
            .read_to_end(&mut head)?;
        let mut total = head.len() as u64;
        let kind = encoding::classify(&head);
        let mut out = Vec::new();
        let mut emit = |w: Window<'_>| self.scan_window(path, &w, scratch, &mut out);
        let mut windows = Windower::new(window, self.engine.reach());
        match kind {
            Kind::Binary => return Ok((None, total)),
            Kind::Text { skip } => {
                windows.push(&head[skip..], &mut emit);
                loop {
                    match windows.fill(&mut reader, &mut emit, &mut |_| {})? {
                        0 => break,
                        n => total += n as u64,
                    }
                }
            }
            Kind::Utf16 { big_endian, skip } => {
                let mut decoder = encoding::Utf16Decoder::new(big_endian);
                let mut decoded = Vec::new();
                let mut chunk = head.split_off(skip);
                loop {
                    decoded.clear();
                    decoder.decode(&chunk, false, &mut decoded);
                    windows.push(&decoded, &mut emit);
                    chunk.clear();
                    match Read::by_ref(&mut reader)
                        .take(READ_CHUNK as u64)
                        .read_to_end(&mut chunk)?
                    {
                        0 => break,
                        n => total += n as u64,
                    }
                }
                decoded.clear();
                decoder.decode(&[], true, &mut decoded);
                windows.push(&decoded, &mut emit);
            }
        }
        windows.finish(&mut emit);
        Ok((Some(out), total))
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
                            batch.push(this.scan_file(&path, &mut buf, &mut scratch))
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

    fn scan_file(&self, path: &Path, buf: &mut Vec<u8>, scratch: &mut Scratch) -> Event {
        let shown = display_path(path);
        let scanned = match read::open(path, buf, read::WHOLE_LIMIT) {
            Ok(Contents::Whole(bytes)) => {
                Ok((self.scan_blob(&shown, bytes, scratch), bytes.len() as u64))
            }
            Ok(Contents::Large(file)) => {
                self.scan_stream(&shown, file, read::WHOLE_LIMIT as usize, scratch)
            }
            Err(e) => Err(e),
        };
        match scanned {
            Ok((Some(findings), bytes)) => Event::Scanned {
                files: 1,
                bytes,
                findings,
            },
            Ok((None, bytes)) => Event::Binary { path: shown, bytes },
            Err(e) => Event::Problem(Diagnostic::new(
                Severity::Error,
                shown,
                format!("cannot read: {e}"),
            )),
        }
    }
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
    Binary {
        path: String,
        bytes: u64,
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
            Event::Binary { path, bytes } => {
                self.stats.binary_skipped += 1;
                self.stats.bytes += bytes;
                self.diagnostics.push(Diagnostic::new(
                    Severity::Note,
                    path,
                    "binary file, skipped",
                ));
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
