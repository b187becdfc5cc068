//! Collapsing duplicates: passages with the same duplicate key say the same thing, and the
//! best of each group in rank order stands for the others. Only the best matches are sorted,
//! as many as hold the groups that can be shown, so a query matching most of the index (的,
//! 国务院) costs a few passes over its matches rather than a sort of all of them.

use std::collections::{HashMap, HashSet};

use super::Sort;
use super::collect::Match;
use super::rank::{KeyHash, first_in_order, rank_order};

/// A passage standing for its group, and the other members in rank order.
pub type Group = (Match, Vec<Match>);

/// The groups that can be shown, and how many groups there are.
pub struct Collapsed {
    /// Distinct passages matched: every group counted once.
    pub total: usize,
    /// The best `window` groups, in rank order.
    pub groups: Vec<Group>,
}

pub fn collapse(matches: &[Match], window: usize, sort: Sort) -> Collapsed {
    let total = distinct_keys(matches);
    let leaders = leaders(matches, window.min(total), sort);
    let order = |a: &Match, b: &Match| rank_order(a, b, sort);
    let members = members_of(matches, &leaders);
    let groups = leaders
        .iter()
        .zip(members)
        .map(|(&l, mut dups)| {
            dups.sort_by(|&a, &b| order(&matches[a], &matches[b]));
            (matches[l], dups.into_iter().map(|i| matches[i]).collect())
        })
        .collect();
    Collapsed { total, groups }
}

/// How many duplicate keys the matches have.
fn distinct_keys(matches: &[Match]) -> usize {
    let mut keys: HashSet<u64, KeyHash> =
        HashSet::with_capacity_and_hasher(matches.len(), KeyHash::default());
    keys.extend(matches.iter().map(|m| m.dup_key));
    keys.len()
}

/// The best match of each of the best `groups` groups, in rank order: a group's best match
/// is its first in rank order, so these are the first matches of new keys in that order. They
/// are found among the best matches, as many taken as hold that many keys: a few more than
/// `groups` unless duplicates crowd the top.
fn leaders(matches: &[Match], groups: usize, sort: Sort) -> Vec<usize> {
    let mut taken = groups.saturating_mul(2).max(16);
    loop {
        let best = first_in_order(0..matches.len(), taken, |a, b| {
            rank_order(&matches[a], &matches[b], sort)
        });
        let mut seen: HashSet<u64, KeyHash> = HashSet::default();
        let leaders: Vec<usize> = best
            .iter()
            .copied()
            .filter(|&i| seen.insert(matches[i].dup_key))
            .take(groups)
            .collect();
        if leaders.len() == groups || best.len() == matches.len() {
            return leaders;
        }
        taken = taken.saturating_mul(4);
    }
}

/// For each leader, the other matches of its group.
fn members_of(matches: &[Match], leaders: &[usize]) -> Vec<Vec<usize>> {
    let group_of: HashMap<u64, usize, KeyHash> = leaders
        .iter()
        .enumerate()
        .map(|(g, &l)| (matches[l].dup_key, g))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); leaders.len()];
    for (i, m) in matches.iter().enumerate() {
        if let Some(&g) = group_of.get(&m.dup_key)
            && leaders[g] != i
        {
            members[g].push(i);
        }
    }
    members
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
    fn the_groups_shown_are_those_sorting_everything_gives() {
        // Keys shared by up to 40 matches, scores with ties (the address breaks them), and
        // one key crowding the top, so that the first matches hold fewer keys than shown.
        let matches: Vec<Match> = (0..3000u32)
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
                let collapsed = collapse(&matches, window, sort);
                assert_eq!(collapsed.total, expected.len());
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
