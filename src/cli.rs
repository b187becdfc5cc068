//! The command line: arguments in, a command run, an exit code out (0 found, 1 nothing found,
//! 2 error), the way grep does it.

use std::ffi::{OsStr, OsString};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use std::sync::atomic::Ordering;

use crate::index::Store;
use crate::index::build;
use crate::ingest::{name, walk};
use crate::render;
use crate::render::progress::Progress;
use crate::search;
use crate::search::browse;
use crate::search::synonyms::Synonyms;

#[derive(Parser, Debug)]
#[command(
    name = "zhengce",
    version,
    about = "Full-text search for Chinese policy documents (政策文件全文检索)",
    after_help = "Exit status: 0 if something was found (or indexed), 1 if nothing was found, 2 on error \
                  (for index: also a file skipped that was not skipped, unchanged, by the last run), \
                  130 if interrupted."
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
        #[command(flatten)]
        index: IndexDir,
        /// Memory budget of the index writer, in MB.
        #[arg(long, value_name = "MB", default_value_t = build::DEFAULT_MEMORY_MB)]
        memory: usize,
        /// Start from an empty index.
        #[arg(long)]
        rebuild: bool,
        /// Leave out what the glob names (gitignore syntax, relative to each folder; repeat
        /// for more): --exclude '*.pdf' --exclude drafts/. Files indexed before leave the
        /// index. A .zhengceignore file in a folder does the same for good.
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
        /// Commit after this many MB of text, so that an interrupted run keeps its work.
        #[arg(long, value_name = "MB", default_value_t = build::DEFAULT_COMMIT_EVERY_MB)]
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
        #[command(flatten)]
        index: IndexDir,
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
        #[command(flatten)]
        index: IndexDir,
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
    /// Print a document, or one passage (PATH:N) with the passages around it; or the
    /// provision a query names (`行政许可法 第46条`, `《中华人民共和国行政许可法》第四十六条`).
    Show {
        /// A path as `search` prints it, optionally with `:N` for passage N; or a provision
        /// (several arguments are joined with spaces).
        #[arg(value_name = "PATH[:N]", required = true)]
        target: Vec<OsString>,
        #[command(flatten)]
        index: IndexDir,
        /// Passages shown before and after passage N.
        #[arg(long, short = 'C', default_value_t = 2)]
        context: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Write every passage with its metadata, normalised text and index tokens, one JSON
    /// object per line, for a distributed engine to index (docs/export.md).
    Export {
        #[command(flatten)]
        index: IndexDir,
        /// JSON Lines, the one format (the default).
        #[arg(long)]
        jsonl: bool,
    },
    /// Serve the search as a web page and an HTTP API (JSON as `search --json`).
    Serve {
        #[command(flatten)]
        index: IndexDir,
        /// Address and port to listen on; loopback only unless another address is named.
        #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Extra synonym groups, as for `search --synonyms`.
        #[arg(long, value_name = "FILE")]
        synonyms: Option<PathBuf>,
        /// Megabytes of search replies kept until the next commit, for searches asked
        /// again (0: none).
        #[arg(long, value_name = "MB", default_value_t = 64)]
        cache_mb: usize,
    },
    /// The aliases a term is searched with, and where each comes from: the built-in table,
    /// the laws' short names made by rule, the composable parts of names (人大, 常委会 …), the
    /// abbreviations the indexed documents define, the synonym files; then the bodies related
    /// to it (a predecessor, a successor), shown but never searched. Without a term, all of
    /// them.
    Aliases {
        /// The term to look up (民诉法, 人社部, 市人大常委会 …).
        term: Option<String>,
        #[command(flatten)]
        index: IndexDir,
        /// Extra synonym groups, as for `search`.
        #[arg(long, value_name = "FILE")]
        synonyms: Option<PathBuf>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// What a document, or the passage PATH:N, cites: each reference (《title》, 《title》第N条,
    /// 本法第N条, 发文字号) with the indexed document and article it names.
    Cites {
        #[arg(value_name = "PATH[:N]")]
        target: String,
        #[command(flatten)]
        index: IndexDir,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// What cites a document, or the article that passage PATH:N is.
    CitedBy {
        #[arg(value_name = "PATH[:N]")]
        target: String,
        #[command(flatten)]
        index: IndexDir,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Check a citation before filing: does the index hold the document and the article,
    /// does the quoted text match it, is the version quoted the one in force. Exit 0 when all
    /// hold, 1 otherwise.
    Verify {
        /// The citation and its quote: 《中华人民共和国数据安全法》第二十一条：国家建立…
        /// (several arguments are joined with spaces).
        #[arg(value_name = "CITATION", required = true)]
        citation: Vec<String>,
        #[command(flatten)]
        index: IndexDir,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// What changed between two versions of a text: its articles aligned by content (an
    /// amendment renumbers them), each added, removed, renumbered or changed, the changed
    /// characters marked [-removed-]{+added+}: zhengce diff 个人所得税法 2011 2018.
    Diff {
        /// The text's title, as people name it (个人所得税法).
        title: String,
        /// The older version: a year, a version label (2011年修正) or part of its path.
        from: String,
        /// The newer version, named the same way.
        to: String,
        #[command(flatten)]
        index: IndexDir,
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
  status:现行有效              status: 现行有效, 已修改, 已废止, 尚未生效, 失效
  asof:2019-06-01              in force on that day (--as-of)
  version:latest               the newest version of each text (--latest)
Words are case-insensitive and full-width letters equal half-width ones. An abbreviation or
synonym (WTO, 国办, 十四五, 民诉法, 人社部, 市人大常委会, one a document defines …) also finds
its long forms, in title: and issuer: too, unless --exact; `zhengce aliases TERM` lists them.
A word starting with - is excluded (quote it, "-1", to search for it): zhengce search 数据 -草案.
One starting with a Latin letter or digit would be read as an option: quote the whole query,
zhengce search '数据 -WTO' (or write NOT WTO)."#)]
    Search(SearchArgs),
}

/// The options of `zhengce search`.
#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// The query (several arguments are joined with spaces); see the query language below.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub index: IndexDir,
    /// Most hits to show (documents with --files).
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip the first N hits (documents with --files), for paging: `--offset 10` shows
    /// hits 11–20 of `--limit 20`.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// One line per document: its title, date, how many of its passages match, and its
    /// best passage; documents ranked by that passage.
    #[arg(long, short = 'l')]
    pub files: bool,
    /// Count the matching passages and documents by year, issuer (发文机关), type (文种)
    /// or document (doc); repeat it or separate kinds with commas: year,issuer.
    #[arg(
        long,
        value_enum,
        value_name = "KIND",
        value_delimiter = ',',
        conflicts_with_all = ["jsonl", "cite"]
    )]
    pub count_by: Vec<search::FacetKind>,
    /// Order of the hits: relevance, or date (newest document first, unknown dates last).
    #[arg(long, value_enum, default_value_t = search::Sort::Relevance)]
    pub sort: search::Sort,
    /// Extra synonym groups: one group per line, terms separated by spaces or commas,
    /// `#` comments (added to the built-in table and the index folder's synonyms.txt).
    #[arg(long, value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
    /// Search the words exactly as typed: no synonyms or abbreviations.
    #[arg(long)]
    pub exact: bool,
    /// Show why each hit scored as it did (terms, fields, boosts, proximity, date).
    #[arg(long)]
    pub explain: bool,
    /// Print the results as one JSON object.
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// Print one JSON object per hit, one per line.
    #[arg(long)]
    pub jsonl: bool,
    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print the citation of each hit, one line per hit: 《中华人民共和国数据安全法》第二十一条,
    /// 国务院关于…的通知（国发〔2019〕5号）; with --explain, each followed by its explanation.
    #[arg(long, conflicts_with_all = ["json", "jsonl"])]
    pub cite: bool,
    /// Only the newest version of each text (and its copies), as `version:latest`.
    #[arg(long)]
    pub latest: bool,
    /// Only the texts in force on that day (2019-06-01), as `asof:2019-06-01`.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Every word must stand in the passage's own text (as grep reads it); otherwise a
    /// word of a several-word query may stand in the passage's heading path or its
    /// document's title.
    #[arg(long)]
    pub strict: bool,
}

/// Where the index lives: one argument shared by every command, so that `ZHENGCE_INDEX`
/// serves them all alike.
#[derive(clap::Args, Debug, Clone)]
pub struct IndexDir {
    /// Where the index lives; --index wins over ZHENGCE_INDEX.
    #[arg(
        long = "index",
        value_name = "DIR",
        env = "ZHENGCE_INDEX",
        default_value = DEFAULT_INDEX,
        value_parser = index_dir
    )]
    pub dir: PathBuf,
}

const DEFAULT_INDEX: &str = "./index";

/// An empty `ZHENGCE_INDEX=` means unset, as an empty `NO_COLOR` does, rather than an error.
fn index_dir(value: &str) -> Result<PathBuf, std::convert::Infallible> {
    Ok(PathBuf::from(if value.is_empty() {
        DEFAULT_INDEX
    } else {
        value
    }))
}

/// How a command ended, turned into the exit status in one place ([`Status::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Something was found, shown or indexed: 0.
    Done,
    /// Nothing was found: 1.
    NothingFound,
    /// The command ran, but some files could not be indexed: 2, as for an error.
    Skipped,
    /// Stopped by Ctrl-C after committing what was done: 130.
    Interrupted,
    /// An error, said in one line on stderr: 2.
    Error,
}

impl Status {
    pub fn code(self) -> ExitCode {
        match self {
            Status::Done => ExitCode::SUCCESS,
            Status::NothingFound => ExitCode::from(1),
            Status::Skipped | Status::Error => ExitCode::from(2),
            Status::Interrupted => ExitCode::from(130),
        }
    }

    /// Done when `found`, else nothing found.
    fn found(found: bool) -> Status {
        if found {
            Status::Done
        } else {
            Status::NothingFound
        }
    }
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
    // PDF extraction runs in a child process of this executable, so a panic or a hang in
    // the PDF library cannot take the indexing run down.
    if let Some(code) = crate::ingest::extract::pdf::serve_child() {
        return code;
    }
    let args = mark_exclusions(std::env::args_os());
    let status = match Cli::try_parse_from(&args) {
        Ok(cli) => match run(cli) {
            Ok(status) => status,
            Err(e) if is_broken_pipe(&e) => Status::Done,
            Err(e) => {
                eprintln!("zhengce: {e:#}");
                Status::Error
            }
        },
        Err(e) if let Some(hint) = exclusion_hint(&args, &e) => {
            eprintln!("{hint}");
            Status::Error
        }
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors.
            if e.use_stderr() {
                Status::Error
            } else {
                Status::Done
            }
        }
    };
    status.code()
}

/// Stands in, while clap parses the arguments, for the `-` of an exclusion typed without
/// quotes (`zhengce search 数据 -草案`): clap takes every argument starting with `-` for an
/// option, but no option starts with a character beyond ASCII, so such an argument of
/// `search` is a query word. A private-use character, which no query holds.
const EXCLUSION_MARK: char = '\u{e000}';

/// What each argument after `search` is: a query word, an option (`-n`, `--json`, `-草案`
/// too, as clap would read it), or an option's value. `None` when the command is not `search`.
fn search_arguments(args: &[OsString]) -> Option<Vec<(usize, Role)>> {
    // The subcommand is the first argument that is no option.
    let at = 1 + args
        .iter()
        .skip(1)
        .position(|a| !a.to_string_lossy().starts_with('-'))?;
    if args[at] != "search" {
        return None;
    }
    let cli = Cli::command();
    let search = cli.find_subcommand("search").expect("a search command");
    let takes_value = |arg: &str| {
        search.get_arguments().any(|a| {
            a.get_action().takes_values()
                && (a.get_long().map(|l| format!("--{l}")).as_deref() == Some(arg)
                    || a.get_short().map(|s| format!("-{s}")).as_deref() == Some(arg))
        })
    };
    let mut roles = Vec::new();
    let mut value_next = false;
    let mut options_end = false;
    for (i, arg) in args.iter().enumerate().skip(at + 1) {
        let text = arg.to_string_lossy();
        let role = if options_end {
            Role::Word
        } else if std::mem::take(&mut value_next) {
            Role::Value
        } else if text == "--" {
            options_end = true;
            Role::Option
        } else if text.starts_with('-') && text.len() > 1 {
            value_next = takes_value(&text);
            Role::Option
        } else {
            Role::Word
        };
        roles.push((i, role));
    }
    Some(roles)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Word,
    Option,
    Value,
}

/// The arguments with the `-` of each unquoted exclusion of `search` (a `-` followed by a
/// character beyond ASCII, which no option is) replaced by [`EXCLUSION_MARK`]; values of
/// options (`--index -目录`) and anything after `--` are left as typed.
fn mark_exclusions(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    // Telling options from words builds clap's command, as long again as parsing: only
    // when an argument has an exclusion's form.
    if !args.iter().any(|a| excluded_word(a).is_some()) {
        return args;
    }
    for (i, role) in search_arguments(&args).unwrap_or_default() {
        let marked = excluded_word(&args[i]).map(|word| format!("{EXCLUSION_MARK}{word}"));
        if let (Role::Option, Some(marked)) = (role, marked) {
            args[i] = marked.into();
        }
    }
    args
}

/// The word of an argument written as an exclusion (`-草案`): a `-` and a character beyond
/// ASCII.
fn excluded_word(arg: &OsString) -> Option<&str> {
    arg.to_str()
        .and_then(|a| a.strip_prefix('-'))
        .filter(|word| word.starts_with(|c: char| !c.is_ascii()))
}

/// For an unknown option of `search` that may be meant as an exclusion (`-WTO`), the line
/// that says how to write it: clap's own tip (`-- -W`) would cut the word and take the
/// options after it for query words.
fn exclusion_hint(args: &[OsString], error: &clap::Error) -> Option<String> {
    if error.kind() != clap::error::ErrorKind::UnknownArgument {
        return None;
    }
    let invalid = match error.get(clap::error::ContextKind::InvalidArg)? {
        clap::error::ContextValue::String(s) => s.clone(),
        _ => return None,
    };
    let roles = search_arguments(args)?;
    let is_culprit = |a: &str| {
        a.starts_with(invalid.as_str()) && a[1..].starts_with(|c: char| c.is_ascii_alphanumeric())
    };
    let shown = |i: usize| args[i].to_string_lossy();
    let culprit = roles
        .iter()
        .map(|&(i, _)| shown(i))
        .find(|a| is_culprit(a))?;
    let words: Vec<_> = roles
        .iter()
        .filter(|&&(i, role)| role == Role::Word || shown(i) == culprit)
        .map(|&(i, _)| shown(i))
        .collect();
    Some(format!(
        "zhengce: {culprit} is not an option; to exclude a word starting with a Latin letter or digit, quote the whole query: zhengce search '{}'",
        words.join(" ")
    ))
}

/// A query word as typed: the `-` put back in place of [`EXCLUSION_MARK`].
fn unmark_exclusion(word: &str) -> String {
    match word.strip_prefix(EXCLUSION_MARK) {
        Some(rest) => format!("-{rest}"),
        None => word.to_string(),
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

/// A key of the index as printed (see [`walk::shown`]): on a terminal escaped (see
/// [`name::escaped`]: no control character a file name may hold can drive the terminal, and
/// `show` takes the form back); for JSON still a key, which its serializer writes as `path`
/// and `path_bytes`.
fn path_shown(key: &str, terminal: bool) -> String {
    let shown = walk::shown(key);
    if terminal {
        name::escaped(shown)
    } else {
        shown.to_string()
    }
}

/// A folder of the index as printed: JSON has no `path_bytes` for it.
fn folder_shown(key: &str, terminal: bool) -> String {
    match terminal {
        true => path_shown(key, terminal),
        false => name::lossy(walk::shown(key)),
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

pub fn run(cli: Cli) -> Result<Status> {
    let status = match cli.command {
        Command::Index {
            paths,
            index,
            memory,
            rebuild,
            exclude,
            commit_every,
            quiet,
            verbose,
        } => {
            let mut opts = build::Options::new(index.dir, paths);
            opts.memory_budget = memory << 20;
            opts.rebuild = rebuild;
            opts.excludes = exclude;
            opts.commit_every = commit_every.max(1) << 20;
            index_command(&opts, quiet, verbose)?
        }
        Command::Stats { index, json } => stats_command(&index.dir, json)?,
        Command::Export { index, jsonl: _ } => export_command(&index.dir)?,
        Command::Aliases {
            term,
            index,
            synonyms,
            json,
        } => aliases_command(&index.dir, term.as_deref(), synonyms.as_deref(), json)?,
        Command::List {
            filters,
            index,
            synonyms,
            exact,
            json,
        } => list_command(&index.dir, &filters, synonyms.as_deref(), exact, json)?,
        Command::Show {
            target,
            index,
            context,
            json,
        } => show_command(&index.dir, &target.join(OsStr::new(" ")), context, json)?,
        Command::Serve {
            index,
            listen,
            synonyms,
            cache_mb,
        } => {
            crate::serve::run(&index.dir, &listen, synonyms.as_deref(), cache_mb << 20)?;
            Status::Done
        }
        Command::Cites {
            target,
            index,
            json,
        } => citations_command(&index.dir, &target, false, json)?,
        Command::CitedBy {
            target,
            index,
            json,
        } => citations_command(&index.dir, &target, true, json)?,
        Command::Verify {
            citation,
            index,
            json,
        } => verify_command(&index.dir, &citation.join(" "), json)?,
        Command::Diff {
            title,
            from,
            to,
            index,
            json,
        } => diff_command(&index.dir, &title, (&from, &to), json)?,
        Command::Search(args) => search_args_command(args)?,
    };
    Ok(status)
}

/// `zhengce aliases [TERM]`: what a term is searched with, or every alias.
fn aliases_command(
    dir: &Path,
    term: Option<&str>,
    synonyms_file: Option<&Path>,
    json: bool,
) -> Result<Status> {
    let synonyms = Synonyms::load(dir, synonyms_file)?;
    match term {
        Some(term) => print_one(&synonyms.report(term), json, |out, r| {
            render::aliases::report(out, r)
        })?,
        None => print_one(&synonyms.everything(), json, |out, e| {
            render::aliases::everything(out, e)
        })?,
    }
    Ok(Status::Done)
}

/// `zhengce search`: its options checked and gathered, then the search.
fn search_args_command(args: SearchArgs) -> Result<Status> {
    if args.limit == 0 {
        bail!("--limit must be at least 1");
    }
    let filters = search::validity_filters(args.latest, args.as_of.as_deref())?;
    let synonyms = load_synonyms(&args.index.dir, args.synonyms.as_deref(), args.exact)?;
    let mut kinds = Vec::new();
    for kind in args.count_by {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let opts = search::Options {
        limit: args.limit,
        offset: args.offset,
        by_document: args.files,
        count_by: kinds,
        sort: args.sort,
        synonyms: synonyms.into(),
        explain: args.explain,
        strict: args.strict,
        filters,
    };
    let output = if args.json {
        Output::Json
    } else if args.jsonl {
        Output::JsonLines
    } else if args.cite {
        Output::Citations
    } else {
        Output::Terminal {
            color: args.color.enabled(),
        }
    };
    let query: Vec<String> = args.query.iter().map(|w| unmark_exclusion(w)).collect();
    search_command(&args.index.dir, &query.join(" "), &opts, output)
}

/// `zhengce index`: runs the indexing run, Ctrl-C committing what is done.
fn index_command(opts: &build::Options, quiet: bool, verbose: bool) -> Result<Status> {
    let interrupt = opts.interrupt.clone();
    // First Ctrl-C: finish the file at hand and commit; second: stop at once, the index
    // keeping its last commit.
    let _ = ctrlc::set_handler(move || {
        if interrupt.swap(true, Ordering::SeqCst) {
            eprintln!("zhengce: stopped; the index holds its last commit");
            std::process::exit(130);
        }
        eprintln!("zhengce: interrupted — committing what is done (Ctrl-C again to stop now)");
    });
    let summary = build::run(opts, &Progress::new(quiet))?;
    render::summary::notes(&mut io::stderr().lock(), &summary, verbose)?;
    if !quiet {
        render::summary::write(&mut io::stdout().lock(), &summary)?;
    }
    if summary.interrupted {
        render::summary::interrupted(&mut io::stderr().lock(), &summary)?;
    }
    Ok(if summary.interrupted {
        Status::Interrupted
    } else if summary.skipped.is_empty() {
        Status::Done
    } else {
        Status::Skipped
    })
}

fn stats_command(dir: &Path, json: bool) -> Result<Status> {
    let store = Store::open(dir)?;
    let mut stats = browse::stats(&store, dir)?;
    stats.by_folder = std::mem::take(&mut stats.by_folder)
        .into_iter()
        .map(|(folder, n)| (folder_shown(&folder, !json), n))
        .collect();
    print_one(&stats, json, render::browse::stats)?;
    Ok(Status::Done)
}

/// The synonyms a query is expanded with: none with --exact (the words as typed), else the
/// built-in table, the index folder's file and the user's.
fn load_synonyms(dir: &Path, user_file: Option<&Path>, exact: bool) -> Result<Synonyms> {
    if exact {
        Ok(Synonyms::none())
    } else {
        Synonyms::load(dir, user_file)
    }
}

fn list_command(
    dir: &Path,
    filters: &[String],
    synonyms: Option<&Path>,
    exact: bool,
    json: bool,
) -> Result<Status> {
    let store = Store::open(dir)?;
    let plan = if filters.is_empty() {
        None
    } else {
        let parsed = search::query::parse(&filters.join(" "))?;
        if parsed.root.has_text() {
            bail!(
                "list takes filters only ({}:…), not words to find in the text: {:?} — search for words with `zhengce search`",
                search::query::FIELD_NAMES.join(":…, "),
                parsed.input
            );
        }
        let synonyms = load_synonyms(dir, synonyms, exact)?;
        let plan = search::query::plan(&parsed, &synonyms);
        Some(match parsed.root.needs_versions() {
            true => search::query::resolve_validity(plan, store.versions()?),
            false => plan,
        })
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let count = browse::list(&store, plan.as_ref(), |entry| {
        let path = path_shown(&entry.path, !json);
        if json {
            let mut record = entry.record()?;
            record.root = folder_shown(&record.root, !json);
            serde_json::to_writer(&mut out, &browse::Listed { path, record })?;
            writeln!(out)?;
        } else {
            render::browse::listed(&mut out, &path, &entry.brief)?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(Status::found(count > 0))
}

fn export_command(dir: &Path) -> Result<Status> {
    let store = Store::open(dir)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let count = search::export::write_jsonl(&store, &mut out)?;
    out.flush()?;
    Ok(Status::found(count > 0))
}

fn show_command(dir: &Path, target: &OsStr, context: usize, json: bool) -> Result<Status> {
    let store = Store::open(dir)?;
    let mut shown = match browse::show(&store, target, context) {
        Ok(shown) => shown,
        Err(e) => match target.to_str().and_then(|query| provision(&store, query)) {
            Some(found) => browse::show(&store, OsStr::new(&found), context)?,
            None => return Err(e),
        },
    };
    shown.path = path_shown(&shown.path, !json);
    shown_paths(&mut shown.validity, !json);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        render::json::write_shown(&mut out, &shown)?;
    } else {
        render::browse::show(&mut out, &shown)?;
    }
    out.flush()?;
    Ok(Status::Done)
}

/// `cites` (or with `reverse`, `cited-by`): the references of a document or passage, or to it.
fn citations_command(dir: &Path, target: &str, reverse: bool, json: bool) -> Result<Status> {
    let store = Store::open(dir)?;
    let mut refs = match reverse {
        true => search::citations::cited_by(&store, target)?,
        false => search::citations::cites(&store, target)?,
    };
    for r in &mut refs {
        r.from = path_shown(&r.from, !json);
        r.to = r.to.as_deref().map(|t| path_shown(t, !json));
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        let key = if reverse { "cited_by" } else { "cites" };
        let object = serde_json::json!({ "target": target, key: refs });
        serde_json::to_writer(&mut out, &object)?;
        writeln!(out)?;
    } else {
        render::browse::citations(&mut out, &refs)?;
    }
    out.flush()?;
    Ok(Status::found(!refs.is_empty()))
}

/// `verify`: the checks of a citation; found (exit 0) only when every one holds.
fn verify_command(dir: &Path, citation: &str, json: bool) -> Result<Status> {
    let store = Store::open(dir)?;
    let mut verdict = search::verify::verify(&store, citation)?;
    verdict.document = verdict.document.as_deref().map(|p| path_shown(p, !json));
    print_one(&verdict, json, render::browse::verdict)?;
    Ok(Status::found(verdict.ok))
}

/// `diff`: two versions of a text compared article by article; found (exit 0) when they
/// differ, 1 when every article is the same.
fn diff_command(dir: &Path, title: &str, (from, to): (&str, &str), json: bool) -> Result<Status> {
    let store = Store::open(dir)?;
    let mut comparison = search::compare::compare(&store, title, from, to)?;
    for side in [&mut comparison.from, &mut comparison.to] {
        side.path = path_shown(&side.path, !json);
    }
    print_one(&comparison, json, render::browse::comparison)?;
    Ok(Status::found(
        comparison.articles.iter().any(|a| a.change != "same"),
    ))
}

/// The paths a validity names, as every command shows paths.
fn shown_paths(v: &mut search::Validity, terminal: bool) {
    for path in [&mut v.superseded_by, &mut v.repealed_by, &mut v.copy_of] {
        let Some(full) = path.take() else { continue };
        let shown = path_shown(&full, terminal);
        // The status's source names the same document.
        v.status_source = v.status_source.take().map(|s| s.replace(&full, &shown));
        *path = Some(shown);
    }
}

/// `PATH:N` of the passage a query names, when it names one: the best hit of a query that
/// locates a passage in its document (a law and its article or chapter).
fn provision(store: &Store, query: &str) -> Option<String> {
    let results = search::run(store, query, &search::Options::new(1)).ok()?;
    let hit = results.hits.first().filter(|_| !results.partial)?;
    Some(format!("{}:{}", hit.path, hit.passage))
}

/// The forms `search` prints its results in.
#[derive(Debug, Clone, Copy)]
enum Output {
    Terminal { color: bool },
    Citations,
    Json,
    JsonLines,
}

fn search_command(
    dir: &Path,
    query: &str,
    opts: &search::Options,
    output: Output,
) -> Result<Status> {
    let store = Store::open(dir)?;
    let mut results = search::run(&store, query, opts)?;
    let terminal = matches!(output, Output::Terminal { .. } | Output::Citations);
    let best = results.documents.iter_mut().flatten().map(|d| &mut d.best);
    for hit in results.hits.iter_mut().chain(best) {
        hit.path = path_shown(&hit.path, terminal);
        shown_paths(&mut hit.validity, terminal);
        for d in &mut hit.duplicates {
            d.path = path_shown(&d.path, terminal);
        }
    }
    for facet in &mut results.facets {
        if facet.kind == search::FacetKind::Doc {
            for v in &mut facet.values {
                v.value = v.value.as_deref().map(|p| path_shown(p, terminal));
            }
        }
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    match output {
        Output::Json => render::json::write(&mut out, &results)?,
        Output::JsonLines => render::json::write_lines(&mut out, &results)?,
        Output::Citations => render::terminal::write_citations(&mut out, &results)?,
        Output::Terminal { color } => render::terminal::write(&mut out, &results, color)?,
    }
    out.flush()?;
    if results.partial {
        eprintln!("zhengce: {}", render::partial_note(&results));
    }
    // The counts are for the person reading, not for a script reading stdout (JSON has
    // them): on stderr, and only when it is a terminal.
    if terminal && io::stderr().is_terminal() {
        eprintln!("{}", render::terminal::footer(&results));
    }
    // The process ends here: unmapping the index files one by one on the way out cost as
    // much as a short search.
    std::mem::forget(store);
    let shown = results.hits.len() + results.documents.as_ref().map_or(0, Vec::len);
    // Partial results still say, to scripts, that the query as given matched nothing.
    Ok(Status::found(shown > 0 && !results.partial))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(args: &[&str]) -> Vec<String> {
        let args = std::iter::once("zhengce").chain(args.iter().copied());
        mark_exclusions(args.map(OsString::from))
            .into_iter()
            .skip(1)
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn only_unquoted_exclusions_of_search_are_marked() {
        let m = format!("{EXCLUSION_MARK}草案");
        assert_eq!(
            marked(&["search", "数据", "-草案", "-n", "5"]),
            ["search", "数据", &m, "-n", "5"]
        );
        // An option's value, anything after `--`, Latin options and other commands stay.
        assert_eq!(
            marked(&["search", "--index", "-目录", "数据", "--", "-草案"]),
            ["search", "--index", "-目录", "数据", "--", "-草案"]
        );
        assert_eq!(
            marked(&["search", "数据", "-WTO"]),
            ["search", "数据", "-WTO"]
        );
        assert_eq!(marked(&["show", "-草案.txt"]), ["show", "-草案.txt"]);
        assert_eq!(unmark_exclusion(&m), "-草案");
    }
}
