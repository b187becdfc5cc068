//! Looking around the index without a query: `stats` (the collection in numbers), `list`
//! (its documents) and `show` (one document, or a passage with its neighbours).

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::analysis::normalize;
use crate::index::Store;
use crate::index::catalog::{Brief, Catalog, FileRecord, ListedLine};
use crate::index::document::Stored;
use crate::index::summary::Summary;
use crate::ingest::meta::Date;
use crate::ingest::{name, walk};
use crate::search::query::{Candidate, Plan};

/// The collection in numbers.
pub type Stats = Summary;

/// Stats of the index at `dir`: its summary, and its size on disk.
pub fn stats(store: &Store, dir: &Path) -> Result<Stats> {
    let summary = match store.summary()? {
        Some(summary) => summary,
        None => Summary::of(&Catalog::load(&store.index, dir)?),
    };
    let index_bytes = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    Ok(Stats {
        index_bytes,
        ..summary
    })
}

/// One document of the index, as `list` shows it.
#[derive(Debug)]
pub struct Listed {
    /// The document's key (see [`name`]), in JSON `path` and `path_bytes`.
    pub path: String,
    pub record: FileRecord,
}

impl Serialize for Listed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            #[serde(flatten)]
            name: name::JsonName,
            #[serde(flatten)]
            record: &'a FileRecord,
        }
        Json {
            name: name::JsonName::of(&self.path),
            record: &self.record,
        }
        .serialize(serializer)
    }
}

/// Every document of the index, by path, one at a time; with a plan of filters
/// (`issuer:国务院 type:条例`), those whose metadata satisfy it. Returns how many.
pub fn list(
    store: &Store,
    filter: Option<&Plan>,
    mut each: impl FnMut(ListedLine) -> Result<()>,
) -> Result<usize> {
    let mut count = 0;
    store.each_listed(|entry| {
        if filter.is_none_or(|plan| satisfies(plan, &entry.path, &entry.brief)) {
            count += 1;
            each(entry)?;
        }
        Ok(())
    })?;
    Ok(count)
}

/// Whether a document's metadata satisfy a plan of filters, as a passage's do in `search`.
fn satisfies(plan: &Plan, path: &str, b: &Brief) -> bool {
    let norm = |s: Option<&str>| normalize(s.unwrap_or_default()).text;
    let day = |d: Option<&str>| d.and_then(Date::from_iso).map_or(0, Date::as_number);
    let (title, issuer) = (norm(Some(&b.title)), norm(b.issuer.as_deref()));
    plan.matches(&Candidate {
        text: "",
        heading: "",
        title: &title,
        issuer: &issuer,
        doc_number: b.doc_number.as_deref().unwrap_or_default(),
        doc_type: b.doc_type.as_deref().unwrap_or_default(),
        date: day(b.date.as_deref()),
        effective: day(b.effective.as_deref()),
        doc_key: crate::index::document::doc_key(path),
        restricted: None,
    })
}

/// A document, or a passage with the passages around it.
#[derive(Debug)]
pub struct Shown {
    /// The document's key (see [`name`]).
    pub path: String,
    pub title: String,
    /// 发文字号, 发文机关, date (ISO 8601) and 文种, where known.
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    /// When it takes effect (施行), ISO 8601.
    pub effective: Option<String>,
    pub doc_type: Option<String>,
    /// Its version and validity.
    pub validity: crate::search::Validity,
    pub passages: Vec<ShownPassage>,
}

#[derive(Debug)]
pub struct ShownPassage {
    pub passage: u64,
    pub heading: String,
    /// The article (第二十一条) the passage is, in a law.
    pub article: Option<String>,
    pub text: String,
    /// The passage asked for (false for its context).
    pub focus: bool,
}

/// `path` or `path:N`: the whole document, or passage N with `context` passages either side.
/// The path may be in any form `list` and `search` print it (see [`document_key`]).
pub fn show(store: &Store, target: &OsStr, context: usize) -> Result<Shown> {
    let (typed, focus) = split_passage(target)?;
    // A path as walked names its passages in the index at once: the catalog, which every
    // other form of a name needs (megabytes for a large collection), is not read.
    let exact = walk::indexed_path(Path::new(typed));
    if holds_passages(store, &exact)? {
        return show_key(store, &Catalog::default(), &exact, focus, context);
    }
    let shown = name::escaped(&name::key(Path::new(typed)));
    let catalog = store.listing()?;
    let Some(key) = document_key(&catalog, typed)? else {
        bail!("no document {shown} in the index (`zhengce list` shows what it holds)");
    };
    show_key(store, &catalog, &key, focus, context)
}

/// Whether the index holds passages of the document `key`.
fn holds_passages(store: &Store, key: &str) -> Result<bool> {
    let f = &store.fields;
    let query = TermQuery::new(Term::from_field_text(f.path, key), IndexRecordOption::Basic);
    Ok(store
        .reader()?
        .searcher()
        .search(&query, &tantivy::collector::Count)?
        > 0)
}

/// A target's path, and the passage `:N` names.
fn split_passage(target: &OsStr) -> Result<(&OsStr, Option<u64>)> {
    let bytes = target.as_bytes();
    let Some(colon) = bytes.iter().rposition(|&b| b == b':') else {
        return Ok((target, None));
    };
    let (path, n) = (&bytes[..colon], &bytes[colon + 1..]);
    if n.is_empty() || !n.iter().all(u8::is_ascii_digit) {
        return Ok((target, None));
    }
    let path = OsStr::from_bytes(path);
    let n = std::str::from_utf8(n).expect("ASCII digits");
    let Ok(n) = n.parse::<u64>() else {
        bail!("{} has no passage {n}", path.to_string_lossy());
    };
    Ok((path, Some(n)))
}

/// The key of the indexed document that `typed` names, in any form a command prints a path
/// in: the name itself (relative or absolute, its exact bytes), its terminal form (`\xB9`,
/// `\n`), or JSON's `path`, where bytes outside UTF-8 became U+FFFD, when that names one
/// document only.
pub fn document_key(catalog: &Catalog, typed: &OsStr) -> Result<Option<String>> {
    let exact = walk::indexed_path(Path::new(typed));
    if catalog.files.contains_key(&exact) {
        return Ok(Some(exact));
    }
    let Some(text) = typed.to_str() else {
        return Ok(None);
    };
    if let Some(unescaped) = name::unescape(text) {
        let key = walk::indexed_path(&name::path(&unescaped));
        if catalog.files.contains_key(&key) {
            return Ok(Some(key));
        }
    }
    if !text.contains(char::REPLACEMENT_CHARACTER) {
        return Ok(None);
    }
    let lossy = name::lossy(&exact);
    let mut named = catalog.files.keys().filter(|k| name::lossy(k) == lossy);
    match (named.next(), named.next()) {
        (Some(key), None) => Ok(Some(key.clone())),
        (Some(_), Some(_)) => bail!(
            "{text} names several documents whose names are not UTF-8: give the name as \
             `zhengce list` prints it on a terminal (with \\x escapes)"
        ),
        _ => Ok(None),
    }
}

/// A document of the index by its key, whole or passage `focus` with `context` passages
/// either side.
pub fn show_key(
    store: &Store,
    catalog: &Catalog,
    key: &str,
    focus: Option<u64>,
    context: usize,
) -> Result<Shown> {
    let f = &store.fields;
    let searcher = store.reader()?.searcher();
    let query = TermQuery::new(Term::from_field_text(f.path, key), IndexRecordOption::Basic);
    let addresses = searcher.search(&query, &DocSetCollector)?;
    let path = name::escaped(walk::shown(key));
    if addresses.is_empty() {
        // A document without text (an empty file) has no passages, only its catalog entry.
        let Some(record) = catalog.files.get(key) else {
            bail!("no document {path} in the index (`zhengce list` shows what it holds)");
        };
        if let Some(n) = focus {
            bail!("{path} has no passage {n} (it holds no text)");
        }
        return Ok(Shown {
            path: key.to_string(),
            title: record.title.clone(),
            doc_number: record.doc_number.clone(),
            issuer: record.issuer.clone(),
            date: record.date.clone(),
            effective: record.effective.clone(),
            doc_type: record.doc_type.clone(),
            validity: crate::search::Validity::of(store.doc_status(key)?.as_ref(), None),
            passages: Vec::new(),
        });
    }
    let mut passages = Vec::with_capacity(addresses.len());
    let mut shown = None;
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = Stored::from_doc(&doc, f);
        passages.push(ShownPassage {
            passage: stored.ordinal,
            heading: stored.heading,
            article: stored.article,
            text: stored.text,
            focus: focus == Some(stored.ordinal),
        });
        // Every passage carries its document's title and metadata.
        shown.get_or_insert(Shown {
            path: key.to_string(),
            title: stored.title,
            doc_number: stored.doc_number,
            issuer: stored.issuer,
            date: stored.date,
            effective: Date::from_number(stored.effective_number).map(Date::iso),
            doc_type: stored.doc_type,
            validity: Default::default(),
            passages: Vec::new(),
        });
    }
    let mut shown = shown.expect("a document with passages");
    shown.validity = crate::search::Validity::of(store.doc_status(key)?.as_ref(), focus);
    passages.sort_by_key(|p| p.passage);
    if let Some(n) = focus {
        let Some(at) = passages.iter().position(|p| p.passage == n) else {
            bail!(
                "{path} has no passage {n} (its passages are 0 to {})",
                passages.len() - 1
            );
        };
        let end = (at + context + 1).min(passages.len());
        passages.truncate(end);
        passages.drain(..at.saturating_sub(context));
    }
    shown.passages = passages;
    Ok(shown)
}
