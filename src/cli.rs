//! The command line: arguments in, a command run, an exit code out (0 found, 1 nothing found,
//! 2 error), the way grep does it.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use std::sync::atomic::Ordering;

use crate::browse;
use crate::index::Store;
use crate::indexer;
use crate::progress::Progress;
use crate::render;
use crate::search;
use crate::walk;

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
    /// Index the documents (txt, md, html, docx, pdf; UTF-8, UTF-16, GBK/GB18030, Big5) under
    /// one or more folders, updating only what changed.
    Index {
        /// Folders or files to index.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Where the index lives.
        #[arg(long, value_name = "DIR", default_value = "./index")]
        index: PathBuf,
        /// Memory budget of the index writer, in MB.
        #[arg(long, value_name = "MB", default_value_t = indexer::DEFAULT_MEMORY_MB)]
        memory: usize,
        /// Start from an empty index.
        #[arg(long)]
        rebuild: bool,
        /// Commit after this many MB of text, so that an interrupted run keeps its work.
        #[arg(long, value_name = "MB", default_value_t = indexer::DEFAULT_COMMIT_EVERY_MB)]
        commit_every: usize,
        /// Print nothing but errors (no progress bar, no summary).
        #[arg(long, short)]
        quiet: bool,
        /// List every skipped file with its reason (otherwise the first few).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Show the collection in numbers: documents, passages, formats, folders, dates, size.
    Stats {
        /// Where the index lives.
        #[arg(long, value_name = "DIR", default_value = "./index")]
        index: PathBuf,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List the documents in the index with their metadata.
    ///
    /// With filters (the query language's title:, issuer:, doc:, type:, date:, effective:),
    /// only the documents that satisfy them: zhengce list issuer:国务院 type:条例.
    List {
        /// Filters, as in `search` (several arguments are joined with spaces).
        #[arg(value_name = "FILTER")]
        filters: Vec<String>,
        /// Where the index lives.
        #[arg(long, value_name = "DIR", default_value = "./index")]
        index: PathBuf,
        /// Extra synonym groups for the filter values, as for `search`.
        #[arg(long, value_name = "FILE")]
        synonyms: Option<PathBuf>,
        /// Take the filter values exactly as typed: no synonyms or abbreviations.
        #[arg(long)]
        exact: bool,
        /// Print one JSON object per document, one per line.
        #[arg(long)]
        json: bool,
    },
    /// Print a document, or one passage (PATH:N) with the passages around it.
    Show {
        /// A path as `search` prints it, optionally with `:N` for passage N.
        #[arg(value_name = "PATH[:N]")]
        target: String,
        /// Where the index lives.
        #[arg(long, value_name = "DIR", default_value = "./index")]
        index: PathBuf,
        /// Passages shown before and after passage N.
        #[arg(long, short = 'C', default_value_t = 2)]
        context: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
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
  effective:2021, effective:..2020-12-31
                               in force from a date in that period (施行), as for date:
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
        /// Print the citation of each hit, one per line: 《中华人民共和国数据安全法》第二十一条,
        /// 国务院关于…的通知（国发〔2019〕5号）.
        #[arg(long, conflicts_with_all = ["json", "jsonl"])]
        cite: bool,
    },
}

/// Skipped files listed by `index` without `--verbose`.
const SKIPPED_SHOWN: usize = 5;

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
    // PDF extraction runs in a child process of this executable, so a panic or a hang in
    // the PDF library cannot take the indexing run down.
    if let Some(code) = crate::extract::pdf::serve_child() {
        return code;
    }
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

/// The synonyms a query is expanded with: none with --exact (the words as typed), else the
/// built-in table, the index folder's file and the user's.
fn load_synonyms(
    index: &std::path::Path,
    user_file: Option<&std::path::Path>,
    exact: bool,
) -> Result<crate::synonyms::Synonyms> {
    if exact {
        Ok(crate::synonyms::Synonyms::none())
    } else {
        crate::synonyms::Synonyms::load(index, user_file)
    }
}

/// Prints one result on stdout: as a JSON object with `json`, else with `text`.
fn print_one<T: serde::Serialize>(
    value: &T,
    json: bool,
    text: fn(&mut io::BufWriter<io::StdoutLock<'static>>, &T) -> Result<()>,
) -> Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        serde_json::to_writer(&mut out, value)?;
        writeln!(out)?;
    } else {
        text(&mut out, value)?;
    }
    out.flush()?;
    Ok(())
}

/// A path of the index as printed (see [`walk::shown`]); on a terminal without the control
/// characters a file name may hold, which could drive the terminal (JSON escapes them).
fn path_shown(path: &str, terminal: bool) -> String {
    let shown = walk::shown(path);
    if terminal {
        shown.replace(char::is_control, "?")
    } else {
        shown.to_string()
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        // JSON output fails as serde_json's error, which wraps the io error.
        let kind = match cause.downcast_ref::<serde_json::Error>() {
            Some(json) => json.io_error_kind(),
            None => cause.downcast_ref::<io::Error>().map(io::Error::kind),
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index {
            paths,
            index,
            memory,
            rebuild,
            commit_every,
            quiet,
            verbose,
        } => {
            let mut opts = indexer::Options::new(index, paths);
            opts.memory_budget = memory << 20;
            opts.rebuild = rebuild;
            opts.commit_every = commit_every.max(1) << 20;
            let interrupt = opts.interrupt.clone();
            // First Ctrl-C: finish the file at hand and commit; second: stop at once, the
            // index keeping its last commit.
            let _ = ctrlc::set_handler(move || {
                if interrupt.swap(true, Ordering::SeqCst) {
                    eprintln!("zhengce: stopped; the index holds its last commit");
                    std::process::exit(130);
                }
                eprintln!(
                    "zhengce: interrupted — committing what is done (Ctrl-C again to stop now)"
                );
            });
            let summary = indexer::build(&opts, &Progress::new(quiet))?;
            for root in &summary.gone_roots {
                eprintln!("zhengce: {root} is gone: its documents were removed from the index");
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
                eprintln!(
                    "zhengce: the index was in the format of an earlier zhengce (version {version}); rebuilt it{also}"
                );
            }
            let shown = if verbose {
                summary.skipped.len()
            } else {
                SKIPPED_SHOWN
            };
            for reason in summary.skipped.iter().take(shown) {
                eprintln!("zhengce: skipped {}", walk::shown_message(reason));
            }
            if summary.skipped.len() > shown {
                eprintln!(
                    "zhengce: … and {} more skipped files (--verbose lists them all)",
                    summary.skipped.len() - shown
                );
            }
            if !quiet {
                let formats: Vec<String> = summary
                    .by_format
                    .iter()
                    .map(|(f, n)| format!("{n} {}", f.name()))
                    .collect();
                let mut out = io::stdout().lock();
                let formats = if formats.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", formats.join(", "))
                };
                writeln!(
                    out,
                    "indexed {}{formats}, {}, {:.1} MB of text; unchanged {}; removed {}; skipped {}",
                    render::counted(summary.files, "file"),
                    render::counted(summary.passages, "passage"),
                    summary.text_bytes as f64 / 1e6,
                    summary.unchanged,
                    summary.removed,
                    summary.skipped.len()
                )?;
            }
            if summary.interrupted {
                eprintln!(
                    "zhengce: interrupted: committed {}; {} left — run `zhengce index` again to finish",
                    render::counted(summary.files, "file"),
                    summary.remaining
                );
                return Ok(ExitCode::from(130));
            }
            Ok(if summary.skipped.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Stats { index, json } => {
            let store = Store::open(&index)?;
            let mut stats = browse::stats(&store, &index)?;
            stats.by_folder = std::mem::take(&mut stats.by_folder)
                .into_iter()
                .map(|(folder, n)| (path_shown(&folder, !json), n))
                .collect();
            print_one(&stats, json, render::browse::stats)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::List {
            filters,
            index,
            synonyms,
            exact,
            json,
        } => {
            let store = Store::open(&index)?;
            let plan = if filters.is_empty() {
                None
            } else {
                let parsed = crate::query::parse(&filters.join(" "))?;
                if parsed.root.has_text() {
                    bail!(
                        "list takes filters only ({}:…), not words to find in the text: {:?} — search for words with `zhengce search`",
                        crate::query::FIELD_NAMES.join(":…, "),
                        parsed.input
                    );
                }
                let synonyms = load_synonyms(&index, synonyms.as_deref(), exact)?;
                Some(crate::query::plan(&parsed, &synonyms))
            };
            let mut docs = browse::list(&store, &index, plan.as_ref())?;
            for d in &mut docs {
                d.path = path_shown(&d.path, !json);
                d.record.root = path_shown(&d.record.root, !json);
            }
            let mut out = io::BufWriter::new(io::stdout().lock());
            if json {
                for d in &docs {
                    serde_json::to_writer(&mut out, d)?;
                    writeln!(out)?;
                }
            } else {
                render::browse::list(&mut out, &docs)?;
            }
            out.flush()?;
            Ok(if docs.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Show {
            target,
            index,
            context,
            json,
        } => {
            let store = Store::open(&index)?;
            let shown = browse::show(&store, &index, &target, context)?;
            print_one(&shown, json, render::browse::show)?;
            Ok(ExitCode::SUCCESS)
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
            cite,
        } => {
            if limit == 0 {
                bail!("--limit must be at least 1");
            }
            let store = Store::open(&index)?;
            let synonyms = load_synonyms(&index, synonyms.as_deref(), exact)?;
            let opts = search::Options {
                limit,
                sort,
                synonyms,
                explain,
            };
            let mut results = search::run(&store, &query.join(" "), &opts)?;
            let terminal = !(json || jsonl);
            for hit in &mut results.hits {
                hit.path = path_shown(&hit.path, terminal);
                for d in &mut hit.duplicates {
                    d.path = path_shown(&d.path, terminal);
                }
            }
            let mut out = io::BufWriter::new(io::stdout().lock());
            if json {
                render::json::write(&mut out, &results)?;
            } else if jsonl {
                render::json::write_lines(&mut out, &results)?;
            } else if cite {
                render::terminal::write_citations(&mut out, &results)?;
            } else {
                render::terminal::write(&mut out, &results, color.enabled())?;
            }
            out.flush()?;
            // The process ends here: unmapping the index files one by one on the way out
            // cost as much as a short search.
            std::mem::forget(store);
            Ok(if results.hits.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
