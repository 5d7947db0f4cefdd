//! Lines of a byte buffer: where the line holding an offset starts and ends, a window of
//! lines around an offset, and line/column numbers. Every module that counts lines uses these.

use std::ops::Range;

/// The byte range of the lines from `before` lines above `pos` to `after` lines below it,
/// clipped to `cap` bytes either side of `pos`.
pub fn line_window(
    hay: &[u8],
    pos: usize,
    before: usize,
    after: usize,
    cap: usize,
) -> Range<usize> {
    let floor = pos.saturating_sub(cap);
    let mut start = line_start(hay, pos);
    for _ in 0..before {
        if start <= floor || start == 0 {
            break;
        }
        start = line_start(hay, start - 1);
    }
    let ceil = (pos + cap).min(hay.len());
    let mut end = line_end(hay, pos);
    for _ in 0..after {
        if end >= ceil {
            break;
        }
        end = line_end(hay, end + 1);
    }
    start.max(floor)..end.min(ceil)
}

/// Offset of the first byte of the line holding `pos`.
pub fn line_start(hay: &[u8], pos: usize) -> usize {
    memchr::memrchr(b'\n', &hay[..pos.min(hay.len())]).map_or(0, |i| i + 1)
}

/// Offset of the `\n` ending the line holding `pos` (or the buffer's end).
pub fn line_end(hay: &[u8], pos: usize) -> usize {
    let pos = pos.min(hay.len());
    memchr::memchr(b'\n', &hay[pos..]).map_or(hay.len(), |i| pos + i)
}

/// Converts byte offsets into line/column numbers. Offsets must be asked in increasing order,
/// so a file's newlines are counted once however many findings it has.
pub struct LineCounter<'a> {
    hay: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(hay: &'a [u8]) -> Self {
        LineCounter {
            hay,
            pos: 0,
            line: 1,
        }
    }

    /// 1-based (line, column in characters) of byte `offset`.
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.hay.len());
        if offset < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.hay[self.pos..offset]).count();
        self.pos = offset;
        let start = line_start(self.hay, offset);
        let column = self.hay[start..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count()
            + 1;
        (self.line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_window_spans_lines_and_caps() {
        let hay = b"a\nbb\nccc\ndddd\ne";
        let pos = 5; // first byte of "ccc"
        assert_eq!(&hay[line_window(hay, pos, 1, 1, 100)], b"bb\nccc\ndddd");
        assert_eq!(&hay[line_window(hay, pos, 0, 0, 100)], b"ccc");
        assert_eq!(&hay[line_window(hay, pos, 9, 9, 100)], &hay[..]);
        assert_eq!(&hay[line_window(hay, pos, 9, 9, 2)], b"b\ncc");
    }

    #[test]
    fn line_counter_counts_chars() {
        let hay = "ab\ncé x\n".as_bytes();
        let mut lc = LineCounter::new(hay);
        assert_eq!(lc.locate(0), (1, 1));
        assert_eq!(lc.locate(7), (2, 4));
    }
}
