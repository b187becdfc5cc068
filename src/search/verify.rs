//! `verify`: the check before filing. Given a pasted citation with its quoted text
//! (`《中华人民共和国数据安全法》第二十一条：国家建立数据分类分级保护制度…`), does the index hold
//! the document, does it have the article, does the quote match the article's text (after
//! normalisation; the differences marked), and is the version quoted the one in force.

use anyhow::{Result, bail};
use serde::Serialize;

use crate::index::Store;
use crate::index::catalog::Catalog;
use crate::index::versions::{AMENDED, EXPIRED, REPEALED, Versions};
use crate::ingest::legal::{article_after, article_number, titles_in};
use crate::ingest::meta::short_title;
use crate::ingest::passage::core;
use crate::search::citations::passages;
use crate::search::textdiff::{self, Edit};

/// What `verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub citation: String,
    /// The document the citation names, if the index holds it.
    pub document: Option<String>,
    pub title: Option<String>,
    pub version: Option<String>,
    /// The article's passage, if the document has it.
    pub article: Option<String>,
    pub passage: Option<u64>,
    /// Whether the quote matches the article's text (none when nothing is quoted), and the
    /// differences when it does not.
    pub text_matches: Option<bool>,
    pub differences: Vec<Edit>,
    /// Another version of the text whose article the quote matches.
    pub matches_version: Option<String>,
    /// Whether that version is the one in force, its status and what replaced it.
    pub current: bool,
    pub status: Option<String>,
    pub superseded_by_version: Option<String>,
    /// Whether every check holds.
    pub ok: bool,
}

/// A citation taken apart: the title, the version note, the article number, the quote.
struct Citation {
    title: String,
    version: Option<String>,
    article: String,
    quote: String,
}

fn parse(input: &str) -> Result<Citation> {
    let input = input.trim();
    let Some((title, end)) = titles_in(input).into_iter().next() else {
        bail!(
            "no title in {input:?}: write the citation as 《中华人民共和国数据安全法》第二十一条：…"
        );
    };
    let rest = &input[end..];
    let version = rest
        .strip_prefix(['（', '('])
        .and_then(|r| r.split_once(['）', ')']))
        .map(|(v, _)| v.to_string())
        .filter(|v| v.contains('年'));
    let Some(article) = article_after(rest) else {
        bail!("no article (第N条) after the title in {input:?}");
    };
    let after = &rest[rest.find(article.as_str()).unwrap_or(0) + article.len()..];
    let quote = after.split_once(['：', ':']).map_or(after, |(_, q)| q);
    Ok(Citation {
        title,
        version,
        article,
        quote: quote.trim().to_string(),
    })
}

/// Checks a pasted citation against the index.
pub fn verify(store: &Store, input: &str) -> Result<Verdict> {
    let cited = parse(input)?;
    let catalog = Catalog::load(&store.index, store.dir())?;
    let versions = store.versions()?;
    let mut verdict = Verdict {
        citation: input.trim().to_string(),
        document: None,
        title: None,
        version: None,
        article: Some(cited.article.clone()),
        passage: None,
        text_matches: None,
        differences: Vec::new(),
        matches_version: None,
        current: false,
        status: None,
        superseded_by_version: None,
        ok: false,
    };
    let members = members(&catalog, versions, &cited.title);
    let Some(path) = chosen(versions, &members, cited.version.as_deref()) else {
        return Ok(verdict);
    };
    let doc = versions.docs.get(&path).cloned().unwrap_or_default();
    verdict.title = Some(catalog.files[&path].title.clone());
    verdict.version = doc.version.clone();
    verdict.status = doc.status.clone();
    verdict.superseded_by_version = doc.superseded_by_version.clone();
    verdict.current =
        doc.latest && !matches!(doc.status.as_deref(), Some(AMENDED | REPEALED | EXPIRED));
    verdict.document = Some(path.clone());
    check_text(store, &mut verdict, &cited, &path, &members, versions)?;
    verdict.ok =
        verdict.passage.is_some() && verdict.text_matches.unwrap_or(true) && verdict.current;
    Ok(verdict)
}

/// The documents whose title is the one cited, primary versions first.
pub(crate) fn members(catalog: &Catalog, versions: &Versions, title: &str) -> Vec<String> {
    let key = short_title(title);
    let mut found: Vec<String> = catalog
        .files
        .iter()
        .filter(|(_, r)| short_title(&r.title) == key)
        .map(|(p, _)| p.clone())
        .collect();
    found.sort_by_key(|p| versions.docs.get(p).is_some_and(|d| d.copy_of.is_some()));
    found
}

/// The document to check: the version cited, else the current one, else the newest.
fn chosen(versions: &Versions, members: &[String], version: Option<&str>) -> Option<String> {
    let doc = |p: &String| versions.docs.get(p);
    let pick = |want: &dyn Fn(&String) -> bool| members.iter().find(|p| want(p)).cloned();
    match version {
        Some(v) => pick(&|p| doc(p).and_then(|d| d.version.as_deref()) == Some(v)),
        None => pick(&|p| doc(p).is_some_and(|d| d.latest)),
    }
    .or_else(|| members.first().cloned())
}

/// Finds the article in the document and compares the quote with it; when they differ,
/// looks for another version whose article the quote matches.
fn check_text(
    store: &Store,
    verdict: &mut Verdict,
    cited: &Citation,
    path: &str,
    members: &[String],
    versions: &Versions,
) -> Result<()> {
    let n = article_number(&cited.article);
    let article = |p: &str| -> Result<Option<(u64, String)>> {
        let found = passages(store, p)?;
        Ok(found
            .zip(n)
            .and_then(|(ps, n)| ps.articles.get(&n).cloned()))
    };
    let Some((passage, text)) = article(path)? else {
        return Ok(());
    };
    verdict.passage = Some(passage);
    if core(&cited.quote).is_empty() {
        return Ok(());
    }
    let edits = compare(&cited.quote, &text);
    let matches = !edits.iter().any(textdiff::changed_run);
    verdict.text_matches = Some(matches);
    if matches {
        return Ok(());
    }
    verdict.differences = edits;
    for other in members.iter().filter(|m| m.as_str() != path) {
        if let Some((_, text)) = article(other)?
            && !compare(&cited.quote, &text)
                .iter()
                .any(textdiff::changed_run)
        {
            verdict.matches_version = versions.docs.get(other).and_then(|d| d.version.clone());
            break;
        }
    }
    Ok(())
}

/// The differences between a quote and an article, each compared as letters and digits
/// (punctuation, spaces and the article's number aside); a quote cut with … is compared
/// piece by piece.
fn compare(quote: &str, article: &str) -> Vec<Edit> {
    let label_end = article
        .find('条')
        .filter(|&i| article.starts_with('第') && i < 40)
        .map_or(0, |i| i + '条'.len_utf8());
    let text = core(&article[label_end..]);
    let mut edits = Vec::new();
    for piece in quote.split(['…', '⋯']).map(core).filter(|p| !p.is_empty()) {
        edits.extend(textdiff::quoted(&piece, &text));
    }
    edits
}
