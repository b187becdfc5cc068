//! Facet counts beside the results: how many matching documents each year, issuer and
//! document type has. A stand-in until `search` counts them itself (`--count-by`).

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

use super::params::Facet;
use crate::index::Store;
use crate::index::catalog::FileRecord;
use crate::index::document::Stored;
use crate::index::names;
use crate::search::query;
use crate::search::synonyms::Synonyms;

/// Values listed per facet, most documents first.
const TOP: usize = 12;
/// Matches checked against their text, for the few queries the index only approximates;
/// past this the rest are counted unchecked.
const VERIFY_MAX: usize = 5_000;

/// One facet's values with their document counts, most first.
#[derive(Debug, Serialize, PartialEq)]
pub struct Counts {
    pub facet: &'static str,
    pub values: Vec<(String, usize)>,
}

/// Counts, for each facet of `by`, the documents holding a passage that matches `input`.
/// `record` gives a document's catalog entry by its key ([`crate::index::doc_key`]).
pub fn count<'a>(
    store: &Store,
    input: &str,
    synonyms: &Synonyms,
    by: &[Facet],
    record: impl Fn(u64) -> Option<&'a FileRecord>,
) -> Result<Vec<Counts>> {
    let parsed = query::parse(input)?;
    let searcher = store.reader()?.searcher();
    let compiled = query::compile(&parsed, &store.fields, &searcher, synonyms)?;
    let matches = searcher.search(compiled.query.as_ref(), &DocKeys)?;
    let mut docs: HashSet<u64> = HashSet::new();
    for (i, (address, key)) in matches.into_iter().enumerate() {
        if docs.contains(&key) {
            continue;
        }
        if compiled.verify && i < VERIFY_MAX {
            let doc: TantivyDocument = searcher.doc(address)?;
            if !crate::search::satisfies(&Stored::from_doc(&doc, &store.fields), &compiled) {
                continue;
            }
        }
        docs.insert(key);
    }
    let mut counts: Vec<HashMap<&str, usize>> = vec![HashMap::new(); by.len()];
    for r in docs.into_iter().filter_map(record) {
        for (facet, n) in by.iter().zip(&mut counts) {
            let value = match facet {
                Facet::Year => r.date.as_deref().and_then(|d| d.get(..4)),
                Facet::Issuer => r.issuer.as_deref(),
                Facet::Type => r.doc_type.as_deref(),
            };
            if let Some(v) = value {
                *n.entry(v).or_insert(0) += 1;
            }
        }
    }
    Ok(by
        .iter()
        .zip(counts)
        .map(|(facet, n)| Counts {
            facet: facet.name(),
            values: top(n, *facet == Facet::Year),
        })
        .collect())
}

/// The most frequent values (years: the latest first among equals), at most [`TOP`].
fn top(counts: HashMap<&str, usize>, newest_first: bool) -> Vec<(String, usize)> {
    let mut values: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(v, n)| (v.to_string(), n))
        .collect();
    values.sort_by(|a, b| {
        let by_value = if newest_first {
            b.0.cmp(&a.0)
        } else {
            a.0.cmp(&b.0)
        };
        b.1.cmp(&a.1).then(by_value)
    });
    values.truncate(TOP);
    values
}

/// Every match's address and document key; no scores.
struct DocKeys;

impl Collector for DocKeys {
    type Fruit = Vec<(DocAddress, u64)>;
    type Child = SegmentDocKeys;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentDocKeys> {
        Ok(SegmentDocKeys {
            segment,
            keys: reader.fast_fields().u64(names::doc_key)?,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

struct SegmentDocKeys {
    segment: SegmentOrdinal,
    keys: Column<u64>,
    found: Vec<(DocAddress, u64)>,
}

impl SegmentCollector for SegmentDocKeys {
    type Fruit = Vec<(DocAddress, u64)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        // Headers (key 0) are documents' titles, never passages.
        if let Some(key) = self.keys.first(doc).filter(|&k| k != 0) {
            self.found.push((DocAddress::new(self.segment, doc), key));
        }
    }

    fn harvest(self) -> Vec<(DocAddress, u64)> {
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_documents_first_then_by_value() {
        let counts = HashMap::from([("2019", 2), ("2021", 2), ("2020", 5)]);
        let years: Vec<(String, usize)> = top(counts.clone(), true);
        assert_eq!(
            years,
            [("2020".into(), 5), ("2021".into(), 2), ("2019".into(), 2)]
        );
        assert_eq!(top(counts, false)[1].0, "2019");
        let many: HashMap<&str, usize> = [
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
        ]
        .into_iter()
        .map(|v| (v, 1))
        .collect();
        assert_eq!(top(many, false).len(), TOP);
    }
}
