//! Looking around the index without a query: `stats` (the collection in numbers), `list`
//! (its documents) and `show` (one document, or a passage with its neighbours).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::analysis::normalize;
use crate::index::Store;
use crate::index::catalog::{Catalog, FileRecord};
use crate::index::document::Stored;
use crate::ingest::meta::Date;
use crate::search::query::{Candidate, Plan};

/// The collection in numbers.
#[derive(Debug, Serialize)]
pub struct Stats {
    pub documents: usize,
    pub passages: usize,
    /// Documents by format.
    pub by_format: BTreeMap<String, usize>,
    /// Documents by the folder given to `index`.
    pub by_folder: BTreeMap<String, usize>,
    /// Earliest and latest document date (ISO 8601), where dates are known.
    pub date_range: Option<(String, String)>,
    /// Bytes of extracted text indexed.
    pub text_bytes: usize,
    /// Bytes the index takes on disk.
    pub index_bytes: u64,
    /// When the index last changed (UTC, ISO 8601).
    pub last_update: String,
    /// Key phrases most documents share, with how many documents have them.
    pub top_keyphrases: Vec<(String, usize)>,
    /// How many documents have each metadata field: how far a filter on it can be trusted.
    pub coverage: Coverage,
}

/// Documents with each metadata field known.
#[derive(Debug, Default, Serialize)]
pub struct Coverage {
    pub date: usize,
    pub effective: usize,
    pub issuer: usize,
    pub doc_number: usize,
    pub doc_type: usize,
}

impl Coverage {
    fn of<'a>(records: impl Iterator<Item = &'a FileRecord>) -> Coverage {
        let mut c = Coverage::default();
        for r in records {
            c.date += usize::from(r.date.is_some());
            c.effective += usize::from(r.effective.is_some());
            c.issuer += usize::from(r.issuer.is_some());
            c.doc_number += usize::from(r.doc_number.is_some());
            c.doc_type += usize::from(r.doc_type.is_some());
        }
        c
    }
}

/// Stats of the index at `dir`.
pub fn stats(store: &Store, dir: &Path) -> Result<Stats> {
    let catalog = Catalog::load(&store.index, dir)?;
    let mut by_format = BTreeMap::new();
    let mut by_folder = BTreeMap::new();
    let mut phrases: BTreeMap<&str, usize> = BTreeMap::new();
    for record in catalog.files.values() {
        *by_format.entry(record.format.clone()).or_insert(0) += 1;
        *by_folder.entry(record.root.clone()).or_insert(0) += 1;
        for k in &record.keyphrases {
            *phrases.entry(k).or_insert(0) += 1;
        }
    }
    let mut top: Vec<(String, usize)> = phrases
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(20);
    let dates = catalog.files.values().filter_map(|r| r.date.clone());
    let date_range = dates.clone().min().zip(dates.max());
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
        documents: catalog.files.len(),
        passages: catalog.files.values().map(|r| r.passages).sum(),
        by_format,
        by_folder,
        date_range,
        text_bytes: catalog.files.values().map(|r| r.text_bytes).sum(),
        index_bytes,
        last_update: iso_datetime(catalog.updated),
        top_keyphrases: top,
        coverage: Coverage::of(catalog.files.values()),
    })
}

/// One document of the index, as `list` shows it.
#[derive(Debug, Serialize)]
pub struct Listed {
    pub path: String,
    #[serde(flatten)]
    pub record: FileRecord,
}

/// Every document of the index, by path; with a plan of filters (`issuer:国务院 type:条例`),
/// those whose metadata satisfy it.
pub fn list(store: &Store, dir: &Path, filter: Option<&Plan>) -> Result<Vec<Listed>> {
    let catalog = Catalog::load(&store.index, dir)?;
    Ok(catalog
        .files
        .into_iter()
        .filter(|(path, record)| filter.is_none_or(|plan| satisfies(plan, path, record)))
        .map(|(path, record)| Listed { path, record })
        .collect())
}

/// Whether a document's metadata satisfy a plan of filters, as a passage's do in `search`.
fn satisfies(plan: &Plan, path: &str, r: &FileRecord) -> bool {
    let norm = |s: Option<&str>| normalize(s.unwrap_or_default()).text;
    let day = |d: &Option<String>| {
        d.as_deref()
            .and_then(Date::from_iso)
            .map_or(0, Date::as_number)
    };
    let (title, issuer) = (norm(Some(&r.title)), norm(r.issuer.as_deref()));
    plan.matches(&Candidate {
        text: "",
        heading: "",
        title: &title,
        issuer: &issuer,
        doc_number: r.doc_number.as_deref().unwrap_or_default(),
        doc_type: r.doc_type.as_deref().unwrap_or_default(),
        date: day(&r.date),
        effective: day(&r.effective),
        doc_key: crate::index::document::doc_key(path),
    })
}

/// A document, or a passage with the passages around it.
#[derive(Debug)]
pub struct Shown {
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
pub fn show(store: &Store, dir: &Path, target: &str, context: usize) -> Result<Shown> {
    let (path, focus) = match target.rsplit_once(':') {
        Some((p, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            let Ok(n) = n.parse::<u64>() else {
                bail!("{p} has no passage {n}");
            };
            (p, Some(n))
        }
        _ => (target, None),
    };
    let f = &store.fields;
    let searcher = store.reader()?.searcher();
    let indexed = crate::ingest::walk::indexed_path(path);
    let query = TermQuery::new(
        Term::from_field_text(f.path, &indexed),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&query, &DocSetCollector)?;
    if addresses.is_empty() {
        // A document without text (an empty file) has no passages, only its catalog entry.
        let catalog = Catalog::load(&store.index, dir)?;
        let Some(record) = catalog.files.get(&indexed) else {
            bail!("no document {path} in the index (`zhengce list` shows what it holds)");
        };
        if let Some(n) = focus {
            bail!("{path} has no passage {n} (it holds no text)");
        }
        return Ok(Shown {
            path: path.to_string(),
            title: record.title.clone(),
            doc_number: record.doc_number.clone(),
            issuer: record.issuer.clone(),
            date: record.date.clone(),
            effective: record.effective.clone(),
            doc_type: record.doc_type.clone(),
            validity: crate::search::Validity::of(store.doc_status(&indexed)?.as_ref(), None),
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
            path: path.to_string(),
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
    shown.validity = crate::search::Validity::of(store.doc_status(&indexed)?.as_ref(), focus);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_datetime_of_known_instants() {
        assert_eq!(iso_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_datetime(1_695_800_000), "2023-09-27T07:33:20Z");
        assert_eq!(iso_datetime(951_782_400), "2000-02-29T00:00:00Z");
    }
}
