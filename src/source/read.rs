//! Reading one file: small files into a reused buffer, large ones memory-mapped so a 2 GB
//! file is never copied into the heap.

use std::{fs::File, io::Read, path::Path};

use memmap2::Mmap;

/// Files at least this large are memory-mapped instead of read.
const MMAP_THRESHOLD: u64 = 16 * 1024 * 1024;

/// A file's bytes, borrowed from the caller's buffer or from a mapping.
pub enum FileBytes<'a> {
    Buffer(&'a [u8]),
    Mapped(Mmap),
}

impl FileBytes<'_> {
    pub fn as_slice(&self) -> &[u8] {
        match self {
            FileBytes::Buffer(b) => b,
            FileBytes::Mapped(m) => m,
        }
    }
}

/// Reads `path`, using `buf` for small files.
pub fn read_file<'b>(path: &Path, buf: &'b mut Vec<u8>) -> std::io::Result<FileBytes<'b>> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len >= MMAP_THRESHOLD {
        // SAFETY: the mapping is read-only and dropped before the scan of this file returns.
        // A file truncated by another process while mapped can fault; ripgrep accepts the same
        // trade for large files, and the alternative is reading gigabytes into memory.
        if let Ok(map) = unsafe { Mmap::map(&file) } {
            return Ok(FileBytes::Mapped(map));
        }
    }
    buf.clear();
    buf.reserve(len as usize + 1);
    // Through `Take`, std does not re-query the size (a statx and an lseek per file); the
    // extra byte of limit lets a file that grew since `metadata` be noticed, not truncated.
    Read::by_ref(&mut file).take(len + 1).read_to_end(buf)?;
    if buf.len() as u64 > len {
        file.read_to_end(buf)?;
    }
    Ok(FileBytes::Buffer(buf))
}
