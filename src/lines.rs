//! Lines of a byte buffer: where the line holding an offset starts and ends, a window of
//! lines around an offset, and line/column numbers. Every module that counts lines uses these.

use std::ops::Range;

/// The byte range of the lines from `before` lines above `pos` to `after` lines below it,
/// clipped to `cap` bytes either side of `pos`. Only those `2 * cap` bytes are searched, so
/// asking at every offset of a long line costs `cap` per offset, not the line's length.
pub fn line_window(
    hay: &[u8],
    pos: usize,
    before: usize,
    after: usize,
    cap: usize,
) -> Range<usize> {
    let pos = pos.min(hay.len());
    let floor = pos.saturating_sub(cap);
    let mut start = line_start_after(hay, pos, floor);
    for _ in 0..before {
        if start <= floor {
            break;
        }
        start = line_start_after(hay, start - 1, floor);
    }
    let ceil = pos.saturating_add(cap).min(hay.len());
    let mut end = line_end_before(hay, pos, ceil);
    for _ in 0..after {
        if end >= ceil {
            break;
        }
        end = line_end_before(hay, end + 1, ceil);
    }
    start..end
}

/// Offset of the first byte of the line holding `pos`.
pub fn line_start(hay: &[u8], pos: usize) -> usize {
    line_start_after(hay, pos, 0)
}

/// Offset of the `\n` ending the line holding `pos` (or the buffer's end).
pub fn line_end(hay: &[u8], pos: usize) -> usize {
    line_end_before(hay, pos, hay.len())
}

/// [`line_start`], searching no further back than `floor`: the line's start, or `floor` when
/// the line starts before it.
pub fn line_start_after(hay: &[u8], pos: usize, floor: usize) -> usize {
    let pos = pos.min(hay.len());
    let floor = floor.min(pos);
    memchr::memrchr(b'\n', &hay[floor..pos]).map_or(floor, |i| floor + i + 1)
}

/// [`line_end`], searching no further than `ceil`: the line's end, or `ceil` when the line
/// ends after it.
pub fn line_end_before(hay: &[u8], pos: usize, ceil: usize) -> usize {
    let ceil = ceil.min(hay.len());
    let pos = pos.min(ceil);
    memchr::memchr(b'\n', &hay[pos..ceil]).map_or(ceil, |i| pos + i)
}

/// The lines holding a sequence of increasing offsets. Each byte is searched at most once
/// over the whole sequence, so asking for the line of every candidate on a one-line file
/// stays linear.
pub struct LineCursor<'a> {
    hay: &'a [u8],
    /// The last line found, start to its `\n` (or the buffer's end).
    line: Option<Range<usize>>,
}

impl<'a> LineCursor<'a> {
    pub fn new(hay: &'a [u8]) -> Self {
        LineCursor { hay, line: None }
    }

    /// The line holding `pos`, from its first byte to its `\n` (or the buffer's end).
    pub fn line(&mut self, pos: usize) -> Range<usize> {
        let pos = pos.min(self.hay.len());
        let floor = match &self.line {
            Some(l) if l.start <= pos && pos <= l.end => return l.clone(),
            // Past the last line: the start is after its `\n`.
            Some(l) if pos > l.end => l.end + 1,
            _ => 0,
        };
        let line = line_start_after(self.hay, pos, floor)..line_end(self.hay, pos);
        self.line = Some(line.clone());
        line
    }
}

/// Converts byte offsets into line/column numbers. Offsets must be asked in increasing order,
/// so a file's bytes are counted once however many findings it has (on one line too).
pub struct LineCounter<'a> {
    hay: &'a [u8],
    pos: usize,
    line: usize,
    /// Characters between the start of the line and `pos`.
    column: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(hay: &'a [u8]) -> Self {
        LineCounter {
            hay,
            pos: 0,
            line: 1,
            column: 0,
        }
    }

    /// 1-based (line, column in characters) of byte `offset`.
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.hay.len());
        if offset < self.pos {
            (self.pos, self.line, self.column) = (0, 1, 0);
        }
        let seg = &self.hay[self.pos..offset];
        let chars = |b: &[u8]| b.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', seg).count();
                self.column = chars(&seg[last + 1..]);
            }
            None => self.column += chars(seg),
        }
        self.pos = offset;
        (self.line, self.column + 1)
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
    fn line_window_searches_only_within_the_cap() {
        // The cap is exact whatever lies beyond it.
        let hay = b"aaaaaaaaaa\nbbbbbbbbbb";
        assert_eq!(line_window(hay, 5, 1, 1, 3), 2..8);
        assert_eq!(line_window(hay, 10, 1, 1, 3), 7..13);
        assert_eq!(line_window(hay, 12, 0, 0, 100), 11..21);
        assert_eq!(line_window(hay, 21, 0, 0, 4), 17..21);
        assert_eq!(line_window(b"", 0, 2, 2, 4), 0..0);
    }

    #[test]
    fn bounded_line_searches() {
        let hay = b"ab\ncdefgh\nij";
        assert_eq!(line_start_after(hay, 6, 0), 3);
        assert_eq!(line_start_after(hay, 6, 4), 4);
        assert_eq!(line_end_before(hay, 4, 100), 9);
        assert_eq!(line_end_before(hay, 4, 7), 7);
        assert_eq!(line_start(hay, 12), 10);
        assert_eq!(line_end(hay, 11), 12);
    }

    #[test]
    fn line_cursor_follows_increasing_offsets() {
        let hay = b"ab\ncd\n\nef";
        let mut c = LineCursor::new(hay);
        assert_eq!(c.line(0), 0..2);
        assert_eq!(c.line(2), 0..2);
        assert_eq!(c.line(4), 3..5);
        assert_eq!(c.line(6), 6..6);
        assert_eq!(c.line(8), 7..9);
        // Going back starts over.
        assert_eq!(c.line(1), 0..2);
    }

    #[test]
    fn line_counter_counts_chars() {
        let hay = "ab\ncé x\n".as_bytes();
        let mut lc = LineCounter::new(hay);
        assert_eq!(lc.locate(0), (1, 1));
        assert_eq!(lc.locate(7), (2, 4));
        // Further on the same line, then back to the start.
        assert_eq!(lc.locate(8), (2, 5));
        assert_eq!(lc.locate(9), (3, 1));
        assert_eq!(lc.locate(1), (1, 2));
        let one_line = "é".repeat(10);
        let mut lc = LineCounter::new(one_line.as_bytes());
        assert_eq!(lc.locate(4), (1, 3));
        assert_eq!(lc.locate(10), (1, 6));
    }
}
