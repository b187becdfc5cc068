//! Markdown: decoded like plain text; a YAML front matter block (`---` … `---` on the
//! first lines) goes to the metadata instead of the text; links are reduced to their text,
//! and a table of contents (lines that are only links to the document's own anchors) is
//! left out, as it repeats the headings.

use std::path::Path;

use anyhow::Result;

use super::decode::Decoded;
use super::{Extracted, text};

/// Front matter longer than this is taken for a `---` rule, not front matter.
const MAX_FRONT_MATTER_LINES: usize = 200;

pub fn extract(path: &Path) -> Result<Extracted> {
    Ok(from_decoded(text::read_text(path)?))
}

/// A markdown document from its decoded text.
pub fn from_decoded(decoded: Decoded) -> Extracted {
    let mut text = decoded.text;
    let metadata = take_front_matter(&mut text);
    let text = without_links(&text);
    Extracted {
        text,
        markdown: true,
        metadata,
        replaced: decoded.replaced,
    }
}

/// Parses and blanks the front matter of `text`. Each of its lines becomes an empty line, so
/// line numbers still match the file. Only the flat YAML that front matter uses is read:
/// `key: value`, `key:` followed by `  - item` lines (one pair per item) or by indented
/// `sub: value` lines (key `key.sub`). Values are kept raw, minus surrounding quotes.
fn take_front_matter(text: &mut String) -> Vec<(String, String)> {
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return Vec::new();
    }
    let mut end = None;
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let body_start = offset;
    for (n, line) in lines.enumerate() {
        if n >= MAX_FRONT_MATTER_LINES {
            break;
        }
        let next = offset + line.len();
        if matches!(line.trim_end(), "---" | "...") {
            end = Some((offset, next));
            break;
        }
        offset = next;
    }
    let Some((body_end, block_end)) = end else {
        return Vec::new();
    };
    let metadata = parse_yaml_block(&text[body_start..body_end]);
    let blank: String = text[..block_end].chars().filter(|&c| c == '\n').collect();
    text.replace_range(..block_end, &blank);
    metadata
}

fn parse_yaml_block(block: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut parent: Option<String> = None;
    for line in block.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if let (true, Some(key)) = (indented, &parent) {
            if let Some(item) = trimmed.strip_prefix("- ") {
                pairs.push((key.clone(), unquote(item)));
            } else if let Some((sub, value)) = trimmed.split_once(':') {
                pairs.push((format!("{key}.{}", sub.trim()), unquote(value)));
            }
            continue;
        }
        parent = None;
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let key = key.trim().to_string();
        let value = value.trim();
        if value.is_empty() {
            parent = Some(key);
        } else if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            // Flow list: `tags: [a, b]`.
            for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                pairs.push((key.clone(), unquote(item)));
            }
        } else {
            pairs.push((key, unquote(value)));
        }
    }
    pairs
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    value.to_string()
}

/// `text` with each `[label](target)` (and image `![label](target)`) written as its label (or
/// its target when the label is empty), and each table-of-contents line (only links to
/// `#anchors`, perhaps as a list item) emptied, so line numbers stay.
fn without_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if is_table_of_contents(body) {
            out.push_str(&line[body.len()..]);
            continue;
        }
        out.push_str(&link_labels(body));
        out.push_str(&line[body.len()..]);
    }
    out
}

/// The links of a line: (start, end, label, target) in byte offsets of the line.
fn links(line: &str) -> Vec<(usize, usize, &str, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = line[from..].find('[').map(|i| i + from) {
        let Some(close) = line[open..].find("](").map(|i| i + open) else {
            break;
        };
        let Some(end) = line[close + 2..].find(')').map(|i| i + close + 2) else {
            break;
        };
        let label = &line[open + 1..close];
        if label.contains('[') {
            from = open + 1;
            continue;
        }
        let start = if open > 0 && line.as_bytes()[open - 1] == b'!' {
            open - 1
        } else {
            open
        };
        found.push((start, end + 1, label, &line[close + 2..end]));
        from = end + 1;
    }
    found
}

fn link_labels(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for (start, end, label, target) in links(line) {
        out.push_str(&line[at..start]);
        out.push_str(if label.trim().is_empty() {
            target
        } else {
            label
        });
        at = end;
    }
    out.push_str(&line[at..]);
    out
}

fn is_table_of_contents(line: &str) -> bool {
    let links = links(line);
    if links.is_empty() || links.iter().any(|l| !l.3.starts_with('#')) {
        return false;
    }
    let mut rest = String::new();
    let mut at = 0;
    for (start, end, _, _) in &links {
        rest.push_str(&line[at..*start]);
        at = *end;
    }
    rest.push_str(&line[at..]);
    rest.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '*' | '+' | '|' | '·'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "tests/fixtures/md/政务数据共享条例(2025-05-28).md";

    #[test]
    fn front_matter_goes_to_metadata() {
        let doc = extract(Path::new(FIXTURE)).unwrap();
        let get = |k: &str| -> Vec<&str> {
            doc.metadata
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        assert_eq!(get("title"), ["政务数据共享条例"]);
        assert_eq!(get("status"), ["现行有效"]);
        assert_eq!(get("tags"), ["法律法规", "行政法规"]);
        assert!(!doc.text.contains("synced"));
        assert!(!doc.text.contains("---"));
        // Line numbers still match the file.
        let file = std::fs::read_to_string(FIXTURE).unwrap();
        assert_eq!(doc.text.lines().count(), file.lines().count());
        assert!(
            doc.text
                .lines()
                .nth(10)
                .unwrap()
                .starts_with("# 政务数据共享条例")
        );
        let split = crate::ingest::passage::split(Path::new(FIXTURE), &doc);
        assert_eq!(split.title, "政务数据共享条例");
        // The title heading, the chapter heading, then the first article.
        assert_eq!(split.passages[0].text, "政务数据共享条例");
        assert_eq!(split.passages[1].text, "第一章 总则");
        assert!(split.passages[2].text.starts_with("第一条"));
    }

    #[test]
    fn only_a_leading_block_is_front_matter() {
        let mut text = "# 标题\n---\na: b\n---\n".to_string();
        assert!(take_front_matter(&mut text).is_empty());
        assert_eq!(text, "# 标题\n---\na: b\n---\n");
        let mut text = "---\n正文没有结束\n".to_string();
        assert!(take_front_matter(&mut text).is_empty());
        let mut text = "---\na: '1'\nb: [x, \"y\"]\nc:\n  d: e\n...\n正文\n".to_string();
        assert_eq!(
            take_front_matter(&mut text),
            [
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "x".to_string()),
                ("b".to_string(), "y".to_string()),
                ("c.d".to_string(), "e".to_string()),
            ]
        );
        assert_eq!(text, "\n\n\n\n\n\n正文\n");
    }

    #[test]
    fn links_read_as_their_text_and_tables_of_contents_go() {
        let text = "# 个人信息保护法\n[第一章 总则](#第一章-总则)\n- [第七章 法律责任](#第七章-法律责任)\n\
            见[国务院](https://www.gov.cn/)网站![图](a.png)和[](https://x.cn)。\n[外部](https://a.cn)\n";
        assert_eq!(
            without_links(text),
            "# 个人信息保护法\n\n\n见国务院网站图和https://x.cn。\n外部\n"
        );
    }
}
