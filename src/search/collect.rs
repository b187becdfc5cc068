//! Gathering matches: every passage a query matches, scored, with what ranking and collapsing
//! need (duplicate key, document key, date), approximate matches checked against their stored
//! text; and the document headers that match, whose scores their passages add.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use super::hits::StoredCache;
use super::memory;
use super::query::Compiled;
use super::rank::{DateSpan, KeyHash};
use crate::index::names;

/// Every match of the compiled query; where the query only approximates the words, those
/// whose stored text and metadata satisfy it.
pub fn matches(
    searcher: &tantivy::Searcher,
    compiled: &Compiled,
    stored: &mut StoredCache,
    headers: &Headers,
    dates: DateSpan,
) -> Result<Vec<Match>> {
    let all = AllMatches {
        passages: usize::try_from(searcher.num_docs()).unwrap_or(0),
        coverage: super::rank::uniform_coverage(compiled),
        scoring: Arc::new(Scoring {
            headers: headers.iter().map(|(&key, h)| (key, h.score)).collect(),
            dates,
        }),
        split_cost: SPLIT_COST,
    };
    let matches = all.search(searcher, compiled.query.as_ref())?;
    if !compiled.verify {
        return Ok(matches);
    }
    stored.prefetch(matches.iter().map(|m| m.address))?;
    let mut kept = Vec::with_capacity(matches.len());
    for m in matches {
        if super::hits::satisfies(&stored.get(m.address)?, compiled) {
            kept.push(m);
        }
    }
    Ok(kept)
}

/// For each match, whether `query` matches its passage too. The query's passages are sought
/// match by match, in index order, rather than all collected: a heading word such as 责任
/// stands in the heading path of thousands of passages, and a query's matches are fewer.
pub fn held_by(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    matches: &[Match],
) -> Result<Vec<bool>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut order: Vec<usize> = (0..matches.len()).collect();
    if !matches.is_sorted_by_key(|m| m.address) {
        order.sort_unstable_by_key(|&i| matches[i].address);
    }
    let mut held = vec![false; matches.len()];
    let mut scorer: Option<(SegmentOrdinal, Box<dyn tantivy::query::Scorer>)> = None;
    for i in order {
        let DocAddress {
            segment_ord,
            doc_id,
        } = matches[i].address;
        let segment = match &mut scorer {
            Some((ord, s)) if *ord == segment_ord => s,
            _ => {
                let reader = searcher.segment_reader(segment_ord);
                &mut scorer.insert((segment_ord, weight.scorer(reader, 1.0)?)).1
            }
        };
        let mut doc = segment.doc();
        if doc < doc_id {
            doc = segment.seek(doc_id);
        }
        held[i] = doc == doc_id;
    }
    Ok(held)
}

/// The header hit of each document, by its key.
pub type Headers = HashMap<u64, HeaderHit, KeyHash>;

/// The document headers the query's header clauses match, by document key.
pub fn headers(searcher: &tantivy::Searcher, compiled: &Compiled) -> Result<Headers> {
    Ok(match &compiled.header_query {
        Some(q) => searcher
            .search(q.as_ref(), &HeaderHits)?
            .into_iter()
            .map(|h| (h.key, h))
            .collect(),
        None => HashMap::default(),
    })
}

/// One matching passage before it is loaded.
#[derive(Debug, Clone, Copy)]
pub struct Match {
    /// Tantivy's score, then multiplied by the date factor.
    pub score: Score,
    /// Tantivy's score.
    pub bm25: Score,
    /// The date tie-break's factor in `score`.
    pub date_factor: Score,
    pub address: DocAddress,
    pub dup_key: u64,
    /// The passage's document (see [`crate::index::document::doc_key`]).
    pub doc_key: u64,
    /// Document date, yyyymmdd; 0 when unknown. (The fields are no wider than their values
    /// need: a query matching most passages holds hundreds of thousands of matches.)
    pub date: u32,
    /// How many of the query's terms the passage holds.
    pub coverage: u8,
    /// Which of the query's terms (bit i for term i) the passage holds.
    pub covered: u64,
    /// The document's short title hashed (see [`crate::ingest::meta::title_key`]).
    pub title_key: u64,
    /// Whether the passage is a heading line.
    pub heading_line: bool,
    /// The passage's place in its document.
    pub ordinal: u32,
    /// How many of the query's terms stand in the passage's context or name it (see
    /// [`super::structure`]); 0 when the query is not matched in context.
    pub structure: u8,
    /// Whether the query names the passage's document and a place in it (a chapter, an
    /// article): such passages are read in the document's order.
    pub located: bool,
}

#[cfg(test)]
impl Match {
    /// A match of the first segment holding every term, by its place, keys and score.
    pub fn at(doc: DocId, doc_key: u64, dup_key: u64, score: Score) -> Match {
        Match {
            score,
            bm25: score,
            date_factor: 1.0,
            address: DocAddress::new(0, doc),
            dup_key,
            doc_key,
            date: 0,
            coverage: 1,
            covered: 1,
            title_key: 0,
            heading_line: false,
            ordinal: 0,
            structure: 0,
            located: false,
        }
    }
}

/// Collects every match with its score and duplicate key: a query's matches must all be
/// seen to collapse duplicates and count distinct hits.
pub struct AllMatches {
    /// Documents in the index: one vector is reserved for all of them and every segment's
    /// matches are written into it in turn (address space only: memory is taken as matches
    /// fill it).
    passages: usize,
    /// The coverage of every match, when it cannot vary (see [`super::rank::set_coverage`]).
    coverage: Option<u8>,
    scoring: Arc<Scoring>,
    /// See [`SPLIT_COST`].
    split_cost: u64,
}

/// The cost (Tantivy's estimate, in documents a term query would read) past which a segment
/// is collected in two halves of its documents, one per thread: a query matching most
/// passages spends its time reading each match's columns, and a phrase of common words its
/// positions, both of which split evenly; below this, a thread and a second scorer cost more
/// than they save.
const SPLIT_COST: u64 = 1 << 14;

/// What a match's score adds to Tantivy's: its document header's score (title, document key
/// phrases), then the date tie-break's factor.
struct Scoring {
    headers: HashMap<u64, Score, KeyHash>,
    dates: DateSpan,
}

/// What a document's passages share, read once per run of them: a document's passages
/// follow one another in a segment.
#[derive(Clone, Copy)]
struct DocumentValues {
    key: u64,
    header: Option<Score>,
    date: u32,
    date_factor: Score,
    title_key: u64,
}

impl AllMatches {
    /// The query's matches in every segment, in one vector: a query matching most passages
    /// collects megabytes of them, which a vector per segment would copy once more.
    fn search(&self, searcher: &tantivy::Searcher, query: &dyn Query) -> Result<Vec<Match>> {
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let weight = weight.as_ref();
        // Asked only when a segment is worth splitting: it reads the process's cgroup files.
        let two_threads = std::cell::OnceCell::new();
        let two_threads = || {
            *two_threads
                .get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
        };
        let mut matches = memory::reserved(self.passages);
        let mut mapped = 0;
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            let segment = segment as SegmentOrdinal;
            let mut scorer = weight.scorer(reader, 1.0)?;
            let middle = match scorer.cost() >= self.split_cost && two_threads() {
                true => reader.max_doc() / 2,
                false => TERMINATED,
            };
            let mut first = self.for_segment(segment, reader, matches, mapped)?;
            let split = middle != TERMINATED;
            let (second, ()) = super::both(
                split,
                || {
                    split
                        .then(|| self.second_half(weight, segment, reader, middle))
                        .transpose()
                },
                || first.run(scorer.as_mut(), reader, middle),
            );
            (matches, mapped) = (first.matches, first.mapped);
            if let Some(second) = second? {
                memory::map_ahead(&mut matches, second.len());
                mapped = matches.len() + second.len();
                matches.extend(second);
            }
        }
        Ok(matches)
    }

    /// The matches of the segment's documents from `middle` on, with a scorer of their own.
    fn second_half(
        &self,
        weight: &dyn tantivy::query::Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
        middle: DocId,
    ) -> tantivy::Result<Vec<Match>> {
        let mut scorer = weight.scorer(reader, 1.0)?;
        scorer.seek(middle);
        let room = memory::reserved((reader.max_doc() - middle) as usize);
        let mut second = self.for_segment(segment, reader, room, 0)?;
        second.run(scorer.as_mut(), reader, TERMINATED);
        Ok(second.matches)
    }

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
        matches: Vec<Match>,
        mapped: usize,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            dup_keys: reader.fast_fields().u64(names::dup_key)?,
            doc_keys: reader.fast_fields().u64(names::doc_key)?,
            dates: reader.fast_fields().u64(names::date)?,
            title_keys: reader.fast_fields().u64(names::title_key)?,
            heading_lines: reader.fast_fields().u64(names::heading_line)?,
            ordinals: reader.fast_fields().u64(names::ordinal)?,
            coverage: self.coverage,
            scoring: self.scoring.clone(),
            document: None,
            mapped,
            matches,
        })
    }
}

/// The segments' results in one vector, grown from the first.
fn concatenated<T>(parts: Vec<Vec<T>>) -> Vec<T> {
    let mut parts = parts.into_iter();
    let mut all = parts.next().unwrap_or_default();
    for part in parts {
        all.extend(part);
    }
    all
}

/// A date (yyyymmdd) or an ordinal, which fit in 32 bits; anything larger saturates.
fn narrow(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

pub struct SegmentMatches {
    segment: SegmentOrdinal,
    dup_keys: Column<u64>,
    doc_keys: Column<u64>,
    dates: Column<u64>,
    title_keys: Column<u64>,
    heading_lines: Column<u64>,
    ordinals: Column<u64>,
    coverage: Option<u8>,
    scoring: Arc<Scoring>,
    /// The values of the document of the last match.
    document: Option<DocumentValues>,
    /// How many matches the vector's mapped memory holds.
    mapped: usize,
    matches: Vec<Match>,
}

impl SegmentMatches {
    /// The values of the document `key`, which `doc` is a passage of.
    fn document(&mut self, doc: DocId, key: u64) -> DocumentValues {
        if let Some(values) = self.document.filter(|d| d.key == key) {
            return values;
        }
        let date = narrow(self.dates.first(doc).unwrap_or(0));
        let values = DocumentValues {
            key,
            header: self.scoring.headers.get(&key).copied(),
            date,
            date_factor: self.scoring.dates.factor(date.into()),
            title_key: self.title_keys.first(doc).unwrap_or(0),
        };
        self.document = Some(values);
        values
    }
}

impl SegmentMatches {
    /// Collects the scorer's live documents from where it stands, up to `end`.
    fn run(&mut self, scorer: &mut dyn tantivy::query::Scorer, reader: &SegmentReader, end: DocId) {
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc < end {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                self.collect(doc, scorer.score());
            }
            doc = scorer.advance();
        }
    }

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.matches.len() == self.mapped {
            // Twice as many as so far (a few pages at first): what is mapped ahead and not
            // written is at most what was.
            let ahead = self.matches.len().max(64);
            memory::map_ahead(&mut self.matches, ahead);
            self.mapped += ahead;
        }
        let doc_key = self.doc_keys.first(doc).unwrap_or(0);
        let document = self.document(doc, doc_key);
        let mut bm25 = score;
        if let Some(header) = document.header {
            bm25 += header;
        }
        self.matches.push(Match {
            score: bm25 * document.date_factor,
            bm25,
            date_factor: document.date_factor,
            address: DocAddress::new(self.segment, doc),
            dup_key: self.dup_keys.first(doc).unwrap_or(u64::from(doc)),
            doc_key,
            date: document.date,
            coverage: self.coverage.unwrap_or(0),
            covered: match self.coverage {
                Some(_) => u64::MAX,
                None => 0,
            },
            title_key: document.title_key,
            heading_line: self.heading_lines.first(doc) == Some(1),
            ordinal: narrow(self.ordinals.first(doc).unwrap_or(0)),
            structure: 0,
            located: false,
        });
    }
}

/// A document header that matched, with its key and score.
#[derive(Debug, Clone, Copy)]
pub struct HeaderHit {
    pub key: u64,
    pub score: Score,
    pub address: DocAddress,
}

/// Collects the document headers a query matches.
pub struct HeaderHits;

impl Collector for HeaderHits {
    type Fruit = Vec<HeaderHit>;
    type Child = SegmentHeaderHits;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHeaderHits> {
        Ok(SegmentHeaderHits {
            segment,
            keys: reader.fast_fields().u64(names::header_key)?,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<HeaderHit>>) -> tantivy::Result<Vec<HeaderHit>> {
        Ok(concatenated(fruits))
    }
}

pub struct SegmentHeaderHits {
    segment: SegmentOrdinal,
    keys: Column<u64>,
    hits: Vec<HeaderHit>,
}

impl SegmentCollector for SegmentHeaderHits {
    type Fruit = Vec<HeaderHit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(key) = self.keys.first(doc) {
            self.hits.push(HeaderHit {
                key,
                score,
                address: DocAddress::new(self.segment, doc),
            });
        }
    }

    fn harvest(self) -> Vec<HeaderHit> {
        self.hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{TantivyDocument, Term};

    /// Collected in two halves on two threads or in one pass, a segment gives the same
    /// matches in the same order, deleted passages left out both ways.
    #[test]
    fn halves_collect_what_one_pass_does() {
        let dir = tempfile::TempDir::new().unwrap();
        let store = crate::index::Store::open_or_create(dir.path()).unwrap();
        let f = store.fields;
        let mut writer: tantivy::IndexWriter = store.index.writer(15_000_000).unwrap();
        for i in 0..3000u64 {
            let text = format!(
                "{}数据安全{}",
                "保护".repeat((i % 7) as usize),
                "数据".repeat((i % 3) as usize)
            );
            let mut d = TantivyDocument::new();
            d.add_text(f.text, &text);
            d.add_text(f.grams, &text);
            d.add_text(f.words, "数据 安全");
            for (field, value) in [
                (f.doc_key, i / 10),
                (f.dup_key, i % 500),
                (f.date, 20_200_101 + i % 28),
                (f.title_key, i / 10),
                (f.heading_line, u64::from(i % 11 == 0)),
                (f.ordinal, i % 10),
            ] {
                d.add_u64(field, value);
            }
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        // Deleted: the passages of documents 7, 149 and 299 (149 ends at the middle).
        for doc in [7u64, 149, 299] {
            writer.delete_term(Term::from_field_u64(f.doc_key, doc));
        }
        writer.commit().unwrap();
        let searcher = store.index.reader().unwrap().searcher();
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            ))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(f.grams, "数据")),
            (Occur::Should, term(f.grams, "保护")),
        ]);
        let collect = |split_cost| {
            let all = AllMatches {
                passages: searcher.num_docs() as usize,
                coverage: None,
                scoring: Arc::new(Scoring {
                    headers: HashMap::default(),
                    dates: DateSpan::of(None),
                }),
                split_cost,
            };
            all.search(&searcher, &query).unwrap()
        };
        let key = |m: &Match| {
            (
                m.address,
                m.score.to_bits(),
                m.dup_key,
                m.doc_key,
                m.ordinal,
            )
        };
        let whole: Vec<_> = collect(u64::MAX).iter().map(key).collect();
        let halves: Vec<_> = collect(0).iter().map(key).collect();
        assert_eq!(whole.len(), 3000 - 30);
        assert_eq!(whole, halves);

        // Whether another query holds each match, sought match by match (in index order and
        // out of it), is what collecting that query's passages says.
        let other = term(f.grams, "保护");
        let all = searcher
            .search(other.as_ref(), &tantivy::collector::DocSetCollector)
            .unwrap();
        let mut matches = collect(u64::MAX);
        for shuffled in [false, true] {
            if shuffled {
                matches.reverse();
                matches.swap(3, 1000);
            }
            let held = held_by(&searcher, other.as_ref(), &matches).unwrap();
            let expected: Vec<bool> = matches.iter().map(|m| all.contains(&m.address)).collect();
            assert_eq!(held, expected);
            assert!(held.iter().any(|&h| h) && held.iter().any(|&h| !h));
        }

        // Passages loaded ahead on two threads are those loaded one by one.
        let addresses: Vec<DocAddress> = collect(u64::MAX).iter().map(|m| m.address).collect();
        let mut ahead = StoredCache::new(&searcher, &f);
        ahead
            .prefetch(addresses.iter().rev().step_by(7).copied())
            .unwrap();
        let mut one_by_one = StoredCache::new(&searcher, &f);
        for &a in &addresses {
            assert_eq!(ahead.get(a).unwrap().text, one_by_one.get(a).unwrap().text);
        }
    }
}
