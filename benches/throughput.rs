//! Indexing throughput and query latency on the txt/md part of `../shared/corpus/bench`,
//! beside baselines measured in the same run: jieba segmentation alone (the practical limit
//! of indexing) and `rg -F -l` over the same files (for whole-process query latency).
//!
//! `cargo bench --bench throughput`; skipped with a message when the corpus is absent.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::BytesCount;
use zhengce::index::build::{self, Options};
use zhengce::ingest::extract::Format;
use zhengce::render::progress::Progress;

/// Queries by kind, `kind: query`: divan reports each, so the kinds can be compared.
const QUERIES: &[&str] = &[
    "word: 世界贸易组织",
    "word: 高水平对外开放",
    "common word: 国务院",
    "substring: 贸易组织",
    "substring: 易组",
    "single char: 税",
    "single char: 的",
    "two words: 数据 安全",
    "two words: 行政许可 听证",
    "phrase: \"数据安全\"",
    "filter: type:条例 安全",
    "filter: date:2019 国务院",
    "latin: WTO",
];

/// The query of a `kind: query` entry.
fn query_of(entry: &str) -> &str {
    entry.split_once(": ").map_or(entry, |(_, q)| q)
}

fn corpus() -> Option<PathBuf> {
    // Canonical, as the walk gives its files' paths.
    std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bench")).ok()
}

/// The txt/md files of the corpus and their total size.
fn text_files() -> &'static (Vec<PathBuf>, u64) {
    static FILES: OnceLock<(Vec<PathBuf>, u64)> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut warnings = Vec::new();
        let files: Vec<PathBuf> = corpus()
            .map(|dir| zhengce::ingest::walk::walk(&[dir], &[], &mut warnings).unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .filter(|f| matches!(f.format, Format::Txt | Format::Md))
            .map(|f| f.path)
            .collect();
        let bytes = files
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum();
        (files, bytes)
    })
}

/// An index of the corpus, built once per run and kept for the query benchmarks.
fn bench_index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-index");
        let mut opts = Options::new(dir.clone(), vec![corpus().expect("corpus present")]);
        opts.rebuild = true;
        let summary = build::run(&opts, &Progress::hidden()).expect("index the corpus");
        let size: u64 = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        eprintln!(
            "index: {} files, {} passages, {:.1} MB text, index {:.1} MB = {:.2}× the text",
            summary.files,
            summary.passages,
            summary.text_bytes as f64 / 1e6,
            size as f64 / 1e6,
            size as f64 / summary.text_bytes as f64
        );
        dir
    })
}

fn main() {
    // PDFs are extracted in a child process of this executable.
    if let Some(code) = zhengce::ingest::extract::pdf::serve_child() {
        std::process::exit(i32::from(code != std::process::ExitCode::SUCCESS));
    }
    if corpus().is_none() {
        eprintln!("skipped: ../shared/corpus/bench is not here");
        return;
    }
    divan::main();
}

/// Indexing the whole txt/md corpus from scratch.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn index_corpus(bencher: Bencher) {
    let tmp = tempfile::TempDir::new().unwrap();
    let (files, bytes) = text_files();
    // The txt/md files alone, as symlinks (followed by the walk).
    let root = corpus().unwrap();
    let texts = tmp.path().join("texts");
    for f in files {
        let link = texts.join(f.strip_prefix(&root).unwrap());
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(f, link).unwrap();
    }
    bencher.counter(BytesCount::new(*bytes)).bench(|| {
        let mut opts = Options::new(tmp.path().join("index"), vec![texts.clone()]);
        opts.rebuild = true;
        let summary = build::run(&opts, &Progress::hidden()).unwrap();
        assert!(summary.passages > 0);
    });
}

/// Baseline: jieba search-mode segmentation of the same text on one thread.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn segment_only(bencher: Bencher) {
    let (files, bytes) = text_files();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let jieba = &*zhengce::analysis::JIEBA_DICT;
    bencher.counter(BytesCount::new(*bytes)).bench(|| {
        let words: usize = texts
            .iter()
            .map(|t| jieba.cut_for_search(t, true).len())
            .sum();
        assert!(words > 0);
    });
}

/// What Tantivy alone costs to index one analysis of the same text: each paragraph a
/// document with a single field, 2 writer threads, nothing stored. zhengce needs both (words
/// for ranking, bigrams with positions to find every substring), so neither can be beaten.
#[divan::bench(args = ["jieba words", "cjk bigrams with positions"], sample_count = 1, sample_size = 1)]
fn bare_field_index(bencher: Bencher, analysis: &str) {
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use zhengce::analysis::{GramTokenizer, JiebaTokenizer};
    let (files, bytes) = text_files();
    let paragraphs: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .flat_map(|t| t.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.trim().is_empty())
        .collect();
    let words = analysis.starts_with("jieba");
    bencher.counter(BytesCount::new(*bytes)).bench(|| {
        let mut b = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer("analysis")
            .set_index_option(if words {
                IndexRecordOption::WithFreqs
            } else {
                IndexRecordOption::WithFreqsAndPositions
            });
        let field = b.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(indexing),
        );
        let tmp = tempfile::TempDir::new().unwrap();
        let index = tantivy::Index::create_in_dir(tmp.path(), b.build()).unwrap();
        if words {
            index.tokenizers().register("analysis", JiebaTokenizer);
        } else {
            index.tokenizers().register("analysis", GramTokenizer);
        }
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(2, 400 << 20).unwrap();
        for p in &paragraphs {
            let mut d = tantivy::TantivyDocument::new();
            d.add_text(field, p);
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
    });
}

/// A whole `zhengce search` process, start to exit.
#[divan::bench(args = QUERIES, sample_count = 20, sample_size = 1)]
fn query_zhengce(bencher: Bencher, entry: &str) {
    let index = bench_index();
    let query = query_of(entry);
    bencher.bench(|| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
        cmd.arg("search")
            .args(query.split(' '))
            .arg("--index")
            .arg(index);
        let out = cmd.arg("--json").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{query}");
    });
}

/// Baseline: `rg -F -l` for the first word over the same files.
#[divan::bench(args = QUERIES, sample_count = 20, sample_size = 1)]
fn query_rg(bencher: Bencher, entry: &str) {
    let dir = corpus().unwrap();
    // The first word that is not a filter, unquoted.
    let word = query_of(entry)
        .split(' ')
        .find(|w| !w.contains(':'))
        .unwrap()
        .trim_matches('"');
    bencher.bench(|| {
        let out = Command::new("rg")
            .args(["-F", "-l", "-i", "-g", "*.txt", "-g", "*.md", word])
            .arg(&dir)
            .output()
            .expect("rg is installed (apt-get install ripgrep)");
        assert_eq!(out.status.code(), Some(0), "{word}");
    });
}
