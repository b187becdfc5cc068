//! Where an indexing worker's time goes: each stage of reading a file (extract, passages,
//! metadata, segmentation, key phrases, legal facts, documents) timed apart over the files
//! under a folder, on one thread, with nothing written. Run it twice on the same folder to
//! compare a change: unlike a whole indexing run, it leaves out Tantivy's threads and the
//! machine's other work.
//!
//!     cargo run --release --example stages -- <folder> [rounds]
//!
//! Prints each stage's seconds (the best of `rounds`, default 3) and its share.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use zhengce::analysis;
use zhengce::index::document::{self, FileFields};
use zhengce::index::schema::{self, Fields};
use zhengce::ingest::extract::{self, Extracted, Format, Limits};
use zhengce::ingest::{keyphrase, legal, meta, passage, walk};

const STAGES: [&str; 7] = [
    "extract",
    "passages",
    "metadata",
    "segment",
    "key phrases",
    "legal",
    "documents",
];

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().context("usage: stages <folder> [rounds]")?);
    let rounds: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let mut warnings = Vec::new();
    let files: Vec<(PathBuf, Format)> = walk::walk(&[root], &[], &mut warnings)?
        .into_iter()
        .filter_map(|f| Some((f.path.clone(), Format::of(&f.path)?)))
        .collect();
    let fields = Fields::from_schema(&schema::schema())?;
    // Builds jieba's dictionary outside the timings.
    analysis::segment("预热", |_, _| false);
    let mut best = [Duration::MAX; STAGES.len()];
    for _ in 0..rounds {
        let mut times = [Duration::ZERO; STAGES.len()];
        for (path, format) in &files {
            let started = Instant::now();
            let Ok(extracted) = extract::extract_within(path, *format, &Limits::default()) else {
                continue;
            };
            times[0] += started.elapsed();
            read(path, *format, &extracted, &fields, &mut times);
        }
        for (b, t) in best.iter_mut().zip(times) {
            *b = (*b).min(t);
        }
    }
    let total: f64 = best.iter().map(Duration::as_secs_f64).sum();
    println!("{} files, best of {rounds} rounds", files.len());
    for (name, t) in STAGES.iter().zip(best) {
        let s = t.as_secs_f64();
        println!("{name:<12} {s:>7.3} s {:>5.1}%", 100.0 * s / total);
    }
    println!("{:<12} {total:>7.3} s", "total");
    Ok(())
}

/// The stages of `index::build`'s read after extraction, each timed into `times`.
fn read(
    path: &std::path::Path,
    format: Format,
    extracted: &Extracted,
    fields: &Fields,
    times: &mut [Duration; STAGES.len()],
) {
    let mut clock = Instant::now();
    let mut lap = |stage: usize| {
        times[stage] += clock.elapsed();
        clock = Instant::now();
    };
    let doc = passage::split(path, extracted);
    lap(1);
    let paragraphs: Vec<&str> = doc.passages.iter().map(|p| p.text.as_str()).collect();
    let meta = meta::parse(path, &doc.title, &paragraphs, &extracted.metadata);
    lap(2);
    let segmented: Vec<analysis::Segmented> = paragraphs
        .iter()
        .map(|p| analysis::segment(p, keyphrase::is_candidate))
        .collect();
    lap(3);
    let pairs: Vec<(&str, &analysis::Segmented)> =
        paragraphs.iter().copied().zip(&segmented).collect();
    let (passage_keyphrases, _) = keyphrase::extract_all(&pairs);
    lap(4);
    let legal = legal::read(&doc.title, &doc.passages, &meta, &extracted.metadata);
    std::hint::black_box(legal);
    lap(5);
    let path = path.to_string_lossy();
    let file = FileFields {
        path: &path,
        format: format.name(),
        title: &doc.title,
        meta: &meta,
    };
    let docs: Vec<_> = doc
        .passages
        .iter()
        .zip(&passage_keyphrases)
        .map(|(p, k)| document::passage(fields, &file, p, k))
        .collect();
    std::hint::black_box(docs);
    lap(6);
}
