//! The passages holding one character: the terms of a bigram field it begins (itself alone,
//! or a bigram: one range of the dictionary) and its term in the field of run ends, their
//! postings read into one set of documents. Tantivy's regex query over the range and a union
//! with the run-end term gave the same set, but walked the dictionary with an automaton and
//! merged the two on every match: 的 matches most passages.

use tantivy::postings::TermInfo;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, Term};

use super::segment_sets::SegmentSets;

/// Matches the passages holding `character`, each scored as its boost.
#[derive(Clone, Debug)]
pub struct LoneCharQuery {
    character: String,
    grams: Field,
    run_ends: Field,
}

impl LoneCharQuery {
    pub fn new(character: &str, grams: Field, run_ends: Field) -> LoneCharQuery {
        LoneCharQuery {
            character: character.to_string(),
            grams,
            run_ends,
        }
    }

    /// The segment's passages holding the character.
    fn documents(&self, reader: &SegmentReader) -> tantivy::Result<BitSet> {
        let mut found = BitSet::with_max_value(reader.max_doc());
        let grams = reader.inverted_index(self.grams)?;
        // Every term starting with the character: the byte after it leads a UTF-8 sequence,
        // below 0xFF.
        let mut past = self.character.as_bytes().to_vec();
        past.push(0xFF);
        let mut terms = grams
            .terms()
            .range()
            .ge(self.character.as_bytes())
            .lt(&past)
            .into_stream()?;
        while terms.advance() {
            // Itself or a bigram (a Latin word never starts with a CJK character).
            let chars = std::str::from_utf8(terms.key()).map_or(0, |t| t.chars().count());
            if chars <= 2 {
                add_postings(&grams, terms.value(), &mut found)?;
            }
        }
        let run_ends = reader.inverted_index(self.run_ends)?;
        let term = Term::from_field_text(self.run_ends, &self.character);
        if let Some(info) = run_ends.get_term_info(&term)? {
            add_postings(&run_ends, &info, &mut found)?;
        }
        Ok(found)
    }
}

/// Adds the documents of a term's postings to `found`.
fn add_postings(
    index: &tantivy::InvertedIndexReader,
    info: &TermInfo,
    found: &mut BitSet,
) -> tantivy::Result<()> {
    let mut postings = index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    loop {
        let docs = postings.docs();
        if docs.is_empty() {
            return Ok(());
        }
        for &doc in docs {
            found.insert(doc);
        }
        postings.advance();
    }
}

impl Query for LoneCharQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(LoneCharWeight {
            query: self.clone(),
            sets: SegmentSets::default(),
        }))
    }
}

struct LoneCharWeight {
    query: LoneCharQuery,
    sets: SegmentSets,
}

impl Weight for LoneCharWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.sets.scorer(reader, boost, |r| self.query.documents(r))
    }

    /// As a constant-score query explains itself.
    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        Ok(Explanation::new("Const", 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{BooleanQuery, RegexQuery, TermQuery};

    /// The passages found are those of the regex over the bigrams a character begins joined
    /// with its run-end term, wherever the character stands: first, last, alone, inside a
    /// run, beside Latin words, nowhere.
    #[test]
    fn finds_what_the_regex_and_the_run_end_find() {
        let texts = [
            "数据安全法",
            "法",
            "依法治国",
            "税法 abc",
            "的",
            "abc的def",
            "人民法院的判决",
            "刑法",
            "无关",
            "法律 法规",
            "x法y",
            "国家税务总局",
        ];
        let (_dir, searcher, f) =
            super::super::index_of_texts(texts, |f| vec![f.grams, f.run_ends]);
        for c in ["法", "的", "税", "局", "数", "判", "无", "龙"] {
            let got = searcher
                .search(
                    &LoneCharQuery::new(c, f.grams, f.run_ends),
                    &DocSetCollector,
                )
                .unwrap();
            let union = BooleanQuery::union(vec![
                Box::new(RegexQuery::from_pattern(&format!("{c}.?"), f.grams).unwrap()),
                Box::new(TermQuery::new(
                    Term::from_field_text(f.run_ends, c),
                    IndexRecordOption::Basic,
                )),
            ]);
            let expected = searcher.search(&union, &DocSetCollector).unwrap();
            let holding = texts.iter().filter(|t| t.contains(c)).count();
            assert_eq!(got, expected, "{c}");
            assert_eq!(got.len(), holding, "{c}");
        }
    }
}
