//! Loading what is shown: the stored fields of the passages shown (read once each), the
//! occurrences of every query word to highlight, proximity, and the hits themselves.

use std::collections::{BinaryHeap, HashMap};

use anyhow::Result;
use tantivy::{DocAddress, TantivyDocument};

use super::collapse::Group;
use super::collect::{Headers, Match};
use super::explain::{self, Partial};
use super::query::{self, Candidate, Compiled};
use super::rank::{self, PROXIMITY_WEIGHT};
use super::synonyms::Synonyms;
use super::{Duplicate, Hit, Options};
use crate::analysis::normalize;
use crate::index::document::Stored;
use crate::index::{Fields, names};
use crate::ingest::meta::Date;

/// Stored passages read from the index, each once.
pub struct StoredCache<'a> {
    searcher: &'a tantivy::Searcher,
    fields: &'a Fields,
    loaded: HashMap<DocAddress, Stored>,
}

impl<'a> StoredCache<'a> {
    pub fn new(searcher: &'a tantivy::Searcher, fields: &'a Fields) -> StoredCache<'a> {
        StoredCache {
            searcher,
            fields,
            loaded: HashMap::new(),
        }
    }

    pub fn get(&mut self, address: DocAddress) -> Result<Stored> {
        if let Some(s) = self.loaded.get(&address) {
            return Ok(s.clone());
        }
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let s = Stored::from_doc(&doc, self.fields);
        self.loaded.insert(address, s.clone());
        Ok(s)
    }

    /// Loads the passages at `addresses` not loaded yet, in two halves on two threads when
    /// there are many: each is read from a compressed block of the store, most of the time
    /// its own. A page of hits loads faster on one: a second thread costs 60-150 us to
    /// start here, and the other core is often busy.
    pub fn prefetch(&mut self, addresses: impl Iterator<Item = DocAddress>) -> Result<()> {
        const ON_TWO_THREADS: usize = 64;
        let mut missing: Vec<DocAddress> =
            addresses.filter(|a| !self.loaded.contains_key(a)).collect();
        // Neighbours share a block: in order, halves seldom decompress the same one.
        missing.sort_unstable();
        missing.dedup();
        let (searcher, fields) = (self.searcher, self.fields);
        let load = |part: &[DocAddress]| -> tantivy::Result<Vec<(DocAddress, Stored)>> {
            part.iter()
                .map(|&a| Ok((a, Stored::from_doc(&searcher.doc(a)?, fields))))
                .collect()
        };
        let (first, second) = missing.split_at(match missing.len() >= ON_TWO_THREADS {
            true => missing.len() / 2,
            false => missing.len(),
        });
        let (second, first) = super::both(!second.is_empty(), || load(second), || load(first));
        self.loaded.extend(first?);
        self.loaded.extend(second?);
        Ok(())
    }

    pub fn searcher(&self) -> &'a tantivy::Searcher {
        self.searcher
    }
}

/// Whether the passage satisfies the query, decided on its stored text and metadata.
pub fn satisfies(stored: &Stored, compiled: &Compiled) -> bool {
    let norm = |s: &str| normalize(s).text;
    let (text, title) = (norm(&stored.text), norm(&stored.title));
    let heading = norm(&stored.heading);
    let issuer = norm(stored.issuer.as_deref().unwrap_or_default());
    compiled.plan.matches(&Candidate {
        text: &text,
        heading: &heading,
        title: &title,
        issuer: &issuer,
        doc_number: stored.doc_number.as_deref().unwrap_or_default(),
        doc_type: stored.doc_type.as_deref().unwrap_or_default(),
        date: stored.date_number,
        effective: stored.effective_number,
        doc_key: crate::index::document::doc_key(&stored.path),
        restricted: Some(&compiled.restricted),
    })
}

/// The hits, each with its highlights, proximity factor, duplicates and (with `--explain`)
/// explanation, of the groups (given in rank order before proximity) that can be among the
/// `wanted` best by final score, each match carrying that score; not yet sorted by it.
///
/// Proximity multiplies a score by at most [`rank::MOST_PROXIMITY_FACTOR`], so a group
/// whose score so multiplied still ranks after the `wanted`-th best hit loaded so far cannot
/// reach the page, and its passage (a block of the store to decompress) is not loaded. A
/// query of several words re-ranks 50 groups for a page of 10.
pub fn load(
    compiled: &Compiled,
    groups: Vec<Group>,
    headers: &Headers,
    stored: &mut StoredCache,
    opts: &Options,
    wanted: usize,
) -> Result<Vec<(Match, Hit)>> {
    let needles = compiled.needles();
    let loader = Loader {
        term_of: terms_of_needles(compiled, &needles),
        needles,
        compiled,
        headers,
        opts,
    };
    let wanted = wanted.max(1);
    // The first `wanted` are needed whatever the others hold.
    stored.prefetch(groups.iter().take(wanted).map(|(m, _)| m.address))?;
    let mut loaded: Vec<(Match, Hit)> = Vec::with_capacity(groups.len().min(wanted));
    // The best `wanted` loaded so far, the last of them on top.
    let mut best: BinaryHeap<InRankOrder> = BinaryHeap::with_capacity(wanted.min(groups.len()));
    for (m, duplicates) in groups {
        if best.len() == wanted
            && let Some(last) = best.peek()
            && rank::rank_order(&rank::at_best(&m), &last.0, opts.sort).is_gt()
        {
            continue;
        }
        let (mut m, hit) = loader.hit(stored, m, duplicates)?;
        m.score = hit.score;
        best.push(InRankOrder(m, opts.sort));
        if best.len() > wanted {
            best.pop();
        }
        loaded.push((m, hit));
    }
    Ok(loaded)
}

/// A hit loaded, ordered by [`rank::rank_order`]: the greatest ranks last.
struct InRankOrder(Match, super::Sort);

impl Ord for InRankOrder {
    fn cmp(&self, other: &InRankOrder) -> std::cmp::Ordering {
        rank::rank_order(&self.0, &other.0, self.1)
    }
}

impl PartialOrd for InRankOrder {
    fn partial_cmp(&self, other: &InRankOrder) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for InRankOrder {
    fn eq(&self, other: &InRankOrder) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for InRankOrder {}

/// For each needle, the query term it stands for (the first holding it).
fn terms_of_needles(compiled: &Compiled, needles: &[String]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            compiled
                .terms
                .iter()
                .position(|t| t.contains(n))
                .unwrap_or(0)
        })
        .collect()
}

/// What loading a hit needs of the query.
struct Loader<'a> {
    compiled: &'a Compiled,
    needles: Vec<String>,
    term_of: Vec<usize>,
    headers: &'a Headers,
    opts: &'a Options,
}

/// Where the query's words stand in a passage, and how near each other.
struct Found {
    /// (start, end, needle) of each occurrence that holds in the document.
    spans: Vec<(usize, usize, usize)>,
    /// (start, end, query term) of the same occurrences.
    labelled: Vec<(usize, usize, usize)>,
    proximity: f32,
}

impl Loader<'_> {
    /// The hit of a group: its best passage, scored with its words' proximity, and the
    /// passages it stands for.
    fn hit(
        &self,
        stored: &mut StoredCache,
        m: Match,
        duplicates: Vec<Match>,
    ) -> Result<(Match, Hit)> {
        let passage = stored.get(m.address)?;
        let found = self.found(&passage.text, m.doc_key);
        let proximity_factor = 1.0 + PROXIMITY_WEIGHT * found.proximity;
        let score = m.score * proximity_factor;
        // Their paths from the path column, not their stored passages: a law held in four
        // copies would decompress three more blocks for each of its hits.
        let addresses = duplicates.iter().map(|d| d.address);
        let paths = super::facets::column_values(stored.searcher(), names::path, addresses)?;
        let duplicates = duplicates
            .iter()
            .zip(paths)
            .map(|(d, path)| Duplicate {
                path: path.unwrap_or_default(),
                passage: d.ordinal.into(),
            })
            .collect();
        let explain = match self.opts.explain {
            true => Some(self.explain(stored, &m, &found, proximity_factor, score)?),
            false => None,
        };
        let highlights = merge(found.spans.iter().map(|&(s, e, _)| (s, e)).collect());
        let hit = Hit {
            path: passage.path,
            title: passage.title,
            doc_number: passage.doc_number,
            issuer: passage.issuer,
            date: passage.date,
            effective: Date::from_number(passage.effective_number).map(Date::iso),
            doc_type: passage.doc_type,
            article: passage.article,
            passage: passage.ordinal,
            heading: passage.heading,
            score,
            highlights,
            text: passage.text,
            keyphrases: passage.keyphrases,
            duplicates,
            explain,
            missing: Vec::new(),
            validity: Default::default(),
        };
        Ok((m, hit))
    }

    fn found(&self, text: &str, doc_key: u64) -> Found {
        let spans: Vec<(usize, usize, usize)> = occurrences(text, &self.needles)
            .into_iter()
            .filter(|&(_, _, n)| holds_in(self.compiled, &self.needles[n], doc_key))
            .collect();
        let labelled: Vec<(usize, usize, usize)> = spans
            .iter()
            .map(|&(s, e, n)| (s, e, self.term_of[n]))
            .collect();
        let proximity = rank::proximity(&labelled, self.compiled.terms.len());
        Found {
            spans,
            labelled,
            proximity,
        }
    }

    /// `--explain`'s account of a hit.
    fn explain(
        &self,
        stored: &StoredCache,
        m: &Match,
        found: &Found,
        proximity_factor: f32,
        score: f32,
    ) -> Result<explain::Explain> {
        let mut matched: Vec<usize> = found.labelled.iter().map(|s| s.2).collect();
        matched.sort();
        matched.dedup();
        let compiled = self.compiled;
        let aliases = aliases_found(
            compiled,
            &self.needles,
            &self.term_of,
            &found.spans,
            &self.opts.synonyms,
        );
        explain::explain(
            stored.searcher(),
            compiled,
            m,
            self.headers.get(&m.doc_key).map(|h| h.address),
            Partial {
                terms_matched: matched
                    .into_iter()
                    .map(|t| compiled.terms[t][0].clone())
                    .collect(),
                terms_total: compiled.terms.len(),
                proximity: found.proximity,
                proximity_factor,
                score,
                aliases,
            },
        )
    }
}

/// Whether an alternative of the query holds in the document `key` (see
/// [`query::Restricted`]).
fn holds_in(compiled: &Compiled, alternative: &str, key: u64) -> bool {
    compiled
        .restricted
        .get(alternative)
        .is_none_or(|keys| keys.contains(&key))
}

/// The aliases a passage holds in place of the words typed: `民诉法 → 民事诉讼法 (short-name
/// rule, from 民事诉讼法)`, once each.
fn aliases_found(
    compiled: &Compiled,
    needles: &[String],
    term_of: &[usize],
    spans: &[(usize, usize, usize)],
    synonyms: &Synonyms,
) -> Vec<String> {
    let mut out = Vec::new();
    for &(_, _, n) in spans {
        let word = &compiled.terms[term_of[n]][0];
        let alias = &needles[n];
        if alias == word {
            continue;
        }
        let line = match synonyms.why(word, alias) {
            Some(why) => format!("{word} → {alias} ({why})"),
            None => format!("{word} → {alias}"),
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
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
