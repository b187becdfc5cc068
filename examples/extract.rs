//! Prints what zhengce extracts from files, for checking extractors on a corpus:
//! `cargo run --example extract -- [--summary] FILE...`. With `--summary`, one line per
//! file (status, seconds, characters, lines, metadata keys) instead of the text.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use zhengce::ingest::extract::{Format, extract, pdf};

fn main() -> ExitCode {
    // PDFs are extracted by re-invoking this executable, as zhengce itself does.
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == pdf::CHILD_COMMAND {
        return pdf::run_pdf_child(Path::new(&args[2]));
    }
    let mut summary = false;
    let mut failed = false;
    for arg in std::env::args().skip(1) {
        if arg == "--summary" {
            summary = true;
            continue;
        }
        let path = Path::new(&arg);
        let Some(format) = Format::of(path) else {
            eprintln!("{arg}: unknown format");
            failed = true;
            continue;
        };
        let start = Instant::now();
        let result = extract(path, format);
        let secs = start.elapsed().as_secs_f64();
        match result {
            Ok(doc) if summary => {
                let keys: Vec<&str> = doc.metadata.iter().map(|(k, _)| k.as_str()).collect();
                println!(
                    "ok\t{secs:.3}\t{}\t{}\t{}\t{arg}",
                    doc.text.chars().count(),
                    doc.text.lines().count(),
                    keys.join(",")
                );
            }
            Ok(doc) => {
                for (k, v) in &doc.metadata {
                    println!("@{k}\t{v}");
                }
                print!("{}", doc.text);
            }
            Err(e) => {
                failed = true;
                if summary {
                    println!("ERR\t{secs:.3}\t{e:#}");
                } else {
                    eprintln!("{e:#}");
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
