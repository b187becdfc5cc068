//! Text in, key phrases out: jieba's TF-IDF keywords, kept to nouns and noun-like words so
//! that they name what a passage or document is about.

use std::cell::RefCell;
use std::sync::LazyLock;

use jieba_rs::{KeywordExtract, TfIdf};
use rustc_hash::FxHashMap;

use crate::analysis::{self, JIEBA_DICT, Segmented};

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

/// Words every policy text is full of, which jieba's general IDF table weighs as if they
/// said something: a key phrase of 本法 or 规定 names nothing.
const POLICY_STOP_WORDS: &[&str] = &[
    "规定",
    "有关",
    "本法",
    "本条例",
    "本办法",
    "本细则",
    "本规定",
    "本决定",
    "之日起",
    "情况",
    "工作",
    "方面",
    "问题",
];

/// Whether a word jieba tagged `tag` may be a key phrase: the `keep` of
/// [`analysis::segment`] for texts key phrases are drawn from.
pub fn is_candidate(word: &str, tag: &str) -> bool {
    ALLOWED_TAGS.contains(&tag)
        && word.chars().nth(1).is_some()
        && !word.chars().all(|c| c.is_ascii_digit())
        && !POLICY_STOP_WORDS.contains(&word)
}

/// The `top` TF-IDF key phrases of `text`, best first.
pub fn extract(text: &str, top: usize) -> Vec<String> {
    let segmented = analysis::segment(text, is_candidate);
    weighted(text, &segmented, top)
        .into_iter()
        .map(|c| c.original.to_string())
        .collect()
}

/// Key phrases of each passage and of the whole document, from the passages as written and
/// as [`analysis::segment`]ed with [`is_candidate`]: the document's phrases sum the
/// passages' TF-IDF weights, each weighted by the passage's length (the TF-IDF of a passage
/// divides by its length), instead of weighing the whole text again.
pub fn extract_all(passages: &[(&str, &Segmented)]) -> (Vec<Vec<String>>, Vec<String>) {
    let mut per_passage = Vec::with_capacity(passages.len());
    // By normalised phrase: summed weight and the phrase as first written.
    let mut document: FxHashMap<&str, (f64, &str)> = FxHashMap::default();
    for &(text, segmented) in passages {
        let phrases = weighted(text, segmented, CANDIDATES_PER_PASSAGE);
        let length = text.len() as f64;
        per_passage.push(
            phrases
                .iter()
                .take(PER_PASSAGE)
                .map(|c| c.original.to_string())
                .collect(),
        );
        for c in phrases {
            document.entry(c.normalized).or_insert((0.0, c.original)).0 += c.weight * length;
        }
    }
    let mut ranked: Vec<(&str, (f64, &str))> = document.into_iter().collect();
    ranked.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then_with(|| a.0.cmp(b.0)));
    let document = ranked
        .into_iter()
        .take(PER_DOCUMENT)
        .map(|(_, (_, original))| original.to_string())
        .collect();
    (per_passage, document)
}

struct Candidate<'a> {
    normalized: &'a str,
    original: &'a str,
    weight: f64,
}

/// Up to `top` key phrases of a passage with their TF-IDF weights, best first; as jieba's
/// TF-IDF extraction (without HMM) weighs them, over the words segmenting `text` kept.
fn weighted<'a>(text: &'a str, segmented: &'a Segmented, top: usize) -> Vec<Candidate<'a>> {
    // By normalised word: count, IDF, and the word as first written.
    let mut counts: FxHashMap<&str, (u32, f64, &str)> = FxHashMap::default();
    let mut total = 0u32;
    for k in &segmented.kept {
        let word = &segmented.normalized[k.normalized.clone()];
        if let Some(count) = counts.get_mut(word) {
            count.0 += 1;
            total += 1;
        } else if let Some(idf) = idf(word) {
            counts.insert(word, (1, idf, &text[k.original.clone()]));
            total += 1;
        }
    }
    let mut ranked: Vec<Candidate> = counts
        .into_iter()
        .map(|(word, (count, idf, original))| Candidate {
            normalized: word,
            original,
            weight: f64::from(count) * idf / f64::from(total),
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.normalized.cmp(b.normalized))
    });
    ranked.truncate(top);
    ranked
}

thread_local! {
    /// IDF of each word met so far, `None` for words that are never key phrases.
    static IDF: RefCell<FxHashMap<Box<str>, Option<f64>>> = RefCell::new(FxHashMap::default());
}

/// jieba's IDF of a word (the median IDF for words its table lacks), or `None` for a stop
/// word or a Chinese word outside the dictionary (found by HMM, which key phrases do without,
/// as jieba's TF-IDF does). jieba-rs keeps its IDF table private; a word's IDF is the TF-IDF weight jieba gives
/// the word standing alone (term frequency 1 of 1), computed once per word and thread.
fn idf(word: &str) -> Option<f64> {
    IDF.with(|cache| {
        if let Some(&known) = cache.borrow().get(word) {
            return known;
        }
        let idf = if JIEBA_DICT.has_word(word) || !word.chars().any(analysis::is_cjk) {
            TFIDF
                .extract_keywords(&JIEBA_DICT, word, 1, Vec::new())
                .into_iter()
                .next()
                .filter(|k| k.keyword == word)
                .map(|k| k.weight)
        } else {
            None
        };
        cache.borrow_mut().insert(word.into(), idf);
        idf
    })
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
    fn weighs_as_jieba_does() {
        let allowed: Vec<String> = ALLOWED_TAGS.iter().map(|t| t.to_string()).collect();
        for text in [
            "参与世界贸易组织改革，要坚定维护以世界贸易组织为核心的多边贸易体制权威性和有效性。",
            "第二十一条 个人信息处理者委托处理个人信息的，应当与受托人约定委托处理的目的、期限、处理方式、个人信息的种类、保护措施以及双方的权利和义务，并对受托人的个人信息处理活动进行监督。",
            "国务院关于促进乡村产业振兴的指导意见：各省、自治区、直辖市人民政府，国务院各部委、各直属机构：产业兴旺是乡村振兴的重要基础。",
        ] {
            let jieba: Vec<String> = TFIDF
                .extract_keywords(&JIEBA_DICT, text, 5, allowed.clone())
                .into_iter()
                .map(|k| k.keyword)
                .collect();
            assert_eq!(extract(text, 5), jieba, "{text}");
        }
    }

    #[test]
    fn phrases_are_shown_as_written() {
        let text = "積極參與世界貿易組織改革，維護世界貿易組織爭端解決機制。";
        let phrases = extract(text, 5);
        assert_eq!(phrases.first().map(String::as_str), Some("世界貿易組織"));
        assert!(
            phrases.iter().all(|p| text.contains(p.as_str())),
            "{phrases:?}"
        );
    }

    #[test]
    fn words_every_policy_text_uses_are_not_key_phrases() {
        let text = "第四十二条 违反本法规定，有关部门未按照规定履行个人信息保护职责的，对直接负责的主管人员依法给予处分。本法自公布之日起施行。";
        let phrases = extract(text, 10);
        assert!(phrases.iter().any(|p| p == "个人信息"), "{phrases:?}");
        for word in ["规定", "本法", "之日起", "有关"] {
            assert!(!phrases.iter().any(|p| p == word), "{word}: {phrases:?}");
        }
    }

    #[test]
    fn document_phrases_come_from_its_passages() {
        let passages = [
            "参与世界贸易组织改革，维护以世界贸易组织为核心的多边贸易体制。",
            "推动世界贸易组织争端解决机制正常运转。",
            "加强知识产权保护。",
        ];
        let segmented: Vec<Segmented> = passages
            .iter()
            .map(|p| analysis::segment(p, is_candidate))
            .collect();
        let pairs: Vec<(&str, &Segmented)> = passages.iter().copied().zip(&segmented).collect();
        let (each, document) = extract_all(&pairs);
        assert_eq!(each.len(), 3);
        assert!(each.iter().all(|p| p.len() <= PER_PASSAGE));
        assert_eq!(document.first().map(String::as_str), Some("世界贸易组织"));
        assert!(document.len() <= PER_DOCUMENT);
    }
}
