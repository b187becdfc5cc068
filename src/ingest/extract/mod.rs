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
    let mut extracted = match format {
        Format::Txt => Extracted {
            text: text::read_text(path)?,
            ..Extracted::default()
        },
        Format::Md => markdown::extract(path)?,
        Format::Html => html::extract(path)?,
        Format::Docx => docx::extract(path)?,
        Format::Pdf => pdf::extract(path)?,
    };
    blank_controls(&mut extracted.text);
    for (key, value) in &mut extracted.metadata {
        blank_controls(key);
        blank_controls(value);
    }
    Ok(extracted)
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
