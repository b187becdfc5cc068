//! The command line: arguments in, a command run, an exit code out (0 found, 1 nothing found,
//! 2 error), the way grep does it.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::index::{self, Store};
use crate::render;
use crate::search;

#[derive(Parser, Debug)]
#[command(
    name = "zhengce",
    version,
    about = "Full-text search for Chinese policy documents (政策文件全文检索)",
    after_help = "Exit status: 0 if something was found (or indexed), 1 if nothing was found, 2 on error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Index the documents under one or more folders (txt, md), updating what changed.
    Index {
        /// Folders or files to index.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Where the index lives.
        #[arg(long, value_name = "DIR", default_value = "./index")]
        index: PathBuf,
        /// Memory budget of the index writer, in MB.
        #[arg(long, value_name = "MB", default_value_t = 400)]
        memory: usize,
        /// Start from an empty index.
        #[arg(long)]
        rebuild: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Search the index: every passage holding the words as substrings, best first.
    #[command(after_help = r#"Query language:
  数据 安全                    both words (AND); each is found as a substring, mid-word too
  数据 OR 安全, 数据 | 安全    either word; passages holding both rank first
  数据 -草案, 数据 NOT 草案    exclude passages holding 草案
  "数据 安全"                  an exact phrase, spaces and punctuation as written; no synonyms
  (数据 OR 信息) 安全          parentheses group; AND binds tighter than OR
  title:数据                   the document title holds 数据
  issuer:国务院                the issuing body (发文机关) holds 国务院
  doc:国发〔2019〕5号          document number (发文字号), any brackets: 国发[2019]5号
  type:条例                    document type (文种): 法律, 条例, 通知, 意见, 决定 …
  date:2019, date:2019-03      document date in that year or month
  date:2019-01-01..2019-06-30  document date in a range; either end may be left out
Words are case-insensitive and full-width letters equal half-width ones. An abbreviation or
synonym (WTO, 世贸组织, 国办, 个税, 十四五, RCEP …) also finds its other forms unless --exact.
A word starting with - is excluded (quote it, "-1", to search for it); as the shell passes
-word on as an option, quote the whole query: zhengce search '数据 -草案' (or write NOT 草案)."#)]
    Search {
        /// The query (several arguments are joined with spaces); see the query language below.
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// Where the index lives.
        #[arg(long, value_name = "DIR", default_value = "./index")]
        index: PathBuf,
        /// Most hits to show.
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// Order of the hits: relevance, or date (newest document first, unknown dates last).
        #[arg(long, value_enum, default_value_t = search::Sort::Relevance)]
        sort: search::Sort,
        /// Extra synonym groups: one group per line, terms separated by spaces or commas,
        /// `#` comments (added to the built-in table and the index folder's synonyms.txt).
        #[arg(long, value_name = "FILE")]
        synonyms: Option<PathBuf>,
        /// Search the words exactly as typed: no synonyms or abbreviations.
        #[arg(long)]
        exact: bool,
        /// Show why each hit scored as it did (terms, fields, boosts, proximity, date).
        #[arg(long)]
        explain: bool,
        /// Print the results as one JSON object.
        #[arg(long, conflicts_with = "jsonl")]
        json: bool,
        /// Print one JSON object per hit, one per line.
        #[arg(long)]
        jsonl: bool,
        /// When to colour the output (auto: on a terminal, unless NO_COLOR is set).
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Parses the arguments, runs the command and turns any error into one line on stderr.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zhengce: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index {
            paths,
            index,
            memory,
            rebuild,
            quiet,
        } => {
            let summary = index::build(&index::Options {
                index_dir: index,
                roots: paths,
                memory_budget: memory << 20,
                rebuild,
            })?;
            for reason in &summary.skipped {
                eprintln!("zhengce: skipped {reason}");
            }
            if !quiet {
                let formats: Vec<String> = summary
                    .by_format
                    .iter()
                    .map(|(f, n)| format!("{n} {}", f.name()))
                    .collect();
                let mut out = io::stdout().lock();
                writeln!(
                    out,
                    "indexed {} files ({}), {} passages, {:.1} MB of text; skipped {}",
                    summary.files,
                    formats.join(", "),
                    summary.passages,
                    summary.text_bytes as f64 / 1e6,
                    summary.skipped.len()
                )?;
            }
            Ok(if summary.skipped.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Search {
            query,
            index,
            limit,
            sort,
            synonyms,
            exact,
            explain,
            json,
            jsonl,
            color,
        } => {
            if limit == 0 {
                bail!("--limit must be at least 1");
            }
            let store = Store::open(&index)?;
            // --exact searches the words as typed: no table, no user file.
            let synonyms = if exact {
                crate::synonyms::Synonyms::none()
            } else {
                crate::synonyms::Synonyms::load(&index, synonyms.as_deref())?
            };
            let opts = search::Options {
                limit,
                sort,
                synonyms,
                explain,
            };
            let results = search::run(&store, &query.join(" "), &opts)?;
            let mut out = io::BufWriter::new(io::stdout().lock());
            if json {
                render::json::write(&mut out, &results)?;
            } else if jsonl {
                render::json::write_lines(&mut out, &results)?;
            } else {
                render::terminal::write(&mut out, &results, color.enabled())?;
            }
            out.flush()?;
            Ok(if results.hits.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
