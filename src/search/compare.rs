//! `diff`: what changed between two versions of a text. Articles are aligned by content, not
//! by number (an amendment renumbers the articles after the one it inserts): equal texts
//! first, then the most alike pairs, each article at most once; the rest are added or
//! removed.

use std::collections::HashSet;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::index::Store;
use crate::index::catalog::Catalog;
use crate::ingest::passage::core;
use crate::search::citations::passages;
use crate::search::textdiff::{self, Edit};
use crate::search::verify::members;

/// Two articles less alike than this (shared character pairs) are not one article changed;
/// two of the same number, less alike than [`MIN_LIKENESS_SAME_NUMBER`].
const MIN_LIKENESS: f64 = 0.4;
const MIN_LIKENESS_SAME_NUMBER: f64 = 0.2;

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub path: String,
    pub version: Option<String>,
}

/// What happened to one article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleChange {
    /// same, renumbered, changed, added or removed.
    pub change: &'static str,
    pub from_article: Option<String>,
    pub to_article: Option<String>,
    /// The edits from the old text to the new (empty when the text is the same).
    pub edits: Vec<Edit>,
}

/// The comparison of two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub title: String,
    pub from: Side,
    pub to: Side,
    pub articles: Vec<ArticleChange>,
}

/// An article: its label, its number, its text without the label and spaces, its core.
struct Article {
    label: String,
    text: String,
    core: String,
}

/// Compares the versions `from` and `to` (a year, a version label or part of a path) of the
/// text titled `title`.
pub fn compare(store: &Store, title: &str, from: &str, to: &str) -> Result<Comparison> {
    let catalog = Catalog::load(&store.index, store.dir())?;
    let versions = store.versions()?;
    let found = members(&catalog, versions, title);
    if found.is_empty() {
        bail!(
            "no text titled {title} in the index (`zhengce list title:{title}` lists the titles holding it)"
        );
    }
    let pick = |wanted: &str| -> Result<String> {
        let hit = found.iter().find(|p| {
            let version = versions.docs.get(*p).and_then(|d| d.version.as_deref());
            let date = catalog.files[*p].date.as_deref().unwrap_or_default();
            version.is_some_and(|v| v.starts_with(wanted)) || date.starts_with(wanted)
        });
        let hit = hit.or_else(|| found.iter().find(|p| p.contains(wanted)));
        match hit {
            Some(p) => Ok(p.clone()),
            None => bail!(
                "no version {wanted} of {title} in the index: its versions are {}",
                labels(&found, versions)
            ),
        }
    };
    let (a, b) = (pick(from)?, pick(to)?);
    let (old, new) = (articles(store, &a)?, articles(store, &b)?);
    let side = |p: &String| Side {
        path: p.clone(),
        version: versions.docs.get(p).and_then(|d| d.version.clone()),
    };
    Ok(Comparison {
        title: catalog.files[&b].title.clone(),
        from: side(&a),
        to: side(&b),
        articles: align(&old, &new),
    })
}

/// The versions of a family, as `diff` takes them.
fn labels(found: &[String], versions: &crate::index::versions::Versions) -> String {
    let mut labels: Vec<String> = found
        .iter()
        .filter_map(|p| versions.docs.get(p).and_then(|d| d.version.clone()))
        .collect();
    labels.sort();
    labels.dedup();
    labels.join(", ")
}

/// The articles of a document in their order.
fn articles(store: &Store, path: &str) -> Result<Vec<Article>> {
    let Some(found) = passages(store, path)? else {
        bail!("{path} has no text in the index");
    };
    let mut numbered: Vec<(u32, u64)> = found.articles.iter().map(|(n, (p, _))| (*n, *p)).collect();
    numbered.sort();
    Ok(numbered
        .into_iter()
        .map(|(n, p)| {
            let label = found
                .article_of
                .get(&p)
                .cloned()
                .unwrap_or_else(|| n.to_string());
            let whole = &found.articles[&n].1;
            let text: String = whole
                .strip_prefix(label.as_str())
                .unwrap_or(whole)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let core = core(&text);
            Article { label, text, core }
        })
        .collect())
}

/// Pairs of articles: the same text first, then the most alike, then the rest alone; in the
/// new version's order, removed articles where they stood.
fn align(old: &[Article], new: &[Article]) -> Vec<ArticleChange> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let (mut used_old, mut used_new) = (HashSet::new(), HashSet::new());
    for (j, b) in new.iter().enumerate() {
        if let Some(i) = (0..old.len()).find(|i| !used_old.contains(i) && old[*i].core == b.core) {
            pairs.push((i, j));
            used_old.insert(i);
            used_new.insert(j);
        }
    }
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, a) in old
        .iter()
        .enumerate()
        .filter(|(i, _)| !used_old.contains(i))
    {
        let grams = bigrams(&a.core);
        for (j, b) in new
            .iter()
            .enumerate()
            .filter(|(j, _)| !used_new.contains(j))
        {
            let likeness = jaccard(&grams, &bigrams(&b.core));
            let least = match a.label == b.label {
                true => MIN_LIKENESS_SAME_NUMBER,
                false => MIN_LIKENESS,
            };
            if likeness >= least {
                candidates.push((likeness, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    for (_, i, j) in candidates {
        if !used_old.contains(&i) && !used_new.contains(&j) {
            pairs.push((i, j));
            used_old.insert(i);
            used_new.insert(j);
        }
    }
    changes(old, new, &pairs, &used_old)
}

/// The changes in the new version's order, each removed article after the one before it.
fn changes(
    old: &[Article],
    new: &[Article],
    pairs: &[(usize, usize)],
    used_old: &HashSet<usize>,
) -> Vec<ArticleChange> {
    let mut out: Vec<(usize, usize, ArticleChange)> = Vec::new();
    for &(i, j) in pairs {
        let (a, b) = (&old[i], &new[j]);
        let edits = if a.core == b.core {
            Vec::new()
        } else {
            textdiff::diff(&a.text, &b.text)
        };
        let change = match (edits.is_empty(), a.label == b.label) {
            (true, true) => "same",
            (true, false) => "renumbered",
            (false, _) => "changed",
        };
        out.push((
            j,
            0,
            ArticleChange {
                change,
                from_article: Some(a.label.clone()),
                to_article: Some(b.label.clone()),
                edits,
            },
        ));
    }
    for (j, b) in new.iter().enumerate() {
        if !pairs.iter().any(|p| p.1 == j) {
            out.push((
                j,
                0,
                ArticleChange {
                    change: "added",
                    from_article: None,
                    to_article: Some(b.label.clone()),
                    edits: vec![Edit::Added(b.text.clone())],
                },
            ));
        }
    }
    for (i, a) in old
        .iter()
        .enumerate()
        .filter(|(i, _)| !used_old.contains(i))
    {
        // After the new article that the old one before it became.
        let at = (0..i)
            .rev()
            .find_map(|k| pairs.iter().find(|p| p.0 == k).map(|p| p.1))
            .map_or(0, |j| j + 1);
        out.push((
            at,
            1 + i,
            ArticleChange {
                change: "removed",
                from_article: Some(a.label.clone()),
                to_article: None,
                edits: vec![Edit::Removed(a.text.clone())],
            },
        ));
    }
    out.sort_by_key(|(j, k, _)| (*j, *k));
    out.into_iter().map(|(_, _, c)| c).collect()
}

fn bigrams(text: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

fn jaccard(a: &HashSet<(char, char)>, b: &HashSet<(char, char)>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(b).count() as f64 / union as f64
}
