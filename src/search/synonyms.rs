//! Synonym groups in, query-time expansion out: a built-in table of the policy domain's
//! abbreviations (WTO / 世界贸易组织 / 世贸组织, 国办 / 国务院办公厅 …) plus the user's files,
//! one group per line; the composable parts of names (人大, 常委会 …), the laws' short names
//! made by rule and the abbreviations the indexed documents define (see [`super::aliases`]).
//! Every group knows where it came from, for `zhengce aliases`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::aliases::{Defined, IndexAliases, IndexTable, Parts};
use crate::analysis::{gram_tokens, is_cjk, normalize};

/// The built-in table (same format as a user's file).
const BUILTIN: &str = include_str!("synonyms.txt");
/// Name of the synonyms file read from the index folder when present.
pub const INDEX_FILE: &str = "synonyms.txt";
/// Most alternatives a query word expands to.
const MAX_ALTERNATIVES: usize = 48;

/// Where a group of synonyms comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// The built-in table (`src/search/synonyms.txt`).
    Builtin,
    /// A file: the index folder's `synonyms.txt` or `--synonyms FILE`.
    File { path: String },
    /// The short-name rule, from the law's name.
    Rule { law: String },
    /// Abbreviations the indexed documents define, the same way in each of these.
    Defined { files: Vec<String> },
}

impl Source {
    /// One line saying where the group comes from.
    pub fn describe(&self) -> String {
        match self {
            Source::Builtin => "built-in table".to_string(),
            Source::File { path } => format!("file {path}"),
            Source::Rule { law } => format!("short-name rule, from {law}"),
            Source::Defined { files } => defined_in(files),
        }
    }
}

/// `defined in 12 documents: 北京市预算监督条例.md, 重庆市地方立法条例.md and 10 more`: the
/// files by name, the first two only (`zhengce aliases TERM --json` lists them all).
fn defined_in(files: &[String]) -> String {
    const NAMED: usize = 2;
    let names: Vec<&str> = files
        .iter()
        .take(NAMED)
        .map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f))
        .collect();
    let more = match files.len().saturating_sub(NAMED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let s = if files.len() == 1 { "" } else { "s" };
    format!(
        "defined in {} document{s}: {}{more}",
        files.len(),
        names.join(", ")
    )
}

/// A group of terms that mean the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub terms: Vec<String>,
    pub source: Source,
}

/// Bodies related to a term without being the same (a predecessor, a successor), shown and
/// never searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub term: String,
    pub related: Vec<String>,
    pub source: Source,
}

/// An abbreviation one document defines for itself: in that document, the short form also
/// finds the long one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Local {
    pub long: String,
    pub files: Vec<String>,
    /// The documents' keys (see [`crate::index::document::doc_key`]).
    #[serde(skip)]
    pub keys: Vec<u64>,
}

/// What `zhengce aliases TERM` says of a term.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// The term, normalised.
    pub term: String,
    /// What a search for the term finds: the term, then its aliases.
    pub finds: Vec<String>,
    pub groups: Vec<Cow<'a, Group>>,
    /// The composable parts the term is made of, with their long forms.
    pub parts: Vec<(String, Vec<String>)>,
    /// The long forms the documents defining the term for themselves give it.
    pub defined: Vec<Local>,
    pub related: Vec<Related>,
}

/// Every alias there is, for `zhengce aliases` without a term.
#[derive(Debug, Serialize)]
pub struct Everything<'a> {
    pub groups: Vec<Cow<'a, Group>>,
    pub parts: Vec<(&'a String, &'a Vec<String>)>,
    pub related: Vec<Related>,
    pub defined: Vec<(String, Vec<Local>)>,
}

/// Synonym groups, looked up by normalised term: the built-in table's, then the index's, then
/// the files'.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Whether the built-in table applies; it is read when a word is looked up (see
    /// [`builtin_lines`]).
    builtin: bool,
    /// The files' groups.
    groups: Vec<Group>,
    /// Normalised term → the files' groups holding it.
    by_term: HashMap<String, Vec<usize>>,
    /// The files' relations.
    related: Vec<Related>,
    parts: Parts,
    /// The index's own aliases, looked up by term when a word is expanded.
    index: Option<IndexAliases>,
}

impl Synonyms {
    /// No synonyms at all.
    pub fn none() -> Synonyms {
        Synonyms::default()
    }

    /// The built-in table and parts.
    pub fn builtin() -> Synonyms {
        Synonyms {
            builtin: true,
            parts: Parts::builtin(),
            ..Synonyms::default()
        }
    }

    /// The built-in table, then the index's own aliases (the laws' short names, the
    /// abbreviations its documents define), `synonyms.txt` in the index folder if present,
    /// then the user's file if given.
    pub fn load(index_dir: &Path, user_file: Option<&Path>) -> Result<Synonyms> {
        let mut s = Synonyms::builtin();
        if let Some(aliases) = IndexAliases::committed(index_dir) {
            s.set_index_aliases(aliases);
        }
        let in_index = index_dir.join(INDEX_FILE);
        if in_index.is_file() {
            s.add_file(&in_index)?;
        }
        if let Some(path) = user_file {
            s.add_file(path)?;
        }
        Ok(s)
    }

    /// Adds the aliases an index holds: the laws' short names (unless a table already names
    /// them), the abbreviations defined across it, and those its documents define for
    /// themselves.
    pub fn add_index_table(&mut self, table: &IndexTable) {
        self.set_index_aliases(IndexAliases::of(table));
    }

    fn set_index_aliases(&mut self, aliases: IndexAliases) {
        self.index = Some(aliases);
    }

    /// The built-in table's groups holding `word`.
    fn builtin_groups(&self, word: &str) -> Vec<Group> {
        if !self.builtin {
            return Vec::new();
        }
        // Each word of a query looks the table up: its lines are split without allocating
        // until one holds the word.
        BUILTIN
            .lines()
            .map(split_line)
            .filter(|(terms, related)| {
                related.is_none() && raw_terms(terms).any(|t| t.eq_ignore_ascii_case(word))
            })
            .map(|(terms, _)| builtin_group(&raw_terms(terms).collect::<Vec<_>>()))
            .collect()
    }

    /// The built-in table's lines, when it applies.
    fn builtin_table(&self) -> impl Iterator<Item = BuiltinLine> {
        builtin_lines().filter(|_| self.builtin)
    }

    /// Every relation: the built-in table's, then the files'.
    fn all_related(&self) -> Vec<Related> {
        let builtin = self.builtin_table().filter_map(|(terms, related)| {
            Some(Related {
                term: terms.first()?.to_ascii_lowercase(),
                related: related?.iter().map(|t| t.to_ascii_lowercase()).collect(),
                source: Source::Builtin,
            })
        });
        builtin.chain(self.related.iter().cloned()).collect()
    }

    /// The groups the index's aliases make of `word`: the law it is the short name of (unless
    /// a group before them holds the word), the shared abbreviations holding it.
    fn index_groups(&self, word: &str, named_before: bool) -> Vec<Group> {
        let Some(aliases) = self.index.as_ref().and_then(|i| i.get(word)) else {
            return Vec::new();
        };
        let rule = aliases
            .law
            .filter(|_| !named_before)
            .map(|law| rule_group(word.to_string(), law));
        rule.into_iter()
            .chain(aliases.shared.into_iter().map(shared_group))
            .collect()
    }

    /// Adds the groups of a file.
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the synonyms file {}", path.display()))?;
        let name = path.display().to_string();
        self.add(&text, &name, &Source::File { path: name.clone() })
    }

    /// Adds the groups of `text`: one group per line, terms separated by spaces or commas,
    /// `#` starting a comment; a line `A ~ B C` relates B and C to A. `name` names the text
    /// in errors.
    pub fn add_text(&mut self, text: &str, name: &str) -> Result<()> {
        let source = Source::File {
            path: name.to_string(),
        };
        self.add(text, name, &source)
    }

    fn add(&mut self, text: &str, name: &str, source: &Source) -> Result<()> {
        for (n, line) in text.lines().enumerate() {
            let (line, related) = split_line(line);
            let terms = terms_of(line, name, n + 1)?;
            if let Some(related) = related {
                let related = terms_of(related, name, n + 1)?;
                match (terms.as_slice(), related.is_empty()) {
                    ([term], false) => self.related.push(Related {
                        term: term.clone(),
                        related,
                        source: source.clone(),
                    }),
                    _ => bail!(
                        "{name}:{}: a line with ~ relates one term to others: `A ~ B C`",
                        n + 1
                    ),
                }
                continue;
            }
            match terms.len() {
                0 => continue,
                1 => bail!(
                    "{name}:{}: a synonym group needs at least two terms, found only {:?}",
                    n + 1,
                    terms[0]
                ),
                _ => self.push(terms, source.clone()),
            }
        }
        Ok(())
    }

    fn push(&mut self, terms: Vec<String>, source: Source) {
        let id = self.groups.len();
        for t in &terms {
            self.by_term.entry(t.clone()).or_default().push(id);
        }
        self.groups.push(Group { terms, source });
    }

    /// The normalised word followed by every other term of the groups holding it and by the
    /// combinations of the long forms of the parts it is made of (市人大常委会 →
    /// 市人民代表大会常务委员会 …); an alternative holding a shorter one is left out, as the
    /// shorter finds it (国家发展和改革委员会 beside 发展和改革委员会).
    pub fn expand(&self, word: &str) -> Vec<String> {
        let mut out = vec![word.to_string()];
        let add = |out: &mut Vec<String>, t: &String| {
            if !out.contains(t) {
                out.push(t.clone());
            }
        };
        for g in self.groups_of(word) {
            g.terms.iter().for_each(|t| add(&mut out, t));
        }
        // The combinations of the parts of the word and of its group's terms.
        for t in out.clone() {
            for c in self.parts.combinations(&t) {
                add(&mut out, &c);
            }
        }
        let kept: Vec<String> = out
            .iter()
            .enumerate()
            .filter(|&(i, t)| {
                i == 0
                    || !out.iter().enumerate().any(|(j, shorter)| {
                        j != i
                            && shorter.len() < t.len()
                            && shorter.chars().all(is_cjk)
                            && t.contains(shorter.as_str())
                    })
            })
            .map(|(_, t)| t.clone())
            .take(MAX_ALTERNATIVES)
            .collect();
        kept
    }

    /// What the documents that define `word` for themselves mean by it, the long forms the
    /// word does not find anyway: those holding none of `found`, its expansion
    /// ([`Synonyms::expand`]).
    pub fn local(&self, word: &str, found: &[String]) -> Vec<Local> {
        self.local_of(word)
            .into_iter()
            .filter(|l| !found.iter().any(|f| l.long.contains(f.as_str())))
            .collect()
    }

    /// Where the alias `alternative` of `word` comes from: its group's source, the parts it
    /// is made of, or the documents defining it.
    pub fn why(&self, word: &str, alternative: &str) -> Option<String> {
        let groups = self.groups_of(word);
        let mut bases = vec![word];
        for g in &groups {
            if g.terms.iter().any(|t| t == alternative) {
                return Some(g.source.describe());
            }
            bases.extend(g.terms.iter().map(String::as_str));
        }
        if let Some(l) = self
            .local_of(word)
            .into_iter()
            .find(|l| l.long == alternative)
        {
            let files = l.files;
            return Some(format!(
                "{}, for itself",
                Source::Defined { files }.describe()
            ));
        }
        bases
            .into_iter()
            .find(|b| self.parts.combinations(b).iter().any(|c| c == alternative))
            .map(|b| format!("parts of {b}: {}", self.parts.describe(b)))
    }

    /// What the documents that define `word` for themselves mean by it.
    fn local_of(&self, word: &str) -> Vec<Local> {
        let aliases = self.index.as_ref().and_then(|i| i.get(word));
        aliases
            .into_iter()
            .flat_map(|a| a.local)
            .map(local)
            .collect()
    }

    /// The groups holding `word`: the built-in table's, the index's, the files'.
    pub fn groups_of(&self, word: &str) -> Vec<Cow<'_, Group>> {
        let builtin = self.builtin_groups(word);
        let index = self.index_groups(word, !builtin.is_empty());
        let files = self.by_term.get(word).into_iter().flatten();
        let mut groups: Vec<Cow<'_, Group>> = builtin.into_iter().map(Cow::Owned).collect();
        groups.extend(index.into_iter().map(Cow::Owned));
        groups.extend(files.map(|&g| Cow::Borrowed(&self.groups[g])));
        groups
    }

    /// The bodies related to `word` or to a term of its groups.
    pub fn related_to(&self, word: &str) -> Vec<Related> {
        let groups = self.groups_of(word);
        let mut terms: Vec<&str> = vec![word];
        for g in &groups {
            terms.extend(g.terms.iter().map(String::as_str));
        }
        let mut related = self.all_related();
        related.retain(|r| terms.contains(&r.term.as_str()));
        related
    }

    /// How `word` is cut into composable parts, if it holds any.
    pub fn decompose(&self, word: &str) -> Option<super::aliases::Decomposition> {
        self.parts.decompose(word)
    }

    /// What applies to `term` and where each alias comes from.
    pub fn report(&self, term: &str) -> Report<'_> {
        let term = normalize(term).text;
        let parts = self
            .parts
            .decompose(&term)
            .map(|d| {
                d.pieces
                    .into_iter()
                    .filter(|(_, long)| !long.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let mut finds = self.expand(&term);
        let defined = self.local_of(&term);
        finds.extend(
            defined
                .iter()
                .map(|l| l.long.clone())
                .filter(|l| !finds.contains(l))
                .collect::<Vec<_>>(),
        );
        Report {
            finds,
            groups: self.groups_of(&term),
            parts,
            defined,
            related: self.related_to(&term),
            term,
        }
    }

    /// Every group, relation, composable part and abbreviation documents define for
    /// themselves, in a stable order.
    pub fn everything(&self) -> Everything<'_> {
        let mut parts: Vec<_> = self.parts.iter().collect();
        parts.sort();
        let table = self
            .index
            .as_ref()
            .map(IndexAliases::table)
            .unwrap_or_default();
        let builtin = self
            .builtin_table()
            .filter(|(_, related)| related.is_none());
        let rules = table.laws.into_iter();
        let rules = rules.filter(|(short, _)| self.builtin_groups(short).is_empty());
        let index = rules
            .map(|(short, law)| rule_group(short, law))
            .chain(table.shared.into_iter().map(shared_group));
        let groups = builtin
            .map(|(terms, _)| builtin_group(&terms))
            .chain(index)
            .map(Cow::Owned)
            .chain(self.groups.iter().map(Cow::Borrowed))
            .collect();
        let mut defined: Vec<(String, Vec<Local>)> = Vec::new();
        for d in table.local {
            match defined.last_mut() {
                Some((short, locals)) if *short == d.short => locals.push(local(d)),
                _ => defined.push((d.short.clone(), vec![local(d)])),
            }
        }
        Everything {
            groups,
            parts,
            related: self.all_related(),
            defined,
        }
    }

    /// How many groups there are, but the index's.
    pub fn len(&self) -> usize {
        let builtin = self
            .builtin_table()
            .filter(|(_, related)| related.is_none());
        builtin.count() + self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The group of a law's short name made by rule. The index's table holds it under the short
/// name alone: the short name finds its law, but the law's name does not bring it in, as most
/// of them are never written and a query for the law should not find every text that happens
/// to hold three of its characters side by side.
fn rule_group(short: String, law: String) -> Group {
    Group {
        terms: vec![short, law.clone()],
        source: Source::Rule { law },
    }
}

/// The group of an abbreviation defined alike across the index.
fn shared_group(d: Defined) -> Group {
    Group {
        terms: vec![d.short, d.long],
        source: Source::Defined {
            files: d.files.iter().map(|f| shown(f)).collect(),
        },
    }
}

/// An abbreviation a document defines for itself, as the query applies it.
fn local(d: Defined) -> Local {
    Local {
        keys: d
            .files
            .iter()
            .map(|f| crate::index::document::doc_key(f))
            .collect(),
        files: d.files.iter().map(|f| shown(f)).collect(),
        long: d.long,
    }
}

/// A line of a synonyms file without its comment: its terms, and for `A ~ B C` the related
/// ones.
fn split_line(line: &str) -> (&str, Option<&str>) {
    let line = line.split('#').next().unwrap_or_default();
    match line.split_once('~') {
        Some((term, related)) => (term, Some(related)),
        None => (line, None),
    }
}

/// The terms of one line (or one side of it) as written.
fn raw_terms(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| c.is_whitespace() || c == ',' || c == '，')
        .filter(|t| !t.is_empty())
}

/// A line of the built-in table: its terms and the related ones, as written.
type BuiltinLine = (Vec<&'static str>, Option<Vec<&'static str>>);

/// The built-in table's lines that hold terms. The table is written normalised but for ASCII
/// case (tested), so that a query reads it without normalising every term of it.
fn builtin_lines() -> impl Iterator<Item = BuiltinLine> {
    BUILTIN.lines().filter_map(|line| {
        let (terms, related) = split_line(line);
        let terms: Vec<&str> = raw_terms(terms).collect();
        let related = related.map(|r| raw_terms(r).collect());
        (!terms.is_empty()).then_some((terms, related))
    })
}

/// A group of the built-in table, its terms normalised.
fn builtin_group(terms: &[&str]) -> Group {
    Group {
        terms: terms.iter().map(|t| t.to_ascii_lowercase()).collect(),
        source: Source::Builtin,
    }
}

/// The normalised terms of one line (or one side of it).
fn terms_of(line: &str, name: &str, n: usize) -> Result<Vec<String>> {
    let mut terms: Vec<String> = Vec::new();
    for t in raw_terms(line) {
        let norm = normalize(t).text;
        if gram_tokens(&norm).is_empty() {
            bail!("{name}:{n}: the term {t:?} has no letters, digits or CJK characters");
        }
        if !terms.contains(&norm) {
            terms.push(norm);
        }
    }
    Ok(terms)
}

/// A path as commands print it.
fn shown(path: &str) -> String {
    crate::ingest::walk::shown(path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_is_large() {
        let mut s = Synonyms::none();
        s.add_text(BUILTIN, "built-in").unwrap();
        assert!(s.len() >= 50, "{}", s.len());
        let builtin = Synonyms::builtin();
        assert_eq!(s.len(), builtin.len());
        // Read as written, the table gives what parsing it as a user's file does.
        let groups = |s: &Synonyms| {
            let e = s.everything();
            let terms: Vec<Vec<String>> = e.groups.iter().map(|g| g.terms.clone()).collect();
            let related: Vec<(String, Vec<String>)> =
                e.related.into_iter().map(|r| (r.term, r.related)).collect();
            (terms, related)
        };
        assert_eq!(groups(&s), groups(&builtin));
        for (terms, related) in builtin_lines() {
            for t in terms.iter().chain(related.iter().flatten()) {
                assert_eq!(normalize(t).text, t.to_ascii_lowercase(), "{t}");
            }
        }
    }

    #[test]
    fn expands_in_both_directions_case_folded() {
        let s = Synonyms::builtin();
        assert_eq!(s.expand("wto"), ["wto", "世界贸易组织", "世贸组织"]);
        assert_eq!(s.expand("世贸组织"), ["世贸组织", "wto", "世界贸易组织"]);
        assert_eq!(s.expand("个税"), ["个税", "个人所得税"]);
        assert_eq!(s.expand("税"), ["税"]);
    }

    #[test]
    fn user_lines_with_commas_comments_and_errors() {
        let mut s = Synonyms::none();
        s.add_text(
            "# 注释\n\n甲方，乙方, 丙方 # trailing\nＡＢ 乙方\n",
            "f.txt",
        )
        .unwrap();
        // Groups sharing a term join on expansion.
        assert_eq!(s.expand("乙方"), ["乙方", "甲方", "丙方", "ab"]);
        let err = s.add_text("a b\n孤单\n", "f.txt").unwrap_err().to_string();
        assert_eq!(
            err,
            "f.txt:2: a synonym group needs at least two terms, found only \"孤单\""
        );
        let err = s.add_text("甲 ，。\n", "g.txt").unwrap_err().to_string();
        assert!(err.starts_with("g.txt:1: the term \"。\""), "{err}");
    }

    #[test]
    fn rule_made_short_names_find_their_law_one_way() {
        let mut s = Synonyms::builtin();
        s.add_index_table(&IndexTable {
            laws: vec![("民诉法".into(), "民事诉讼法".into())],
            ..IndexTable::default()
        });
        assert_eq!(s.expand("民诉法"), ["民诉法", "民事诉讼法"]);
        assert_eq!(s.expand("民事诉讼法"), ["民事诉讼法"]);
    }

    #[test]
    fn loads_index_folder_file_and_user_file() {
        let dir = tempfile::TempDir::new().unwrap();
        fs::write(dir.path().join(INDEX_FILE), "甲 乙\n").unwrap();
        let user = dir.path().join("mine.txt");
        fs::write(&user, "丙 丁\n").unwrap();
        let s = Synonyms::load(dir.path(), Some(&user)).unwrap();
        assert_eq!(s.expand("甲"), ["甲", "乙"]);
        assert_eq!(s.expand("丁"), ["丁", "丙"]);
        assert_eq!(s.len(), Synonyms::builtin().len() + 2);
        let missing = Synonyms::load(dir.path(), Some(&dir.path().join("nope.txt")));
        assert!(missing.unwrap_err().to_string().contains("nope.txt"));
    }
}
