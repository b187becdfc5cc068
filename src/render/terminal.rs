//! Results as terminal text in the style of ripgrep: a header line with the path, passage
//! number and heading path, the passage cropped around its matches with every match
//! highlighted, then the key phrases. With `--files`, one line per document; with
//! `--count-by`, a block of counts after the results; on stderr, the footer.

use std::io::Write;

use anyhow::Result;

use super::counted;
use crate::index::HEADING_SEPARATOR;
use crate::search::snippet;
use crate::search::{DocumentHit, Explain, Facet, FacetKind, Hit, Results};

/// Characters of passage text shown per hit.
const SNIPPET_CHARS: usize = 160;
/// Characters of the best passage on a document's line (`--files`).
const DOCUMENT_SNIPPET_CHARS: usize = 60;
/// Values of each facet shown; JSON has them all.
const FACET_VALUES_SHOWN: usize = 10;

const PATH: &str = "\x1b[35m";
const NUMBER: &str = "\x1b[32m";
const MATCH: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// `text` in the colour `code` when `color`.
fn painter(color: bool) -> impl Fn(&str, &str) -> String {
    move |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Writes every hit (or document, with `--files`), then the facet counts; `color` turns ANSI
/// colours on.
pub fn write(out: &mut impl Write, results: &Results, color: bool) -> Result<()> {
    match &results.documents {
        Some(documents) => write_documents(out, documents, color)?,
        None => write_hits(out, &results.hits, color)?,
    }
    if !results.facets.is_empty() {
        if !results.hits.is_empty() || results.documents.as_ref().is_some_and(|d| !d.is_empty()) {
            writeln!(out)?;
        }
        write_facets(out, &results.facets)?;
    }
    Ok(())
}

/// The passage cropped to `chars` around its matches, the matches painted.
fn snippet_line(hit: &Hit, chars: usize, paint: &impl Fn(&str, &str) -> String) -> String {
    let shown = snippet::crop(&hit.text, &hit.highlights, chars);
    let mut line = String::new();
    let mut at = 0;
    for &(s, e) in &shown.highlights {
        line.push_str(&shown.text[at..s]);
        line.push_str(&paint(MATCH, &shown.text[s..e]));
        at = e;
    }
    line.push_str(&shown.text[at..]);
    line
}

fn write_hits(out: &mut impl Write, hits: &[Hit], color: bool) -> Result<()> {
    let paint = painter(color);
    for (i, hit) in hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}:{}  {}",
            paint(PATH, &hit.path),
            paint(NUMBER, &hit.passage.to_string()),
            location(hit)
        )?;
        writeln!(out, "{}", snippet_line(hit, SNIPPET_CHARS, &paint))?;
        let mut footer = Vec::new();
        if !hit.keyphrases.is_empty() {
            footer.push(hit.keyphrases.join(" · "));
        }
        if let Some(note) = duplicates_note(hit) {
            footer.push(note);
        }
        if !hit.validity.cites_repealed.is_empty() {
            footer.push(format!(
                "(cites repealed {})",
                hit.validity.cites_repealed.join("、")
            ));
        }
        if !footer.is_empty() {
            writeln!(out, "{}", paint(DIM, &format!("  {}", footer.join("  "))))?;
        }
        if let Some(e) = &hit.explain {
            for line in explain_lines(e) {
                writeln!(out, "{}", paint(DIM, &format!("  {line}")))?;
            }
        }
    }
    Ok(())
}

/// `(also in 3 documents)` for duplicates in other documents, else how often the document
/// itself repeats the passage.
fn duplicates_note(hit: &Hit) -> Option<String> {
    match (hit.other_documents(), hit.duplicates.len()) {
        (_, 0) => None,
        (0, n) => Some(format!("(said again in {})", counted(n, "other passage"))),
        (docs, _) => Some(format!("(also in {})", counted(docs, "document"))),
    }
}

/// The explanation of a hit in a few lines: the score's factors, the terms, the clauses.
fn explain_lines(e: &Explain) -> Vec<String> {
    let mut lines = vec![format!(
        "score {:.3} = bm25 {:.3} × proximity {:.3} (nearness {:.2}) × date {:.4}",
        e.score, e.bm25, e.proximity_factor, e.proximity, e.date_factor
    )];
    lines.push(format!(
        "terms {}/{}: {}",
        e.terms_matched.len(),
        e.terms_total,
        if e.terms_matched.is_empty() {
            "(filters only)".to_string()
        } else {
            e.terms_matched.join(", ")
        }
    ));
    for a in &e.aliases {
        lines.push(format!("alias {a}"));
    }
    for c in &e.clauses {
        lines.push(format!(
            "  {:.3}  {}:{}  (boost {})",
            c.score, c.field, c.term, c.boost
        ));
    }
    lines
}

/// `--files`: one line per document: the path and best passage's number, the document,
/// how many of its passages match, the best passage cropped.
fn write_documents(out: &mut impl Write, documents: &[DocumentHit], color: bool) -> Result<()> {
    let paint = painter(color);
    for d in documents {
        let hit = &d.best;
        writeln!(
            out,
            "{}:{}  {}  {}  {}",
            paint(PATH, &hit.path),
            paint(NUMBER, &hit.passage.to_string()),
            document(hit),
            paint(DIM, &counted(d.passages, "passage")),
            // One line per document, even when the passage has several (an article's 款).
            snippet_line(hit, DOCUMENT_SNIPPET_CHARS, &paint).replace('\n', " ")
        )?;
    }
    Ok(())
}

/// `--count-by`: per kind, the first values with their passages and documents, numbers
/// first so that they align whatever the width of the values.
fn write_facets(out: &mut impl Write, facets: &[Facet]) -> Result<()> {
    for (i, facet) in facets.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "passages  documents  {}", facet.kind.name())?;
        for v in facet.values.iter().take(FACET_VALUES_SHOWN) {
            let label = match (&v.value, facet.kind) {
                (Some(path), FacetKind::Doc) => {
                    format!("{path}  《{}》", v.title.as_deref().unwrap_or_default())
                }
                (Some(value), _) => value.clone(),
                (None, FacetKind::Year) => "(no date)".to_string(),
                (None, kind) => format!("(no {})", kind.name()),
            };
            writeln!(out, "{:>8}  {:>9}  {label}", v.passages, v.documents)?;
        }
        let more = facet.values.len().saturating_sub(FACET_VALUES_SHOWN);
        if more > 0 {
            writeln!(out, "… {more} more (--json lists them all)")?;
        }
    }
    Ok(())
}

/// The counts under the results, for stderr: `10 of 181 passages in 37 documents`,
/// `11–20 of …` for a later page, `10 of 37 documents (181 passages)` with `--files`,
/// `--offset 200 is past the end: …`, or `no matches`.
pub fn footer(results: &Results) -> String {
    if results.total_hits == 0 {
        return "no matches".to_string();
    }
    let passages = counted(results.total_hits, "passage");
    let documents = counted(results.total_documents, "document");
    let (shown, counts) = match &results.documents {
        Some(docs) => (docs.len(), format!("{documents} ({passages})")),
        None => (results.hits.len(), format!("{passages} in {documents}")),
    };
    let from = results.offset;
    match shown {
        0 => format!("--offset {from} is past the end: {counts}"),
        _ if from == 0 => format!("{shown} of {counts}"),
        _ => format!("{}–{} of {counts}", from + 1, from + shown),
    }
}

/// Title, document number, issuer, type, date and heading path of a hit:
/// 《中华人民共和国数据安全法》 全国人民代表大会常务委员会 法律 2021-06-10 › 第三章 … › 第二十一条
fn location(hit: &Hit) -> String {
    let mut parts = vec![document(hit)];
    if !hit.heading.is_empty() {
        parts.push(hit.heading.clone());
    }
    parts.join(HEADING_SEPARATOR)
}

/// Title, document number, issuer, type and date of a hit's document:
/// 《中华人民共和国数据安全法》 全国人民代表大会常务委员会 法律 2021-06-10
fn document(hit: &Hit) -> String {
    let mut title = format!("《{}》", hit.title);
    if let Some(n) = &hit.doc_number {
        title.push_str(&format!("（{n}）"));
    }
    // The issuer and type, unless the title already says them (国务院关于…的通知).
    if let Some(issuer) = hit
        .issuer
        .as_ref()
        .filter(|i| !hit.title.contains(i.as_str()))
    {
        title.push_str(&format!(" {issuer}"));
    }
    if let Some(kind) = hit
        .doc_type
        .as_ref()
        .filter(|k| !hit.title.ends_with(k.as_str()))
    {
        title.push_str(&format!(" {kind}"));
    }
    if let Some(d) = &hit.date {
        title.push_str(&format!(" {d}"));
    }
    if let Some(label) = hit.validity.label() {
        title.push_str(&format!(" [{label}]"));
    }
    title
}

/// `--cite`: the citation of each hit, one line per hit (two passages of one document that
/// is no law cite alike), with `--explain` each followed by why it scored as it did; with
/// `--files`, of each document.
pub fn write_citations(out: &mut impl Write, results: &Results) -> Result<()> {
    for document in results.documents.iter().flatten() {
        writeln!(out, "{}", document.citation())?;
    }
    for hit in &results.hits {
        writeln!(out, "{}", hit.citation())?;
        if let Some(e) = &hit.explain {
            for line in explain_lines(e) {
                writeln!(out, "  {line}")?;
            }
        }
    }
    Ok(())
}
