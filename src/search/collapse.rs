//! Collapsing duplicates: passages with the same duplicate key say the same thing, and the
//! best of each group in rank order stands for the others. Only the groups that can be shown
//! are sorted, so a query matching most of the index (的, 国务院) costs one pass over its
//! matches rather than a sort of all of them.

use std::collections::HashMap;

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
    let order = |a: &Match, b: &Match| rank_order(a, b, sort);
    let mut leader_of: HashMap<u64, usize, KeyHash> =
        HashMap::with_capacity_and_hasher(matches.len(), KeyHash::default());
    for (i, m) in matches.iter().enumerate() {
        leader_of
            .entry(m.dup_key)
            .and_modify(|l| {
                if order(m, &matches[*l]).is_lt() {
                    *l = i;
                }
            })
            .or_insert(i);
    }
    // Visited in the order of `matches`, which reads them sequentially.
    let mut is_leader = vec![false; matches.len()];
    for &l in leader_of.values() {
        is_leader[l] = true;
    }
    let leaders = first_in_order(
        (0..matches.len()).filter(|&i| is_leader[i]),
        window,
        |a, b| order(&matches[a], &matches[b]),
    );
    let members = members_of(matches, &leaders);
    let groups = leaders
        .iter()
        .zip(members)
        .map(|(&l, mut dups)| {
            dups.sort_by(|&a, &b| order(&matches[a], &matches[b]));
            (matches[l], dups.into_iter().map(|i| matches[i]).collect())
        })
        .collect();
    Collapsed {
        total: leader_of.len(),
        groups,
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
