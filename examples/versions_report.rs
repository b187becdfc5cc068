//! The figures of versions, statuses and references over an index's catalog, without
//! indexing again: `cargo run --example versions_report -- INDEX_DIR [SAMPLE]` prints how many
//! chains, the statuses by source, the share of references resolved, and SAMPLE chains (20 by
//! default) drawn evenly to check by hand.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use zhengce::index::catalog::Catalog;
use zhengce::index::versions::Versions;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .context("usage: versions_report INDEX_DIR [SAMPLE]")?;
    let sample: usize = args.next().map_or(Ok(20), |n| n.parse())?;
    let store = zhengce::index::Store::open(Path::new(&dir))?;
    let mut catalog = Catalog::load(&store.index, Path::new(&dir))?;
    // What a search showing ten hits pays: ten documents' lines of the versions file.
    let started = std::time::Instant::now();
    for path in catalog.files.keys().step_by(catalog.files.len() / 10 + 1) {
        store.doc_status(path)?;
    }
    let lines = started.elapsed().as_secs_f64() * 1000.0;
    let started = std::time::Instant::now();
    store.versions()?;
    let whole = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "versions of 10 hits: {lines:.2} ms; the whole versions file (filters): {whole:.1} ms"
    );
    let (versions, citations) = Versions::compute(&mut catalog);
    let members: usize = versions
        .chains
        .iter()
        .map(|c| c.versions.iter().map(Vec::len).sum::<usize>())
        .sum();
    let several = versions
        .chains
        .iter()
        .filter(|c| c.versions.len() > 1)
        .count();
    println!(
        "documents {}; chains {} holding {members} documents ({several} with several versions, {} of copies of one version)",
        catalog.files.len(),
        versions.chains.len(),
        versions.chains.len() - several
    );
    let mut by_source: BTreeMap<(String, String), usize> = BTreeMap::new();
    for doc in versions.docs.values() {
        let source = doc.status_source.as_deref().unwrap_or("");
        let kind = source.split([':', ' ']).next().unwrap_or("").to_string();
        *by_source
            .entry((doc.status.clone().unwrap_or_else(|| "(none)".into()), kind))
            .or_default() += 1;
    }
    for ((status, source), n) in &by_source {
        println!("  {n:5}  {status}  from {source}");
    }
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for link in &citations.links {
        let kind = match (&link.title, &link.number) {
            (Some(_), _) => "title",
            (None, Some(_)) => "number",
            _ => "本法第N条",
        };
        let entry = counts.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += usize::from(link.to.is_some());
    }
    for (kind, (all, resolved)) in &counts {
        println!(
            "  references by {kind}: {resolved}/{all} resolved ({:.1}%)",
            *resolved as f64 * 100.0 / (*all).max(1) as f64
        );
    }
    let step = (versions.chains.len() / sample.max(1)).max(1);
    for chain in versions.chains.iter().step_by(step).take(sample) {
        println!("== {}", chain.title);
        for version in &chain.versions {
            for (k, path) in version.iter().enumerate() {
                let r = &catalog.files[path];
                let d = &versions.docs[path];
                println!(
                    "   {} {:10} {:12} {:6} {}",
                    if k == 0 { "   " } else { "copy" },
                    r.date.as_deref().unwrap_or("-"),
                    d.version.as_deref().unwrap_or("-"),
                    d.status.as_deref().unwrap_or("-"),
                    path.rsplit('/').next().unwrap_or(path)
                );
            }
        }
    }
    Ok(())
}
