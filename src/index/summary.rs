//! The collection in numbers, counted when a commit writes its catalog and written beside it
//! (`summary-N.json`, see [`crate::index::commit_file`]): `stats` and the date tie-break read
//! this small file instead of the whole catalog (3 MB, 25 ms to read on the bench).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::index::catalog::{Catalog, FileRecord};

/// Key phrases of documents kept in the summary, those most documents share.
const TOP_KEYPHRASES: usize = 20;

/// What `stats` shows: the numbers a commit counts, and the index's size on disk, which
/// changes after the commit and is measured when shown.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Summary {
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
    /// Bytes the index takes on disk (0 in the file a commit writes).
    #[serde(default)]
    pub index_bytes: u64,
    /// When the index last changed (UTC, ISO 8601).
    #[serde(default)]
    pub last_update: String,
    /// Key phrases most documents share, with how many documents have them.
    pub top_keyphrases: Vec<(String, usize)>,
    /// How many documents have each metadata field: how far a filter on it can be trusted.
    pub coverage: Coverage,
}

/// Documents with each metadata field known.
#[derive(Debug, Default, Serialize, Deserialize)]
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

impl Summary {
    pub fn of(catalog: &Catalog) -> Summary {
        let records = || catalog.files.values();
        let mut summary = Summary {
            documents: catalog.files.len(),
            passages: records().map(|r| r.passages).sum(),
            text_bytes: records().map(|r| r.text_bytes).sum(),
            last_update: crate::index::catalog::iso_datetime(catalog.updated),
            coverage: Coverage::of(records()),
            top_keyphrases: top_keyphrases(records()),
            ..Summary::default()
        };
        for record in records() {
            *summary.by_format.entry(record.format.clone()).or_insert(0) += 1;
            *summary.by_folder.entry(record.root.clone()).or_insert(0) += 1;
        }
        let dates = records().filter_map(|r| r.date.clone());
        summary.date_range = dates.clone().min().zip(dates.max());
        summary
    }
}

fn top_keyphrases<'a>(records: impl Iterator<Item = &'a FileRecord>) -> Vec<(String, usize)> {
    let mut phrases: BTreeMap<&str, usize> = BTreeMap::new();
    for record in records {
        for k in &record.keyphrases {
            *phrases.entry(k).or_insert(0) += 1;
        }
    }
    let mut top: Vec<(String, usize)> = phrases
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(TOP_KEYPHRASES);
    top
}
