//! Any of several queries, scored as the sum of those matching, as Tantivy's `BooleanQuery` of
//! `Should` clauses is, but cheap to seek. Tantivy's union buffers a window of 4,096
//! documents ahead: each seek past it clears the window and scores every document each
//! clause holds in the next one. A word that may stand in the text or in its context (heading
//! path, title), the alternatives of a word, and a text's word clauses are such unions, and
//! an intersection seeks them once per candidate of its rarest word: in `环境 污染 责任` the
//! refills took about a third of the query's time. Here a seek moves each clause to the
//! target and no further.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError};

/// Matches what any of its clauses matches; the score is the sum of theirs.
#[derive(Debug)]
pub struct AnyOf {
    clauses: Vec<Box<dyn Query>>,
}

impl Clone for AnyOf {
    fn clone(&self) -> AnyOf {
        AnyOf::new(self.clauses.iter().map(|q| q.box_clone()).collect())
    }
}

impl AnyOf {
    pub fn new(clauses: Vec<Box<dyn Query>>) -> AnyOf {
        AnyOf { clauses }
    }
}

impl Query for AnyOf {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(AnyOfWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for q in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct AnyOfWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for AnyOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut clauses = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let scorer = w.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                clauses.push(scorer);
            }
        }
        Ok(match clauses.len() {
            1 => clauses.remove(0),
            _ => Box::new(AnyOfScorer::new(clauses, reader.num_docs())),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut matching = Vec::new();
        for w in &self.weights {
            let mut scorer = w.scorer(reader, 1.0)?;
            if scorer.doc() <= doc && scorer.seek(doc) == doc {
                matching.push(w.explain(reader, doc)?);
            }
        }
        if matching.is_empty() {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let score = matching.iter().map(Explanation::value).sum();
        let mut sum = Explanation::new("sum of the clauses matching", score);
        for clause in matching {
            sum.add_detail(clause);
        }
        Ok(sum)
    }
}

/// The union of the clauses' documents, each clause moved only as far as it is asked.
struct AnyOfScorer {
    /// In the query's order, which is the order their scores are summed in (as Tantivy's
    /// union does, so that scores are the same to the last bit).
    clauses: Vec<Box<dyn Scorer>>,
    doc: DocId,
    num_docs: u32,
}

impl AnyOfScorer {
    fn new(clauses: Vec<Box<dyn Scorer>>, num_docs: u32) -> AnyOfScorer {
        let doc = first(&clauses);
        AnyOfScorer {
            clauses,
            doc,
            num_docs,
        }
    }
}

/// The lowest document any clause stands on.
fn first(clauses: &[Box<dyn Scorer>]) -> DocId {
    clauses.iter().map(|c| c.doc()).min().unwrap_or(TERMINATED)
}

impl DocSet for AnyOfScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for c in &mut self.clauses {
            if c.doc() == doc {
                c.advance();
            }
        }
        self.doc = first(&self.clauses);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for c in &mut self.clauses {
            if c.doc() < target {
                c.seek(target);
            }
        }
        self.doc = first(&self.clauses);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    /// Tantivy's union's estimate, so that an intersection orders its clauses (and sums
    /// their scores) as it would with Tantivy's union.
    fn size_hint(&self) -> u32 {
        let sizes = self.clauses.iter().map(|c| c.size_hint());
        estimate_union(sizes, self.num_docs)
    }

    fn cost(&self) -> u64 {
        self.clauses.iter().map(|c| c.cost()).sum()
    }
}

impl Scorer for AnyOfScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut score = 0.0;
        for c in &mut self.clauses {
            if c.doc() == doc {
                score += c.score();
            }
        }
        score
    }
}

/// Tantivy's estimate of a union's documents (`query::size_hint::estimate_union`, which it
/// does not export): the complement of being in none, the sets taken as independent and a
/// fifth smaller for their overlap.
fn estimate_union(sizes: impl Iterator<Item = u32>, max_docs: u32) -> u32 {
    const CO_LOCATION: f64 = 0.8;
    let mut in_none = 1.0;
    for size in sizes {
        in_none *= 1.0 - (f64::from(size) / f64::from(max_docs)) * CO_LOCATION;
    }
    let estimate = (f64::from(max_docs) * (1.0 - in_none)).round();
    estimate.min(f64::from(max_docs)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::IndexRecordOption;

    /// Over a segment longer than Tantivy's union's window, `AnyOf` finds the documents
    /// Tantivy's union of `Should` clauses does, with bit-identical scores and the same
    /// estimates, whether read through or sought from one target to a far one.
    #[test]
    fn matches_and_scores_as_tantivys_union_read_through_or_sought() {
        let texts = [
            "数据安全法",
            "安全生产",
            "数据 保护",
            "网络安全与数据",
            "无关的文字",
        ];
        let pick = |i: usize| (i * 7 + i / 13) % texts.len();
        let passages = (0..12_000).map(|i| texts[pick(i)]);
        let (_dir, searcher, f) = super::super::index_of_texts(passages, |f| vec![f.grams]);
        let term = |t: &str| tantivy::Term::from_field_text(f.grams, t);
        let clauses = || -> Vec<Box<dyn Query>> {
            vec![
                Box::new(PhraseQuery::new(vec![term("数据"), term("据安")])),
                Box::new(TermQuery::new(term("安全"), IndexRecordOption::WithFreqs)),
                Box::new(TermQuery::new(term("保护"), IndexRecordOption::WithFreqs)),
            ]
        };
        let ours = AnyOf::new(clauses());
        let tantivys =
            BooleanQuery::new(clauses().into_iter().map(|q| (Occur::Should, q)).collect());
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let reader = searcher.segment_reader(0);
        let scorer = |q: &dyn Query| q.weight(scoring).unwrap().scorer(reader, 1.0).unwrap();
        for step in [0, 1, 5, 4_500, 9_000] {
            let (mut a, mut b) = (scorer(&ours), scorer(&tantivys));
            assert_eq!((a.size_hint(), a.cost()), (b.size_hint(), b.cost()));
            let mut seen = 0;
            while b.doc() != TERMINATED {
                assert_eq!(a.doc(), b.doc(), "step {step}");
                assert_eq!(a.score().to_bits(), b.score().to_bits(), "doc {}", b.doc());
                seen += 1;
                let target = b.doc() + 1 + step;
                match step {
                    0 => (a.advance(), b.advance()),
                    _ => (a.seek(target), b.seek(target)),
                };
            }
            assert_eq!(a.doc(), TERMINATED);
            assert!(seen > 1, "step {step}");
        }
        // Its explanation adds up to its score; a document none of the clauses holds has none.
        let weight = ours.weight(scoring).unwrap();
        let mut a = scorer(&ours);
        for _ in 0..3 {
            let (doc, score) = (a.doc(), a.score());
            let explained = weight.explain(reader, doc).unwrap();
            assert_eq!(explained.value().to_bits(), score.to_bits(), "doc {doc}");
            a.seek(doc + 4_097);
        }
        let unmatched = (0..12_000)
            .find(|&i| (i * 7 + i / 13) % texts.len() == 4)
            .unwrap();
        assert!(weight.explain(reader, unmatched as DocId).is_err());
    }
}
