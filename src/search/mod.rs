//! A query in, ranked hits out. The stages, each in its own file: `query` parses and compiles
//! the query; `collect` gathers every match (and the document headers that add to their
//! scores), checking approximate ones against the stored text; `rank` scores and orders them
//! (passages holding every term first, then BM25 with a proximity factor and a small date
//! tie-break); `collapse` keeps one passage of each group that says the same; `hits` loads
//! what is shown and finds every occurrence to highlight; `explain` says why a hit scored as
//! it did; `facets` counts the documents matched and the facet counts (`--count-by`); `files`
//! gives results by document (`--files`). `browse` answers `stats`, `list` and `show`;
//! `snippet` crops a passage for display.

pub mod aliases;
pub mod browse;
pub mod citations;
mod collapse;
mod collect;
pub mod compare;
mod explain;
pub mod export;
pub mod facets;
pub mod files;
mod hits;
mod memory;
pub mod query;
mod rank;
pub mod snippet;
mod structure;
pub mod synonyms;
pub mod textdiff;
pub mod verify;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;

use crate::index::Store;
use crate::search::synonyms::Synonyms;
pub use explain::{Clause, Explain};
pub use facets::{Facet, FacetKind, FacetValue};
pub use files::DocumentHit;
pub use hits::occurrences;
use query::Mode;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
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
    /// Most hits returned (documents with `by_document`).
    pub limit: usize,
    /// Hits (documents) skipped before those returned, for paging.
    pub offset: usize,
    /// Return documents, each with its best passage, instead of passages (`--files`).
    pub by_document: bool,
    /// Facet counts to return (`--count-by`), in this order.
    pub count_by: Vec<FacetKind>,
    pub sort: Sort,
    /// Synonyms expanded at query time (empty for `--exact`).
    pub synonyms: Arc<Synonyms>,
    /// Attach an [`Explain`] to every hit.
    pub explain: bool,
    /// Every word must stand in the passage's text, not in its heading path or title.
    pub strict: bool,
    /// Filters added to the query (`--latest`, `--as-of`).
    pub filters: Vec<query::Filter>,
}

/// The filters `--latest` and `--as-of` add to a query.
pub fn validity_filters(latest: bool, as_of: Option<&str>) -> Result<Vec<query::Filter>> {
    let mut filters = Vec::new();
    if latest {
        filters.push(query::Filter::Latest);
    }
    if let Some(day) = as_of {
        let Some(day) = query::as_of_day(day) else {
            anyhow::bail!("--as-of {day:?}: write the day as 2019-06-01");
        };
        filters.push(query::Filter::AsOf(day));
    }
    Ok(filters)
}

impl Options {
    /// `limit` hits by relevance, with the built-in synonyms, no explanations.
    pub fn new(limit: usize) -> Options {
        Options {
            limit,
            offset: 0,
            by_document: false,
            count_by: Vec::new(),
            sort: Sort::Relevance,
            synonyms: Arc::new(Synonyms::builtin()),
            explain: false,
            strict: false,
            filters: Vec::new(),
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
    /// The query's words the passage lacks, when the results are partial.
    pub missing: Vec<String>,
    /// Its document's version and validity.
    pub validity: Validity,
}

/// A document's version and validity, as hits and `show` give them (see
/// [`crate::index::versions`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validity {
    /// The version it is (2018年修正), when its text has several versions in the index.
    pub version: Option<String>,
    /// Versions of its text in the index (1 when alone).
    pub versions: usize,
    /// Whether it is (a copy of) the newest version of its text.
    pub latest: bool,
    pub status: Option<String>,
    pub status_source: Option<String>,
    /// In force from and until (exclusive), ISO 8601.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The version that replaced it, and that version's label.
    pub superseded_by: Option<String>,
    pub superseded_by_version: Option<String>,
    pub repealed_by: Option<String>,
    /// The document it is a copy of, and whether letter for letter.
    pub copy_of: Option<String>,
    pub exact_copy: bool,
    /// Repealed or expired texts the passage cites (their titles or numbers).
    pub cites_repealed: Vec<String>,
}

impl Validity {
    /// The validity of a document, `passage` naming the passage whose citations of repealed
    /// texts to give.
    pub fn of(doc: Option<&crate::index::versions::DocStatus>, passage: Option<u64>) -> Validity {
        let Some(doc) = doc else {
            return Validity {
                versions: 1,
                latest: true,
                ..Validity::default()
            };
        };
        Validity {
            version: doc.version.clone(),
            versions: doc.versions.max(1),
            latest: doc.latest,
            status: doc.status.clone(),
            status_source: doc.status_source.clone(),
            from: doc.from.clone(),
            to: doc.to.clone(),
            superseded_by: doc.superseded_by.clone(),
            superseded_by_version: doc.superseded_by_version.clone(),
            repealed_by: doc.repealed_by.clone(),
            copy_of: doc.copy_of.clone(),
            exact_copy: doc.exact_copy,
            cites_repealed: doc
                .cites_repealed
                .iter()
                .filter(|(p, _, _)| Some(*p) == passage)
                .map(|(_, cited, _)| cited.clone())
                .collect(),
        }
    }

    /// The version to cite: only when the text has several versions in the index.
    pub fn cited_version(&self) -> Option<&str> {
        self.version.as_deref().filter(|_| self.versions > 1)
    }

    /// How a hit says where the version stands: `2018年修正 · 已被2023年修订版取代`,
    /// `2023年修订 · 现行`, `已废止`; none when nothing is known.
    pub fn label(&self) -> Option<String> {
        let mut parts: Vec<String> = self.cited_version().map(String::from).into_iter().collect();
        match (self.status.as_deref(), &self.superseded_by_version) {
            (Some(crate::index::versions::AMENDED), Some(next)) => {
                parts.push(format!("已被{next}版取代"))
            }
            (Some(crate::index::versions::IN_FORCE), _) if self.versions > 1 => {
                parts.push("现行".into())
            }
            (Some(s), _) => parts.push(s.to_string()),
            (None, _) => {}
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

impl Hit {
    /// The reference to paste: see [`crate::ingest::meta::citation`]; with its version when
    /// the index holds several versions of the text.
    pub fn citation(&self) -> String {
        crate::ingest::meta::versioned_citation(
            &self.title,
            self.doc_number.as_deref(),
            self.article.as_deref(),
            self.validity.cited_version(),
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The document's key (see [`crate::ingest::name`]), in JSON `path` and `path_bytes`.
    pub path: String,
    pub passage: u64,
}

impl serde::Serialize for Duplicate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Json {
            #[serde(flatten)]
            name: crate::ingest::name::JsonName,
            passage: u64,
        }
        Json {
            name: crate::ingest::name::JsonName::of(&self.path),
            passage: self.passage,
        }
        .serialize(serializer)
    }
}

/// The answer to one query.
#[derive(Debug, Clone)]
pub struct Results {
    pub query: String,
    /// Matching passages, duplicates counted once.
    pub total_hits: usize,
    /// Documents holding a matching passage.
    pub total_documents: usize,
    pub took_ms: f64,
    /// Hits (documents with `by_document`) skipped before those returned.
    pub offset: usize,
    /// Whether no passage holds every word, so the hits hold only the most of them.
    pub partial: bool,
    /// How many words (terms) the query has.
    pub words: usize,
    /// The hits of the page; empty with `by_document`.
    pub hits: Vec<Hit>,
    /// With `by_document`, the documents of the page.
    pub documents: Option<Vec<DocumentHit>>,
    /// The facet counts asked for.
    pub facets: Vec<Facet>,
}

/// Runs `input` against the index. A conjunction of words no passage holds whole is
/// answered by the passages holding the most of them, marked partial.
pub fn run(store: &Store, input: &str, opts: &Options) -> Result<Results> {
    let started = Instant::now();
    let mut parsed = query::parse(input)?;
    if !opts.filters.is_empty() {
        let mut all = match parsed.root {
            query::Node::And(children) => children,
            other => vec![other],
        };
        all.extend(opts.filters.iter().cloned().map(query::Node::Filter));
        parsed.root = query::Node::And(all);
    }
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let mut mode = Mode {
        strict: opts.strict,
        relaxed: false,
    };
    let (mut results, relaxable) = answer(store, &searcher, &parsed, opts, mode)?;
    if results.total_hits == 0 && relaxable {
        mode.relaxed = true;
        results = answer(store, &searcher, &parsed, opts, mode)?.0;
        results.partial = results.total_hits > 0;
    }
    annotate(store, &mut results)?;
    results.query = input.to_string();
    results.took_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(results)
}

/// The results of one way of matching the query, and whether it can be relaxed (see
/// [`Mode::relaxed`]).
fn answer(
    store: &Store,
    searcher: &tantivy::Searcher,
    parsed: &query::Parsed,
    opts: &Options,
    mode: Mode,
) -> Result<(Results, bool)> {
    let versions = match parsed.root.needs_versions() {
        true => Some(store.versions()?),
        false => None,
    };
    let compiled = query::compile(
        parsed,
        &store.fields,
        searcher,
        &opts.synonyms,
        mode,
        versions,
    )?;
    let mut stored = hits::StoredCache::new(searcher, &store.fields);
    // In brief unless only the passages holding the most words answer, which each match's
    // coverage tells.
    let (collected, headers) =
        ranked_matches(store, searcher, &compiled, &mut stored, mode, !mode.relaxed)?;
    let mut results = Results {
        query: String::new(),
        total_hits: 0,
        total_documents: 0,
        took_ms: 0.0,
        offset: opts.offset,
        partial: false,
        words: compiled.terms.len(),
        hits: Vec::new(),
        documents: None,
        facets: Vec::new(),
    };
    let shown = Shown {
        compiled: &compiled,
        headers: &headers,
        opts,
    };
    let (window, sort) = (shown.window(), opts.sort);
    match collected {
        collect::Collected::Whole(matches) => {
            shown.fill(&matches[..], &mut stored, mode, &mut results, |counted| {
                Ok(collapse::collapse(&matches, window, sort, counted))
            })?
        }
        collect::Collected::Brief(briefs) => {
            shown.fill(&briefs, &mut stored, mode, &mut results, |counted| {
                collapse::collapse_briefs(&briefs, window, sort, counted, |at| {
                    briefs.whole_at(searcher, at)
                })
            })?
        }
    }
    Ok((results, compiled.relaxable))
}

/// Every passage matching, scored: coverage, structure, the document's own headers, the
/// date; in relaxed mode only those holding the most words. With the headers' hits.
fn ranked_matches(
    store: &Store,
    searcher: &tantivy::Searcher,
    compiled: &query::Compiled,
    stored: &mut hits::StoredCache,
    mode: Mode,
    brief: bool,
) -> Result<(collect::Collected, collect::Headers)> {
    let headers = collect::headers(searcher, compiled)?;
    let dates = store.summary()?.and_then(|s| s.date_range);
    let dates = rank::DateSpan::of(dates.as_ref());
    let mut matches = match collect::matches(searcher, compiled, stored, &headers, dates, brief)? {
        collect::Collected::Whole(matches) => matches,
        brief => return Ok((brief, headers)),
    };
    rank::set_coverage(&mut matches, compiled, searcher)?;
    if mode.relaxed {
        // Only the passages holding the most words answer.
        let most = matches.iter().map(|m| m.coverage).max().unwrap_or(0);
        matches.retain(|m| m.coverage == most);
    }
    structure::mark(&mut matches, compiled, searcher)?;
    Ok((collect::Collected::Whole(matches), headers))
}

/// What the results are made from, for the page asked.
struct Shown<'a> {
    compiled: &'a query::Compiled,
    headers: &'a collect::Headers,
    opts: &'a Options,
}

impl Shown<'_> {
    /// The results of the ranked matches: `--files`' documents, `--count-by`'s counts, and
    /// otherwise the page of hits, duplicates collapsed by `collapse` (given the counts where
    /// they are taken already).
    fn fill(
        &self,
        matches: &(impl collect::Matches + ?Sized),
        stored: &mut hits::StoredCache,
        mode: Mode,
        results: &mut Results,
        collapse: impl FnOnce(Option<(usize, usize)>) -> Result<collapse::Collapsed>,
    ) -> Result<()> {
        let opts = self.opts;
        let mut counted = None;
        if opts.by_document || !opts.count_by.is_empty() {
            let docs = facets::Documents::of(matches, opts.sort);
            let dups = facets::Duplicates::of(matches, &docs);
            results.total_documents = docs.len();
            results.total_hits = dups.total();
            let searcher = stored.searcher();
            results.facets = facets::count(searcher, matches, &docs, &dups, &opts.count_by)?;
            if opts.by_document {
                let (compiled, headers) = (self.compiled, self.headers);
                let documents =
                    files::documents(compiled, matches, &docs, &dups, headers, stored, opts)?;
                results.documents = Some(documents);
                return Ok(());
            }
            counted = Some((results.total_hits, results.total_documents));
        }
        self.page(collapse(counted)?, stored, mode, results)
    }

    /// How many groups are loaded for the page asked (see [`rank::window`]).
    fn window(&self) -> usize {
        let page = self.opts.offset.saturating_add(self.opts.limit.max(1));
        rank::window(page, self.compiled.terms.len(), self.opts.sort)
    }

    /// The page of hits asked for from the groups that can be shown.
    fn page(
        &self,
        collapsed: collapse::Collapsed,
        stored: &mut hits::StoredCache,
        mode: Mode,
        results: &mut Results,
    ) -> Result<()> {
        let (opts, compiled) = (self.opts, self.compiled);
        let limit = opts.limit.max(1);
        let wanted = opts.offset.saturating_add(limit);
        let mut ranked = hits::load(
            compiled,
            collapsed.groups,
            self.headers,
            stored,
            opts,
            wanted,
        )?;
        rank::sort_hits(&mut ranked, opts.sort);
        if mode.relaxed {
            for (m, hit) in &mut ranked {
                hit.missing = missing_terms(compiled, m.covered);
            }
        }
        results.total_hits = collapsed.total;
        results.total_documents = collapsed.documents;
        results.hits = ranked
            .into_iter()
            .skip(opts.offset)
            .take(limit)
            .map(|(_, h)| h)
            .collect();
        Ok(())
    }
}

/// Gives each hit shown its document's version and validity, reading the index's versions
/// only when there is a hit to show.
fn annotate(store: &Store, results: &mut Results) -> Result<()> {
    let best = results.documents.iter_mut().flatten().map(|d| &mut d.best);
    let mut hits = results.hits.iter_mut().chain(best).peekable();
    if hits.peek().is_none() {
        return Ok(());
    }
    for hit in hits {
        let doc = store.doc_status(&hit.path)?;
        hit.validity = Validity::of(doc.as_ref(), Some(hit.passage));
    }
    Ok(())
}

/// The query's words (as typed, the first of each term's alternatives) a passage lacks.
fn missing_terms(compiled: &query::Compiled, covered: u64) -> Vec<String> {
    compiled
        .terms
        .iter()
        .enumerate()
        .filter(|(i, _)| covered & (1 << (*i).min(63)) == 0)
        .map(|(_, t)| t[0].clone())
        .collect()
}

/// Both results, `a` on a second thread if `apart` (a panic in it is resumed here).
pub(crate) fn both<A: Send, B>(
    apart: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if !apart {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let a = s.spawn(a);
        let b = b();
        match a.join() {
            Ok(a) => (a, b),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
            missing: Vec::new(),
            validity: Validity::default(),
        };
        assert_eq!(hit.other_documents(), 2);
    }
}
