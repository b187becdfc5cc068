//! `export --jsonl`: every passage of the index with its document's metadata and validity,
//! its text, its normalised text and the tokens the index holds for it, one JSON object per
//! line, so that a distributed engine (OpenSearch, Quickwit) can index the collection with a
//! whitespace analyzer and find what zhengce finds (docs/export.md has the mappings).

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::analysis::{gram_line, normalize, segment, word_line};
use crate::index::Store;
use crate::ingest::walk;
use crate::search::browse::{Shown, ShownPassage, show_key};

/// One passage as exported.
#[derive(Serialize)]
struct Exported<'a> {
    /// `path#passage`, unique in the index.
    id: String,
    /// As `list --json` gives it.
    path: &'a str,
    passage: u64,
    title: &'a str,
    doc_number: Option<&'a str>,
    issuer: Option<&'a str>,
    date: Option<&'a str>,
    effective: Option<&'a str>,
    doc_type: Option<&'a str>,
    /// The version the document is, whether it is the latest of its text, and its status.
    version: Option<&'a str>,
    latest: bool,
    status: Option<&'a str>,
    heading: &'a str,
    article: Option<&'a str>,
    text: &'a str,
    /// The text folded as the index folds it (full-width, traditional characters, case,
    /// brackets).
    norm: String,
    /// The `grams` the index matches substrings with: bigrams of CJK runs, lone CJK
    /// characters, Latin words and numbers, `|` where a phrase may not run across.
    grams: String,
    /// jieba's search-mode words, which the index ranks with.
    words: String,
}

/// Writes every passage of every document, by path and passage; returns how many.
pub fn write_jsonl(store: &Store, out: &mut impl Write) -> Result<usize> {
    let listing = store.listing()?;
    let mut count = 0;
    for path in listing.files.keys() {
        let shown = show_key(store, &listing, path, None, 0)?;
        for p in &shown.passages {
            serde_json::to_writer(&mut *out, &exported(&shown, p))?;
            out.write_all(b"\n")?;
            count += 1;
        }
    }
    Ok(count)
}

fn exported<'a>(shown: &'a Shown, p: &'a ShownPassage) -> Exported<'a> {
    let v = &shown.validity;
    let norm = normalize(&p.text).text;
    Exported {
        id: format!("{}#{}", walk::shown(&shown.path), p.passage),
        path: walk::shown(&shown.path),
        passage: p.passage,
        title: &shown.title,
        doc_number: shown.doc_number.as_deref(),
        issuer: shown.issuer.as_deref(),
        date: shown.date.as_deref(),
        effective: shown.effective.as_deref(),
        doc_type: shown.doc_type.as_deref(),
        version: v.version.as_deref(),
        latest: v.latest,
        status: v.status.as_deref(),
        heading: &p.heading,
        article: p.article.as_deref(),
        text: &p.text,
        grams: gram_line(&norm),
        words: word_line(&segment(&p.text, |_, _| false)),
        norm,
    }
}
