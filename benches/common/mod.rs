//! Shared by the evaluation benches: the bench corpus, its index, its passages (extracted
//! and split exactly as indexing does) and a seeded random number generator.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use zhengce::index::Store;
use zhengce::index::build::{self, Options};
use zhengce::index::catalog::Catalog;
use zhengce::ingest::extract;
use zhengce::render::progress::Progress;
use zhengce::{ingest::passage, ingest::walk};

/// What every evaluation starts with: serves the PDF child when this process is one (PDFs are
/// extracted in a child process of the running executable), else the corpus, or None after
/// saying the evaluation is skipped.
pub fn start() -> Option<PathBuf> {
    if let Some(code) = extract::pdf::serve_child() {
        std::process::exit(i32::from(code != std::process::ExitCode::SUCCESS));
    }
    let corpus = corpus();
    if corpus.is_none() {
        eprintln!("skipped: ../shared/corpus/bench is not here");
    }
    corpus
}

/// `../shared/corpus/bench`, when present, spelled as the index spells its files.
pub fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bench");
    zhengce::ingest::walk::canonical_root(&dir).ok()
}

/// The index of the corpus: the one at `$ZHENGCE_BENCH_INDEX` if it holds an index (built
/// there otherwise), else one built afresh under the target folder.
pub fn open_index(corpus: &Path) -> Store {
    let (dir, reuse) = match std::env::var_os("ZHENGCE_BENCH_INDEX") {
        Some(d) => (PathBuf::from(d), true),
        None => (
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("eval-index"),
            false,
        ),
    };
    if !(reuse && dir.join("meta.json").is_file()) {
        let started = Instant::now();
        let mut opts = Options::new(dir.clone(), vec![corpus.to_path_buf()]);
        opts.rebuild = true;
        let summary = build::run(&opts, &Progress::hidden()).expect("index the bench corpus");
        eprintln!(
            "indexed {} files, {} passages in {:.0} s into {}",
            summary.files,
            summary.passages,
            started.elapsed().as_secs_f64(),
            dir.display()
        );
    } else {
        eprintln!("reusing the index at {}", dir.display());
    }
    let store = Store::open(&dir).expect("open the bench index");
    // Passages are compared by path: an index built from another spelling of the corpus
    // folder would score 0 everywhere instead of saying why.
    let catalog = Catalog::load(&store.index, &dir).expect("read the bench index's catalog");
    assert!(
        catalog.paths_under(corpus).next().is_some(),
        "{} holds no file under {}: unset ZHENGCE_BENCH_INDEX or point it at an empty folder",
        dir.display(),
        corpus.display()
    );
    store
}

/// One passage of the corpus as the index holds it.
pub struct Passage {
    pub path: String,
    pub ordinal: u64,
    pub text: String,
}

/// Every passage of the corpus's indexable files, in walk order.
pub fn passages(corpus: &Path) -> Vec<Passage> {
    let mut warnings = Vec::new();
    let files = walk::walk(&[corpus.to_path_buf()], &[], &mut warnings).expect("walk the corpus");
    let mut out = Vec::new();
    for file in files {
        let Ok(extracted) = extract::extract(&file.path, file.format) else {
            continue;
        };
        let doc = passage::split(&file.path, &extracted);
        let path = file.path.to_string_lossy().into_owned();
        for p in doc.passages {
            out.push(Passage {
                path: path.clone(),
                ordinal: p.ordinal as u64,
                text: p.text,
            });
        }
    }
    out
}

/// xorshift64*: a seeded generator, so every run samples the same queries.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
