//! A parsed query in, ranked hits out: runs the query, collapses duplicate passages, checks
//! approximate matches against the text, ranks passages whose words stand close together
//! higher, and finds every occurrence to highlight.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Result;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

use crate::analysis::normalize;
use crate::index::{Fields, Store};
use crate::meta::Date;
use crate::query::{self, Parsed};

/// How much a passage whose words stand together gains over one where they are scattered.
const PROXIMITY_WEIGHT: f32 = 1.0;
/// Candidates re-ranked by proximity, as a multiple of the requested hits.
const RERANK_FACTOR: usize = 5;
const RERANK_MIN: usize = 50;

/// One passage found.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub title: String,
    /// 发文字号, 发文机关, date (ISO 8601), 文种 and article, where known.
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    pub doc_type: Option<String>,
    pub article: Option<String>,
    /// Ordinal of the passage within its document.
    pub passage: u64,
    /// Heading path, elements joined with " › ".
    pub heading: String,
    pub score: f32,
    pub text: String,
    /// Byte ranges in `text` of every occurrence of a query word, sorted, not overlapping.
    pub highlights: Vec<(usize, usize)>,
    pub keyphrases: Vec<String>,
    /// Other passages that say the same and were collapsed into this one.
    pub duplicates: Vec<Duplicate>,
}

/// A passage collapsed into a hit that says the same.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Duplicate {
    pub path: String,
    pub passage: u64,
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

/// Runs `input` against the index, returning at most `limit` hits.
pub fn run(store: &Store, input: &str, limit: usize) -> Result<Results> {
    let started = Instant::now();
    let parsed: Parsed = query::parse(input)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.fields;
    let compiled = query::compile(&parsed, fields, &searcher)?;
    let mut matches = searcher.search(compiled.query.as_ref(), &AllMatches)?;
    matches.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.address.cmp(&b.address)));

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
            let text = normalize(&load(m.address)?.text).text;
            if compiled.needles.iter().all(|n| text.contains(n.as_str())) {
                kept.push(m);
            }
        }
        matches = kept;
    }

    // Collapse duplicates: the best-scoring passage of each key stands for the others.
    let mut groups: Vec<(Match, Vec<DocAddress>)> = Vec::new();
    let mut group_of: HashMap<u64, usize> = HashMap::new();
    for m in matches {
        match group_of.get(&m.dup_key) {
            Some(&g) => groups[g].1.push(m.address),
            None => {
                group_of.insert(m.dup_key, groups.len());
                groups.push((m, Vec::new()));
            }
        }
    }
    let total_hits = groups.len();

    let window = if compiled.needles.len() > 1 {
        (limit * RERANK_FACTOR).max(RERANK_MIN)
    } else {
        limit
    };
    let mut hits = Vec::new();
    for (m, duplicates) in groups.into_iter().take(window) {
        let stored = load(m.address)?;
        let spans = occurrences(&stored.text, &compiled.needles);
        let score = m.score * (1.0 + PROXIMITY_WEIGHT * proximity(&spans, &compiled.needles));
        let duplicates = duplicates
            .into_iter()
            .map(|address| {
                load(address).map(|d| Duplicate {
                    path: d.path,
                    passage: d.ordinal,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        hits.push(Hit {
            path: stored.path,
            title: stored.title,
            doc_number: stored.doc_number,
            issuer: stored.issuer,
            date: stored.date,
            doc_type: stored.doc_type,
            article: stored.article,
            passage: stored.ordinal,
            heading: stored.heading,
            score,
            highlights: merge(spans.into_iter().map(|(s, e, _)| (s, e)).collect()),
            text: stored.text,
            keyphrases: stored.keyphrases,
            duplicates,
        });
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits.truncate(limit);
    Ok(Results {
        query: input.to_string(),
        total_hits,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
    })
}

/// The stored fields a hit shows.
#[derive(Debug, Clone)]
struct Stored {
    path: String,
    title: String,
    doc_number: Option<String>,
    issuer: Option<String>,
    date: Option<String>,
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
        Stored {
            path: text(f.path),
            title: text(f.title),
            doc_number: optional(f.doc_number),
            issuer: optional(f.issuer),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_u64())
                .and_then(Date::from_number)
                .map(Date::iso),
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
}

/// Byte ranges in `text` of every occurrence of each needle (normalised query words), with
/// the index of the needle found.
pub fn occurrences(text: &str, needles: &[String]) -> Vec<(usize, usize, usize)> {
    let norm = normalize(text);
    let mut spans = Vec::new();
    for (n, needle) in needles.iter().enumerate() {
        if needle.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(at) = norm.text[from..].find(needle.as_str()) {
            let start = from + at;
            let end = start + needle.len();
            spans.push((norm.original_offset(start), norm.original_offset(end), n));
            // Step one character, so overlapping occurrences are found too.
            from = start + norm.text[start..].chars().next().map_or(1, char::len_utf8);
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

/// 1.0 when the needles stand side by side, falling towards 0 as the shortest stretch of
/// text holding all of them grows; 0 for a single needle.
fn proximity(spans: &[(usize, usize, usize)], needles: &[String]) -> f32 {
    if needles.len() < 2 {
        return 0.0;
    }
    let needed: usize = needles.iter().map(String::len).sum();
    let mut best: Option<usize> = None;
    let mut count = vec![0usize; needles.len()];
    let mut covered = 0;
    let mut left = 0;
    // Sliding window over spans sorted by start.
    for right in 0..spans.len() {
        let n = spans[right].2;
        count[n] += 1;
        if count[n] == 1 {
            covered += 1;
        }
        while covered == needles.len() {
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
    score: Score,
    address: DocAddress,
    dup_key: u64,
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
    matches: Vec<Match>,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matches.push(Match {
            score,
            address: DocAddress::new(self.segment, doc),
            dup_key: self.dup_keys.first(doc).unwrap_or(u64::from(doc)),
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
        let near = proximity(&occurrences("贸易组织", &needles), &needles);
        let far = proximity(&occurrences("贸易和其他许多国际组织", &needles), &needles);
        assert_eq!(near, 1.0);
        assert!(far < near && far > 0.0, "{far}");
        assert_eq!(proximity(&occurrences("只有贸易", &needles), &needles), 0.0);
    }
}
