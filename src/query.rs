//! The user's query in, a Tantivy query out.
//!
//! Each space-separated word must occur in the passage as a substring (after normalisation):
//! that is the recall clause, a phrase of CJK bigrams over the `grams` field. Jieba words of
//! the query, looked up in the title, heading, text and key-phrase fields, only add to the
//! score.

use anyhow::{Result, bail};
use jieba_rs::Jieba;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::analysis::{Gram, GramKind, gram_tokens, normalize};
use crate::index::Fields;

/// Longest query substring looked up as a candidate word when segmenting the query.
const MAX_WORD_CHARS: usize = 12;
/// How many bigrams a trailing lone character may expand to.
const MAX_PREFIX_EXPANSIONS: u32 = 100_000;

/// Boosts of the scoring fields relative to the passage text.
const BOOST_GRAMS: f32 = 0.5;
const BOOST_TITLE: f32 = 0.6;
const BOOST_HEADING: f32 = 0.6;
const BOOST_KEYPHRASES: f32 = 1.5;
const BOOST_DOC_KEYPHRASES: f32 = 0.4;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The words as typed; every one must match.
    pub words: Vec<String>,
}

/// Splits the query into words. An empty query is an error.
pub fn parse(input: &str) -> Result<Parsed> {
    let words: Vec<String> = input.split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        bail!("empty query: give at least one word to search for");
    }
    for w in &words {
        if gram_tokens(&normalize(w).text).is_empty() {
            bail!("query word {w:?} has no letters, digits or characters to search for");
        }
    }
    Ok(Parsed { words })
}

/// A query ready to run.
pub struct Compiled {
    pub query: Box<dyn Query>,
    /// The normalised words, every one of which a hit contains.
    pub needles: Vec<String>,
    /// Whether the index match only approximates the substring test, so that hits must be
    /// checked against their text.
    pub verify: bool,
}

/// Builds the Tantivy query for `parsed`.
pub fn compile(parsed: &Parsed, fields: &Fields, searcher: &Searcher) -> Result<Compiled> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut needles = Vec::new();
    let mut verify = false;
    let mut segmenter = QuerySegmenter::new(searcher, fields.text);
    for word in &parsed.words {
        let norm = normalize(word).text;
        let grams = gram_tokens(&norm);
        let (recall, approximate) = recall_query(&grams, fields.grams)?;
        verify |= approximate;
        clauses.push((Occur::Must, Box::new(BoostQuery::new(recall, BOOST_GRAMS))));
        for token in segmenter.cut(&norm) {
            for (field, boost) in [
                (fields.text, 1.0),
                (fields.title, BOOST_TITLE),
                (fields.heading, BOOST_HEADING),
                (fields.keyphrases, BOOST_KEYPHRASES),
                (fields.doc_keyphrases, BOOST_DOC_KEYPHRASES),
            ] {
                let term = TermQuery::new(
                    Term::from_field_text(field, &token),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), boost)),
                ));
            }
        }
        needles.push(norm);
    }
    Ok(Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        needles,
        verify,
    })
}

/// The query that finds every passage containing the word whose grams are given, and whether
/// it may also find some that do not (then hits are verified against their text).
fn recall_query(grams: &[Gram], field: Field) -> Result<(Box<dyn Query>, bool)> {
    let term = |g: &Gram| Term::from_field_text(field, &g.text);
    let has_gap = grams.windows(2).any(|w| w[1].position != w[0].position + 1);
    match grams {
        [] => bail!("nothing to search for"),
        [only] if only.kind == GramKind::Unigram => Ok((lone_char(only, field)?, false)),
        [only] => Ok((
            Box::new(TermQuery::new(term(only), IndexRecordOption::WithFreqs)),
            false,
        )),
        // A lone character at the start may end a bigram in the text: require the character
        // and the rest of the phrase, then check the text.
        [first, rest @ ..] if first.kind == GramKind::Unigram => {
            let (rest_query, _) = recall_query(rest, field)?;
            let both = BooleanQuery::new(vec![
                (Occur::Must, lone_char(first, field)?),
                (Occur::Must, rest_query),
            ]);
            Ok((Box::new(both), true))
        }
        [.., last] => {
            let base = grams[0].position;
            let terms: Vec<(usize, Term)> =
                grams.iter().map(|g| (g.position - base, term(g))).collect();
            // A lone character at the end may begin a bigram in the text.
            if last.kind == GramKind::Unigram {
                let mut q = PhrasePrefixQuery::new_with_offset(terms);
                q.set_max_expansions(MAX_PREFIX_EXPANSIONS);
                Ok((Box::new(q), has_gap))
            } else {
                Ok((Box::new(PhraseQuery::new_with_offset(terms)), has_gap))
            }
        }
    }
}

/// Matches every gram holding the character: itself alone, or a bigram it begins or ends.
fn lone_char(gram: &Gram, field: Field) -> Result<Box<dyn Query>> {
    let c = regex_escape(&gram.text);
    Ok(Box::new(RegexQuery::from_pattern(
        &format!("{c}.?|.{c}"),
        field,
    )?))
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~\"@<>".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Segments query words with jieba, using a dictionary made of the query's own substrings that
/// the index knows as words (weighted by document frequency), so that no full dictionary loads
/// on the query path and the words found are ones the index holds.
struct QuerySegmenter<'a> {
    searcher: &'a Searcher,
    field: Field,
}

impl<'a> QuerySegmenter<'a> {
    fn new(searcher: &'a Searcher, field: Field) -> Self {
        QuerySegmenter { searcher, field }
    }

    /// Search-mode words of a normalised query word, each known to the index.
    fn cut(&mut self, word: &str) -> Vec<String> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let mut jieba = Jieba::empty();
        let mut known = Vec::new();
        for i in 0..chars.len() {
            for j in i + 1..=chars.len().min(i + MAX_WORD_CHARS) {
                let start = chars[i].0;
                let end = chars.get(j).map_or(word.len(), |c| c.0);
                let sub = &word[start..end];
                let freq = self
                    .searcher
                    .doc_freq(&Term::from_field_text(self.field, sub))
                    .unwrap_or(0);
                if freq > 0 {
                    jieba.add_word(sub, Some(freq as usize), None);
                    known.push(sub.to_string());
                }
            }
        }
        let mut words: Vec<String> = jieba
            .cut_for_search(word, false)
            .into_iter()
            .map(|t| t.word.to_string())
            .filter(|w| known.contains(w))
            .collect();
        words.sort();
        words.dedup();
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_splits_words_and_rejects_empty() {
        assert_eq!(
            parse(" 世界贸易组织  改革 ").unwrap().words,
            ["世界贸易组织", "改革"]
        );
        assert!(
            parse("   ")
                .unwrap_err()
                .to_string()
                .contains("empty query")
        );
        assert!(parse("，。").unwrap_err().to_string().contains("，。"));
    }

    #[test]
    fn regex_escape_protects_metacharacters() {
        assert_eq!(regex_escape("a.b"), "a\\.b");
        assert_eq!(regex_escape("税"), "税");
    }
}
