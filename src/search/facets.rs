//! Counting results: the documents a query's matches fall in, and the facet counts
//! (`--count-by year|issuer|type|doc`) a legal database shows beside its results. They are
//! read from fast fields, the date of each match and one value per document (issuer, type,
//! path, title), so a query matching most of the index (的: ~150k passages in ~5k documents)
//! costs a pass over its matches and a few thousand column reads, never a stored passage.

use std::collections::HashMap;

use anyhow::Result;
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, Searcher};

use super::Sort;
use super::collect::Match;
use super::rank::{KeyHash, rank_order};
use crate::index::names;

/// What results can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetKind {
    /// The year of the document's date.
    Year,
    /// 发文机关.
    Issuer,
    /// 文种.
    Type,
    /// The document itself.
    Doc,
}

impl FacetKind {
    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Year => "year",
            FacetKind::Issuer => "issuer",
            FacetKind::Type => "type",
            FacetKind::Doc => "doc",
        }
    }
}

/// The counts of one kind, in the order shown: years newest first, other values by
/// passages, then documents, most first; unknown last.
#[derive(Debug, Clone)]
pub struct Facet {
    pub kind: FacetKind,
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    /// The year, issuer, type or document path; `None` when unknown.
    pub value: Option<String>,
    /// The document's title, for `doc` only.
    pub title: Option<String>,
    /// Matching passages, duplicates counted once (as `total_hits` counts them).
    pub passages: usize,
    pub documents: usize,
}

/// The matches grouped by document.
pub struct Documents {
    /// Each match's document: an index into `best`.
    pub of_match: Vec<u32>,
    /// Each document's best match in rank order (an index into the matches).
    pub best: Vec<usize>,
}

impl Documents {
    pub fn of(matches: &[Match], sort: Sort) -> Documents {
        let mut index: HashMap<u64, u32, KeyHash> = HashMap::default();
        let mut best: Vec<usize> = Vec::new();
        let of_match = matches
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let d = *index.entry(m.doc_key).or_insert_with(|| {
                    best.push(i);
                    (best.len() - 1) as u32
                });
                let b = &mut best[d as usize];
                if rank_order(m, &matches[*b], sort).is_lt() {
                    *b = i;
                }
                d
            })
            .collect();
        Documents { of_match, best }
    }

    pub fn len(&self) -> usize {
        self.best.len()
    }

    pub fn is_empty(&self) -> bool {
        self.best.is_empty()
    }
}

/// The matches grouped by duplicate key, so that a passage said in several places counts once.
pub struct Duplicates {
    /// Matches whose key no other match has: most of them.
    single: Vec<u32>,
    /// The matches of each key that several hold.
    shared: Vec<Vec<u32>>,
}

impl Duplicates {
    pub fn of(matches: &[Match]) -> Duplicates {
        const NONE: u32 = u32::MAX;
        // Key → (its first match, its group in `shared` once a second match has it).
        let mut seen: HashMap<u64, (u32, u32), KeyHash> =
            HashMap::with_capacity_and_hasher(matches.len(), KeyHash::default());
        let mut shared: Vec<Vec<u32>> = Vec::new();
        for (i, m) in matches.iter().enumerate() {
            let i = i as u32;
            seen.entry(m.dup_key)
                .and_modify(|(first, group)| {
                    if *group == NONE {
                        *group = shared.len() as u32;
                        shared.push(vec![*first, i]);
                    } else {
                        shared[*group as usize].push(i);
                    }
                })
                .or_insert((i, NONE));
        }
        let mut single: Vec<u32> = seen
            .into_values()
            .filter(|&(_, group)| group == NONE)
            .map(|(first, _)| first)
            .collect();
        // In index order, which reads the matches' documents in order.
        single.sort_unstable();
        Duplicates { single, shared }
    }

    /// Distinct passages: what `total_hits` counts.
    pub fn total(&self) -> usize {
        self.single.len() + self.shared.len()
    }

    /// For each of `n` values, the distinct passages among the matches `value_of` maps to it.
    pub fn count(&self, n: usize, value_of: impl Fn(usize) -> usize) -> Vec<usize> {
        let mut passages = vec![0; n];
        for &i in &self.single {
            passages[value_of(i as usize)] += 1;
        }
        let mut values = Vec::new();
        for group in &self.shared {
            values.clear();
            values.extend(group.iter().map(|&i| value_of(i as usize)));
            values.sort_unstable();
            values.dedup();
            for &v in &values {
                passages[v] += 1;
            }
        }
        passages
    }

    /// The matches of key `key` other than `i`, where several hold it.
    pub fn others(&self, matches: &[Match], i: usize) -> Vec<usize> {
        let key = matches[i].dup_key;
        self.shared
            .iter()
            .find(|g| matches[g[0] as usize].dup_key == key)
            .map(|g| g.iter().map(|&j| j as usize).filter(|&j| j != i).collect())
            .unwrap_or_default()
    }
}

/// The facet counts of each kind asked for.
pub fn count(
    searcher: &Searcher,
    matches: &[Match],
    docs: &Documents,
    dups: &Duplicates,
    kinds: &[FacetKind],
) -> Result<Vec<Facet>> {
    kinds
        .iter()
        .map(|&kind| facet(searcher, matches, docs, dups, kind))
        .collect()
}

fn facet(
    searcher: &Searcher,
    matches: &[Match],
    docs: &Documents,
    dups: &Duplicates,
    kind: FacetKind,
) -> Result<Facet> {
    let addresses = || docs.best.iter().map(|&b| matches[b].address);
    // Each document's value, as an index into `labels`.
    let (of_doc, labels, titles): (Vec<usize>, Vec<Option<String>>, Vec<Option<String>>) =
        match kind {
            FacetKind::Doc => {
                let paths = column_values(searcher, names::path, addresses())?;
                let titles = column_values(searcher, names::title, addresses())?;
                ((0..docs.len()).collect(), paths, titles)
            }
            FacetKind::Year => {
                let years = docs.best.iter().map(|&b| {
                    let year = matches[b].date / 10_000;
                    (year > 0).then(|| year.to_string())
                });
                let (of_doc, labels) = interned(years);
                (of_doc, labels, Vec::new())
            }
            FacetKind::Issuer | FacetKind::Type => {
                let field = if kind == FacetKind::Issuer {
                    names::issuer
                } else {
                    names::doc_type
                };
                let values = column_values(searcher, field, addresses())?;
                let (of_doc, labels) = interned(values.into_iter());
                (of_doc, labels, Vec::new())
            }
        };
    let of_doc = &of_doc;
    let passages = dups.count(labels.len(), |i| of_doc[docs.of_match[i] as usize]);
    let mut documents = vec![0; labels.len()];
    for &v in of_doc {
        documents[v] += 1;
    }
    let mut titles = titles.into_iter();
    let mut values: Vec<FacetValue> = labels
        .into_iter()
        .zip(passages.into_iter().zip(documents))
        .map(|(value, (passages, documents))| FacetValue {
            value,
            title: titles.next().flatten(),
            passages,
            documents,
        })
        .collect();
    values.sort_by(|a, b| {
        // Unknown last, whatever the order of the known.
        let unknown = a.value.is_none().cmp(&b.value.is_none());
        let known = if kind == FacetKind::Year {
            b.value.cmp(&a.value)
        } else {
            (b.passages, b.documents)
                .cmp(&(a.passages, a.documents))
                .then_with(|| a.value.cmp(&b.value))
        };
        unknown.then(known)
    });
    Ok(Facet { kind, values })
}

/// Values numbered in order of first appearance: each value's number, and the values.
fn interned(values: impl Iterator<Item = Option<String>>) -> (Vec<usize>, Vec<Option<String>>) {
    let mut number: HashMap<Option<String>, usize> = HashMap::new();
    let mut labels = Vec::new();
    let of = values
        .map(|v| {
            *number.entry(v).or_insert_with_key(|v| {
                labels.push(v.clone());
                labels.len() - 1
            })
        })
        .collect();
    (of, labels)
}

/// The value of a string fast field at each address; `None` where the document has none.
pub(super) fn column_values(
    searcher: &Searcher,
    field: &str,
    addresses: impl Iterator<Item = DocAddress>,
) -> Result<Vec<Option<String>>> {
    let mut columns: HashMap<u32, Option<StrColumn>> = HashMap::new();
    // Many documents share an issuer or a type: each is read from its dictionary once.
    let mut read: HashMap<(u32, u64), String> = HashMap::new();
    let mut values = Vec::new();
    for a in addresses {
        let column = match columns.entry(a.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(a.segment_ord)
                    .fast_fields()
                    .str(field)?,
            ),
        };
        let Some(column) = column else {
            values.push(None);
            continue;
        };
        let Some(ord) = column.term_ords(a.doc_id).next() else {
            values.push(None);
            continue;
        };
        let value = match read.entry((a.segment_ord, ord)) {
            std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut s = String::new();
                column.ord_to_str(ord, &mut s)?;
                e.insert(s).clone()
            }
        };
        values.push(Some(value));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(doc: u32, doc_key: u64, dup_key: u64, score: f32) -> Match {
        Match::at(doc, doc_key, dup_key, score)
    }

    #[test]
    fn documents_keep_their_best_match() {
        let matches = [at(0, 7, 1, 1.0), at(1, 8, 2, 3.0), at(2, 7, 3, 2.0)];
        let docs = Documents::of(&matches, Sort::Relevance);
        assert_eq!(docs.of_match, [0, 1, 0]);
        assert_eq!(docs.best, [2, 1]);
    }

    #[test]
    fn a_passage_said_twice_counts_once_per_value() {
        // Keys 1 and 2 each in two places; key 2 in both documents.
        let matches = [
            at(0, 7, 1, 1.0),
            at(1, 7, 1, 1.0),
            at(2, 7, 2, 1.0),
            at(3, 8, 2, 1.0),
            at(4, 8, 3, 1.0),
        ];
        let dups = Duplicates::of(&matches);
        assert_eq!(dups.total(), 3);
        let docs = Documents::of(&matches, Sort::Relevance);
        let per_doc = dups.count(docs.len(), |i| docs.of_match[i] as usize);
        assert_eq!(per_doc, [2, 2]);
        assert_eq!(dups.count(1, |_| 0), [3]);
        assert_eq!(dups.others(&matches, 2), [3]);
        assert!(dups.others(&matches, 4).is_empty());
    }
}
