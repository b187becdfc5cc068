//! Folders in, an up-to-date index out: walks the folders, works out from the catalog what
//! changed, and re-indexes only that (extract → split → segment and key phrases on worker
//! threads, one Tantivy writer), removing what disappeared. Commits are atomic: a crash or kill leaves the
//! last commit searchable; Ctrl-C commits what is done and stops.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use anyhow::{Context, Result, bail};
use tantivy::directory::error::LockError;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::analysis::{self, Segmented};
use crate::index::catalog::{self, Catalog, FileRecord, SkipRecord, Stamp};
use crate::index::commit_file::{self, ALIASES, CATALOG, LISTING, SUMMARY};
use crate::index::document::{self, FileFields};
use crate::index::merge_policy::BoundedMerges;
use crate::index::summary;
use crate::index::versions;
use crate::index::{self, Fields, Store, VERSION_FILE};
use crate::ingest::extract::{self, Format, Limits};
use crate::ingest::keyphrase;
use crate::ingest::legal;
use crate::ingest::meta;
use crate::ingest::name;
use crate::ingest::passage;
use crate::ingest::walk::{self, SourceFile};
use crate::render::progress::Progress;
use crate::search::aliases::{self, IndexTable};

/// Names the process holding the writer lock, for the "being updated" message.
const PID_FILE: &str = "writer.pid";

/// Default memory budget of the index writer, in MB (`--memory`).
pub const DEFAULT_MEMORY_MB: usize = 400;
/// Default MB of text between two commits (`--commit-every`).
pub const DEFAULT_COMMIT_EVERY_MB: usize = 128;

/// Settings of one indexing run.
#[derive(Debug, Clone)]
pub struct Options {
    pub index_dir: PathBuf,
    pub roots: Vec<PathBuf>,
    /// Total memory budget of the index writer, in bytes.
    pub memory_budget: usize,
    /// Start from an empty index.
    pub rebuild: bool,
    /// Globs of what not to index (gitignore syntax, relative to each root folder).
    pub excludes: Vec<String>,
    /// Set (by Ctrl-C) to stop early: what is done is committed.
    pub interrupt: Arc<AtomicBool>,
    /// Bytes of text indexed between two commits, so that a killed long run keeps most of
    /// its work.
    pub commit_every: usize,
}

impl Options {
    pub fn new(index_dir: PathBuf, roots: Vec<PathBuf>) -> Options {
        Options {
            index_dir,
            roots,
            memory_budget: DEFAULT_MEMORY_MB << 20,
            rebuild: false,
            excludes: Vec::new(),
            interrupt: Arc::new(AtomicBool::new(false)),
            commit_every: DEFAULT_COMMIT_EVERY_MB << 20,
        }
    }
}

/// What an indexing run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files (re)indexed in this run.
    pub files: usize,
    pub passages: usize,
    /// Files indexed, by format.
    pub by_format: Vec<(Format, usize)>,
    /// Files not indexed, each with the reason: new since the last run, or changed since it
    /// was last skipped.
    pub skipped: Vec<String>,
    /// Files skipped by the last run already and unchanged since, each with the reason: not
    /// tried again, reported once in the summary, and no cause for a failing exit status.
    pub still_skipped: Vec<String>,
    /// Files indexed with undecodable bytes replaced by U+FFFD, and how many.
    pub replaced: Vec<(String, usize)>,
    /// Bytes of extracted text indexed.
    pub text_bytes: usize,
    /// Files found unchanged since the last run.
    pub unchanged: usize,
    /// Files removed from the index because they are gone from their folder.
    pub removed: usize,
    /// Roots given that no longer exist, whose documents were removed.
    pub gone_roots: Vec<String>,
    /// Folders the replaced index held that this run was not given, indexed again with it.
    pub upgraded_roots: Vec<String>,
    /// The schema version of the index this run replaced, written by an earlier zhengce.
    pub upgraded_from: Option<u64>,
    /// Whether the run stopped early on an interrupt.
    pub interrupted: bool,
    /// Files left to do when interrupted.
    pub remaining: usize,
}

/// Brings the index up to date with the files under the roots.
pub fn run(opts: &Options, progress: &Progress) -> Result<Summary> {
    let mut summary = Summary::default();
    // Before the walk: a file changed from here on may change after it is read.
    let started_ns = catalog::now_ns();
    let dir = &opts.index_dir;
    let (mut roots, gone) = resolve_roots(&opts.roots)?;
    // An index an earlier zhengce wrote can only be rebuilt, and nothing can search it: the
    // rebuild takes in every folder it held that still exists, not only those named now.
    summary.upgraded_from = index::earlier_version(dir);
    if summary.upgraded_from.is_some() {
        summary.upgraded_roots = add_held_roots(dir, &mut roots);
    }
    let mut walk_skips = Vec::new();
    let files = walk::walk(&roots, &opts.excludes, &mut walk_skips)?;
    let mut skips: Vec<SkipEvent> = walk_skips
        .into_iter()
        .map(|s| (path_key(&s.path), catalog::stamp_any(&s.path), s.message))
        .collect();
    let (store, clear) = open_store(dir, opts.rebuild || summary.upgraded_from.is_some())?;
    let mut catalog = if clear {
        Catalog::default()
    } else {
        Catalog::load(&store.index, dir)?
    };
    let changes = changes(&catalog, &roots, &gone, &files, &mut summary, &mut skips)?;
    if changes.todo.is_empty() && changes.vanished.is_empty() && !clear {
        // Nothing to read: only a change in what is skipped needs a commit.
        let (known, new, still) = settle_skips(&catalog.skipped, &skips);
        if known == catalog.skipped {
            summary.skipped = new;
            summary.still_skipped = still;
            return Ok(summary);
        }
    }
    catalog.started_ns = started_ns;
    let (writer, last_commit) = open_writer(&store, dir, opts.memory_budget)?;
    write_pid(dir);
    if clear {
        writer.delete_all_documents()?;
    }
    for path in &changes.vanished {
        delete_file(&writer, &store.fields, path);
        catalog.files.remove(path);
        summary.removed += 1;
    }
    let mut run = Run {
        writer,
        last_commit,
        catalog,
        summary,
        skips,
        dir,
        fields: store.fields,
        roots: &roots,
        since_commit: 0,
        commit_every: opts.commit_every,
        limits: Limits::for_memory(opts.memory_budget),
    };
    let done = run.index_files(&changes.todo, &opts.interrupt, progress)?;
    run.finish(
        changes.todo.len() - done,
        opts.interrupt.load(Ordering::Relaxed),
    )
}

/// The roots as canonical paths, and apart those gone from disk (a folder deleted or renamed
/// since it was indexed), which only have their documents removed.
fn resolve_roots(given: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut roots = Vec::new();
    let mut gone = Vec::new();
    for root in given {
        match walk::canonical_root(root) {
            Ok(canonical) => roots.push(canonical),
            Err(_) if fs::symlink_metadata(root).is_err() => gone.push(walk::absolute(root)),
            Err(e) => return Err(e),
        }
    }
    Ok((roots, gone))
}

/// Adds the folders an index of an earlier version held to `roots`; returns them as shown.
fn add_held_roots(dir: &Path, roots: &mut Vec<PathBuf>) -> Vec<String> {
    let mut added = Vec::new();
    for held in Catalog::roots_of_any_version(dir) {
        if let Ok(root) = walk::canonical_root(&name::path(&held))
            && !roots.contains(&root)
        {
            added.push(walk::shown(&root.to_string_lossy()).to_string());
            roots.push(root);
        }
    }
    added
}

/// The index to update, and whether the run starts it empty. A rebuild clears the documents
/// in the same commit that adds the new ones, so the old index stays searchable until then;
/// only an unreadable index is removed up front.
fn open_store(dir: &Path, rebuild: bool) -> Result<(Store, bool)> {
    if rebuild {
        return match Store::open(dir) {
            Ok(store) => Ok((store, true)),
            Err(_) => {
                remove_index_files(dir)?;
                Ok((Store::open_or_create(dir)?, false))
            }
        };
    }
    let store = Store::open_or_create(dir)?;
    // Updating an index whose segments cannot be read would leave it unsearchable.
    store.check_readable()?;
    Ok((store, false))
}

/// What a run has to do.
struct Changes<'a> {
    /// New or modified files to read, with their stamps, slowest first.
    todo: Vec<(&'a SourceFile, Stamp)>,
    /// Catalog paths gone from their folders, to remove.
    vanished: Vec<String>,
}

/// Compares the walked files with the catalog.
fn changes<'a>(
    catalog: &Catalog,
    roots: &[PathBuf],
    gone: &[PathBuf],
    files: &'a [SourceFile],
    summary: &mut Summary,
    skips: &mut Vec<SkipEvent>,
) -> Result<Changes<'a>> {
    for root in gone {
        let root_shown = walk::shown(&root.to_string_lossy()).to_string();
        if catalog.paths_under(root).next().is_none() {
            bail!("{root_shown}: no such file or folder");
        }
        summary.gone_roots.push(root_shown);
    }
    let walked: HashSet<String> = files.iter().map(|f| path_key(&f.path)).collect();
    let vanished: Vec<String> = roots
        .iter()
        .chain(gone)
        .flat_map(|root| catalog.paths_under(root))
        .filter(|p| !walked.contains(*p))
        .cloned()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut todo = Vec::new();
    for file in files {
        let key = path_key(&file.path);
        let Ok(stamp) = catalog::stamp(&file.path) else {
            let message = format!("{}: cannot read", name::escaped(&key));
            skips.push((key, catalog::stamp_any(&file.path), message));
            continue;
        };
        // A file skipped before and unchanged since would fail the same way again.
        if let Some(skip) = catalog.skipped.get(&key)
            && skip.still(stamp, catalog.started_ns)
        {
            skips.push((key, stamp, skip.message.clone()));
            continue;
        }
        match catalog.files.get(&key) {
            Some(r) if stamp.unchanged(r, catalog.started_ns) => summary.unchanged += 1,
            _ => todo.push((file, stamp)),
        }
    }
    // The slowest files first (PDFs, then Word files, then by size), so that no large file is
    // left for one worker at the end while the other has nothing to do.
    todo.sort_by_key(|&(file, stamp)| {
        let slow = match file.format {
            Format::Pdf => 0,
            Format::Docx => 1,
            _ => 2,
        };
        (slow, std::cmp::Reverse(stamp.size))
    });
    Ok(Changes { todo, vanished })
}

/// The writing side of a run: the writer, the catalog it commits with, what was done.
struct Run<'a> {
    writer: IndexWriter,
    /// Set before the last commit (see [`BoundedMerges::last_commit`]).
    last_commit: Arc<AtomicBool>,
    catalog: Catalog,
    summary: Summary,
    /// Everything skipped so far, settled into new and still skipped at the end.
    skips: Vec<SkipEvent>,
    dir: &'a Path,
    fields: Fields,
    roots: &'a [PathBuf],
    /// Bytes of text added since the last commit.
    since_commit: usize,
    commit_every: usize,
    /// What one file may cost to extract, from the memory budget.
    limits: Limits,
}

impl Run<'_> {
    /// Reads the files on worker threads and adds what they give, in the order they finish,
    /// committing every `commit_every` bytes of text; returns how many files were done.
    fn index_files(
        &mut self,
        todo: &[(&SourceFile, Stamp)],
        interrupt: &AtomicBool,
        progress: &Progress,
    ) -> Result<usize> {
        progress.start(todo.len(), todo.iter().map(|t| t.1.size).sum());
        let threads = worker_threads();
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::sync_channel::<(usize, Result<Outcome>)>(threads * 4);
        let known: HashMap<String, String> = self
            .catalog
            .files
            .iter()
            .map(|(p, r)| (p.clone(), r.hash.clone()))
            .collect();
        let fields = self.fields;
        let limits = self.limits;
        let mut done = 0;
        let result = thread::scope(|scope| -> Result<()> {
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, known) = (&next, &known);
                scope.spawn(move || {
                    while !interrupt.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(file, _)) = todo.get(i) else {
                            break;
                        };
                        let previous = known.get(&path_key(&file.path));
                        let outcome = read(file, previous, &fields, &limits);
                        if tx.send((i, outcome)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for (i, outcome) in rx {
                let (file, stamp) = todo[i];
                done += 1;
                progress.file_done(walk::shown(&path_key(&file.path)), stamp.size);
                self.add(file, stamp, outcome)?;
                if self.since_commit >= self.commit_every {
                    commit(&mut self.writer, &mut self.catalog, self.dir)?;
                    self.since_commit = 0;
                }
            }
            Ok(())
        });
        progress.finish();
        result?;
        Ok(done)
    }

    /// Adds what reading one file gave: its documents replace the old ones; a file that can
    /// no longer be read leaves the index.
    fn add(&mut self, file: &SourceFile, stamp: Stamp, outcome: Result<Outcome>) -> Result<()> {
        let key = path_key(&file.path);
        let read = match outcome {
            Ok(Outcome::Same) => {
                if let Some(r) = self.catalog.files.get_mut(&key) {
                    r.mtime_ns = stamp.mtime_ns;
                    r.ctime_ns = stamp.ctime_ns;
                }
                self.summary.unchanged += 1;
                return Ok(());
            }
            Ok(Outcome::Read(read)) => *read,
            Err(e) => {
                if self.catalog.files.remove(&key).is_some() {
                    delete_file(&self.writer, &self.fields, &key);
                }
                self.skips.push((key, stamp, format!("{e:#}")));
                return Ok(());
            }
        };
        // A file new to the index has nothing to replace.
        if self.catalog.files.contains_key(&key) {
            delete_file(&self.writer, &self.fields, &key);
        }
        let n = read.passages.len();
        let dir = self.dir;
        self.writer
            .add_document(read.header)
            .map_err(|e| write_failed(dir, e))?;
        for doc in read.passages {
            self.writer
                .add_document(doc)
                .map_err(|e| write_failed(dir, e))?;
        }
        let summary = &mut self.summary;
        summary.files += 1;
        summary.passages += n;
        summary.text_bytes += read.record.text_bytes;
        if read.replaced > 0 {
            summary.replaced.push((key.clone(), read.replaced));
        }
        self.since_commit += read.record.text_bytes;
        count_format(&mut summary.by_format, file.format);
        // The catalog keeps the record for the whole run: copied here, its strings live
        // together in this thread's heap instead of pinning pages among the worker's freed
        // passages (peak memory grew with the corpus otherwise).
        let mut record = read.record.clone();
        drop(read.record);
        record.size = stamp.size;
        record.mtime_ns = stamp.mtime_ns;
        record.ctime_ns = stamp.ctime_ns;
        record.root = root_of(self.roots, &file.path);
        self.catalog.files.insert(key, record);
        Ok(())
    }

    /// The last commit, the merges it starts, and the summary.
    fn finish(mut self, remaining: usize, interrupted: bool) -> Result<Summary> {
        if interrupted {
            self.summary.interrupted = true;
            self.summary.remaining = remaining;
        }
        let (known, new, still) = settle_skips(&self.catalog.skipped, &self.skips);
        self.catalog.skipped = known;
        self.summary.skipped = new;
        self.summary.still_skipped = still;
        // Merging after an interruption would keep the user waiting.
        self.last_commit.store(!interrupted, Ordering::Relaxed);
        commit(&mut self.writer, &mut self.catalog, self.dir)?;
        self.writer
            .wait_merging_threads()
            .context("cannot merge index segments")?;
        let _ = fs::remove_file(self.dir.join(PID_FILE));
        self.summary.by_format.sort_by_key(|(f, _)| f.name());
        Ok(self.summary)
    }
}

/// A path skipped: its catalog key, its stamp, the message.
type SkipEvent = (String, Stamp, String);

/// The skip records of this run, and its skips as messages: those new or changed since the
/// last run (`previous`), and those it had already, unchanged.
fn settle_skips(
    previous: &BTreeMap<String, SkipRecord>,
    skips: &[SkipEvent],
) -> (BTreeMap<String, SkipRecord>, Vec<String>, Vec<String>) {
    let mut records = BTreeMap::new();
    let (mut new, mut still) = (Vec::new(), Vec::new());
    for (key, stamp, message) in skips {
        let record = SkipRecord::new(*stamp, message.clone());
        if previous.get(key) == Some(&record) {
            still.push(message.clone());
        } else {
            new.push(message.clone());
        }
        records.insert(key.clone(), record);
    }
    (records, new, still)
}

/// Removes a file's passages and header from the index (at the next commit).
fn delete_file(writer: &IndexWriter, fields: &Fields, path: &str) {
    writer.delete_term(Term::from_field_text(fields.path, path));
    writer.delete_term(Term::from_field_u64(
        fields.header_key,
        document::doc_key(path),
    ));
}

/// The catalog key of a walked path: its exact bytes (see [`name`]).
fn path_key(path: &Path) -> String {
    name::key(path)
}

/// The root given on the command line that `path` was found under.
fn root_of(roots: &[PathBuf], path: &Path) -> String {
    roots
        .iter()
        .find(|r| path.starts_with(r))
        .map_or_else(String::new, |r| name::key(r))
}

fn count_format(counts: &mut Vec<(Format, usize)>, format: Format) {
    match counts.iter_mut().find(|(f, _)| *f == format) {
        Some((_, n)) => *n += 1,
        None => counts.push((format, 1)),
    }
}

fn worker_threads() -> usize {
    thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

/// The index writer, or a clear message when another process holds it.
/// With the switch that makes the run's last commit merge its segments into one where the
/// memory bound allows (see [`BoundedMerges::last_commit`]).
fn open_writer(
    store: &Store,
    dir: &Path,
    memory_budget: usize,
) -> Result<(IndexWriter, Arc<AtomicBool>)> {
    let threads = worker_threads();
    let per_thread_min = 15 << 20;
    let budget = memory_budget.max(per_thread_min * threads);
    match store.index.writer_with_num_threads(threads, budget) {
        Ok(writer) => {
            let policy = BoundedMerges::for_budget(budget);
            let last_commit = policy.last_commit();
            writer.set_merge_policy(Box::new(policy));
            Ok((writer, last_commit))
        }
        Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
            let pid = fs::read_to_string(dir.join(PID_FILE))
                .ok()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "unknown".to_string());
            bail!(
                "index {} is being updated by another zhengce process (pid {pid})",
                dir.display()
            )
        }
        Err(e) => Err(e).with_context(|| format!("cannot write to the index at {}", dir.display())),
    }
}

fn write_pid(dir: &Path) {
    let _ = fs::write(dir.join(PID_FILE), std::process::id().to_string());
}

/// Commits the writer with the catalog that describes exactly what it holds.
fn commit(writer: &mut IndexWriter, catalog: &mut Catalog, dir: &Path) -> Result<()> {
    catalog.updated = catalog::now();
    let mut prepared = writer.prepare_commit().map_err(|e| write_failed(dir, e))?;
    let opstamp = prepared.opstamp();
    let name = CATALOG.write(dir, opstamp, catalog)?;
    // What stats and list show, and the aliases the documents define and the laws' short
    // names: for commands to read in one small file each.
    SUMMARY.write(dir, opstamp, &summary::Summary::of(catalog))?;
    LISTING.write_with(dir, opstamp, |out| catalog.write_listing(out))?;
    ALIASES.write_with(dir, opstamp, |out| {
        IndexTable::build(catalog).write_lines(out)
    })?;
    versions::write(dir, opstamp, catalog)?;
    prepared.set_payload(&name);
    prepared.commit().map_err(|e| write_failed(dir, e))?;
    for kind in commit_file::ALL {
        kind.remove_others(dir, &name);
    }
    release_free_memory();
    Ok(())
}

/// Hands memory freed by the flushed segments back to the system: glibc keeps it in its
/// per-thread arenas otherwise, and peak memory grew with every commit of a long run.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap memory; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The error for a failed write, naming the likely causes: Tantivy reports a failed disk
/// write from its worker threads only as a killed writer.
fn write_failed(dir: &Path, e: TantivyError) -> anyhow::Error {
    let cause = match &e {
        TantivyError::ErrorInThread(_) => {
            "a write failed; is the disk full or read-only?".to_string()
        }
        other => other.to_string(),
    };
    anyhow::anyhow!(
        "cannot write the index at {}: {cause} — the index keeps its last commit",
        dir.display()
    )
}

/// Removes the files of an unreadable index (keeping anything else in the folder, such as a
/// README), so that `--rebuild` starts empty.
fn remove_index_files(dir: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let index_file = name == "meta.json"
            || name == ".managed.json"
            || name == VERSION_FILE
            || commit_file::ALL
                .iter()
                .any(|kind| name.starts_with(kind.prefix))
            || name.starts_with("versions-")
            || name.starts_with("citations-")
            || matches!(
                name.rsplit('.').next(),
                Some("idx" | "pos" | "term" | "store" | "fast" | "fieldnorm" | "del")
            );
        if index_file {
            fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// What reading a file gave.
enum Outcome {
    /// Same bytes as when last indexed (only its modification time moved).
    Same,
    Read(Box<Read>),
}

/// One file turned into index documents and its catalog record.
struct Read {
    header: TantivyDocument,
    passages: Vec<TantivyDocument>,
    record: FileRecord,
    /// Undecodable byte sequences replaced by U+FFFD.
    replaced: usize,
}

fn read(
    file: &SourceFile,
    previous_hash: Option<&String>,
    fields: &Fields,
    limits: &Limits,
) -> Result<Outcome> {
    // A file over the size bound is refused before a byte of it is read.
    extract::check_size(&file.path, file.format, limits)?;
    let hash = catalog::file_hash(&file.path)?;
    if previous_hash == Some(&hash) {
        return Ok(Outcome::Same);
    }
    let extracted = extract::extract_within(&file.path, file.format, limits)?;
    let doc = passage::split(&file.path, &extracted);
    let paragraphs: Vec<&str> = doc.passages.iter().map(|p| p.text.as_str()).collect();
    let meta = meta::parse(&file.path, &doc.title, &paragraphs, &extracted.metadata);
    let path = path_key(&file.path);
    let segmented: Vec<Segmented> = paragraphs
        .iter()
        .map(|p| analysis::segment(p, keyphrase::is_candidate))
        .collect();
    let pairs: Vec<(&str, &Segmented)> = paragraphs.iter().copied().zip(&segmented).collect();
    let (passage_keyphrases, doc_keyphrases) = keyphrase::extract_all(&pairs);
    let header = document::header(
        fields,
        &path,
        &doc.title,
        meta.issuer.as_deref(),
        &doc_keyphrases,
    );
    let file_fields = FileFields {
        path: &path,
        format: file.format.name(),
        title: &doc.title,
        meta: &meta,
    };
    let docs: Vec<TantivyDocument> = doc
        .passages
        .iter()
        .zip(passage_keyphrases)
        .map(|(p, keyphrases)| document::passage(fields, &file_fields, p, &keyphrases))
        .collect();
    let legal = legal::read(&doc.title, &doc.passages, &meta, &extracted.metadata);
    let record = FileRecord {
        root: String::new(),
        format: file.format.name().to_string(),
        size: 0,
        mtime_ns: 0,
        ctime_ns: 0,
        hash,
        passages: docs.len(),
        text_bytes: extracted.text.len(),
        title: doc.title,
        doc_number: meta.doc_number,
        issuer: meta.issuer,
        issuers: meta.issuers,
        date: meta.date.map(|d| d.iso()),
        effective: meta.effective.map(|d| d.iso()),
        doc_type: meta.doc_type,
        keyphrases: doc_keyphrases,
        abbreviations: aliases::defined(&extracted.text),
        legal,
        indexed_at: catalog::now(),
    };
    Ok(Outcome::Read(Box::new(Read {
        header,
        passages: docs,
        record,
        replaced: extracted.replaced,
    })))
}
