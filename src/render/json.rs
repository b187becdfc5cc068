//! Results as JSON: one object (`--json`) or one hit per line (`--jsonl`); with `--files`,
//! documents instead of hits, each with its best passage as a hit object. The schema is
//! documented in the README and stable.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::search::snippet;
use crate::search::{DocumentHit, Duplicate, Explain, Facet, Hit, Results};

/// Characters of passage text in a JSON snippet.
const SNIPPET_CHARS: usize = 120;

#[derive(Serialize)]
struct JsonResults<'a> {
    query: &'a str,
    total_hits: usize,
    total_documents: usize,
    took_ms: f64,
    /// Only when no passage holds every word (see the hits' `missing`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    partial: bool,
    /// Hits, or with `--files` documents: one or the other.
    #[serde(skip_serializing_if = "Option::is_none")]
    hits: Option<Vec<JsonHit<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documents: Option<Vec<JsonDocument<'a>>>,
    /// Only with --count-by.
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<JsonFacets<'a>>,
}

/// A document of `--files`: its metadata, how many of its passages match, its best passage.
#[derive(Serialize)]
struct JsonDocument<'a> {
    path: &'a str,
    title: &'a str,
    doc_number: Option<&'a str>,
    issuer: Option<&'a str>,
    date: Option<&'a str>,
    doc_type: Option<&'a str>,
    citation: String,
    passages: usize,
    best: JsonHit<'a>,
}

impl<'a> JsonDocument<'a> {
    fn new(d: &'a DocumentHit) -> Self {
        let b = &d.best;
        JsonDocument {
            path: &b.path,
            title: &b.title,
            doc_number: b.doc_number.as_deref(),
            issuer: b.issuer.as_deref(),
            date: b.date.as_deref(),
            doc_type: b.doc_type.as_deref(),
            citation: d.citation(),
            passages: d.passages,
            best: JsonHit::new(b),
        }
    }
}

/// `{"year": [{"value": "2024", "passages": 12, "documents": 3}, …], …}`, kinds in the order
/// asked for.
struct JsonFacets<'a>(&'a [Facet]);

#[derive(Serialize)]
struct JsonFacetValue<'a> {
    value: Option<&'a str>,
    /// Only in `doc` counts, whose value is the path.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    passages: usize,
    documents: usize,
}

impl Serialize for JsonFacets<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for facet in self.0 {
            let values: Vec<JsonFacetValue> = facet
                .values
                .iter()
                .map(|v| JsonFacetValue {
                    value: v.value.as_deref(),
                    title: v.title.as_deref(),
                    passages: v.passages,
                    documents: v.documents,
                })
                .collect();
            map.serialize_entry(facet.kind.name(), &values)?;
        }
        map.end()
    }
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
    let documents = results
        .documents
        .as_ref()
        .map(|docs| docs.iter().map(JsonDocument::new).collect());
    let doc = JsonResults {
        query: &results.query,
        total_hits: results.total_hits,
        total_documents: results.total_documents,
        took_ms: (results.took_ms * 1000.0).round() / 1000.0,
        partial: results.partial,
        hits: documents
            .is_none()
            .then(|| results.hits.iter().map(JsonHit::new).collect()),
        documents,
        facets: (!results.facets.is_empty()).then_some(JsonFacets(&results.facets)),
    };
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

/// Writes one JSON object per hit (per document with `--files`), one per line.
pub fn write_lines(out: &mut impl Write, results: &Results) -> Result<()> {
    for d in results.documents.iter().flatten() {
        serde_json::to_writer(&mut *out, &JsonDocument::new(d))?;
        writeln!(out)?;
    }
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, &JsonHit::new(hit))?;
        writeln!(out)?;
    }
    Ok(())
}
