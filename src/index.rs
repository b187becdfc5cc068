//! Passages in, a Tantivy index out: the schema, opening and creating the index, and the
//! parallel indexing run (extract → split → key phrases on worker threads, one writer).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use anyhow::{Context, Result, bail};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis::{self, CJK_GRAM, JIEBA};
use crate::extract::{self, Format};
use crate::keyphrase;
use crate::meta;
use crate::passage;
use crate::walk::{self, SourceFile};

/// Bumped whenever the schema or the analysis changes; an index of another version must be
/// rebuilt.
pub const SCHEMA_VERSION: u32 = 2;
const VERSION_FILE: &str = "zhengce.json";
/// Separator of heading path elements, stored and shown.
pub const HEADING_SEPARATOR: &str = " › ";

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// File path as walked; a raw term, so a file's passages can be deleted together.
    pub path: Field,
    pub format: Field,
    pub title: Field,
    /// The title again as CJK bigrams, for `title:` filters.
    pub title_grams: Field,
    /// 发文字号, normalised (see [`crate::meta::find_doc_number`]); a raw term.
    pub doc_number: Field,
    /// 发文机关, as CJK bigrams so `issuer:` matches any part of it.
    pub issuer: Field,
    /// 文种 (法律, 条例, 通知 …); a raw term.
    pub doc_type: Field,
    /// Document date as yyyymmdd; 0 when unknown.
    pub date: Field,
    /// The article (第二十一条) a passage of a law is; a raw term.
    pub article: Field,
    /// Heading path joined with [`HEADING_SEPARATOR`].
    pub heading: Field,
    /// Passage text: stored as written, indexed as jieba words for ranking.
    pub text: Field,
    /// Passage text again as CJK bigrams with positions, for substring recall.
    pub grams: Field,
    /// TF-IDF key phrases of the passage.
    pub keyphrases: Field,
    /// TF-IDF key phrases of the whole document.
    pub doc_keyphrases: Field,
    pub ordinal: Field,
    pub start: Field,
    pub end: Field,
    /// Passages with equal keys are duplicates, shown once.
    pub dup_key: Field,
}

impl Fields {
    fn from_schema(schema: &Schema) -> Result<Fields> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .with_context(|| format!("index has no field {name}: rebuild it with --rebuild"))
        };
        Ok(Fields {
            path: f("path")?,
            format: f("format")?,
            title: f("title")?,
            title_grams: f("title_grams")?,
            doc_number: f("doc_number")?,
            issuer: f("issuer")?,
            doc_type: f("doc_type")?,
            date: f("date")?,
            article: f("article")?,
            heading: f("heading")?,
            text: f("text")?,
            grams: f("grams")?,
            keyphrases: f("keyphrases")?,
            doc_keyphrases: f("doc_keyphrases")?,
            ordinal: f("ordinal")?,
            start: f("start")?,
            end: f("end")?,
            dup_key: f("dup_key")?,
        })
    }
}

pub fn schema() -> Schema {
    let words = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(JIEBA)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(CJK_GRAM)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let stored_grams = grams.clone().set_stored();
    let mut b = Schema::builder();
    b.add_text_field("path", STRING | STORED);
    b.add_text_field("format", STRING | STORED);
    b.add_text_field("title", words.clone());
    b.add_text_field("title_grams", grams.clone());
    b.add_text_field("doc_number", STRING | STORED);
    b.add_text_field("issuer", stored_grams);
    b.add_text_field("doc_type", STRING | STORED);
    b.add_u64_field("date", INDEXED | FAST | STORED);
    b.add_text_field("article", STRING | STORED);
    b.add_text_field("heading", words.clone());
    b.add_text_field("text", words.clone());
    b.add_text_field("grams", grams);
    b.add_text_field("keyphrases", words.clone());
    b.add_text_field("doc_keyphrases", words);
    b.add_u64_field("ordinal", STORED);
    b.add_u64_field("start", STORED);
    b.add_u64_field("end", STORED);
    b.add_u64_field("dup_key", FAST | INDEXED);
    b.build()
}

/// An open index with its fields.
pub struct Store {
    pub index: Index,
    pub fields: Fields,
}

impl Store {
    /// Opens an existing index for searching.
    pub fn open(dir: &Path) -> Result<Store> {
        if !dir.join("meta.json").is_file() {
            bail!(
                "no index at {} — run `zhengce index <folder>` first",
                dir.display()
            );
        }
        check_version(dir)?;
        let index = Index::open_in_dir(dir)
            .with_context(|| format!("cannot open the index at {}", dir.display()))?;
        analysis::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        Ok(Store { index, fields })
    }

    /// Opens the index at `dir`, creating the folder and the index when missing.
    pub fn open_or_create(dir: &Path) -> Result<Store> {
        if dir.join("meta.json").is_file() {
            return Store::open(dir);
        }
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the index folder {}", dir.display()))?;
        let index = Index::create_in_dir(dir, schema())
            .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        fs::write(
            dir.join(VERSION_FILE),
            format!("{{\"schema_version\": {SCHEMA_VERSION}}}\n"),
        )
        .with_context(|| format!("cannot write {}", dir.join(VERSION_FILE).display()))?;
        analysis::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        Ok(Store { index, fields })
    }

    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }
}

fn check_version(dir: &Path) -> Result<()> {
    let path = dir.join(VERSION_FILE);
    let text = fs::read_to_string(&path).unwrap_or_default();
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["schema_version"].as_u64());
    if version != Some(u64::from(SCHEMA_VERSION)) {
        bail!(
            "the index at {} was written by another version of zhengce — run `zhengce index --rebuild <folder>`",
            dir.display()
        );
    }
    Ok(())
}

/// Settings of one indexing run.
#[derive(Debug, Clone)]
pub struct Options {
    pub index_dir: PathBuf,
    pub roots: Vec<PathBuf>,
    /// Total memory budget of the index writer, in bytes.
    pub memory_budget: usize,
    /// Start from an empty index.
    pub rebuild: bool,
}

/// What an indexing run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub passages: usize,
    /// Files indexed, by format name.
    pub by_format: Vec<(Format, usize)>,
    /// Files not indexed, each with the reason.
    pub skipped: Vec<String>,
    /// Bytes of extracted text indexed.
    pub text_bytes: usize,
}

/// Indexes every document under the roots, replacing what the index held for each file.
pub fn build(opts: &Options) -> Result<Summary> {
    let mut summary = Summary::default();
    let files = walk::walk(&opts.roots, &mut summary.skipped)?;
    // A rebuild clears the documents in the same commit that adds the new ones, so the old
    // index stays searchable until then; only an unreadable index is removed up front.
    let mut clear = false;
    let store = if opts.rebuild {
        match Store::open(&opts.index_dir) {
            Ok(store) => {
                clear = true;
                store
            }
            Err(_) => {
                remove_index_files(&opts.index_dir)?;
                Store::open_or_create(&opts.index_dir)?
            }
        }
    } else {
        Store::open_or_create(&opts.index_dir)?
    };
    let threads = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let per_thread_min = 15 << 20;
    let budget = opts.memory_budget.max(per_thread_min * threads);
    let mut writer: IndexWriter = store
        .index
        .writer_with_num_threads(threads, budget)
        .with_context(|| format!("cannot write to the index at {}", opts.index_dir.display()))?;
    let fields = store.fields;
    if clear {
        writer.delete_all_documents()?;
    }

    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, Result<Prepared>)>(threads * 4);
    thread::scope(|scope| -> Result<()> {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, files) = (&next, &files);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    if tx.send((i, prepare(file, &fields))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, prepared) in rx {
            let file = &files[i];
            let path_term = Term::from_field_text(fields.path, &file.path.to_string_lossy());
            match prepared {
                Ok(prepared) => {
                    writer.delete_term(path_term);
                    summary.passages += prepared.docs.len();
                    summary.text_bytes += prepared.text_bytes;
                    for doc in prepared.docs {
                        writer.add_document(doc)?;
                    }
                    summary.files += 1;
                    match summary
                        .by_format
                        .iter_mut()
                        .find(|(f, _)| *f == file.format)
                    {
                        Some((_, n)) => *n += 1,
                        None => summary.by_format.push((file.format, 1)),
                    }
                }
                Err(e) => summary.skipped.push(format!("{e:#}")),
            }
        }
        Ok(())
    })?;
    writer.commit().context("cannot commit the index")?;
    writer
        .wait_merging_threads()
        .context("cannot merge index segments")?;
    summary.by_format.sort_by_key(|(f, _)| f.name());
    Ok(summary)
}

/// Removes the files of an existing index (keeping anything else in the folder, such as a
/// README), so that `--rebuild` starts empty.
fn remove_index_files(dir: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let tantivy_file = name == "meta.json"
            || name == ".managed.json"
            || name == VERSION_FILE
            || name.ends_with(".lock")
            || matches!(
                name.rsplit('.').next(),
                Some("idx" | "pos" | "term" | "store" | "fast" | "fieldnorm" | "del")
            );
        if tantivy_file {
            fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// One file turned into index documents, ready for the writer.
struct Prepared {
    docs: Vec<TantivyDocument>,
    text_bytes: usize,
}

fn prepare(file: &SourceFile, fields: &Fields) -> Result<Prepared> {
    let extracted = extract::extract(&file.path, file.format)?;
    let doc = passage::split(&file.path, &extracted);
    let meta = meta::parse(&file.path, &doc.title);
    let path = file.path.to_string_lossy();
    let doc_keyphrases = keyphrase::extract(&extracted.text, keyphrase::PER_DOCUMENT);
    let mut docs = Vec::with_capacity(doc.passages.len());
    for p in &doc.passages {
        let mut d = TantivyDocument::new();
        d.add_text(fields.path, &path);
        d.add_text(fields.format, file.format.name());
        d.add_text(fields.title, &doc.title);
        d.add_text(fields.title_grams, &doc.title);
        if let Some(n) = &meta.doc_number {
            d.add_text(fields.doc_number, n);
        }
        if let Some(i) = &meta.issuer {
            d.add_text(fields.issuer, i);
        }
        if let Some(t) = &meta.doc_type {
            d.add_text(fields.doc_type, t);
        }
        d.add_u64(fields.date, meta.date.map_or(0, |d| d.as_number()));
        d.add_text(fields.heading, p.heading.join(HEADING_SEPARATOR));
        d.add_text(fields.text, &p.text);
        d.add_text(fields.grams, &p.text);
        for k in keyphrase::extract(&p.text, keyphrase::PER_PASSAGE) {
            d.add_text(fields.keyphrases, k);
        }
        for k in &doc_keyphrases {
            d.add_text(fields.doc_keyphrases, k);
        }
        if let Some(a) = &p.article {
            d.add_text(fields.article, a);
        }
        d.add_u64(fields.ordinal, p.ordinal as u64);
        d.add_u64(fields.start, p.start as u64);
        d.add_u64(fields.end, p.end as u64);
        d.add_u64(fields.dup_key, p.dup_key);
        docs.push(d);
    }
    Ok(Prepared {
        docs,
        text_bytes: extracted.text.len(),
    })
}
