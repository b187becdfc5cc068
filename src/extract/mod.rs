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

use anyhow::Result;

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
}

/// Reads and decodes one file. Errors name the file.
pub fn extract(path: &Path, format: Format) -> Result<Extracted> {
    match format {
        Format::Txt => Ok(Extracted {
            text: text::read_text(path)?,
            ..Extracted::default()
        }),
        Format::Md => markdown::extract(path),
        Format::Html => html::extract(path),
        Format::Docx => docx::extract(path),
        Format::Pdf => pdf::extract(path),
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
