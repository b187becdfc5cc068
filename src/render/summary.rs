//! What an indexing run says: notes on stderr (folders gone, an index rebuilt, files
//! skipped), the one-line summary on stdout, then, if it was stopped, what is left.

use std::io::Write;

use anyhow::Result;

use super::counted;
use crate::index::build::Summary;
use crate::ingest::{name, walk};

/// Skipped files listed without `--verbose`.
const SKIPPED_SHOWN: usize = 5;

/// The notes of a run, each a `zhengce: ` line; `verbose` lists every skipped file.
pub fn notes(err: &mut impl Write, summary: &Summary, verbose: bool) -> Result<()> {
    for root in &summary.gone_roots {
        writeln!(
            err,
            "zhengce: {root} is gone: its documents were removed from the index"
        )?;
    }
    if let Some(version) = summary.upgraded_from {
        let also = if summary.upgraded_roots.is_empty() {
            String::new()
        } else {
            format!(
                ", with the other folders it held: {}",
                summary.upgraded_roots.join(", ")
            )
        };
        writeln!(
            err,
            "zhengce: the index was in the format of an earlier zhengce (version {version}); rebuilt it{also}"
        )?;
    }
    let shown = if verbose {
        summary.skipped.len()
    } else {
        SKIPPED_SHOWN
    };
    for reason in summary.skipped.iter().take(shown) {
        writeln!(err, "zhengce: skipped {}", one_line(reason))?;
    }
    if summary.skipped.len() > shown {
        writeln!(
            err,
            "zhengce: … and {} more skipped files (--verbose lists them all)",
            summary.skipped.len() - shown
        )?;
    }
    // Files skipped by the last run already are counted in the summary; listed on demand.
    if verbose {
        for reason in &summary.still_skipped {
            writeln!(err, "zhengce: still skipped {}", one_line(reason))?;
        }
    }
    let shown = if verbose {
        summary.replaced.len()
    } else {
        SKIPPED_SHOWN
    };
    for (path, n) in summary.replaced.iter().take(shown) {
        writeln!(
            err,
            "zhengce: {}: {} replaced by U+FFFD, the rest of its text kept",
            name::escaped(walk::shown(path)),
            counted(*n, "undecodable byte sequence")
        )?;
    }
    if summary.replaced.len() > shown {
        writeln!(
            err,
            "zhengce: … and {} more files with undecodable bytes (--verbose lists them all)",
            summary.replaced.len() - shown
        )?;
    }
    Ok(())
}

/// A skip's message on one line, its path [`walk::shown`]: a file name read in an
/// extractor's message may hold a newline, or what drives a terminal.
fn one_line(message: &str) -> String {
    walk::shown_message(message).replace(char::is_control, "?")
}

/// `indexed 5 files (2 md, 3 txt), 284 passages, 0.1 MB of text; unchanged 0; removed 0;
/// skipped 0`.
pub fn write(out: &mut impl Write, summary: &Summary) -> Result<()> {
    let formats: Vec<String> = summary
        .by_format
        .iter()
        .map(|(f, n)| format!("{n} {}", f.name()))
        .collect();
    let formats = if formats.is_empty() {
        String::new()
    } else {
        format!(" ({})", formats.join(", "))
    };
    write!(
        out,
        "indexed {}{formats}, {}, {:.1} MB of text; unchanged {}; removed {}; skipped {}",
        counted(summary.files, "file"),
        counted(summary.passages, "passage"),
        summary.text_bytes as f64 / 1e6,
        summary.unchanged,
        summary.removed,
        summary.skipped.len()
    )?;
    if !summary.still_skipped.is_empty() {
        write!(out, "; still skipped {}", summary.still_skipped.len())?;
    }
    if !summary.replaced.is_empty() {
        let bytes: usize = summary.replaced.iter().map(|(_, n)| n).sum();
        write!(
            out,
            "; {} replaced in {}",
            counted(bytes, "undecodable byte sequence"),
            counted(summary.replaced.len(), "file")
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// After the summary of an interrupted run: what is committed and what is left.
pub fn interrupted(err: &mut impl Write, summary: &Summary) -> Result<()> {
    writeln!(
        err,
        "zhengce: interrupted: committed {}; {} left — run `zhengce index` again to finish",
        counted(summary.files, "file"),
        summary.remaining
    )?;
    Ok(())
}
