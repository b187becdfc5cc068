//! A query's set of documents in each segment, worked out once per segment however many
//! scorers its weight gives for it: a segment collected in two halves takes two (see
//! [`crate::search::collect`]), and the sets of [`super::lone_char`] and [`super::doc_keys`]
//! are read from postings or columns of the whole segment.

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::index::SegmentId;
use tantivy::query::{BitSetDocSet, ConstScorer, Scorer};
use tantivy::{BitSet, Score, SegmentReader};

#[derive(Default)]
pub struct SegmentSets {
    found: Mutex<HashMap<SegmentId, BitSet>>,
}

impl SegmentSets {
    /// The segment's set, from `work` the first time it is asked for.
    fn get(
        &self,
        reader: &SegmentReader,
        work: impl FnOnce(&SegmentReader) -> tantivy::Result<BitSet>,
    ) -> tantivy::Result<BitSet> {
        let segment = reader.segment_id();
        if let Some(found) = self
            .found
            .lock()
            .ok()
            .and_then(|f| f.get(&segment).cloned())
        {
            return Ok(found);
        }
        let found = work(reader)?;
        if let Ok(mut sets) = self.found.lock() {
            sets.insert(segment, found.clone());
        }
        Ok(found)
    }

    /// A scorer of the segment's set, each document scored as `boost`.
    pub fn scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
        work: impl FnOnce(&SegmentReader) -> tantivy::Result<BitSet>,
    ) -> tantivy::Result<Box<dyn Scorer>> {
        let found = BitSetDocSet::from(self.get(reader, work)?);
        Ok(Box::new(ConstScorer::new(found, boost)))
    }
}
