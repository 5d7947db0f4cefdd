//! Reading one file: whole into a reused buffer when small, in bounded chunks when large.
//!
//! Files are read, never memory-mapped: a mapped file truncated by another process while it
//! is scanned raises SIGBUS and kills the run, losing the whole report. A read of a file that
//! changes under the scan is an ordinary I/O result instead, reported for that file alone.

use std::{
    fs::File,
    io::{self, Read},
    path::Path,
};

/// Files up to this size are read whole; larger ones are streamed in windows of this size.
pub const WHOLE_LIMIT: u64 = 16 * 1024 * 1024;

/// An opened file: its bytes when small, a reader when large.
pub enum Contents<'b> {
    Whole(&'b [u8]),
    /// The file, or (when it grew while being read) the bytes read so far and the rest.
    Large(io::Chain<&'b [u8], File>),
    /// Larger than the caller's `max` (`--max-file-size`): not read at all.
    TooLarge,
}

/// Opens `path`, reading it into `buf` when it is at most `limit` bytes long; a file over
/// `max` is not scanned. Also returns the size the file had (for a large file, its size when
/// it turned out large), so a caller can tell that it changed while read.
pub fn open<'b>(
    path: &Path,
    buf: &'b mut Vec<u8>,
    limit: u64,
    max: Option<u64>,
) -> io::Result<(Contents<'b>, u64)> {
    let mut file = File::open(path)?;
    let cap = max.map_or(limit, |max| max.min(limit));
    buf.clear();
    // Nearly every file is small: it is read to its end without asking its size first (a
    // statx per file, which ripgrep does not make either). Through `Take`, std does not
    // query the size itself; the extra byte tells a file over the cap.
    Read::by_ref(&mut file).take(cap + 1).read_to_end(buf)?;
    let read = buf.len() as u64;
    if read <= cap {
        return Ok((Contents::Whole(buf), read));
    }
    // Larger than the cap: its size now decides. A pipe or a file that grows reports less
    // than was read; it is streamed after what was read, since reopening would lose what a
    // pipe already gave.
    let len = file.metadata()?.len();
    if max.is_some_and(|max| len.max(read) > max) {
        return Ok((Contents::TooLarge, len.max(read)));
    }
    Ok((Contents::Large(Read::chain(&buf[..], file)), len))
}
