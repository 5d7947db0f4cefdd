//! Expanding archives and compressed files (zip and its kin, tar, gzip, bzip2, xz, nested)
//! into the blobs inside them, each named by its origin (`release.zip!config/.env`), within
//! limits on nesting, size and compression ratio so a hostile archive costs bounded memory
//! and time.

use std::io::{self, Cursor, Read};

use crate::diagnostic::{Diagnostic, Severity};

/// Separates an archive's name from a member's in reported paths.
pub const SEPARATOR: char = '!';

/// How far a hostile archive may make keysift go.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Archives inside archives: one counts the outermost archive itself.
    pub max_depth: usize,
    /// Largest member (after decompression) that is scanned.
    pub max_member: u64,
    /// Bytes one top-level archive may expand to, all members and levels together.
    pub max_total: u64,
    /// Largest ratio of expanded to compressed bytes, checked once a member passes
    /// [`RATIO_FLOOR`]: zip bombs reach thousands to one, real text rarely 20.
    pub max_ratio: u64,
}

/// Members smaller than this are never refused for their ratio (a run of blank lines
/// compresses a thousandfold and is harmless).
pub const RATIO_FLOOR: u64 = 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 4,
            max_member: 64 * 1024 * 1024,
            max_total: 1024 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// A container format recognised by its magic bytes, never by its name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Tar,
    Gzip,
    Bzip2,
    Xz,
}

/// Recognises an archive or compressed file by its first bytes (a `.docx`, `.jar` or `.whl` is
/// a zip, whatever its name).
pub fn kind_of(head: &[u8]) -> Option<Kind> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        Some(Kind::Gzip)
    } else if head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
            || head[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
    {
        Some(Kind::Bzip2)
    } else if head.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0x00]) {
        Some(Kind::Xz)
    } else if head.get(257..262) == Some(b"ustar") {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// What expansion hands to its visitor.
pub enum Item<'a> {
    /// A member's bytes, named by its origin.
    Blob { name: &'a str, bytes: &'a [u8] },
    /// Something inside could not be expanded; the rest goes on.
    Problem(Diagnostic),
    /// A member expands to more than [`Limits::max_member`] bytes; it was not scanned.
    TooLarge { name: &'a str, limit: u64 },
}

/// Expands `bytes` (an archive of kind `kind`, named `name`) and calls `visit` for each member
/// that is not itself expanded, and for each problem. Returns the number of archives expanded,
/// nested ones included.
pub fn expand(
    name: &str,
    bytes: &[u8],
    kind: Kind,
    limits: &Limits,
    visit: &mut dyn FnMut(Item<'_>),
) -> u64 {
    let mut x = Expander {
        limits: *limits,
        total: 0,
        archives: 0,
        visit,
    };
    x.archive(name, bytes, kind, 1);
    x.archives
}

struct Expander<'v> {
    limits: Limits,
    /// Bytes expanded so far under this top-level archive.
    total: u64,
    archives: u64,
    visit: &'v mut dyn FnMut(Item<'_>),
}

/// Why a member was not read in full.
enum Refused {
    TooLarge,
    Ratio,
    Total,
    Io(io::Error),
}

impl Expander<'_> {
    fn problem(&mut self, name: &str, message: String) {
        (self.visit)(Item::Problem(Diagnostic::new(
            Severity::Error,
            name,
            message,
        )));
    }

    fn archive(&mut self, name: &str, bytes: &[u8], kind: Kind, depth: usize) {
        self.archives += 1;
        match kind {
            Kind::Zip => self.zip(name, bytes, depth),
            Kind::Tar => self.tar(name, Cursor::new(bytes), depth),
            Kind::Gzip | Kind::Bzip2 | Kind::Xz => {
                self.compressed(name, Cursor::new(bytes), bytes.len() as u64, kind, depth)
            }
        }
    }

    /// A member read in full: scanned, or expanded when it is an archive itself.
    fn member(&mut self, name: &str, data: &[u8], depth: usize) {
        match kind_of(data) {
            Some(kind) if depth < self.limits.max_depth => {
                self.archive(name, data, kind, depth + 1)
            }
            Some(_) => self.problem(
                name,
                format!(
                    "archive nested more than {} deep (a recursive archive?), not expanded",
                    self.limits.max_depth
                ),
            ),
            None => (self.visit)(Item::Blob { name, bytes: data }),
        }
    }

    fn zip(&mut self, name: &str, bytes: &[u8], depth: usize) {
        let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(z) => z,
            Err(e) => return self.problem(name, format!("unreadable zip archive: {e}")),
        };
        for i in 0..zip.len() {
            let (member, encrypted, dir, compressed) = match zip.by_index_raw(i) {
                Ok(f) => (
                    format!("{name}{SEPARATOR}{}", String::from_utf8_lossy(f.name_raw())),
                    f.encrypted(),
                    f.is_dir(),
                    f.compressed_size(),
                ),
                Err(e) => {
                    self.problem(name, format!("unreadable zip entry {i}: {e}"));
                    continue;
                }
            };
            if dir {
                continue;
            }
            if encrypted {
                self.problem(
                    &member,
                    "encrypted (password-protected), not scanned".into(),
                );
                continue;
            }
            let read = match zip.by_index(i) {
                Ok(f) => self.read_member(f, compressed),
                Err(e) => Err(Refused::Io(io::Error::other(e))),
            };
            match read {
                Ok(data) => self.member(&member, &data, depth),
                Err(r) => {
                    let stop = matches!(r, Refused::Total);
                    self.refused(&member, r);
                    if stop {
                        return;
                    }
                }
            }
        }
    }

    fn tar<R: Read>(&mut self, name: &str, reader: R, depth: usize) {
        let mut tar = tar::Archive::new(reader);
        let entries = match tar.entries() {
            Ok(e) => e,
            Err(e) => return self.problem(name, format!("unreadable tar archive: {e}")),
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    return self.problem(name, format!("truncated or corrupt tar archive: {e}"));
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let member = format!(
                "{name}{SEPARATOR}{}",
                String::from_utf8_lossy(&entry.path_bytes())
            );
            // A tar member is stored, not compressed: its size is its own compressed size.
            let stored = entry.size();
            match self.read_member(entry, stored) {
                Ok(data) if (data.len() as u64) < stored => {
                    let short = io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("{} bytes where the header says {stored}", data.len()),
                    );
                    return self.refused(&member, Refused::Io(short));
                }
                Ok(data) => self.member(&member, &data, depth),
                Err(r) => {
                    // A short read leaves the stream mid-member: nothing after it can be trusted.
                    let stop = matches!(r, Refused::Total | Refused::Io(_));
                    self.refused(&member, r);
                    if stop {
                        return;
                    }
                }
            }
        }
    }

    /// A gzip, bzip2 or xz stream: a tar inside is walked as it streams; anything else is one
    /// member named without the compression suffix.
    fn compressed<R: Read>(&mut self, name: &str, raw: R, raw_len: u64, kind: Kind, depth: usize) {
        let decoder: Box<dyn Read + '_> = match kind {
            Kind::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
            Kind::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(raw)),
            // The memory limit refuses a header that asks for a huge dictionary.
            _ => Box::new(lzma_rust2::XzReader::new_mem_limit(raw, true, 256 * 1024)),
        };
        let limit = self.limits.max_total.saturating_sub(self.total);
        let mut stream = Ratio {
            inner: decoder,
            out: 0,
            compressed: raw_len,
            max_ratio: self.limits.max_ratio,
            limit,
        };
        let mut head = Vec::with_capacity(512);
        if let Err(e) = Read::by_ref(&mut stream).take(512).read_to_end(&mut head) {
            return self.problem(name, format!("cannot decompress: {e}"));
        }
        let is_tar = kind_of(&head) == Some(Kind::Tar);
        let stream = Cursor::new(head).chain(stream);
        let inner = inner_name(name);
        if is_tar {
            // The tar layer is not named: `x.tar.gz!config/.env`.
            self.tar(name, stream, depth);
            return;
        }
        let member = format!("{name}{SEPARATOR}{inner}");
        match self.read_member(stream, raw_len) {
            Ok(data) => self.member(&member, &data, depth),
            Err(r) => self.refused(&member, r),
        }
    }

    /// Reads a member within the member, total and ratio limits.
    fn read_member<R: Read>(&mut self, reader: R, compressed: u64) -> Result<Vec<u8>, Refused> {
        let remaining = self.limits.max_total.saturating_sub(self.total);
        let cap = self.limits.max_member.min(remaining);
        let mut data = Vec::new();
        let mut r = reader.take(cap + 1);
        let mut chunk = [0u8; 64 * 1024];
        loop {
            let n = match r.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(refusal(e)),
            };
            // Doubling, but never past the cap: a refused 64 MiB member must not have cost
            // a 128 MiB buffer.
            if data.capacity() - data.len() < n {
                let room = (cap as usize + 1).saturating_sub(data.len());
                data.reserve_exact(data.len().max(64 * 1024).min(room).max(n));
            }
            data.extend_from_slice(&chunk[..n]);
            let len = data.len() as u64;
            if len > cap {
                return Err(if cap < self.limits.max_member {
                    Refused::Total
                } else {
                    Refused::TooLarge
                });
            }
            if len > RATIO_FLOOR && len > compressed.saturating_mul(self.limits.max_ratio) {
                return Err(Refused::Ratio);
            }
        }
        self.total += data.len() as u64;
        Ok(data)
    }

    fn refused(&mut self, member: &str, r: Refused) {
        let l = self.limits;
        let message = match r {
            Refused::TooLarge => {
                return (self.visit)(Item::TooLarge {
                    name: member,
                    limit: l.max_member,
                });
            }
            Refused::Ratio => format!(
                "expands more than {}:1 (a zip bomb?), not scanned",
                l.max_ratio
            ),
            Refused::Total => format!(
                "archive expands to more than {} MiB in all, the rest not scanned",
                l.max_total >> 20
            ),
            Refused::Io(e) => format!("truncated or corrupt, not scanned: {e}"),
        };
        self.problem(member, message);
    }
}

/// The error [`Ratio`] raises, told apart from real I/O errors by its payload.
#[derive(Debug)]
struct RatioExceeded(bool);

impl std::fmt::Display for RatioExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("expansion limit")
    }
}

impl std::error::Error for RatioExceeded {}

fn refusal(e: io::Error) -> Refused {
    match e.get_ref().and_then(|i| i.downcast_ref::<RatioExceeded>()) {
        Some(RatioExceeded(true)) => Refused::Ratio,
        Some(RatioExceeded(false)) => Refused::Total,
        None => Refused::Io(e),
    }
}

/// Guards a decompressor whose output is streamed (a tar inside gzip): stops it when it
/// expands beyond the ratio or the total limit, before a bomb can run for minutes.
struct Ratio<R> {
    inner: R,
    out: u64,
    compressed: u64,
    max_ratio: u64,
    limit: u64,
}

impl<R: Read> Read for Ratio<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > RATIO_FLOOR && self.out > self.compressed.saturating_mul(self.max_ratio) {
            return Err(io::Error::other(RatioExceeded(true)));
        }
        if self.out > self.limit {
            return Err(io::Error::other(RatioExceeded(false)));
        }
        Ok(n)
    }
}

/// `notes.txt.gz` → `notes.txt`; `data.tgz` → `data.tar`; a name without a known suffix keeps it.
fn inner_name(name: &str) -> String {
    let base = name.rsplit(['/', SEPARATOR]).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    for (suffix, replace) in [
        (".tgz", ".tar"),
        (".tbz2", ".tar"),
        (".txz", ".tar"),
        (".gz", ""),
        (".bz2", ""),
        (".xz", ""),
    ] {
        if lower.ends_with(suffix) && base.len() > suffix.len() {
            return format!("{}{replace}", &base[..base.len() - suffix.len()]);
        }
    }
    base.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_the_compression_suffix() {
        assert_eq!(inner_name("dir/notes.txt.gz"), "notes.txt");
        assert_eq!(inner_name("a.zip!b/data.TGZ"), "data.tar");
        assert_eq!(inner_name("dump"), "dump");
    }

    #[test]
    fn magic_bytes_decide_the_kind() {
        assert_eq!(kind_of(b"PK\x03\x04rest"), Some(Kind::Zip));
        assert_eq!(kind_of(b"BZh is how a sentence may start"), None);
        assert_eq!(kind_of(b"plain text"), None);
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(kind_of(&tar), Some(Kind::Tar));
    }
}
