//! Scores and orders matches: coverage of the query's terms first, then the BM25 score
//! (with the document header's) times a small date factor, then a proximity factor for the
//! candidates shown. [`rank_order`] is the one order every sort uses.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::collect::{Match, held_by};
use super::query::Compiled;
use super::{Hit, Sort};
use crate::ingest::meta::Date;
use anyhow::Result;
use tantivy::Score;

/// How much a passage whose words stand together gains over one where they are scattered.
pub const PROXIMITY_WEIGHT: f32 = 0.5;
/// The most proximity multiplies a score by.
pub const MOST_PROXIMITY_FACTOR: f32 = 1.0 + PROXIMITY_WEIGHT;
/// Candidates re-ranked by proximity, as a multiple of the requested hits.
const RERANK_FACTOR: usize = 5;
const RERANK_MIN: usize = 50;
/// The most the index's newest document gains over its oldest or one of unknown date: a
/// tie-break among passages that are otherwise about as relevant.
const DATE_WEIGHT: f32 = 0.01;

/// How many of the best matches are loaded and re-ranked by proximity: more than are shown
/// when the query has several terms, whose proximity can reorder them.
pub fn window(limit: usize, terms: usize, sort: Sort) -> usize {
    if terms > 1 && sort == Sort::Relevance {
        limit.saturating_mul(RERANK_FACTOR).max(RERANK_MIN)
    } else {
        limit
    }
}

/// `m` as it would rank with the greatest proximity factor: no final score of it ranks
/// ahead of this.
pub fn at_best(m: &Match) -> Match {
    Match {
        // A score below 0 (none is, but nothing rests on it) is best unmultiplied.
        score: m.score.max(m.score * MOST_PROXIMITY_FACTOR),
        ..*m
    }
}

/// Orders the loaded hits, each match scored with its final score (proximity included, as
/// [`super::hits::load`] leaves it), in [`rank_order`].
pub fn sort_hits(ranked: &mut [(Match, Hit)], sort: Sort) {
    ranked.sort_by(|(a, _), (b, _)| rank_order(a, b, sort));
}

/// Counts, for each match, the query terms it holds; only an OR lets that number vary.
pub fn set_coverage(
    matches: &mut [Match],
    compiled: &Compiled,
    searcher: &tantivy::Searcher,
) -> Result<()> {
    let total = compiled.terms.len();
    if uniform_coverage(compiled).is_some() {
        // Set as they were collected.
        return Ok(());
    }
    let mut held = Vec::with_capacity(total);
    for q in &compiled.term_queries {
        held.push(held_by(searcher, q.as_ref(), matches)?);
    }
    for (m, at) in matches.iter_mut().zip(0..) {
        m.covered = held
            .iter()
            .enumerate()
            .filter(|(_, h)| h[at])
            .fold(0, |bits, (i, _)| bits | 1u64 << i.min(63));
        m.coverage = count(held.iter().filter(|h| h[at]).count());
    }
    Ok(())
}

/// The coverage every match has, when the query lets it vary not (anything but an OR of
/// several terms): set as matches are collected, not in a pass of its own.
pub fn uniform_coverage(compiled: &Compiled) -> Option<u8> {
    let total = compiled.terms.len();
    (!compiled.partial || total < 2).then(|| count(total))
}

/// A count of query terms as a match holds it (saturating: no query has 255 terms).
fn count(terms: usize) -> u8 {
    u8::try_from(terms).unwrap_or(u8::MAX)
}

/// The first `n` of `items` in `order` (a total order), sorted. One pass that compares most
/// items once, with the worst kept so far, instead of selecting among all of them: a query
/// matching most passages has hundreds of thousands.
pub fn first_in_order(
    items: impl Iterator<Item = usize>,
    n: usize,
    order: impl Fn(usize, usize) -> Ordering,
) -> Vec<usize> {
    // `n` is unbounded when every hit is asked for.
    let prune_at = n.saturating_mul(2);
    let mut kept = Vec::with_capacity(prune_at.min(1 << 12));
    let mut worst_kept = None;
    for item in items {
        if worst_kept.is_some_and(|w| order(item, w).is_ge()) {
            continue;
        }
        kept.push(item);
        if kept.len() == prune_at {
            kept.select_nth_unstable_by(n - 1, |&a, &b| order(a, b));
            kept.truncate(n);
            worst_kept = kept.iter().copied().max_by(|&a, &b| order(a, b));
        }
    }
    kept.sort_by(|&a, &b| order(a, b));
    kept.truncate(n);
    kept
}

/// The order of matches, before and after proximity re-ranking: a total order (the address breaks ties),
/// so the passage standing for a duplicate group does not depend on collection order.
pub fn rank_order(a: &Match, b: &Match, sort: Sort) -> Ordering {
    order_by_rank(a, b, sort).then(a.address.cmp(&b.address))
}

/// What [`rank_order`] reads of a match, which a match kept in brief (see
/// [`super::collect::Brief`]) has too.
pub struct RankKey {
    pub coverage: u8,
    pub heading_line: bool,
    pub located: bool,
    pub date: u32,
    pub doc_key: u64,
    pub ordinal: u32,
    pub score: Score,
    pub structure: u8,
}

/// A match [`order_by_rank`] orders.
pub trait Ranked {
    fn rank_key(&self) -> RankKey;
}

impl Ranked for Match {
    fn rank_key(&self) -> RankKey {
        RankKey {
            coverage: self.coverage,
            heading_line: self.heading_line,
            located: self.located,
            date: self.date,
            doc_key: self.doc_key,
            ordinal: self.ordinal,
            score: self.score,
            structure: self.structure,
        }
    }
}

/// [`rank_order`] up to its last tie-break, the place in the index, which the caller adds.
pub fn order_by_rank<T: Ranked>(a: &T, b: &T, sort: Sort) -> Ordering {
    let (a, b) = (a.rank_key(), b.rank_key());
    match sort {
        // Passages holding more terms; content before heading lines; passages the query
        // locates in their document (a law and its chapter or article) in the document's
        // order, newest version first; the others by score, then by how many terms stand in
        // their context. (Context ahead of score put any passage of a document whose title
        // holds a key word ahead of the passage holding them all: known-item MRR fell.)
        Sort::Relevance => b
            .coverage
            .cmp(&a.coverage)
            .then(a.heading_line.cmp(&b.heading_line))
            .then(b.located.cmp(&a.located))
            .then_with(|| {
                if a.located {
                    b.date
                        .cmp(&a.date)
                        .then(a.doc_key.cmp(&b.doc_key))
                        .then(a.ordinal.cmp(&b.ordinal))
                } else {
                    b.score
                        .total_cmp(&a.score)
                        .then(b.structure.cmp(&a.structure))
                        .then(b.date.cmp(&a.date))
                }
            }),
        // Unknown dates are 0, so they come last.
        Sort::Date => b.date.cmp(&a.date).then(b.score.total_cmp(&a.score)),
    }
}

/// Hashes duplicate keys, which are hashes already, with one multiplication instead of SipHash
/// (a query can collect hundreds of thousands of them).
pub type KeyHash = std::hash::BuildHasherDefault<KeyHasher>;

#[derive(Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The months the date tie-break runs over: from the index's earliest document date to its
/// latest, so that it tells documents apart wherever their dates lie.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateSpan {
    first: u64,
    last: u64,
}

impl DateSpan {
    /// The span of `range`, the index's earliest and latest date (ISO 8601).
    pub fn of(range: Option<&(String, String)>) -> DateSpan {
        let month = |iso: &str| Date::from_iso(iso).map(months);
        match range.and_then(|(a, b)| month(a).zip(month(b))) {
            Some((first, last)) => DateSpan { first, last },
            // An index written before its dates were summed up: the span of modern Chinese
            // law until its next commit.
            None => DateSpan {
                first: 1949 * 12,
                last: 2030 * 12,
            },
        }
    }

    /// 1 for an unknown date and the earliest, rising linearly to 1 + [`DATE_WEIGHT`] at the
    /// latest.
    pub fn factor(self, date: u64) -> f32 {
        let Some(d) = Date::from_number(date) else {
            return 1.0;
        };
        let span = self.last.saturating_sub(self.first).max(1);
        let t = months(d).saturating_sub(self.first).min(span) as f32 / span as f32;
        1.0 + DATE_WEIGHT * t
    }
}

/// Months since year 0; a year alone (month 0) counts as its January.
fn months(d: Date) -> u64 {
    u64::from(d.year) * 12 + u64::from(d.month.max(1)) - 1
}

/// 1.0 when the terms found (spans labelled with the term, sorted) stand side by side,
/// falling towards 0 as the shortest stretch of text holding all of them grows; 0 when fewer
/// than two terms are found.
pub fn proximity(spans: &[(usize, usize, usize)], terms: usize) -> f32 {
    let mut shortest: HashMap<usize, usize> = HashMap::new();
    for &(s, e, t) in spans {
        let len = shortest.entry(t).or_insert(e - s);
        *len = (*len).min(e - s);
    }
    let wanted = shortest.len();
    if wanted < 2 {
        return 0.0;
    }
    let needed: usize = shortest.values().sum();
    let mut best: Option<usize> = None;
    let mut count = vec![0usize; terms.max(spans.iter().map(|s| s.2 + 1).max().unwrap_or(0))];
    let mut covered = 0;
    let mut left = 0;
    // Sliding window over spans sorted by start.
    for right in 0..spans.len() {
        let n = spans[right].2;
        count[n] += 1;
        if count[n] == 1 {
            covered += 1;
        }
        while covered == wanted {
            let end = spans[left..=right].iter().map(|s| s.1).max().unwrap_or(0);
            let width = end - spans[left].0;
            best = Some(best.map_or(width, |b| b.min(width)));
            let m = spans[left].2;
            count[m] -= 1;
            if count[m] == 0 {
                covered -= 1;
            }
            left += 1;
        }
    }
    best.map_or(0.0, |w| (needed as f32 / w.max(1) as f32).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::hits::occurrences;

    #[test]
    fn first_in_order_equals_sorting_everything() {
        // Scores with many ties, broken by the item itself, as addresses break them.
        let scores: Vec<u64> = (0..5000u64).map(|i| (i * 7919) % 613).collect();
        let order = |a: usize, b: usize| scores[b].cmp(&scores[a]).then(a.cmp(&b));
        let mut all: Vec<usize> = (0..scores.len()).collect();
        all.sort_by(|&a, &b| order(a, b));
        for n in [1, 2, 10, 613, 2499, 2500, 4999, 5000, 9000, usize::MAX] {
            let first = first_in_order(0..scores.len(), n, order);
            assert_eq!(first, all[..n.min(all.len())], "n = {n}");
        }
        assert!(first_in_order(std::iter::empty(), 10, order).is_empty());
    }

    #[test]
    fn proximity_prefers_adjacent_words() {
        let needles = ["贸易".to_string(), "组织".to_string()];
        let near = proximity(&occurrences("贸易组织", &needles), 2);
        let far = proximity(&occurrences("贸易和其他许多国际组织", &needles), 2);
        assert_eq!(near, 1.0);
        assert!(far < near && far > 0.0, "{far}");
        assert_eq!(proximity(&occurrences("只有贸易", &needles), 2), 0.0);
    }

    #[test]
    fn proximity_counts_the_terms_present() {
        // Terms 0 and 2 found side by side, term 1 absent: still adjacent.
        let spans = [(0, 6, 0), (6, 12, 2)];
        assert_eq!(proximity(&spans, 3), 1.0);
    }

    #[test]
    fn newer_dates_gain_a_little_over_the_index_own_span() {
        let range = ("1954-09-20".to_string(), "2035-06-01".to_string());
        let span = DateSpan::of(Some(&range));
        assert_eq!(span.factor(0), 1.0);
        assert_eq!(span.factor(19540920), 1.0);
        let (mid, new) = (span.factor(20240305), span.factor(20350601));
        assert!(1.0 < mid && mid < new, "{mid} {new}");
        assert_eq!(new, 1.0 + DATE_WEIGHT);
        // Documents after a fixed 2030 horizon are still told apart.
        assert!(span.factor(20310101) < span.factor(20340101));
        // An index of a few years spreads the whole weight over them.
        let recent = DateSpan::of(Some(&("2020-01-01".to_string(), "2022-01-01".to_string())));
        assert_eq!(recent.factor(20210101), 1.0 + DATE_WEIGHT / 2.0);
        let unknown = DateSpan::of(None);
        assert!(unknown.factor(19490101) < unknown.factor(20290101));
    }
}
