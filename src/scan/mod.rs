//! Turns blobs into findings (engine → validate → finding) and drives a directory scan:
//! workers walk, read and match in parallel; one collector gathers results and shows progress.

use std::{
    collections::{HashMap, HashSet},
    io::{self, Read},
    ops::Range,
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

mod allow;

use rayon::prelude::*;

use crate::{
    config::Allowlists,
    decode,
    detect::engine::{Engine, Scratch},
    diagnostic::{Diagnostic, Severity},
    finding::{self, Finding, Location, Secret},
    lines::LineCounter,
    outcome::{Coverage, Outcome, Suppressed},
    progress::Progress,
    rules::{List, Rule, hosts},
    size::human as human_size,
    source::{
        self, archive,
        encoding::{self, Kind},
        ignore_files::IgnoreFiles,
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
    /// The repositories' `.keysift.toml` allowlists, by scan root.
    pub allowlists: Allowlists,
    /// Skip binary files instead of scanning them for self-identifying keys.
    pub skip_binary: bool,
    /// Expand archives and compressed files within these limits; `None` scans them as they
    /// are (`--no-archives`).
    pub archives: Option<archive::Limits>,
    /// Files (and archive members) larger than this are skipped (`--max-file-size`).
    pub max_file_size: Option<u64>,
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
            allowlists: Allowlists::default(),
            skip_binary: false,
            archives: Some(archive::Limits::default()),
            max_file_size: None,
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
    /// Candidates dropped by the allowlists and by inline comments, across all workers.
    allowlisted: AtomicU64,
    inline_allowed: AtomicU64,
}

impl Scanner {
    pub fn new(engine: Engine, options: ScanOptions) -> Scanner {
        Scanner {
            engine,
            options,
            allowlisted: AtomicU64::new(0),
            inline_allowed: AtomicU64::new(0),
        }
    }

    /// How many findings the allowlists and inline comments have silenced so far.
    pub fn suppressed(&self) -> Suppressed {
        Suppressed {
            allowlist: self.allowlisted.load(Ordering::Relaxed),
            inline_allow: self.inline_allowed.load(Ordering::Relaxed),
            baseline: 0,
        }
    }

    /// Whether the allowlist for `path` silences this finding; counted when it does.
    pub fn allowlisted(&self, rule: &Rule, path: &str, secret: &str) -> bool {
        let allowed = self.options.allowlists.allows(rule.ids(), path, secret);
        if allowed {
            self.allowlisted.fetch_add(1, Ordering::Relaxed);
        }
        allowed
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
        let lockfile = allow::is_lockfile(
            path,
            self.engine.rules().shared_words().get(List::Lockfiles),
        );
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
                // A window of a large file cuts the runs crossing its edges.
                let edges = decode::Edges {
                    start: w.owns.start > 0,
                    end: w.owns.end < hay.len(),
                };
                self.decoded_hits(hay, edges, &mut hits, scratch);
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
        let mut allowed = allow::AllowMarkers::new(hay);
        let mut host_index = hosts::HostIndex::default();
        for h in hits {
            if self.options.inline_allow && allowed.on_line_of(h.span.start) {
                self.inline_allowed.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let rule = Arc::clone(&rules[h.rule]);
            if self.allowlisted(&rule, path, h.secret.expose()) {
                continue;
            }
            let (line, column) = locate(h.span.start);
            let last = h.span.end.saturating_sub(1).max(h.span.start);
            let (end_line, end_column) = locate(last);
            let fingerprint = finding::fingerprint(&rule.id, h.secret.expose(), path);
            let nearby_host = host_index.near(&rule.provider.id, hay, h.span.clone());
            // Of the secret itself, so a decoded or echoed copy is judged like a plain one.
            let checksum = rule.checksum.map(|c| c.holds(h.secret.expose().as_bytes()));
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
                checksum,
                decoded: h.decoded,
                commit: None,
                verification: None,
                nearby_host,
            });
        }
    }

    /// Adds to `hits` (sorted by position after) the secrets inside the encoded runs of `hay`,
    /// decoded layer by layer (see [`crate::decode`]), at the span of the outermost run.
    fn decoded_hits(
        &self,
        hay: &[u8],
        edges: decode::Edges,
        hits: &mut Vec<Hit>,
        scratch: &mut Scratch,
    ) {
        let plain = hits.len();
        decode::layers_between(hay, edges, |layer| {
            self.layer_hits(layer, hits, plain, scratch)
        });
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
            let span = piece.origin_of(&c.secret);
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
        let (streams, trees): (Vec<PathBuf>, Vec<PathBuf>) =
            roots.iter().cloned().partition(|r| is_stream(r));
        let roots = source::roots::normalize(&trees);
        let seen = source::roots::Seen::new(&roots);
        // `.gitignore` hides untracked files only: inside a repository, the files the walk
        // visits are compared with the index afterwards, and tracked ones it skipped are
        // scanned too. (With --no-ignore the walk skips nothing.)
        let track = !walk_opts.no_ignore && roots.any_in_repository();
        let (tx, rx) = mpsc::channel::<Event>();
        let mut outcome = Outcome::default();
        let mut visited: Vec<PathBuf> = Vec::new();
        let mut tracked = Vec::new();
        std::thread::scope(|s| {
            let index = track.then(|| s.spawn(|| source::tracked::under(&roots)));
            s.spawn(|| {
                let tx = tx;
                {
                    let mut batch = Batch::new(tx.clone(), false);
                    let (mut scratch, mut buf) = (Scratch::default(), Vec::new());
                    for root in &streams {
                        self.scan_stream_root(root, walk_opts, &mut buf, &mut scratch, &mut batch);
                    }
                }
                let seen = &seen;
                walk::walk(&roots.paths, walk_opts, || {
                    let mut batch = Batch::new(tx.clone(), track);
                    let mut scratch = Scratch::default();
                    let mut buf = Vec::new();
                    let this: &Scanner = self;
                    Box::new(move |entry| match entry {
                        walk::Entry::File(path) => {
                            let Some(path) = seen.claim(path) else {
                                return;
                            };
                            if walk::is_active_ignore_file(&path, walk_opts) {
                                batch.send(Event::IgnoreFile(display_path(&path)));
                            }
                            this.scan_file(&path, &mut buf, &mut scratch, &mut batch);
                            batch.visited(&path);
                        }
                        walk::Entry::Problem(d) => batch.send(Event::Problem(d)),
                    })
                });
            });
            let mut bar = Progress::new(progress);
            loop {
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(Event::Visited(paths)) => visited.extend(paths),
                    Ok(ev) => outcome.absorb(ev),
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
                bar.tick(&outcome.stats, outcome.findings.len());
            }
            bar.finish();
            if let Some(Ok(files)) = index.map(|h| h.join()) {
                tracked = files;
            }
        });
        self.scan_skipped_tracked(tracked, visited, walk_opts, &mut outcome);
        outcome.stats.elapsed = start.elapsed();
        outcome.sort();
        outcome.ignore_files.sort();
        outcome
    }

    /// Scans one stream (a commit message file, for one) shown as `name`.
    pub fn scan_reader(&self, name: &str, reader: impl Read) -> Outcome {
        let start = Instant::now();
        let mut outcome = Outcome::default();
        let scanned = self.scan_stream(
            name,
            reader,
            read::WHOLE_LIMIT as usize,
            &mut Scratch::default(),
        );
        outcome.absorb(stream_event(name.to_string(), scanned));
        outcome.stats.elapsed = start.elapsed();
        outcome.sort();
        outcome
    }

    /// Standard input (`-`), or a root that is neither a file nor a directory (a FIFO,
    /// `/dev/stdin` on a pipe, `<(cmd)`): read as a stream, in windows.
    fn scan_stream_root(
        &self,
        root: &Path,
        opts: &walk::WalkOptions,
        buf: &mut Vec<u8>,
        scratch: &mut Scratch,
        batch: &mut Batch,
    ) {
        if root == Path::new(STDIN) {
            let name = opts.stdin_name.as_deref().unwrap_or(STDIN_SHOWN);
            let stdin = io::stdin().lock();
            let scanned = self.scan_stream(name, stdin, read::WHOLE_LIMIT as usize, scratch);
            return batch.push(stream_event(name.to_string(), scanned));
        }
        // `read::open` streams what does not fit one window, whatever its size says (0 here).
        self.scan_file(root, buf, scratch, batch);
    }

    /// Scans the tracked files the walk did not visit, unless `.ignore` or `.keysiftignore`
    /// excludes them (those are counted as skipped by ignore files): what is left was hidden
    /// by `.gitignore`, which does not apply to tracked files.
    fn scan_skipped_tracked(
        &self,
        tracked: Vec<source::tracked::TrackedFile>,
        visited: Vec<PathBuf>,
        walk_opts: &walk::WalkOptions,
        outcome: &mut Outcome,
    ) {
        if tracked.is_empty() {
            return;
        }
        let visited: HashSet<PathBuf> = visited
            .into_iter()
            .map(|p| match p.strip_prefix(".") {
                Ok(rest) => rest.to_path_buf(),
                Err(_) => p,
            })
            .collect();
        let mut ignore: HashMap<Arc<PathBuf>, IgnoreFiles> = HashMap::new();
        let mut skipped: Vec<PathBuf> = Vec::new();
        for f in tracked {
            if visited.contains(&f.shown)
                || !std::fs::symlink_metadata(&f.shown).is_ok_and(|m| m.is_file())
            {
                continue;
            }
            if !walk_opts.no_ignore_files
                && ignore
                    .entry(Arc::clone(&f.workdir))
                    .or_insert_with(|| IgnoreFiles::new(f.workdir.as_path()))
                    .is_ignored(&f.rel)
            {
                outcome.stats.ignored += 1;
                continue;
            }
            skipped.push(f.shown);
        }
        // Possibly the whole tree (a `.gitignore` of `/*`): scanned in parallel like the walk.
        let (tx, rx) = mpsc::channel::<Event>();
        in_pool(walk_opts.threads, || {
            skipped.par_iter().for_each_init(
                || {
                    (
                        Batch::new(tx.clone(), false),
                        Vec::new(),
                        Scratch::default(),
                    )
                },
                |(batch, buf, scratch), path| self.scan_file(path, buf, scratch, batch),
            )
        });
        drop(tx);
        for ev in rx {
            outcome.absorb(ev);
        }
        for path in &skipped {
            outcome.diagnostics.push(Diagnostic::new(
                Severity::Note,
                display_path(path),
                "tracked though .gitignore lists it: scanned",
            ));
        }
    }

    fn scan_file(&self, path: &Path, buf: &mut Vec<u8>, scratch: &mut Scratch, batch: &mut Batch) {
        let shown = display_path(path);
        let opened = read::open(path, buf, read::WHOLE_LIMIT, self.options.max_file_size);
        if let Ok((Contents::TooLarge, len)) = &opened {
            return batch.push(Event::TooLarge {
                path: shown,
                bytes: *len,
            });
        }
        if let (Some(limits), Ok((Contents::Whole(bytes), _))) = (&self.options.archives, &opened)
            && let Some(kind) = archive::kind_of(bytes)
        {
            return self.scan_archive(&shown, bytes, kind, limits, scratch, &mut |ev| {
                batch.push(ev)
            });
        }
        let scanned = match opened {
            Ok((Contents::Whole(bytes), len)) => Ok((
                self.scan_blob(&shown, bytes, scratch),
                bytes.len() as u64,
                len,
            )),
            Ok((Contents::Large(file), len)) => self
                .scan_stream(&shown, file, read::WHOLE_LIMIT as usize, scratch)
                .map(|(scanned, bytes)| (scanned, bytes, len)),
            Ok((Contents::TooLarge, _)) => unreachable!("handled above"),
            Err(e) => Err(e),
        };
        if let Ok((scanned, bytes, len)) = &scanned
            && scanned.coverage != Coverage::BinarySkipped
            && bytes != len
            && std::fs::metadata(path).is_ok_and(|m| m.is_file())
        {
            // Truncated or appended to by another process: what was read is scanned.
            batch.send(Event::Problem(Diagnostic::new(
                Severity::Warning,
                shown.clone(),
                format!("changed while scanned: {len} bytes when opened, {bytes} read"),
            )));
        }
        batch.push(stream_event(
            shown,
            scanned.map(|(scanned, bytes, _)| (scanned, bytes)),
        ));
    }

    /// Scans what an archive holds; each member counts as a file.
    fn scan_archive(
        &self,
        name: &str,
        bytes: &[u8],
        kind: archive::Kind,
        limits: &archive::Limits,
        scratch: &mut Scratch,
        sink: &mut dyn FnMut(Event),
    ) {
        let mut members = 0;
        let archives = archive::expand(name, bytes, kind, limits, &mut |item| match item {
            archive::Item::Blob { name, bytes } => {
                members += 1;
                let scanned = self.scan_blob(name, bytes, scratch);
                sink(stream_event(
                    name.to_string(),
                    Ok((scanned, bytes.len() as u64)),
                ));
            }
            archive::Item::Problem(d) => sink(Event::Problem(d)),
            archive::Item::TooLarge { name, limit } => sink(match self.options.max_file_size {
                Some(_) => Event::TooLarge {
                    path: name.to_string(),
                    bytes: limit + 1,
                },
                None => Event::Problem(Diagnostic::new(
                    Severity::Error,
                    name,
                    format!(
                        "expands to more than {} (the member limit; --max-file-size raises it), \
                         not scanned",
                        human_size(limit)
                    ),
                )),
            }),
        });
        sink(Event::Expanded { archives, members });
    }
}

/// A blob scanned as a directory scan scans a file: an archive is opened and each member
/// scanned and counted (`a.zip!config/.env`). Modes that read blobs from git (`--staged`)
/// use it so that what they report and count matches a directory scan.
pub struct BlobScan {
    events: Vec<Event>,
}

impl BlobScan {
    /// Every finding, in the blob or its members.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.events.iter().flat_map(|ev| match ev {
            Event::Scanned { findings, .. } => findings.as_slice(),
            Event::Partial { scanned, .. } => scanned.findings.as_slice(),
            _ => &[],
        })
    }

    /// Keeps the findings `keep` accepts.
    pub fn retain_findings(&mut self, mut keep: impl FnMut(&Finding) -> bool) {
        for ev in &mut self.events {
            match ev {
                Event::Scanned { findings, .. } => findings.retain(&mut keep),
                Event::Partial { scanned, .. } => scanned.findings.retain(&mut keep),
                _ => {}
            }
        }
    }

    /// Adds the findings, counts and diagnostics to `outcome`.
    pub fn record_in(self, outcome: &mut Outcome) {
        for ev in self.events {
            outcome.absorb(ev);
        }
    }
}

impl Scanner {
    /// Scans `bytes`, the content of the file `name`, as a directory scan would: see
    /// [`BlobScan`].
    pub fn scan_blob_as_file(&self, name: &str, bytes: &[u8], scratch: &mut Scratch) -> BlobScan {
        let mut events = Vec::new();
        match (&self.options.archives, archive::kind_of(bytes)) {
            (Some(limits), Some(kind)) => {
                self.scan_archive(name, bytes, kind, limits, scratch, &mut |ev| {
                    events.push(ev)
                })
            }
            _ => {
                let scanned = self.scan_blob(name, bytes, scratch);
                events.push(stream_event(
                    name.to_string(),
                    Ok((scanned, bytes.len() as u64)),
                ));
            }
        }
        BlobScan { events }
    }
}

/// The event for a blob read and scanned (or not readable).
fn stream_event(path: String, scanned: io::Result<(Scanned, u64)>) -> Event {
    match scanned {
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
            path,
            bytes,
            scanned,
        },
        Err(e) => Event::Problem(Diagnostic::new(
            Severity::Error,
            path,
            format!("cannot read: {e}"),
        )),
    }
}

/// The path that means standard input.
pub const STDIN: &str = "-";
/// How standard input is named in reports unless `--stdin-name` says otherwise.
pub const STDIN_SHOWN: &str = "<stdin>";

/// Whether a scan root is read as a stream: `-`, or a FIFO, character device or other
/// non-file (`/dev/stdin` on a pipe, `<(cmd)`). Only roots: a FIFO inside a tree could block.
fn is_stream(root: &Path) -> bool {
    root == Path::new(STDIN) || std::fs::metadata(root).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Runs `f` on a pool of `threads` threads, or on rayon's global pool (one thread per core)
/// when `threads` is 0 or a pool cannot be built.
pub fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    if threads > 0
        && let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build()
    {
        return pool.install(f);
    }
    f()
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

/// A worker's running counts of clean files, sent in batches and on drop, and when the scan
/// compares the walk with a git index, the paths it visited.
struct Batch {
    tx: mpsc::Sender<Event>,
    files: u64,
    bytes: u64,
    visited: Option<Vec<PathBuf>>,
}

impl Batch {
    fn new(tx: mpsc::Sender<Event>, record_visits: bool) -> Batch {
        Batch {
            tx,
            files: 0,
            bytes: 0,
            visited: record_visits.then(Vec::new),
        }
    }

    fn visited(&mut self, path: &Path) {
        if let Some(v) = &mut self.visited {
            v.push(path.to_path_buf());
            if v.len() as u64 >= BATCH_FILES {
                let full = std::mem::take(v);
                self.send(Event::Visited(full));
            }
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
        if let Some(v) = self.visited.as_mut().filter(|v| !v.is_empty()) {
            let rest = std::mem::take(v);
            self.send(Event::Visited(rest));
        }
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
    /// Larger than `--max-file-size`, not read (`bytes` is a lower bound for archive members).
    TooLarge {
        path: String,
        bytes: u64,
    },
    /// An archive was expanded: `archives` containers, `members` files read out of them.
    Expanded {
        archives: u64,
        members: u64,
    },
    IgnoreFile(String),
    /// Paths the walk scanned, when they are compared with a git index.
    Visited(Vec<PathBuf>),
}

impl Outcome {
    /// Adds a blob's findings; the first batch is moved in, not copied, so a file of a million
    /// findings is not held twice at the end of its scan.
    fn take_findings(&mut self, findings: Vec<Finding>) {
        if self.findings.is_empty() {
            self.findings = findings;
        } else {
            self.findings.extend(findings);
        }
    }

    fn absorb(&mut self, ev: Event) {
        match ev {
            Event::Scanned {
                files,
                bytes,
                findings,
            } => {
                self.stats.files += files;
                self.stats.bytes += bytes;
                self.take_findings(findings);
            }
            Event::Partial {
                path,
                bytes,
                scanned,
            } => {
                self.record(path, scanned.coverage, bytes);
                self.take_findings(scanned.findings);
            }
            Event::TooLarge { path, bytes } => {
                self.stats.too_large += 1;
                self.diagnostics.push(Diagnostic::new(
                    Severity::Note,
                    path,
                    format!(
                        "larger than --max-file-size ({}), skipped",
                        human_size(bytes)
                    ),
                ));
            }
            Event::Expanded { archives, members } => {
                self.stats.archives += archives;
                self.stats.archive_members += members;
            }
            Event::IgnoreFile(path) => self.ignore_files.push(path),
            Event::Visited(_) => {}
            Event::Problem(d) => {
                if d.severity == Severity::Error {
                    self.stats.errors += 1;
                }
                self.diagnostics.push(d);
            }
        }
    }
}
