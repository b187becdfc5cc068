//! Text in, key phrases out: jieba's TF-IDF keywords, kept to nouns and noun-like words so
//! that they name what a passage or document is about.

use std::sync::LazyLock;

use jieba_rs::{KeywordExtract, TfIdf};

use crate::analysis::JIEBA_DICT;

/// Key phrases stored per passage.
pub const PER_PASSAGE: usize = 5;
/// Key phrases stored per document.
pub const PER_DOCUMENT: usize = 10;

static TFIDF: LazyLock<TfIdf> = LazyLock::new(TfIdf::default);

/// Part-of-speech tags kept: nouns, place and organisation names, verbal nouns, idioms,
/// abbreviations and Latin words.
const ALLOWED_TAGS: &[&str] = &["n", "nr", "ns", "nt", "nz", "vn", "l", "i", "j", "eng"];

/// The `top` TF-IDF key phrases of `text`, best first.
pub fn extract(text: &str, top: usize) -> Vec<String> {
    let allowed = ALLOWED_TAGS.iter().map(|t| t.to_string()).collect();
    TFIDF
        .extract_keywords(&JIEBA_DICT, text, top, allowed)
        .into_iter()
        .map(|k| k.keyword)
        .filter(|k| k.chars().count() >= 2 && !k.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_subject_of_a_passage() {
        let text = "参与世界贸易组织改革，要坚定维护以世界贸易组织为核心的多边贸易体制权威性和有效性，积极推动恢复世界贸易组织争端解决机制正常运转。";
        let phrases = extract(text, 5);
        assert_eq!(phrases.first().map(String::as_str), Some("世界贸易组织"));
        assert!(phrases.len() <= 5);
        assert!(!phrases.iter().any(|p| p == "要" || p == "和"));
    }
}
