//! Markdown: decoded like plain text; a YAML front matter block (`---` … `---` on the
//! first lines) goes to the metadata instead of the text.

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
}
