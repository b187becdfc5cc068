//! Substring recall and precision of `search::run` on the whole `../shared/corpus/bench`,
//! against a plain substring scan of the same passages.
//!
//! Samples random CJK substrings of 1–6 characters from random passages (so most start or
//! end in the middle of a word; a lone character matches tens of thousands of passages), runs each through `search::run` with synonyms off and no
//! limit to speak of, and compares the passages (and documents) returned with those whose
//! text contains the query. Prints recall and precision by query length.
//!
//! `cargo bench --bench recall` (set `ZHENGCE_BENCH_INDEX=DIR` to reuse or keep an index);
//! skipped with a message when the corpus is absent. Not run by CI.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use zhengce::analysis::{is_cjk, normalize};
use zhengce::search::synonyms::Synonyms;
use zhengce::search::{self, Options};

const QUERIES_PER_LENGTH: usize = 60;
const LENGTHS: std::ops::RangeInclusive<usize> = 1..=6;
const SEED: u64 = 0x5EED_2026;

#[derive(Default)]
struct Tally {
    queries: usize,
    perfect: usize,
    expected: usize,
    returned: usize,
    correct: usize,
    expected_docs: usize,
    returned_docs: usize,
    correct_docs: usize,
    millis: f64,
}

fn main() {
    let Some(corpus) = common::start() else {
        return;
    };
    let store = common::open_index(&corpus);
    let passages = common::passages(&corpus);
    eprintln!("{} passages to sample from", passages.len());

    let mut rng = common::Rng::new(SEED);
    let mut queries: Vec<String> = Vec::new();
    for len in LENGTHS {
        let mut taken = 0;
        while taken < QUERIES_PER_LENGTH {
            let p = &passages[rng.below(passages.len())];
            let chars: Vec<char> = p.text.chars().collect();
            if chars.len() < len {
                continue;
            }
            let start = rng.below(chars.len() - len + 1);
            let q = &chars[start..start + len];
            if q.iter().all(|&c| is_cjk(c)) {
                queries.push(q.iter().collect());
                taken += 1;
            }
        }
    }

    let opts = Options {
        limit: 10_000_000,
        synonyms: Synonyms::none().into(),
        ..Options::new(10)
    };
    // The oracle compares normalised text, as the search does: full-width forms folded,
    // traditional characters as simplified (國家 is 国家). A raw byte-for-byte scan is kept
    // too: every passage it finds must be returned.
    let folded: Vec<String> = passages.iter().map(|p| normalize(&p.text).text).collect();
    let mut by_len: BTreeMap<usize, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut raw_missed = 0;
    for q in &queries {
        let needle = normalize(q).text;
        let expected: HashSet<(&str, u64)> = passages
            .iter()
            .zip(&folded)
            .filter(|(_, f)| f.contains(needle.as_str()))
            .map(|(p, _)| (p.path.as_str(), p.ordinal))
            .collect();
        let raw: Vec<(&str, u64)> = passages
            .iter()
            .filter(|p| p.text.contains(q.as_str()))
            .map(|p| (p.path.as_str(), p.ordinal))
            .collect();
        let started = Instant::now();
        let results = search::run(&store, q, &opts).expect("search");
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let mut returned: HashSet<(String, u64)> = HashSet::new();
        for h in &results.hits {
            returned.insert((h.path.clone(), h.passage));
            for d in &h.duplicates {
                returned.insert((d.path.clone(), d.passage));
            }
        }
        let correct = returned
            .iter()
            .filter(|(p, n)| expected.contains(&(p.as_str(), *n)))
            .count();
        raw_missed += raw
            .iter()
            .filter(|(p, n)| !returned.contains(&(p.to_string(), *n)))
            .count();
        let expected_docs: HashSet<&str> = expected.iter().map(|(p, _)| *p).collect();
        let returned_docs: HashSet<&str> = returned.iter().map(|(p, _)| p.as_str()).collect();
        let correct_docs = returned_docs.intersection(&expected_docs).count();

        let t = by_len.entry(q.chars().count()).or_default();
        t.queries += 1;
        t.expected += expected.len();
        t.returned += returned.len();
        t.correct += correct;
        t.expected_docs += expected_docs.len();
        t.returned_docs += returned_docs.len();
        t.correct_docs += correct_docs;
        t.millis += millis;
        if correct == expected.len() && correct == returned.len() {
            t.perfect += 1;
        } else {
            misses.push(format!(
                "{q}: expected {}, returned {}, correct {correct}",
                expected.len(),
                returned.len()
            ));
        }
    }

    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    println!(
        "| chars | queries | exact | passages expected | passage recall | passage precision | doc recall | doc precision | ms/query |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut all = Tally::default();
    for (len, t) in &by_len {
        println!(
            "| {len} | {} | {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.0} |",
            t.queries,
            t.perfect,
            t.expected,
            ratio(t.correct, t.expected),
            ratio(t.correct, t.returned),
            ratio(t.correct_docs, t.expected_docs),
            ratio(t.correct_docs, t.returned_docs),
            t.millis / t.queries as f64
        );
        all.queries += t.queries;
        all.perfect += t.perfect;
        all.expected += t.expected;
        all.returned += t.returned;
        all.correct += t.correct;
        all.expected_docs += t.expected_docs;
        all.returned_docs += t.returned_docs;
        all.correct_docs += t.correct_docs;
        all.millis += t.millis;
    }
    println!(
        "| all | {} | {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.0} |",
        all.queries,
        all.perfect,
        all.expected,
        ratio(all.correct, all.expected),
        ratio(all.correct, all.returned),
        ratio(all.correct_docs, all.expected_docs),
        ratio(all.correct_docs, all.returned_docs),
        all.millis / all.queries.max(1) as f64
    );
    println!("passages holding a query byte for byte but not returned: {raw_missed}");
    for m in misses.iter().take(20) {
        println!("miss: {m}");
    }
}
