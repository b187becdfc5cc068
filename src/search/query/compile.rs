//! A syntax tree in, a Tantivy query out, with synonyms expanded.
//!
//! Every text (a word, a phrase, a synonym, a `title:` or `issuer:` value) is found by the
//! phrase of its CJK bigrams, which matches exactly the passages containing it as a
//! substring. A few shapes a phrase can only approximate (a lone character at the start of a
//! mixed word, punctuation inside a phrase) match a superset; then the query is marked
//! `verify` and every match is checked against its stored text with [`Plan::matches`].

use std::collections::HashMap;

use anyhow::{Result, bail};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, RangeQuery, RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::any_of::AnyOf;
use super::doc_keys::DocKeysQuery;
use super::lone_char::LoneCharQuery;
use super::parse::{Filter, Node, Parsed};
use super::provisions;
use super::segment::QuerySegmenter;
use crate::analysis::{Gram, GramKind, gram_tokens};
use crate::index::Fields;
use crate::index::document::doc_key;
use crate::index::versions::Versions;
use crate::ingest::meta::{doc_number_forms, doc_type_forms};
use crate::search::collect::HeaderHits;
use crate::search::synonyms::Synonyms;

/// How many bigrams a trailing lone character may expand to.
const MAX_PREFIX_EXPANSIONS: u32 = 100_000;

/// Boosts of the scoring fields. The passage text scores as the phrase of a word's bigrams,
/// with the weight its jieba words had beside the phrase before (0.5 + 1.0): on the seeds,
/// the same order as then; known-item MRR@10 0.782 / 0.708 (0.779 / 0.704 at 0.5, 0.769 /
/// 0.690 at 3.0).
pub const BOOST_GRAMS: f32 = 1.5;
pub const BOOST_TITLE: f32 = 0.6;
pub const BOOST_HEADING: f32 = 0.6;
pub const BOOST_KEYPHRASES: f32 = 3.0;
pub const BOOST_DOC_KEYPHRASES: f32 = 0.4;

/// The fields a query's jieba words score in: each field, its name in explanations, its boost,
/// and whether it lies in the document's header. The query segmenter looks words up in them.
fn word_fields(f: &Fields) -> [(Field, &'static str, f32, bool); 4] {
    [
        (f.heading, "heading", BOOST_HEADING, false),
        (f.keyphrases, "keyphrases", BOOST_KEYPHRASES, false),
        (f.header_title, "title", BOOST_TITLE, true),
        (
            f.header_keyphrases,
            "doc_keyphrases",
            BOOST_DOC_KEYPHRASES,
            true,
        ),
    ]
}

/// The query tree after synonym expansion: what a passage must satisfy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// One of these normalised texts (a word and its synonyms) occurs in the passage.
    Text(Vec<String>),
    /// One of these texts occurs in the passage or its context: its heading path or its
    /// document's title (a word of a several-word query).
    Context(Vec<String>),
    /// One of these terms (each with its alternatives) occurs in the passage's text or
    /// heading path: a passage matching by its context alone is not a match.
    InPassage(Vec<Vec<String>>),
    Filter(Filter),
    /// The passages of these documents (by key): a filter on validity or version, resolved
    /// against the index's versions.
    Documents(std::collections::BTreeSet<u64>),
    And(Vec<Plan>),
    Or(Vec<Plan>),
    Not(Box<Plan>),
}

/// What [`Plan::matches`] checks a passage against: its stored fields, normalised.
#[derive(Debug, Clone, Copy, Default)]
pub struct Candidate<'a> {
    pub text: &'a str,
    pub heading: &'a str,
    pub title: &'a str,
    pub issuer: &'a str,
    pub doc_number: &'a str,
    pub doc_type: &'a str,
    /// yyyymmdd, 0 when unknown.
    pub date: u64,
    /// yyyymmdd of entry into force, 0 when unknown.
    pub effective: u64,
    /// The passage's document key (see [`crate::index::document::doc_key`]).
    pub doc_key: u64,
    /// The alternatives that hold in some documents only.
    pub restricted: Option<&'a Restricted>,
}

/// Alternatives that hold in some documents only (their keys, see
/// [`crate::index::document::doc_key`]): the long form of an abbreviation a document defines
/// for itself (`（以下简称国库）`) is what the abbreviation means there, and nowhere else.
pub type Restricted = HashMap<String, Vec<u64>>;

impl Candidate<'_> {
    /// Whether `field` holds the alternative `a` and the alternative holds in this document.
    fn holds(&self, field: &str, a: &str) -> bool {
        super::contains(field, a)
            && self
                .restricted
                .and_then(|r| r.get(a))
                .is_none_or(|keys| keys.contains(&self.doc_key))
    }
}

impl Plan {
    /// Whether a passage satisfies the plan, decided on its text: the exact semantics the
    /// index query approximates where it cannot be exact.
    pub fn matches(&self, c: &Candidate) -> bool {
        match self {
            Plan::Text(alternatives) => alternatives.iter().any(|a| c.holds(c.text, a)),
            Plan::Context(alternatives) => alternatives
                .iter()
                .any(|a| c.holds(c.text, a) || c.holds(c.heading, a) || c.holds(c.title, a)),
            Plan::InPassage(terms) => terms
                .iter()
                .flatten()
                .any(|a| c.holds(c.text, a) || c.holds(c.heading, a)),
            Plan::Filter(Filter::Title(t)) => super::contains(c.title, t),
            Plan::Filter(Filter::Issuer(t)) => super::contains(c.issuer, t),
            Plan::Filter(Filter::DocNumber(n)) => doc_number_forms(c.doc_number).contains(n),
            Plan::Filter(Filter::DocType(t)) => {
                !c.doc_type.is_empty() && doc_type_forms(c.doc_type, c.title).contains(t)
            }
            Plan::Filter(Filter::Date { from, to }) => (*from..=*to).contains(&c.date),
            Plan::Filter(Filter::Effective { from, to }) => (*from..=*to).contains(&c.effective),
            Plan::Documents(keys) => keys.contains(&c.doc_key),
            Plan::Filter(Filter::Status(_) | Filter::AsOf(_) | Filter::Latest) => false,
            Plan::And(children) => children.iter().all(|p| p.matches(c)),
            Plan::Or(children) => children.iter().any(|p| p.matches(c)),
            Plan::Not(child) => !child.matches(c),
        }
    }

    fn has_or(&self) -> bool {
        match self {
            // A filter with its aliases (issuer:国办) is one condition.
            Plan::Or(children) => !children.iter().all(|c| matches!(c, Plan::Filter(_))),
            Plan::And(children) => children.iter().any(Plan::has_or),
            Plan::Not(_)
            | Plan::Text(_)
            | Plan::Context(_)
            | Plan::InPassage(_)
            | Plan::Documents(_)
            | Plan::Filter(_) => false,
        }
    }

    /// The texts a matching passage must (or may) contain, outside any negation: these are
    /// highlighted and weighed for proximity.
    fn positive_texts(&self, out: &mut Vec<Vec<String>>) {
        match self {
            Plan::Text(alternatives) | Plan::Context(alternatives) => {
                if !out.contains(alternatives) {
                    out.push(alternatives.clone());
                }
            }
            Plan::And(children) | Plan::Or(children) => {
                for c in children {
                    c.positive_texts(out);
                }
            }
            Plan::Not(_) | Plan::Filter(_) | Plan::InPassage(_) | Plan::Documents(_) => {}
        }
    }
}

/// Whether the document at `path` satisfies a filter on its status, its days in force or
/// its version.
pub fn validity_matches(filter: &Filter, versions: &Versions, path: &str) -> bool {
    let doc = versions.docs.get(path);
    match filter {
        Filter::Status(s) => doc.and_then(|d| d.status.as_deref()) == Some(s.as_str()),
        Filter::AsOf(day) => versions.in_force_on(path, *day),
        Filter::Latest => doc.is_none_or(|d| d.latest),
        _ => false,
    }
}

/// The plan with each filter on validity or version replaced by the documents satisfying it.
pub fn resolve_validity(plan: Plan, versions: &Versions) -> Plan {
    let all = |children: Vec<Plan>| -> Vec<Plan> {
        children
            .into_iter()
            .map(|c| resolve_validity(c, versions))
            .collect()
    };
    match plan {
        Plan::Filter(f @ (Filter::Status(_) | Filter::AsOf(_) | Filter::Latest)) => {
            Plan::Documents(
                versions
                    .docs
                    .keys()
                    .filter(|path| validity_matches(&f, versions, path))
                    .map(|path| doc_key(path))
                    .collect(),
            )
        }
        Plan::And(c) => Plan::And(all(c)),
        Plan::Or(c) => Plan::Or(all(c)),
        Plan::Not(c) => Plan::Not(Box::new(resolve_validity(*c, versions))),
        other => other,
    }
}

/// A query ready to run.
pub struct Compiled {
    pub query: Box<dyn Query>,
    /// What a hit must satisfy, for verification.
    pub plan: Plan,
    /// The positive query terms, each with its alternatives (the word first, then its
    /// synonyms), normalised.
    pub terms: Vec<Vec<String>>,
    /// For each term, the query matching the passages that contain one of its alternatives.
    pub term_queries: Vec<Box<dyn Query>>,
    /// The alternatives that hold in some documents only.
    pub restricted: Restricted,
    /// Whether the index match only approximates the plan, so that hits must be checked
    /// against their text.
    pub verify: bool,
    /// Whether hits may hold only some of the terms (the query has an OR).
    pub partial: bool,
    /// The scoring clauses one by one, to explain a hit's score.
    pub leaves: Vec<Leaf>,
    /// Scores document headers (title, document key phrases): a passage's score adds its
    /// header's. None when no text is scored.
    pub header_query: Option<Box<dyn Query>>,
    /// Where each term stands besides the text, for ranking; None in strict mode and for
    /// queries that are not a conjunction of several conditions.
    pub context: Option<ContextTerms>,
    /// Whether no passage holding every term can be answered by passages holding the most
    /// of them (a conjunction of several words): see [`Mode::relaxed`].
    pub relaxable: bool,
}

/// How a query is matched.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// Every word must stand in the passage's text (no context).
    pub strict: bool,
    /// The words of the conjunction joined by OR instead: the passages holding the most of
    /// them answer a query no passage answers whole.
    pub relaxed: bool,
}

/// For each term of a query matched in context: the queries and sets telling where the term
/// stands besides the text.
pub struct ContextTerms {
    /// Passages whose heading path holds the term.
    pub heading: Vec<Box<dyn Query>>,
    /// Documents (keys) whose title holds the term.
    pub title_docs: Vec<std::collections::HashSet<u64>>,
    /// Passages that are the article the term names (第四十六条), if it names one.
    pub article: Vec<Option<Box<dyn Query>>>,
    /// [`crate::ingest::meta::title_key`] of each alternative: a document whose short title
    /// equals the term is the one it names.
    pub title_keys: Vec<Vec<u64>>,
    /// Whether a filter names the document (`title:`, `doc:`).
    pub document_named: bool,
}

/// One scoring clause of the query: a text's substring phrase or one of its jieba words in
/// one field, with its boost.
pub struct Leaf {
    /// Index field name.
    pub field: &'static str,
    /// The word looked up, or the text whose substring phrase this is.
    pub term: String,
    pub boost: f32,
    /// The clause without its boost.
    pub query: Box<dyn Query>,
    /// The text alternative the clause belongs to: its clauses count only where its
    /// substring phrase (the first clause of the group) matches.
    pub group: usize,
    /// Whether the clause scores the passage's document header rather than the passage:
    /// it counts wherever the header matches it.
    pub on_header: bool,
}

impl Compiled {
    /// Every alternative of every term: the texts to highlight.
    pub fn needles(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.terms.iter().flatten() {
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
        out
    }
}

/// Builds the Tantivy query for `parsed`, expanding words found in `synonyms`.
pub fn compile(
    parsed: &Parsed,
    fields: &Fields,
    searcher: &Searcher,
    synonyms: &Synonyms,
    mode: Mode,
    versions: Option<&Versions>,
) -> Result<Compiled> {
    let mut restricted = Restricted::new();
    let mut plan = expand(
        &provisions::rewrite(parsed.root.clone()),
        synonyms,
        &mut restricted,
    );
    keep_restricted_only(&plan, &mut restricted);
    if let Some(versions) = versions {
        plan = resolve_validity(plan, versions);
    }
    let contextual = !mode.strict && in_context(&mut plan, mode.relaxed);
    let relaxable = contextual && !mode.relaxed && plan_texts(&plan) > 1;
    let mut builder = Builder {
        fields,
        searcher,
        segmenter: QuerySegmenter::new(searcher, word_fields(fields).map(|(field, ..)| field)),
        restricted: &restricted,
        leaves: Vec::new(),
        header_clauses: Vec::new(),
        sought: false,
    };
    let (query, exact) = builder.build(&plan, true)?;
    let mut terms = Vec::new();
    plan.positive_texts(&mut terms);
    let term_queries = terms
        .iter()
        .map(|alternatives| {
            if contextual {
                builder.context(alternatives, false).map(|(q, _)| q)
            } else {
                builder.text(alternatives, false).map(|(q, _)| q)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let context = match contextual {
        true => Some(builder.context_terms(&terms, names_document(&plan))?),
        false => None,
    };
    let header_query = (!builder.header_clauses.is_empty())
        .then(|| Box::new(BooleanQuery::new(builder.header_clauses)) as Box<dyn Query>);
    let leaves = builder.leaves;
    Ok(Compiled {
        query,
        partial: plan.has_or(),
        plan,
        restricted,
        terms,
        term_queries,
        verify: !exact,
        leaves,
        header_query,
        context,
        relaxable,
    })
}

/// What a passage or document must satisfy for `parsed`, its words and filter values
/// expanded with `synonyms`.
pub fn plan(parsed: &Parsed, synonyms: &Synonyms) -> Plan {
    expand(&parsed.root, synonyms, &mut Restricted::new())
}

/// Turns a conjunction of several conditions (words, filters, exclusions; no OR) into
/// context matching: each word may stand in the passage's text, heading path or document
/// title, and one of them in its text or heading path. With `relaxed`, its words are joined
/// by OR. Returns whether the plan was changed; a lone word keeps grep's semantics.
fn in_context(plan: &mut Plan, relaxed: bool) -> bool {
    let Plan::And(children) = plan else {
        return false;
    };
    let positive = children
        .iter()
        .filter(|c| !matches!(c, Plan::Not(_)))
        .count();
    if positive < 2 || children.iter().any(Plan::has_or) {
        return false;
    }
    let mut texts = Vec::new();
    let mut rest = Vec::new();
    for child in children.drain(..) {
        match child {
            Plan::Text(alternatives) => texts.push(alternatives),
            other => rest.push(other),
        }
    }
    if texts.is_empty() {
        *children = rest;
        return false;
    }
    let in_passage = Plan::InPassage(texts.clone());
    let words = texts.into_iter().map(Plan::Context);
    if relaxed {
        rest.push(Plan::Or(words.collect()));
    } else {
        rest.extend(words);
    }
    rest.push(in_passage);
    *children = rest;
    true
}

/// Whether a conjunction's filters name a document.
fn names_document(plan: &Plan) -> bool {
    match plan {
        Plan::And(children) => children.iter().any(|c| match c {
            Plan::Filter(Filter::Title(_)) | Plan::Filter(Filter::DocNumber(_)) => true,
            // A title with its aliases (title:民诉法).
            Plan::Or(alternatives) => alternatives
                .iter()
                .all(|a| matches!(a, Plan::Filter(Filter::Title(_)))),
            _ => false,
        }),
        _ => false,
    }
}

/// How many word conditions a plan's conjunction holds.
fn plan_texts(plan: &Plan) -> usize {
    match plan {
        Plan::And(children) => children
            .iter()
            .filter(|c| matches!(c, Plan::Text(_) | Plan::Context(_)))
            .count(),
        _ => 0,
    }
}

/// The tree with every unquoted word replaced by the word and its synonyms, and every text
/// naming a provision (第46条) by both its spellings.
fn expand(node: &Node, synonyms: &Synonyms, restricted: &mut Restricted) -> Plan {
    let spellings = |mut alternatives: Vec<String>| {
        for alt in alternatives.clone() {
            for v in provisions::number_variants(&alt) {
                if !alternatives.contains(&v) {
                    alternatives.push(v);
                }
            }
        }
        Plan::Text(alternatives)
    };
    match node {
        Node::Text { text, quoted: true } => spellings(vec![text.clone()]),
        Node::Text {
            text,
            quoted: false,
        } => {
            let mut alternatives = synonyms.expand(text);
            // In a document that defines the word for itself, its long form too.
            for l in synonyms.local(text, &alternatives) {
                if !alternatives.contains(&l.long) {
                    alternatives.push(l.long.clone());
                }
                let keys = restricted.entry(l.long.clone()).or_default();
                keys.extend(
                    l.keys
                        .iter()
                        .filter(|k| !keys.contains(k))
                        .collect::<Vec<_>>(),
                );
            }
            spellings(alternatives)
        }
        // Titles and issuers are named with the same aliases as the text.
        Node::Filter(Filter::Title(t)) => either_filter(synonyms.expand(t), Filter::Title),
        Node::Filter(Filter::Issuer(t)) => either_filter(synonyms.expand(t), Filter::Issuer),
        Node::Filter(f) => Plan::Filter(f.clone()),
        Node::And(c) => Plan::And(c.iter().map(|n| expand(n, synonyms, restricted)).collect()),
        Node::Or(c) => Plan::Or(c.iter().map(|n| expand(n, synonyms, restricted)).collect()),
        Node::Not(c) => Plan::Not(Box::new(expand(c, synonyms, restricted))),
    }
}

/// Leaves out of `restricted` the alternatives that some word of the plan finds everywhere
/// (`国库 国家金库`: the second word is no document's abbreviation).
fn keep_restricted_only(plan: &Plan, restricted: &mut Restricted) {
    let mut typed = Vec::new();
    words_typed(plan, &mut typed);
    restricted.retain(|alt, _| !typed.contains(alt));
}

/// The words of a plan as typed (each text's first alternative).
fn words_typed(plan: &Plan, out: &mut Vec<String>) {
    match plan {
        Plan::Text(alternatives) | Plan::Context(alternatives) => {
            out.extend(alternatives.first().cloned());
        }
        Plan::InPassage(_) | Plan::Filter(_) | Plan::Documents(_) => {}
        Plan::And(children) | Plan::Or(children) => {
            children.iter().for_each(|c| words_typed(c, out))
        }
        Plan::Not(child) => words_typed(child, out),
    }
}

/// A filter on one of the alternatives.
fn either_filter(alternatives: Vec<String>, filter: fn(String) -> Filter) -> Plan {
    let mut filters: Vec<Plan> = alternatives
        .into_iter()
        .map(|a| Plan::Filter(filter(a)))
        .collect();
    match filters.len() {
        1 => filters.remove(0),
        _ => Plan::Or(filters),
    }
}

struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    segmenter: QuerySegmenter<'a>,
    restricted: &'a Restricted,
    leaves: Vec<Leaf>,
    /// The scoring clauses on document headers, for [`Compiled::header_query`].
    header_clauses: Vec<(Occur, Box<dyn Query>)>,
    /// Whether the query being built is intersected with others, and so sought from one
    /// candidate of theirs to the next rather than read through (see [`Builder::any_of`]).
    sought: bool,
}

/// Matches every passage (not the document headers, whose doc key is 0) without adding to
/// its score.
fn everything(fields: &Fields) -> Box<dyn Query> {
    let passages = RangeQuery::new(
        std::ops::Bound::Included(Term::from_field_u64(fields.doc_key, 1)),
        std::ops::Bound::Included(Term::from_field_u64(fields.doc_key, u64::MAX)),
    );
    Box::new(ConstScoreQuery::new(Box::new(passages), 0.0))
}

/// Matches what `query` does not; exact only when `query` is.
fn negate(query: Box<dyn Query>, exact: bool, fields: &Fields) -> (Box<dyn Query>, bool) {
    if exact {
        (
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, everything(fields)),
                (Occur::MustNot, query),
            ])),
            true,
        )
    } else {
        // Excluding a superset would lose passages: exclude nothing here, verify later.
        (everything(fields), false)
    }
}

impl Builder<'_> {
    /// The passages whose `field` contains the alternative, in the documents where it holds
    /// (see [`Restricted`]); and whether the match is exact.
    fn substring(&self, alt: &str, field: Field) -> Result<(Box<dyn Query>, bool)> {
        let (query, exact) = substring_query(alt, gram_field(self.fields, field))?;
        Ok(match self.restricted.get(alt) {
            None => (query, exact),
            Some(keys) => (
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, query),
                    (Occur::Must, self.in_documents(keys)),
                ])),
                exact,
            ),
        })
    }

    /// The passages of these documents, matching without adding to the score.
    fn in_documents(&self, keys: &[u64]) -> Box<dyn Query> {
        let docs = DocKeysQuery::new(keys.iter().copied());
        Box::new(ConstScoreQuery::new(Box::new(docs), 0.0))
    }

    /// Whether the alternative holds in the document `key`.
    fn holds_in(&self, alt: &str, key: u64) -> bool {
        self.restricted
            .get(alt)
            .is_none_or(|keys| keys.contains(&key))
    }

    /// The query for `plan` and whether its matches are exactly the plan's (otherwise a
    /// superset). `scored` adds the ranking clauses (not needed under a negation).
    fn build(&mut self, plan: &Plan, scored: bool) -> Result<(Box<dyn Query>, bool)> {
        match plan {
            Plan::Text(alternatives) => self.text(alternatives, scored),
            Plan::Context(alternatives) => self.context(alternatives, scored),
            Plan::InPassage(terms) => self.in_passage(terms),
            Plan::Filter(f) => self.filter(f),
            Plan::Documents(keys) => Ok((self.documents(keys), true)),
            Plan::Not(child) => {
                let (q, exact) = self.build(child, false)?;
                Ok(negate(q, exact, self.fields))
            }
            Plan::And(children) => {
                let mut clauses = Vec::with_capacity(children.len());
                let mut exact = true;
                let mut required = false;
                let outer = self.sought;
                self.sought = children
                    .iter()
                    .filter(|c| !matches!(c, Plan::Not(_)))
                    .count()
                    > 1;
                for c in children {
                    if let Plan::Not(inner) = c {
                        let (q, ex) = self.build(inner, false)?;
                        if ex {
                            clauses.push((Occur::MustNot, q));
                        } else {
                            exact = false;
                        }
                    } else {
                        let (q, ex) = self.build(c, scored)?;
                        exact &= ex;
                        required = true;
                        clauses.push((Occur::Must, q));
                    }
                }
                self.sought = outer;
                if !required {
                    clauses.push((Occur::Must, everything(self.fields)));
                }
                Ok((Box::new(BooleanQuery::new(clauses)), exact))
            }
            Plan::Or(children) => {
                let mut clauses = Vec::with_capacity(children.len());
                let mut exact = true;
                for c in children {
                    let (q, ex) = self.build(c, scored)?;
                    exact &= ex;
                    clauses.push((Occur::Should, q));
                }
                Ok((Box::new(BooleanQuery::new(clauses)), exact))
            }
        }
    }

    /// One of the alternatives as a substring; scored as a phrase of bigrams, and by its jieba
    /// words in headings, key phrases and titles.
    fn text(&mut self, alternatives: &[String], scored: bool) -> Result<(Box<dyn Query>, bool)> {
        let mut queries = Vec::with_capacity(alternatives.len());
        let mut exact = true;
        for alt in alternatives {
            let (recall, ex) = self.substring(alt, self.fields.grams)?;
            exact &= ex;
            if !scored {
                queries.push(recall);
                continue;
            }
            let group = self.leaves.last().map_or(0, |l| l.group + 1);
            self.leaves.push(Leaf {
                field: "grams",
                term: alt.clone(),
                boost: BOOST_GRAMS,
                query: recall.box_clone(),
                group,
                on_header: false,
            });
            let mut words: Vec<Box<dyn Query>> = Vec::new();
            let f = self.fields;
            for token in self.segmenter.cut(alt) {
                for (field, name, boost, on_header) in word_fields(f) {
                    let term = TermQuery::new(
                        Term::from_field_text(field, &token),
                        IndexRecordOption::WithFreqs,
                    );
                    self.leaves.push(Leaf {
                        field: name,
                        term: token.clone(),
                        boost,
                        query: Box::new(term.clone()),
                        group,
                        on_header,
                    });
                    let clause = Box::new(BoostQuery::new(Box::new(term), boost)) as Box<dyn Query>;
                    if on_header {
                        self.header_clauses.push((Occur::Should, clause));
                    } else {
                        words.push(clause);
                    }
                }
            }
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, Box::new(BoostQuery::new(recall, BOOST_GRAMS)))];
            // The word clauses are sought at each passage the phrase matches.
            match self.sought {
                true if !words.is_empty() => {
                    clauses.push((Occur::Should, Box::new(AnyOf::new(words))));
                }
                _ => clauses.extend(words.into_iter().map(|w| (Occur::Should, w))),
            }
            queries.push(Box::new(BooleanQuery::new(clauses)));
        }
        Ok(match queries.len() {
            1 => (queries.remove(0), exact),
            _ => (self.any_of(queries), exact),
        })
    }

    /// Any of `clauses`. Tantivy's union reads ahead a window of 4,096 documents, scoring
    /// every one each clause holds, which serves a query read through; a query sought from
    /// one candidate of an intersection to the next refills that window at each seek, and
    /// [`AnyOf`] moves each clause to the candidate only. The scores are the same either way.
    fn any_of(&self, clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        match self.sought {
            true => Box::new(AnyOf::new(clauses)),
            false => Box::new(BooleanQuery::new(
                clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
            )),
        }
    }

    /// One of the alternatives in the text (scored as [`Builder::text`]), the heading path or
    /// the document's title (matching without adding to the score).
    fn context(&mut self, alternatives: &[String], scored: bool) -> Result<(Box<dyn Query>, bool)> {
        let (text, mut exact) = self.text(alternatives, scored)?;
        let mut clauses = vec![text];
        for alt in alternatives {
            let (heading, ex) = self.substring(alt, self.fields.heading_grams)?;
            let (title, ex_title) = self.documents_where(alt, self.fields.header_title_grams)?;
            exact &= ex && ex_title;
            for q in [heading, title] {
                clauses.push(Box::new(ConstScoreQuery::new(q, 0.0)));
            }
        }
        Ok((self.any_of(clauses), exact))
    }

    /// One of the terms in the text or the heading path.
    fn in_passage(&mut self, terms: &[Vec<String>]) -> Result<(Box<dyn Query>, bool)> {
        let mut clauses = Vec::new();
        let mut exact = true;
        for alt in terms.iter().flatten() {
            for field in [self.fields.grams, self.fields.heading_grams] {
                let (q, ex) = self.substring(alt, field)?;
                exact &= ex;
                clauses.push(q);
            }
        }
        Ok((
            Box::new(ConstScoreQuery::new(self.any_of(clauses), 0.0)),
            exact,
        ))
    }

    /// Where each term stands besides the text (see [`ContextTerms`]).
    fn context_terms(&self, terms: &[Vec<String>], document_named: bool) -> Result<ContextTerms> {
        let f = self.fields;
        let mut context = ContextTerms {
            heading: Vec::new(),
            title_docs: Vec::new(),
            article: Vec::new(),
            title_keys: Vec::new(),
            document_named,
        };
        for alternatives in terms {
            let mut heading = Vec::new();
            let mut docs = std::collections::HashSet::new();
            let mut articles = Vec::new();
            for alt in alternatives {
                heading.push((Occur::Should, self.substring(alt, f.heading_grams)?.0));
                let (headers, _) = substring_query(alt, gram_field(f, f.header_title_grams))?;
                docs.extend(
                    self.searcher
                        .search(headers.as_ref(), &HeaderHits)?
                        .into_iter()
                        .map(|h| h.key)
                        .filter(|&key| self.holds_in(alt, key)),
                );
                if alt.starts_with('第') && alt.ends_with('条') {
                    articles.push(Term::from_field_text(f.article, alt));
                }
            }
            context
                .heading
                .push(Box::new(BooleanQuery::new(heading)) as Box<dyn Query>);
            context.title_docs.push(docs);
            context.article.push(
                (!articles.is_empty())
                    .then(|| Box::new(TermSetQuery::new(articles)) as Box<dyn Query>),
            );
            context.title_keys.push(
                alternatives
                    .iter()
                    .map(|a| crate::ingest::meta::title_key(a))
                    .collect(),
            );
        }
        Ok(context)
    }

    /// The passages of the documents whose header `field` contains `text`, and whether the
    /// match is exact (otherwise a superset, verified against the passages' stored fields).
    fn documents_where(&self, text: &str, field: Field) -> Result<(Box<dyn Query>, bool)> {
        let (headers, exact) = substring_query(text, gram_field(self.fields, field))?;
        let mut keys = self.searcher.search(headers.as_ref(), &HeaderHits)?;
        keys.retain(|h| self.holds_in(text, h.key));
        if keys.is_empty() {
            return Ok((Box::new(EmptyQuery), exact));
        }
        let docs = DocKeysQuery::new(keys.iter().map(|h| h.key));
        Ok((Box::new(docs), exact))
    }

    /// The passages of the documents of these keys.
    fn documents(&self, keys: &std::collections::BTreeSet<u64>) -> Box<dyn Query> {
        if keys.is_empty() {
            return Box::new(EmptyQuery);
        }
        let docs = DocKeysQuery::new(keys.iter().copied());
        Box::new(ConstScoreQuery::new(Box::new(docs), 0.0))
    }

    /// Filters only select: they add nothing to the score.
    fn filter(&mut self, filter: &Filter) -> Result<(Box<dyn Query>, bool)> {
        let f = self.fields;
        let raw = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let (query, exact) = match filter {
            Filter::Title(t) => self.documents_where(t, f.header_title_grams)?,
            Filter::Issuer(t) => self.documents_where(t, f.header_issuer)?,
            Filter::DocNumber(n) => (raw(f.doc_number, n), true),
            Filter::DocType(t) => (
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, raw(f.doc_type, t)),
                    (Occur::Should, raw(f.doc_form, t)),
                ])) as Box<dyn Query>,
                true,
            ),
            Filter::Date { from, to } => (days(f.date, *from, *to), true),
            Filter::Effective { from, to } => (days(f.effective, *from, *to), true),
            Filter::Status(_) | Filter::AsOf(_) | Filter::Latest => {
                bail!("the index's versions were not read for the filter {filter:?}")
            }
        };
        Ok((Box::new(ConstScoreQuery::new(query, 0.0)), exact))
    }
}

/// Passages whose yyyymmdd `field` lies in `from..=to`.
fn days(field: Field, from: u64, to: u64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        std::ops::Bound::Included(Term::from_field_u64(field, from)),
        std::ops::Bound::Included(Term::from_field_u64(field, to)),
    ))
}

/// A field of CJK bigrams, and the field of the characters ending its runs where it has one
/// (see [`crate::analysis`]).
#[derive(Debug, Clone, Copy)]
struct GramField {
    grams: Field,
    run_ends: Option<Field>,
}

/// The bigram field `grams` of the index, with its run ends: the passage text's and the heading
/// path's have them; the headers' short fields, whose dictionaries are small, do not.
fn gram_field(fields: &Fields, grams: Field) -> GramField {
    let run_ends = if grams == fields.grams {
        Some(fields.run_ends)
    } else if grams == fields.heading_grams {
        Some(fields.heading_run_ends)
    } else {
        None
    };
    GramField { grams, run_ends }
}

/// The query finding every passage whose `field` contains the normalised `text`, and
/// whether it finds only those.
fn substring_query(text: &str, field: GramField) -> Result<(Box<dyn Query>, bool)> {
    let grams = gram_tokens(text);
    // Characters outside the grams (punctuation, spaces) at either end are not in the index.
    let whole = grams.first().is_some_and(|g| g.start == 0)
        && grams.last().is_some_and(|g| g.end == text.len());
    let (query, exact) = recall_query(&grams, field)?;
    Ok((query, exact && whole))
}

/// The query that finds every passage containing the word whose grams are given, and whether
/// it finds only those (otherwise hits are verified against their text).
fn recall_query(grams: &[Gram], field: GramField) -> Result<(Box<dyn Query>, bool)> {
    let term = |g: &Gram| Term::from_field_text(field.grams, &g.text);
    let has_gap = grams.windows(2).any(|w| w[1].position != w[0].position + 1);
    match grams {
        [] => bail!("nothing to search for"),
        [only] if only.kind == GramKind::Unigram => Ok((lone_char(only, field)?, true)),
        [only] => Ok((
            Box::new(TermQuery::new(term(only), IndexRecordOption::WithFreqs)),
            true,
        )),
        // A lone character at the start may end a bigram in the text: require the character
        // and the rest of the phrase, then check the text.
        [first, rest @ ..] if first.kind == GramKind::Unigram => {
            let (rest_query, _) = recall_query(rest, field)?;
            let both = BooleanQuery::new(vec![
                (Occur::Must, lone_char(first, field)?),
                (Occur::Must, rest_query),
            ]);
            Ok((Box::new(both), false))
        }
        [.., last] => {
            let base = grams[0].position;
            let terms: Vec<(usize, Term)> =
                grams.iter().map(|g| (g.position - base, term(g))).collect();
            // A lone character at the end may begin a bigram in the text.
            if last.kind == GramKind::Unigram {
                let mut q = PhrasePrefixQuery::new_with_offset(terms);
                q.set_max_expansions(MAX_PREFIX_EXPANSIONS);
                Ok((Box::new(q), !has_gap))
            } else {
                Ok((Box::new(PhraseQuery::new_with_offset(terms)), !has_gap))
            }
        }
    }
}

/// Matches every passage holding the character: the terms it begins (itself alone, or a
/// bigram), one range of the dictionary; and where the field has them, the runs it ends.
/// Without those, the bigrams it ends too, found by walking the whole dictionary.
fn lone_char(gram: &Gram, field: GramField) -> Result<Box<dyn Query>> {
    let Some(run_ends) = field.run_ends else {
        let c = regex_escape(&gram.text);
        let pattern = format!("{c}.?|.{c}");
        return Ok(Box::new(RegexQuery::from_pattern(&pattern, field.grams)?));
    };
    Ok(Box::new(LoneCharQuery::new(
        &gram.text,
        field.grams,
        run_ends,
    )))
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~\"@<>".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::meta::Date;
    use crate::search::query::parse;

    fn plan(q: &str, synonyms: &Synonyms) -> Plan {
        expand(&parse(q).unwrap().root, synonyms, &mut Restricted::new())
    }

    #[test]
    fn words_expand_but_phrases_do_not() {
        let s = Synonyms::builtin();
        assert_eq!(
            plan("WTO", &s),
            Plan::Text(vec!["wto".into(), "世界贸易组织".into(), "世贸组织".into()])
        );
        assert_eq!(plan("\"WTO\"", &s), Plan::Text(vec!["wto".into()]));
        assert_eq!(
            plan("WTO", &Synonyms::none()),
            Plan::Text(vec!["wto".into()])
        );
    }

    #[test]
    fn positive_texts_leave_out_negations_and_filters() {
        let p = plan("(数据 OR 安全) -发展 title:法", &Synonyms::none());
        let mut out = Vec::new();
        p.positive_texts(&mut out);
        assert_eq!(out, [vec!["数据".to_string()], vec!["安全".to_string()]]);
        assert!(p.has_or());
        assert!(!plan("数据 -(a OR b)", &Synonyms::none()).has_or());
    }

    #[test]
    fn plans_match_on_stored_fields() {
        let c = Candidate {
            text: "加入世界贸易组织 数据安全",
            heading: "",
            title: "中华人民共和国数据安全法",
            issuer: "",
            doc_number: "国发〔2019〕5号",
            doc_type: "法律",
            date: 20210610,
            effective: 20210901,
            doc_key: 1,
            restricted: None,
        };
        let s = Synonyms::builtin();
        for (q, want) in [
            ("WTO", true),
            ("\"WTO\"", false),
            ("数据 -贸易", false),
            ("数据 OR 不在", true),
            ("\"组织 数据\"", true),
            ("\"组织，数据\"", false),
            ("type:法 date:2021", true),
            ("date:..2020", false),
            ("doc:国发[2019]5号 title:安全法", true),
            ("issuer:国务院 数据", false),
            ("effective:2021-09", true),
            ("effective:2021-06-10", false),
            ("date:2021-06-10 effective:2021-09-01..", true),
        ] {
            assert_eq!(plan(q, &s).matches(&c), want, "{q}");
        }
    }

    #[test]
    fn a_year_alone_is_in_that_year_but_in_none_of_its_months() {
        let c = Candidate {
            text: "",
            heading: "",
            title: "1954年中华人民共和国国务院政府工作报告",
            issuer: "",
            doc_number: "",
            doc_type: "报告",
            date: Date::year_only(1954).unwrap().as_number(),
            effective: 0,
            doc_key: 1,
            restricted: None,
        };
        let s = Synonyms::none();
        for (q, want) in [
            ("date:1954", true),
            ("date:1950..1954", true),
            ("date:1954..1956", true),
            ("date:1954..", true),
            ("date:..1954", true),
            ("date:1955", false),
            ("date:1953", false),
            ("date:1954-03", false),
            ("date:1954-01-01..1954-12-31", false),
        ] {
            assert_eq!(plan(q, &s).matches(&c), want, "{q}");
        }
    }

    #[test]
    fn substring_queries_know_when_they_are_exact() {
        let field = GramField {
            grams: Field::from_field_id(0),
            run_ends: Some(Field::from_field_id(1)),
        };
        let exact = |t: &str| substring_query(t, field).unwrap().1;
        assert!(exact("贸易组织"));
        assert!(exact("税"));
        assert!(exact("wto"));
        assert!(exact("g20峰"));
        assert!(!exact("数据 安全"));
        assert!(!exact(",数据"));
        assert!(!exact("税a"));
    }

    #[test]
    fn regex_escape_protects_metacharacters() {
        assert_eq!(regex_escape("a.b"), "a\\.b");
        assert_eq!(regex_escape("税"), "税");
    }

    use proptest::prelude::*;
    use std::sync::OnceLock;
    use tantivy::TantivyDocument;
    use tantivy::collector::Count;

    /// A small index on disk, shared by the property tests.
    fn store() -> &'static (tempfile::TempDir, crate::index::Store) {
        static STORE: OnceLock<(tempfile::TempDir, crate::index::Store)> = OnceLock::new();
        STORE.get_or_init(|| {
            let dir = tempfile::TempDir::new().unwrap();
            let store = crate::index::Store::open_or_create(dir.path()).unwrap();
            let f = store.fields;
            let mut writer: tantivy::IndexWriter = store.index.writer(15_000_000).unwrap();
            for (text, title, date) in [
                (
                    "积极参与世界贸易组织改革，数据安全 WTO",
                    "数据安全法",
                    20210610u64,
                ),
                (
                    "个体工商户可以个人经营，也可以家庭经营。",
                    "个体工商户条例",
                    0,
                ),
            ] {
                let path = format!("{title}.txt");
                let mut d = TantivyDocument::new();
                d.add_text(f.path, &path);
                d.add_text(f.text, text);
                d.add_text(f.grams, text);
                d.add_text(f.title, title);
                d.add_u64(f.date, date);
                d.add_u64(f.effective, 0);
                d.add_u64(f.dup_key, date);
                d.add_u64(f.doc_key, crate::index::document::doc_key(&path));
                writer.add_document(d).unwrap();
                let header = crate::index::document::header(&f, &path, title, None, &[]);
                writer.add_document(header).unwrap();
            }
            writer.commit().unwrap();
            (dir, store)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any input either fails to parse or compiles to a query that runs.
        #[test]
        fn any_parsed_query_compiles_and_runs(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "数据", "安全", "易组", "税", "a税", "税a", "OR", "NOT", "-", "(", ")", "|",
                    "\"", "“", "”", "title:", "issuer:", "doc:", "type:", "date:", "2019", "status:现行有效", "asof:", "version:latest",
                    "..", "-03", "国发[2019]5号", "WTO", "😀", " ", "，", ":", "*", "\\", "?",
                ]),
                0..16,
            ),
        ) {
            let input = parts.concat();
            let (_, store) = store();
            let reader = store.reader().unwrap();
            let searcher = reader.searcher();
            if let Ok(parsed) = parse(&input) {
                let compiled = compile(
                    &parsed,
                    &store.fields,
                    &searcher,
                    &Synonyms::builtin(),
                    Mode::default(),
                    Some(&Default::default()),
                );
                prop_assert!(compiled.is_ok(), "{}: {:?}", input, compiled.err());
                if let Ok(c) = compiled {
                    prop_assert!(searcher.search(c.query.as_ref(), &Count).is_ok(), "{}", input);
                }
            }
        }
    }
}
