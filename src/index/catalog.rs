//! The files an index holds: for each, what was read (size, modification time, content hash)
//! and what came out (passages, title, metadata, key phrases). It decides what a re-run of
//! `index` must redo, and answers `stats` and `list` without touching the passages.
//!
//! Each commit writes a new `catalog-<opstamp>.json` before committing and names it in the
//! commit's payload, so the catalog in force is always the one of the last commit, even
//! after a crash between the two steps.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::index::REBUILD_HINT;
use crate::index::commit_file::{self, CATALOG};
use crate::ingest::{stable_hash, stable_hash_more};

/// What the index knows of one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The folder or file given to `index` that this file was found under.
    pub root: String,
    pub format: String,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u128,
    /// Inode change time, nanoseconds since the Unix epoch (0: not known, an older catalog).
    /// Unlike the modification time, nothing can set it back: an edit that keeps size and
    /// modification time (`cp -p`, `touch -r`) still moves it.
    #[serde(default)]
    pub ctime_ns: u128,
    /// FNV-1a hash of the file's bytes, hex.
    pub hash: String,
    pub passages: usize,
    /// Bytes of extracted text.
    pub text_bytes: usize,
    pub title: String,
    #[serde(default)]
    pub doc_number: Option<String>,
    /// 发文机关; a joint document's bodies joined with 、.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Each issuing body of the document.
    #[serde(default)]
    pub issuers: Vec<String>,
    /// Adopted or promulgated, ISO 8601.
    #[serde(default)]
    pub date: Option<String>,
    /// In force from, ISO 8601.
    #[serde(default)]
    pub effective: Option<String>,
    #[serde(default)]
    pub doc_type: Option<String>,
    #[serde(default)]
    pub keyphrases: Vec<String>,
    /// Abbreviations the document defines (`（以下简称发改委）`): (short, long) pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abbreviations: Vec<(String, String)>,
    /// Its version, own validity, repeals and references (see [`crate::ingest::legal`]).
    #[serde(default)]
    pub legal: crate::ingest::legal::Legal,
    /// When the file was indexed, seconds since the Unix epoch.
    pub indexed_at: u64,
}

/// What `list` prints of a file and filters on: the head of its line of the listing, read
/// without the rest of the entry (see [`Catalog::write_listing`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct Brief<'a> {
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    pub passages: usize,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<Cow<'a, str>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Cow<'a, str>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Cow<'a, str>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<Cow<'a, str>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<Cow<'a, str>>,
}

impl<'a> Brief<'a> {
    fn of(r: &'a FileRecord) -> Brief<'a> {
        let borrow = |v: &'a Option<String>| v.as_deref().map(Cow::Borrowed);
        Brief {
            title: Cow::Borrowed(&r.title),
            passages: r.passages,
            doc_number: borrow(&r.doc_number),
            issuer: borrow(&r.issuer),
            date: borrow(&r.date),
            effective: borrow(&r.effective),
            doc_type: borrow(&r.doc_type),
        }
    }
}

/// One file's line of the listing: its path and brief, and the whole entry on demand.
pub struct ListedLine<'a> {
    pub path: Cow<'a, str>,
    pub brief: Brief<'a>,
    rest: &'a [u8],
}

impl<'a> ListedLine<'a> {
    pub fn parse(line: &'a [u8]) -> serde_json::Result<ListedLine<'a>> {
        let tab = memchr::memchr(b'\t', line).unwrap_or(line.len());
        let (path, brief) = serde_json::from_slice(&line[..tab])?;
        let rest = line.get(tab + 1..).unwrap_or_default();
        Ok(ListedLine { path, brief, rest })
    }

    /// The whole entry.
    pub fn record(&self) -> serde_json::Result<FileRecord> {
        serde_json::from_slice(self.rest)
    }
}

/// Every file of the index, by path as walked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Catalog {
    pub files: BTreeMap<String, FileRecord>,
    /// When the index last changed, seconds since the Unix epoch.
    pub updated: u64,
    /// When the run that wrote this catalog started, nanoseconds since the Unix epoch (0:
    /// not known). A file changed since then may have changed after it was read.
    #[serde(default)]
    pub started_ns: u128,
    /// Files and folders the last run skipped, by path as walked: one unchanged since is
    /// not tried again, and is reported as still skipped.
    #[serde(default)]
    pub skipped: BTreeMap<String, SkipRecord>,
}

/// A file or folder skipped, as it was then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipRecord {
    pub size: u64,
    pub mtime_ns: u128,
    pub ctime_ns: u128,
    /// The message it was skipped with.
    pub message: String,
}

impl Catalog {
    /// The catalog of the index's last commit (empty for a new index).
    pub fn load(index: &Index, dir: &Path) -> Result<Catalog> {
        let Some(name) = Catalog::committed_name(index)? else {
            return Ok(Catalog::default());
        };
        CATALOG.read(dir, &name)?.with_context(|| {
            format!(
                "the index's file list {} is missing — {REBUILD_HINT}",
                dir.join(&name).display()
            )
        })
    }

    /// The catalog as `list` shows it: each file's entry without what only indexing and the
    /// version chains read (text hashes, sketches, references), in path order.
    pub fn listing(&self) -> impl Iterator<Item = (&String, FileRecord)> {
        self.files.iter().map(|(path, r)| {
            let mut listed = r.clone();
            listed.legal = r.legal.listed();
            (path, listed)
        })
    }

    /// The listing, a line per file: its path and [`Brief`] as one JSON array, a tab (which
    /// JSON escapes inside strings), and the entry. `list` parses the heads alone; `--json`
    /// the entries too.
    pub fn write_listing(&self, out: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        for (path, record) in self.listing() {
            serde_json::to_writer(&mut *out, &(path, Brief::of(&record)))?;
            out.write_all(b"\t")?;
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// The listing, in memory.
    pub fn listing_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write_listing(&mut out)?;
        Ok(out)
    }

    /// The file name of the last commit's catalog, named in the commit's payload (none for a
    /// new index).
    pub fn committed_name(index: &Index) -> Result<Option<String>> {
        use tantivy::Directory;
        let meta = index
            .directory()
            .atomic_read(std::path::Path::new("meta.json"))
            .context("cannot read the index's metadata")?;
        commit_file::catalog_in_meta(&meta).context("cannot read the index's metadata")
    }

    /// The folders (as given to `index`) of the files of the index at `dir`, whatever version
    /// wrote it: read as plain JSON, so that rebuilding an index of an earlier format can
    /// index again every folder it held, not only those named this time.
    pub fn roots_of_any_version(dir: &Path) -> Vec<String> {
        let Some(name) = commit_file::committed_catalog(dir) else {
            return Vec::new();
        };
        let read = |name: &str| -> Option<serde_json::Value> {
            let bytes = commit_file::decompressed(fs::read(dir.join(name)).ok()?);
            serde_json::from_slice(&bytes).ok()
        };
        let Some(files) = read(&name).and_then(|c| c["files"].as_object().cloned()) else {
            return Vec::new();
        };
        let mut roots: Vec<String> = files
            .values()
            .filter_map(|f| f["root"].as_str())
            .filter(|r| !r.is_empty())
            .map(String::from)
            .collect();
        roots.sort();
        roots.dedup();
        roots
    }

    /// Paths in the catalog found under `root` (a folder or a file as given to `index`).
    pub fn paths_under<'a>(&'a self, root: &Path) -> impl Iterator<Item = &'a String> + 'a {
        // Keys, not paths, compared: a name that is not UTF-8 is a key of its own.
        let root = crate::ingest::name::key(root);
        self.files
            .keys()
            .filter(move |p| Path::new(p.as_str()).starts_with(&root))
    }
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_datetime(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// A file's bytes hashed (see [`stable_hash`]): cheap, and stable across builds.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", stable_hash(bytes))
}

/// [`content_hash`] of a file, read a block at a time: a large file is never held whole just
/// to learn whether it changed.
pub fn file_hash(path: &Path) -> Result<String> {
    use std::io::Read;
    let read = || -> std::io::Result<u64> {
        let mut file = fs::File::open(path)?;
        let mut buf = vec![0; 1 << 20];
        let mut hash = stable_hash(b"");
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok(hash);
            }
            hash = stable_hash_more(hash, &buf[..n]);
        }
    };
    let hash = read().with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(format!("{hash:016x}"))
}

/// What tells whether a file changed without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch.
    pub mtime_ns: u128,
    /// Nanoseconds since the Unix epoch; 0 where the system has none.
    pub ctime_ns: u128,
}

/// Timestamps this close before a run's start count as after it: some file systems keep
/// them to the second (FAT to two).
const RACY_SLACK_NS: u128 = 2_000_000_000;

impl Stamp {
    /// Whether a file of this stamp is the one `record` describes, as the run that started at
    /// `started_ns` saw it. Like git's "racily clean" entries, a file changed at or after that
    /// start (or just before it) may have changed after it was read, with nothing in its stamp
    /// to show it: it is hashed again.
    pub fn unchanged(&self, record: &FileRecord, started_ns: u128) -> bool {
        self.size == record.size
            && self.mtime_ns == record.mtime_ns
            && (record.ctime_ns == 0 || self.ctime_ns == record.ctime_ns)
            && self.mtime_ns.max(self.ctime_ns) + RACY_SLACK_NS < started_ns
    }
}

impl SkipRecord {
    pub fn new(stamp: Stamp, message: String) -> SkipRecord {
        SkipRecord {
            size: stamp.size,
            mtime_ns: stamp.mtime_ns,
            ctime_ns: stamp.ctime_ns,
            message,
        }
    }

    /// Whether the path is as it was when it was skipped (not changed since, nor during or
    /// just before that run): trying it again would fail again.
    pub fn still(&self, stamp: Stamp, started_ns: u128) -> bool {
        let then = Stamp {
            size: self.size,
            mtime_ns: self.mtime_ns,
            ctime_ns: self.ctime_ns,
        };
        stamp == then && stamp.mtime_ns.max(stamp.ctime_ns) + RACY_SLACK_NS < started_ns
    }
}

/// The stamp of whatever is at `path`, a link itself when it leads nowhere; all zero when
/// nothing is there.
pub fn stamp_any(path: &Path) -> Stamp {
    stamp(path)
        .or_else(|_| stamp_of(&fs::symlink_metadata(path)?))
        .unwrap_or(Stamp {
            size: 0,
            mtime_ns: 0,
            ctime_ns: 0,
        })
}

/// The stamp of a file.
pub fn stamp(path: &Path) -> Result<Stamp> {
    let meta = fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    stamp_of(&meta)
}

fn stamp_of(meta: &fs::Metadata) -> Result<Stamp> {
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let ctime_ns = {
        use std::os::unix::fs::MetadataExt;
        u128::try_from(meta.ctime()).unwrap_or(0) * 1_000_000_000
            + u128::try_from(meta.ctime_nsec()).unwrap_or(0)
    };
    #[cfg(not(unix))]
    let ctime_ns = 0;
    Ok(Stamp {
        size: meta.len(),
        mtime_ns,
        ctime_ns,
    })
}

/// Now, in nanoseconds since the Unix epoch.
pub fn now_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_datetime_of_known_instants() {
        assert_eq!(iso_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_datetime(1_695_800_000), "2023-09-27T07:33:20Z");
        assert_eq!(iso_datetime(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn hash_is_stable_and_sensitive() {
        assert_eq!(content_hash(b""), "cbf29ce484222325");
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(dir.path().join("a"), &bytes).unwrap();
        assert_eq!(
            file_hash(&dir.path().join("a")).unwrap(),
            content_hash(&bytes)
        );
        assert_ne!(
            content_hash("第一条".as_bytes()),
            content_hash("第二条".as_bytes())
        );
    }

    #[test]
    fn paths_under_match_whole_components() {
        let mut catalog = Catalog::default();
        for p in ["docs/a.txt", "docs/sub/b.md", "docs2/c.txt"] {
            catalog.files.insert(
                p.to_string(),
                FileRecord {
                    root: "docs".into(),
                    format: "txt".into(),
                    size: 0,
                    mtime_ns: 0,
                    ctime_ns: 0,
                    hash: String::new(),
                    passages: 0,
                    text_bytes: 0,
                    title: String::new(),
                    doc_number: None,
                    issuer: None,
                    issuers: vec![],
                    date: None,
                    effective: None,
                    doc_type: None,
                    keyphrases: vec![],
                    abbreviations: vec![],
                    legal: Default::default(),
                    indexed_at: 0,
                },
            );
        }
        let under: Vec<_> = catalog.paths_under(Path::new("docs/")).collect();
        assert_eq!(under, ["docs/a.txt", "docs/sub/b.md"]);
    }

    const SECOND: u128 = 1_000_000_000;

    fn stamp(size: u64, mtime_ns: u128, ctime_ns: u128) -> Stamp {
        Stamp {
            size,
            mtime_ns,
            ctime_ns,
        }
    }

    fn record_of(stamp: Stamp) -> FileRecord {
        FileRecord {
            size: stamp.size,
            mtime_ns: stamp.mtime_ns,
            ctime_ns: stamp.ctime_ns,
            ..FileRecord::default()
        }
    }

    #[test]
    fn a_file_older_than_the_last_run_with_its_stamp_is_unchanged() {
        let then = 1_700_000_000 * SECOND;
        let seen = stamp(120, then, then);
        assert!(seen.unchanged(&record_of(seen), then + 60 * SECOND));
        // An older catalog knew no change time.
        let old_catalog = FileRecord {
            ctime_ns: 0,
            ..record_of(seen)
        };
        assert!(seen.unchanged(&old_catalog, then + 60 * SECOND));
    }

    #[test]
    fn a_file_changed_during_or_just_before_the_last_run_is_hashed_again() {
        let then = 1_700_000_000 * SECOND;
        let seen = stamp(120, then, then);
        let record = record_of(seen);
        // Written after the run started: it may have changed again after it was read, in
        // the same tick of the clock, with the same stamp.
        assert!(!seen.unchanged(&record, then - SECOND / 2));
        assert!(!seen.unchanged(&record, then));
        // Within the slack of coarse clocks (FAT keeps two seconds).
        assert!(!seen.unchanged(&record, then + SECOND));
        assert!(seen.unchanged(&record, then + 3 * SECOND));
    }

    #[test]
    fn an_edit_keeping_size_and_modification_time_moves_the_change_time() {
        let then = 1_700_000_000 * SECOND;
        let record = record_of(stamp(120, then, then));
        let copied_back = stamp(120, then, then + 3600 * SECOND);
        assert!(!copied_back.unchanged(&record, then + 7200 * SECOND));
        assert!(!stamp(121, then, then).unchanged(&record, then + 60 * SECOND));
    }

    #[test]
    fn a_skipped_file_is_still_skipped_only_while_its_stamp_holds() {
        let then = 1_700_000_000 * SECOND;
        let seen = stamp(4000, then, then);
        let skip = SkipRecord::new(seen, "docs/a.txt: not text".into());
        assert!(skip.still(seen, then + 60 * SECOND));
        assert!(!skip.still(seen, then + SECOND), "racily skipped");
        assert!(!skip.still(stamp(4000, then, then + SECOND), then + 60 * SECOND));
        assert!(!skip.still(stamp(5000, then, then), then + 60 * SECOND));
    }
}
