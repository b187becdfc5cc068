//! Gathering matches: every passage a query matches, scored, with what ranking and collapsing
//! need (duplicate key, document key, date), approximate matches checked against their stored
//! text; and the document headers that match, whose scores their passages add.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use super::Sort;
use super::hits::StoredCache;
use super::memory;
use super::query::Compiled;
use super::rank::{DateSpan, KeyHash, order_by_rank, rank_order};
use crate::index::names;

/// A query's matches: whole, or in brief when they are many and nothing but the best few
/// and the counts are asked of them (see [`Brief`]).
pub enum Collected {
    Whole(Vec<Match>),
    Brief(Briefs),
}

/// Every match of the compiled query; where the query only approximates the words, those
/// whose stored text and metadata satisfy it. In brief if `brief` allows it (the results ask
/// only for the best hits and the counts), the query's matches need no more than a brief
/// holds (no check against the stored text, no coverage or context to find match by match),
/// and they are many.
pub fn matches(
    searcher: &tantivy::Searcher,
    compiled: &Compiled,
    stored: &mut StoredCache,
    headers: &Headers,
    dates: DateSpan,
    brief: bool,
) -> Result<Collected> {
    let all = AllMatches {
        passages: usize::try_from(searcher.num_docs()).unwrap_or(0),
        coverage: super::rank::uniform_coverage(compiled),
        scoring: Arc::new(Scoring {
            headers: headers.iter().map(|(&key, h)| (key, h.score)).collect(),
            dates,
        }),
        split_cost: SPLIT_COST,
    };
    let brief = brief && !compiled.verify && all.coverage.is_some() && compiled.context.is_none();
    all.collect(searcher, compiled, stored, brief.then_some(BRIEF_COST))
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
    /// The query's matches, in brief when Tantivy estimates the query's work at
    /// `brief_cost` documents or more; whole matches checked against their stored text where
    /// the query only approximates the words.
    fn collect(
        self,
        searcher: &tantivy::Searcher,
        compiled: &Compiled,
        stored: &mut StoredCache,
        brief_cost: Option<u64>,
    ) -> Result<Collected> {
        let weight = compiled
            .query
            .weight(EnableScoring::enabled_from_searcher(searcher))?;
        let scorers = searcher
            .segment_readers()
            .iter()
            .map(|reader| weight.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let cost: u64 = scorers.iter().map(|s| s.cost()).sum();
        if brief_cost.is_some_and(|least| cost >= least) {
            let briefs = self.search::<Brief>(searcher, weight.as_ref(), scorers)?;
            return Ok(Collected::Brief(Briefs::of(briefs, self)));
        }
        let matches = self
            .search::<Match>(searcher, weight.as_ref(), scorers)?
            .items();
        if !compiled.verify {
            return Ok(Collected::Whole(matches));
        }
        stored.prefetch(matches.iter().map(|m| m.address))?;
        let mut kept = Vec::with_capacity(matches.len());
        for m in matches {
            if super::hits::satisfies(&stored.get(m.address)?, compiled) {
                kept.push(m);
            }
        }
        Ok(Collected::Whole(kept))
    }

    /// The query's matches in every segment (each with its scorer), in one vector: a query
    /// matching most passages collects megabytes of them, which a vector per segment would
    /// copy once more.
    fn search<R: Record>(
        &self,
        searcher: &tantivy::Searcher,
        weight: &dyn tantivy::query::Weight,
        scorers: Vec<Box<dyn tantivy::query::Scorer>>,
    ) -> Result<Collection<R>> {
        // Asked only when a segment is worth splitting: it reads the process's cgroup files.
        let two_threads = std::cell::OnceCell::new();
        let two_threads = || {
            *two_threads
                .get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
        };
        let mut all = Collection { parts: Vec::new() };
        // Whole matches go into one vector across segments, mapped ahead as it fills;
        // briefs into a vector per part, none copied into another (see [`Record::IN_PARTS`]).
        let mut mapped = 0;
        let segments = searcher.segment_readers().iter().zip(scorers);
        for (segment, (reader, mut scorer)) in (0..).zip(segments) {
            let middle = match scorer.cost() >= self.split_cost && two_threads() {
                true => reader.max_doc() / 2,
                false => TERMINATED,
            };
            // Whole matches go on in the vector so far; briefs start a part of their own.
            let so_far = match R::IN_PARTS {
                true => None,
                false => all.parts.pop(),
            };
            let (items, mut runs) = match so_far {
                Some(part) => (part.items, part.runs),
                None => {
                    mapped = 0;
                    let room = match R::IN_PARTS {
                        true => middle.min(reader.max_doc()) as usize,
                        false => self.passages,
                    };
                    (Vec::with_capacity(room), Vec::new())
                }
            };
            let mut first = self.for_segment(segment, reader, items, mapped)?;
            let split = middle != TERMINATED;
            let (second, ()) = super::both(
                split,
                || {
                    split
                        .then(|| self.second_half::<R>(weight, segment, reader, middle))
                        .transpose()
                },
                || first.run(scorer.as_mut(), reader, middle),
            );
            mapped = first.mapped;
            runs.append(&mut first.runs);
            all.parts.push(Part {
                segment,
                items: first.matches,
                runs,
            });
            let Some(second) = second? else {
                continue;
            };
            match all.parts.last_mut() {
                Some(part) if !R::IN_PARTS => {
                    let offset = part.items.len();
                    memory::map_ahead(&mut part.items, second.matches.len());
                    mapped = offset + second.matches.len();
                    part.items.extend(second.matches);
                    let runs = second.runs.iter().map(|&(key, at)| (key, at + offset));
                    part.runs.extend(runs);
                }
                _ => all.parts.push(Part {
                    segment,
                    items: second.matches,
                    runs: second.runs,
                }),
            }
        }
        Ok(all)
    }

    /// The matches of the segment's documents from `middle` on, with a scorer of their own.
    fn second_half<R: Record>(
        &self,
        weight: &dyn tantivy::query::Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
        middle: DocId,
    ) -> tantivy::Result<SegmentMatches<R>> {
        let mut scorer = weight.scorer(reader, 1.0)?;
        scorer.seek(middle);
        let room = Vec::with_capacity((reader.max_doc() - middle) as usize);
        let mut second = self.for_segment(segment, reader, room, 0)?;
        second.run(scorer.as_mut(), reader, TERMINATED);
        Ok(second)
    }

    fn for_segment<R: Record>(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
        matches: Vec<R>,
        mapped: usize,
    ) -> tantivy::Result<SegmentMatches<R>> {
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
            runs: Vec::new(),
            mapped,
            matches,
        })
    }
}

/// What [`AllMatches::search`] gathers from all segments: the items in index order, in
/// parts: one part of whole matches, or a part of briefs per segment or half of one.
struct Collection<R> {
    parts: Vec<Part<R>>,
}

/// Items of one segment (briefs) or of all (whole matches).
struct Part<R> {
    segment: SegmentOrdinal,
    items: Vec<R>,
    /// The runs of items of one document: its key, and where the run starts in `items`.
    runs: Vec<(u64, usize)>,
}

impl Collection<Match> {
    fn items(self) -> Vec<Match> {
        self.parts
            .into_iter()
            .next()
            .map(|part| part.items)
            .unwrap_or_default()
    }
}

/// The estimated work (see [`SPLIT_COST`]) past which matches are kept in brief, where the
/// results allow it: below it, the third of their memory saved costs more than making the
/// shown ones whole again.
const BRIEF_COST: u64 = 1 << 15;

/// A match in brief: what ranking, collapsing and counting read of it, 24 bytes where a
/// [`Match`] takes 64. 的 on four copies of the bench matches 730,000 passages: whole, they
/// filled 47 MB of fresh memory, whose first touch cost a quarter of that query. The few
/// shown are made whole again (see [`Briefs::whole_at`]); a brief's place in its [`Briefs`] is
/// its place in the index.
#[derive(Debug, Clone, Copy)]
pub struct Brief {
    pub dup_key: u64,
    /// As [`Match::score`].
    score: Score,
    /// Tantivy's score, which the whole match is made from again.
    tantivy: Score,
    date: u32,
    /// The passage's id in its segment, with [`HEADING_LINE`] set for a heading line.
    doc: u32,
}

/// The bit of [`Brief::doc`] marking a heading line: Tantivy's document ids are below 2³¹.
const HEADING_LINE: u32 = 1 << 31;

impl super::rank::Ranked for Brief {
    /// Briefs are kept only where every match holds the same terms and none is matched in
    /// context (see [`super::structure`]): coverage and structure are alike, and a brief
    /// locates nothing, so its document and place are never read.
    fn rank_key(&self) -> super::rank::RankKey {
        super::rank::RankKey {
            coverage: 0,
            heading_line: self.doc & HEADING_LINE != 0,
            located: false,
            date: self.date,
            doc_key: 0,
            ordinal: 0,
            score: self.score,
            structure: 0,
        }
    }
}

/// A query's matches in brief, in index order, in parts (see [`Collection::parts`]). A
/// brief is found at a position: its part's index in the high 32 bits, its index in the
/// part in the low ones, so that positions are in index order too. As [`Matches`], briefs
/// are numbered from 0 across the parts.
pub struct Briefs {
    parts: Vec<Part<Brief>>,
    /// How many briefs the parts before each part hold.
    before: Vec<usize>,
    /// Documents holding a match.
    pub documents: usize,
    /// How the whole matches are made.
    all: AllMatches,
}

impl Briefs {
    fn of(collection: Collection<Brief>, all: AllMatches) -> Briefs {
        let parts = collection.parts;
        let mut documents: Vec<u64> = parts
            .iter()
            .flat_map(|p| p.runs.iter().map(|&(key, _)| key))
            .collect();
        documents.sort_unstable();
        documents.dedup();
        let before = parts
            .iter()
            .scan(0, |n, p| {
                let at = *n;
                *n += p.items.len();
                Some(at)
            })
            .collect();
        Briefs {
            parts,
            before,
            documents: documents.len(),
            all,
        }
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.items.len()).sum()
    }

    /// The position of the brief numbered `i`.
    fn position(&self, i: usize) -> usize {
        let part = self.before.partition_point(|&n| n <= i) - 1;
        (part << 32) | (i - self.before[part])
    }

    /// Every brief's position, in index order.
    pub fn positions(&self) -> impl Iterator<Item = usize> + Clone + '_ {
        self.keyed().map(|(at, _)| at)
    }

    /// Every brief's position and duplicate key, in index order.
    pub fn keyed(&self) -> impl Iterator<Item = (usize, u64)> + Clone + '_ {
        self.parts.iter().enumerate().flat_map(|(part, p)| {
            (0..)
                .zip(&p.items)
                .map(move |(i, b)| ((part << 32) | i, b.dup_key))
        })
    }

    pub fn get(&self, position: usize) -> &Brief {
        &self.parts[position >> 32].items[position & 0xFFFF_FFFF]
    }

    /// The whole matches of the briefs at `positions`, as collecting them whole gives them.
    pub fn whole_at(
        &self,
        searcher: &tantivy::Searcher,
        positions: &[usize],
    ) -> Result<Vec<Match>> {
        let mut segments: HashMap<SegmentOrdinal, SegmentMatches<Match>> = HashMap::new();
        let mut whole = Vec::with_capacity(positions.len());
        for &at in positions {
            let brief = *self.get(at);
            let segment = self.parts[at >> 32].segment;
            let matches = match segments.entry(segment) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let reader = searcher.segment_reader(segment);
                    e.insert(self.all.for_segment(segment, reader, Vec::new(), 0)?)
                }
            };
            let m = matches.whole(brief.doc & !HEADING_LINE, brief.tantivy);
            debug_assert_eq!(m.score.to_bits(), brief.score.to_bits());
            whole.push(m);
        }
        Ok(whole)
    }
}

/// A query's matches as counting them by document and value reads them (`--count-by`,
/// `--files`): whole, or in brief; numbered from 0 in index order.
pub trait Matches {
    fn len(&self) -> usize;
    /// Every match's duplicate key, in index order.
    fn dup_keys(&self) -> impl Iterator<Item = u64> + Clone + '_;
    /// The runs of matches of one document, in index order: its key, and how many.
    fn runs(&self) -> impl Iterator<Item = (u64, usize)> + '_;
    fn dup_key(&self, i: usize) -> u64;
    fn address(&self, i: usize) -> DocAddress;
    /// The document's date, yyyymmdd; 0 when unknown.
    fn date(&self, i: usize) -> u32;
    /// Matches `a` and `b` in rank order (see [`super::rank::rank_order`]).
    fn order(&self, a: usize, b: usize, sort: Sort) -> Ordering;
    /// The first in rank order of the matches numbered `run`, a run of one document's.
    fn best_of(&self, run: Range<usize>, sort: Sort) -> usize;
    /// The whole matches numbered `numbers`.
    fn whole(&self, searcher: &tantivy::Searcher, numbers: &[usize]) -> Result<Vec<Match>>;
}

impl Matches for [Match] {
    fn len(&self) -> usize {
        <[Match]>::len(self)
    }

    fn dup_keys(&self) -> impl Iterator<Item = u64> + Clone + '_ {
        self.iter().map(|m| m.dup_key)
    }

    fn runs(&self) -> impl Iterator<Item = (u64, usize)> + '_ {
        self.chunk_by(|a, b| a.doc_key == b.doc_key)
            .map(|run| (run[0].doc_key, run.len()))
    }

    fn dup_key(&self, i: usize) -> u64 {
        self[i].dup_key
    }

    fn address(&self, i: usize) -> DocAddress {
        self[i].address
    }

    fn date(&self, i: usize) -> u32 {
        self[i].date
    }

    fn order(&self, a: usize, b: usize, sort: Sort) -> Ordering {
        rank_order(&self[a], &self[b], sort)
    }

    fn best_of(&self, run: Range<usize>, sort: Sort) -> usize {
        let first = run.start;
        run.fold(first, |b, i| match self.order(i, b, sort).is_lt() {
            true => i,
            false => b,
        })
    }

    fn whole(&self, _: &tantivy::Searcher, numbers: &[usize]) -> Result<Vec<Match>> {
        Ok(numbers.iter().map(|&i| self[i]).collect())
    }
}

impl Matches for Briefs {
    fn len(&self) -> usize {
        Briefs::len(self)
    }

    fn dup_keys(&self) -> impl Iterator<Item = u64> + Clone + '_ {
        self.keyed().map(|(_, key)| key)
    }

    fn runs(&self) -> impl Iterator<Item = (u64, usize)> + '_ {
        self.parts.iter().flat_map(|p| {
            let ends = p.runs.iter().skip(1).map(|&(_, at)| at);
            p.runs
                .iter()
                .zip(ends.chain([p.items.len()]))
                .map(|(&(key, start), end)| (key, end - start))
        })
    }

    fn dup_key(&self, i: usize) -> u64 {
        self.get(self.position(i)).dup_key
    }

    fn address(&self, i: usize) -> DocAddress {
        let at = self.position(i);
        let doc = self.get(at).doc & !HEADING_LINE;
        DocAddress::new(self.parts[at >> 32].segment, doc)
    }

    fn date(&self, i: usize) -> u32 {
        self.get(self.position(i)).date
    }

    fn order(&self, a: usize, b: usize, sort: Sort) -> Ordering {
        let (a_at, b_at) = (self.position(a), self.position(b));
        order_by_rank(self.get(a_at), self.get(b_at), sort).then(a.cmp(&b))
    }

    /// A run lies in one part, read where it lies; of equals, the first in index order.
    fn best_of(&self, run: Range<usize>, sort: Sort) -> usize {
        let at = self.position(run.start);
        let items = &self.parts[at >> 32].items[at & 0xFFFF_FFFF..][..run.len()];
        let best = (0..items.len()).fold(0, |b, j| {
            match order_by_rank(&items[j], &items[b], sort).is_lt() {
                true => j,
                false => b,
            }
        });
        run.start + best
    }

    fn whole(&self, searcher: &tantivy::Searcher, numbers: &[usize]) -> Result<Vec<Match>> {
        let positions: Vec<usize> = numbers.iter().map(|&i| self.position(i)).collect();
        self.whole_at(searcher, &positions)
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

/// The column's value for `doc`: read straight from its values where every document has
/// one (the passages' and headers' fast fields all do), through its index otherwise. A
/// query matching most passages reads three columns per match.
fn value(column: &Column<u64>, doc: DocId) -> Option<u64> {
    match column.index {
        ColumnIndex::Full => Some(column.values.get_val(doc)),
        _ => column.first(doc),
    }
}

/// A date (yyyymmdd) or an ordinal, which fit in 32 bits; anything larger saturates.
fn narrow(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// A match as collected: whole, or in brief.
pub trait Record: Copy + Send + Sized {
    /// Whether each segment (or half of one) keeps its items in a vector of its own: for
    /// briefs, whose parts are read where they lie; whole matches are wanted in one.
    const IN_PARTS: bool;
    fn make(from: &mut SegmentMatches<Self>, doc: DocId, score: Score) -> Self;
}

impl Record for Match {
    const IN_PARTS: bool = false;
    fn make(from: &mut SegmentMatches<Match>, doc: DocId, score: Score) -> Match {
        from.whole(doc, score)
    }
}

impl Record for Brief {
    const IN_PARTS: bool = true;
    fn make(from: &mut SegmentMatches<Brief>, doc: DocId, score: Score) -> Brief {
        let (scored, document) = from.scored(doc, score);
        Brief {
            dup_key: scored.dup_key,
            score: scored.score,
            tantivy: score,
            date: document.date,
            doc: match scored.heading_line {
                true => doc | HEADING_LINE,
                false => doc,
            },
        }
    }
}

pub struct SegmentMatches<R> {
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
    /// The runs of matches of one document: its key, and where the run starts in `matches`.
    runs: Vec<(u64, usize)>,
    /// How many matches the vector's mapped memory holds.
    mapped: usize,
    matches: Vec<R>,
}

/// What a whole match and a brief one both hold, and the score made of them.
struct Scored {
    doc_key: u64,
    /// Tantivy's score and the header's.
    bm25: Score,
    /// `bm25` times the date factor.
    score: Score,
    dup_key: u64,
    heading_line: bool,
}

impl<R: Record> SegmentMatches<R> {
    /// The values of the document `key`, which `doc` is a passage of.
    fn document(&mut self, doc: DocId, key: u64) -> DocumentValues {
        if let Some(values) = self.document.filter(|d| d.key == key) {
            return values;
        }
        let date = narrow(value(&self.dates, doc).unwrap_or(0));
        let values = DocumentValues {
            key,
            header: self.scoring.headers.get(&key).copied(),
            date,
            date_factor: self.scoring.dates.factor(date.into()),
            title_key: value(&self.title_keys, doc).unwrap_or(0),
        };
        self.document = Some(values);
        self.runs.push((key, self.matches.len()));
        values
    }

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
        let m = R::make(self, doc, score);
        self.matches.push(m);
    }

    /// The passage's keys and score, `score` being Tantivy's; and its document's values.
    fn scored(&mut self, doc: DocId, score: Score) -> (Scored, DocumentValues) {
        let doc_key = value(&self.doc_keys, doc).unwrap_or(0);
        let document = self.document(doc, doc_key);
        let mut bm25 = score;
        if let Some(header) = document.header {
            bm25 += header;
        }
        let scored = Scored {
            doc_key,
            bm25,
            score: bm25 * document.date_factor,
            dup_key: value(&self.dup_keys, doc).unwrap_or(u64::from(doc)),
            heading_line: value(&self.heading_lines, doc) == Some(1),
        };
        (scored, document)
    }

    /// The whole match of the passage `doc`, `score` being Tantivy's.
    fn whole(&mut self, doc: DocId, score: Score) -> Match {
        let (scored, document) = self.scored(doc, score);
        Match {
            score: scored.score,
            bm25: scored.bm25,
            date_factor: document.date_factor,
            address: DocAddress::new(self.segment, doc),
            dup_key: scored.dup_key,
            doc_key: scored.doc_key,
            date: document.date,
            coverage: self.coverage.unwrap_or(0),
            covered: match self.coverage {
                Some(_) => u64::MAX,
                None => 0,
            },
            title_key: document.title_key,
            heading_line: scored.heading_line,
            ordinal: narrow(value(&self.ordinals, doc).unwrap_or(0)),
            structure: 0,
            located: false,
        }
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
    use crate::search::Sort;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption};
    use tantivy::{TantivyDocument, Term};

    /// An index of 3,000 passages in 300 documents, duplicate keys shared by six passages
    /// each, the passages of documents 7, 149 and 299 deleted (149 ends at the middle), in
    /// two segments.
    fn test_index() -> (tempfile::TempDir, crate::index::Store) {
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
            for (field, value) in [
                (f.doc_key, i / 10),
                (f.dup_key, i % 500),
                // A document's values are its passages' (read once per run of them).
                (f.date, 20_200_101 + (i / 10) % 28),
                (f.title_key, i / 10),
                (f.heading_line, u64::from(i % 11 == 0)),
                (f.ordinal, i % 10),
            ] {
                d.add_u64(field, value);
            }
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        for doc in [7u64, 149, 299] {
            writer.delete_term(Term::from_field_u64(f.doc_key, doc));
        }
        writer.commit().unwrap();
        (dir, store)
    }

    fn all_matches(split_cost: u64) -> AllMatches {
        AllMatches {
            passages: 3000,
            coverage: Some(1),
            scoring: Arc::new(Scoring {
                headers: HashMap::default(),
                dates: DateSpan::of(None),
            }),
            split_cost,
        }
    }

    /// The matches of 数据 in the test index: whole, and in brief collected in one pass and
    /// in two halves.
    fn whole_and_briefs(searcher: &tantivy::Searcher, grams: Field) -> (Vec<Match>, Vec<Briefs>) {
        let query = TermQuery::new(
            Term::from_field_text(grams, "数据"),
            IndexRecordOption::WithFreqs,
        );
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(searcher))
            .unwrap();
        let scorers = || {
            searcher
                .segment_readers()
                .iter()
                .map(|r| weight.scorer(r, 1.0).unwrap())
                .collect::<Vec<_>>()
        };
        let whole = all_matches(u64::MAX)
            .search::<Match>(searcher, weight.as_ref(), scorers())
            .unwrap()
            .items();
        let briefs = [u64::MAX, 0]
            .into_iter()
            .map(|split_cost| {
                let all = all_matches(split_cost);
                let collection = all
                    .search::<Brief>(searcher, weight.as_ref(), scorers())
                    .unwrap();
                Briefs::of(collection, all)
            })
            .collect();
        (whole, briefs)
    }

    /// Kept in brief and collapsed, matches give the groups (leaders and members, whole) and
    /// counts that whole matches give, in one pass or two halves, in either order.
    #[test]
    fn briefs_collapse_as_whole_matches_do() {
        use crate::search::collapse::{collapse, collapse_briefs};
        let (_dir, store) = test_index();
        let searcher = store.index.reader().unwrap().searcher();
        let (whole, all_briefs) = whole_and_briefs(&searcher, store.fields.grams);
        assert_eq!(whole.len(), 3000 - 30);
        let show = |groups: &[crate::search::collapse::Group]| -> Vec<_> {
            groups
                .iter()
                .map(|(l, dups)| {
                    let at = |m: &Match| {
                        (
                            m.address,
                            m.score.to_bits(),
                            m.bm25.to_bits(),
                            m.ordinal,
                            m.title_key,
                            m.heading_line,
                        )
                    };
                    (at(l), dups.iter().map(at).collect::<Vec<_>>())
                })
                .collect()
        };
        for briefs in &all_briefs {
            assert_eq!(briefs.len(), whole.len());
            for sort in [Sort::Relevance, Sort::Date] {
                for window in [1, 10, 200, 600] {
                    let expected = collapse(&whole, window, sort, None);
                    let got = collapse_briefs(briefs, window, sort, None, |at| {
                        briefs.whole_at(&searcher, at)
                    })
                    .unwrap();
                    assert_eq!(got.total, expected.total);
                    assert_eq!(got.total, 500);
                    assert_eq!(got.documents, expected.documents);
                    assert_eq!(
                        show(&got.groups),
                        show(&expected.groups),
                        "{window} {sort:?}"
                    );
                }
            }
        }
    }

    /// Read as [`Matches`] (by `--count-by` and `--files`), briefs are the whole matches:
    /// numbered alike, the same keys, documents, addresses, dates and order, the same
    /// documents and duplicates counted, made whole again as collected whole; in one pass or
    /// two halves.
    #[test]
    fn briefs_read_as_whole_matches_do() {
        use crate::search::facets::{Documents, Duplicates};
        let (_dir, store) = test_index();
        let searcher = store.index.reader().unwrap().searcher();
        let (whole, all_briefs) = whole_and_briefs(&searcher, store.fields.grams);
        let whole = &whole[..];
        let n = whole.len();
        // Each match's document, as the runs give it.
        let documents = |m: &dyn Fn() -> Vec<(u64, usize)>| -> Vec<u64> {
            m().into_iter()
                .flat_map(|(key, len)| std::iter::repeat_n(key, len))
                .collect()
        };
        for briefs in &all_briefs {
            assert_eq!(Matches::len(briefs), n);
            assert!(briefs.dup_keys().eq(whole.dup_keys()));
            assert_eq!(
                documents(&|| briefs.runs().collect()),
                documents(&|| whole.runs().collect())
            );
            for i in 0..n {
                assert_eq!(briefs.address(i), whole.address(i));
                assert_eq!(briefs.dup_key(i), whole.dup_key(i));
                assert_eq!(briefs.date(i), whole.date(i));
            }
            for sort in [Sort::Relevance, Sort::Date] {
                for (a, b) in (0..n).step_by(13).zip((0..n).rev().step_by(7)) {
                    assert_eq!(briefs.order(a, b, sort), whole.order(a, b, sort));
                }
                let (got, want) = (Documents::of(briefs, sort), Documents::of(whole, sort));
                assert_eq!((&got.best, &got.of_match), (&want.best, &want.of_match));
                let dups = (Duplicates::of(briefs, &got), Duplicates::of(whole, &want));
                assert_eq!(dups.0.total(), dups.1.total());
                assert_eq!(dups.0.total(), 500);
                let by_document = |d: &Duplicates| d.count(&want, want.len(), |d| d);
                assert_eq!(by_document(&dups.0), by_document(&dups.1));
            }
            let numbers: Vec<usize> = (0..n).rev().step_by(11).collect();
            let key = |m: &Match| (m.address, m.score.to_bits(), m.doc_key, m.ordinal);
            let made = Matches::whole(briefs, &searcher, &numbers).unwrap();
            let expected = Matches::whole(whole, &searcher, &numbers).unwrap();
            assert!(made.iter().map(key).eq(expected.iter().map(key)));
        }
    }

    /// Collected in two halves on two threads or in one pass, a segment gives the same
    /// matches in the same order, deleted passages left out both ways.
    #[test]
    fn halves_collect_what_one_pass_does() {
        let (_dir, store) = test_index();
        let f = store.fields;
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
            let weight = query
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .unwrap();
            let scorers = searcher
                .segment_readers()
                .iter()
                .map(|r| weight.scorer(r, 1.0).unwrap())
                .collect();
            all_matches(split_cost)
                .search::<Match>(&searcher, weight.as_ref(), scorers)
                .unwrap()
                .items()
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
