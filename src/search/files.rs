//! Results by document (`--files`): every document the query matched, with how many of its
//! passages match and its best passage, documents ranked by that passage as hits are.

use std::collections::HashMap;

use anyhow::Result;

use super::collect::Matches;
use super::facets::{Documents, Duplicates};
use super::hits::{self, StoredCache};
use super::query::Compiled;
use super::rank::{self, KeyHash, first_in_order};
use super::{Hit, Options};

/// A document found.
#[derive(Debug, Clone)]
pub struct DocumentHit {
    /// Its matching passages, a passage it says twice counted once.
    pub passages: usize,
    /// Its best passage, with the document's other copies of it as duplicates.
    pub best: Hit,
}

impl DocumentHit {
    /// The document's reference: 《title》, or title（发文字号）.
    pub fn citation(&self) -> String {
        let b = &self.best;
        crate::ingest::meta::versioned_citation(
            &b.title,
            b.doc_number.as_deref(),
            None,
            b.validity.cited_version(),
        )
    }
}

/// The documents of the page asked for (`opts.offset`, `opts.limit`), best first.
pub fn documents(
    compiled: &Compiled,
    matches: &(impl Matches + ?Sized),
    docs: &Documents,
    dups: &Duplicates,
    headers: &super::collect::Headers,
    stored: &mut StoredCache,
    opts: &Options,
) -> Result<Vec<DocumentHit>> {
    let passages = dups.count(docs, docs.len(), |d| d);
    let limit = opts.limit.max(1);
    let page = opts.offset.saturating_add(limit);
    // Proximity may reorder the best passages shown, as it reorders hits.
    let window = rank::window(page, compiled.terms.len(), opts.sort);
    let order = |a: usize, b: usize| matches.order(docs.best[a], docs.best[b], opts.sort);
    let shown = first_in_order(0..docs.len(), window, order);
    let best: Vec<usize> = shown.iter().map(|&d| docs.best[d]).collect();
    // Each best passage, then the document's other copies of it in rank order.
    let mut numbers = Vec::new();
    let mut sizes = Vec::new();
    for ((&d, &b), others) in shown.iter().zip(&best).zip(dups.others(matches, &best)) {
        let mut same_document: Vec<usize> = others
            .into_iter()
            .filter(|&j| docs.of_match[j] as usize == d)
            .collect();
        same_document.sort_by(|&x, &y| matches.order(x, y, opts.sort));
        numbers.push(b);
        numbers.extend(&same_document);
        sizes.push(same_document.len());
    }
    let mut whole = matches.whole(stored.searcher(), &numbers)?.into_iter();
    let groups: Vec<_> = sizes
        .iter()
        .map(|&n| {
            let best = whole.next().expect("a whole match for each number");
            (best, whole.by_ref().take(n).collect())
        })
        .collect();
    let doc_of: HashMap<u64, usize, KeyHash> = groups
        .iter()
        .zip(&shown)
        .map(|((m, _), &d)| (m.doc_key, d))
        .collect();
    let wanted = opts.offset.saturating_add(limit);
    let mut ranked = hits::load(compiled, groups, headers, stored, opts, wanted)?;
    rank::sort_hits(&mut ranked, opts.sort);
    Ok(ranked
        .into_iter()
        .skip(opts.offset)
        .take(limit)
        .map(|(m, best)| DocumentHit {
            passages: passages[doc_of[&m.doc_key]],
            best,
        })
        .collect())
}
