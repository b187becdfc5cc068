//! Which index segments to merge: small ones only, in groups whose merged size stays under a
//! bound set by the memory budget. Merging maps its input segments into memory, so an
//! unbounded policy (Tantivy's default merges ever larger segments) makes peak memory grow
//! with the index; this one keeps it set by `--memory`, whatever the corpus size. At a run's
//! last commit, segments that fit under the bound together are merged into one: a search
//! looks each word up once per segment, and one segment took a query on the bench from 3.9 to
//! 3.4 ms (的 35.8 -> 29.5 ms) and the index from 159.8 to 154.6 MB, for 1.9 s of merging.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tantivy::SegmentMeta;
use tantivy::indexer::{MergeCandidate, MergePolicy};

/// Index bytes of an average passage (about 2× its ~400 bytes of text): turns the memory
/// budget into a number of documents.
const INDEX_BYTES_PER_PASSAGE: usize = 800;
/// Fewer small segments than this are left alone: merging costs indexing time, and a
/// handful of segments costs searches little...
const MIN_SEGMENTS_IN_MERGE: usize = 8;
/// ...except tiny ones (from updates of a few files), which cost a search about as much as
/// large ones (each is a set of files to open and map) and are cheap to merge.
const TINY_MERGE_DOCS: u32 = 20_000;
/// A segment that lost this share of its documents to updates is rewritten without them.
const DELETED_SHARE_TO_COMPACT: f64 = 0.3;
/// At a run's last commit, all segments are merged when those but the largest hold at least
/// this share of the documents: an update of a few files does not rewrite the whole index.
const NEW_SHARE_TO_MERGE_ALL: f64 = 0.25;

#[derive(Debug, Clone)]
pub struct BoundedMerges {
    /// Largest merged segment, in documents (deleted ones included).
    max_docs: u32,
    /// Set before a run's last commit (see [`BoundedMerges::last_commit`]).
    last_commit: Arc<AtomicBool>,
}

impl BoundedMerges {
    /// Merges reading at most about half the memory budget of index files at once.
    pub fn for_budget(memory_budget: usize) -> BoundedMerges {
        let docs = memory_budget / 2 / INDEX_BYTES_PER_PASSAGE;
        BoundedMerges {
            max_docs: u32::try_from(docs).unwrap_or(u32::MAX).max(1),
            last_commit: Arc::default(),
        }
    }

    /// The switch to set before a run's last commit, so that the merges that commit starts
    /// end in one segment where the bound allows.
    pub fn last_commit(&self) -> Arc<AtomicBool> {
        self.last_commit.clone()
    }

    /// All the segments as one, when they fit under the bound and those but the largest hold
    /// a sizeable share of the documents.
    fn merge_all(&self, segments: &[SegmentMeta]) -> Option<MergeCandidate> {
        let total: u64 = segments.iter().map(|s| u64::from(s.max_doc())).sum();
        let largest = segments.iter().map(|s| u64::from(s.max_doc())).max()?;
        let worth = (total - largest) as f64 >= NEW_SHARE_TO_MERGE_ALL * total as f64;
        (segments.len() >= 2 && total <= u64::from(self.max_docs) && worth)
            .then(|| MergeCandidate(segments.iter().map(|s| s.id()).collect()))
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        if self.last_commit.load(Ordering::Relaxed)
            && let Some(all) = self.merge_all(segments)
        {
            return vec![all];
        }
        let mut candidates = Vec::new();
        // Smallest first, so that segments of similar size merge together.
        let mut small: Vec<&SegmentMeta> = segments
            .iter()
            .filter(|s| s.max_doc() <= self.max_docs / 2)
            .collect();
        small.sort_by_key(|s| s.max_doc());
        let mut group: Vec<&SegmentMeta> = Vec::new();
        let mut total = 0;
        for segment in small {
            if total + segment.num_docs() > self.max_docs {
                candidates.extend(merge_of(&group));
                group.clear();
                total = 0;
            }
            group.push(segment);
            total += segment.num_docs();
        }
        candidates.extend(merge_of(&group));
        for segment in segments {
            let deleted = f64::from(segment.num_deleted_docs());
            if segment.max_doc() > self.max_docs / 2
                && deleted > DELETED_SHARE_TO_COMPACT * f64::from(segment.max_doc())
            {
                candidates.push(MergeCandidate(vec![segment.id()]));
            }
        }
        candidates
    }
}

/// The merge to make of a group of small segments (smallest first, under the bound): all of
/// them when they are many, else the tiny ones when there are two or more.
fn merge_of(group: &[&SegmentMeta]) -> Option<MergeCandidate> {
    if group.len() >= MIN_SEGMENTS_IN_MERGE {
        return Some(MergeCandidate(group.iter().map(|s| s.id()).collect()));
    }
    let mut total = 0;
    let tiny: Vec<_> = group
        .iter()
        .take_while(|s| {
            total += s.num_docs();
            total <= TINY_MERGE_DOCS
        })
        .map(|s| s.id())
        .collect();
    (tiny.len() >= 2).then_some(MergeCandidate(tiny))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::Index;
    use tantivy::index::SegmentId;
    use tantivy::schema::Schema;

    fn metas(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = Index::create_in_ram(Schema::builder().build());
        sizes
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn merged_sizes(policy: &BoundedMerges, segments: &[SegmentMeta]) -> Vec<u32> {
        let mut sizes: Vec<u32> = policy
            .compute_merge_candidates(segments)
            .iter()
            .map(|c| {
                c.0.iter()
                    .map(|id| segments.iter().find(|s| s.id() == *id).unwrap().max_doc())
                    .sum()
            })
            .collect();
        sizes.sort_unstable();
        sizes
    }

    #[test]
    fn merges_stay_under_the_bound() {
        let policy = bounded(1000);
        // Twenty segments of 100: two merges of ten, each exactly at the bound.
        let segments = metas(&[100; 20]);
        assert_eq!(merged_sizes(&policy, &segments), [1000, 1000]);
        // Large segments are never merged again, whatever their number.
        assert!(merged_sizes(&policy, &metas(&[900; 30])).is_empty());
    }

    #[test]
    fn a_few_small_segments_are_left_alone() {
        let policy = bounded(200_000);
        assert!(merged_sizes(&policy, &metas(&[60_000; 3])).is_empty());
        assert_eq!(merged_sizes(&policy, &metas(&[20_000; 8])), [160_000]);
    }

    #[test]
    fn tiny_segments_merge_at_once() {
        let policy = bounded(200_000);
        // Two updates of a few files beside two large segments: the tiny ones merge.
        assert_eq!(
            merged_sizes(&policy, &metas(&[90_000, 90_000, 12, 30])),
            [42]
        );
        assert!(merged_sizes(&policy, &metas(&[90_000, 12])).is_empty());
    }

    fn bounded(max_docs: u32) -> BoundedMerges {
        BoundedMerges {
            max_docs,
            last_commit: Arc::default(),
        }
    }

    #[test]
    fn the_last_commit_merges_all_that_fits_into_one() {
        let policy = bounded(200_000);
        let halves = metas(&[60_000, 55_000, 12]);
        assert!(merged_sizes(&policy, &halves).is_empty());
        policy.last_commit().store(true, Ordering::Relaxed);
        assert_eq!(merged_sizes(&policy, &halves), [115_012]);
        // Not past the bound, and not to add a few files to a large segment.
        assert!(merged_sizes(&policy, &metas(&[150_000, 60_000])).is_empty());
        assert!(merged_sizes(&policy, &metas(&[150_000, 3_000])).is_empty());
        assert!(merged_sizes(&policy, &metas(&[150_000])).is_empty());
    }

    #[test]
    fn budget_sets_the_bound() {
        let small = BoundedMerges::for_budget(100 << 20);
        let large = BoundedMerges::for_budget(1 << 30);
        assert!(small.max_docs < large.max_docs);
        assert!(small.max_docs > 10_000);
    }
}
