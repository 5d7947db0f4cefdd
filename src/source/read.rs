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
/// `max` is not read. Also returns the size the file had when opened, so a caller can tell
/// that it changed while read.
pub fn open<'b>(
    path: &Path,
    buf: &'b mut Vec<u8>,
    limit: u64,
    max: Option<u64>,
) -> io::Result<(Contents<'b>, u64)> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if max.is_some_and(|max| len > max) {
        return Ok((Contents::TooLarge, len));
    }
    if len > limit {
        return Ok((Contents::Large(Read::chain(&[][..], file)), len));
    }
    buf.clear();
    buf.reserve(len as usize + 1);
    // Through `Take`, std does not re-query the size (a statx and an lseek per file); the
    // extra byte of limit lets a file that grew since `metadata` be noticed.
    Read::by_ref(&mut file).take(len + 1).read_to_end(buf)?;
    if buf.len() as u64 > len {
        // It grew since `metadata` (or is not a regular file): stream the rest after what was
        // read, as a large file. Reopening would lose what a pipe already gave.
        return Ok((Contents::Large(Read::chain(&buf[..], file)), len));
    }
    Ok((Contents::Whole(buf), len))
}
