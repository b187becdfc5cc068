//! A query in, ranked hits out: parses and compiles the query, runs it, checks approximate
//! matches against the text, collapses duplicate passages, ranks (passages holding every
//! term first, then BM25 with a proximity factor and a small date tie-break) and finds every
//! occurrence to highlight.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Explanation, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

use crate::analysis::normalize;
use crate::index::{DOC_KEY, Fields, Store};
use crate::meta::Date;
use crate::query::{self, Candidate, Compiled, HeaderHit, HeaderHits};
use crate::synonyms::Synonyms;

/// How much a passage whose words stand together gains over one where they are scattered.
const PROXIMITY_WEIGHT: f32 = 0.5;
/// Candidates re-ranked by proximity, as a multiple of the requested hits.
const RERANK_FACTOR: usize = 5;
const RERANK_MIN: usize = 50;
/// The most the newest document gains over one of unknown date or of 1949: a tie-break
/// among passages that are otherwise about as relevant.
const DATE_WEIGHT: f32 = 0.01;
const DATE_FIRST_YEAR: u64 = 1949;
const DATE_LAST_YEAR: u64 = 2030;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Sort {
    /// Best first: passages holding every term, then by score.
    #[default]
    Relevance,
    /// Newest document first; unknown dates last; by score within a date.
    Date,
}

/// How to run a query.
#[derive(Debug, Clone)]
pub struct Options {
    /// Most hits returned.
    pub limit: usize,
    pub sort: Sort,
    /// Synonyms expanded at query time (empty for `--exact`).
    pub synonyms: Synonyms,
    /// Attach an [`Explain`] to every hit.
    pub explain: bool,
}

impl Options {
    /// `limit` hits by relevance, with the built-in synonyms, no explanations.
    pub fn new(limit: usize) -> Options {
        Options {
            limit,
            sort: Sort::Relevance,
            synonyms: Synonyms::builtin(),
            explain: false,
        }
    }
}

/// One passage found.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub title: String,
    /// 发文字号, 发文机关, date (ISO 8601), 文种 and article, where known.
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    /// When the document takes effect (ISO 8601), where known.
    pub effective: Option<String>,
    pub doc_type: Option<String>,
    pub article: Option<String>,
    /// Ordinal of the passage within its document.
    pub passage: u64,
    /// Heading path, elements joined with " › ".
    pub heading: String,
    pub score: f32,
    pub text: String,
    /// Byte ranges in `text` of every occurrence of a query word or synonym, sorted, not
    /// overlapping.
    pub highlights: Vec<(usize, usize)>,
    pub keyphrases: Vec<String>,
    /// Other passages that say the same and were collapsed into this one.
    pub duplicates: Vec<Duplicate>,
    /// Why the hit scored as it did, with `--explain`.
    pub explain: Option<Explain>,
}

impl Hit {
    /// The reference to paste: see [`crate::meta::citation`].
    pub fn citation(&self) -> String {
        crate::meta::citation(
            &self.title,
            self.doc_number.as_deref(),
            self.article.as_deref(),
        )
    }

    /// How many documents other than this hit's hold a duplicate of it.
    pub fn other_documents(&self) -> usize {
        self.duplicates
            .iter()
            .filter(|d| d.path != self.path)
            .map(|d| d.path.as_str())
            .collect::<HashSet<_>>()
            .len()
    }
}

/// A passage collapsed into a hit that says the same.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Duplicate {
    pub path: String,
    pub passage: u64,
}

/// Why a hit scored as it did: `score = bm25 × proximity_factor × date_factor`, and hits
/// holding more of the query's terms come first whatever their score.
#[derive(Debug, Clone, Serialize)]
pub struct Explain {
    /// Tantivy's score: the sum of the clauses below.
    pub bm25: f32,
    /// The scoring clauses that matched, best first.
    pub clauses: Vec<Clause>,
    /// The query terms (or a synonym of each) the passage holds.
    pub terms_matched: Vec<String>,
    /// How many terms the query has.
    pub terms_total: usize,
    /// 1 when the terms stand side by side, towards 0 as they scatter.
    pub proximity: f32,
    pub proximity_factor: f32,
    /// The tie-break for the document's date (1 when unknown).
    pub date_factor: f32,
    pub score: f32,
}

/// One matching scoring clause.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    pub field: String,
    /// The term looked up, or the kind of query when it has no single term.
    pub term: String,
    pub boost: f32,
    /// What it added to `bm25`, boost included.
    pub score: f32,
    /// Tantivy's explanation of the clause (before the boost).
    pub tantivy: serde_json::Value,
}

/// The answer to one query.
#[derive(Debug, Clone)]
pub struct Results {
    pub query: String,
    /// Matching passages, duplicates counted once.
    pub total_hits: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
}

/// Runs `input` against the index.
pub fn run(store: &Store, input: &str, opts: &Options) -> Result<Results> {
    let started = Instant::now();
    let limit = opts.limit.max(1);
    let parsed = query::parse(input)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.fields;
    let compiled = query::compile(&parsed, fields, &searcher, &opts.synonyms)?;
    let mut matches = searcher.search(compiled.query.as_ref(), &AllMatches)?;

    let mut loaded: HashMap<DocAddress, Stored> = HashMap::new();
    let mut load = |address: DocAddress| -> Result<Stored> {
        if let Some(s) = loaded.get(&address) {
            return Ok(s.clone());
        }
        let doc: TantivyDocument = searcher.doc(address)?;
        let s = Stored::from_doc(&doc, fields);
        loaded.insert(address, s.clone());
        Ok(s)
    };
    if compiled.verify {
        let mut kept = Vec::with_capacity(matches.len());
        for m in matches {
            if load(m.address)?.satisfies(&compiled) {
                kept.push(m);
            }
        }
        matches = kept;
    }
    set_coverage(&mut matches, &compiled, &searcher)?;
    // Each passage adds its document header's score (title, document key phrases).
    let headers: HashMap<u64, HeaderHit, KeyHash> = match &compiled.header_query {
        Some(q) => searcher
            .search(q.as_ref(), &HeaderHits)?
            .into_iter()
            .map(|h| (h.key, h))
            .collect(),
        None => HashMap::default(),
    };
    for m in &mut matches {
        if let Some(h) = headers.get(&m.doc_key) {
            m.bm25 += h.score;
        }
        m.score = m.bm25 * date_factor(m.date);
    }
    // Collapse duplicates: the best passage of each key in rank order stands for the others.
    // Only the groups that can be shown are sorted, so a query matching most of the index
    // (的, 国务院) costs one pass over its matches rather than a sort of all of them.
    let order = |a: &Match, b: &Match| rank_order(a, b, opts.sort);
    let mut leader_of: HashMap<u64, usize, KeyHash> =
        HashMap::with_capacity_and_hasher(matches.len(), KeyHash::default());
    for (i, m) in matches.iter().enumerate() {
        leader_of
            .entry(m.dup_key)
            .and_modify(|l| {
                if order(m, &matches[*l]).is_lt() {
                    *l = i;
                }
            })
            .or_insert(i);
    }
    let total_hits = leader_of.len();
    let window = if compiled.terms.len() > 1 && opts.sort == Sort::Relevance {
        limit.saturating_mul(RERANK_FACTOR).max(RERANK_MIN)
    } else {
        limit
    };
    // Visited in the order of `matches`, which reads them sequentially.
    let mut is_leader = vec![false; matches.len()];
    for &l in leader_of.values() {
        is_leader[l] = true;
    }
    let leaders = first_in_order(
        (0..matches.len()).filter(|&i| is_leader[i]),
        window,
        |a, b| order(&matches[a], &matches[b]),
    );
    let group_of: HashMap<u64, usize, KeyHash> = leaders
        .iter()
        .enumerate()
        .map(|(g, &l)| (matches[l].dup_key, g))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); leaders.len()];
    for (i, m) in matches.iter().enumerate() {
        if let Some(&g) = group_of.get(&m.dup_key)
            && leaders[g] != i
        {
            members[g].push(i);
        }
    }
    let groups: Vec<(Match, Vec<DocAddress>)> = leaders
        .iter()
        .zip(members)
        .map(|(&l, mut dups)| {
            dups.sort_by(|&a, &b| order(&matches[a], &matches[b]));
            (
                matches[l],
                dups.into_iter().map(|i| matches[i].address).collect(),
            )
        })
        .collect();

    let needles = compiled.needles();
    let term_of: Vec<usize> = needles
        .iter()
        .map(|n| {
            compiled
                .terms
                .iter()
                .position(|t| t.contains(n))
                .unwrap_or(0)
        })
        .collect();
    let mut ranked = Vec::new();
    for (m, duplicates) in groups {
        let stored = load(m.address)?;
        let spans = occurrences(&stored.text, &needles);
        let labelled: Vec<(usize, usize, usize)> =
            spans.iter().map(|&(s, e, n)| (s, e, term_of[n])).collect();
        let near = proximity(&labelled, compiled.terms.len());
        let proximity_factor = 1.0 + PROXIMITY_WEIGHT * near;
        let score = m.score * proximity_factor;
        let duplicates = duplicates
            .into_iter()
            .map(|address| {
                load(address).map(|d| Duplicate {
                    path: d.path,
                    passage: d.ordinal,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let explain = if opts.explain {
            let mut found: Vec<usize> = labelled.iter().map(|s| s.2).collect();
            found.sort();
            found.dedup();
            Some(explain(
                &searcher,
                &compiled,
                &m,
                headers.get(&m.doc_key).map(|h| h.address),
                Partial {
                    terms_matched: found
                        .into_iter()
                        .map(|t| compiled.terms[t][0].clone())
                        .collect(),
                    terms_total: compiled.terms.len(),
                    proximity: near,
                    proximity_factor,
                    score,
                },
            )?)
        } else {
            None
        };
        let hit = Hit {
            path: stored.path,
            title: stored.title,
            doc_number: stored.doc_number,
            issuer: stored.issuer,
            date: stored.date,
            effective: Date::from_number(stored.effective_number).map(Date::iso),
            doc_type: stored.doc_type,
            article: stored.article,
            passage: stored.ordinal,
            heading: stored.heading,
            score,
            highlights: merge(spans.into_iter().map(|(s, e, _)| (s, e)).collect()),
            text: stored.text,
            keyphrases: stored.keyphrases,
            duplicates,
            explain,
        };
        ranked.push((m, hit));
    }
    ranked.sort_by(|(a, ha), (b, hb)| match opts.sort {
        Sort::Relevance => b
            .coverage
            .cmp(&a.coverage)
            .then(hb.score.total_cmp(&ha.score))
            .then(b.date.cmp(&a.date))
            .then(a.address.cmp(&b.address)),
        Sort::Date => b
            .date
            .cmp(&a.date)
            .then(hb.score.total_cmp(&ha.score))
            .then(a.address.cmp(&b.address)),
    });
    let hits = ranked.into_iter().take(limit).map(|(_, h)| h).collect();
    Ok(Results {
        query: input.to_string(),
        total_hits,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
    })
}

/// Counts, for each match, the query terms it holds; only an OR lets that number vary.
fn set_coverage(
    matches: &mut [Match],
    compiled: &Compiled,
    searcher: &tantivy::Searcher,
) -> Result<()> {
    let total = compiled.terms.len();
    if !compiled.partial || total < 2 {
        for m in matches.iter_mut() {
            m.coverage = total;
        }
        return Ok(());
    }
    let mut sets = Vec::with_capacity(total);
    for q in &compiled.term_queries {
        sets.push(searcher.search(q.as_ref(), &DocSetCollector)?);
    }
    for m in matches.iter_mut() {
        m.coverage = sets.iter().filter(|s| s.contains(&m.address)).count();
    }
    Ok(())
}

/// The first `n` of `items` in `order` (a total order), sorted. One pass that compares most
/// items once, with the worst kept so far, instead of selecting among all of them: a query
/// matching most passages has hundreds of thousands.
fn first_in_order(
    items: impl Iterator<Item = usize>,
    n: usize,
    order: impl Fn(usize, usize) -> std::cmp::Ordering,
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

/// The order of matches before proximity re-ranking: a total order (the address breaks ties),
/// so the passage standing for a duplicate group does not depend on collection order.
fn rank_order(a: &Match, b: &Match, sort: Sort) -> std::cmp::Ordering {
    match sort {
        Sort::Relevance => b
            .coverage
            .cmp(&a.coverage)
            .then(b.score.total_cmp(&a.score))
            .then(b.date.cmp(&a.date))
            .then(a.address.cmp(&b.address)),
        // Unknown dates are 0, so they come last.
        Sort::Date => b
            .date
            .cmp(&a.date)
            .then(b.score.total_cmp(&a.score))
            .then(a.address.cmp(&b.address)),
    }
}

/// Hashes duplicate keys, which are hashes already, with one multiplication instead of SipHash
/// (a query can collect hundreds of thousands of them).
type KeyHash = std::hash::BuildHasherDefault<KeyHasher>;

#[derive(Default)]
struct KeyHasher(u64);

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

/// 1 for an unknown date, rising linearly to 1 + [`DATE_WEIGHT`] over 1949–2030.
fn date_factor(date: u64) -> f32 {
    let Some(d) = Date::from_number(date) else {
        return 1.0;
    };
    let months = |year: u64| year * 12;
    // A year alone (month 0) counts as its January.
    let at = months(u64::from(d.year)) + u64::from(d.month.max(1)) - 1;
    let span = months(DATE_LAST_YEAR) - months(DATE_FIRST_YEAR);
    let t = at.saturating_sub(months(DATE_FIRST_YEAR)).min(span) as f32 / span as f32;
    1.0 + DATE_WEIGHT * t
}

/// The parts of an explanation known before asking tantivy.
struct Partial {
    terms_matched: Vec<String>,
    terms_total: usize,
    proximity: f32,
    proximity_factor: f32,
    score: f32,
}

fn explain(
    searcher: &tantivy::Searcher,
    compiled: &Compiled,
    m: &Match,
    header: Option<DocAddress>,
    p: Partial,
) -> Result<Explain> {
    let mut clauses = Vec::new();
    // A text's word clauses score only where its substring phrase (its group's first clause)
    // matches, as they hang under it in the query; header clauses wherever the header does.
    let mut matched_group = None;
    for (i, leaf) in compiled.leaves.iter().enumerate() {
        let tree = if leaf.on_header {
            match header {
                Some(address) => explain_if_matching(searcher, leaf.query.as_ref(), address)?,
                None => None,
            }
        } else {
            let head = i == 0 || compiled.leaves[i - 1].group != leaf.group;
            if !head && matched_group != Some(leaf.group) {
                continue;
            }
            let tree = explain_if_matching(searcher, leaf.query.as_ref(), m.address)?;
            if head {
                matched_group = tree.is_some().then_some(leaf.group);
            }
            tree
        };
        if let Some(tree) = tree {
            clauses.push(Clause {
                field: leaf.field.to_string(),
                term: leaf.term.clone(),
                boost: leaf.boost,
                score: tree.value() * leaf.boost,
                tantivy: serde_json::to_value(&tree)?,
            });
        }
    }
    clauses.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(Explain {
        bm25: m.bm25,
        clauses,
        terms_matched: p.terms_matched,
        terms_total: p.terms_total,
        proximity: p.proximity,
        proximity_factor: p.proximity_factor,
        date_factor: date_factor(m.date),
        score: p.score,
    })
}

/// Tantivy's explanation of one clause for a document, or None when the clause does not
/// match it. Tantivy's own explain seeks a fresh scorer, which is only allowed up to the
/// scorer's first document (a debug assertion fails otherwise), so that is checked first.
fn explain_if_matching(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    address: DocAddress,
) -> Result<Option<Explanation>> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let reader = searcher.segment_reader(address.segment_ord);
    let mut scorer = weight.scorer(reader, 1.0)?;
    if scorer.doc() > address.doc_id || scorer.seek(address.doc_id) != address.doc_id {
        return Ok(None);
    }
    Ok(Some(weight.explain(reader, address.doc_id)?))
}

/// The stored fields a hit shows.
#[derive(Debug, Clone)]
struct Stored {
    path: String,
    title: String,
    doc_number: Option<String>,
    issuer: Option<String>,
    date: Option<String>,
    /// yyyymmdd, 0 when unknown.
    date_number: u64,
    /// yyyymmdd of entry into force, 0 when unknown.
    effective_number: u64,
    doc_type: Option<String>,
    article: Option<String>,
    heading: String,
    text: String,
    ordinal: u64,
    keyphrases: Vec<String>,
}

impl Stored {
    fn from_doc(doc: &TantivyDocument, f: &Fields) -> Stored {
        let optional = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let text = |field| optional(field).unwrap_or_default();
        let date_number = doc.get_first(f.date).and_then(|v| v.as_u64()).unwrap_or(0);
        Stored {
            path: text(f.path),
            title: text(f.title),
            doc_number: optional(f.doc_number),
            issuer: optional(f.issuer),
            date: Date::from_number(date_number).map(Date::iso),
            date_number,
            effective_number: doc
                .get_first(f.effective)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            doc_type: optional(f.doc_type),
            article: optional(f.article),
            heading: text(f.heading),
            text: text(f.text),
            ordinal: doc
                .get_first(f.ordinal)
                .and_then(|v| v.as_u64())
                .unwrap_or_default(),
            keyphrases: doc
                .get_all(f.keyphrases)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        }
    }

    /// Whether the passage satisfies the query, decided on its stored text and metadata.
    fn satisfies(&self, compiled: &Compiled) -> bool {
        let norm = |s: &str| normalize(s).text;
        let (text, title) = (norm(&self.text), norm(&self.title));
        let issuer = norm(self.issuer.as_deref().unwrap_or_default());
        compiled.plan.matches(&Candidate {
            text: &text,
            title: &title,
            issuer: &issuer,
            doc_number: self.doc_number.as_deref().unwrap_or_default(),
            doc_type: self.doc_type.as_deref().unwrap_or_default(),
            date: self.date_number,
            effective: self.effective_number,
        })
    }
}

/// Byte ranges in `text` of every occurrence of each needle (normalised query words and
/// synonyms), with the index of the needle found; found the way the index matches (see
/// [`query::find_all`]), so they straddle jieba's word boundaries too.
pub fn occurrences(text: &str, needles: &[String]) -> Vec<(usize, usize, usize)> {
    let norm = normalize(text);
    let mut spans = Vec::new();
    for (n, needle) in needles.iter().enumerate() {
        for start in query::find_all(&norm.text, needle) {
            let end = start + needle.len();
            spans.push((norm.original_offset(start), norm.original_offset(end), n));
        }
    }
    spans.sort();
    spans
}

/// Sorted ranges merged where they overlap (touching ranges stay apart: each is one match).
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// 1.0 when the terms found (spans labelled with the term, sorted) stand side by side,
/// falling towards 0 as the shortest stretch of text holding all of them grows; 0 when fewer
/// than two terms are found.
fn proximity(spans: &[(usize, usize, usize)], terms: usize) -> f32 {
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

/// One matching passage before it is loaded.
#[derive(Debug, Clone, Copy)]
struct Match {
    /// Tantivy's score, then multiplied by the date factor.
    score: Score,
    /// Tantivy's score.
    bm25: Score,
    address: DocAddress,
    dup_key: u64,
    /// The passage's document (see [`crate::index::doc_key`]).
    doc_key: u64,
    /// Document date, yyyymmdd; 0 when unknown.
    date: u64,
    /// How many of the query's terms the passage holds.
    coverage: usize,
}

/// Collects every match with its score and duplicate key: a query's matches must all be
/// seen to collapse duplicates and count distinct hits.
struct AllMatches;

impl Collector for AllMatches {
    type Fruit = Vec<Match>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            dup_keys: reader.fast_fields().u64("dup_key")?,
            doc_keys: reader.fast_fields().u64(DOC_KEY)?,
            dates: reader.fast_fields().u64("date")?,
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Match>>) -> tantivy::Result<Vec<Match>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

struct SegmentMatches {
    segment: SegmentOrdinal,
    dup_keys: Column<u64>,
    doc_keys: Column<u64>,
    dates: Column<u64>,
    matches: Vec<Match>,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matches.push(Match {
            score,
            bm25: score,
            address: DocAddress::new(self.segment, doc),
            dup_key: self.dup_keys.first(doc).unwrap_or(u64::from(doc)),
            doc_key: self.doc_keys.first(doc).unwrap_or(0),
            date: self.dates.first(doc).unwrap_or(0),
            coverage: 0,
        });
    }

    fn harvest(self) -> Vec<Match> {
        self.matches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn occurrences_map_back_to_original_bytes() {
        let text = "加入ＷＴＯ，ｗｔｏ改革";
        let spans = occurrences(text, &["wto".to_string()]);
        let found: Vec<&str> = spans.iter().map(|&(s, e, _)| &text[s..e]).collect();
        assert_eq!(found, ["ＷＴＯ", "ｗｔｏ"]);
    }

    #[test]
    fn overlapping_occurrences_merge() {
        let spans = occurrences("哈哈哈", &["哈哈".to_string()]);
        assert_eq!(spans.len(), 2);
        assert_eq!(merge(spans.iter().map(|s| (s.0, s.1)).collect()), [(0, 9)]);
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
    fn newer_dates_gain_a_little() {
        assert_eq!(date_factor(0), 1.0);
        let old = date_factor(19540920);
        let new = date_factor(20240305);
        assert!(
            1.0 < old && old < new && new <= 1.0 + DATE_WEIGHT,
            "{old} {new}"
        );
    }

    #[test]
    fn other_documents_count_distinct_paths() {
        let dup = |p: &str, n| Duplicate {
            path: p.into(),
            passage: n,
        };
        let hit = Hit {
            path: "a".into(),
            title: String::new(),
            doc_number: None,
            issuer: None,
            date: None,
            effective: None,
            doc_type: None,
            article: None,
            passage: 0,
            heading: String::new(),
            score: 1.0,
            text: String::new(),
            highlights: Vec::new(),
            keyphrases: Vec::new(),
            duplicates: vec![dup("a", 3), dup("b", 1), dup("b", 2), dup("c", 0)],
            explain: None,
        };
        assert_eq!(hit.other_documents(), 2);
    }

    use proptest::prelude::*;

    proptest! {
        /// Highlights land on character boundaries of the original text and mark the needle,
        /// also where folding changes byte lengths (full-width letters).
        #[test]
        fn occurrences_fall_on_character_boundaries(
            chars in prop::collection::vec(
                prop::sample::select(vec!['数', '据', 'Ｗ', 'ｔ', 'W', 't', ' ', '，', '😀', 'é']),
                0..60,
            ),
            needle in prop::sample::select(vec!["数据", "wt", "w", "据w", "😀", "t数"]),
        ) {
            let text: String = chars.into_iter().collect();
            let spans = occurrences(&text, &[needle.to_string()]);
            for (s, e, _) in spans {
                prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
                prop_assert_eq!(normalize(&text[s..e]).text, needle);
            }
        }
    }
}
