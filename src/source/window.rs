//! Cuts a long byte stream into overlapping windows, so a file of any size is scanned in
//! bounded memory and every match is reported exactly once.
//!
//! Consecutive windows overlap by two margins. A window *owns* the match starts from one
//! margin after its start (the first window: from its start) to one margin before its end
//! (the last window: to its end); the next window owns from where this one stops. With a
//! margin at least as long as the longest match plus the context a rule reads around it, the
//! owning window sees each match whole, with its surroundings, and no other window reports it.

use std::{
    io::{self, Read},
    ops::Range,
};

/// One window of the stream.
pub struct Window<'a> {
    pub bytes: &'a [u8],
    /// Offsets into `bytes` where the matches this window reports may start.
    pub owns: Range<usize>,
    /// Newlines in the stream before `bytes`.
    pub lines_before: usize,
    /// Characters between the last newline before `bytes` and its start: a column offset
    /// for positions on the window's first line.
    pub column_before: usize,
}

impl<'a> Window<'a> {
    /// All of `bytes` as one window owning every offset.
    pub fn whole(bytes: &'a [u8]) -> Window<'a> {
        Window {
            bytes,
            owns: 0..bytes.len(),
            lines_before: 0,
            column_before: 0,
        }
    }
}

pub struct Windower {
    buf: Vec<u8>,
    size: usize,
    margin: usize,
    owned_from: usize,
    lines_before: usize,
    column_before: usize,
}

impl Windower {
    /// Windows of `size + 2 * margin` bytes (the last one shorter).
    pub fn new(size: usize, margin: usize) -> Windower {
        let size = size.max(1);
        Windower {
            buf: Vec::with_capacity(size + 2 * margin),
            size,
            margin,
            owned_from: 0,
            lines_before: 0,
            column_before: 0,
        }
    }

    /// Appends `data`, calling `f` for each window that fills up.
    pub fn push(&mut self, mut data: &[u8], f: &mut impl FnMut(Window<'_>)) {
        let cap = self.size + 2 * self.margin;
        while !data.is_empty() {
            let take = (cap - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            self.emit_if_full(f);
        }
    }

    fn emit_if_full(&mut self, f: &mut impl FnMut(Window<'_>)) {
        let cap = self.size + 2 * self.margin;
        if self.buf.len() == cap {
            f(Window {
                bytes: &self.buf,
                owns: self.owned_from..cap - self.margin,
                lines_before: self.lines_before,
                column_before: self.column_before,
            });
            self.slide(cap - 2 * self.margin);
        }
    }

    /// Reads from `reader` straight into the window buffer (sparing a copy of every byte of
    /// a large file) until the window is full or the stream ends, shows the new bytes to
    /// `fresh` (a second consumer), and emits the window if it is full. Returns the number
    /// of bytes read: 0 at the end of the stream.
    pub fn fill(
        &mut self,
        reader: &mut impl Read,
        f: &mut impl FnMut(Window<'_>),
        fresh: &mut impl FnMut(&[u8]),
    ) -> io::Result<usize> {
        let cap = self.size + 2 * self.margin;
        let old = self.buf.len();
        // Until the window is full or the stream ends; `read_to_end` leaves the spare
        // capacity uninitialised (no memset per window), and `Take` keeps it from growing.
        let n = Read::by_ref(reader)
            .take((cap - old) as u64)
            .read_to_end(&mut self.buf)?;
        fresh(&self.buf[old..]);
        self.emit_if_full(f);
        Ok(n)
    }

    /// Calls `f` with the last window (possibly empty), which owns the rest of the stream.
    pub fn finish(&mut self, f: &mut impl FnMut(Window<'_>)) {
        f(Window {
            bytes: &self.buf,
            owns: self.owned_from.min(self.buf.len())..self.buf.len(),
            lines_before: self.lines_before,
            column_before: self.column_before,
        });
        self.buf.clear();
    }

    /// Drops the first `n` bytes, keeping the overlap for the next window.
    fn slide(&mut self, n: usize) {
        let gone = &self.buf[..n];
        match memchr::memrchr(b'\n', gone) {
            Some(i) => {
                self.lines_before += memchr::memchr_iter(b'\n', gone).count();
                self.column_before = chars(&gone[i + 1..]);
            }
            None => self.column_before += chars(gone),
        }
        self.buf.drain(..n);
        self.owned_from = self.margin;
    }
}

/// Characters in UTF-8 bytes (bytes that do not continue a sequence), as columns count them.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every offset of the stream is owned by exactly one window, and the window holding it
    /// has `margin` bytes of it on either side (or the stream's edge).
    #[test]
    fn windows_own_each_offset_once_with_margins() {
        let data: Vec<u8> = (0..1000u32).map(|i| b'a' + (i % 26) as u8).collect();
        for (size, margin, step) in [(10, 3, 7), (1, 5, 1000), (100, 0, 33), (64, 16, 1)] {
            let mut w = Windower::new(size, margin);
            let mut owner = vec![0u32; data.len()];
            let mut base = 0usize;
            let mut check = |win: Window<'_>| {
                for o in win.owns.clone() {
                    let abs = base + o;
                    owner[abs] += 1;
                    assert!(o >= margin || base == 0);
                    assert!(win.bytes.len() - o >= margin || abs + (win.bytes.len() - o) == 1000);
                }
                assert_eq!(win.bytes, &data[base..base + win.bytes.len()]);
                base += win.bytes.len().saturating_sub(2 * margin);
            };
            for chunk in data.chunks(step) {
                w.push(chunk, &mut check);
            }
            w.finish(&mut check);
            assert!(owner.iter().all(|&n| n == 1), "size {size} margin {margin}");
        }
    }

    #[test]
    fn lines_and_columns_carry_across_windows() {
        let data = b"ab\ncd\xC3\xA9fghij";
        let mut w = Windower::new(6, 1);
        let mut seen = Vec::new();
        let mut f = |win: Window<'_>| seen.push((win.lines_before, win.column_before));
        w.push(data, &mut f);
        w.finish(&mut f);
        // Windows start at 0 and 6 ("\xA9f..."): one newline and "cd\xC3" (3 chars) before.
        assert_eq!(seen, vec![(0, 0), (1, 3)]);
    }
}
