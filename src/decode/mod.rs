//! Decoding before matching: rewrites the encoded runs of a buffer that can hide a secret
//! (base64, percent-encoding, JSON string escapes; see [`runs`]) into layers of decoded text
//! the detector scans like any other.
//!
//! A layer holds, for each decodable run, the lines around it with the run replaced by its
//! decoded text, so the run's own label and neighbours still explain what it holds
//! (`MISTRAL_API_KEY: <base64>` reads as `MISTRAL_API_KEY: <key>`). Windows of different runs
//! are merged when they touch and kept apart by blank lines otherwise. Only the decoded text
//! of a layer is searched for further runs (base64 of JSON holding base64, as in a
//! `.dockerconfigjson`), down to [`MAX_DEPTH`]. Each layer is built from the windows of the one
//! above, so the work is bounded by a small multiple of the buffer's size whatever it holds.

pub mod postman;
pub mod runs;

use std::ops::Range;

use runs::Run;
pub use runs::{Edges, Encoding};

use crate::lines::line_window;

/// Deepest nesting decoded (base64 of JSON holding base64 holding an escape).
pub const MAX_DEPTH: usize = 3;

/// Lines copied around a run either side: more than any rule's context window.
const CONTEXT_LINES: usize = 12;

/// Bytes copied around a run either side at most (minified files have long lines).
const CONTEXT_BYTES: usize = 4096;

/// Decoded text in a layer: where it sits, the outermost encoded run it came from in the
/// scanned buffer, and the encodings peeled off, outermost first. A piece with no encoding
/// (a [`postman`] value) is the original bytes, mapped back byte for byte.
#[derive(Debug, Clone)]
pub struct Piece {
    pub at: Range<usize>,
    pub origin: Range<usize>,
    pub chain: Vec<Encoding>,
    /// For base64 cut by a window's edge (a run longer than the window): where its first
    /// quad starts in the scanned buffer, so a match is located at the characters encoding
    /// it rather than at a run that began in another window.
    pub quads: Option<usize>,
}

impl Piece {
    /// Where the decoded bytes `at` of this piece (positions in its layer) come from in the
    /// scanned buffer: the same bytes for a verbatim piece, the quads encoding them for cut
    /// base64, the whole outermost run otherwise.
    pub fn origin_of(&self, at: &Range<usize>) -> Range<usize> {
        let (from, to) = (at.start - self.at.start, at.end - self.at.start);
        if self.chain.is_empty() {
            self.origin.start + from..self.origin.start + to
        } else if let Some(q) = self.quads {
            let start = (q + from / 3 * 4).min(self.origin.end);
            start..(q + to.div_ceil(3) * 4).clamp(start, self.origin.end)
        } else {
            self.origin.clone()
        }
    }
}

/// One level of decoding: text to scan, and where its decoded pieces came from.
#[derive(Debug, Default)]
pub struct Layer {
    pub buf: Vec<u8>,
    /// Sorted by position, none overlapping.
    pub pieces: Vec<Piece>,
}

impl Layer {
    /// The decoded piece holding all of `span`, if any; a match that reaches out of the
    /// decoded text was found (or not) in the layer above.
    pub fn piece(&self, span: &Range<usize>) -> Option<&Piece> {
        // (Pieces are sorted: the first ending after the span's start is the only candidate.)
        let i = self.pieces.partition_point(|p| p.at.end <= span.start);
        self.pieces
            .get(i)
            .filter(|p| p.at.start <= span.start && span.end <= p.at.end)
    }
}

/// Calls `f` with each layer of decoded text under `hay`, outermost first; stops when a layer
/// holds no further run or at [`MAX_DEPTH`].
pub fn layers(hay: &[u8], f: impl FnMut(&Layer)) {
    layers_between(hay, Edges::default(), f);
}

/// Like [`layers`] for a window of a longer stream, open at `edges` (see [`Edges`]).
pub fn layers_between(hay: &[u8], edges: Edges, mut f: impl FnMut(&Layer)) {
    let mut found = Vec::new();
    runs::find_between(hay, 0..hay.len(), edges, &mut found);
    let tagged = found
        .into_iter()
        .map(|r| {
            let tag = Tag {
                origin: r.span.clone(),
                chain: vec![r.encoding],
                quads: r.cut.then_some(r.span.start),
            };
            (r, tag)
        })
        .collect();
    let mut layer = build(hay, tagged);
    for depth in 1..=MAX_DEPTH {
        if layer.pieces.is_empty() {
            return;
        }
        f(&layer);
        if depth == MAX_DEPTH {
            return;
        }
        let mut tagged = Vec::new();
        let mut found = Vec::new();
        for p in &layer.pieces {
            found.clear();
            runs::find(&layer.buf, p.at.clone(), &mut found);
            for r in found.drain(..) {
                let mut chain = p.chain.clone();
                chain.push(r.encoding);
                let tag = Tag {
                    origin: p.origin_of(&r.span),
                    chain,
                    quads: None,
                };
                tagged.push((r, tag));
            }
        }
        layer = build(&layer.buf, tagged);
    }
}

/// What a run of a layer maps back to: a [`Piece`] but for its place in the layer.
struct Tag {
    origin: Range<usize>,
    chain: Vec<Encoding>,
    quads: Option<usize>,
}

/// The layer holding `runs` (sorted, not overlapping) of `parent` decoded, each within its
/// lines of context.
fn build(parent: &[u8], runs: Vec<(Run, Tag)>) -> Layer {
    let mut layer = Layer::default();
    let mut runs = runs.into_iter().peekable();
    while let Some(first) = runs.peek() {
        let start = line_window(parent, first.0.span.start, CONTEXT_LINES, 0, CONTEXT_BYTES).start;
        if !layer.buf.is_empty() {
            layer
                .buf
                .extend(std::iter::repeat_n(b'\n', CONTEXT_LINES + 1));
        }
        let mut pos = start;
        // Take every run whose window touches this one.
        while let Some((run, tag)) = runs.next_if(|(r, _)| r.span.start >= pos) {
            layer.buf.extend_from_slice(&parent[pos..run.span.start]);
            let at = layer.buf.len();
            layer.buf.extend_from_slice(&run.text);
            layer.pieces.push(Piece {
                at: at..layer.buf.len(),
                origin: tag.origin,
                chain: tag.chain,
                quads: tag.quads,
            });
            let last = run.span.end.saturating_sub(1).max(run.span.start);
            let end = line_window(parent, last, 0, CONTEXT_LINES, CONTEXT_BYTES)
                .end
                .max(run.span.end);
            pos = run.span.end;
            match runs.peek() {
                Some((next, _))
                    if line_window(parent, next.span.start, CONTEXT_LINES, 0, CONTEXT_BYTES)
                        .start
                        <= end => {}
                _ => {
                    layer.buf.extend_from_slice(&parent[pos..end]);
                    break;
                }
            }
        }
    }
    layer
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    /// A layer as text, with each piece's encoded run and chain.
    type Shown = (String, Vec<(String, Vec<Encoding>)>);

    fn all_layers(text: &str) -> Vec<Shown> {
        let mut out = Vec::new();
        layers(text.as_bytes(), |l| {
            let buf = String::from_utf8_lossy(&l.buf).into_owned();
            let pieces = l
                .pieces
                .iter()
                .map(|p| (text[p.origin.clone()].to_string(), p.chain.clone()))
                .collect();
            out.push((buf, pieces));
        });
        out
    }

    #[test]
    fn a_run_is_decoded_among_its_lines() {
        let inner = "value-of-some-length-0123";
        let text = format!("a: 1\ndata:\n  NAME: {}\nb: 2\n", b64(inner));
        let got = all_layers(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, format!("a: 1\ndata:\n  NAME: {inner}\nb: 2\n"));
        assert_eq!(got[0].1, vec![(b64(inner), vec![Encoding::Base64])]);
    }

    #[test]
    fn nested_runs_map_to_the_outermost() {
        let auth = b64("bot:token-value-0123456789");
        let json = format!("{{\"auths\":{{\"r\":{{\"auth\":\"{auth}\"}}}}}}");
        let outer = b64(&json);
        let text = format!("x: {outer}\n");
        let got = all_layers(&text);
        assert_eq!(got.len(), 2);
        assert!(got[1].0.contains("\"auth\":\"bot:token-value-0123456789\""));
        assert_eq!(
            got[1].1,
            vec![(outer.clone(), vec![Encoding::Base64, Encoding::Base64])]
        );
    }

    #[test]
    fn distant_runs_get_their_own_windows() {
        let one = b64("first value of the file 0123");
        let two = b64("second value of the file 456");
        let filler = "x = 1\n".repeat(40);
        let text = format!("k: {one}\n{filler}k: {two}\n");
        let got = all_layers(&text);
        assert_eq!(got[0].1.len(), 2);
        let gap = "\n".repeat(CONTEXT_LINES + 1);
        assert!(got[0].0.contains(&gap), "{}", got[0].0);
        assert!(got[0].0.len() < text.len());
    }

    #[test]
    fn depth_is_bounded() {
        let mut s = "deepest secret value 0123456789".to_string();
        for _ in 0..10 {
            s = b64(&s);
        }
        let got = all_layers(&format!("k: {s}"));
        assert_eq!(got.len(), MAX_DEPTH);
    }
}
