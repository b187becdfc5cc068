//! The user's query in, a Tantivy query out.
//!
//! - [`parse`]: the query language (words = AND, `OR`/`|`, `-`/`NOT`, `"phrases"`,
//!   parentheses, `title:` `issuer:` `doc:` `type:` `date:` filters) into a syntax tree.
//! - [`compile`]: the tree, with synonyms expanded, into a Tantivy query whose matches are
//!   every passage containing the words as substrings (a phrase of CJK bigrams over the
//!   `grams` field, which also scores the text); jieba words of the query, looked up in the
//!   title, heading and key phrases, only add to the score.

mod any_of;
mod compile;
mod doc_keys;
mod lone_char;
mod parse;
mod provisions;
mod segment;
mod segment_sets;

pub use compile::{
    Candidate, Compiled, ContextTerms, Leaf, Mode, Plan, Restricted, compile, plan,
    resolve_validity,
};
pub use parse::{FIELD_NAMES, Filter, Node, Parsed, as_of_day, date_range, parse};

use crate::analysis::is_cjk;

/// Byte offsets of every occurrence of `needle` in `hay` (both normalised), overlapping
/// ones included. A needle that starts or ends with a Latin letter or digit matches only
/// where the text does not go on with one, as the index holds Latin words whole (`wto`
/// is not found inside `wtos`); CJK needles match anywhere.
pub fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let first = needle.chars().next().is_some_and(is_latin);
    let last = needle.chars().next_back().is_some_and(is_latin);
    let mut from = 0;
    while let Some(at) = hay[from..].find(needle) {
        let start = from + at;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back().is_some_and(is_latin);
        let after = hay[end..].chars().next().is_some_and(is_latin);
        let splits_word = (first && before) || (last && after);
        if !splits_word {
            found.push(start);
        }
        // Step one character, so overlapping occurrences are found too.
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// Whether `hay` holds `needle` (see [`find_all`]).
pub fn contains(hay: &str, needle: &str) -> bool {
    !find_all(hay, needle).is_empty()
}

/// Letters and digits other than CJK: the characters the index keeps as whole words.
fn is_latin(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// An index of one segment holding a passage per text, each text written in the fields
/// `fields` picks, for the tests of the queries built here. The folder lives as long as the
/// searcher is used.
#[cfg(test)]
fn index_of_texts(
    texts: impl IntoIterator<Item = impl AsRef<str>>,
    fields: impl Fn(&crate::index::Fields) -> Vec<tantivy::schema::Field>,
) -> (tempfile::TempDir, tantivy::Searcher, crate::index::Fields) {
    let dir = tempfile::TempDir::new().unwrap();
    let store = crate::index::Store::open_or_create(dir.path()).unwrap();
    let f = store.fields;
    let mut writer: tantivy::IndexWriter = store.index.writer(15_000_000).unwrap();
    for text in texts {
        let mut d = tantivy::TantivyDocument::new();
        for field in fields(&f) {
            d.add_text(field, text.as_ref());
        }
        writer.add_document(d).unwrap();
    }
    writer.commit().unwrap();
    let searcher = store.index.reader().unwrap().searcher();
    (dir, searcher, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_needles_match_whole_words_cjk_anywhere() {
        assert_eq!(find_all("wto和wtos", "wto"), [0]);
        assert_eq!(find_all("c919大飞机", "919"), Vec::<usize>::new());
        assert_eq!(find_all("哈哈哈", "哈哈"), [0, 3]);
        assert!(contains("世界贸易组织", "易组"));
        assert!(contains("g20峰会", "g20峰"));
        assert!(!contains("", "a"));
        assert!(find_all("abc", "").is_empty());
    }
}
