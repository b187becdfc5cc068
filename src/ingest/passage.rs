//! Document text in, passages out: one passage per paragraph (a line), long paragraphs cut
//! at sentence ends; heading lines are passages of their own and make the heading path of
//! the passages below them.

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::numerals::is_numeral;
use crate::analysis::{fold_char, is_cjk};
use crate::ingest::extract::Extracted;

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
    /// The article (第二十一条) when the passage is one article of a law.
    pub article: Option<String>,
    /// Whether the passage is a heading line (a title, 编/章/节, an outline heading): it
    /// says where text stands, not what it says.
    pub heading_line: bool,
}

/// A document split for indexing.
#[derive(Debug, Clone)]
pub struct Document {
    /// First heading (markdown) or first line, unless that line is an address or body text,
    /// else the file name.
    pub title: String,
    pub passages: Vec<Passage>,
}

/// Splits extracted text into passages.
///
/// Laws and regulations (two or more lines opening with 第X条) become one passage per
/// article, its paragraphs (款) and items (项) included, under a heading path of 编/章/节 and
/// the article. Elsewhere each paragraph is a passage, and outline headings (一、 （一） 1.
/// （1）) build the heading path.
pub fn split(path: &Path, doc: &Extracted) -> Document {
    let lines = lines_of(doc);
    let is_law = lines
        .iter()
        .filter(|l| article_label(l.text).is_some())
        .count()
        >= 2;
    let mut title: Option<String> = None;
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut passages: Vec<Passage> = Vec::new();
    // The article being gathered: its label and the passage index it occupies.
    let mut article: Option<(String, usize)> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some((level, text)) = line.heading {
            article = None;
            // Its offset in the line: `text` is a slice of it.
            let start = line.start + (text.as_ptr() as usize - line.text.as_ptr() as usize);
            if title.is_none() && passages.is_empty() {
                title = Some(text.to_string());
                push_heading_line(&mut passages, &headings, usize::MAX, text, start);
            } else {
                push_heading_line(&mut passages, &headings, level, text, start);
                push_heading(&mut headings, level, text);
            }
            continue;
        }
        let body = line.text;
        if title.is_none() && passages.is_empty() {
            title = title_at(&lines, i);
        }
        if let Some(level) = structure_level(body) {
            article = None;
            push_heading_line(&mut passages, &headings, level, body, line.start);
            push_heading(&mut headings, level, body);
            continue;
        }
        if is_law {
            if let Some(label) = article_label(body) {
                let mut heading: Vec<String> = headings.iter().map(|(_, h)| h.clone()).collect();
                heading.push(label.to_string());
                article = Some((label.to_string(), passages.len()));
                passages.push(Passage {
                    ordinal: passages.len(),
                    heading,
                    text: body.to_string(),
                    start: line.start,
                    end: line.start + body.len(),
                    dup_key: 0,
                    article: Some(label.to_string()),
                    heading_line: false,
                });
                continue;
            }
            if let Some((_, at)) = &article {
                let p = &mut passages[*at];
                p.text.push('\n');
                p.text.push_str(body);
                p.end = line.start + body.len();
                continue;
            }
        } else if let Some((level, heading_text)) = outline_heading(body) {
            if heading_text.len() == body.len() {
                push_heading_line(&mut passages, &headings, level, body, line.start);
                push_heading(&mut headings, level, heading_text);
                continue;
            }
            push_heading(&mut headings, level, heading_text);
        }
        let heading: Vec<String> = headings.iter().map(|(_, h)| h.clone()).collect();
        for (start, end) in cut_long(body) {
            passages.push(Passage {
                ordinal: passages.len(),
                heading: heading.clone(),
                text: body[start..end].to_string(),
                start: line.start + start,
                end: line.start + end,
                dup_key: 0,
                article: None,
                heading_line: false,
            });
        }
    }
    mark_duplicates(&mut passages, path);
    let title = match title {
        Some(t) => strip_version_note(&t).to_string(),
        None => title_of_file_name(path),
    };
    let title = squeeze_space_runs(&title);
    Document { title, passages }
}

/// The title that line `i`, the document's first, gives: itself, or itself and the line
/// after when the title was set on two; `None` when it is no title.
fn title_at(lines: &[Line], i: usize) -> Option<String> {
    let body = lines[i].text;
    let next = lines.get(i + 1).map(|l| l.text);
    let after = lines.get(i + 2).map(|l| l.text);
    if body.chars().count() > 100 || !can_be_title(body, next) {
        return None;
    }
    Some(match next {
        // A title wrapped before its last character (政府工作报 / 告); a line of two or more
        // is a heading of its own (总则).
        Some(tail) if tail.chars().count() == 1 && tail.chars().all(crate::analysis::is_cjk) => {
            format!("{body}{tail}")
        }
        // A title set on two lines above its ——subtitle (决胜全面建成小康社会 /
        // 夺取新时代中国特色社会主义伟大胜利 / ——在中国共产党第十九次全国代表大会上的报告).
        Some(second)
            if after.is_some_and(|a| a.starts_with("——"))
                && second.chars().count() <= 40
                && !second.contains(['：', ':'])
                && can_be_title(second, after) =>
        {
            format!("{body} {second}")
        }
        _ => body.to_string(),
    })
}

/// Whether a document's first line, followed by `next`, can be its title. Speeches and
/// letters open with an address (各位代表：, 同志们！, 各省、自治区、直辖市人民政府：); some
/// documents open straight with the body, a whole sentence (…决定批准这个报告。) or one
/// cut where a link stood (…听取和审议了国务院总理李强所作的 / 政府工作报告 / 。会议…), a
/// heading of the body (一、去年工作回顾, 第一章 总则) or a note in brackets (（譯自…）).
fn can_be_title(line: &str, next: Option<&str>) -> bool {
    if outline_level(line).is_some() || structure_level(line).is_some() || is_bracketed(line) {
        return false;
    }
    // Zero-width characters trail some copied lines (各位代表：U+200D).
    let line = line.trim_end_matches(['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}']);
    let ends_open = line.ends_with(['：', ':', '！', '!', '。', '，', ',', '、', '；', ';', '的']);
    let next_continues = next.is_some_and(|n| n.starts_with(['。', '，', '、', '；', '）', ')']));
    !ends_open && !next_continues
}

/// A line wholly in brackets: a note (（2020年5月28日…通过）, (譯自…)), never a title.
fn is_bracketed(line: &str) -> bool {
    (line.starts_with('(') || line.starts_with('（')) && line.ends_with([')', '）'])
}

/// Runs of spaces in a title made one: 最高人民法院  最高人民检察院关于… is cited with one
/// space between the two issuers, whatever the layout of the source gave.
fn squeeze_space_runs(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut chars = title.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() && chars.peek().is_some_and(|n| n.is_whitespace()) {
            while chars.next_if(|n| n.is_whitespace()).is_some() {}
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The title a file name gives: 1954_1954年中华人民共和国国务院政府工作报告 →
/// 1954年中华人民共和国国务院政府工作报告, 个体工商户条例(2016) → 个体工商户条例.
fn title_of_file_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    // Collections number their files in a prefix: 1954_…, 12_….
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let stem = match stem[digits..].strip_prefix('_') {
        Some(rest) if digits > 0 && !rest.is_empty() => rest,
        _ => &stem,
    };
    // A trailing note joined by `_` (…新局面_(十二大)) is written as titles write one
    // (…新局面（十二大）); other `_` stand for the space file names cannot hold well.
    let stem = strip_version_note(stem);
    match stem.rsplit_once("_(") {
        Some((title, note)) if !title.is_empty() && note.len() > 1 && note.ends_with(')') => {
            format!("{}（{}）", title.replace('_', " "), &note[..note.len() - 1])
        }
        _ => stem.replace('_', " "),
    }
}

/// A non-empty line of the document.
struct Line<'a> {
    /// The line without indentation or trailing space.
    text: &'a str,
    /// Byte offset of `text` in the document.
    start: usize,
    /// Level and text when the line is a markdown heading.
    heading: Option<(usize, &'a str)>,
}

/// The lines that carry text: blank lines, markdown comments, table rules and code fences
/// are left out.
fn lines_of(doc: &Extracted) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    let mut offset = 0;
    for raw in doc.text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let text = raw.trim();
        if doc.markdown {
            if text.starts_with("```") {
                in_fence = !in_fence;
                continue;
            }
            if text.starts_with("<!--") || text.starts_with("|--") || in_fence {
                continue;
            }
        }
        let heading = if doc.markdown {
            markdown_heading(text)
        } else {
            None
        };
        if heading.is_none() && !text.chars().any(char::is_alphanumeric) {
            continue;
        }
        let start = line_start + (raw.len() - raw.trim_start().len());
        lines.push(Line {
            text,
            start,
            heading,
        });
    }
    lines
}

/// A heading line is a passage too, under the headings above it (those of a lower level),
/// so that searching finds its words as grep would.
fn push_heading_line(
    passages: &mut Vec<Passage>,
    headings: &[(usize, String)],
    level: usize,
    text: &str,
    start: usize,
) {
    passages.push(Passage {
        ordinal: passages.len(),
        heading: headings
            .iter()
            .filter(|(l, _)| *l < level)
            .map(|(_, h)| h.clone())
            .collect(),
        text: close_cjk_gaps(text),
        start,
        end: start + text.len(),
        dup_key: HEADING_LINE,
        article: None,
        heading_line: true,
    });
}

/// The `dup_key` of a heading line until [`mark_duplicates`] gives it one of its own.
const HEADING_LINE: u64 = u64::MAX;

/// "第一章 总  则" → "第一章 总则": headings are spaced out for layout, which would keep
/// their words from being found; spaces between Chinese characters go, others stay.
fn close_cjk_gaps(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let run_end = chars[i..]
                .iter()
                .position(|c| !c.is_whitespace())
                .map_or(chars.len(), |n| i + n);
            let before = out.chars().next_back();
            let after = chars.get(run_end).copied();
            // Keep the space after a 第X章/条 label: it separates the label from the words.
            let after_label = before.is_some_and(|b| "章节编条".contains(b));
            let joins_cjk = before.is_some_and(crate::analysis::is_cjk)
                && after.is_some_and(crate::analysis::is_cjk);
            if !joins_cjk || after_label {
                out.push(' ');
            }
            i = run_end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn push_heading(headings: &mut Vec<(usize, String)>, level: usize, text: &str) {
    headings.retain(|(l, _)| *l < level);
    headings.push((level, squeeze_spaces(text)));
}

/// "第一章 总  则" → "第一章 总则": headings are often spaced out for layout.
fn squeeze_spaces(text: &str) -> String {
    let mut out = String::new();
    let mut words = text
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty());
    if let Some(first) = words.next() {
        out.push_str(first);
        let rest: String = words.collect();
        if !rest.is_empty() {
            out.push(' ');
            out.push_str(&rest);
        }
    }
    out
}

/// "第X" + one of `units` at the start of `text`: the byte length of the label.
fn ordinal_label(text: &str, units: &[&str]) -> Option<usize> {
    let rest = text.strip_prefix('第')?;
    let digits: usize = rest
        .chars()
        .take_while(|&c| is_numeral(c))
        .map(char::len_utf8)
        .sum();
    if digits == 0 {
        return None;
    }
    let after = &rest[digits..];
    let unit = units.iter().find(|u| after.starts_with(*u))?;
    Some('第'.len_utf8() + digits + unit.len())
}

/// 第二十一条 (or 第二十一条之一) opening an article; `None` for a line that only mentions one.
pub fn article_label(text: &str) -> Option<&str> {
    let mut len = ordinal_label(text, &["条"])?;
    if let Some(rest) = text[len..].strip_prefix('之') {
        let n: usize = rest
            .chars()
            .take_while(|&c| is_numeral(c))
            .map(char::len_utf8)
            .sum();
        if n > 0 {
            len += '之'.len_utf8() + n;
        }
    }
    // An article label is followed by a space or the text itself, never by more of a
    // sentence about the article (第五条规定的…).
    let next = text[len..].chars().next();
    match next {
        None => Some(&text[..len]),
        Some(c) if c.is_whitespace() || c == '\u{3000}' => Some(&text[..len]),
        Some('规' | '所' | '的' | '第' | '、' | '，' | '至' | '和' | '或') => None,
        Some(_) => Some(&text[..len]),
    }
}

/// Level of a 编/章/节 heading line of a law (第一章 总则).
fn structure_level(text: &str) -> Option<usize> {
    if text.chars().count() > 40 || text.contains(['。', '；', '，']) {
        return None;
    }
    let len = ordinal_label(text, &["分编", "编", "章", "节"])?;
    let unit = &text[..len];
    let level = if unit.ends_with("分编") {
        8
    } else if unit.ends_with('编') {
        7
    } else if unit.ends_with('章') {
        9
    } else {
        10
    };
    // "第一章" alone or followed by its name, not "第一章规定…".
    let rest = text[len..].trim_start();
    (rest.is_empty()
        || text[len..].starts_with(char::is_whitespace)
        || text[len..].starts_with('\u{3000}')
        || rest.chars().count() <= 12)
        .then_some(level)
}

/// An outline heading opening a paragraph: its level and the heading text (the whole line
/// when short, else its first sentence).
fn outline_heading(text: &str) -> Option<(usize, &str)> {
    let level = outline_level(text)?;
    let first_sentence = text
        .find(['。', '！', '？', '；'])
        .map_or(text, |i| &text[..i]);
    if first_sentence.chars().count() > 60 {
        return None;
    }
    Some((level, first_sentence))
}

/// 一、 → 11, （一） → 12, 1. or 1、 → 13, （1） → 14.
fn outline_level(text: &str) -> Option<usize> {
    let han_numeral = |c: char| "一二三四五六七八九十".contains(c);
    let mut chars = text.chars();
    let first = chars.next()?;
    if han_numeral(first) {
        let rest = text.trim_start_matches(han_numeral);
        return rest.starts_with('、').then_some(11);
    }
    if first == '（' || first == '(' {
        let inner = &text[first.len_utf8()..];
        let n = inner
            .chars()
            .take_while(|&c| han_numeral(c) || c.is_ascii_digit())
            .count();
        if n == 0 || n > 3 {
            return None;
        }
        let numeral: String = inner.chars().take(n).collect();
        let after = &inner[numeral.len()..];
        if !after.starts_with(['）', ')']) {
            return None;
        }
        return Some(if numeral.chars().all(|c| c.is_ascii_digit()) {
            14
        } else {
            12
        });
    }
    if first.is_ascii_digit() {
        let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
        let numeral_len = text.len() - rest.len();
        // Up to three digits (a report's 100. and on); four would be a year (2019、).
        if numeral_len <= 3
            && (rest.starts_with('、')
                || (rest.starts_with('.') && !rest[1..].starts_with(|c: char| c.is_ascii_digit())))
        {
            return Some(13);
        }
    }
    None
}

/// Drops a trailing version note from a title: 个体工商户条例(2016) → 个体工商户条例.
fn strip_version_note(title: &str) -> &str {
    let t = title.trim_end();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = t.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
        {
            let note = &inner[at + open.len_utf8()..];
            if !note.is_empty() && note.chars().all(|c| c.is_ascii_digit() || c == '-') && at > 0 {
                return t[..at].trim_end();
            }
        }
    }
    t
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

/// Sentence ends, after which a long paragraph is cut; else after a comma.
const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；', '!', '?', ';'];
const COMMAS: &[char] = &['，', ',', '、'];

/// Characters a stretch without sentence end or comma may run to before it is cut anyway:
/// far beyond any sentence, so only what is no prose (a flattened table, a single line of
/// many megabytes) is cut inside.
const MAX_RUN_CHARS: usize = 20_000;

/// Characters a piece cut inside a stretch shares with the next, so that words and phrases up
/// to this long across the cut are still found.
const OVERLAP_CHARS: usize = 32;

/// Byte ranges of `text`, cut after the last sentence end (。！？；) within
/// [`MAX_PASSAGE_CHARS`] characters, else after the last comma. A stretch of that length with
/// neither runs on to the next one: cut anywhere else, a word or phrase across the cut would
/// be in neither piece, and pieces overlapping to make up for it find what lies in both twice
/// and still miss a phrase longer than the overlap. So pieces of prose never share text, and a
/// query finds in a long paragraph what it finds in a short one; a piece is then longer than
/// the rest, as an article of a law can be. Only a stretch of [`MAX_RUN_CHARS`] without either
/// is cut inside, with [`OVERLAP_CHARS`] shared.
fn cut_long(text: &str) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    // Only the next window is looked at: counting the rest of the text at every cut made a
    // paragraph of n characters cost n²/600 (minutes for a single-line file of a few MB).
    while text[start..].chars().nth(MAX_PASSAGE_CHARS).is_some() {
        let (end, next) = next_cut(text, start);
        let piece = text[start..end].trim_end();
        pieces.push((start, start + piece.len()));
        start = next;
    }
    if start < text.len() {
        pieces.push((start, text.len()));
    }
    pieces
}

/// Where the piece of `text` from `start` ends, and where the next one starts.
fn next_cut(text: &str, start: usize) -> (usize, usize) {
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
    };
    let run: Vec<(usize, char)> = text[start..].char_indices().take(MAX_RUN_CHARS).collect();
    let beyond = || {
        run.iter()
            .skip(MAX_PASSAGE_CHARS)
            .find(|(_, c)| SENTENCE_ENDS.contains(c) || COMMAS.contains(c))
            .map(|&(i, c)| start + i + c.len_utf8())
    };
    match after(SENTENCE_ENDS)
        .or_else(|| after(COMMAS))
        .or_else(beyond)
    {
        Some(end) => (
            end,
            end + (text[end..].len() - text[end..].trim_start().len()),
        ),
        None if run.len() < MAX_RUN_CHARS => (text.len(), text.len()),
        None => {
            let &(i, c) = run.last().expect("run is not empty");
            (
                start + i + c.len_utf8(),
                start + run[MAX_RUN_CHARS - OVERLAP_CHARS].0,
            )
        }
    }
}

/// Characters that open a summary bullet, whose text usually repeats a body paragraph.
const BULLETS: &[char] = &[
    '■', '□', '●', '○', '◆', '◇', '▲', '△', '▶', '►', '•', '·', '※', '★', '☆', '▪',
];

/// The letters and digits of a passage, normalised: two passages with the same core say the
/// same thing whatever their punctuation, spacing or bullets.
pub fn core(text: &str) -> String {
    let mut core = String::with_capacity(text.len());
    for c in text.chars().map(fold_char) {
        // CJK first: it is most characters, and skips the slow Unicode tables.
        if is_cjk(c) || c.is_alphanumeric() {
            core.push(c);
        }
    }
    core
}

/// Most bullet-to-passage comparisons of one document (see [`mark_duplicates`]).
const MAX_BULLET_COMPARISONS: usize = 1_000_000;

/// Sets each passage's `dup_key`: the hash of its core, except for a bullet whose core lies
/// inside a longer paragraph of the same document, which takes that paragraph's key, and for
/// a heading line, whose key is its own (the hash of the file's path and its place): a
/// heading says where the passages below it stand, not what they say, so two laws'
/// 第一章 总则 are not one passage said twice.
fn mark_duplicates(passages: &mut [Passage], path: &Path) {
    let is_heading: Vec<bool> = passages.iter().map(|p| p.dup_key == HEADING_LINE).collect();
    let cores: Vec<String> = passages.iter().map(|p| core(&p.text)).collect();
    let mut container: HashMap<usize, usize> = HashMap::new();
    let mut bullets: Vec<usize> = (0..passages.len())
        .filter(|&i| passages[i].text.starts_with(BULLETS) && cores[i].chars().count() >= 8)
        .collect();
    // Each bullet is compared with every passage: a summary has a handful of bullets, but a
    // file of thousands of them would take hours. Beyond the bound they keep their own key.
    if bullets.len().saturating_mul(passages.len()) > MAX_BULLET_COMPARISONS {
        bullets.clear();
    }
    for &i in &bullets {
        let longer = (0..passages.len())
            .filter(|&j| j != i && !is_heading[j])
            .filter(|&j| cores[j].len() > cores[i].len() && cores[j].contains(&cores[i]))
            .min_by_key(|&j| cores[j].len());
        if let Some(j) = longer {
            container.insert(i, j);
        }
    }
    for (i, p) in passages.iter_mut().enumerate() {
        p.dup_key = if is_heading[i] {
            let place = format!("{}\0{}", path.display(), p.ordinal);
            crate::ingest::stable_hash(place.as_bytes())
        } else {
            let source = container.get(&i).copied().unwrap_or(i);
            crate::ingest::stable_hash(cores[source].as_bytes())
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_at(path: &str, text: &str, markdown: bool) -> Document {
        split(
            Path::new(path),
            &Extracted {
                text: text.to_string(),
                markdown,
                ..Extracted::default()
            },
        )
    }

    fn split_text(text: &str, markdown: bool) -> Document {
        split_at("dir/文件.txt", text, markdown)
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
    fn markdown_headings_are_passages_and_heading_paths() {
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
                ("数据安全法", String::new()),
                ("第一章 总则", String::new()),
                ("第一条 为了规范。", "第一章 总则 › 第一条".to_string()),
                ("第一节", "第一章 总则".to_string()),
                ("第二条 适用。", "第一章 总则 › 第一节 › 第二条".to_string()),
                ("第二章 制度", String::new()),
                ("第三条 本法。", "第二章 制度 › 第三条".to_string()),
            ]
        );
        for p in &doc.passages {
            assert_eq!(&text[p.start..p.end], p.text);
        }
    }

    #[test]
    fn a_law_article_is_one_passage_with_its_paragraphs_and_items() {
        let text = "个体工商户条例(2016)\n第一章　总　则\n 第一条 为了保护个体工商户的合法权益，制定本条例。\n 第九条 登记机关按照下列规定办理：\n（一）申请材料齐全的，当场予以登记；\n（二）需要核实的，依法进行核查。\n第二章 登记\n第十条 依照第五条规定的程序办理。\n";
        let doc = split_text(text, false);
        assert_eq!(doc.title, "个体工商户条例");
        let got: Vec<_> = doc
            .passages
            .iter()
            .map(|p| (p.article.as_deref(), p.heading.join(" › ")))
            .collect();
        assert_eq!(
            got,
            [
                (None, String::new()),
                (None, String::new()),
                (Some("第一条"), "第一章 总则 › 第一条".to_string()),
                (Some("第九条"), "第一章 总则 › 第九条".to_string()),
                (None, String::new()),
                (Some("第十条"), "第二章 登记 › 第十条".to_string()),
            ]
        );
        assert_eq!(doc.passages[1].text, "第一章 总则");
        let ninth = &doc.passages[3];
        assert_eq!(
            ninth.text,
            "第九条 登记机关按照下列规定办理：\n（一）申请材料齐全的，当场予以登记；\n（二）需要核实的，依法进行核查。"
        );
        assert_eq!(&text[ninth.start..ninth.start + "第九条".len()], "第九条");
        assert!(text[..ninth.end].ends_with("依法进行核查。"));
    }

    #[test]
    fn article_labels_are_not_mentions() {
        assert_eq!(article_label("第二十一条 国家建立"), Some("第二十一条"));
        assert_eq!(
            article_label("第二十一条之一　为了"),
            Some("第二十一条之一")
        );
        assert_eq!(article_label("第5条规定的程序"), None);
        assert_eq!(article_label("第一章 总则"), None);
        assert_eq!(article_label("本法第五条"), None);
    }

    #[test]
    fn outline_headings_build_the_heading_path_of_a_report() {
        let text = "政府工作报告\n一、2023年工作回顾\n过去一年很不平凡。\n（一）大力推进现代化产业体系建设，加快发展新质生产力。充分发挥创新主导作用。\n1. 推动产业链供应链优化升级\n优化产业布局。\n二、2024年政府工作任务\n今年要做好以下工作。\n";
        let doc = split_text(text, false);
        let got: Vec<_> = doc
            .passages
            .iter()
            .map(|p| (p.text.as_str(), p.heading.join(" › ")))
            .collect();
        assert_eq!(
            got,
            [
                ("政府工作报告", String::new()),
                ("一、2023年工作回顾", String::new()),
                ("过去一年很不平凡。", "一、2023年工作回顾".to_string()),
                (
                    "（一）大力推进现代化产业体系建设，加快发展新质生产力。充分发挥创新主导作用。",
                    "一、2023年工作回顾 › （一）大力推进现代化产业体系建设，加快发展新质生产力".to_string()
                ),
                (
                    "1. 推动产业链供应链优化升级",
                    "一、2023年工作回顾 › （一）大力推进现代化产业体系建设，加快发展新质生产力".to_string()
                ),
                (
                    "优化产业布局。",
                    "一、2023年工作回顾 › （一）大力推进现代化产业体系建设，加快发展新质生产力 › 1. 推动产业链供应链优化升级".to_string()
                ),
                ("二、2024年政府工作任务", String::new()),
                ("今年要做好以下工作。", "二、2024年政府工作任务".to_string()),
            ]
        );
    }

    #[test]
    fn outline_numbers_of_three_digits_are_headings() {
        let text = "工作要点\n98. 第九十八项\n内容甲。\n99. 第九十九项\n内容乙。\n100. 第一百项\n内容丙。\n101、第一百零一项\n内容丁。\n2019、年份不是编号\n";
        let doc = split_text(text, false);
        let heading_of = |body: &str| {
            let p = doc.passages.iter().find(|p| p.text == body).unwrap();
            p.heading.join(" › ")
        };
        assert_eq!(heading_of("内容乙。"), "99. 第九十九项");
        assert_eq!(heading_of("内容丙。"), "100. 第一百项");
        assert_eq!(heading_of("内容丁。"), "101、第一百零一项");
        assert_eq!(heading_of("2019、年份不是编号"), "101、第一百零一项");
        assert_eq!(outline_level("100.5 亿元"), None);
    }

    #[test]
    fn version_notes_leave_titles() {
        assert_eq!(strip_version_note("个体工商户条例(2016)"), "个体工商户条例");
        assert_eq!(
            strip_version_note("上海口岸服务条例(2020-05-14)"),
            "上海口岸服务条例"
        );
        assert_eq!(
            strip_version_note("关于（试行）的通知"),
            "关于（试行）的通知"
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
    fn only_a_stretch_beyond_any_sentence_is_cut_inside_with_an_overlap() {
        let text: String = (0..45_000u32)
            .map(|i| char::from_u32(0x4E00 + i % 5000).unwrap())
            .collect();
        let doc = split_text(&text, false);
        let pieces: Vec<&str> = doc.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(pieces.len(), 3);
        assert!(pieces.iter().all(|p| p.chars().count() <= MAX_RUN_CHARS));
        for pair in doc.passages.windows(2) {
            let shared = &text[pair[1].start..pair[0].end];
            assert_eq!(shared.chars().count(), OVERLAP_CHARS);
        }
        // A phrase across a cut is whole in the piece after it.
        let chars: Vec<char> = text.chars().collect();
        let across: String = chars[MAX_RUN_CHARS - 20..MAX_RUN_CHARS + 5]
            .iter()
            .collect();
        assert!(pieces[1].contains(&across));
    }

    #[test]
    fn a_stretch_without_punctuation_is_never_cut_inside() {
        // 乙丙 stands where a cut after 600 characters would fall.
        let run = format!("{}乙丙{}", "甲".repeat(599), "丁".repeat(700));
        let doc = split_text(&run, false);
        assert_eq!(doc.passages.len(), 1);
        assert_eq!(doc.passages[0].text, run);
        // It runs on to the next comma; what follows is cut as usual, and no piece shares
        // text with another.
        let text = format!(
            "{}，{}。{}",
            "甲".repeat(900),
            "乙".repeat(300),
            "丙".repeat(400)
        );
        let doc = split_text(&text, false);
        let texts: Vec<&str> = doc.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts.len(), 3);
        assert_eq!(texts[0], format!("{}，", "甲".repeat(900)));
        assert_eq!(texts.concat(), text);
        for pair in doc.passages.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
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
    fn headings_are_no_duplicates_of_each_other() {
        let law = "数据安全管理办法\n第一章 总则\n第一条 为了规范。\n第二条 适用。\n第二章 附则\n第三条 施行。\n";
        let a = split_at("a/办法.txt", law, false);
        let b = split_at("b/办法.txt", law, false);
        let key =
            |d: &Document, text: &str| d.passages.iter().find(|p| p.text == text).unwrap().dup_key;
        // The same article in two documents is one passage said twice; the same heading is not.
        assert_eq!(key(&a, "第一条 为了规范。"), key(&b, "第一条 为了规范。"));
        assert_ne!(key(&a, "第一章 总则"), key(&b, "第一章 总则"));
        let repeated = split_text("标题\n一、总体要求\n正文。\n一、总体要求\n", false);
        assert_ne!(repeated.passages[1].dup_key, repeated.passages[3].dup_key);
    }

    #[test]
    fn title_falls_back_to_file_name() {
        let long = "长".repeat(200);
        assert_eq!(split_text(&long, false).title, "文件");
    }

    fn title_of(path: &str, text: &str) -> String {
        split_at(path, text, false).title
    }

    #[test]
    fn file_name_titles_write_notes_and_spaces_as_titles_do() {
        let name = |n: &str| title_of_file_name(Path::new(n));
        assert_eq!(
            name("12_全面开创社会主义现代化建设的新局面_(十二大).txt"),
            "全面开创社会主义现代化建设的新局面（十二大）"
        );
        assert_eq!(
            name("18_坚定不移沿着中国特色社会主义道路前进_为全面建成小康社会而奋斗_(十八大).txt"),
            "坚定不移沿着中国特色社会主义道路前进 为全面建成小康社会而奋斗（十八大）"
        );
        assert_eq!(name("个体工商户条例(2016).txt"), "个体工商户条例");
    }

    #[test]
    fn spaced_out_headings_are_found_by_their_words() {
        assert_eq!(close_cjk_gaps("第一章 总  则"), "第一章 总则");
        assert_eq!(close_cjk_gaps("第八章　附　则"), "第八章 附则");
        assert_eq!(close_cjk_gaps("一、 总体要求"), "一、 总体要求");
        assert_eq!(close_cjk_gaps("Part 1 General"), "Part 1 General");
        let doc = split_text(
            "标题\n第一章 总  则\n第一条 为了规范。\n第二条 适用。\n",
            false,
        );
        assert_eq!(doc.passages[1].text, "第一章 总则");
        assert_eq!(doc.passages[2].heading, ["第一章 总则", "第一条"]);
    }

    #[test]
    fn a_title_on_two_lines_above_its_subtitle_is_whole() {
        let text = "决胜全面建成小康社会\n为夺取新时代中国特色社会主义伟大胜利\n——在中国共产党第十九次全国代表大会上的报告\n（2017年10月18日）\n同志们：\n";
        assert_eq!(
            title_of("19_报告.txt", text),
            "决胜全面建成小康社会 为夺取新时代中国特色社会主义伟大胜利"
        );
        // A label line (来源：…) is not the title's second half.
        assert_eq!(
            title_of(
                "a.docx",
                "2025年云南省政府工作报告\n来源：北京日报\n——2025年1月在云南省第十四届人民代表大会上\n"
            ),
            "2025年云南省政府工作报告"
        );
        // Without a subtitle under them, two lines are a title and a first line.
        assert_eq!(
            title_of(
                "a.txt",
                "数据安全管理办法\n第一章 总则\n第一条 为了规范。\n"
            ),
            "数据安全管理办法"
        );
    }

    #[test]
    fn a_title_wrapped_before_its_last_characters_is_whole() {
        let report = "2017_2017年中华人民共和国国务院政府工作报告.txt";
        let text =
            "\u{200b}\n\n政府工作报\n告\n\n——2017年3月5日在第十二届全国人民代表大会第五次会议上\n";
        assert_eq!(title_of(report, text), "政府工作报告");
        // A short line after a whole title is not part of it.
        assert_eq!(
            title_of("a.txt", "个体工商户条例\n总则\n第一条 为了保护。\n"),
            "个体工商户条例"
        );
    }

    #[test]
    fn an_address_is_not_a_title() {
        let report = "chinese-political-corpora/gov-work-reports/1954_1954年中华人民共和国国务院政府工作报告.txt";
        let body = "\n\n我們第一届全國人民代表大會第一次會議，在聽了劉少奇同志\n";
        for address in [
            "各位代表：",
            "各位代表:",
            "各位代表：\u{200d}",
            "各位代表！",
            "同志们！",
        ] {
            assert_eq!(
                title_of(report, &format!("{address}{body}")),
                "1954年中华人民共和国国务院政府工作报告",
                "{address}"
            );
        }
        assert_eq!(
            title_of(
                "通知.txt",
                "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n现将有关事项通知如下。"
            ),
            "通知"
        );
        assert_eq!(
            title_of(
                "cpc-congress-reports/12_全面开创社会主义现代化建设的新局面_(十二大).txt",
                "同志们：\n\n现在，我代表中国共产党第十一届中央委员会，向党的第十二次全国代表大会作报告。"
            ),
            "全面开创社会主义现代化建设的新局面（十二大）"
        );
        assert_eq!(
            title_of("中外合作经营企业法实施细则(2014).txt", "各位代表："),
            "中外合作经营企业法实施细则"
        );
    }

    #[test]
    fn a_heading_or_a_note_in_brackets_is_not_a_title() {
        // The 2006 report without its opening sentence starts at its first outline heading.
        let report = "2006_2006年中华人民共和国国务院政府工作报告.txt";
        let from_name = "2006年中华人民共和国国务院政府工作报告";
        for opening in [
            "一、去年工作回顾\n\n2005年，我国社会主义现代化事业取得显著成就。",
            "（一）着力解决经济运行中的突出问题。\n继续搞好宏观调控。",
            "1. 推动产业链供应链优化升级\n优化产业布局。",
            "(譯自《人民日報》)\n我們第一届全國人民代表大會第一次會議，在聽了劉少奇同志",
            "（2006年3月5日在第十届全国人民代表大会第四次会议上）\n各位代表：",
        ] {
            assert_eq!(title_of(report, opening), from_name, "{opening}");
        }
        assert_eq!(
            title_of(
                "个体工商户条例(2016).txt",
                "第一章　总　则\n第一条 为了保护。\n第二条 有经营能力。"
            ),
            "个体工商户条例"
        );
        // A title holding a note in brackets is still a title.
        assert_eq!(
            title_of(
                "a.txt",
                "个人信息出境认证办法（征求意见稿）\n第一条 为了规范。"
            ),
            "个人信息出境认证办法（征求意见稿）"
        );
    }

    #[test]
    fn spaces_in_a_row_in_a_title_are_one() {
        // LCD-laws: the first line repeats the file name, laid out with two spaces.
        let name =
            "最高人民法院  最高人民检察院关于当前办理盗掘墓葬案件具体应用法律问题的通知(1988).txt";
        let text = "最高人民法院  最高人民检察院关于当前办理盗掘墓葬案件具体应用法律问题的通知(1988)\n最高人民法院、最高人民检察院关于当前办理盗掘墓葬案件具体应用法律问题的通知\n";
        assert_eq!(
            title_of(name, text),
            "最高人民法院 最高人民检察院关于当前办理盗掘墓葬案件具体应用法律问题的通知"
        );
        // LawRefBook: the markdown heading.
        let md = split_at(
            "最高人民法院  最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释(2023-05-24).md",
            "# 最高人民法院  最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释\n\n最高人民法院 最高人民检察院\n",
            true,
        );
        assert_eq!(
            md.title,
            "最高人民法院 最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释"
        );
        // From the file name alone, and with a full-width space.
        assert_eq!(
            title_of(
                "最高人民法院  司法部关于涉港公证文书效力问题的通知(1996).txt",
                "各位代表："
            ),
            "最高人民法院 司法部关于涉港公证文书效力问题的通知"
        );
        assert_eq!(
            squeeze_space_runs("国务院　 办公厅 关于"),
            "国务院 办公厅 关于"
        );
    }

    #[test]
    fn an_opening_sentence_is_not_a_title() {
        let resolution = "第十四届全国人民代表大会第二次会议关于政府工作报告的决议.txt";
        // The first line breaks where the source linked to the report.
        let cut = "第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的\n政府工作报告\n。会议充分肯定国务院过去一年的工作，决定批准这个报告。";
        assert_eq!(
            title_of(resolution, cut),
            "第十四届全国人民代表大会第二次会议关于政府工作报告的决议"
        );
        let whole = "各位代表，现在，我代表国务院，作政府工作报告，请予审议，并请全国政协各位委员提出意见。\n";
        assert_eq!(
            title_of("2006_2006年中华人民共和国国务院政府工作报告.txt", whole),
            "2006年中华人民共和国国务院政府工作报告"
        );
        let titled = "第十三届全国人民代表大会第三次会议关于政府工作报告的决议\n（2020年5月28日第十三届全国人民代表大会第三次会议通过）";
        assert_eq!(
            title_of("x.txt", titled),
            "第十三届全国人民代表大会第三次会议关于政府工作报告的决议"
        );
    }
}
