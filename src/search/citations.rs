//! `cites` and `cited-by`: the references a document or article makes, and those made to
//! it, from the references resolved at indexing time (see [`crate::index::versions`]).

use std::collections::HashMap;

use anyhow::{Result, bail};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::index::Store;
use crate::index::document::Stored;
use crate::index::versions::{self, Link};
use crate::ingest::legal::article_number;
use crate::ingest::walk;

/// One reference, as `cites` and `cited-by` print it.
#[derive(Debug, Clone, Serialize)]
pub struct Cited {
    /// The citing document and passage, and the article that passage is.
    pub from: String,
    pub passage: u64,
    pub from_article: Option<String>,
    /// As cited: the title, article and number; `own` for 本法第N条.
    pub title: Option<String>,
    pub article: Option<String>,
    pub number: Option<String>,
    pub own: bool,
    /// The document cited, if indexed, the passage of the article cited, and the cited
    /// document's status.
    pub to: Option<String>,
    pub to_passage: Option<u64>,
    pub article_found: Option<bool>,
    pub to_title: Option<String>,
    pub to_status: Option<String>,
    pub to_version: Option<String>,
}

/// The passages of one document: its title and, for each article number, the passage and
/// its text.
pub(crate) struct Passages {
    pub title: String,
    pub articles: HashMap<u32, (u64, String)>,
    /// The article each passage is.
    pub article_of: HashMap<u64, String>,
}

/// Reads the passages of the document at `path` (as indexed).
pub(crate) fn passages(store: &Store, path: &str) -> Result<Option<Passages>> {
    let searcher = store.reader()?.searcher();
    let f = &store.fields;
    let query = TermQuery::new(
        Term::from_field_text(f.path, path),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&query, &DocSetCollector)?;
    let mut out = Passages {
        title: String::new(),
        articles: HashMap::new(),
        article_of: HashMap::new(),
    };
    for address in &addresses {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let stored = Stored::from_doc(&doc, f);
        out.title = stored.title;
        if let Some(a) = stored.article {
            // 第一百三十三条之一 is not 第一百三十三条.
            if let Some(n) = article_number(&a).filter(|_| !a.contains('之')) {
                let text = stored.text.clone();
                out.articles.entry(n).or_insert((stored.ordinal, text));
            }
            out.article_of.insert(stored.ordinal, a);
        }
    }
    Ok((!addresses.is_empty()).then_some(out))
}

/// `PATH` or `PATH:N` as indexed, and N.
fn target(store: &Store, typed: &str) -> Result<(String, Option<u64>)> {
    let (path, passage) = match typed.rsplit_once(':') {
        Some((p, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            (p, n.parse::<u64>().ok())
        }
        _ => (typed, None),
    };
    let indexed = walk::indexed_path(std::path::Path::new(path));
    if !store.versions()?.docs.contains_key(&indexed) {
        bail!("no document {path} in the index (`zhengce list` shows what it holds)");
    }
    Ok((indexed, passage))
}

/// What the document (or passage) `typed` cites.
pub fn cites(store: &Store, typed: &str) -> Result<Vec<Cited>> {
    let (path, passage) = target(store, typed)?;
    let citations = versions::load_citations(&store.index, store.dir())?;
    let links: Vec<&Link> = citations
        .links
        .iter()
        .filter(|l| l.from == path && passage.is_none_or(|n| l.passage == n))
        .collect();
    describe(store, &links)
}

/// What cites the document (or the article that passage `N` is) `typed`.
pub fn cited_by(store: &Store, typed: &str) -> Result<Vec<Cited>> {
    let (path, passage) = target(store, typed)?;
    let article = match passage {
        Some(n) => {
            let own = passages(store, &path)?;
            let article = own.and_then(|p| p.article_of.get(&n).cloned());
            match article {
                Some(a) => article_number(&a),
                None => bail!("{typed} is no article: give a passage that is one, or the document"),
            }
        }
        None => None,
    };
    let citations = versions::load_citations(&store.index, store.dir())?;
    let links: Vec<&Link> = citations
        .links
        .iter()
        .filter(|l| l.to.as_deref() == Some(path.as_str()))
        .filter(|l| {
            article.is_none_or(|a| l.article.as_deref().and_then(article_number) == Some(a))
        })
        .collect();
    describe(store, &links)
}

/// The references with what the index knows of their ends.
fn describe(store: &Store, links: &[&Link]) -> Result<Vec<Cited>> {
    let versions = store.versions()?;
    let mut cache: HashMap<String, Option<Passages>> = HashMap::new();
    let mut out = Vec::with_capacity(links.len());
    for link in links {
        for path in [Some(&link.from), link.to.as_ref()].into_iter().flatten() {
            if !cache.contains_key(path) {
                cache.insert(path.clone(), passages(store, path)?);
            }
        }
        let from = cache[&link.from].as_ref();
        let to = link.to.as_ref().and_then(|t| cache[t].as_ref());
        let cited_article = link.article.as_deref().and_then(article_number);
        let doc = link.to.as_ref().and_then(|t| versions.docs.get(t));
        out.push(Cited {
            from: link.from.clone(),
            passage: link.passage,
            from_article: from.and_then(|p| p.article_of.get(&link.passage).cloned()),
            title: link.title.clone(),
            article: link.article.clone(),
            number: link.number.clone(),
            own: link.to.as_ref() == Some(&link.from) && link.title.is_none(),
            to: link.to.clone(),
            to_passage: to
                .zip(cited_article)
                .and_then(|(p, n)| p.articles.get(&n).map(|a| a.0)),
            article_found: link.article_found,
            to_title: to.map(|p| p.title.clone()),
            to_status: doc.and_then(|d| d.status.clone()),
            to_version: doc.and_then(|d| d.version.clone()),
        });
    }
    Ok(out)
}
