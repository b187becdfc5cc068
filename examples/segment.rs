//! Baseline for indexing speed: jieba search-mode segmentation alone over the txt/md files
//! under a folder, on one thread and on every core, in MB/s of text. Used by
//! `scripts/bench.sh`; the practical limit an indexer that segments the same text can reach.
//!
//!     cargo run --release --example segment -- <folder>
//!
//! Prints `<MB of text> <MB/s on one thread> <MB/s on all threads> <threads>`.

use std::path::PathBuf;
use std::thread;
use std::time::Instant;

use anyhow::{Context, Result};
use zhengce::analysis::JIEBA_DICT;

fn main() -> Result<()> {
    let root = PathBuf::from(std::env::args().nth(1).context("usage: segment <folder>")?);
    let mut warnings = Vec::new();
    let texts: Vec<String> = zhengce::ingest::walk::walk(&[root], &[], &mut warnings)?
        .into_iter()
        .filter(|f| {
            let ext = f.path.extension().and_then(|e| e.to_str()).unwrap_or("");
            ext == "txt" || ext == "md"
        })
        .filter_map(|f| std::fs::read_to_string(&f.path).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let jieba = &*JIEBA_DICT;
    // Builds the dictionary outside the timings.
    jieba.cut_for_search("预热", true);

    let started = Instant::now();
    let words: usize = texts
        .iter()
        .map(|t| jieba.cut_for_search(t, true).len())
        .sum();
    let one = started.elapsed().as_secs_f64();

    let threads = thread::available_parallelism().map_or(2, |n| n.get());
    let started = Instant::now();
    let chunk = texts.len().div_ceil(threads).max(1);
    let words_all: usize = thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|t| jieba.cut_for_search(t, true).len())
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let all = started.elapsed().as_secs_f64();
    assert_eq!(words, words_all, "both runs segment the same text");
    let mb = bytes as f64 / 1e6;
    println!("{mb:.1} {:.1} {:.1} {threads}", mb / one, mb / all);
    Ok(())
}
