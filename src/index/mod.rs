//! The Tantivy index: its schema, and opening or creating it; `build` is the indexing run,
//! `catalog` the files an index holds, `merge_policy` which segments merge.

pub mod build;
pub mod catalog;
pub mod commit_file;
pub mod document;
pub mod merge_policy;
pub mod schema;
pub mod summary;
pub mod versions;

pub use schema::{Fields, names};

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::index::SegmentComponent;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, TantivyError};

use crate::analysis;

/// Bumped whenever the schema, the analysis or the form of an indexed value (a normalised
/// document number) changes; an index of another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 13;
pub const VERSION_FILE: &str = "zhengce.json";
/// What to do about an index that cannot be read.
pub const REBUILD_HINT: &str = "run `zhengce index --rebuild <folder>`";
/// Separator of heading path elements, stored and shown.
pub const HEADING_SEPARATOR: &str = " › ";
/// Bytes of stored passages compressed together: each hit shown decompresses one block. On
/// the bench, against 64 KiB: index +2%, searches ~0.5 ms faster; 16 KiB: +4.5%, ~0.3 ms more.
const DOCSTORE_BLOCKSIZE: usize = 32 << 10;
/// zstd level of the doc store. On the bench, against level 3: store 43.4 -> 40.4 MB, indexing
/// time the same (blocks are compressed beside the indexing threads); level 15: 37.7 MB but
/// indexing 37% slower. Decompressing is as fast at any level.
const DOCSTORE_ZSTD_LEVEL: i32 = 9;

/// An open index with its fields.
pub struct Store {
    pub index: Index,
    pub fields: Fields,
    dir: PathBuf,
    /// Opened on first use and kept: it holds the segments' mapped files.
    reader: std::sync::OnceLock<IndexReader>,
    /// Versions and statuses, read on first use: most searches need none; hits read only
    /// their documents' lines.
    versions: std::sync::OnceLock<versions::Versions>,
    version_lines: std::sync::OnceLock<versions::Lines>,
}

impl Store {
    /// Opens an existing index for searching.
    pub fn open(dir: &Path) -> Result<Store> {
        if !dir.join("meta.json").is_file() {
            // What is left of an index (its version file, a catalog) is a damaged index, for
            // `search` as for `index`: not a missing one, which `index` would refuse to create
            // among those files.
            if holds_index_files(dir) {
                return Err(meta_missing(dir));
            }
            bail!(
                "no index at {} — run `zhengce index <folder>` first, or name the index with \
                 --index DIR or ZHENGCE_INDEX",
                dir.display()
            );
        }
        check_version(dir)?;
        let directory =
            MmapDirectory::open(dir).map_err(|e| damaged(dir, TantivyError::from(e)))?;
        let index = Index::open(ReadableDirectory(directory)).map_err(|e| damaged(dir, e))?;
        // A segment file gone is otherwise found only by the query that reads it, and then
        // as Tantivy's "data corrupted".
        let metas = index
            .searchable_segment_metas()
            .map_err(|e| damaged(dir, e))?;
        for meta in &metas {
            let mut components = vec![
                SegmentComponent::Postings,
                SegmentComponent::Positions,
                SegmentComponent::Terms,
                SegmentComponent::Store,
                SegmentComponent::FastFields,
                SegmentComponent::FieldNorms,
            ];
            if meta.has_deletes() {
                components.push(SegmentComponent::Delete);
            }
            for component in components {
                let file = dir.join(meta.relative_path(component));
                if !file.is_file() {
                    bail!(
                        "the index at {} is damaged ({} is missing) — {REBUILD_HINT}",
                        dir.display(),
                        file.display()
                    );
                }
            }
        }
        Store::wrap(index, dir)
    }

    /// An opened or created index, its tokenizers registered.
    fn wrap(index: Index, dir: &Path) -> Result<Store> {
        analysis::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        Ok(Store {
            index,
            fields,
            dir: dir.to_path_buf(),
            reader: std::sync::OnceLock::new(),
            versions: std::sync::OnceLock::new(),
            version_lines: std::sync::OnceLock::new(),
        })
    }

    /// Opens the index at `dir`, creating the folder and the index when missing.
    pub fn open_or_create(dir: &Path) -> Result<Store> {
        if dir.join("meta.json").is_file() {
            return Store::open(dir);
        }
        refuse_foreign_folder(dir)?;
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the index folder {}", dir.display()))?;
        // Consecutive passages repeat their document's title, path and metadata, which
        // compress away within a doc store block. zstd stores Chinese text in about a third
        // less space than lz4 and decompresses a block in a fraction of a millisecond.
        let settings = IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCKSIZE,
            docstore_compression: Compressor::Zstd(ZstdCompressor {
                compression_level: Some(DOCSTORE_ZSTD_LEVEL),
            }),
            ..IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema::schema())
            .settings(settings)
            .create_in_dir(dir)
            .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        fs::write(
            dir.join(VERSION_FILE),
            format!("{{\"schema_version\": {SCHEMA_VERSION}}}\n"),
        )
        .with_context(|| format!("cannot write {}", dir.join(VERSION_FILE).display()))?;
        Store::wrap(index, dir)
    }

    /// Fails, as [`Store::reader`] would, when a segment's files are missing or corrupt; the
    /// reader opened to find out is dropped, so it holds no file open.
    pub fn check_readable(&self) -> Result<()> {
        self.open_reader().map(drop)
    }

    /// The collection in numbers, as the last commit counted it (none for an index written
    /// before summaries were).
    pub fn summary(&self) -> Result<Option<summary::Summary>> {
        let Some(name) = catalog::Catalog::committed_name(&self.index)? else {
            return Ok(Some(summary::Summary::default()));
        };
        commit_file::SUMMARY.read(&self.dir, &name)
    }

    /// Each document of the last commit as `list` shows it, in path order, from its own
    /// compressed file of a line per document, decompressed and parsed a line at a time, as
    /// far as the caller asks: memory stays flat however many documents there are. An index
    /// written before that file was reads its whole catalog.
    pub fn each_listed(
        &self,
        mut each: impl FnMut(catalog::ListedLine) -> Result<()>,
    ) -> Result<()> {
        let Some(name) = catalog::Catalog::committed_name(&self.index)? else {
            return Ok(());
        };
        let path = self
            .dir
            .join(commit_file::LISTING.beside(&name).unwrap_or_default());
        let damaged = || {
            format!(
                "the index's document list {} is damaged — {REBUILD_HINT}",
                path.display()
            )
        };
        let mut lines: Box<dyn std::io::BufRead> = match fs::File::open(&path) {
            Ok(file) => Box::new(std::io::BufReader::new(
                zstd::Decoder::new(file).with_context(damaged)?,
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Box::new(std::io::Cursor::new(
                catalog::Catalog::load(&self.index, &self.dir)?.listing_bytes()?,
            )),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let mut line = Vec::new();
        loop {
            line.clear();
            if lines.read_until(b'\n', &mut line).with_context(damaged)? == 0 {
                return Ok(());
            }
            let text = line.strip_suffix(b"\n").unwrap_or(&line);
            each(catalog::ListedLine::parse(text).with_context(damaged)?)?;
        }
    }

    /// The documents of the last commit as `list` shows them, gathered.
    pub fn listing(&self) -> Result<catalog::Catalog> {
        let mut listing = catalog::Catalog::default();
        self.each_listed(|entry| {
            listing
                .files
                .insert(entry.path.to_string(), entry.record()?);
            Ok(())
        })?;
        Ok(listing)
    }

    /// The versions, chains and statuses of the last commit, read once.
    pub fn versions(&self) -> Result<&versions::Versions> {
        if let Some(v) = self.versions.get() {
            return Ok(v);
        }
        let loaded = versions::load(&self.index, &self.dir)?;
        Ok(self.versions.get_or_init(|| loaded))
    }

    /// The version and status of one document, reading only its line of the versions file.
    pub fn doc_status(&self, path: &str) -> Result<Option<versions::DocStatus>> {
        if let Some(v) = self.versions.get() {
            return Ok(v.docs.get(path).cloned());
        }
        if self.version_lines.get().is_none() {
            let lines = versions::load_lines(&self.index, &self.dir)?;
            let _ = self.version_lines.set(lines);
        }
        Ok(self.version_lines.get().and_then(|l| l.get(path)))
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn reader(&self) -> Result<IndexReader> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader.clone());
        }
        let reader = self.open_reader()?;
        Ok(self.reader.get_or_init(|| reader).clone())
    }

    fn open_reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| damaged(&self.dir, e))
    }
}

/// The index folder, readable on read-only media: readers take Tantivy's meta lock, which
/// means creating a file; where that is impossible, they read without it, which is safe
/// because commits replace `meta.json` atomically. Every other lock still fails as it should.
#[derive(Clone, Debug)]
struct ReadableDirectory(MmapDirectory);

impl Directory for ReadableDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath
                    && matches!(
                        e.kind(),
                        std::io::ErrorKind::ReadOnlyFilesystem
                            | std::io::ErrorKind::PermissionDenied
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
}

/// A new index goes only into a folder holding nothing else (hidden files and a README
/// aside): pointed by mistake at a folder of documents, `--index` must not scatter index
/// files among them, nor take leftovers of an index for a fresh one.
fn refuse_foreign_folder(dir: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && !name.starts_with("README"))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    if holds_index_files(dir) {
        return Err(meta_missing(dir));
    }
    bail!(
        "{} holds other files and no index: give --index an empty or new folder",
        dir.display()
    )
}

/// Whether `dir` holds files only an index writes (its version file, a catalog).
fn holds_index_files(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name == VERSION_FILE || name.starts_with("catalog-")
        })
    })
}

/// The error for an index whose `meta.json` is gone, the same for every command.
fn meta_missing(dir: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "the index at {} is damaged (meta.json is missing) — {REBUILD_HINT}",
        dir.display()
    )
}

/// The error for an index whose files are missing or corrupt.
fn damaged(dir: &Path, e: tantivy::TantivyError) -> anyhow::Error {
    anyhow::anyhow!(
        "the index at {} is damaged ({e}) — {REBUILD_HINT}",
        dir.display()
    )
}

/// The schema version of the index at `dir`, when it says one.
fn schema_version(dir: &Path) -> Option<u64> {
    let text = fs::read_to_string(dir.join(VERSION_FILE)).ok()?;
    serde_json::from_str::<serde_json::Value>(&text).ok()?["schema_version"].as_u64()
}

/// The version of an index at `dir` written by an earlier zhengce (which this one cannot
/// read, only rebuild), if that is what is there.
pub fn earlier_version(dir: &Path) -> Option<u64> {
    schema_version(dir).filter(|&v| v < u64::from(SCHEMA_VERSION))
}

fn check_version(dir: &Path) -> Result<()> {
    // Read once: this runs at the start of every search.
    let current = u64::from(SCHEMA_VERSION);
    match schema_version(dir) {
        Some(v) if v == current => Ok(()),
        Some(v) if v < current => bail!(
            "the index at {} is in the format of an earlier zhengce — run `zhengce index <folder>` to rebuild it",
            dir.display()
        ),
        None if !dir.join(VERSION_FILE).is_file() => bail!(
            "the index at {} is damaged ({VERSION_FILE} is missing) — {REBUILD_HINT}",
            dir.display()
        ),
        _ => bail!(
            "the index at {} was written by another version of zhengce — {REBUILD_HINT}",
            dir.display()
        ),
    }
}
