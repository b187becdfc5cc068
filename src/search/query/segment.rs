//! The words a query word is scored with: jieba's search mode (without its HMM) over a
//! dictionary made of the word's own substrings that the index holds as words in the fields
//! words are scored in (headings, key phrases, titles), each weighted by how many documents
//! of the index hold it there. So no full dictionary loads on the query path, and every word
//! found is one the index holds.
//!
//! The segmentation is jieba-rs's (`Jieba::cut_for_search(word, false)`) written out for a
//! dictionary of a few dozen entries: building a `Jieba` per query word cost more than the
//! search (its empty dictionary alone is a 512 KiB table to allocate and clear). A property
//! test holds the two to the same words.

use std::collections::HashMap;

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Longest substring of a query word looked up as a word.
const MAX_WORD_CHARS: usize = 12;

/// Looks a query word's substrings up in the index's word fields.
pub struct QuerySegmenter<'a> {
    searcher: &'a Searcher,
    fields: Vec<Field>,
}

impl<'a> QuerySegmenter<'a> {
    pub fn new(searcher: &'a Searcher, fields: impl IntoIterator<Item = Field>) -> Self {
        QuerySegmenter {
            searcher,
            fields: fields.into_iter().collect(),
        }
    }

    /// Search-mode words of a normalised query word, each known to the index, sorted.
    pub fn cut(&mut self, word: &str) -> Vec<String> {
        let dictionary = self.dictionary(word);
        let mut words: Vec<String> = cut_for_search(word, &dictionary)
            .into_iter()
            .filter(|w| dictionary.contains_key(w))
            .map(str::to_string)
            .collect();
        words.sort();
        words.dedup();
        words
    }

    /// The substrings of `word` (up to [`MAX_WORD_CHARS`], not starting or ending with a
    /// space) that the index holds, by the number of documents (passages, headers) holding
    /// each in any of the fields.
    fn dictionary<'w>(&self, word: &'w str) -> HashMap<&'w str, u64> {
        let mut dictionary = HashMap::new();
        for (sub, _) in substrings(word) {
            if sub.trim() != sub || dictionary.contains_key(sub) {
                continue;
            }
            let freq: u64 = self
                .fields
                .iter()
                .map(|&field| {
                    self.searcher
                        .doc_freq(&Term::from_field_text(field, sub))
                        .unwrap_or(0)
                })
                .sum();
            if freq > 0 {
                dictionary.insert(sub, freq);
            }
        }
        dictionary
    }
}

/// Every substring of `word` of 1 to [`MAX_WORD_CHARS`] characters, with its length in
/// characters.
fn substrings(word: &str) -> impl Iterator<Item = (&str, usize)> {
    let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let at = move |k: usize| starts.get(k).copied().unwrap_or(word.len());
    let n = word.chars().count();
    (0..n).flat_map(move |i| {
        let at = at.clone();
        (i + 1..=n.min(i + MAX_WORD_CHARS)).map(move |j| (&word[at(i)..at(j)], j - i))
    })
}

/// jieba's search mode without HMM over `dictionary`: each block of CJK, Latin letters,
/// digits and `+#&._%-` cut along the likeliest route of dictionary words (a run of single
/// Latin letters and digits joined), then each word of more than 2 (3) characters followed
/// by its 2- (3-) character parts that are words, and parts of a compound joined by `.`,
/// `_` or `-`; any other character alone.
fn cut_for_search<'a>(sentence: &'a str, dictionary: &HashMap<&str, u64>) -> Vec<&'a str> {
    let log_total = (dictionary.values().sum::<u64>() as f64).ln();
    let mut out = Vec::new();
    for (block, han) in blocks(sentence) {
        if han {
            cut_block(block, dictionary, log_total, &mut out);
        } else {
            out.extend(single_characters(block));
        }
    }
    out
}

/// The maximal runs of `sentence` whose characters are, or are not, of jieba's default
/// class, with which.
fn blocks(sentence: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = sentence;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let han = is_han_default(first);
        let end = rest
            .char_indices()
            .find(|&(_, c)| is_han_default(c) != han)
            .map_or(rest.len(), |(i, _)| i);
        let (block, tail) = rest.split_at(end);
        rest = tail;
        Some((block, han))
    })
}

fn is_han_default(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2B73F}'
        | '\u{2B740}'..='\u{2B81F}'
        | '\u{2B820}'..='\u{2CEAF}'
        | '\u{2CEB0}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
        | 'a'..='z' | 'A'..='Z' | '0'..='9'
        | '+' | '#' | '&' | '.' | '_' | '%' | '-')
}

/// Each character of a block outside the class, `\r\n` as one.
fn single_characters(block: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = block;
    while let Some(c) = rest.chars().next() {
        let len = if rest.starts_with("\r\n") {
            2
        } else {
            c.len_utf8()
        };
        out.push(&rest[..len]);
        rest = &rest[len..];
    }
    out
}

fn cut_block<'a>(
    block: &'a str,
    dictionary: &HashMap<&str, u64>,
    log_total: f64,
    out: &mut Vec<&'a str>,
) {
    let chars: Vec<(usize, char)> = block.char_indices().collect();
    let at = |k: usize| chars.get(k).map_or(block.len(), |c| c.0);
    let freq = |s: usize, e: usize| dictionary.get(&block[at(s)..at(e)]).copied();
    for (s, e) in route_words(&chars, &freq, log_total) {
        let token = &block[at(s)..at(e)];
        if token.contains(['.', '_', '-']) {
            out.extend(
                token.split(['.', '_', '-']).filter(|part| {
                    part.len() >= 2 && part.bytes().any(|b| b.is_ascii_alphabetic())
                }),
            );
        }
        for len in [2, 3] {
            if e - s > len {
                for i in s..=e - len {
                    if freq(i, i + len).is_some() {
                        out.push(&block[at(i)..at(i + len)]);
                    }
                }
            }
        }
        out.push(token);
    }
}

/// The words (as character ranges) of the likeliest route through the block: the one whose
/// words' log frequencies, less the log of the dictionary's total for each word, sum highest
/// (the longer last word on a tie); a character starting no word stands alone. Single Latin
/// letters and digits in a row are joined into one word.
fn route_words(
    chars: &[(usize, char)],
    freq: &impl Fn(usize, usize) -> Option<u64>,
    log_total: f64,
) -> Vec<(usize, usize)> {
    let n = chars.len();
    let mut route = vec![(0.0f64, n); n + 1];
    for idx in (0..n).rev() {
        let mut best: Option<(f64, usize)> = None;
        let ends = idx + 1..=n.min(idx + MAX_WORD_CHARS);
        for (end, &(after, _)) in ends.clone().zip(&route[ends]) {
            let Some(f) = freq(idx, end) else { continue };
            let prob = (f as f64).ln() - log_total + after;
            if best.is_none_or(|(p, e)| prob > p || (prob == p && end > e)) {
                best = Some((prob, end));
            }
        }
        route[idx] = best.unwrap_or((0.0 - log_total + route[idx + 1].0, idx + 1));
    }
    let mut words = Vec::new();
    let (mut x, mut run) = (0, None);
    while x < n {
        let y = route[x].1;
        if y - x == 1 && chars[x].1.is_ascii_alphanumeric() {
            run.get_or_insert(x);
        } else {
            if let Some(start) = run.take() {
                words.push((start, x));
            }
            words.push((x, y));
        }
        x = y;
    }
    if let Some(start) = run {
        words.push((start, n));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use jieba_rs::Jieba;
    use proptest::prelude::*;

    /// jieba-rs itself over the same dictionary.
    fn jieba_words<'a>(word: &'a str, dictionary: &HashMap<&str, u64>) -> Vec<&'a str> {
        let mut jieba = Jieba::empty();
        for (sub, &freq) in dictionary {
            jieba.add_word(sub, Some(freq as usize), None);
        }
        jieba
            .cut_for_search(word, false)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// A dictionary of some of the word's substrings, with frequencies from `seed`.
    fn some_substrings<'a>(word: &'a str, seed: &[u64]) -> HashMap<&'a str, u64> {
        let mut dictionary = HashMap::new();
        for (k, (sub, _)) in substrings(word).enumerate() {
            let f = seed[k % seed.len()];
            if !f.is_multiple_of(3) && sub.trim() == sub {
                dictionary.insert(sub, f);
            }
        }
        dictionary
    }

    proptest! {
        #[test]
        fn cuts_as_jieba_does(
            word in "[数据安全保护法个人信息国务院第一二条 ab1.\\-〔〕]{0,16}",
            seed in proptest::collection::vec(1u64..5000, 1..20),
        ) {
            let dictionary = some_substrings(&word, &seed);
            prop_assert_eq!(cut_for_search(&word, &dictionary), jieba_words(&word, &dictionary));
        }
    }

    #[test]
    fn cuts_a_law_title_into_its_words() {
        let title = "个人信息保护法";
        let dictionary: HashMap<&str, u64> = [
            ("个人", 900),
            ("信息", 1200),
            ("个人信息", 400),
            ("保护", 1500),
            ("保护法", 60),
            ("护法", 3),
        ]
        .into();
        assert_eq!(
            cut_for_search(title, &dictionary),
            jieba_words(title, &dictionary)
        );
        // 保护法 with its parts that are words (护法), after the likeliest route.
        assert_eq!(
            cut_for_search(title, &dictionary),
            ["个人", "信息", "个人信息", "保护", "护法", "保护法"]
        );
    }
}
