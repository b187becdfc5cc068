//! Corpus-level facts, computed at each commit from the catalog: which documents are versions
//! or copies of one text (chains), the status of each document (现行有效, 已修改, 已废止,
//! 尚未生效, 失效) with the dates it holds from and to and where that came from, and the
//! references between documents resolved to the documents and articles they name.
//!
//! Written beside the catalog as `versions-<opstamp>.json` (small, read by searches that show
//! or filter by version and status) and `citations-<opstamp>.json` (every reference, read by
//! `cites`, `cited-by` and `verify`), both before the commit that names the catalog.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::index::REBUILD_HINT;
use crate::index::catalog::{Catalog, FileRecord};
use crate::index::commit_file::{self, CITATIONS, CommitFile, VERSIONS};
use crate::ingest::legal::{self, Reference};
use crate::ingest::meta::{Date, short_title};

/// Statuses, as the legal databases label them.
pub const IN_FORCE: &str = "现行有效";
pub const AMENDED: &str = "已修改";
pub const REPEALED: &str = "已废止";
pub const NOT_YET: &str = "尚未生效";
pub const EXPIRED: &str = "失效";
pub const STATUSES: &[&str] = &[IN_FORCE, AMENDED, REPEALED, NOT_YET, EXPIRED];

/// Members of one family whose texts share at least this share of passages, dated close
/// together, are copies of one version.
const COPY_RESEMBLANCE: f64 = 0.85;
/// An undated copy joins the version it most resembles, at least this much.
const UNDATED_RESEMBLANCE: f64 = 0.7;
/// Days apart two copies of one version may be dated (adopted, promulgated, in force).
const COPY_DAYS: i64 = 200;

/// What the index knows of each document's version and validity, by path.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Versions {
    pub docs: BTreeMap<String, DocStatus>,
    /// Chains of more than one document, each ordered oldest version first.
    pub chains: Vec<Chain>,
}

/// Versions and copies of one text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Chain {
    /// The title people name it by (without 中华人民共和国 and version notes).
    pub title: String,
    /// Each version, oldest first: its primary document first, then its copies.
    pub versions: Vec<Vec<String>>,
}

/// One document's place in its chain and its validity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocStatus {
    /// Index of its chain in [`Versions::chains`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<usize>,
    /// The version it is (2018年修正), when its chain has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How many versions its chain has (1 for a text alone).
    #[serde(default = "one")]
    pub versions: usize,
    /// Whether it is (a copy of) the newest version of its text; true outside chains.
    pub latest: bool,
    /// The document it is a copy of (same version), and whether byte for byte the same text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact_copy: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Where the status came from, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_source: Option<String>,
    /// In force from and until (exclusive), ISO 8601, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The version that replaced it, and its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by_version: Option<String>,
    /// The document whose statement repealed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repealed_by: Option<String>,
    /// Passages that cite a repealed or expired text: (passage, cited title, cited path).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites_repealed: Vec<(u64, String, String)>,
}

fn one() -> usize {
    1
}

/// One reference, resolved where it can be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub from: String,
    pub passage: u64,
    /// As cited: the title, article and number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The document cited (the version in force when the citing text was dated), if indexed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Whether the cited article exists in that document (none when no article is cited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_found: Option<bool>,
}

/// Every reference of the index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Citations {
    pub links: Vec<Link>,
}

impl Versions {
    /// Computes chains, statuses and resolved references from the catalog, each document
    /// dated by its version while they are computed (see [`VersionDated`]).
    pub fn compute(catalog: &mut Catalog) -> (Versions, Citations) {
        let dated = VersionDated::of(catalog);
        let catalog: &Catalog = &dated;
        let families = Families::of(catalog);
        let mut versions = Versions::default();
        for (title, members) in &families.groups {
            let chain = order(catalog, members);
            let at = versions.chains.len();
            place(&mut versions.docs, catalog, &chain, at);
            if members.len() > 1 {
                versions.chains.push(Chain {
                    title: title.clone(),
                    versions: chain,
                });
            }
        }
        for (path, record) in &catalog.files {
            let doc = versions.docs.entry(path.clone()).or_default();
            own_status(doc, record);
        }
        apply_repeals(&mut versions, catalog, &families);
        let citations = resolve(catalog, &families, &versions);
        mark_cited_repeals(&mut versions, &citations);
        (versions, citations)
    }

    /// Whether the document at `path` was in force on `day` (yyyymmdd), as far as its dates
    /// say: from a known date on, until its end if it has one.
    pub fn in_force_on(&self, path: &str, day: u64) -> bool {
        let Some(doc) = self.docs.get(path) else {
            return false;
        };
        let number =
            |d: &Option<String>| d.as_deref().and_then(Date::from_iso).map(Date::as_number);
        let Some(from) = number(&doc.from) else {
            return false;
        };
        let ended_unknown =
            doc.to.is_none() && matches!(doc.status.as_deref(), Some(REPEALED | EXPIRED | AMENDED));
        from <= day && number(&doc.to).is_none_or(|to| day < to) && !ended_unknown
    }

    /// The chain of the document at `path`, if it has one.
    pub fn chain_of(&self, path: &str) -> Option<&Chain> {
        self.docs
            .get(path)
            .and_then(|d| d.chain)
            .and_then(|c| self.chains.get(c))
    }
}

/// The catalog with each document dated by its version: a full date in the file name
/// (`公司法(2023-12-29).md`) later than the text's own is the version the file holds, whose
/// copy kept the opening lines of an earlier one (a collection that names each file by its
/// last amendment and does not always add that amendment's line). The records are changed
/// in place and given back as they were when this is dropped: a copy of the catalog held
/// about 100 MB at 20,000 documents, at a commit, while the index's buffers were full.
struct VersionDated<'a> {
    catalog: &'a mut Catalog,
    /// Each record changed, with the version and date it had.
    replaced: Vec<(String, Option<String>, Option<String>)>,
}

impl<'a> VersionDated<'a> {
    fn of(catalog: &'a mut Catalog) -> VersionDated<'a> {
        let mut replaced = Vec::new();
        for (path, r) in &mut catalog.files {
            let Some(named) = name_date(path) else {
                continue;
            };
            if date_of(r).is_none_or(|d| d.year < named.year) {
                let version = r.legal.version.replace(format!("{}年版", named.year));
                let date = r.date.replace(named.iso());
                replaced.push((path.clone(), version, date));
            }
        }
        VersionDated { catalog, replaced }
    }
}

impl std::ops::Deref for VersionDated<'_> {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        self.catalog
    }
}

impl Drop for VersionDated<'_> {
    fn drop(&mut self) {
        for (path, version, date) in self.replaced.drain(..) {
            if let Some(r) = self.catalog.files.get_mut(&path) {
                r.legal.version = version;
                r.date = date;
            }
        }
    }
}

/// A full date (2023-12-29) in a file's name.
fn name_date(path: &str) -> Option<Date> {
    let stem = Path::new(path).file_stem()?.to_string_lossy().into_owned();
    let bytes = stem.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let s = stem.get(i..i + 10)?;
        let shaped = s.bytes().enumerate().all(|(k, b)| match k {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
        shaped.then(|| Date::from_iso(s)).flatten()
    })
}

/// Documents grouped into families: versions and copies of one text.
struct Families {
    /// Family key → its members' paths.
    groups: BTreeMap<String, Vec<String>>,
    /// Document number → paths.
    by_number: HashMap<String, Vec<String>>,
}

impl Families {
    /// Same title (once 中华人民共和国 and version notes are set aside) or same document
    /// number. A report (报告) is never a version of another one of its title (each year's
    /// 政府工作报告 is its own text), nor is one 编 of the 民法典 of another.
    fn of(catalog: &Catalog) -> Families {
        let mut key_of: HashMap<String, String> = HashMap::new();
        let mut by_number: HashMap<String, Vec<String>> = HashMap::new();
        for (path, r) in &catalog.files {
            key_of.insert(path.clone(), family_key(path, r));
            if let Some(n) = &r.doc_number {
                by_number.entry(n.clone()).or_default().push(path.clone());
            }
        }
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, key) in &key_of {
            groups.entry(key.clone()).or_default().push(path.clone());
        }
        // Documents of one number join the family of the first of them; order numbers
        // (主席令第N号) start again with each congress, so only bracketed ones count. The
        // families joined move whole: looking every document over for each number took
        // time in the square of the collection.
        for (number, paths) in &by_number {
            if !number.contains('〔') {
                continue;
            }
            let Some(first) = paths.first().and_then(|p| key_of.get(p)).cloned() else {
                continue;
            };
            let joined: BTreeSet<String> = paths
                .iter()
                .filter_map(|p| key_of.get(p))
                .filter(|&key| *key != first)
                .cloned()
                .collect();
            for key in joined {
                let members = groups.remove(&key).unwrap_or_default();
                for path in &members {
                    key_of.insert(path.clone(), first.clone());
                }
                groups.entry(first.clone()).or_default().extend(members);
            }
        }
        for members in groups.values_mut() {
            members.sort();
        }
        Families { groups, by_number }
    }

    /// The documents of a cited number; none for an order of the President (主席令第N号),
    /// whose numbers start again with each congress.
    fn numbered(&self, number: &str) -> Option<&Vec<String>> {
        self.by_number
            .get(number)
            .filter(|_| !number.starts_with("主席令"))
    }

    /// The members of the family a cited title names.
    fn named(&self, title: &str) -> Option<&Vec<String>> {
        self.groups.get(&short_title(title))
    }
}

/// The key of a document's family: its short title, made unique for a report, and for a
/// part (编) of a code whose copy is titled by the code.
fn family_key(path: &str, r: &FileRecord) -> String {
    let short = short_title(&r.title);
    if r.doc_type.as_deref() == Some("报告") {
        return format!("{short}\u{0}{path}");
    }
    let stem = Path::new(path)
        .file_stem()
        .map(|s| short_title(&s.to_string_lossy()))
        .unwrap_or_default();
    if (stem.ends_with('编') || stem == "总则") && !short.contains(&stem) {
        return format!("{short}·{stem}");
    }
    short
}

/// A date as a day count that orders and subtracts: a year alone stands mid-year.
fn day_count(d: Date) -> i64 {
    let (m, day) = if d.month == 0 {
        (7, 1)
    } else {
        (d.month, d.day)
    };
    i64::from(d.year) * 372 + i64::from(m) * 31 + i64::from(day)
}

fn date_of(r: &FileRecord) -> Option<Date> {
    r.date.as_deref().and_then(Date::from_iso)
}

/// A family's members as versions, oldest first, each its primary document then its copies.
fn order(catalog: &Catalog, members: &[String]) -> Vec<Vec<String>> {
    let record = |p: &String| &catalog.files[p];
    let mut dated: Vec<&String> = members
        .iter()
        .filter(|p| date_of(record(p)).is_some())
        .collect();
    dated.sort_by_key(|p| {
        (
            date_of(record(p)).map(day_count),
            primary_rank(p, record(p)),
        )
    });
    let mut versions: Vec<Vec<String>> = Vec::new();
    for p in dated {
        let same = versions
            .last()
            .is_some_and(|v| same_version(record(&v[0]), record(p)));
        match versions.last_mut() {
            Some(v) if same => v.push(p.clone()),
            _ => versions.push(vec![p.clone()]),
        }
    }
    for p in members.iter().filter(|p| date_of(record(p)).is_none()) {
        let best = versions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    i,
                    legal::resemblance(&record(&v[0]).legal.sketch, &record(p).legal.sketch),
                )
            })
            .filter(|(_, r)| *r >= UNDATED_RESEMBLANCE)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, _)) => versions[i].push(p.clone()),
            None => versions.insert(0, vec![p.clone()]),
        }
    }
    for v in &mut versions {
        v.sort_by_key(|p| {
            (
                date_of(record(p)).is_none_or(|d| d.month == 0),
                primary_rank(p, record(p)),
            )
        });
    }
    versions
}

/// Which copy of a version stands for it: a plain-text or markdown file before a Word or PDF
/// file, then by path.
fn primary_rank(path: &str, r: &FileRecord) -> (u8, String) {
    let format = match r.format.as_str() {
        "md" | "txt" => 0,
        "html" => 1,
        _ => 2,
    };
    (format, path.to_string())
}

/// Whether two dated documents of one family are copies of one version: the same text, or
/// nearly the same dated close together.
fn same_version(a: &FileRecord, b: &FileRecord) -> bool {
    if a.legal.text_hash == b.legal.text_hash && a.legal.text_hash != 0 {
        return true;
    }
    let (Some(da), Some(db)) = (date_of(a), date_of(b)) else {
        return false;
    };
    if da == db && da.month > 0 {
        return true;
    }
    let close = (day_count(da) - day_count(db)).abs() <= COPY_DAYS;
    // One version's adoption and promulgation dates, in force on one day.
    let same_start = a.effective.is_some() && a.effective == b.effective;
    close
        && (same_start || legal::resemblance(&a.legal.sketch, &b.legal.sketch) >= COPY_RESEMBLANCE)
}

/// Sets the chain, version, copy and supersession of each member of one family.
fn place(
    docs: &mut BTreeMap<String, DocStatus>,
    catalog: &Catalog,
    chain: &[Vec<String>],
    at: usize,
) {
    let several = chain.iter().map(Vec::len).sum::<usize>() > 1;
    // Amendments (宪法修正案) each stay in force beside the others: none supersedes another.
    let amendments = chain
        .first()
        .and_then(|v| v.first())
        .is_some_and(|p| short_title(&catalog.files[p].title).ends_with("修正案"));
    let dated_last = chain
        .iter()
        .rposition(|v| date_of(&catalog.files[&v[0]]).is_some());
    for (i, version) in chain.iter().enumerate() {
        let primary = &catalog.files[&version[0]];
        let next = chain.get(i + 1).map(|v| (&v[0], &catalog.files[&v[0]]));
        for (k, path) in version.iter().enumerate() {
            let doc = docs.entry(path.clone()).or_default();
            doc.chain = several.then_some(at);
            doc.versions = chain.len();
            doc.version = several.then(|| primary.legal.version.clone()).flatten();
            doc.latest = !several || amendments || Some(i) == dated_last || dated_last.is_none();
            if k > 0 {
                doc.copy_of = Some(version[0].clone());
                doc.exact_copy = catalog.files[path].legal.text_hash == primary.legal.text_hash;
            }
            doc.from = primary.effective.clone().or_else(|| full_date(primary));
            if let (Some((next_path, next)), false) = (next, amendments) {
                supersede(doc, next_path, next, date_of(primary).is_some());
            }
        }
    }
}

/// The document's date when it is a full date.
fn full_date(r: &FileRecord) -> Option<String> {
    date_of(r).filter(|d| d.month > 0).map(Date::iso)
}

/// Marks a document replaced by the next version of its chain.
fn supersede(doc: &mut DocStatus, next_path: &str, next: &FileRecord, dated: bool) {
    if !dated {
        return;
    }
    let label = next.legal.version.clone().unwrap_or_default();
    doc.status = Some(AMENDED.into());
    doc.status_source = Some(format!(
        "chain: superseded by the {label} version ({next_path})"
    ));
    doc.to = next.effective.clone().or_else(|| full_date(next));
    doc.superseded_by = Some(next_path.to_string());
    doc.superseded_by_version = next.legal.version.clone();
}

/// The status a document's own text or front matter gives it, where its chain gave none.
fn own_status(doc: &mut DocStatus, r: &FileRecord) {
    if doc.status.is_some() {
        return;
    }
    if let Some(front) = &r.legal.front_status {
        doc.status = Some(front_status(front).to_string());
        doc.status_source = Some(format!("front matter: status: {front}"));
        return;
    }
    let today = Date::from_number(today_number());
    let effective = r.effective.as_deref().and_then(Date::from_iso);
    if let Some(end) = r.legal.expires.as_deref().and_then(Date::from_iso) {
        doc.to = Some(next_day(end).iso());
        if today.is_some_and(|t| t > end) {
            doc.status = Some(EXPIRED.into());
            doc.status_source = Some(format!("own text: 有效期 until {}", end.iso()));
            return;
        }
    }
    match effective {
        Some(e) if today.is_some_and(|t| t < e) => {
            doc.status = Some(NOT_YET.into());
            doc.status_source = Some(format!("own text: 施行 from {}", e.iso()));
        }
        Some(e) => {
            doc.status = Some(IN_FORCE.into());
            let newest = if doc.chain.is_some() {
                "newest version of its chain; "
            } else {
                ""
            };
            doc.status_source = Some(format!(
                "{newest}own text: 施行 from {} (no later version or repeal in the index)",
                e.iso()
            ));
        }
        None if doc.chain.is_some() && doc.latest && doc.from.is_some() => {
            doc.status = Some(IN_FORCE.into());
            doc.status_source =
                Some("chain: newest version (no later version or repeal in the index)".into());
        }
        None => {}
    }
}

/// A front matter's status in the labels used here.
fn front_status(value: &str) -> &'static str {
    if value.contains("现行") || value.contains("有效") && !value.contains("失效") {
        IN_FORCE
    } else if value.contains("尚未") {
        NOT_YET
    } else if value.contains("修改") || value.contains("修正") {
        AMENDED
    } else if value.contains("废止") {
        REPEALED
    } else {
        EXPIRED
    }
}

/// Today as yyyymmdd.
pub fn today_number() -> u64 {
    let iso = crate::index::catalog::iso_datetime(crate::index::catalog::now());
    Date::from_iso(&iso[..10]).map_or(0, Date::as_number)
}

fn next_day(d: Date) -> Date {
    if d.month == 0 {
        return d;
    }
    if d.day < Date::days_in_month(d.year, d.month) {
        return Date {
            day: d.day + 1,
            ..d
        };
    }
    if d.month < 12 {
        return Date {
            month: d.month + 1,
            day: 1,
            ..d
        };
    }
    Date {
        year: d.year + 1,
        month: 1,
        day: 1,
    }
}

/// Marks the documents other documents repeal: the newest version of the named text dated
/// before the repealing document (a later version re-enacts it), with its copies.
fn apply_repeals(versions: &mut Versions, catalog: &Catalog, families: &Families) {
    for (path, r) in &catalog.files {
        let Some(day) = date_of(r).map(day_count) else {
            continue;
        };
        for target in &r.legal.repeals {
            let members = match (&target.title, &target.number) {
                (Some(t), _) => families.named(t).cloned(),
                (None, Some(n)) => families.numbered(n).cloned(),
                _ => None,
            };
            let Some(members) = members else { continue };
            // A text that repeals an earlier text of its own title is its new version: the
            // chain says so, and its later copies repeat the statement.
            if members.contains(path) {
                continue;
            }
            let repealed = newest_before(catalog, &members, path, day);
            for victim in repealed {
                let doc = versions.docs.entry(victim).or_default();
                doc.status = Some(REPEALED.into());
                doc.status_source = Some(format!(
                    "repealed by {path} (passage {}: {})",
                    target.passage,
                    target.title.as_deref().map_or_else(
                        || target.number.clone().unwrap_or_default(),
                        |t| format!("《{t}》")
                    )
                ));
                doc.to = r.effective.clone().or_else(|| full_date(r));
                doc.repealed_by = Some(path.clone());
                doc.latest = false;
            }
        }
    }
}

/// The members of the newest version dated before `day`, `repealer` itself aside.
fn newest_before(catalog: &Catalog, members: &[String], repealer: &str, day: i64) -> Vec<String> {
    let dated: Vec<(i64, &String)> = members
        .iter()
        .filter(|p| p.as_str() != repealer)
        .filter_map(|p| date_of(&catalog.files[p]).map(|d| (day_count(d), p)))
        .filter(|(d, _)| *d < day)
        .collect();
    let Some(newest) = dated.iter().map(|(d, _)| *d).max() else {
        // Texts of unknown date named by a dated repeal: repealed, all of them.
        return members
            .iter()
            .filter(|p| p.as_str() != repealer && date_of(&catalog.files[*p]).is_none())
            .cloned()
            .collect();
    };
    let first = &catalog.files[dated
        .iter()
        .find(|(d, _)| *d == newest)
        .map(|x| x.1)
        .unwrap()];
    dated
        .iter()
        .filter(|(d, p)| *d == newest || same_version(first, &catalog.files[*p]))
        .map(|(_, p)| (*p).clone())
        .chain(
            members
                .iter()
                .filter(|p| {
                    date_of(&catalog.files[*p]).is_none()
                        && legal::resemblance(&catalog.files[*p].legal.sketch, &first.legal.sketch)
                            >= UNDATED_RESEMBLANCE
                })
                .cloned(),
        )
        .collect()
}

/// Every reference of every document, resolved to the document (and article) it names.
fn resolve(catalog: &Catalog, families: &Families, versions: &Versions) -> Citations {
    let mut links = Vec::new();
    let mut targets = Targets {
        catalog,
        families,
        versions,
        sorted: HashMap::new(),
    };
    for (path, r) in &catalog.files {
        let day = date_of(r).map(day_count);
        for reference in &r.legal.references {
            let to = targets.of(path, reference, day);
            let article_found = reference.article.as_deref().map(|a| {
                to.as_ref().is_some_and(|t| {
                    legal::article_number(a).is_some_and(|n| n <= catalog.files[t].legal.articles)
                })
            });
            links.push(Link {
                from: path.clone(),
                passage: reference.passage,
                title: reference.title.clone(),
                article: reference.article.clone(),
                number: reference.number.clone(),
                to,
                article_found,
            });
        }
    }
    Citations { links }
}

/// The documents references name, found in the families of the catalog: each cited
/// family's primary members (not copies) with their dates, sorted by date then path once, so
/// that a reference finds its target by a binary search. Read member by member for each
/// reference, they took time in the square of the copies of one text (each cites, and each
/// is a member).
struct Targets<'a> {
    catalog: &'a Catalog,
    families: &'a Families,
    versions: &'a Versions,
    /// By the address of the family's members in [`Families`], which outlive these.
    sorted: HashMap<*const Vec<String>, Vec<(Option<i64>, &'a String)>>,
}

impl<'a> Targets<'a> {
    /// The document a reference names: the citing text itself for 本法; for a title or
    /// number, the version of that text in force when the citing text was dated (the newest
    /// one when it is undated or older than them all).
    fn of(&mut self, from: &str, reference: &Reference, day: Option<i64>) -> Option<String> {
        if reference.own {
            return Some(from.to_string());
        }
        let families = self.families;
        let members = match (&reference.title, &reference.number) {
            (Some(t), _) => families.named(t)?,
            (None, Some(n)) => families.numbered(n)?,
            _ => return None,
        };
        let primaries = self.primaries(members);
        // The newest dated on or before `day`, then the newest, then any: of the members but
        // the citing text; of equals, the last in path order.
        let before = day.map_or(0, |d| primaries.partition_point(|&(pd, _)| pd <= Some(d)));
        let newest_other = |end: usize| {
            primaries[..end]
                .iter()
                .rev()
                .find(|&&(_, p)| p.as_str() != from)
        };
        let in_force = newest_other(before).filter(|&&(pd, _)| pd.is_some());
        in_force
            .or_else(|| newest_other(primaries.len()))
            .map(|&(_, p)| p)
            .or_else(|| members.iter().find(|p| p.as_str() != from))
            .cloned()
    }

    /// A family's primary members with their dates, by date then path.
    fn primaries(&mut self, members: &'a Vec<String>) -> &[(Option<i64>, &'a String)] {
        let (catalog, versions) = (self.catalog, self.versions);
        self.sorted
            .entry(std::ptr::from_ref(members))
            .or_insert_with(|| {
                let primary = |p: &String| versions.docs.get(p).is_none_or(|d| d.copy_of.is_none());
                // Members are in path order, and the sort is stable.
                let mut dated: Vec<(Option<i64>, &String)> = members
                    .iter()
                    .filter(|p| primary(p))
                    .map(|p| (date_of(&catalog.files[p]).map(day_count), p))
                    .collect();
                dated.sort_by_key(|&(d, _)| d);
                dated
            })
    }
}

/// Notes on each document the passages that cite a repealed or expired text.
fn mark_cited_repeals(versions: &mut Versions, citations: &Citations) {
    for link in &citations.links {
        let Some(to) = &link.to else { continue };
        if to == &link.from {
            continue;
        }
        // The statement that repeals a text names it, and is no citation of a dead text.
        let ended = versions.docs.get(to).is_some_and(|d| {
            matches!(d.status.as_deref(), Some(REPEALED | EXPIRED))
                && d.repealed_by.as_deref() != Some(link.from.as_str())
        });
        if !ended {
            continue;
        }
        let cited = link
            .title
            .clone()
            .or_else(|| link.number.clone())
            .unwrap_or_default();
        let entry = (link.passage, cited, to.clone());
        let doc = versions.docs.entry(link.from.clone()).or_default();
        if !doc.cites_repealed.contains(&entry) {
            doc.cites_repealed.push(entry);
        }
    }
}

/// Writes the versions and citations of the commit `opstamp`.
pub fn write(dir: &Path, opstamp: u64, catalog: &mut Catalog) -> Result<()> {
    let (versions, citations) = Versions::compute(catalog);
    VERSIONS.write_with(dir, opstamp, |out| versions.write_lines(out))?;
    CITATIONS.write(dir, opstamp, &citations)?;
    Ok(())
}

/// The path of this kind's file of the index's last commit (none for an empty index).
fn committed(index: &tantivy::Index, dir: &Path, kind: &CommitFile) -> Result<Option<PathBuf>> {
    let catalog = Catalog::committed_name(index)?;
    Ok(catalog
        .and_then(|c| kind.beside(&c))
        .map(|name| dir.join(name)))
}

impl Versions {
    /// The file form: the chains on the first line, then one `[path, status]` per line in
    /// the order of the paths, so that a search showing ten hits reads ten lines (see
    /// [`Lines`]) rather than parsing every document's.
    fn write_lines(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer(&mut *out, &self.chains)?;
        out.write_all(b"\n")?;
        for entry in &self.docs {
            serde_json::to_writer(&mut *out, &entry)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Reads the file form back whole.
    pub fn from_lines(lines: &Lines) -> Result<Versions> {
        let mut all = commit_file::lines(&lines.bytes);
        let chains = serde_json::from_slice(all.next().unwrap_or(b"[]"))?;
        let mut docs = BTreeMap::new();
        for line in all.filter(|l| !l.is_empty()) {
            let (path, doc): (String, DocStatus) = serde_json::from_slice(line)?;
            docs.insert(path, doc);
        }
        Ok(Versions { docs, chains })
    }
}

/// The versions file as read, each document's line found by its path.
pub struct Lines {
    bytes: commit_file::Bytes,
    /// Where the document lines start (after the chains' line).
    first: usize,
}

impl Lines {
    /// The status of the document at `path`, found without reading the other lines (see
    /// [`commit_file::keyed_line`]).
    pub fn get(&self, path: &str) -> Option<DocStatus> {
        let line = commit_file::keyed_line(&self.bytes, self.first, path)?;
        serde_json::from_slice::<(serde::de::IgnoredAny, DocStatus)>(line)
            .ok()
            .map(|(_, d)| d)
    }
}

/// The versions file of the index's last commit, read but not parsed.
pub fn load_lines(index: &tantivy::Index, dir: &Path) -> Result<Lines> {
    let Some(path) = committed(index, dir, &VERSIONS)? else {
        return Ok(Lines {
            bytes: commit_file::Bytes::Built(b"[]\n".to_vec()),
            first: 3,
        });
    };
    let bytes = commit_file::map(&path)
        .with_context(|| format!("the index's {} is missing — {REBUILD_HINT}", path.display()))?;
    let first = memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1);
    Ok(Lines { bytes, first })
}

/// The versions and statuses of the index's last commit, parsed whole.
pub fn load(index: &tantivy::Index, dir: &Path) -> Result<Versions> {
    let lines = load_lines(index, dir)?;
    Versions::from_lines(&lines).with_context(|| {
        format!(
            "the index's versions file in {} is damaged — {REBUILD_HINT}",
            dir.display()
        )
    })
}

/// The resolved references of the index's last commit.
pub fn load_citations(index: &tantivy::Index, dir: &Path) -> Result<Citations> {
    let Some(catalog) = Catalog::committed_name(index)? else {
        return Ok(Citations::default());
    };
    CITATIONS.read(dir, &catalog)?.with_context(|| {
        format!(
            "the index's {} of {} is missing — {REBUILD_HINT}",
            CITATIONS.what,
            dir.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn law(date: &str, version: &str) -> FileRecord {
        let mut r = FileRecord {
            title: "中华人民共和国公司法".to_string(),
            doc_type: Some("法律".to_string()),
            date: Some(date.to_string()),
            ..FileRecord::default()
        };
        r.legal.version = Some(version.to_string());
        r
    }

    /// A file named by a later amendment than its text's opening lines is dated by its name
    /// while versions are computed, and the catalog is left as it was.
    #[test]
    fn a_name_dates_its_version_and_the_catalog_is_left_as_it_was() {
        let (old, new) = ("laws/公司法(2018-10-26).md", "laws/公司法(2023-12-29).md");
        let mut catalog = Catalog::default();
        catalog
            .files
            .insert(old.to_string(), law("2018-10-26", "2018年修正"));
        catalog
            .files
            .insert(new.to_string(), law("2018-10-26", "2018年修正"));
        let before = catalog.files.clone();
        let (versions, _) = Versions::compute(&mut catalog);
        assert_eq!(catalog.files, before);
        let (old, new) = (&versions.docs[old], &versions.docs[new]);
        assert_eq!(new.version.as_deref(), Some("2023年版"));
        assert!(new.latest && !old.latest, "{old:?} {new:?}");
    }
}
