//! PDF: the positioned characters of every page (pdf-extract on lopdf) are put back into
//! lines, page numbers and running headers/footers are dropped, and hard-wrapped lines are
//! joined into paragraphs, one per line.
//!
//! pdf-extract and lopdf can panic, loop or overflow the stack on a malformed file, so
//! [`extract`] runs them in a child process (this executable, re-invoked with the hidden
//! subcommand [`CHILD_COMMAND`], which calls [`run_pdf_child`]) under a time limit and a
//! memory limit. The child prints the result as JSON on its standard output.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::{Extracted, is_wide, plain_line};

/// The hidden subcommand that extracts one PDF: `zhengce __extract-pdf FILE`.
pub const CHILD_COMMAND: &str = "__extract-pdf";
/// Set in the child's environment, so that a child that runs the whole program instead of
/// the extraction (an executable that does not dispatch [`CHILD_COMMAND`]) cannot start
/// children of its own.
const CHILD_ENV: &str = "ZHENGCE_PDF_CHILD";

/// A PDF whose extraction takes longer than this is given up.
pub const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Address-space limit of the child, in bytes.
const MEMORY_LIMIT: u64 = 2 * 1024 * 1024 * 1024;

/// Stack of the extracting thread: deeply nested PDF objects recurse deeply.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Extracts a PDF in a child process: this executable must dispatch [`CHILD_COMMAND`] to
/// [`run_pdf_child`].
pub fn extract(path: &Path) -> Result<Extracted> {
    // Inside a child already: this executable did not dispatch the child command and is
    // running its whole program again; starting another child would recurse without end.
    if std::env::var_os(CHILD_ENV).is_some() {
        bail!(
            "{}: cannot extract PDFs: this executable does not handle `{CHILD_COMMAND}`",
            path.display()
        );
    }
    let exe = std::env::current_exe().context("cannot find the zhengce executable")?;
    let mut command = Command::new(exe);
    command.arg(CHILD_COMMAND).arg(path).env(CHILD_ENV, "1");
    let stdout = run_isolated(path, command, TIME_LIMIT)?;
    let (text, markdown, metadata) = serde_json::from_slice(&stdout)
        .with_context(|| format!("{}: the PDF extractor gave no result", path.display()))?;
    Ok(Extracted {
        text,
        markdown,
        metadata,
        replaced: 0,
    })
}

/// Runs the PDF child's job when this process was started as one (`<exe> __extract-pdf
/// <path>`), returning its exit code; `None` otherwise. Every executable that indexes PDFs
/// (zhengce itself, the benchmarks) calls it first thing in `main`.
pub fn serve_child() -> Option<ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    (args.len() == 3 && args[1] == CHILD_COMMAND).then(|| run_pdf_child(Path::new(&args[2])))
}

/// The hidden subcommand's body: extracts `path` and prints `[text, markdown, metadata]` as
/// JSON on standard output; on failure prints the reason on standard error and exits with 1.
pub fn run_pdf_child(path: &Path) -> ExitCode {
    limit_memory();
    // A panic is caught and reported with its message below; the default hook would
    // only repeat it.
    std::panic::set_hook(Box::new(|_| {}));
    let path_buf = path.to_path_buf();
    let worker = std::thread::Builder::new()
        .name("pdf".into())
        .stack_size(STACK_SIZE)
        .spawn(move || extract_in_process(&path_buf));
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(anyhow!(
                "{}: the PDF library failed on this file (panic: {message})",
                path.display()
            ))
        }),
        Err(e) => Err(anyhow!("cannot start the PDF extraction thread: {e}")),
    };
    match result.and_then(|doc| {
        serde_json::to_vec(&(doc.text, doc.markdown, doc.metadata))
            .context("cannot encode the result")
    }) {
        Ok(json) => {
            let mut out = std::io::stdout().lock();
            if out.write_all(&json).and_then(|()| out.flush()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(unix)]
fn limit_memory() {
    let limit = libc::rlimit {
        rlim_cur: MEMORY_LIMIT as libc::rlim_t,
        rlim_max: MEMORY_LIMIT as libc::rlim_t,
    };
    // SAFETY: setrlimit only reads the struct passed by reference; failure (a lower hard
    // limit already set) leaves the existing, stricter limit in place.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

#[cfg(not(unix))]
fn limit_memory() {}

/// Runs `command`, returning its standard output if it exits successfully within `limit`.
/// A timeout kills it; a failure or crash becomes an error naming `path`, with the last
/// line the child wrote on standard error.
fn run_isolated(path: &Path, mut command: Command, limit: Duration) -> Result<Vec<u8>> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("{}: cannot start the PDF extractor", path.display()))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let Some(status) = wait_within(path, &mut child, limit)? else {
        // The draining threads are left to finish on their own: anything the child
        // started could still hold its pipes open.
        bail!(
            "{}: PDF extraction took longer than {} s and was stopped",
            path.display(),
            limit.as_secs()
        );
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    if status.success() {
        return Ok(stdout);
    }
    Err(failure(path, &status, &String::from_utf8_lossy(&stderr)))
}

/// Reads a pipe to its end on a thread of its own, so that a child writing more than a pipe
/// holds cannot block while it is waited for.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// The child's exit status, or none when it ran past `limit` and was killed.
fn wait_within(
    path: &Path,
    child: &mut std::process::Child,
    limit: Duration,
) -> Result<Option<std::process::ExitStatus>> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        if let Some(status) = child
            .try_wait()
            .with_context(|| format!("{}: lost the PDF extractor", path.display()))?
        {
            return Ok(Some(status));
        }
        if start.elapsed() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// The error of a child that failed: the last line it wrote on standard error, and how it
/// ended.
fn failure(path: &Path, status: &std::process::ExitStatus, stderr: &str) -> anyhow::Error {
    if stderr.contains("unrecognized subcommand") {
        // The executable is not zhengce, or its command line lacks the hidden subcommand.
        return anyhow::anyhow!(
            "{}: cannot extract PDFs: this executable does not handle `{CHILD_COMMAND}`",
            path.display()
        );
    }
    let reason = stderr
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("note:"))
        .unwrap_or("");
    let how = match status.code() {
        Some(code) => format!("exit status {code}"),
        None => signal_name(status),
    };
    if reason.starts_with(&path.display().to_string()) {
        return anyhow::anyhow!("{reason}");
    }
    anyhow::anyhow!("{}: PDF extractor failed ({how}): {reason}", path.display())
}

#[cfg(unix)]
fn signal_name(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(libc::SIGABRT) => "aborted: stack overflow or out of memory".to_string(),
        Some(libc::SIGSEGV) => "crashed: segmentation fault".to_string(),
        Some(libc::SIGKILL) => "killed".to_string(),
        Some(n) => format!("killed by signal {n}"),
        None => "failed".to_string(),
    }
}

#[cfg(not(unix))]
fn signal_name(_status: &std::process::ExitStatus) -> String {
    "failed".to_string()
}

/// Extracts a PDF in this process. Only for the child, and for tests: a bad PDF can crash
/// or hang the process.
pub fn extract_in_process(path: &Path) -> Result<Extracted> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        bail!("{}: not a PDF file", path.display());
    }
    let mut doc = pdf_extract::Document::load_mem(&bytes)
        .map_err(|e| anyhow!("{}: malformed PDF: {e}", path.display()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        bail!("{}: encrypted PDF (needs a password)", path.display());
    }
    let metadata = info(&doc);
    let mut collector = Collector::default();
    pdf_extract::output_doc(&doc, &mut collector)
        .map_err(|e| anyhow!("{}: cannot read the PDF's text: {e}", path.display()))?;
    let pages = collector.pages;
    let chars: usize = pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .map(|g| g.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if pages.is_empty() {
        bail!("{}: malformed PDF (no pages found)", path.display());
    }
    if chars < 10.max(pages.len() * 5) {
        bail!(
            "{}: PDF has no text layer ({} pages, {chars} characters; a scan needs OCR)",
            path.display(),
            pages.len()
        );
    }
    let bad: usize = pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .flat_map(|g| g.text.chars())
        .filter(|&c| is_garbage(c))
        .count();
    if bad * 10 > chars {
        bail!(
            "{}: PDF text cannot be decoded ({bad} of {chars} characters unmapped: fonts without a Unicode map)",
            path.display()
        );
    }
    let lines = layout(pages);
    Ok(Extracted {
        markdown: lines.iter().any(|l| l.starts_with('#')),
        text: lines.iter().map(|l| format!("{l}\n")).collect(),
        metadata,
        replaced: 0,
    })
}

/// Characters a glyph without a Unicode mapping comes out as.
fn is_garbage(c: char) -> bool {
    c == '\u{FFFD}'
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The document information dictionary (Title, Author, Subject, Keywords, CreationDate, ...).
fn info(doc: &pdf_extract::Document) -> Vec<(String, String)> {
    let Ok(info) = doc
        .trailer
        .get(b"Info")
        .and_then(|o| doc.dereference(o))
        .and_then(|(_, o)| o.as_dict())
    else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    for (key, value) in info.iter() {
        let value = match doc.dereference(value) {
            Ok((_, v)) => v,
            Err(_) => continue,
        };
        if let Ok(text) = pdf_extract::decode_text_string(value) {
            let text = text.trim().trim_matches('\0');
            if !text.is_empty() {
                pairs.push((String::from_utf8_lossy(key).into_owned(), text.to_string()));
            }
        }
    }
    pairs
}

/// One character as drawn: its baseline start, its advance end, its font size (in the
/// page's coordinates, y growing downwards).
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

impl Glyph {
    fn blank(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

#[derive(Debug, Default)]
struct PageGlyphs {
    height: f64,
    glyphs: Vec<Glyph>,
}

#[derive(Default)]
struct Collector {
    pages: Vec<PageGlyphs>,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(PageGlyphs {
            height: media_box.ury - media_box.lly,
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        // The text rendering matrix scales the font size; its translation is the
        // glyph's origin (PDF's y axis points up, so it is flipped).
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt();
        let x = trm.m31;
        page.glyphs.push(Glyph {
            x,
            y: page.height - trm.m32,
            end: x + width * size,
            size,
            text: text.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of a page as read.
#[derive(Debug, Clone)]
struct Line {
    page: usize,
    /// Position of the line among its page's lines.
    index: usize,
    y: f64,
    x0: f64,
    x1: f64,
    size: f64,
    text: String,
}

/// The lines of a page: characters on one baseline, left to right, in content order.
fn page_lines(page: usize, glyphs: &[Glyph]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    // Characters stay in content order: pdf-extract misreads the widths of some CID fonts
    // (every glyph one em wide), so x positions drift within a run and sorting by them
    // scrambles the text; the content order is the order the text was written in.
    for run in baseline_runs(glyphs) {
        let Some(run) = run_line(page, &run) else {
            continue;
        };
        // Runs of one visual line drawn separately (a bold word, a number) are merged.
        if let Some(prev) = lines.last_mut()
            && (prev.y - run.y).abs() <= 0.3 * run.size.max(prev.size).max(1.0)
        {
            merge_run(prev, run);
            continue;
        }
        lines.push(Line {
            index: lines.len(),
            ..run
        });
    }
    lines
}

/// The non-empty glyphs in content order, cut into runs that each keep to one baseline.
fn baseline_runs(glyphs: &[Glyph]) -> Vec<Vec<&Glyph>> {
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    for g in glyphs {
        if g.text.is_empty() {
            continue;
        }
        let same_line = groups
            .last()
            .and_then(|group| group.last())
            .is_some_and(|last| {
                let tolerance = 0.5 * last.size.max(g.size).max(1.0);
                (g.y - last.y).abs() <= tolerance
            });
        match groups.last_mut() {
            Some(group) if same_line => group.push(g),
            _ => groups.push(vec![g]),
        }
    }
    groups
}

/// A run as a line (its index left at 0): text, extent, median size and baseline of its
/// visible glyphs; `None` when it holds only spaces.
fn run_line(page: usize, group: &[&Glyph]) -> Option<Line> {
    let size = median(group.iter().filter(|g| !g.blank()).map(|g| g.size)).unwrap_or(0.0);
    let text = run_text(group, size);
    if text.is_empty() {
        return None;
    }
    let visible: Vec<&&Glyph> = group.iter().filter(|g| !g.blank()).collect();
    let x0 = visible.iter().map(|g| g.x).fold(f64::MAX, f64::min);
    let x1 = visible.iter().map(|g| g.end).fold(f64::MIN, f64::max);
    let y = median(visible.iter().map(|g| g.y)).unwrap_or(0.0);
    Some(Line {
        page,
        index: 0,
        y,
        x0,
        x1,
        size,
        text,
    })
}

/// The trimmed text of a run, with a space wherever a blank glyph or a word gap falls.
fn run_text(group: &[&Glyph], size: f64) -> String {
    let mut text = String::new();
    let mut prev_end: Option<f64> = None;
    for g in group {
        // Spaces, ideographic ones too, separate words (第一章　总则).
        if g.blank() {
            if !text.ends_with(' ') && !text.is_empty() {
                text.push(' ');
            }
            prev_end = Some(g.end);
            continue;
        }
        if let Some(end) = prev_end {
            let wide = text.chars().next_back().is_some_and(is_wide)
                && g.text.chars().next().is_some_and(is_wide);
            if g.x - end > word_gap(wide, size) && !text.ends_with(' ') {
                text.push(' ');
            }
        }
        text.push_str(&g.text);
        prev_end = Some(g.end);
    }
    text.trim().to_string()
}

/// Appends a run to the line it continues, a space between them if they are a word apart.
fn merge_run(prev: &mut Line, run: Line) {
    let wide = prev.text.chars().next_back().is_some_and(is_wide)
        && run.text.chars().next().is_some_and(is_wide);
    if run.x0 - prev.x1 > word_gap(wide, run.size) {
        prev.text.push(' ');
    }
    prev.text.push_str(&run.text);
    prev.x0 = prev.x0.min(run.x0);
    prev.x1 = prev.x1.max(run.x1);
}

/// The smallest gap that separates words, for characters of `size`.
fn word_gap(wide: bool, size: f64) -> f64 {
    // Latin words are separated by a gap; Chinese characters only by a wide one.
    let factor = if wide { 1.5 } else { 0.2 };
    factor * size.max(1.0)
}

fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// The most common value, after rounding to whole units, weighted.
fn mode(values: impl Iterator<Item = (f64, usize)>) -> Option<f64> {
    let mut counts: Vec<(i64, usize)> = Vec::new();
    for (v, w) in values {
        let k = v.round() as i64;
        match counts.iter_mut().find(|(key, _)| *key == k) {
            Some((_, n)) => *n += w,
            None => counts.push((k, w)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(k, n)| (n, -k))
        .map(|(k, _)| k as f64)
}

/// Pages of glyphs in, paragraphs (one per line, headings marked) out.
fn layout(pages: Vec<PageGlyphs>) -> Vec<String> {
    let page_count = pages.len();
    let mut lines: Vec<Line> = Vec::new();
    let mut per_page: Vec<usize> = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let page_lines = page_lines(n, &page.glyphs);
        per_page.push(page_lines.len());
        lines.extend(page_lines);
    }
    drop_furniture(&mut lines, &per_page, page_count);
    paragraphs(&lines)
}

/// Drops page numbers and the running headers and footers: lines at the top or bottom
/// of a page that, digits aside, recur on most pages.
fn drop_furniture(lines: &mut Vec<Line>, per_page: &[usize], pages: usize) {
    const EDGE: usize = 3;
    let at_edge = |l: &Line| l.index < EDGE || l.index + EDGE >= per_page[l.page];
    let key = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut counts: std::collections::HashMap<String, std::collections::HashSet<usize>> =
        std::collections::HashMap::new();
    for l in lines.iter().filter(|l| at_edge(l)) {
        counts.entry(key(&l.text)).or_default().insert(l.page);
    }
    let recurring = |l: &Line| {
        counts
            .get(&key(&l.text))
            .is_some_and(|p| p.len() >= 2 && p.len() * 2 >= pages)
    };
    lines.retain(|l| !(at_edge(l) && (is_page_number(&l.text) || recurring(l))));
}

/// "3", "- 3 -", "— 3 —", "第 3 页", "第3页 共10页", "3/10", "Page 3 of 10".
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.as_str();
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit());
    let dashes: &[char] = &['-', '–', '—', '－', '―'];
    if digits(t.trim_matches(dashes)) {
        return true;
    }
    if let Some((a, b)) = t.split_once('/')
        && digits(a)
        && digits(b)
    {
        return true;
    }
    let page_of = |s: &str| {
        s.strip_prefix('第')
            .and_then(|s| s.strip_suffix('页'))
            .is_some_and(digits)
    };
    if page_of(t) {
        return true;
    }
    if let Some(i) = t.find('共') {
        let (a, b) = t.split_at(i);
        let a = a.trim_end_matches([',', '，', '/']);
        let b = b.trim_start_matches('共').trim_end_matches('页');
        if page_of(a) && digits(b) {
            return true;
        }
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        let n = rest.split("of").next().unwrap_or("");
        return digits(n);
    }
    false
}

/// Sentence ends: a line ending with one ends its paragraph.
const ENDS: &[char] = &['。', '！', '？', '；', '：', '!', '?', ';', ':', '」', '』'];

/// Clause ends, which end a paragraph less surely than a sentence end.
const CLAUSE_ENDS: &[char] = &['；', '：', ';', ':'];

/// Whether a line opens a list item or an article: （一） (1) 一、 1. ① 【罪名】 第X条.
fn starts_item(text: &str) -> bool {
    if structural_start(text).is_some() || text.starts_with(['【', '[', '■', '●', '·', '•'])
    {
        return true;
    }
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if ('①'..='⑳').contains(&first) || ('⑴'..='⒇').contains(&first) {
        return true;
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十百零〇".contains(c);
    if matches!(first, '（' | '(') {
        let inner: String = chars
            .by_ref()
            .take_while(|&c| c != '）' && c != ')')
            .collect();
        return !inner.is_empty() && inner.chars().count() <= 4 && inner.chars().all(numeral);
    }
    let lead: String = text.chars().take_while(|&c| numeral(c)).collect();
    let after = text[lead.len()..].chars().next();
    !lead.is_empty() && lead.chars().count() <= 4 && matches!(after, Some('、' | '.' | '．'))
}

/// Whether a line opens an article, chapter, section or part: 第X条 followed by a space,
/// or a short 第X章/节/编 line.
fn structural_start(text: &str) -> Option<char> {
    let rest = text.strip_prefix('第')?;
    let numeral_len: usize = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十百千零〇两".contains(*c))
        .map(char::len_utf8)
        .sum();
    if numeral_len == 0 {
        return None;
    }
    // 第一分编 (a part of a part, as in the Civil Code) reads as its own kind, '分'.
    let unit = &rest[numeral_len..];
    let unit = match unit.strip_prefix("分编") {
        Some(after) => {
            return after
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
                .then_some('分');
        }
        None => unit,
    };
    let mut after = unit.chars();
    let kind = after.next()?;
    let next = after.next();
    match kind {
        '条' if next.is_none_or(char::is_whitespace) => Some(kind),
        '章' | '节' | '编' if next.is_none_or(char::is_whitespace) => Some(kind),
        _ => None,
    }
}

/// Joins hard-wrapped lines into paragraphs.
fn paragraphs(lines: &[Line]) -> Vec<String> {
    let Some(body_size) = mode(lines.iter().map(|l| (l.size, l.text.chars().count()))) else {
        return Vec::new();
    };
    let body: Vec<&Line> = lines
        .iter()
        .filter(|l| (l.size - body_size).abs() <= 0.15 * body_size)
        .collect();
    let left = mode(body.iter().map(|l| (l.x0, 1))).unwrap_or(0.0);
    // The right margin: where most full lines end.
    let right = {
        let mut ends: Vec<f64> = body.iter().map(|l| l.x1).collect();
        ends.sort_by(f64::total_cmp);
        ends.get(ends.len() * 9 / 10).copied().unwrap_or(0.0)
    };
    let spacing = median(
        lines
            .windows(2)
            .filter(|w| w[0].page == w[1].page)
            .map(|w| w[1].y - w[0].y)
            .filter(|d| *d > 0.0),
    )
    .unwrap_or(body_size * 1.5);

    let mut out: Vec<(String, f64, bool)> = Vec::new();
    let mut prev: Option<&Line> = None;
    for line in lines {
        let starts = match prev {
            None => true,
            Some(p) => {
                // A clause end (；：) on a full line is often just where the line broke;
                // it ends the paragraph only if the next line opens an item.
                let full = p.x1 >= right - 2.5 * p.size.max(body_size);
                let ended = p.text.ends_with(ENDS)
                    && !(full && p.text.ends_with(CLAUSE_ENDS) && !starts_item(&line.text));
                // Line breaking keeps a character with the punctuation after it, so a wrapped
                // line can end up to two characters short of the margin.
                let short = p.x1 < right - 2.5 * p.size.max(body_size);
                let indented = line.x0 > left + 0.9 * body_size;
                let gap = p.page == line.page && line.y - p.y > spacing * 1.4;
                let size_change = (line.size - p.size).abs() > 0.15 * body_size;
                ended
                    || short
                    || indented
                    || gap
                    || size_change
                    || structural_start(&line.text).is_some()
            }
        };
        match out.last_mut() {
            Some((text, _, _)) if !starts => join(text, &line.text),
            _ => out.push((
                line.text.clone(),
                line.size,
                line.x0 > left + 0.9 * body_size,
            )),
        }
        prev = Some(line);
    }
    headings(out, body_size)
}

/// Appends a wrapped line: no space between Chinese characters, one between words.
fn join(text: &mut String, next: &str) {
    let last = text.chars().next_back();
    let first = next.chars().next();
    let wide = last.is_some_and(is_wide) || first.is_some_and(is_wide);
    if !wide && !text.ends_with(' ') {
        text.push(' ');
    }
    text.push_str(next);
}

/// Marks headings: a first paragraph set larger than the body is the title; short
/// standalone 第X编/章/节 lines are section headings.
fn headings(paragraphs: Vec<(String, f64, bool)>, body_size: f64) -> Vec<String> {
    let has_parts = paragraphs
        .iter()
        .any(|(t, _, _)| is_section(t) == Some('编'));
    let has_subparts = paragraphs
        .iter()
        .any(|(t, _, _)| is_section(t) == Some('分'));
    let mut out = Vec::with_capacity(paragraphs.len());
    for (i, (text, size, _)) in paragraphs.into_iter().enumerate() {
        if i == 0 && size > body_size * 1.15 && text.chars().count() <= 100 {
            out.push(format!("# {text}"));
            continue;
        }
        let above = usize::from(has_parts) + usize::from(has_subparts);
        let level = match is_section(&text) {
            Some('编') => 2,
            Some('分') => 2 + usize::from(has_parts),
            Some('章') => 2 + above,
            Some('节') => 3 + above,
            _ => 0,
        };
        if level > 0 {
            out.push(format!("{} {text}", "#".repeat(level)));
        } else {
            out.push(plain_line(&text).into_owned());
        }
    }
    out
}

/// 第X章 总则 → Some('章'): a heading line, short and without sentence punctuation.
fn is_section(text: &str) -> Option<char> {
    let kind = structural_start(text)?;
    (kind != '条'
        && text.chars().count() <= 40
        && !text.contains(['。', '，', '；', '：', ',', ';']))
    .then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMBLEM_LAW: &str = "tests/fixtures/pdf/中华人民共和国国徽法.pdf";
    const WRAPPED: &str = "tests/fixtures/pdf/wrapped.pdf";

    #[test]
    fn law_pdf_paragraphs() {
        let doc = extract_in_process(Path::new(EMBLEM_LAW)).unwrap();
        let lines: Vec<&str> = doc.text.lines().collect();
        assert_eq!(lines[0], "# 中华人民共和国国徽法");
        // The PDF's fonts map its punctuation to ASCII; the text is otherwise that of the
        // law, wrapped lines joined.
        assert!(lines.contains(
            &"第一条 为了维护国徽的尊严,正确使用国徽,增强公民的国家观念,弘扬爱国主义精神,培育和践行社会主义核心价值观,根据宪法,制定本法。"
        ), "{}", doc.text);
        assert!(lines.contains(&"(七)外交部;"));
        assert!(lines.contains(&"第十九条 本法自1991年10月1日起施行。"));
        assert_eq!(lines.len(), 57);
        assert!(doc.markdown);
        assert!(
            doc.metadata
                .iter()
                .any(|(k, v)| k == "Producer" && v == "Skia/PDF m136")
        );
    }

    #[test]
    fn running_headers_page_numbers_and_page_breaks() {
        let doc = extract_in_process(Path::new(WRAPPED)).unwrap();
        assert_eq!(
            doc.text,
            "## 第一章 总则\n\
             第一条 为了规范政务数据共享工作，提高政务数据共享效率，提升政府数字化治理能力和政务服务效能，制定本条例。\n\
             第二条 政府部门之间政务数据共享以及相关安全、监督、管理等工作，适用本条例。\n\
             第三条 本条例所称政务数据，是指政府部门在依法履行职责过程中收集和产生的各类数据，但不包括属于国家秘密、工作秘密的数据。本条例所称政务数据共享，是指政府部门因依法履行职责需要，使用其他政府部门的政务数据或者为其他政府部门提供政务数据的行为。\n\
             第四条 政务数据共享工作应当坚持中国共产党的领导，贯彻总体国家安全观，统筹发展和安全，遵循统筹协调、标准统一、依法共享、合理使用、安全可控的原则。\n\
             ## 第二章 管理体制\n\
             第五条 国务院政务数据共享主管部门负责统筹协调全国政务数据共享工作，推动政务数据共享标准体系建设。\n\
             第六条 县级以上地方人民政府政务数据共享主管部门负责本行政区域政务数据共享工作。\n"
        );
        assert_eq!(doc.metadata, [("Title".to_string(), "wrapped".to_string())]);
    }

    #[test]
    fn unreadable_pdfs_are_errors_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("zhengce-pdf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let whole = std::fs::read(WRAPPED).unwrap();
        let cases: [(&str, Vec<u8>, &str); 3] = [
            (
                "truncated.pdf",
                whole[..whole.len() / 2].to_vec(),
                "malformed",
            ),
            ("text.pdf", b"just text".to_vec(), "not a PDF"),
            ("blank.pdf", blank_pdf(), "no text layer"),
        ];
        for (name, bytes, reason) in cases {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            let err = extract_in_process(&path).unwrap_err().to_string();
            assert!(err.contains(name) && err.contains(reason), "{err}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A one-page PDF that only draws a rectangle, as a scan without OCR has no text.
    fn blank_pdf() -> Vec<u8> {
        let content = "0 0 1 rg 100 100 200 200 re f";
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_string(),
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
        }
        let xref = out.len();
        out.extend(b"xref\n0 5\n0000000000 65535 f \n");
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").bytes());
        }
        out.extend(
            format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").bytes(),
        );
        out
    }

    #[test]
    fn page_numbers() {
        for t in [
            "3",
            "- 3 -",
            "— 12 —",
            "第 3 页",
            "第3页 共10页",
            "3/10",
            "Page 3 of 10",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["第三条", "2019年", "3. 总则", "第3条"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    #[test]
    fn item_markers() {
        for t in [
            "（一）各级",
            "(二)各级",
            "一、总则",
            "1.范围",
            "12、内容",
            "①甲",
            "【罪名】",
            "第三条 内容",
        ] {
            assert!(starts_item(t), "{t}");
        }
        for t in ["情节较轻的", "2019年", "（2020年修正）", "一切组织"] {
            assert!(!starts_item(t), "{t}");
        }
    }

    #[test]
    fn structure_markers() {
        assert_eq!(structural_start("第一条 为了"), Some('条'));
        assert_eq!(structural_start("第二十条规定的"), None);
        assert_eq!(structural_start("第一章 总则"), Some('章'));
        assert_eq!(structural_start("第1234条\u{3000}"), Some('条'));
        assert_eq!(is_section("第一章 总则"), Some('章'));
        assert_eq!(is_section("第一分编 通则"), Some('分'));
        assert_eq!(is_section("第一分编通则"), None);
        assert_eq!(
            headings(
                [
                    "第三编 合同",
                    "第一分编 通则",
                    "第一章 一般规定",
                    "第四百六十三条 本编调整。"
                ]
                .map(|t| (t.to_string(), 10.0, false))
                .to_vec(),
                10.0
            ),
            [
                "## 第三编 合同",
                "### 第一分编 通则",
                "#### 第一章 一般规定",
                "第四百六十三条 本编调整。"
            ]
        );
        assert_eq!(is_section("第一条 为了规范，制定本法。"), None);
    }

    fn line(page: usize, index: usize, y: f64, x1: f64, text: &str) -> Line {
        Line {
            page,
            index,
            y,
            x0: 50.0,
            x1,
            size: 10.0,
            text: text.to_string(),
        }
    }

    #[test]
    fn wrapped_lines_join_and_furniture_goes() {
        let mut lines = Vec::new();
        let mut per_page = Vec::new();
        // (text, where the line ends): 550 is the right margin.
        let bodies = [
            [
                ("第一条 为了规范管理工作，根据有关法律", 550.0),
                ("规定，制定本办法。English words", 550.0),
                ("continue here and", 550.0),
                ("end short", 300.0),
            ],
            [
                ("第二条 本办法适用于本市行政区域内的", 550.0),
                ("管理活动，法律另有规定的除外。", 400.0),
                ("第三条 管理工作应当坚持依法、公开", 550.0),
                ("的原则，具体办法由市人民政府制定", 550.0),
            ],
            [
                ("，各区人民政府负责本行政区域内的", 550.0),
                ("具体工作：", 150.0),
                ("（一）制定计划；", 200.0),
                ("（二）组织实施；", 200.0),
            ],
            [
                ("附件", 100.0),
                ("申请人提交申请表格式样，请按照", 550.0),
                ("要求如实填写各项内容并签字盖章后", 550.0),
                ("提交。", 120.0),
            ],
        ];
        for (page, body) in bodies.iter().enumerate() {
            let mut page_lines = vec![line(page, 0, 20.0, 300.0, "某某办法（2020年版）")];
            for (i, (t, x1)) in body.iter().enumerate() {
                page_lines.push(line(page, i + 1, 100.0 + 15.0 * i as f64, *x1, t));
            }
            page_lines.push(line(page, 5, 800.0, 100.0, &format!("- {} -", page + 1)));
            per_page.push(page_lines.len());
            lines.extend(page_lines);
        }
        drop_furniture(&mut lines, &per_page, 4);
        assert_eq!(lines.len(), 16);
        let paras = paragraphs(&lines);
        assert_eq!(
            paras,
            [
                "第一条 为了规范管理工作，根据有关法律规定，制定本办法。English words continue here and end short",
                "第二条 本办法适用于本市行政区域内的管理活动，法律另有规定的除外。",
                "第三条 管理工作应当坚持依法、公开的原则，具体办法由市人民政府制定，各区人民政府负责本行政区域内的具体工作：",
                "（一）制定计划；",
                "（二）组织实施；",
                "附件",
                "申请人提交申请表格式样，请按照要求如实填写各项内容并签字盖章后提交。",
            ]
        );
    }

    #[test]
    fn crash_and_timeout_are_errors_naming_the_file() {
        let p = Path::new("bad.pdf");
        let mut sh = Command::new("sh");
        sh.args(["-c", "echo '[\"text\",false,[]]'"]);
        assert_eq!(
            run_isolated(p, sh, TIME_LIMIT).unwrap(),
            b"[\"text\",false,[]]\n"
        );

        let mut sh = Command::new("sh");
        sh.args(["-c", "echo 'boom' >&2; kill -SEGV $$"]);
        let err = run_isolated(p, sh, TIME_LIMIT).unwrap_err().to_string();
        assert!(err.contains("bad.pdf") && err.contains("boom"), "{err}");

        let mut sh = Command::new("sh");
        sh.args(["-c", "sleep 10"]);
        let start = Instant::now();
        let err = run_isolated(p, sh, Duration::from_millis(200))
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.pdf") && err.contains("longer"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn not_a_pdf_is_an_error() {
        let err = extract_in_process(Path::new("tests/fixtures/encoding/xinhua_2000.txt"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("xinhua_2000.txt") && err.contains("not a PDF"),
            "{err}"
        );
    }
}
