//! Character differences between two texts (a longest common subsequence), as `verify` and
//! `diff` mark them: `[-removed-]{+added+}`. Written by hand: the texts are articles, a few
//! hundred characters, and the quadratic table is small.

use serde::Serialize;

/// Longest texts compared character by character; longer ones are compared as wholes.
const MAX_CHARS: usize = 6_000;

/// One run of a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Edit {
    Same(String),
    Removed(String),
    Added(String),
}

/// The edits that turn `old` into `new`, runs of one kind joined.
pub fn diff(old: &str, new: &str) -> Vec<Edit> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    if a.len() > MAX_CHARS || b.len() > MAX_CHARS {
        return whole(old, new);
    }
    let table = lcs_table(&a, &b);
    let (mut i, mut j) = (0, 0);
    let mut edits: Vec<Edit> = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            push(&mut edits, Edit::Same(a[i].to_string()));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || table[i + 1][j] >= table[i][j + 1]) {
            push(&mut edits, Edit::Removed(a[i].to_string()));
            i += 1;
        } else {
            push(&mut edits, Edit::Added(b[j].to_string()));
            j += 1;
        }
    }
    edits
}

fn whole(old: &str, new: &str) -> Vec<Edit> {
    if old == new {
        return vec![Edit::Same(old.to_string())];
    }
    vec![Edit::Removed(old.to_string()), Edit::Added(new.to_string())]
}

/// `table[i][j]`: the length of the longest common subsequence of `a[i..]` and `b[j..]`.
fn lcs_table(a: &[char], b: &[char]) -> Vec<Vec<u16>> {
    let mut table = vec![vec![0u16; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    table
}

/// Appends one character's edit, joining it to the last run of its kind.
fn push(edits: &mut Vec<Edit>, edit: Edit) {
    match (edits.last_mut(), edit) {
        (Some(Edit::Same(s)), Edit::Same(t))
        | (Some(Edit::Removed(s)), Edit::Removed(t))
        | (Some(Edit::Added(s)), Edit::Added(t)) => s.push_str(&t),
        (_, edit) => edits.push(edit),
    }
}

/// Whether one run is a change.
pub fn changed_run(edit: &Edit) -> bool {
    !matches!(edit, Edit::Same(_))
}

/// Whether the edits change anything.
pub fn changed(edits: &[Edit]) -> bool {
    edits.iter().any(|e| !matches!(e, Edit::Same(_)))
}

/// The edits as one line: `国家建立[-数据-]{+信息+}分类分级保护制度`.
pub fn marked(edits: &[Edit]) -> String {
    edits
        .iter()
        .map(|e| match e {
            Edit::Same(t) => t.clone(),
            Edit::Removed(t) => format!("[-{t}-]"),
            Edit::Added(t) => format!("{{+{t}+}}"),
        })
        .collect()
}

/// The edits between a quote and the text it quotes from, without the text's characters
/// before and after the stretch quoted: a quote may be part of an article.
pub fn quoted(quote: &str, text: &str) -> Vec<Edit> {
    let mut edits = diff(quote, text);
    while matches!(edits.first(), Some(Edit::Added(_))) {
        edits.remove(0);
    }
    while matches!(edits.last(), Some(Edit::Added(_))) {
        edits.pop();
    }
    edits
}

/// How alike two texts are: the share of their characters in common (0–1).
pub fn similarity(a: &str, b: &str) -> f64 {
    let total = a.chars().count() + b.chars().count();
    if total == 0 {
        return 1.0;
    }
    let same: usize = diff(a, b)
        .iter()
        .map(|e| match e {
            Edit::Same(t) => t.chars().count(),
            _ => 0,
        })
        .sum();
    2.0 * same as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_character_is_marked() {
        let edits = diff(
            "国家建立数据分类分级保护制度",
            "国家建立信息分类分级保护制度",
        );
        assert_eq!(marked(&edits), "国家建立[-数据-]{+信息+}分类分级保护制度");
        assert!(changed(&edits));
        assert!(!changed(&diff("同", "同")));
    }

    #[test]
    fn a_quote_of_part_of_a_text_is_not_missing_the_rest() {
        let edits = quoted("数据分类分级", "第二十一条 国家建立数据分类分级保护制度。");
        assert!(!changed(&edits));
        let edits = quoted("数据分内分级", "国家建立数据分类分级保护制度");
        assert_eq!(marked(&edits), "数据分[-内-]{+类+}分级");
    }

    #[test]
    fn similarity_counts_shared_characters() {
        assert_eq!(similarity("abcd", "abcd"), 1.0);
        assert_eq!(similarity("ab", "cd"), 0.0);
        assert!((similarity("abcd", "abxd") - 0.75).abs() < 1e-9);
    }
}
