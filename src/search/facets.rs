//! Counting results: the documents a query's matches fall in, and the facet counts
//! (`--count-by year|issuer|type|doc`) a legal database shows beside its results. They are
//! read from fast fields, the date of each match and one value per document (issuer, type,
//! path, title), so a query matching most of the index (的: ~150k passages in ~5k documents)
//! costs a pass over its matches and a few thousand column reads, never a stored passage.
//! The matches are read whole or in brief alike (see [`Matches`]).

use std::collections::HashMap;

use anyhow::Result;
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, Searcher};

use super::Sort;
use super::collapse::{Parted, home_slot};
use super::collect::Matches;
use super::rank::KeyHash;
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
    /// Each document's best match in rank order.
    pub best: Vec<usize>,
}

impl Documents {
    /// A document's matches follow one another in a segment: its key is looked up once per
    /// run of them.
    pub fn of(matches: &(impl Matches + ?Sized), sort: Sort) -> Documents {
        let mut index: HashMap<u64, u32, KeyHash> = HashMap::default();
        let mut best: Vec<usize> = Vec::new();
        let mut of_match = Vec::with_capacity(matches.len());
        let mut first = 0;
        for (key, len) in matches.runs().filter(|&(_, len)| len > 0) {
            let run_best = matches.best_of(first..first + len, sort);
            let d = *index.entry(key).or_insert_with(|| {
                best.push(run_best);
                (best.len() - 1) as u32
            });
            let b = &mut best[d as usize];
            if matches.order(run_best, *b, sort).is_lt() {
                *b = run_best;
            }
            of_match.extend(std::iter::repeat_n(d, len));
            first += len;
        }
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
    /// Whether another match has the match's key, match by match: most have none.
    shared: Vec<bool>,
    /// The matches of each key several hold, group after group.
    members: Vec<u32>,
    /// The document of each of `members` (an index into [`Documents::best`]).
    documents: Vec<u32>,
    /// Where each group starts in `members`, and where the last ends.
    starts: Vec<usize>,
    /// Each group's key.
    keys: Vec<u64>,
}

/// A key's place in the table [`Duplicates::of`] groups one part of the keys in.
#[derive(Clone, Copy, Default)]
struct Slot {
    key: u64,
    /// Matches holding the key; 0 marks a free slot.
    count: u32,
    /// Where the key's group starts in `members`, once its first match is placed.
    group: Option<u32>,
    /// Its matches placed in the group so far.
    placed: u32,
}

impl Duplicates {
    /// The keys are grouped part by part (see [`Parted`]) in a table that stays in the
    /// processor's cache: one table of the 730,000 keys 的 matches on 4× the bench missed it
    /// on almost every key and filled 17 MB of fresh memory.
    pub fn of(matches: &(impl Matches + ?Sized), docs: &Documents) -> Duplicates {
        let n = matches.len();
        let parted = Parted::numbered(matches.dup_keys(), n);
        let largest = parted
            .parts()
            .map(|(keys, _)| keys.len())
            .max()
            .unwrap_or(0);
        let mut slots = vec![Slot::default(); (largest * 2).next_power_of_two().max(16)];
        let mut dups = Duplicates {
            shared: vec![false; n],
            members: Vec::new(),
            documents: Vec::new(),
            starts: vec![0],
            keys: Vec::new(),
        };
        for (keys, numbers) in parted.parts() {
            let size = (keys.len() * 2).next_power_of_two().clamp(16, slots.len());
            let table = &mut slots[..size];
            for &key in keys {
                let slot = &mut table[slot_of(table, key)];
                slot.key = key;
                slot.count += 1;
            }
            for (&key, &i) in keys.iter().zip(numbers) {
                let slot = &mut table[slot_of(table, key)];
                if slot.count < 2 {
                    continue;
                }
                dups.shared[i as usize] = true;
                let at = *slot.group.get_or_insert_with(|| {
                    let at = dups.members.len();
                    dups.members.resize(at + slot.count as usize, 0);
                    dups.starts.push(dups.members.len());
                    dups.keys.push(key);
                    at as u32
                });
                dups.members[(at + slot.placed) as usize] = i;
                slot.placed += 1;
            }
            table.fill(Slot::default());
        }
        let of_match = &docs.of_match;
        dups.documents = dups.members.iter().map(|&i| of_match[i as usize]).collect();
        dups
    }

    /// Distinct passages: what `total_hits` counts.
    pub fn total(&self) -> usize {
        self.shared.iter().filter(|&&s| !s).count() + self.keys.len()
    }

    /// Each group's matches.
    fn groups(&self) -> impl Iterator<Item = &[u32]> {
        self.starts.windows(2).map(|w| &self.members[w[0]..w[1]])
    }

    /// For each of `n` values, the distinct passages among the matches whose documents
    /// `value_of` maps to it (documents numbered as in `docs`).
    pub fn count(
        &self,
        docs: &Documents,
        n: usize,
        value_of: impl Fn(usize) -> usize,
    ) -> Vec<usize> {
        let mut passages = vec![0; n];
        for (&shared, &d) in self.shared.iter().zip(&docs.of_match) {
            if !shared {
                passages[value_of(d as usize)] += 1;
            }
        }
        // A group's values, each counted once: most groups hold a few matches, looked over;
        // a passage many documents repeat (a set form, or each copy of a collection) is sorted.
        let mut values = Vec::new();
        for w in self.starts.windows(2) {
            values.clear();
            let documents = &self.documents[w[0]..w[1]];
            if documents.len() <= 16 {
                for &d in documents {
                    let v = value_of(d as usize);
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            } else {
                values.extend(documents.iter().map(|&d| value_of(d as usize)));
                values.sort_unstable();
                values.dedup();
            }
            for &v in &values {
                passages[v] += 1;
            }
        }
        passages
    }

    /// For each of the matches `wanted`, the other matches of its key, where several hold it.
    pub fn others(&self, matches: &(impl Matches + ?Sized), wanted: &[usize]) -> Vec<Vec<usize>> {
        let mut of_key: HashMap<u64, Vec<usize>, KeyHash> = HashMap::default();
        for (w, &i) in wanted.iter().enumerate() {
            if self.shared[i] {
                of_key.entry(matches.dup_key(i)).or_default().push(w);
            }
        }
        let mut others = vec![Vec::new(); wanted.len()];
        for (group, key) in self.groups().zip(&self.keys) {
            for &w in of_key.get(key).into_iter().flatten() {
                let i = wanted[w];
                others[w] = group
                    .iter()
                    .map(|&j| j as usize)
                    .filter(|&j| j != i)
                    .collect();
            }
        }
        others
    }
}

/// The slot of `key` in `table` (a power of two long, never full): where it is, or the free
/// slot where it goes.
fn slot_of(table: &[Slot], key: u64) -> usize {
    let mask = table.len() - 1;
    let mut i = home_slot(key, mask);
    loop {
        let slot = &table[i];
        if slot.count == 0 || slot.key == key {
            return i;
        }
        i = (i + 1) & mask;
    }
}

/// The facet counts of each kind asked for.
pub fn count(
    searcher: &Searcher,
    matches: &(impl Matches + ?Sized),
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
    matches: &(impl Matches + ?Sized),
    docs: &Documents,
    dups: &Duplicates,
    kind: FacetKind,
) -> Result<Facet> {
    let addresses = || docs.best.iter().map(|&b| matches.address(b));
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
                    let year = matches.date(b) / 10_000;
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
    let passages = dups.count(docs, labels.len(), |d| of_doc[d]);
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
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::search::collect::Match;

    fn at(doc: u32, doc_key: u64, dup_key: u64, score: f32) -> Match {
        Match::at(doc, doc_key, dup_key, score)
    }

    #[test]
    fn documents_keep_their_best_match() {
        let matches = [at(0, 7, 1, 1.0), at(1, 8, 2, 3.0), at(2, 7, 3, 2.0)];
        let docs = Documents::of(&matches[..], Sort::Relevance);
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
        let docs = Documents::of(&matches[..], Sort::Relevance);
        let dups = Duplicates::of(&matches[..], &docs);
        assert_eq!(dups.total(), 3);
        let per_doc = dups.count(&docs, docs.len(), |d| d);
        assert_eq!(per_doc, [2, 2]);
        assert_eq!(dups.count(&docs, 1, |_| 0), [3]);
        let others = dups.others(&matches[..], &[2, 4, 0]);
        assert_eq!(others, [vec![3], vec![], vec![1]]);
    }

    /// Grouped part by part, keys give what a map of every key gives: the distinct count,
    /// the groups, each value's distinct passages and each match's others; below and above
    /// the number of matches past which keys are parted, with hashed keys and small ones
    /// (0 among them), held by one match to a dozen, documents in runs and again later.
    #[test]
    fn duplicates_are_the_matches_of_equal_keys() {
        for n in [1000u32, 40_000] {
            let key = |i: u32| match i % 5 {
                0 => u64::from(i % 97),
                _ => u64::from(i % (n / 4)).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            };
            let matches: Vec<Match> = (0..n)
                .map(|i| at(i, u64::from(i / 10 % (n / 20)), key(i), 1.0))
                .collect();
            let mut of_key: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
            for (i, m) in matches.iter().enumerate() {
                of_key.entry(m.dup_key).or_default().push(i);
            }
            let docs = Documents::of(&matches[..], Sort::Relevance);
            let dups = Duplicates::of(&matches[..], &docs);
            assert_eq!(dups.total(), of_key.len(), "{n}");
            let mut groups: Vec<Vec<usize>> = dups
                .groups()
                .map(|g| g.iter().map(|&i| i as usize).collect())
                .collect();
            groups.sort();
            let mut expected: Vec<Vec<usize>> =
                of_key.values().filter(|g| g.len() > 1).cloned().collect();
            expected.sort();
            assert_eq!(groups, expected, "{n}");

            assert_eq!(docs.len(), (n / 20) as usize);
            let per_doc = dups.count(&docs, docs.len(), |d| d);
            let mut want = vec![0; docs.len()];
            for group in of_key.values() {
                let holding: BTreeSet<u32> = group.iter().map(|&i| docs.of_match[i]).collect();
                for d in holding {
                    want[d as usize] += 1;
                }
            }
            assert_eq!(per_doc, want, "{n}");

            let wanted: Vec<usize> = (0..n as usize).step_by(7).collect();
            let others = dups.others(&matches[..], &wanted);
            for (&i, got) in wanted.iter().zip(others) {
                let mut want = of_key[&matches[i].dup_key].clone();
                want.retain(|&j| j != i);
                assert_eq!(got, want, "{n} {i}");
            }
        }
    }
}
