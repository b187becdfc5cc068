//! Results as terminal text in the style of ripgrep: a header line with the path, passage
//! number and heading path, the passage cropped around its matches with every match
//! highlighted, then the key phrases.

use std::io::Write;

use anyhow::Result;

use crate::index::HEADING_SEPARATOR;
use crate::search::{Hit, Results};
use crate::snippet;

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
        match hit.duplicates.len() {
            0 => {}
            1 => footer.push("(said again in 1 other passage)".to_string()),
            n => footer.push(format!("(said again in {n} other passages)")),
        }
        if !footer.is_empty() {
            writeln!(out, "{}", paint(DIM, &format!("  {}", footer.join("  "))))?;
        }
    }
    Ok(())
}

/// Title, document number, date and heading path of a hit:
/// 《title》（国发〔2019〕5号） 2019-02-15 › heading › …
fn location(hit: &Hit) -> String {
    let mut title = format!("《{}》", hit.title);
    if let Some(n) = &hit.doc_number {
        title.push_str(&format!("（{n}）"));
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
