//! Where a query's words stand besides a passage's text, for ranking: a word in the
//! passage's heading path or its document's title, a word that is the article it is (第四十六
//! 条) or that equals its document's short title. `个人信息保护法 法律责任` then means the
//! articles of the chapter 法律责任 of that law, ahead of passages that merely mention both.

use anyhow::Result;

use super::collect::{Match, held_by};
use super::query::Compiled;

/// Sets [`Match::structure`] and [`Match::located`] for a query matched in context.
pub fn mark(
    matches: &mut [Match],
    compiled: &Compiled,
    searcher: &tantivy::Searcher,
) -> Result<()> {
    let Some(context) = &compiled.context else {
        return Ok(());
    };
    let headings = context
        .heading
        .iter()
        .map(|q| held_by(searcher, q.as_ref(), matches))
        .collect::<Result<Vec<_>>>()?;
    let articles = context
        .article
        .iter()
        .map(|q| {
            q.as_ref()
                .map(|q| held_by(searcher, q.as_ref(), matches))
                .transpose()
        })
        .collect::<Result<Vec<_>>>()?;
    for (i, m) in matches.iter_mut().enumerate() {
        let mut structure = 0u8;
        let (mut naming, mut placing) = (Vec::new(), Vec::new());
        for t in 0..headings.len() {
            let in_title = context.title_docs[t].contains(&m.doc_key);
            let named = context.title_keys[t].contains(&m.title_key);
            let in_heading = headings[t][i];
            let is_article = articles[t].as_ref().is_some_and(|held| held[i]);
            structure += u8::from(in_title || in_heading || is_article) + u8::from(named);
            // Only a word that is the document's name (its title or short title) names it:
            // one its title merely holds (宗教事务 of 河南省宗教事务条例) is a key word, and
            // the passages holding all the words in their text rank by score.
            if named {
                naming.push(t);
            }
            if in_heading || is_article {
                placing.push(t);
            }
        }
        m.structure = structure;
        m.located = placing
            .iter()
            .any(|p| context.document_named || naming.iter().any(|n| n != p));
    }
    Ok(())
}
