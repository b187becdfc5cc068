//! Structural queries on `../shared/corpus/bench`: can a lawyer find a law's chapter or article
//! the way they would type it? The queries come from the documents' own structure. The laws are
//! the txt/md files with 第X章 chapters and 第N条 articles numbered in order; a family is the
//! documents sharing one short title (the title without 中华人民共和国 and version notes such as
//! `(2019-04-23)`): versions and copies of one law, any of which may answer.
//!
//! | kind | query | relevant hits |
//! |---|---|---|
//! | `chapter` | `个人信息保护法 法律责任` | the articles of that chapter, in any member of the family |
//! | `article_spaced` | `行政许可法 第46条` | a passage whose `article` is 第四十六条, in the family |
//! | `article_glued` | `行政许可法第46条` | the same |
//! | `citation` | `《中华人民共和国行政许可法》第四十六条` | the same |
//!
//! Scores per kind: success@1, success@3 (a relevant hit in the top k) and MRR@10.
//!
//! zhengce is a black box here: each query runs the built binary (`zhengce search … --json
//! --limit 10`), and the documents are parsed by this file's own code, so the benchmark does not
//! follow the crate's internals.
//!
//! `cargo bench --bench structural` (set `ZHENGCE_BENCH_INDEX=DIR` to reuse or keep an index;
//! `ZHENGCE_STRUCTURAL_OUT=FILE` for the JSON results, `target/structural.json` by default;
//! `ZHENGCE_STRUCTURAL_LIST=1` prints the queries and their relevant articles without searching;
//! `ZHENGCE_STRUCTURAL_SHOW=PATH_PART` how the files are read; `ZHENGCE_STRUCTURAL_CONTROL=1`
//! runs control queries that check the judging).
//! Skipped with a message when the corpus is absent. Not run by CI.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

/// Queries per kind, at most.
const SAMPLES: usize = 150;
const SEED: u64 = 0x5354_5255_4354;
const CUTOFF: usize = 10;
/// Fewer articles than this is a notice quoting a rule or two, not a law.
const MIN_ARTICLES: usize = 3;

const KINDS: [&str; 4] = ["chapter", "article_spaced", "article_glued", "citation"];

fn main() {
    numerals_self_check();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bench");
    let Ok(corpus) = corpus.canonicalize() else {
        eprintln!("skipped: ../shared/corpus/bench is not here");
        return;
    };

    let docs = read_corpus(&corpus);
    let families = Families::new(&docs, &corpus);
    let queries = generate(&docs, &families);
    describe(&docs, &families, &queries);

    if let Some(part) = std::env::var_os("ZHENGCE_STRUCTURAL_SHOW") {
        show(&docs, &part.to_string_lossy());
        return;
    }
    if std::env::var_os("ZHENGCE_STRUCTURAL_LIST").is_some() {
        list(&queries, &docs, &families);
        return;
    }

    let bin = PathBuf::from(env!("CARGO_BIN_EXE_zhengce"));
    let index = open_index(&bin, &corpus);
    let mut results = Vec::new();
    let started = Instant::now();
    for q in &queries {
        results.push(run(&bin, &index, &corpus, q, &docs, &families));
    }
    eprintln!(
        "{} queries in {:.0} s",
        queries.len(),
        started.elapsed().as_secs_f64()
    );
    report(&queries, &results, &index);
}

// ---------------------------------------------------------------------------------------------
// Chinese numerals

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 一千二百五十四 → 1254; also 十五, 一百零五, 两百, 〇, 万, and Arabic digits.
fn cn_to_num(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| match c {
        '零' | '〇' | '○' => Some(0),
        '两' => Some(2),
        _ => DIGITS.iter().position(|&d| d == c).map(|d| d as u32),
    };
    // Positional digits without units (一〇五) are read digit by digit.
    if s.chars().all(|c| digit(c).is_some()) && s.chars().count() > 1 {
        return s.chars().try_fold(0u32, |n, c| Some(n * 10 + digit(c)?));
    }
    let (mut total, mut section, mut pending) = (0u32, 0u32, None::<u32>);
    for c in s.chars() {
        if let Some(d) = digit(c) {
            pending = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                total += (section + pending.take().unwrap_or(0)) * 10_000;
                section = 0;
                continue;
            }
            _ => return None,
        };
        // 十五 and 一百十 leave the 1 before 十 unwritten.
        section += pending.take().unwrap_or(1) * unit;
    }
    Some(total + section + pending.unwrap_or(0))
}

/// 1254 → 一千二百五十四, 10 → 十, 110 → 一百一十, 1004 → 一千零四: as laws number articles.
fn num_to_cn(n: u32) -> String {
    if n == 0 {
        return "零".into();
    }
    if n >= 10_000 {
        let (high, low) = (n / 10_000, n % 10_000);
        let mut out = num_to_cn(high) + "万";
        if low > 0 {
            if low < 1000 {
                out.push('零');
            }
            // After 万 a 十 keeps its 一 (一万零一十).
            out += &below_10k(low, true);
        }
        return out;
    }
    below_10k(n, false)
}

fn below_10k(n: u32, lead_one: bool) -> String {
    let mut out = String::new();
    let mut zero = false;
    for (d, unit) in [
        (n / 1000, "千"),
        (n / 100 % 10, "百"),
        (n / 10 % 10, "十"),
        (n % 10, ""),
    ] {
        if d == 0 {
            zero |= !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        if !(unit == "十" && d == 1 && out.is_empty() && !lead_one) {
            out.push(DIGITS[d as usize]);
        }
        out += unit;
    }
    out
}

/// Every query and relevance judgement rests on the converter: check it before using it.
fn numerals_self_check() {
    for (n, s) in [
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (46, "四十六"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1004, "一千零四"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (1254, "一千二百五十四"),
        (1260, "一千二百六十"),
        (10_010, "一万零一十"),
    ] {
        assert_eq!(num_to_cn(n), s, "num_to_cn({n})");
        assert_eq!(cn_to_num(s), Some(n), "cn_to_num({s})");
    }
    for n in 1..=20_000 {
        assert_eq!(cn_to_num(&num_to_cn(n)), Some(n), "round trip of {n}");
    }
    assert_eq!(cn_to_num("两百"), Some(200));
    assert_eq!(cn_to_num("一百十"), Some(110));
    assert_eq!(cn_to_num("一〇五"), Some(105));
    assert_eq!(cn_to_num("46"), Some(46));
    assert_eq!(cn_to_num("第一"), None);
}

// ---------------------------------------------------------------------------------------------
// Documents

/// One txt/md file of the corpus, as this benchmark reads it.
struct Doc {
    /// Relative to the corpus, as `zhengce search` prints it when run from there.
    path: String,
    /// The title without version notes, as a citation spells it (with 中华人民共和国).
    full: String,
    short: String,
    chapters: Vec<String>,
    /// The articles in order, each with the index of its chapter (when `numbered`, by number).
    articles: Vec<(u32, Option<usize>)>,
    /// The articles run on (第一条, 第二条 …) without restart and with few gaps, so a number
    /// names one article and its chapter can be trusted.
    numbered: bool,
}

impl Doc {
    fn is_law(&self) -> bool {
        self.numbered && self.articles.iter().any(|a| a.1.is_some())
    }

    /// The chapter name of article `n`, when the file's numbering is trusted.
    fn chapter_of(&self, n: u32) -> Option<&str> {
        let at = self.articles.binary_search_by_key(&n, |a| a.0).ok()?;
        self.articles[at].1.map(|c| self.chapters[c].as_str())
    }
}

/// Every txt/md file listed in `_index.tsv` that has a title.
fn read_corpus(corpus: &Path) -> Vec<Doc> {
    let mut docs = Vec::new();
    for row in tsv(corpus) {
        if !matches!(row.format.as_str(), "md" | "txt") {
            continue;
        }
        let Ok(bytes) = std::fs::read(corpus.join(&row.path)) else {
            continue;
        };
        if let Some(doc) = parse(
            &row.path,
            &String::from_utf8_lossy(&bytes),
            row.format == "md",
        ) {
            docs.push(doc);
        }
    }
    docs
}

struct Row {
    path: String,
    format: String,
    family: String,
}

/// `_index.tsv`: path, source, format, bytes, sha256, family.
fn tsv(corpus: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(corpus.join("_index.tsv")).expect("read _index.tsv");
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.len() >= 6).then(|| Row {
                path: cols[0].to_string(),
                format: cols[2].to_string(),
                family: cols[5].to_string(),
            })
        })
        .collect()
}

fn parse(path: &str, text: &str, markdown: bool) -> Option<Doc> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines: Vec<&str> = text.lines().collect();
    let mut yaml_title = None;
    if markdown
        && lines.first().map(|l| l.trim()) == Some("---")
        && let Some(end) = lines.iter().skip(1).position(|l| l.trim() == "---")
    {
        yaml_title = lines[1..=end].iter().find_map(|l| {
            let v = l.trim().strip_prefix("title:")?;
            Some(v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        });
        lines.drain(..=end + 1);
    }
    let heading_title = markdown
        .then(|| {
            lines
                .iter()
                .find_map(|l| l.trim().strip_prefix("# ").map(str::to_string))
        })
        .flatten();
    let first_line = || {
        lines
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .map(str::to_string)
    };
    let title = heading_title.or(yaml_title).or_else(first_line)?;
    let mut full = strip_version_notes(&squeeze(&title.replace("**", "")));
    // A title written as a citation: `# 《中华人民共和国选举法》`.
    if let Some(inner) = full.strip_prefix('《').and_then(|t| t.strip_suffix('》'))
        && !inner.contains(['《', '》'])
    {
        full = inner.to_string();
    }
    let short = full
        .strip_prefix("中华人民共和国")
        .unwrap_or(&full)
        .to_string();
    if short.is_empty() {
        return None;
    }

    let mut chapters = Vec::new();
    let mut current = None;
    let mut articles: Vec<(u32, Option<usize>)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some((level, name)) = heading(line) {
            match level {
                Level::Part => current = None,
                Level::Chapter => {
                    // A nameless chapter gives no query; its articles belong to no chapter.
                    current = (!name.is_empty()).then(|| {
                        chapters.push(name);
                        chapters.len() - 1
                    });
                }
                Level::Section => {}
            }
            continue;
        }
        // `第十七条` alone with `之一` on the next line is article 17-1, not 17.
        let suffixed = || {
            line.trim().ends_with('条')
                && lines[i + 1..]
                    .iter()
                    .map(|l| l.trim())
                    .find(|l| !l.is_empty())
                    .is_some_and(|l| l.starts_with('之'))
        };
        if let Some((n, strong)) = article_start(line)
            && !suffixed()
        {
            let next = articles.last().map_or(1, |a| a.0 + 1);
            if strong || n == next {
                articles.push((n, current));
            }
        }
    }
    // A part of a code in a file of its own (the 民法典's 合同编) starts where the previous
    // part ended; some files run an article into the paragraph before it (`…会议决定。 第十六条市人民
    // 代表大会…`), leaving a gap here and there.
    let numbered =
        articles.len() >= MIN_ARTICLES && articles.windows(2).all(|w| w[0].0 < w[1].0) && {
            let span = (articles[articles.len() - 1].0 - articles[0].0) as usize + 1;
            span <= articles.len() + articles.len() / 10
        };
    Some(Doc {
        path: path.to_string(),
        full,
        short,
        chapters,
        articles,
        numbered,
    })
}

/// Whitespace of every kind removed: `总  则` is typed 总则, and a title is typed in one piece.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_whitespace() && c != '\u{200b}')
        .collect()
}

/// Drops trailing version notes: `(2019-04-23)`, `(2004)`, `（2018年修正）`, `()`; keeps the
/// parentheses that belong to a title: `（试行）`, `（一）`.
fn strip_version_notes(title: &str) -> String {
    let mut t = title.to_string();
    while let Some(close) = t.chars().last().filter(|c| matches!(c, ')' | '）')) {
        let body = &t[..t.len() - close.len_utf8()];
        let Some(open) = body.rfind(['(', '（']) else {
            break;
        };
        let inner = &body[open + body[open..].chars().next().map_or(1, char::len_utf8)..];
        let note = inner.is_empty()
            || inner.bytes().any(|b| b.is_ascii_digit())
            || ["年", "修正", "修订", "修改"]
                .iter()
                .any(|w| inner.contains(w));
        if !note {
            break;
        }
        t.truncate(open);
    }
    t
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Level {
    /// 编 or 分编: a new part starts outside any chapter.
    Part,
    Chapter,
    Section,
}

const NUMERAL_CHARS: &str = "零〇○一二三四五六七八九十百千万两0123456789";

/// `第七章 法律责任`, `## 第一章 总  则`, `**第二节 审查**` → level and squeezed name. A line
/// that does not start with 第 is no heading: table-of-contents links (`[第七章 法律责任](#…)`),
/// `目录第一章 总则第二章 …` run together.
fn heading(line: &str) -> Option<(Level, String)> {
    let s = line.trim().trim_start_matches('#').trim();
    let s = s.trim_start_matches("**").trim_end_matches("**").trim();
    let rest = s.strip_prefix('第')?;
    let digits = rest.find(|c| !NUMERAL_CHARS.contains(c))?;
    if digits == 0 {
        return None;
    }
    let rest = &rest[digits..];
    let (level, name) = if let Some(r) = rest.strip_prefix("分编") {
        (Level::Part, r)
    } else if let Some(r) = rest.strip_prefix('编') {
        (Level::Part, r)
    } else if let Some(r) = rest.strip_prefix('章') {
        (Level::Chapter, r)
    } else if let Some(r) = rest.strip_prefix('节') {
        (Level::Section, r)
    } else {
        return None;
    };
    let name = squeeze(name);
    // A sentence is no heading: `第七节相应改为第八节，…`, a run-together `第一章 总则第一条 为了…`.
    if name.chars().count() > 30 || name.contains(['。', '，', '；', '：', ',', ';']) {
        return None;
    }
    Some((level, name))
}

/// `第四十六条 …`, `　　第一条　…`, `**第一条**`, `第一条【立法宗旨】` → (46, strong). A number
/// glued to the text (`第三十九条旅馆…`) is weak: taken only where the next article is due,
/// since a line may also start with a reference (`第四十三条规定：`). `第十七条之一` is no
/// numbered article of its own.
fn article_start(line: &str) -> Option<(u32, bool)> {
    let s = line.trim_start().trim_start_matches("**");
    let rest = s.strip_prefix('第')?;
    let digits = rest.find(|c| !NUMERAL_CHARS.contains(c))?;
    let rest = rest[digits..].strip_prefix('条')?;
    let n = cn_to_num(&s['第'.len_utf8()..'第'.len_utf8() + digits])?;
    let strong = match rest.chars().next() {
        None => true,
        Some(c) if c.is_whitespace() || matches!(c, '【' | '*' | '[') => true,
        Some('之' | '的' | '规' | '至' | '和' | '第' | '、' | '，' | '（' | '(') => {
            return None;
        }
        Some(c) if ('\u{4e00}'..='\u{9fff}').contains(&c) => false,
        Some(_) => return None,
    };
    Some((n, strong))
}

// ---------------------------------------------------------------------------------------------
// Families

/// The documents of each short title, and every indexed file of a family, with the docx and pdf
/// copies of a law (which this benchmark does not read) joined through `_index.tsv`'s family
/// column.
struct Families {
    /// Short title → indices into the docs.
    docs: BTreeMap<String, Vec<usize>>,
    /// Short title → every path of the family, docx and pdf included.
    paths: HashMap<String, BTreeSet<String>>,
    /// Path → index into the docs.
    by_path: HashMap<String, usize>,
}

impl Families {
    fn new(docs: &[Doc], corpus: &Path) -> Families {
        let mut by_short: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_path = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            by_short.entry(d.short.clone()).or_default().push(i);
            by_path.insert(d.path.clone(), i);
        }
        let mut paths: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (short, members) in &by_short {
            paths.insert(
                short.clone(),
                members.iter().map(|&i| docs[i].path.clone()).collect(),
            );
        }
        let rows = tsv(corpus);
        let mut tsv_to_short: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for r in &rows {
            if let Some(&i) = by_path.get(&r.path) {
                tsv_to_short
                    .entry(r.family.as_str())
                    .or_default()
                    .insert(docs[i].short.as_str());
            }
        }
        for r in &rows {
            if by_path.contains_key(&r.path) {
                continue;
            }
            for short in tsv_to_short.get(r.family.as_str()).into_iter().flatten() {
                if let Some(set) = paths.get_mut(*short) {
                    set.insert(r.path.clone());
                }
            }
        }
        Families {
            docs: by_short,
            paths,
            by_path,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Queries

struct Query {
    kind: &'static str,
    text: String,
    /// The family's short title.
    family: String,
    /// `chapter` only: the chapter name.
    chapter: Option<String>,
    /// The article asked for; of a chapter, its first article in the sampled file.
    article: u32,
    /// Relevant (path, article) pairs among the txt/md files read; docx and pdf copies add more.
    relevant: usize,
}

/// Up to `SAMPLES` queries per kind: a random law family, a random member of it with chapters,
/// a random chapter (with articles) or article of that member. Sampling families first keeps
/// the 民法典's 1,260 articles from filling the sample.
fn generate(docs: &[Doc], families: &Families) -> Vec<Query> {
    let laws: Vec<(&String, Vec<usize>)> = families
        .docs
        .iter()
        .map(|(short, m)| {
            (
                short,
                m.iter().copied().filter(|&i| docs[i].is_law()).collect(),
            )
        })
        .filter(|(short, m): &(&String, Vec<usize>)| !m.is_empty() && query_safe(short))
        .collect();
    let mut out = Vec::new();
    for (k, kind) in KINDS.iter().enumerate() {
        let mut rng = Rng::new(SEED + k as u64);
        let mut seen = BTreeSet::new();
        let mut tries = 0;
        let mut n = 0;
        while n < SAMPLES && tries < SAMPLES * 100 && !laws.is_empty() {
            tries += 1;
            let (short, members) = &laws[rng.below(laws.len())];
            let doc = &docs[members[rng.below(members.len())]];
            let q = if *kind == "chapter" {
                let with_articles: BTreeSet<usize> =
                    doc.articles.iter().filter_map(|a| a.1).collect();
                let with_articles: Vec<usize> = with_articles.into_iter().collect();
                let c = with_articles[rng.below(with_articles.len())];
                let name = &doc.chapters[c];
                if !query_safe(name) {
                    continue;
                }
                let first = doc
                    .articles
                    .iter()
                    .find(|a| a.1 == Some(c))
                    .map_or(0, |a| a.0);
                let mut q = Query {
                    kind,
                    text: format!("{short} {name}"),
                    family: short.to_string(),
                    chapter: Some(name.clone()),
                    article: first,
                    relevant: 0,
                };
                q.relevant = chapter_articles(&q, docs, families).len();
                q
            } else {
                let n = doc.articles[rng.below(doc.articles.len())].0;
                let text = match *kind {
                    "article_spaced" => format!("{short} 第{n}条"),
                    "article_glued" => format!("{short}第{n}条"),
                    // A title quoted within the title takes 〈〉 in a citation.
                    _ => format!(
                        "《{}》第{}条",
                        doc.full.replace('《', "〈").replace('》', "〉"),
                        num_to_cn(n)
                    ),
                };
                let relevant = families.docs[short.as_str()]
                    .iter()
                    .filter(|&&i| docs[i].articles.iter().any(|a| a.0 == n))
                    .count();
                Query {
                    kind,
                    text,
                    family: short.to_string(),
                    chapter: None,
                    article: n,
                    relevant,
                }
            };
            if seen.insert(q.text.clone()) {
                out.push(q);
                n += 1;
            }
        }
    }
    out
}

/// Text the query language reads as plain words: no ASCII operators, quotes or field colons.
fn query_safe(s: &str) -> bool {
    !s.contains(['(', ')', '"', '|', ':', '-']) && !s.split(' ').any(|w| w == "OR" || w == "NOT")
}

/// The (path, article) pairs of a chapter query, over the family's files with trusted numbering.
fn chapter_articles(q: &Query, docs: &[Doc], families: &Families) -> Vec<(String, u32)> {
    let name = q.chapter.as_deref().unwrap_or_default();
    families.docs[q.family.as_str()]
        .iter()
        .map(|&i| &docs[i])
        .filter(|d| d.numbered)
        .flat_map(|d| {
            d.articles
                .iter()
                .filter(|a| a.1.is_some_and(|c| d.chapters[c] == name))
                .map(|a| (d.path.clone(), a.0))
        })
        .collect()
}

/// Is this hit (or a passage collapsed into it) an answer to the query?
fn relevant(q: &Query, hit: &Value, docs: &[Doc], families: &Families) -> bool {
    let Some(article) = hit["article"].as_str() else {
        return false;
    };
    let Some(n) = article
        .strip_prefix('第')
        .and_then(|a| a.strip_suffix('条'))
        .and_then(cn_to_num)
    else {
        return false;
    };
    let mut paths = vec![hit["path"].as_str().unwrap_or_default()];
    for d in hit["duplicates"].as_array().into_iter().flatten() {
        paths.push(d["path"].as_str().unwrap_or_default());
    }
    let family = &families.paths[q.family.as_str()];
    paths.into_iter().filter(|p| family.contains(*p)).any(|p| {
        let Some(chapter) = &q.chapter else {
            return n == q.article;
        };
        match families.by_path.get(p).map(|&i| &docs[i]) {
            Some(doc) if doc.numbered => doc.chapter_of(n) == Some(chapter.as_str()),
            // A file this benchmark cannot number (docx, pdf, a run-together text): the
            // hit's own heading path names the chapter.
            _ => hit["heading"]
                .as_str()
                .unwrap_or_default()
                .split('›')
                .any(|h| {
                    heading(h)
                        .is_some_and(|(level, name)| level == Level::Chapter && name == *chapter)
                }),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Running

/// The index of the corpus: the one at `$ZHENGCE_BENCH_INDEX` if it holds one (built there
/// otherwise), else one built afresh under the target folder by the binary under test.
fn open_index(bin: &Path, corpus: &Path) -> PathBuf {
    let (dir, reuse) = match std::env::var_os("ZHENGCE_BENCH_INDEX") {
        Some(d) => (PathBuf::from(d), true),
        None => (
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("structural-index"),
            false,
        ),
    };
    let dir = std::path::absolute(&dir).expect("index path");
    if reuse && dir.join("meta.json").is_file() {
        eprintln!("reusing the index at {}", dir.display());
    } else {
        let started = Instant::now();
        let status = Command::new(bin)
            .arg("index")
            .arg(corpus)
            .arg("--index")
            .arg(&dir)
            .args(["--rebuild", "--quiet"])
            .status()
            .expect("run zhengce index");
        // Exit 2 also means some file was skipped, which leaves the rest indexed.
        assert!(
            dir.join("meta.json").is_file(),
            "zhengce index failed ({status})"
        );
        eprintln!(
            "indexed the corpus in {:.0} s into {}",
            started.elapsed().as_secs_f64(),
            dir.display()
        );
    }
    // Hits are compared by path relative to the corpus: an index of another folder would score 0
    // everywhere instead of saying why.
    let out = Command::new(bin)
        .args(["list", "--json", "--index"])
        .arg(&dir)
        .current_dir(corpus)
        .output()
        .expect("run zhengce list");
    let listed = String::from_utf8_lossy(&out.stdout);
    let under = listed
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["path"].as_str().is_some_and(|p| corpus.join(p).is_file()))
        .count();
    assert!(
        under > 0,
        "{} holds no file of {}: unset ZHENGCE_BENCH_INDEX or point it at an empty folder",
        dir.display(),
        corpus.display()
    );
    dir
}

/// `ZHENGCE_STRUCTURAL_CONTROL=1` checks the judging itself: each query is replaced by one that
/// strict search answers, `title:"行政许可法" 第四十六条` (for a chapter, its first article), so
/// scores near 1 say that paths, article numbers and chapters are matched as they should be.
fn control() -> bool {
    std::env::var_os("ZHENGCE_STRUCTURAL_CONTROL").is_some()
}

struct Outcome {
    /// Rank of the first relevant hit, from 1, within the cutoff.
    rank: Option<usize>,
    error: Option<String>,
    ms: f64,
    top: Vec<Value>,
}

fn run(
    bin: &Path,
    index: &Path,
    corpus: &Path,
    q: &Query,
    docs: &[Doc],
    families: &Families,
) -> Outcome {
    let text = if control() {
        format!("title:\"{}\" 第{}条", q.family, num_to_cn(q.article))
    } else {
        q.text.clone()
    };
    let started = Instant::now();
    let out = Command::new(bin)
        .args(["search", &text, "--json", "--limit", &CUTOFF.to_string()])
        .arg("--index")
        .arg(index)
        // Paths print relative to the corpus, as `_index.tsv` spells them.
        .current_dir(corpus)
        .output()
        .expect("run zhengce search");
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    // Exit 1 is "nothing found", still with its JSON.
    let parsed = serde_json::from_slice::<Value>(&out.stdout);
    let (Ok(v), Some(0 | 1)) = (parsed, out.status.code()) else {
        return Outcome {
            rank: None,
            error: Some(String::from_utf8_lossy(&out.stderr).trim().to_string()),
            ms,
            top: Vec::new(),
        };
    };
    let hits = v["hits"].as_array().cloned().unwrap_or_default();
    let rank = hits
        .iter()
        .take(CUTOFF)
        .position(|h| relevant(q, h, docs, families))
        .map(|r| r + 1);
    let top = hits
        .iter()
        .take(3)
        .map(|h| {
            json!({
                "path": h["path"],
                "passage": h["passage"],
                "article": h["article"],
                "heading": h["heading"],
            })
        })
        .collect();
    Outcome {
        rank,
        error: None,
        ms,
        top,
    }
}

// ---------------------------------------------------------------------------------------------
// Reporting

fn describe(docs: &[Doc], families: &Families, queries: &[Query]) {
    let numbered = docs.iter().filter(|d| d.numbered).count();
    let laws: Vec<&Doc> = docs.iter().filter(|d| d.is_law()).collect();
    let law_families = families
        .docs
        .values()
        .filter(|m| m.iter().any(|&i| docs[i].is_law()))
        .count();
    let multi = families
        .docs
        .values()
        .filter(|m| m.iter().filter(|&&i| docs[i].is_law()).count() > 1)
        .count();
    let chapters: usize = laws.iter().map(|d| d.chapters.len()).sum();
    let articles: usize = laws.iter().map(|d| d.articles.len()).sum();
    eprintln!(
        "{} txt/md files; {} with articles numbered in order, {} of them with chapters (laws): \
         {} families ({} with several versions or copies), {} chapters, {} articles",
        docs.len(),
        numbered,
        laws.len(),
        law_families,
        multi,
        chapters,
        articles
    );
    for kind in KINDS {
        eprintln!(
            "{kind}: {} queries",
            queries.iter().filter(|q| q.kind == kind).count()
        );
    }
}

/// The queries and what counts as an answer, for checking them by hand against the files.
fn list(queries: &[Query], docs: &[Doc], families: &Families) {
    for q in queries {
        println!("{}\t{}\trelevant {}", q.kind, q.text, q.relevant);
        if q.chapter.is_some() {
            let mut by_path: BTreeMap<String, Vec<u32>> = BTreeMap::new();
            for (p, n) in chapter_articles(q, docs, families) {
                by_path.entry(p).or_default().push(n);
            }
            for (p, ns) in by_path {
                println!("\t{p}: 第{}..{}条 ({})", ns[0], ns[ns.len() - 1], ns.len());
            }
        } else {
            for p in &families.paths[q.family.as_str()] {
                println!("\t{p}");
            }
        }
    }
}

/// How this benchmark reads the files whose path holds `part`: title, short title, numbering,
/// chapters with their articles.
fn show(docs: &[Doc], part: &str) {
    for d in docs.iter().filter(|d| d.path.contains(part)) {
        println!(
            "{}\n\tfull {} short {} numbered {} articles {}",
            d.path,
            d.full,
            d.short,
            d.numbered,
            d.articles.len()
        );
        if !d.numbered {
            let ns: Vec<u32> = d.articles.iter().map(|a| a.0).take(30).collect();
            println!("\tnumbers {ns:?}");
        }
        for (c, name) in d.chapters.iter().enumerate() {
            let ns: Vec<u32> = d
                .articles
                .iter()
                .filter(|a| a.1 == Some(c))
                .map(|a| a.0)
                .collect();
            // Chapters without articles are a table of contents, or empty.
            if let (Some(a), Some(b)) = (ns.first(), ns.last()) {
                println!("\t{name}: 第{a}..{b}条 ({})", ns.len());
            }
        }
    }
}

fn report(queries: &[Query], results: &[Outcome], index: &Path) {
    let mut summary = serde_json::Map::new();
    let mut table = String::new();
    writeln!(
        table,
        "| kind | queries | success@1 | success@3 | MRR@10 | errors | ms/query |"
    )
    .unwrap();
    writeln!(table, "|---|---|---|---|---|---|---|").unwrap();
    for kind in KINDS {
        let rs: Vec<&Outcome> = queries
            .iter()
            .zip(results)
            .filter(|(q, _)| q.kind == kind)
            .map(|(_, r)| r)
            .collect();
        let n = rs.len().max(1) as f64;
        let at = |k: usize| rs.iter().filter(|r| r.rank.is_some_and(|x| x <= k)).count() as f64 / n;
        let mrr = rs
            .iter()
            .map(|r| r.rank.map_or(0.0, |x| 1.0 / x as f64))
            .sum::<f64>()
            / n;
        let errors = rs.iter().filter(|r| r.error.is_some()).count();
        let ms = rs.iter().map(|r| r.ms).sum::<f64>() / n;
        writeln!(
            table,
            "| {kind} | {} | {:.2} | {:.2} | {:.3} | {errors} | {ms:.0} |",
            rs.len(),
            at(1),
            at(3),
            mrr
        )
        .unwrap();
        summary.insert(
            kind.to_string(),
            json!({
                "queries": rs.len(),
                "success_at_1": at(1),
                "success_at_3": at(3),
                "mrr_at_10": mrr,
                "errors": errors,
                "ms_per_query": ms,
            }),
        );
    }
    print!("{table}");
    for kind in KINDS {
        for (q, r) in queries
            .iter()
            .zip(results)
            .filter(|(q, _)| q.kind == kind)
            .take(3)
        {
            let first = r.top.first().map_or("no hit".to_string(), |h| {
                format!("{} {}", h["path"], h["article"])
            });
            println!(
                "example {kind}: {:?} → rank {:?} of {} relevant; first hit {first}",
                q.text, r.rank, q.relevant
            );
        }
    }
    if let Some(e) = results.iter().find_map(|r| r.error.as_deref()) {
        println!("first error: {e}");
    }

    let detail: Vec<Value> = queries
        .iter()
        .zip(results)
        .map(|(q, r)| {
            json!({
                "kind": q.kind,
                "query": q.text,
                "family": q.family,
                "relevant": q.relevant,
                "rank": r.rank,
                "error": r.error,
                "top": r.top,
            })
        })
        .collect();
    let out = std::env::var_os("ZHENGCE_STRUCTURAL_OUT").map_or_else(
        || {
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .parent()
                .expect("target folder")
                .join("structural.json")
        },
        PathBuf::from,
    );
    let doc = json!({
        "index": index,
        "cutoff": CUTOFF,
        "seed": SEED,
        "kinds": summary,
        "queries": detail,
    });
    std::fs::write(&out, serde_json::to_string_pretty(&doc).unwrap() + "\n")
        .expect("write the JSON results");
    eprintln!("results in {}", out.display());
}

/// xorshift64*: a seeded generator, so every run samples the same queries.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
