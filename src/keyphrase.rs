//! Text in, key phrases out: jieba's TF-IDF keywords, kept to nouns and noun-like words so
//! that they name what a passage or document is about.

use std::collections::HashMap;
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

/// Candidates kept per passage to build the document's key phrases from.
const CANDIDATES_PER_PASSAGE: usize = 32;

/// The `top` TF-IDF key phrases of `text`, best first.
pub fn extract(text: &str, top: usize) -> Vec<String> {
    weighted(text, top).into_iter().map(|(k, _)| k).collect()
}

/// Key phrases of each passage and of the whole document, tagging every passage once: the
/// document's phrases sum the passages' TF-IDF weights, each weighted by the passage's length
/// (the TF-IDF of a passage divides by its length), instead of tagging the whole text again.
pub fn extract_all(passages: &[&str]) -> (Vec<Vec<String>>, Vec<String>) {
    let mut per_passage = Vec::with_capacity(passages.len());
    let mut document: HashMap<String, f64> = HashMap::new();
    for text in passages {
        let phrases = weighted(text, CANDIDATES_PER_PASSAGE);
        let length = text.len() as f64;
        per_passage.push(
            phrases
                .iter()
                .take(PER_PASSAGE)
                .map(|(k, _)| k.clone())
                .collect(),
        );
        for (k, w) in phrases {
            *document.entry(k).or_default() += w * length;
        }
    }
    let mut ranked: Vec<(String, f64)> = document.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let document = ranked
        .into_iter()
        .take(PER_DOCUMENT)
        .map(|(k, _)| k)
        .collect();
    (per_passage, document)
}

/// Up to `top` key phrases of `text` with their TF-IDF weights, best first.
fn weighted(text: &str, top: usize) -> Vec<(String, f64)> {
    let allowed = ALLOWED_TAGS.iter().map(|t| t.to_string()).collect();
    TFIDF
        .extract_keywords(&JIEBA_DICT, text, top, allowed)
        .into_iter()
        .filter(|k| {
            k.keyword.chars().count() >= 2 && !k.keyword.chars().all(|c| c.is_ascii_digit())
        })
        .map(|k| (k.keyword, k.weight))
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

    #[test]
    fn document_phrases_come_from_its_passages() {
        let passages = [
            "参与世界贸易组织改革，维护以世界贸易组织为核心的多边贸易体制。",
            "推动世界贸易组织争端解决机制正常运转。",
            "加强知识产权保护。",
        ];
        let (each, document) = extract_all(&passages);
        assert_eq!(each.len(), 3);
        assert!(each.iter().all(|p| p.len() <= PER_PASSAGE));
        assert_eq!(document.first().map(String::as_str), Some("世界贸易组织"));
        assert!(document.len() <= PER_DOCUMENT);
    }
}
