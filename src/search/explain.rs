//! Why a hit scored as it did (`--explain`): each factor, and Tantivy's explanation of each
//! scoring clause that matched.

use anyhow::Result;
use serde::Serialize;
use tantivy::DocAddress;
use tantivy::query::{EnableScoring, Explanation, Query};

use super::collect::Match;
use super::query::Compiled;

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
    /// The aliases the passage holds in place of a word typed, and where each comes from
    /// (`民诉法 → 民事诉讼法 (short-name rule, from 民事诉讼法)`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
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

/// The parts of an explanation known before asking tantivy.
pub struct Partial {
    pub terms_matched: Vec<String>,
    pub terms_total: usize,
    pub proximity: f32,
    pub proximity_factor: f32,
    pub score: f32,
    pub aliases: Vec<String>,
}

pub fn explain(
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
        aliases: p.aliases,
        proximity: p.proximity,
        proximity_factor: p.proximity_factor,
        date_factor: m.date_factor,
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
