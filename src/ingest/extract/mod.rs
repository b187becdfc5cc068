//! A file in, its text out. Each format has its own extractor; all produce an [`Extracted`]
//! that the passage splitter reads the same way.

mod decode;
mod docx;
mod html;
mod markdown;
mod mht;
pub mod pdf;
mod text;

use std::borrow::Cow;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

/// Document formats zhengce reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: one paragraph per line.
    Txt,
    /// Markdown: `#` headings give the heading path.
    Md,
    /// HTML: the article text; `h1`–`h6` give the heading path.
    Html,
    /// Word (Office Open XML): paragraphs; heading styles give the heading path.
    Docx,
    /// PDF: hard-wrapped lines joined into paragraphs (extracted in a child process).
    Pdf,
}

impl Format {
    /// The format of a file, by extension (case-insensitive); `None` for files not indexed.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Txt),
            "md" | "markdown" => Some(Format::Md),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// The text of one document, ready for splitting.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Decoded UTF-8 text, one paragraph per line. Passage byte offsets point into it.
    pub text: String,
    /// Whether `#` lines are headings.
    pub markdown: bool,
    /// Key/value pairs the document states about itself, raw and in document order: the
    /// metadata table and `<meta name>`s of an HTML page (发文字号, 成文日期, ...), markdown
    /// front matter keys, docx core properties (dc:title, dcterms:created, ...), the PDF
    /// Info dictionary (Title, CreationDate, ...). A key may repeat (one pair per list item).
    pub metadata: Vec<(String, String)>,
    /// Malformed byte sequences that decoding replaced by U+FFFD.
    pub replaced: usize,
}

/// What one file may cost to extract. A file that would exceed a bound is refused with an
/// error naming the file and the bound: nothing a file holds can abort, hang or exhaust the
/// run. The PDF child process has its own limits (see [`pdf`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes read into memory for one file: its size, or for a docx the sum of the
    /// parts it decompresses (a zip bomb stops here, whatever sizes the archive claims).
    pub max_input: u64,
    /// Most bytes of extracted text.
    pub max_text: usize,
    /// Most paragraphs (non-blank lines) of extracted text.
    pub max_paragraphs: usize,
    /// Most elements in the tree of an HTML page.
    pub max_elements: usize,
    /// Longest time one file may take to extract.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::for_memory(400 << 20)
    }
}

impl Limits {
    /// The limits for an indexing run whose writer may use `memory_budget` bytes: what the
    /// rest of the pipeline holds of one file while indexing it (the text, its passages, their
    /// words and bigrams: about 12 bytes per byte of text and 1.4 KB per passage, measured)
    /// stays within about half of that budget.
    pub fn for_memory(memory_budget: usize) -> Limits {
        const MB: usize = 1 << 20;
        Limits {
            max_input: (memory_budget / 8).max(32 * MB) as u64,
            max_text: (memory_budget / 16).max(8 * MB),
            max_paragraphs: (memory_budget / 4096).max(20_000),
            max_elements: (memory_budget / 1024).max(100_000),
            time: pdf::TIME_LIMIT,
        }
    }
}

/// The clock of one file's extraction: extractors call [`Deadline::check`] as they go.
pub(crate) struct Deadline<'a> {
    path: &'a Path,
    limit: Duration,
    end: Instant,
}

impl<'a> Deadline<'a> {
    pub(crate) fn new(path: &'a Path, limit: Duration) -> Deadline<'a> {
        Deadline {
            path,
            limit,
            end: Instant::now() + limit,
        }
    }

    pub(crate) fn check(&self) -> Result<()> {
        if Instant::now() > self.end {
            bail!(
                "{}: extraction took longer than {} s (the limit for one file) and was stopped",
                self.path.display(),
                self.limit.as_secs()
            );
        }
        Ok(())
    }
}

/// Reads and decodes one file within the default [`Limits`]. Errors name the file.
pub fn extract(path: &Path, format: Format) -> Result<Extracted> {
    extract_within(path, format, &Limits::default())
}

/// Reads and decodes one file within `limits`. Errors name the file, and the bound when one
/// was exceeded.
pub fn extract_within(path: &Path, format: Format, limits: &Limits) -> Result<Extracted> {
    let deadline = Deadline::new(path, limits.time);
    check_size(path, format, limits)?;
    let extracted = match format {
        Format::Txt => {
            let decoded = text::read_text(path)?;
            Extracted {
                text: decoded.text,
                replaced: decoded.replaced,
                ..Extracted::default()
            }
        }
        Format::Md => markdown::extract(path)?,
        Format::Html => html::extract(path, limits, &deadline)?,
        Format::Docx => docx::extract(path, limits, &deadline)?,
        Format::Pdf => pdf::extract(path)?,
    };
    finish(path, extracted, limits)
}

/// Extracts a document held in memory, as [`extract_within`] extracts a file of `format`
/// named `path` (for messages); for the formats read in this process (not PDF). What the
/// fuzz targets call.
pub fn extract_bytes(
    path: &Path,
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Extracted> {
    let deadline = Deadline::new(path, limits.time);
    if bytes.len() as u64 > limits.max_input {
        bail!(
            "{}: {} is larger than the {} one file may hold (a larger --memory raises it)",
            path.display(),
            megabytes(bytes.len() as u64),
            megabytes(limits.max_input)
        );
    }
    let extracted = match format {
        Format::Txt => {
            let decoded = decode::decode(path, bytes)?;
            Extracted {
                text: decoded.text,
                replaced: decoded.replaced,
                ..Extracted::default()
            }
        }
        Format::Md => markdown::from_decoded(decode::decode(path, bytes)?),
        Format::Html => html::from_bytes(path, bytes, None, limits, &deadline)?,
        Format::Docx => docx::from_reader(path, std::io::Cursor::new(bytes), limits, &deadline)?,
        Format::Pdf => bail!("{}: PDFs are extracted in a child process", path.display()),
    };
    finish(path, extracted, limits)
}

/// Checks the output against the limits and blanks its control characters.
fn finish(path: &Path, mut extracted: Extracted, limits: &Limits) -> Result<Extracted> {
    check_output(path, &extracted, limits)?;
    blank_controls(&mut extracted.text);
    for (key, value) in &mut extracted.metadata {
        blank_controls(key);
        blank_controls(value);
    }
    Ok(extracted)
}

/// Refuses, before reading it, a file larger than [`Limits::max_input`] (PDFs have the limits
/// of their child process instead).
pub fn check_size(path: &Path, format: Format, limits: &Limits) -> Result<()> {
    if format == Format::Pdf {
        return Ok(());
    }
    let size = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?
        .len();
    if size > limits.max_input {
        bail!(
            "{}: {} is larger than the {} one file may hold (a larger --memory raises it)",
            path.display(),
            megabytes(size),
            megabytes(limits.max_input)
        );
    }
    Ok(())
}

/// Refuses extracted text beyond [`Limits::max_text`] or [`Limits::max_paragraphs`]: the
/// passages of one file are held in memory while it is indexed.
fn check_output(path: &Path, extracted: &Extracted, limits: &Limits) -> Result<()> {
    if extracted.text.len() > limits.max_text {
        bail!(
            "{}: {} of text is more than the {} one file may hold (a larger --memory raises it)",
            path.display(),
            megabytes(extracted.text.len() as u64),
            megabytes(limits.max_text as u64)
        );
    }
    let paragraphs = extracted
        .text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    if paragraphs > limits.max_paragraphs {
        bail!(
            "{}: {paragraphs} paragraphs are more than the {} one file may hold (a larger --memory raises it)",
            path.display(),
            limits.max_paragraphs
        );
    }
    Ok(())
}

/// A size in megabytes, as the limits are stated: `200.0 MB`.
pub(crate) fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
}

/// Turns control characters other than line breaks and tabs into spaces: in a document they
/// mean nothing (stray NULs, form feeds, escape sequences), and printed on a terminal an
/// escape sequence could clear the screen or retitle the window.
fn blank_controls(text: &mut String) {
    let is_blanked = |c: char| c.is_control() && c != '\n' && c != '\t';
    if text.contains(is_blanked) {
        *text = text
            .chars()
            .map(|c| if is_blanked(c) { ' ' } else { c })
            .collect();
    }
}

/// A body line as written, unless the passage splitter would take it for markdown syntax
/// (a heading, a code fence, a comment, a table rule): then its first character becomes
/// the full-width form, which reads the same.
pub(crate) fn plain_line(line: &str) -> Cow<'_, str> {
    let first = match line.chars().next() {
        Some('#') => '＃',
        Some('`') if line.starts_with("```") => '｀',
        Some('<') if line.starts_with("<!--") => '＜',
        Some('|') if line.starts_with("|--") => '｜',
        _ => return Cow::Borrowed(line),
    };
    Cow::Owned(format!("{first}{}", &line[1..]))
}

/// Chinese characters and full-width punctuation, between which no space is written.
pub(crate) fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFF}' | '\u{2018}'..='\u{201D}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("escape.txt");
        std::fs::write(
            &path,
            "第一条\t本法所称数据\u{1b}[2J\u{1b}]0;pwned\u{7}，是指\r\n任何\u{b}记录。\u{85}\n",
        )
        .unwrap();
        let text = extract(&path, Format::Txt).unwrap().text;
        assert!(
            !text.contains(|c: char| c.is_control() && c != '\n' && c != '\t'),
            "{text:?}"
        );
        assert!(
            text.contains("第一条\t本法所称数据 [2J ]0;pwned ，是指"),
            "{text:?}"
        );
        assert!(text.contains("任何 记录。"), "{text:?}");
    }
}
