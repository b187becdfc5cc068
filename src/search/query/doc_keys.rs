//! The passages of a set of documents, named by their doc keys (a `title:` or `issuer:`
//! filter, the documents an abbreviation is defined in): a few keys looked up one by one, many
//! read from the doc-key column, a run of passages per document. Tantivy's `TermSetQuery`
//! builds an automaton of the keys and walks the term dictionary with it, which took 3 ms for
//! the 3,000 documents of the bench titled …条例; reading the column costs about 0.5 ms per
//! segment of 120,000 passages however few the keys.

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::columnar::{Column, ColumnIndex};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

use super::segment_sets::SegmentSets;
use crate::index::names;
use crate::search::rank::KeyHash;

/// Values read from the column at a time.
const CHUNK: usize = 4096;
/// About how many column values read cost one key's lookup in the doc-key index (a
/// dictionary probe and a postings block): fewer keys than a segment's passages over this
/// are looked up; more, and the column is read whole.
const SCANNED_PER_LOOKUP: usize = 256;

/// Matches the passages whose doc key is in the set, without adding to the score.
#[derive(Clone, Debug)]
pub struct DocKeysQuery {
    keys: Arc<HashSet<u64, KeyHash>>,
}

impl DocKeysQuery {
    pub fn new(keys: impl IntoIterator<Item = u64>) -> DocKeysQuery {
        DocKeysQuery {
            keys: Arc::new(keys.into_iter().collect()),
        }
    }
}

impl Query for DocKeysQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DocKeysWeight {
            keys: self.keys.clone(),
            sets: SegmentSets::default(),
        }))
    }
}

struct DocKeysWeight {
    keys: Arc<HashSet<u64, KeyHash>>,
    sets: SegmentSets,
}

impl DocKeysWeight {
    /// The segment's documents whose key is in the set: each key looked up in the doc-key
    /// index when there are few of them, the column read whole otherwise.
    fn documents(&self, reader: &SegmentReader) -> tantivy::Result<tantivy::BitSet> {
        match self.keys.len().saturating_mul(SCANNED_PER_LOOKUP) < reader.max_doc() as usize {
            true => self.looked_up(reader),
            false => self.scanned(reader),
        }
    }

    /// The documents of each key, from its postings.
    fn looked_up(&self, reader: &SegmentReader) -> tantivy::Result<tantivy::BitSet> {
        let field = reader.schema().get_field(names::doc_key)?;
        let index = reader.inverted_index(field)?;
        let mut found = tantivy::BitSet::with_max_value(reader.max_doc());
        for &key in self.keys.iter() {
            let term = Term::from_field_u64(field, key);
            let Some(mut postings) = index.read_postings(&term, IndexRecordOption::Basic)? else {
                continue;
            };
            while postings.doc() != TERMINATED {
                found.insert(postings.doc());
                postings.advance();
            }
        }
        Ok(found)
    }

    /// The documents whose key is in the set, the column read in order. A document's
    /// passages are consecutive, so the set is asked once per run of one key.
    fn scanned(&self, reader: &SegmentReader) -> tantivy::Result<tantivy::BitSet> {
        let column = reader.fast_fields().u64(names::doc_key)?;
        let max_doc = reader.max_doc();
        let mut found = tantivy::BitSet::with_max_value(max_doc);
        let mut last = None;
        let mut held = false;
        each_key(&column, max_doc, |doc, key| {
            if key != last {
                held = key.is_some_and(|k| self.keys.contains(&k));
                last = key;
            }
            if held {
                found.insert(doc);
            }
        });
        Ok(found)
    }
}

/// Calls `each` with every document of the segment and its key: in chunks where every
/// document has one (headers hold 0), one at a time otherwise.
fn each_key(column: &Column<u64>, max_doc: DocId, mut each: impl FnMut(DocId, Option<u64>)) {
    if !matches!(column.index, ColumnIndex::Full) {
        (0..max_doc).for_each(|doc| each(doc, column.first(doc)));
        return;
    }
    let mut chunk = vec![0u64; CHUNK];
    let mut start: DocId = 0;
    while start < max_doc {
        let len = CHUNK.min((max_doc - start) as usize);
        column.values.get_range(u64::from(start), &mut chunk[..len]);
        for (doc, &key) in (start..).zip(&chunk[..len]) {
            each(doc, Some(key));
        }
        start += len as DocId;
    }
}

impl Weight for DocKeysWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.sets.scorer(reader, boost, |r| self.documents(r))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} is not in the documents asked for"
            )));
        }
        Ok(Explanation::new("in the documents asked for", 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::schema::{FAST, INDEXED, Schema};
    use tantivy::{Index, TantivyDocument};

    /// The documents the query finds, and those Tantivy's term set finds, in an index where
    /// documents' passages run by key; with every document keyed or not (the column's two
    /// shapes).
    fn found(all_keyed: bool) -> (Vec<u32>, Vec<u32>) {
        let mut schema = Schema::builder();
        let field = schema.add_u64_field(names::doc_key, FAST | INDEXED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15 << 20).unwrap();
        for (i, key) in [7, 7, 7, 3, 3, 9, 7, 0, 5, 5].into_iter().enumerate() {
            let mut d = TantivyDocument::new();
            if all_keyed || i != 4 {
                d.add_u64(field, key);
            }
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let docs = |q: &dyn Query| -> Vec<u32> {
            let mut d: Vec<u32> = searcher
                .search(q, &DocSetCollector)
                .unwrap()
                .into_iter()
                .map(|a| a.doc_id)
                .collect();
            d.sort();
            d
        };
        let keys = [7, 5, 4];
        let terms = keys.map(|k| Term::from_field_u64(field, k));
        let weight = DocKeysWeight {
            keys: DocKeysQuery::new(keys).keys,
            sets: SegmentSets::default(),
        };
        let segment = &searcher.segment_readers()[0];
        let (looked_up, scanned) = (
            weight.looked_up(segment).unwrap(),
            weight.scanned(segment).unwrap(),
        );
        let bits = |set: &tantivy::BitSet| (0..10).filter(|&d| set.contains(d)).collect::<Vec<_>>();
        assert_eq!(bits(&looked_up), bits(&scanned));
        (
            docs(&DocKeysQuery::new(keys)),
            docs(&tantivy::query::TermSetQuery::new(terms)),
        )
    }

    #[test]
    fn finds_what_a_term_set_of_the_keys_finds() {
        let (ours, theirs) = found(true);
        assert_eq!(ours, [0, 1, 2, 6, 8, 9]);
        assert_eq!(ours, theirs);
        let (ours, theirs) = found(false);
        assert_eq!(ours, theirs);
    }
}
