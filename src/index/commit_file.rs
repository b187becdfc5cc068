//! Files each commit writes beside its catalog (`catalog-N.json.zst`, `summary-N.json`,
//! `aliases-N.json`, `listing-N.json.zst`, `versions-N.json`, `citations-N.json.zst`, N the
//! commit's opstamp): written and synced before the commit names its catalog in its payload,
//! found through that name, and those of other commits removed after it. So a crash between
//! the two steps leaves the last commit's files in force.

use std::fs;
use std::io;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::index::REBUILD_HINT;

/// The compression of the compressed kinds: zstd's default, fast both ways.
const ZSTD_LEVEL: i32 = 3;

/// One kind of file, by its name's prefix.
pub struct CommitFile {
    pub prefix: &'static str,
    /// What it is, for messages.
    pub what: &'static str,
    /// Written with zstd (`.json.zst`): the files read whole or from start to end, not mapped
    /// and searched; JSON shrinks about tenfold.
    pub compressed: bool,
}

/// The catalog, whose name the commit's payload holds.
pub const CATALOG: CommitFile = CommitFile {
    prefix: "catalog-",
    what: "file list",
    compressed: true,
};

/// The collection in numbers (see [`crate::index::summary`]).
pub const SUMMARY: CommitFile = CommitFile {
    prefix: "summary-",
    what: "summary",
    compressed: false,
};

/// The aliases the documents define and the laws' short names (see
/// [`crate::search::aliases`]).
pub const ALIASES: CommitFile = CommitFile {
    prefix: "aliases-",
    what: "alias table",
    compressed: false,
};

/// The catalog as `list` shows it, a document per line (see
/// [`crate::index::catalog::Catalog::listing`]).
pub const LISTING: CommitFile = CommitFile {
    prefix: "listing-",
    what: "document list",
    compressed: true,
};

/// The chains of versions and copies, and each document's status, a line per document (see
/// [`crate::index::versions`]).
pub const VERSIONS: CommitFile = CommitFile {
    prefix: "versions-",
    what: "versions file",
    compressed: false,
};

/// The references of every document, resolved to the documents of the index.
pub const CITATIONS: CommitFile = CommitFile {
    prefix: "citations-",
    what: "citations file",
    compressed: true,
};

/// Every kind, for removing an index's files.
pub const ALL: [&CommitFile; 6] = [
    &CATALOG, &SUMMARY, &ALIASES, &LISTING, &VERSIONS, &CITATIONS,
];

/// The name of the catalog the index's last commit names in its payload, read from
/// `meta.json` as plain JSON, so that a command need not open the index to find it.
pub fn committed_catalog(dir: &Path) -> Option<String> {
    catalog_in_meta(&fs::read(dir.join("meta.json")).ok()?).ok()?
}

/// The catalog's name in the payload of a commit's `meta.json`: its other fields (the schema,
/// the segments) skipped unread, as a search reads it several times.
pub fn catalog_in_meta(meta: &[u8]) -> serde_json::Result<Option<String>> {
    #[derive(serde::Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let meta: Meta = serde_json::from_slice(meta)?;
    Ok(meta.payload.filter(|p| p.starts_with(CATALOG.prefix)))
}

/// A commit file's bytes: mapped, so that a command reading a few of its lines neither copies
/// nor checks the rest (megabytes on a large collection); or built in memory.
pub enum Bytes {
    Mapped(memmap2::Mmap),
    Built(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Built(v) => v,
        }
    }
}

/// A commit file's bytes as written: decompressed if they are zstd's (unreadable ones come out
/// empty, to be reported as damaged by their parser).
pub fn decompressed(bytes: Vec<u8>) -> Vec<u8> {
    const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
    match bytes.starts_with(&ZSTD_MAGIC) {
        true => zstd::decode_all(&bytes[..]).unwrap_or_default(),
        false => bytes,
    }
}

/// The bytes of a commit file.
pub fn map(path: &Path) -> io::Result<Bytes> {
    let file = fs::File::open(path)?;
    // SAFETY: a commit's files are written whole and renamed into place before the commit
    // names them, and never written again; a later commit unlinks them, which leaves this
    // mapping intact.
    unsafe { memmap2::Mmap::map(&file) }.map(Bytes::Mapped)
}

/// Each line of `bytes`, without its newline.
pub fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        Some(line)
    })
}

/// The line of `bytes` (from byte `from` on) that is a JSON array whose first element is the
/// string `key`, in a file whose lines are sorted by that string's UTF-8 bytes: a binary
/// search, each probe reading the key of the line it lands in, so that nothing is scanned
/// whole. None when no line has the key or a probed line is not such an array.
pub fn keyed_line<'a>(bytes: &'a [u8], from: usize, key: &str) -> Option<&'a [u8]> {
    let (mut low, mut high) = (from.min(bytes.len()), bytes.len());
    while low < high {
        let mid = low + (high - low) / 2;
        // The line holding `mid`: from the newline before it (or `low`).
        let start = memchr::memrchr(b'\n', &bytes[low..mid]).map_or(low, |i| low + i + 1);
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |e| start + e);
        let line = &bytes[start..end];
        match line_key(line)?.as_ref().cmp(key) {
            std::cmp::Ordering::Less => low = end + 1,
            std::cmp::Ordering::Greater => high = start,
            std::cmp::Ordering::Equal => return Some(line),
        }
    }
    None
}

/// The string a line `["key", …]` starts with, read without parsing the rest of the line
/// (a probe of [`keyed_line`] lands in lines of any length). None when the line is no such
/// array.
fn line_key(line: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    use serde::Deserialize;
    let rest = line.strip_prefix(b"[")?;
    let mut json = serde_json::Deserializer::from_slice(rest);
    std::borrow::Cow::<str>::deserialize(&mut json).ok()
}

impl CommitFile {
    /// This kind's file of the commit whose catalog is `catalog_name`.
    pub fn beside(&self, catalog_name: &str) -> Option<String> {
        let stamp = catalog_name.strip_prefix(CATALOG.prefix)?;
        let (opstamp, _) = stamp.split_once('.')?;
        Some(self.name(opstamp))
    }

    /// The name of this kind's file of the commit `opstamp`.
    fn name(&self, opstamp: impl std::fmt::Display) -> String {
        let extension = if self.compressed { "json.zst" } else { "json" };
        format!("{}{opstamp}.{extension}", self.prefix)
    }

    /// Writes `value` for the commit `opstamp` (synced to disk); returns the file's name.
    pub fn write(&self, dir: &Path, opstamp: u64, value: &impl Serialize) -> Result<String> {
        self.write_with(dir, opstamp, |out| Ok(serde_json::to_writer(out, value)?))
    }

    /// Writes what `fill` writes for the commit `opstamp` (synced to disk); returns the
    /// file's name.
    pub fn write_with(
        &self,
        dir: &Path,
        opstamp: u64,
        fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<String> {
        let name = self.name(opstamp);
        let tmp = dir.join(format!("{name}.tmp"));
        let write = || -> io::Result<()> {
            let mut out = io::BufWriter::new(fs::File::create(&tmp)?);
            if self.compressed {
                let mut encoder = zstd::Encoder::new(&mut out, ZSTD_LEVEL)?;
                fill(&mut encoder)?;
                encoder.finish()?;
            } else {
                fill(&mut out)?;
            }
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            fs::rename(&tmp, dir.join(&name))
        };
        write().with_context(|| format!("cannot write {}", dir.join(&name).display()))?;
        Ok(name)
    }

    /// This kind's file of the commit whose catalog is `catalog_name`; none when that commit
    /// wrote none (an index written before this kind was), an error when it is damaged.
    pub fn read<T: DeserializeOwned>(&self, dir: &Path, catalog_name: &str) -> Result<Option<T>> {
        let Some(name) = self.beside(catalog_name) else {
            return Ok(None);
        };
        let path = dir.join(name);
        let Ok(bytes) = fs::read(&path) else {
            return Ok(None);
        };
        serde_json::from_slice(&decompressed(bytes))
            .map(Some)
            .with_context(|| {
                format!(
                    "the index's {} {} is damaged — {REBUILD_HINT}",
                    self.what,
                    path.display()
                )
            })
    }

    /// Removes this kind's files of other commits than `catalog_name`'s (left over from
    /// earlier commits or crashed runs).
    pub fn remove_others(&self, dir: &Path, catalog_name: &str) {
        let keep = self.beside(catalog_name);
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(self.prefix) && Some(&name) != keep.as_ref() {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_kinds_are_written_compressed_and_read_back() {
        let dir = tempfile::TempDir::new().unwrap();
        let value = vec!["中华人民共和国".repeat(50); 20];
        let catalog = CATALOG.write(dir.path(), 7, &value).unwrap();
        assert_eq!(catalog, "catalog-7.json.zst");
        let written = fs::read(dir.path().join(&catalog)).unwrap();
        assert!(written.len() * 10 < serde_json::to_vec(&value).unwrap().len());
        assert_eq!(
            CATALOG.read::<Vec<String>>(dir.path(), &catalog).unwrap(),
            Some(value.clone())
        );
        // A plain kind beside it, found from the catalog's name; plain bytes pass as they are.
        let summary = SUMMARY.write(dir.path(), 7, &value).unwrap();
        assert_eq!(SUMMARY.beside(&catalog).as_deref(), Some(summary.as_str()));
        assert_eq!(
            CITATIONS.beside(&catalog).as_deref(),
            Some("citations-7.json.zst")
        );
        let plain = fs::read(dir.path().join(&summary)).unwrap();
        assert_eq!(decompressed(plain.clone()), plain);
        assert_eq!(decompressed(written), plain);
    }

    #[test]
    fn a_keyed_line_is_found_by_its_key_alone() {
        // Sorted by key, a header line before them, lines of very different lengths, a key
        // with an escape.
        let keys = [
            "a.md",
            "b\"c.md",
            "中华人民共和国公司法.md",
            "法.txt",
            "税.txt",
        ];
        let mut file = b"{\"header\":1}\n".to_vec();
        for (i, key) in keys.iter().enumerate() {
            let tail = "x".repeat(if i % 2 == 0 { 4000 } else { 3 });
            file.extend(serde_json::to_vec(&(key, i, tail)).unwrap());
            file.push(b'\n');
        }
        let first = memchr::memchr(b'\n', &file).unwrap() + 1;
        for (i, key) in keys.iter().enumerate() {
            let line = keyed_line(&file, first, key).expect(key);
            let (found, n, _): (String, usize, String) = serde_json::from_slice(line).unwrap();
            assert_eq!((found.as_str(), n), (*key, i));
        }
        assert_eq!(keyed_line(&file, first, "b.md"), None);
        assert_eq!(keyed_line(&file, first, "\u{10ffff}"), None);
        // A line that is no keyed array ends the search rather than misleading it.
        assert_eq!(keyed_line(b"{\"a\":1}\n", 0, "a"), None);
    }
}
