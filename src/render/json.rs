//! Results as JSON: one object (`--json`) or one hit per line (`--jsonl`); with `--files`,
//! documents instead of hits, each with its best passage as a hit object; and a document
//! shown (`show --json`) with the same fields. The schema is documented in the README and
//! stable.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::ingest::name::{self, JsonName};
use crate::search::browse::{Shown, ShownPassage};
use crate::search::snippet;
use crate::search::{DocumentHit, Duplicate, Explain, Facet, FacetKind, Hit, Results, Validity};

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
    documents: Option<Vec<JsonDocumentHit<'a>>>,
    /// Only with --count-by.
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<JsonFacets<'a>>,
}

/// A document of `--files`: its metadata, how many of its passages match, its best passage.
#[derive(Serialize)]
struct JsonDocumentHit<'a> {
    #[serde(flatten)]
    document: JsonDocument<'a>,
    citation: String,
    passages: usize,
    best: JsonHit<'a>,
}

impl<'a> JsonDocumentHit<'a> {
    fn new(d: &'a DocumentHit) -> Self {
        JsonDocumentHit {
            document: JsonDocument::of(&d.best),
            citation: d.citation(),
            passages: d.passages,
            best: JsonHit::new(&d.best),
        }
    }
}

/// `{"year": [{"value": "2024", "passages": 12, "documents": 3}, …], …}`, kinds in the order
/// asked for.
struct JsonFacets<'a>(&'a [Facet]);

#[derive(Serialize)]
struct JsonFacetValue<'a> {
    value: Option<String>,
    /// Only in `doc` counts, whose value is the path: its exact bytes when it is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<String>,
    /// Only in `doc` counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    passages: usize,
    documents: usize,
}

impl Serialize for JsonFacets<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for facet in self.0 {
            let is_path = facet.kind == FacetKind::Doc;
            let values: Vec<JsonFacetValue> = facet
                .values
                .iter()
                .map(|v| JsonFacetValue {
                    value: v.value.as_deref().map(|s| match is_path {
                        true => name::lossy(s),
                        false => s.to_string(),
                    }),
                    path_bytes: v
                        .value
                        .as_deref()
                        .filter(|_| is_path)
                        .and_then(name::exact_bytes),
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

/// A passage's document: the fields `search` hits and `show` print alike, from this one
/// struct.
#[derive(Serialize)]
struct JsonDocument<'a> {
    #[serde(flatten)]
    path: JsonName,
    title: &'a str,
    doc_number: Option<&'a str>,
    issuer: Option<&'a str>,
    date: Option<&'a str>,
    effective: Option<&'a str>,
    doc_type: Option<&'a str>,
    #[serde(flatten)]
    validity: JsonValidity<'a>,
}

/// A document's version and validity (see [`Validity`]).
#[derive(Serialize)]
struct JsonValidity<'a> {
    version: Option<&'a str>,
    versions: usize,
    latest: bool,
    status: Option<&'a str>,
    status_source: Option<&'a str>,
    in_force_from: Option<&'a str>,
    in_force_to: Option<&'a str>,
    superseded_by: Option<&'a str>,
    superseded_by_version: Option<&'a str>,
    repealed_by: Option<&'a str>,
    copy_of: Option<&'a str>,
    exact_copy: bool,
    /// The version its citations name, when the text has several.
    #[serde(skip)]
    cited_version: Option<&'a str>,
}

impl<'a> JsonValidity<'a> {
    fn of(v: &'a Validity) -> Self {
        JsonValidity {
            version: v.version.as_deref(),
            versions: v.versions,
            latest: v.latest,
            status: v.status.as_deref(),
            status_source: v.status_source.as_deref(),
            in_force_from: v.from.as_deref(),
            in_force_to: v.to.as_deref(),
            superseded_by: v.superseded_by.as_deref(),
            superseded_by_version: v.superseded_by_version.as_deref(),
            repealed_by: v.repealed_by.as_deref(),
            copy_of: v.copy_of.as_deref(),
            exact_copy: v.exact_copy,
            cited_version: v.cited_version(),
        }
    }
}

impl<'a> JsonDocument<'a> {
    fn of(hit: &'a Hit) -> Self {
        JsonDocument {
            path: JsonName::of(&hit.path),
            title: &hit.title,
            doc_number: hit.doc_number.as_deref(),
            issuer: hit.issuer.as_deref(),
            date: hit.date.as_deref(),
            effective: hit.effective.as_deref(),
            doc_type: hit.doc_type.as_deref(),
            validity: JsonValidity::of(&hit.validity),
        }
    }
}

/// Where a passage stands in its document, for `search` hits and `show` passages alike.
#[derive(Serialize)]
struct JsonPlace<'a> {
    article: Option<&'a str>,
    /// The reference a lawyer pastes (《…》第二十一条, …的通知（国发〔2019〕5号）).
    citation: String,
    passage: u64,
    heading: &'a str,
}

impl<'a> JsonPlace<'a> {
    fn new(
        document: &JsonDocument<'a>,
        article: Option<&'a str>,
        passage: u64,
        heading: &'a str,
    ) -> Self {
        JsonPlace {
            article,
            citation: crate::ingest::meta::versioned_citation(
                document.title,
                document.doc_number,
                article,
                document.validity.cited_version,
            ),
            passage,
            heading,
        }
    }
}

#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(flatten)]
    document: JsonDocument<'a>,
    #[serde(flatten)]
    place: JsonPlace<'a>,
    score: f32,
    text: &'a str,
    snippet: String,
    highlights: &'a [(usize, usize)],
    /// `highlights` in characters, for scripts that index strings by character.
    highlights_chars: Vec<(usize, usize)>,
    keyphrases: &'a [String],
    duplicates: &'a [Duplicate],
    /// Repealed or expired texts the passage cites.
    cites_repealed: &'a [String],
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
        let document = JsonDocument::of(hit);
        JsonHit {
            place: JsonPlace::new(&document, hit.article.as_deref(), hit.passage, &hit.heading),
            document,
            score: hit.score,
            text: &hit.text,
            snippet: snippet::crop(&hit.text, &hit.highlights, SNIPPET_CHARS).text,
            highlights: &hit.highlights,
            highlights_chars: char_ranges(&hit.text, &hit.highlights),
            keyphrases: &hit.keyphrases,
            duplicates: &hit.duplicates,
            cites_repealed: &hit.validity.cites_repealed,
            explain: hit.explain.as_ref(),
            partial: !hit.missing.is_empty(),
            missing: &hit.missing,
        }
    }
}

/// Byte ranges of `text` as ranges of characters (Unicode scalar values: Python's string
/// indices; JavaScript's too but for characters beyond U+FFFF, which count two there).
fn char_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // Ranges come sorted: count on from the last offset instead of from the start.
    let (mut byte, mut chars) = (0, 0);
    let mut to_chars = |b: usize| {
        if b < byte {
            (byte, chars) = (0, 0);
        }
        chars += text[byte..b].chars().count();
        byte = b;
        chars
    };
    ranges
        .iter()
        .map(|&(s, e)| (to_chars(s), to_chars(e)))
        .collect()
}

/// `show --json`: the document's fields, and each passage's as a hit has them. The web
/// page's document view is the same object, its passages' matches marked.
#[derive(Serialize)]
pub struct JsonShown<'a> {
    #[serde(flatten)]
    document: JsonDocument<'a>,
    passages: Vec<JsonShownPassage<'a>>,
}

#[derive(Serialize)]
struct JsonShownPassage<'a> {
    #[serde(flatten)]
    place: JsonPlace<'a>,
    text: &'a str,
    /// The passage asked for (false for its context).
    focus: bool,
    /// Only when a query marks matches (the web page's document view).
    #[serde(skip_serializing_if = "Option::is_none")]
    highlights: Option<Vec<(usize, usize)>>,
}

impl<'a> JsonShown<'a> {
    /// `highlights` gives the byte ranges to mark in a passage's text, if any.
    pub fn new(shown: &'a Shown, highlights: impl Fn(&str) -> Option<Vec<(usize, usize)>>) -> Self {
        let document = JsonDocument::of_shown(shown);
        let passages = shown
            .passages
            .iter()
            .map(|p| JsonShownPassage {
                place: JsonPlace::new(&document, p.article.as_deref(), p.passage, &p.heading),
                text: &p.text,
                focus: p.focus,
                highlights: highlights(&p.text),
            })
            .collect();
        JsonShown { document, passages }
    }
}

impl<'a> JsonDocument<'a> {
    fn of_shown(shown: &'a Shown) -> Self {
        JsonDocument {
            path: JsonName::of(&shown.path),
            title: &shown.title,
            doc_number: shown.doc_number.as_deref(),
            issuer: shown.issuer.as_deref(),
            date: shown.date.as_deref(),
            effective: shown.effective.as_deref(),
            doc_type: shown.doc_type.as_deref(),
            validity: JsonValidity::of(&shown.validity),
        }
    }
}

/// `export --jsonl`: a passage with its document's fields and its place as `show --json`
/// gives them, its text, and what `more` adds (the index's tokens of it).
#[derive(Serialize)]
struct JsonExported<'a, T> {
    /// `path#passage`, unique in the index.
    id: String,
    #[serde(flatten)]
    document: &'a JsonDocument<'a>,
    #[serde(flatten)]
    place: JsonPlace<'a>,
    text: &'a str,
    #[serde(flatten)]
    more: T,
}

/// Writes each passage of a shown document as one JSON object per line, with `more`'s
/// fields.
pub fn write_exported<T: Serialize>(
    out: &mut impl Write,
    shown: &Shown,
    more: impl Fn(&ShownPassage) -> T,
) -> Result<()> {
    let document = JsonDocument::of_shown(shown);
    for p in &shown.passages {
        let exported = JsonExported {
            id: format!("{}#{}", shown.path, p.passage),
            document: &document,
            place: JsonPlace::new(&document, p.article.as_deref(), p.passage, &p.heading),
            text: &p.text,
            more: more(p),
        };
        serde_json::to_writer(&mut *out, &exported)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes a shown document (`show --json`) as one JSON object.
pub fn write_shown(out: &mut impl Write, shown: &Shown) -> Result<()> {
    serde_json::to_writer(&mut *out, &JsonShown::new(shown, |_| None))?;
    writeln!(out)?;
    Ok(())
}

/// Writes all results as one JSON object.
pub fn write(out: &mut impl Write, results: &Results) -> Result<()> {
    let documents = results
        .documents
        .as_ref()
        .map(|docs| docs.iter().map(JsonDocumentHit::new).collect());
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
        serde_json::to_writer(&mut *out, &JsonDocumentHit::new(d))?;
        writeln!(out)?;
    }
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, &JsonHit::new(hit))?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_ranges_count_characters() {
        let text = "a数据b😀安全";
        let bytes = [(1, 7), (12, 18), (0, 1)];
        assert_eq!(char_ranges(text, &bytes), [(1, 3), (5, 7), (0, 1)]);
    }
}
