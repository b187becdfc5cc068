//! Known-item search on `../shared/corpus/bench`: can a reader who remembers a passage's key
//! words find it again? For ~200 random passages, the query is the passage's top TF-IDF key
//! words (2–3 of them); the score is MRR@10 at document level (a hit from the passage's
//! document) and at passage level (the passage itself, or a duplicate collapsed into a hit).
//!
//! Compared in the same run with the naive way: one Tantivy text field analysed by jieba's
//! search mode, queried through Tantivy's `QueryParser` with its defaults.
//!
//! `cargo bench --bench known_item` (set `ZHENGCE_BENCH_INDEX=DIR` to reuse or keep an
//! index); skipped with a message when the corpus is absent. Not run by CI.

mod common;

use std::time::Instant;

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexWriter, TantivyDocument};
use zhengce::analysis::{JIEBA, JiebaTokenizer};
use zhengce::ingest::keyphrase;
use zhengce::search::{self, Options};

const SAMPLES: usize = 200;
const KEYWORDS: usize = 3;
/// Passages shorter than this rarely have two key words.
const MIN_CHARS: usize = 40;
const SEED: u64 = 0x4B1D_2026;
const CUTOFF: usize = 10;

/// Where the target was found, from 1, within the cutoff.
#[derive(Default, Clone, Copy)]
struct Ranks {
    doc: Option<usize>,
    passage: Option<usize>,
}

fn main() {
    let Some(corpus) = common::start() else {
        return;
    };
    let store = common::open_index(&corpus);
    let passages = common::passages(&corpus);

    // The samples and their queries.
    let mut rng = common::Rng::new(SEED);
    let mut samples: Vec<(usize, Vec<String>)> = Vec::new();
    let mut tries = 0;
    while samples.len() < SAMPLES && tries < SAMPLES * 100 {
        tries += 1;
        let i = rng.below(passages.len());
        if passages[i].text.chars().count() < MIN_CHARS || samples.iter().any(|s| s.0 == i) {
            continue;
        }
        let words = keyphrase::extract(&passages[i].text, KEYWORDS);
        if words.len() >= 2 {
            samples.push((i, words));
        }
    }

    // The naive baseline: its own index of the same passages.
    let started = Instant::now();
    let naive = NaiveIndex::build(&passages);
    eprintln!(
        "naive index: {} passages in {:.0} s",
        passages.len(),
        started.elapsed().as_secs_f64()
    );

    let opts = Options::new(CUTOFF);
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let (mut our_ms, mut their_ms) = (0.0, 0.0);
    for (i, words) in &samples {
        let target = &passages[*i];
        let query = words.join(" ");

        let t = Instant::now();
        let results = search::run(&store, &query, &opts).expect("zhengce search");
        our_ms += t.elapsed().as_secs_f64() * 1000.0;
        let mut r = Ranks::default();
        for (rank, h) in results.hits.iter().enumerate() {
            let same_doc =
                h.path == target.path || h.duplicates.iter().any(|d| d.path == target.path);
            let same_passage = (h.path == target.path && h.passage == target.ordinal)
                || h.duplicates
                    .iter()
                    .any(|d| d.path == target.path && d.passage == target.ordinal);
            if same_doc && r.doc.is_none() {
                r.doc = Some(rank + 1);
            }
            if same_passage && r.passage.is_none() {
                r.passage = Some(rank + 1);
            }
        }
        ours.push(r);

        let t = Instant::now();
        let hits = naive.search(&query);
        their_ms += t.elapsed().as_secs_f64() * 1000.0;
        let mut r = Ranks::default();
        for (rank, (path, ordinal)) in hits.iter().enumerate() {
            if *path == target.path && r.doc.is_none() {
                r.doc = Some(rank + 1);
            }
            if *path == target.path && *ordinal == target.ordinal && r.passage.is_none() {
                r.passage = Some(rank + 1);
            }
        }
        theirs.push(r);
    }

    let n = samples.len().max(1) as f64;
    let mrr = |ranks: &[Ranks], doc: bool| {
        ranks
            .iter()
            .map(|r| {
                let at = if doc { r.doc } else { r.passage };
                at.map_or(0.0, |k| 1.0 / k as f64)
            })
            .sum::<f64>()
            / n
    };
    let found = |ranks: &[Ranks]| ranks.iter().filter(|r| r.passage.is_some()).count();
    println!(
        "{} known items, queries of {}–{} TF-IDF key words, MRR@{CUTOFF}",
        samples.len(),
        2,
        KEYWORDS
    );
    println!("| system | MRR@10 document | MRR@10 passage | passage in top 10 | ms/query |");
    println!("|---|---|---|---|---|");
    println!(
        "| zhengce | {:.3} | {:.3} | {}/{} | {:.1} |",
        mrr(&ours, true),
        mrr(&ours, false),
        found(&ours),
        samples.len(),
        our_ms / n
    );
    println!(
        "| naive jieba + QueryParser | {:.3} | {:.3} | {}/{} | {:.1} |",
        mrr(&theirs, true),
        mrr(&theirs, false),
        found(&theirs),
        samples.len(),
        their_ms / n
    );
    for (s, (o, t)) in samples.iter().zip(ours.iter().zip(&theirs)).take(10) {
        println!(
            "example: {:?} → zhengce passage rank {:?}, naive {:?}",
            s.1.join(" "),
            o.passage,
            t.passage
        );
    }
}

/// The naive way: one jieba search-mode text field, `QueryParser` defaults (OR of terms).
struct NaiveIndex {
    index: Index,
    text: tantivy::schema::Field,
    path: tantivy::schema::Field,
    ordinal: tantivy::schema::Field,
}

impl NaiveIndex {
    fn build(passages: &[common::Passage]) -> NaiveIndex {
        let mut b = Schema::builder();
        let text = b.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(JIEBA)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let path = b.add_text_field("path", STRING | STORED);
        let ordinal = b.add_u64_field("ordinal", INDEXED | STORED);
        let index = Index::create_from_tempdir(b.build()).expect("naive index");
        index.tokenizers().register(JIEBA, JiebaTokenizer);
        let mut writer: IndexWriter = index.writer(400 << 20).expect("naive writer");
        for p in passages {
            let mut d = TantivyDocument::new();
            d.add_text(text, &p.text);
            d.add_text(path, &p.path);
            d.add_u64(ordinal, p.ordinal);
            writer.add_document(d).expect("add");
        }
        writer.commit().expect("commit");
        NaiveIndex {
            index,
            text,
            path,
            ordinal,
        }
    }

    /// The top hits as (path, passage ordinal); none when the parser rejects the query.
    fn search(&self, query: &str) -> Vec<(String, u64)> {
        let reader = self.index.reader().expect("reader");
        let searcher = reader.searcher();
        let parser = QueryParser::for_index(&self.index, vec![self.text]);
        let Ok(q) = parser.parse_query(query) else {
            return Vec::new();
        };
        let top = searcher
            .search(&q, &TopDocs::with_limit(CUTOFF).order_by_score())
            .expect("naive search");
        top.into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address).expect("doc");
                let path = doc
                    .get_first(self.path)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                let ordinal = doc
                    .get_first(self.ordinal)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default();
                (path, ordinal)
            })
            .collect()
    }
}
