//! Prints the metadata zhengce reads from files, one JSON object per line, for checking
//! `meta::parse` on a corpus without building an index:
//! `cargo run --release --example meta -- FILE... ` (or file names on stdin, one a line).
//! With `--head`, each line also carries the first 300 characters of the text.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use zhengce::ingest::extract::{Format, extract, pdf};
use zhengce::ingest::{meta, passage};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == pdf::CHILD_COMMAND {
        return pdf::run_pdf_child(Path::new(&args[2]));
    }
    let head = args.iter().any(|a| a == "--head");
    let mut files: Vec<String> = args[1..]
        .iter()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .collect();
    if files.is_empty() {
        files = std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect();
    }
    let mut failed = false;
    for file in files {
        let path = Path::new(&file);
        let Some(format) = Format::of(path) else {
            continue;
        };
        let extracted = match extract(path, format) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{file}: {e:#}");
                failed = true;
                continue;
            }
        };
        let doc = passage::split(path, &extracted);
        let paragraphs: Vec<&str> = doc.passages.iter().map(|p| p.text.as_str()).collect();
        let m = meta::parse(path, &doc.title, &paragraphs, &extracted.metadata);
        let mut out = serde_json::json!({
            "path": file,
            "title": doc.title,
            "doc_number": m.doc_number,
            "issuer": m.issuer,
            "issuers": m.issuers,
            "date": m.date.map(meta::Date::iso),
            "effective": m.effective.map(meta::Date::iso),
            "doc_type": m.doc_type,
        });
        if head {
            out["head"] = extracted.text.chars().take(300).collect::<String>().into();
        }
        println!("{out}");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
