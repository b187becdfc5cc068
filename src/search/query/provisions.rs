//! Provisions as lawyers write them: 第46条 is 第四十六条 (and 款, 项, 章, 节, 编 alike), a
//! law's name glued to an article (行政许可法第四十六条) is two words, and a pasted citation
//! (《中华人民共和国行政许可法》（2019年修正）第四十六条) names the law by its short title.

use super::parse::Node;
use crate::analysis::numerals::{chinese_number, is_numeral, to_chinese};
use crate::ingest::meta::short_title;

/// The units a 第N numbers.
const UNITS: &str = "条款项章节编";

/// The tree with each unquoted word that names a document and a provision split into the
/// two, and nested conjunctions flattened (so that every word of a conjunction is seen
/// together).
pub fn rewrite(node: Node) -> Node {
    match node {
        Node::Text {
            text,
            quoted: false,
        } => match split_reference(&text) {
            Some(parts) => Node::And(
                parts
                    .into_iter()
                    .map(|text| Node::Text {
                        text,
                        quoted: false,
                    })
                    .collect(),
            ),
            None => Node::Text {
                text,
                quoted: false,
            },
        },
        Node::And(children) => {
            let mut flat = Vec::with_capacity(children.len());
            for child in children.into_iter().map(rewrite) {
                match child {
                    Node::And(grand) => flat.extend(grand),
                    other => flat.push(other),
                }
            }
            Node::And(flat)
        }
        Node::Or(children) => Node::Or(children.into_iter().map(rewrite).collect()),
        Node::Not(child) => Node::Not(Box::new(rewrite(*child))),
        other => other,
    }
}

/// A word naming a document and something in it: `《title》rest` → [short title, rest];
/// `行政许可法第四十六条` → [行政许可法, 第四十六条]. None for any other word.
fn split_reference(text: &str) -> Option<Vec<String>> {
    if let Some(open) = text.find('《')
        && let Some(len) = text[open..].find('》')
    {
        let close = open + len;
        let title = short_title(&text[open + '《'.len_utf8()..close]);
        if title.is_empty() {
            return None;
        }
        let after = without_version_note(&text[close + '》'.len_utf8()..]);
        let rest = format!("{}{}", &text[..open], after);
        let rest = rest.trim();
        let mut parts = vec![title];
        if !rest.is_empty() {
            parts.push(rest.to_string());
        }
        return Some(parts);
    }
    let (start, _) = provisions(text).into_iter().next()?;
    let prefix = text[..start].trim();
    let names_a_text = prefix.chars().count() >= 2
        && !prefix.starts_with('本')
        && prefix.ends_with(|c: char| TITLE_ENDS.contains(c))
        && provisions(prefix).is_empty();
    names_a_text.then(|| vec![prefix.to_string(), text[start..].to_string()])
}

/// Last characters of the names of texts that have articles (…法, …法典, …条例, …规定, …细则,
/// …解释, …办法, …决定, …章程 …): a word is split before its 第N条 only after such a name, so
/// that any other word (六条第一款, 根据第六条, 本法第六条) is found as written, as grep finds it.
const TITLE_ENDS: &str = "法典例定则规释见知令要划案程准约";

/// `〔2019年修正〕第四十六条` → `第四十六条`: a version note after a pasted title says which
/// text, which every version of the law answers.
fn without_version_note(text: &str) -> &str {
    let t = text.trim_start();
    if let Some(inner) = t.strip_prefix('〔')
        && let Some(end) = inner.find('〕')
        && inner[..end].chars().any(|c| c.is_ascii_digit())
    {
        return &inner[end + '〕'.len_utf8()..];
    }
    t
}

/// The byte ranges of each `第N<unit>` in `text`, N in digits or Chinese numerals.
fn provisions(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (start, _) in text.match_indices('第') {
        let rest = &text[start + '第'.len_utf8()..];
        let digits: usize = rest
            .chars()
            .take_while(|&c| is_numeral(c))
            .map(char::len_utf8)
            .sum();
        if digits > 0
            && let Some(unit) = rest[digits..].chars().next()
            && UNITS.contains(unit)
        {
            found.push((start, start + '第'.len_utf8() + digits + unit.len_utf8()));
        }
    }
    found
}

/// `text` with every provision number written the other way too: 第46条 → 第四十六条,
/// 第四十六条 → 第46条. Empty when it holds none, or only numbers that cannot be converted.
pub fn number_variants(text: &str) -> Vec<String> {
    let spans = provisions(text);
    if spans.is_empty() {
        return Vec::new();
    }
    let mut chinese = String::with_capacity(text.len());
    let mut arabic = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        let label = &text[start..end];
        let number = &label['第'.len_utf8()..label.len() - 3];
        let unit = &label[label.len() - 3..];
        let n = match number.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => chinese_number(number),
        };
        let (Some(n), Some(han)) = (n, n.and_then(to_chinese)) else {
            return Vec::new();
        };
        for out in [&mut chinese, &mut arabic] {
            out.push_str(&text[at..start]);
        }
        chinese.push_str(&format!("第{han}{unit}"));
        arabic.push_str(&format!("第{n}{unit}"));
        at = end;
    }
    chinese.push_str(&text[at..]);
    arabic.push_str(&text[at..]);
    let mut variants = Vec::new();
    for v in [chinese, arabic] {
        if v != text && !variants.contains(&v) {
            variants.push(v);
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(node: &Node) -> Vec<String> {
        match node {
            Node::Text { text, .. } => vec![text.clone()],
            Node::And(c) => c.iter().flat_map(words).collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    fn rewritten(text: &str) -> Vec<String> {
        words(&rewrite(Node::Text {
            text: text.to_string(),
            quoted: false,
        }))
    }

    #[test]
    fn articles_are_numbered_both_ways() {
        assert_eq!(number_variants("第46条"), ["第四十六条"]);
        assert_eq!(number_variants("第四十六条"), ["第46条"]);
        assert_eq!(
            number_variants("依照第1254条第2款"),
            ["依照第一千二百五十四条第二款"]
        );
        assert_eq!(number_variants("第七章"), ["第7章"]);
        assert!(number_variants("第一次会议").is_empty());
        assert!(number_variants("数据").is_empty());
    }

    #[test]
    fn only_a_name_of_a_text_is_split_from_its_article() {
        for word in ["六条第一款", "根据第六条", "第六条第一款", "本法第四十六条"]
        {
            assert_eq!(rewritten(word), [word], "{word}");
        }
        assert_eq!(
            rewritten("民法典第1165条第一款"),
            ["民法典", "第1165条第一款"]
        );
        assert_eq!(rewritten("城乡规划法第六条"), ["城乡规划法", "第六条"]);
    }

    #[test]
    fn a_law_glued_to_an_article_is_two_words() {
        assert_eq!(rewritten("行政许可法第46条"), ["行政许可法", "第46条"]);
        assert_eq!(
            rewritten("行政许可法第四十六条"),
            ["行政许可法", "第四十六条"]
        );
        assert_eq!(rewritten("第46条"), ["第46条"]);
        assert_eq!(rewritten("本第46条"), ["本第46条"]);
    }

    #[test]
    fn a_pasted_citation_names_the_law_by_its_short_title() {
        assert_eq!(
            rewritten("《中华人民共和国行政许可法》第四十六条"),
            ["行政许可法", "第四十六条"]
        );
        assert_eq!(
            rewritten("《中华人民共和国个人所得税法》〔2018年修正〕第六条"),
            ["个人所得税法", "第六条"]
        );
        assert_eq!(rewritten("《数据安全法》"), ["数据安全法"]);
    }
}
