//! Results as terminal text in the style of ripgrep: a header line with the path, passage
//! number and heading path, the passage cropped around its matches with every match
//! highlighted, then the key phrases.

use std::io::Write;

use anyhow::Result;

use super::counted;
use crate::index::HEADING_SEPARATOR;
use crate::search::snippet;
use crate::search::{Explain, Hit, Results};

/// Characters of passage text shown per hit.
const SNIPPET_CHARS: usize = 160;

const PATH: &str = "\x1b[35m";
const NUMBER: &str = "\x1b[32m";
const MATCH: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Writes every hit; `color` turns ANSI colours on.
pub fn write(out: &mut impl Write, results: &Results, color: bool) -> Result<()> {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    for (i, hit) in results.hits.iter().enumerate() {
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
        let shown = snippet::crop(&hit.text, &hit.highlights, SNIPPET_CHARS);
        let mut line = String::new();
        let mut at = 0;
        for &(s, e) in &shown.highlights {
            line.push_str(&shown.text[at..s]);
            line.push_str(&paint(MATCH, &shown.text[s..e]));
            at = e;
        }
        line.push_str(&shown.text[at..]);
        writeln!(out, "{line}")?;
        let mut footer = Vec::new();
        if !hit.keyphrases.is_empty() {
            footer.push(hit.keyphrases.join(" · "));
        }
        if let Some(note) = duplicates_note(hit) {
            footer.push(note);
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
    for c in &e.clauses {
        lines.push(format!(
            "  {:.3}  {}:{}  (boost {})",
            c.score, c.field, c.term, c.boost
        ));
    }
    lines
}

/// Title, document number, issuer, type, date and heading path of a hit:
/// 《中华人民共和国数据安全法》 全国人民代表大会常务委员会 法律 2021-06-10 › 第三章 … › 第二十一条
fn location(hit: &Hit) -> String {
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
    let mut parts = vec![title];
    if !hit.heading.is_empty() {
        parts.push(hit.heading.clone());
    }
    parts.join(HEADING_SEPARATOR)
}

/// `--cite`: the citation of each hit, one line per hit (two passages of one document that
/// is no law cite alike); with `--explain`, each followed by why it scored as it did.
pub fn write_citations(out: &mut impl Write, results: &Results) -> Result<()> {
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
