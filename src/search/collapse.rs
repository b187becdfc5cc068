//! Collapsing duplicates: passages with the same duplicate key say the same thing, and the
//! best of each group in rank order stands for the others. Only the best matches are sorted,
//! as many as hold the groups that can be shown, so a query matching most of the index (的,
//! 国务院) costs a few passes over its matches rather than a sort of all of them.

use std::collections::{HashMap, HashSet};

use anyhow::Result;

use super::collect::{Briefs, Match};
use super::memory;
use super::rank::{KeyHash, first_in_order, order_by_rank, rank_order};
use super::{Sort, both};

/// A passage standing for its group, and the other members in rank order.
pub type Group = (Match, Vec<Match>);

/// The groups that can be shown, and how many groups and documents there are.
pub struct Collapsed {
    /// Distinct passages matched: every group counted once.
    pub total: usize,
    /// Documents holding a match.
    pub documents: usize,
    /// The best `window` groups, in rank order.
    pub groups: Vec<Group>,
}

/// Collapses `matches` into the best `window` groups, counting distinct passages and
/// documents unless they are `counted` already.
pub fn collapse(
    matches: &[Match],
    window: usize,
    sort: Sort,
    counted: Option<(usize, usize)>,
) -> Collapsed {
    let key = |i: usize| matches[i].dup_key;
    let order = |a: usize, b: usize| rank_order(&matches[a], &matches[b], sort);
    // The counts do not depend on the groups shown: on many matches, they are taken on a
    // second thread while the leaders are found.
    let ((keys, documents), leaders) = both(
        counted.is_none() && matches.len() >= KEY_PARTS * 64,
        || counted.unwrap_or_else(|| counts(matches)),
        || leaders(0..matches.len(), key, order, window),
    );
    let members = members(matches.iter().map(|m| m.dup_key).enumerate(), key, &leaders);
    let groups = grouped(&leaders, members, |i| matches[i], sort);
    Collapsed {
        total: keys,
        documents,
        groups,
    }
}

/// [`collapse`] of matches kept in brief: the groups shown are made of whole matches, made
/// again by `whole` from the briefs at the positions given.
pub fn collapse_briefs(
    briefs: &Briefs,
    window: usize,
    sort: Sort,
    counted: Option<(usize, usize)>,
    whole: impl FnOnce(&[usize]) -> Result<Vec<Match>>,
) -> Result<Collapsed> {
    let key = |at: usize| briefs.get(at).dup_key;
    // Positions are in index order: the last tie-break, as for whole matches.
    let order =
        |a: usize, b: usize| order_by_rank(briefs.get(a), briefs.get(b), sort).then(a.cmp(&b));
    let n = briefs.len();
    let apart = n >= KEY_PARTS * 64;
    let (parted, (leaders, members)) = both(
        apart && counted.is_none(),
        || {
            counted
                .is_none()
                .then(|| Parted::of(briefs.keyed().map(|(_, key)| key), n))
        },
        || {
            let leaders = leaders(briefs.positions(), key, order, window);
            let members = members(briefs.keyed(), key, &leaders);
            (leaders, members)
        },
    );
    let (total, documents) = match parted {
        Some(parted) => (parted.distinct(apart), briefs.documents),
        None => counted.unwrap_or_default(),
    };
    let shown: Vec<usize> = leaders
        .iter()
        .chain(members.iter().flatten())
        .copied()
        .collect();
    let made: HashMap<usize, Match> = shown.iter().copied().zip(whole(&shown)?).collect();
    Ok(Collapsed {
        total,
        documents,
        groups: grouped(&leaders, members, |at| made[&at], sort),
    })
}

/// The groups of the leaders, each with its other members in rank order.
fn grouped(
    leaders: &[usize],
    members: Vec<Vec<usize>>,
    whole: impl Fn(usize) -> Match,
    sort: Sort,
) -> Vec<Group> {
    leaders
        .iter()
        .zip(members)
        .map(|(&l, dups)| {
            let mut dups: Vec<Match> = dups.into_iter().map(&whole).collect();
            dups.sort_by(|a, b| rank_order(a, b, sort));
            (whole(l), dups)
        })
        .collect()
}

/// The best item of each of the best `window` groups, in `order`, of the items at
/// `positions` whose group is their `key`: a group's best item is its first in order, so
/// these are the first items of new keys in that order. They are found among the best
/// items, as many taken as hold that many keys: a few more than `window` times the items per
/// key (4 on four copies of a collection), more where duplicates crowd the top.
fn leaders(
    positions: impl Iterator<Item = usize> + Clone,
    key: impl Fn(usize) -> u64,
    order: impl Fn(usize, usize) -> std::cmp::Ordering,
    window: usize,
) -> Vec<usize> {
    let n = positions.clone().count();
    let per_key = n
        .div_ceil(sampled_keys(positions.clone(), n, &key).max(1))
        .max(1);
    let mut taken = window.saturating_mul(per_key).saturating_mul(2).max(16);
    loop {
        let best = first_in_order(positions.clone(), taken, &order);
        let mut seen: HashSet<u64, KeyHash> = HashSet::default();
        let leaders: Vec<usize> = best
            .iter()
            .copied()
            .filter(|&i| seen.insert(key(i)))
            .take(window)
            .collect();
        if leaders.len() == window || best.len() == n {
            return leaders;
        }
        taken = taken.saturating_mul(4);
    }
}

/// Distinct keys among a sample of the `n` items (every one of few), scaled to all: how
/// many items a key has, as an estimate.
fn sampled_keys(
    positions: impl Iterator<Item = usize>,
    n: usize,
    key: impl Fn(usize) -> u64,
) -> usize {
    const SAMPLE: usize = 4096;
    let step = (n / SAMPLE).max(1);
    let sample: HashSet<u64, KeyHash> = positions.step_by(step).map(key).collect();
    sample.len() * step
}

/// Parts the keys of many matches are counted in (see [`counts`]).
const KEY_PARTS: usize = 256;

/// The matches' distinct keys and distinct documents. A document's passages follow one
/// another in a segment, so its key is taken once per run, and the runs' keys (about one per
/// document) deduplicated.
fn counts(matches: &[Match]) -> (usize, usize) {
    let mut documents: Vec<u64> = Vec::new();
    for m in matches {
        if documents.last() != Some(&m.doc_key) {
            documents.push(m.doc_key);
        }
    }
    documents.sort_unstable();
    documents.dedup();
    (
        distinct(matches.iter().map(|m| m.dup_key), matches.len()),
        documents.len(),
    )
}

/// For each leader, the other items of its group among `items` (positions with their keys).
fn members(
    items: impl Iterator<Item = (usize, u64)>,
    key: impl Fn(usize) -> u64,
    leaders: &[usize],
) -> Vec<Vec<usize>> {
    let group_of: HashMap<u64, usize, KeyHash> = leaders
        .iter()
        .enumerate()
        .map(|(g, &l)| (key(l), g))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); leaders.len()];
    for (i, k) in items {
        if let Some(&g) = group_of.get(&k)
            && leaders[g] != i
        {
            members[g].push(i);
        }
    }
    members
}

/// How many distinct keys there are among the `n` keys.
fn distinct(keys: impl Iterator<Item = u64> + Clone, n: usize) -> usize {
    Parted::of(keys, n).distinct(false)
}

/// Keys parted by their top byte (they are hashes, evenly spread), to be counted part by part
/// in a table small enough to stay in the processor's cache: one set of the 700,000 keys 的
/// matches on 4× the bench missed it on almost every key. The parts are laid out in one
/// buffer by a counting sort, which keeps each part's keys in their order.
pub struct Parted {
    keys: Vec<u64>,
    /// Each key's number in the order given, where asked for (see [`Parted::numbered`]).
    numbers: Vec<u32>,
    /// Where each part starts in `keys`, and where the last ends.
    starts: [usize; KEY_PARTS + 1],
}

impl Parted {
    fn of(keys: impl Iterator<Item = u64> + Clone, n: usize) -> Parted {
        Parted::laid_out(keys.map(|key| (key, 0)), n, false)
    }

    /// The `n` keys parted, each with its number in the order given.
    pub fn numbered(keys: impl Iterator<Item = u64> + Clone, n: usize) -> Parted {
        Parted::laid_out(keys.zip(0..), n, true)
    }

    fn laid_out(
        keys: impl Iterator<Item = (u64, u32)> + Clone,
        n: usize,
        numbered: bool,
    ) -> Parted {
        let part_of = |key: u64| match n >= KEY_PARTS * 64 {
            true => (key >> 56) as usize,
            false => 0,
        };
        let mut starts = [0usize; KEY_PARTS + 1];
        for (key, _) in keys.clone() {
            starts[part_of(key) + 1] += 1;
        }
        for p in 0..KEY_PARTS {
            starts[p + 1] += starts[p];
        }
        let mut parted = memory::zeroed(n);
        let mut numbers = match numbered {
            true => memory::zeroed(n),
            false => Vec::new(),
        };
        let mut next = starts;
        for (key, number) in keys {
            let part = part_of(key);
            parted[next[part]] = key;
            if numbered {
                numbers[next[part]] = number;
            }
            next[part] += 1;
        }
        Parted {
            keys: parted,
            numbers,
            starts,
        }
    }

    /// Each part's keys and their numbers (none unless [`Parted::numbered`]).
    pub fn parts(&self) -> impl Iterator<Item = (&[u64], &[u32])> {
        self.starts.windows(2).map(|w| {
            let numbers = self.numbers.get(w[0]..w[1]).unwrap_or_default();
            (&self.keys[w[0]..w[1]], numbers)
        })
    }

    /// How many distinct keys there are: half the parts counted on a second thread if
    /// `apart`.
    fn distinct(&self, apart: bool) -> usize {
        let half = KEY_PARTS / 2;
        let (second, first) = both(
            apart,
            || self.count(half..KEY_PARTS),
            || self.count(0..half),
        );
        first + second
    }

    /// Distinct keys in the parts `parts`, each counted in one table, its slots cleared
    /// between parts.
    fn count(&self, parts: std::ops::Range<usize>) -> usize {
        let largest = parts
            .clone()
            .map(|p| self.starts[p + 1] - self.starts[p])
            .max()
            .unwrap_or(0);
        let mut slots = vec![0u64; (largest * 2).next_power_of_two().max(16)];
        parts
            .map(|p| distinct_in(&self.keys[self.starts[p]..self.starts[p + 1]], &mut slots))
            .sum()
    }
}

/// Distinct keys among `keys`, counted in `slots` (zeroed, at least twice as many as keys, a
/// power of two): an open-addressed table of the keys themselves, 0 marking a free slot and
/// counted apart. Left zeroed.
fn distinct_in(keys: &[u64], slots: &mut [u64]) -> usize {
    let size = (keys.len() * 2).next_power_of_two().clamp(16, slots.len());
    let (slots, mask) = (&mut slots[..size], size - 1);
    let mut count = 0;
    let mut zero = false;
    for &key in keys {
        if key == 0 {
            zero = true;
            continue;
        }
        let mut i = home_slot(key, mask);
        loop {
            match slots[i] {
                0 => {
                    slots[i] = key;
                    count += 1;
                    break;
                }
                held if held == key => break,
                _ => i = (i + 1) & mask,
            }
        }
    }
    slots.fill(0);
    count + usize::from(zero)
}

/// Where `key` is first looked for in an open-addressed table of `mask + 1` slots (a power
/// of two). Mixed, as keys of documents without one are small numbers.
pub fn home_slot(key: u64, mask: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every group, best first, each with its members in rank order: sorting everything.
    fn sorted_groups(matches: &[Match], sort: Sort) -> Vec<(u32, Vec<u32>)> {
        let mut all: Vec<&Match> = matches.iter().collect();
        all.sort_by(|a, b| rank_order(a, b, sort));
        let mut groups: Vec<(u64, u32, Vec<u32>)> = Vec::new();
        for m in all {
            match groups.iter_mut().find(|g| g.0 == m.dup_key) {
                Some(g) => g.2.push(m.address.doc_id),
                None => groups.push((m.dup_key, m.address.doc_id, Vec::new())),
            }
        }
        groups.into_iter().map(|(_, l, d)| (l, d)).collect()
    }

    #[test]
    fn keys_are_counted_alike_however_many() {
        // Keys spread as hashes are, each repeated; below and above the parting threshold.
        for n in [100u64, 40_000] {
            let matches: Vec<Match> = (0..n)
                .map(|i| {
                    let key = (i % (n / 3)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    Match::at(i as u32, 0, key, 1.0)
                })
                .collect();
            assert_eq!(counts(&matches).0, (n / 3) as usize, "{n}");
            // Counted on two threads; and small keys (0 among them), which are not spread.
            let keys = matches.iter().map(|m| m.dup_key);
            let parted = Parted::of(keys, matches.len());
            assert_eq!(parted.distinct(true), (n / 3) as usize, "{n}");
            let small = (0..n).map(|i| i % 1000);
            assert_eq!(distinct(small, n as usize), 1000.min(n as usize), "{n}");
        }
    }

    #[test]
    fn the_groups_shown_are_those_sorting_everything_gives() {
        // Keys shared by up to 40 matches, scores with ties (the address breaks them), and
        // one key crowding the top, so that the first matches hold fewer keys than shown;
        // few matches, and enough to be counted on a second thread.
        for n in [3000u32, 20_000] {
            groups_shown_of(n);
        }
    }

    fn groups_shown_of(n: u32) {
        let matches: Vec<Match> = (0..n)
            .map(|i| {
                let (key, score) = match i % 7 {
                    0 => (1, 100.0),
                    _ => (u64::from(i * 7919 % 80), (i * 31 % 17) as f32),
                };
                Match::at(i, u64::from(i / 10), key, score)
            })
            .collect();
        for sort in [Sort::Relevance, Sort::Date] {
            let expected = sorted_groups(&matches, sort);
            for window in [1, 5, 10, 50, 81, 500] {
                let collapsed = collapse(&matches, window, sort, None);
                assert_eq!(collapsed.total, expected.len());
                assert_eq!(collapsed.documents, n as usize / 10);
                let got: Vec<(u32, Vec<u32>)> = collapsed
                    .groups
                    .iter()
                    .map(|(l, d)| {
                        (
                            l.address.doc_id,
                            d.iter().map(|m| m.address.doc_id).collect(),
                        )
                    })
                    .collect();
                let want = &expected[..window.min(expected.len())];
                assert_eq!(got, want, "window {window}");
            }
        }
    }
}
