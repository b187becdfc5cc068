//! `export --jsonl`: every passage of the index with its document's metadata and validity
//! (the fields of `show --json`), its text, its normalised text and the tokens the index holds
//! for it, one JSON object per line, so that a distributed engine (OpenSearch, Quickwit) can
//! index the collection with a whitespace analyzer and find what zhengce finds
//! (docs/export.md has the mappings).

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::analysis::{gram_line, normalize, word_line};
use crate::index::Store;
use crate::ingest::walk;
use crate::render;
use crate::search::browse::{ShownPassage, show_key};

/// What the index holds of a passage, beside what `show --json` gives.
#[derive(Serialize)]
struct Tokens {
    /// The text folded as the index folds it (full-width, traditional characters, case,
    /// brackets).
    norm: String,
    /// The `grams` the index matches substrings with: bigrams of CJK runs, lone CJK
    /// characters, Latin words and numbers, `|` where a phrase may not run across.
    grams: String,
    /// jieba's search-mode words, for an engine that ranks by words (zhengce ranks passages
    /// by their bigrams, and by the words of headings, titles and key phrases).
    words: String,
}

fn tokens(p: &ShownPassage) -> Tokens {
    let norm = normalize(&p.text).text;
    Tokens {
        grams: gram_line(&norm),
        words: word_line(&p.text),
        norm,
    }
}

/// Writes every passage of every document, by path and passage; returns how many.
pub fn write_jsonl(store: &Store, out: &mut impl Write) -> Result<usize> {
    let listing = store.listing()?;
    let mut count = 0;
    for path in listing.files.keys() {
        let mut shown = show_key(store, &listing, path, None, 0)?;
        // As `list --json` gives it.
        shown.path = walk::shown(&shown.path).to_string();
        render::json::write_exported(out, &shown, tokens)?;
        count += shown.passages.len();
    }
    Ok(count)
}
