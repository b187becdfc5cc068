//! Document text in, passages out: one passage per paragraph (a line), long paragraphs cut
//! at sentence ends, markdown headings turned into each passage's heading path.

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::normalize;
use crate::extract::Extracted;

/// Paragraphs longer than this many characters are cut at sentence ends.
pub const MAX_PASSAGE_CHARS: usize = 600;

/// One searchable unit of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Position of the passage within its document, from 0.
    pub ordinal: usize,
    /// Headings above the passage, outermost first (the document title excluded).
    pub heading: Vec<String>,
    /// The paragraph as written, minus leading full-width indentation and trailing space.
    pub text: String,
    /// Byte range of `text` in the extracted document text.
    pub start: usize,
    pub end: usize,
    /// Equal for passages that say the same thing: the hash of the normalised text, or, for
    /// a bullet that repeats a longer paragraph of its document, of that paragraph.
    pub dup_key: u64,
}

/// A document split for indexing.
#[derive(Debug, Clone)]
pub struct Document {
    /// First heading (markdown) or first line, else the file name.
    pub title: String,
    pub passages: Vec<Passage>,
}

/// Splits extracted text into passages.
pub fn split(path: &Path, doc: &Extracted) -> Document {
    let mut title: Option<String> = None;
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut passages = Vec::new();
    let mut in_fence = false;
    let mut offset = 0;
    for raw_line in doc.text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end();
        if doc.markdown {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                in_fence = !in_fence;
                continue;
            }
            if trimmed.starts_with("<!--") || trimmed.starts_with("|--") || in_fence {
                continue;
            }
            if let Some((level, text)) = markdown_heading(trimmed) {
                if title.is_none() && passages.is_empty() {
                    title = Some(text.to_string());
                } else {
                    headings.retain(|(l, _)| *l < level);
                    headings.push((level, text.to_string()));
                }
                continue;
            }
        }
        let body = line.trim_start_matches(|c: char| c.is_whitespace());
        if !body.chars().any(char::is_alphanumeric) {
            continue;
        }
        let body_start = line_start + (line.len() - body.len());
        if title.is_none() && passages.is_empty() && body.chars().count() <= 100 {
            title = Some(body.to_string());
        }
        let heading: Vec<String> = headings.iter().map(|(_, h)| h.clone()).collect();
        for (start, end) in cut_long(body) {
            passages.push(Passage {
                ordinal: passages.len(),
                heading: heading.clone(),
                text: body[start..end].to_string(),
                start: body_start + start,
                end: body_start + end,
                dup_key: 0,
            });
        }
    }
    mark_duplicates(&mut passages);
    let title = title.unwrap_or_else(|| {
        path.file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    });
    Document { title, passages }
}

/// `## text` → (2, "text").
fn markdown_heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    (!text.is_empty()).then_some((level, text))
}

/// Byte ranges of `text` no longer than [`MAX_PASSAGE_CHARS`] characters, cut after sentence
/// ends (。！？；), else after a comma, else anywhere.
fn cut_long(text: &str) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while text[start..].chars().count() > MAX_PASSAGE_CHARS {
        let window: Vec<(usize, char)> = text[start..]
            .char_indices()
            .take(MAX_PASSAGE_CHARS)
            .collect();
        let after = |set: &[char]| {
            window
                .iter()
                .rev()
                .find(|(_, c)| set.contains(c))
                .map(|&(i, c)| start + i + c.len_utf8())
                .filter(|&end| end > start)
        };
        let end = after(&['。', '！', '？', '；', '!', '?', ';'])
            .or_else(|| after(&['，', ',', '、']))
            .unwrap_or_else(|| {
                let &(i, c) = window.last().expect("window is not empty");
                start + i + c.len_utf8()
            });
        let piece = text[start..end].trim_end();
        pieces.push((start, start + piece.len()));
        start = end + (text[end..].len() - text[end..].trim_start().len());
    }
    if start < text.len() {
        pieces.push((start, text.len()));
    }
    pieces
}

/// Characters that open a summary bullet, whose text usually repeats a body paragraph.
const BULLETS: &[char] = &[
    '■', '□', '●', '○', '◆', '◇', '▲', '△', '▶', '►', '•', '·', '※', '★', '☆', '▪',
];

/// The letters and digits of a passage, normalised: two passages with the same core say the
/// same thing whatever their punctuation, spacing or bullets.
pub fn core(text: &str) -> String {
    normalize(text)
        .text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// A stable 64-bit FNV-1a hash, so keys stay equal across builds.
pub fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Sets each passage's `dup_key`: the hash of its core, except for a bullet whose core lies
/// inside a longer paragraph of the same document, which takes that paragraph's key.
fn mark_duplicates(passages: &mut [Passage]) {
    let cores: Vec<String> = passages.iter().map(|p| core(&p.text)).collect();
    let mut container: HashMap<usize, usize> = HashMap::new();
    for (i, p) in passages.iter().enumerate() {
        if !p.text.starts_with(BULLETS) || cores[i].chars().count() < 8 {
            continue;
        }
        let longer = (0..passages.len())
            .filter(|&j| j != i && cores[j].len() > cores[i].len() && cores[j].contains(&cores[i]))
            .min_by_key(|&j| cores[j].len());
        if let Some(j) = longer {
            container.insert(i, j);
        }
    }
    for (i, p) in passages.iter_mut().enumerate() {
        let source = container.get(&i).copied().unwrap_or(i);
        p.dup_key = stable_hash(&cores[source]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_text(text: &str, markdown: bool) -> Document {
        split(
            Path::new("dir/文件.txt"),
            &Extracted {
                text: text.to_string(),
                markdown,
                metadata: Vec::new(),
            },
        )
    }

    #[test]
    fn paragraphs_strip_indent_and_keep_offsets() {
        let text = "标题一行\n\n　　第一段内容。  \n\u{3000}\u{3000}\n第二段\n";
        let doc = split_text(text, false);
        assert_eq!(doc.title, "标题一行");
        let texts: Vec<_> = doc.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["标题一行", "第一段内容。", "第二段"]);
        for p in &doc.passages {
            assert_eq!(&text[p.start..p.end], p.text);
        }
        assert_eq!(doc.passages[2].ordinal, 2);
    }

    #[test]
    fn markdown_headings_become_heading_path() {
        let text = "# 数据安全法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了规范。\n\n### 第一节\n\n第二条 适用。\n\n## 第二章 制度\n\n第三条 本法。\n";
        let doc = split_text(text, true);
        assert_eq!(doc.title, "数据安全法");
        let got: Vec<_> = doc
            .passages
            .iter()
            .map(|p| (p.text.as_str(), p.heading.join(" › ")))
            .collect();
        assert_eq!(
            got,
            [
                ("第一条 为了规范。", "第一章 总则".to_string()),
                ("第二条 适用。", "第一章 总则 › 第一节".to_string()),
                ("第三条 本法。", "第二章 制度".to_string()),
            ]
        );
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends() {
        let sentence = "这是一个用于测试的句子，长度大约二十个字符。";
        let text = sentence.repeat(80);
        let doc = split_text(&text, false);
        assert!(doc.passages.len() >= 3);
        for p in &doc.passages {
            assert!(p.text.chars().count() <= MAX_PASSAGE_CHARS);
            assert!(p.text.ends_with('。'), "{}", p.text);
            assert_eq!(&text[p.start..p.end], p.text);
        }
        let joined: String = doc.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn bullets_share_the_key_of_the_paragraph_they_repeat() {
        let text = "■\u{a0}加入世界贸易组织是我国对外开放的里程碑\n他指出，加入世界贸易组织是我国对外开放的里程碑。\n另一段完全不同的文字内容在这里。\n";
        let doc = split_text(text, false);
        let keys: Vec<_> = doc.passages.iter().map(|p| p.dup_key).collect();
        assert_eq!(keys[0], keys[1]);
        assert_ne!(keys[1], keys[2]);
    }

    #[test]
    fn title_falls_back_to_file_name() {
        let long = "长".repeat(200);
        assert_eq!(split_text(&long, false).title, "文件");
    }
}
