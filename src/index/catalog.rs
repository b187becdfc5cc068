//! The files an index holds: for each, what was read (size, modification time, content hash)
//! and what came out (passages, title, metadata, key phrases). It decides what a re-run of
//! `index` must redo, and answers `stats` and `list` without touching the passages.
//!
//! Each commit writes a new `catalog-<opstamp>.json` before committing and names it in the
//! commit's payload, so the catalog in force is always the one of the last commit, even
//! after a crash between the two steps.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::index::REBUILD_HINT;
use crate::ingest::{stable_hash, stable_hash_more};

/// What the index knows of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The folder or file given to `index` that this file was found under.
    pub root: String,
    pub format: String,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u128,
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
    /// Its version, own validity, repeals and references (see [`crate::ingest::legal`]).
    #[serde(default)]
    pub legal: crate::ingest::legal::Legal,
    /// When the file was indexed, seconds since the Unix epoch.
    pub indexed_at: u64,
}

/// Every file of the index, by path as walked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Catalog {
    pub files: BTreeMap<String, FileRecord>,
    /// When the index last changed, seconds since the Unix epoch.
    pub updated: u64,
}

const PREFIX: &str = "catalog-";

impl Catalog {
    /// The catalog of the index's last commit (empty for a new index).
    pub fn load(index: &Index, dir: &Path) -> Result<Catalog> {
        let metas = index
            .load_metas()
            .context("cannot read the index's metadata")?;
        let Some(name) = metas.payload.filter(|p| p.starts_with(PREFIX)) else {
            return Ok(Catalog::default());
        };
        let path = dir.join(&name);
        let text = fs::read_to_string(&path).with_context(|| {
            format!(
                "the index's file list {} is missing — {REBUILD_HINT}",
                path.display()
            )
        })?;
        serde_json::from_str(&text).with_context(|| {
            format!(
                "the index's file list {} is damaged — {REBUILD_HINT}",
                path.display()
            )
        })
    }

    /// The folders (as given to `index`) of the files of the index at `dir`, whatever version
    /// wrote it: read as plain JSON, so that rebuilding an index of an earlier format can
    /// index again every folder it held, not only those named this time.
    pub fn roots_of_any_version(dir: &Path) -> Vec<String> {
        let read = |name: &str| -> Option<serde_json::Value> {
            serde_json::from_str(&fs::read_to_string(dir.join(name)).ok()?).ok()
        };
        let Some(name) = read("meta.json").and_then(|m| m["payload"].as_str().map(String::from))
        else {
            return Vec::new();
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

    /// Writes the catalog for the commit `opstamp` (synced to disk) and returns the payload
    /// that names it.
    pub fn write(&self, dir: &Path, opstamp: u64) -> Result<String> {
        let name = format!("{PREFIX}{opstamp}.json");
        let tmp = dir.join(format!("{name}.tmp"));
        let write = || -> std::io::Result<()> {
            let mut file = fs::File::create(&tmp)?;
            file.write_all(&serde_json::to_vec(self)?)?;
            file.sync_all()?;
            fs::rename(&tmp, dir.join(&name))
        };
        write().with_context(|| format!("cannot write {}", dir.join(&name).display()))?;
        Ok(name)
    }

    /// Removes catalogs other than `keep` (left over from earlier commits or crashed runs).
    pub fn remove_others(dir: &Path, keep: &str) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(PREFIX) && name != keep {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Paths in the catalog found under `root` (a folder or a file as given to `index`).
    pub fn paths_under<'a>(&'a self, root: &'a Path) -> impl Iterator<Item = &'a String> + 'a {
        self.files
            .keys()
            .filter(move |p| Path::new(p.as_str()).starts_with(root))
    }
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

/// Size and modification time of a file.
pub fn stamp(path: &Path) -> Result<(u64, u128)> {
    let meta = fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok((meta.len(), mtime))
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
                    legal: Default::default(),
                    indexed_at: 0,
                },
            );
        }
        let under: Vec<_> = catalog.paths_under(Path::new("docs/")).collect();
        assert_eq!(under, ["docs/a.txt", "docs/sub/b.md"]);
    }
}
