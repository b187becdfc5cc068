//! Results as JSON: one object (`--json`) or one hit per line (`--jsonl`). The schema is
//! documented in the README and stable.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::search::snippet;
use crate::search::{Duplicate, Explain, Hit, Results};

/// Characters of passage text in a JSON snippet.
const SNIPPET_CHARS: usize = 120;

#[derive(Serialize)]
struct JsonResults<'a> {
    query: &'a str,
    total_hits: usize,
    took_ms: f64,
    /// Only when no passage holds every word (see the hits' `missing`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    partial: bool,
    hits: Vec<JsonHit<'a>>,
}

#[derive(Serialize)]
struct JsonHit<'a> {
    path: &'a str,
    title: &'a str,
    doc_number: Option<&'a str>,
    issuer: Option<&'a str>,
    date: Option<&'a str>,
    effective: Option<&'a str>,
    doc_type: Option<&'a str>,
    article: Option<&'a str>,
    /// The reference a lawyer pastes (《…》第二十一条, …的通知（国发〔2019〕5号）).
    citation: String,
    passage: u64,
    heading: &'a str,
    score: f32,
    text: &'a str,
    snippet: String,
    highlights: &'a [(usize, usize)],
    keyphrases: &'a [String],
    duplicates: &'a [Duplicate],
    /// Only with --explain, so that the schema stays as it was without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<&'a Explain>,
    /// Only in partial results: the hit holds some of the words, not these.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    partial: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    missing: &'a [String],
}

impl<'a> JsonHit<'a> {
    fn new(hit: &'a Hit) -> Self {
        JsonHit {
            path: &hit.path,
            title: &hit.title,
            doc_number: hit.doc_number.as_deref(),
            issuer: hit.issuer.as_deref(),
            date: hit.date.as_deref(),
            effective: hit.effective.as_deref(),
            doc_type: hit.doc_type.as_deref(),
            article: hit.article.as_deref(),
            citation: hit.citation(),
            passage: hit.passage,
            heading: &hit.heading,
            score: hit.score,
            text: &hit.text,
            snippet: snippet::crop(&hit.text, &hit.highlights, SNIPPET_CHARS).text,
            highlights: &hit.highlights,
            keyphrases: &hit.keyphrases,
            duplicates: &hit.duplicates,
            explain: hit.explain.as_ref(),
            partial: !hit.missing.is_empty(),
            missing: &hit.missing,
        }
    }
}

/// Writes all results as one JSON object.
pub fn write(out: &mut impl Write, results: &Results) -> Result<()> {
    let doc = JsonResults {
        query: &results.query,
        total_hits: results.total_hits,
        took_ms: (results.took_ms * 1000.0).round() / 1000.0,
        partial: results.partial,
        hits: results.hits.iter().map(JsonHit::new).collect(),
    };
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

/// Writes one JSON object per hit, one per line.
pub fn write_lines(out: &mut impl Write, results: &Results) -> Result<()> {
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, &JsonHit::new(hit))?;
        writeln!(out)?;
    }
    Ok(())
}
