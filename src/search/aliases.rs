//! Aliases that generalise beyond the built-in table of synonyms:
//!
//! - [`Parts`]: composable parts of names (人大 = 人民代表大会, 常委会 = 常务委员会): a query
//!   word made of them becomes every combination of their long forms;
//! - [`law_short_names`]: the conventional short names of laws, made by rule from their names
//!   (民事诉讼法 → 民诉法), kept only where no two laws make the same one;
//! - [`defined`]: the abbreviations a document defines (`（以下简称“自贸试验区”）`), read at
//!   index time; [`IndexTable`] gathers them with the laws' short names when the index is
//!   written, so that a search reads one small file.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::Path;
use std::sync::Arc;

use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};

use crate::analysis::{is_cjk, normalize};
use crate::index::catalog::Catalog;
use crate::index::commit_file::{self, ALIASES, Bytes};
use crate::ingest::meta;

/// The built-in composable parts.
const PARTS: &str = include_str!("parts.txt");
/// The national laws whose short names the rule makes.
const LAWS: &str = include_str!("laws.txt");
/// Most alternatives a word made of parts expands to; beyond, the combinations with the
/// most long forms are kept.
const MAX_COMBINATIONS: usize = 32;

/// Composable parts of names: short part → its long forms, normalised.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    long: HashMap<String, Vec<String>>,
    /// Longest short part, in characters.
    max_chars: usize,
}

/// A query word cut into parts: each piece is a part (with its long forms) or literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decomposition {
    pub pieces: Vec<(String, Vec<String>)>,
}

impl Parts {
    /// The built-in parts.
    pub fn builtin() -> Parts {
        let mut parts = Parts::default();
        for line in PARTS.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let terms: Vec<String> = line.split_whitespace().map(|t| normalize(t).text).collect();
            if let [short, long @ ..] = terms.as_slice()
                && !long.is_empty()
            {
                parts.max_chars = parts.max_chars.max(short.chars().count());
                parts.long.insert(short.clone(), long.to_vec());
            }
        }
        parts
    }

    /// The word cut into parts, longest part first from the left; None when it holds none.
    pub fn decompose(&self, word: &str) -> Option<Decomposition> {
        let chars: Vec<char> = word.chars().collect();
        let mut pieces: Vec<(String, Vec<String>)> = Vec::new();
        let mut literal = String::new();
        let mut found = false;
        let mut i = 0;
        while i < chars.len() {
            let longest = (2..=self.max_chars.min(chars.len() - i))
                .rev()
                .find_map(|n| {
                    let piece: String = chars[i..i + n].iter().collect();
                    self.long.get(&piece).map(|long| (piece, long.clone(), n))
                });
            match longest {
                Some((piece, long, n)) => {
                    if !literal.is_empty() {
                        pieces.push((std::mem::take(&mut literal), Vec::new()));
                    }
                    pieces.push((piece, long));
                    found = true;
                    i += n;
                }
                None => {
                    literal.push(chars[i]);
                    i += 1;
                }
            }
        }
        if !literal.is_empty() {
            pieces.push((literal, Vec::new()));
        }
        found.then_some(Decomposition { pieces })
    }

    /// Every combination of the parts' short and long forms (the word itself first, then
    /// those with the most long forms), at most [`MAX_COMBINATIONS`].
    pub fn combinations(&self, word: &str) -> Vec<String> {
        let Some(d) = self.decompose(word) else {
            return vec![word.to_string()];
        };
        // Each piece's forms: itself, then its long forms.
        let forms: Vec<Vec<&str>> = d
            .pieces
            .iter()
            .map(|(short, long)| {
                std::iter::once(short.as_str())
                    .chain(long.iter().map(String::as_str))
                    .collect()
            })
            .collect();
        let mut all: Vec<(usize, String)> = vec![(0, String::new())];
        for f in &forms {
            let mut next = Vec::with_capacity(all.len() * f.len());
            for (longs, text) in &all {
                for (k, form) in f.iter().enumerate() {
                    next.push((longs + usize::from(k > 0), format!("{text}{form}")));
                }
            }
            // Cap as we go, keeping the combinations with the most long forms.
            next.sort_by_key(|e| std::cmp::Reverse(e.0));
            next.truncate(MAX_COMBINATIONS * 4);
            all = next;
        }
        let mut out = vec![word.to_string()];
        for (_, text) in all {
            if out.len() >= MAX_COMBINATIONS {
                break;
            }
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out
    }

    /// The parts of a word with their long forms: `人大 = 人民代表大会 · 常委会 = 常务委员会`.
    pub fn describe(&self, word: &str) -> String {
        let Some(d) = self.decompose(word) else {
            return String::new();
        };
        d.pieces
            .iter()
            .filter(|(_, long)| !long.is_empty())
            .map(|(short, long)| format!("{short} = {}", long.join(" / ")))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The parts as (short, long forms), for `zhengce aliases`.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.long.iter()
    }
}

/// The conventional short names a law's name makes, by rule: the first character of each of
/// its words (民事诉讼法 → 民诉法, 网络安全法 → 网安法), or of its first and last words
/// (消费者权益保护法 → 消保法, 个人信息保护法 → 个保法), or of its first two (道路交通安全法 →
/// 道交法); never one as long as the name. (The dictionary knows some of them, 民诉法 among
/// them: being a word is no reason to leave one out.)
pub fn law_short_names(name: &str, jieba: &Jieba) -> Vec<String> {
    let name = name.trim_start_matches("中华人民共和国");
    // 办法 are measures, not laws; their names are not shortened this way.
    let Some(stem) = name.strip_suffix('法').filter(|s| !s.ends_with('办')) else {
        return Vec::new();
    };
    let words = fine_words(stem, jieba);
    if words.len() < 2 || !words.iter().all(|w| w.chars().all(is_cjk)) {
        return Vec::new();
    }
    let first = |w: &&str| w.chars().next().unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    let mut push = |chars: String| {
        let alias = format!("{chars}法");
        if alias.chars().count() >= 3
            && alias.chars().count() < name.chars().count()
            && !out.contains(&alias)
        {
            out.push(alias);
        }
    };
    push(words.iter().map(first).collect());
    if words.len() >= 3 {
        push(
            [words[0], words[words.len() - 1]]
                .iter()
                .map(first)
                .collect(),
        );
        push(words[..2].iter().map(first).collect());
    }
    out
}

/// The words of a law's name, a compound of the dictionary cut into its own words where
/// they are words too (民事诉讼 → 民事 诉讼), as the short name takes a character of each.
fn fine_words<'a>(stem: &'a str, jieba: &Jieba) -> Vec<&'a str> {
    let mut out = Vec::new();
    for token in jieba.cut(stem, false) {
        let word = token.word;
        // 和, 与, 及 join words and give no character (人口与计划生育法 → 人计生法).
        if word.trim().is_empty() || matches!(word, "和" | "与" | "及" | "的") {
            continue;
        }
        match split_in_pairs(word, jieba) {
            Some(pairs) => out.extend(pairs),
            None => out.push(word),
        }
    }
    out
}

/// A word of four characters or more cut into words of two, when each is a word of the
/// dictionary (诉讼 and 民事, not 事诉).
fn split_in_pairs<'a>(word: &'a str, jieba: &Jieba) -> Option<Vec<&'a str>> {
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let n = bounds.len();
    if n < 4 || !n.is_multiple_of(2) {
        return None;
    }
    let pairs: Vec<&str> = (0..n)
        .step_by(2)
        .map(|i| &word[bounds[i]..bounds.get(i + 2).copied().unwrap_or(word.len())])
        .collect();
    pairs.iter().all(|p| jieba.has_word(p)).then_some(pairs)
}

/// Where a defined abbreviation's long form can end: names of bodies, laws, zones,
/// programmes. A long form ending otherwise is a description (本条例所称…的企业), which the
/// abbreviation stands for only in its own document.
const PROPER_ENDS: &[&str] = &[
    "委员会",
    "委",
    "部",
    "局",
    "厅",
    "署",
    "办公室",
    "办",
    "院",
    "会",
    "中心",
    "银行",
    "集团",
    "组织",
    "联盟",
    "协会",
    "法",
    "条例",
    "规定",
    "办法",
    "试验区",
    "开发区",
    "新区",
    "示范区",
    "自贸区",
    "经济区",
    "经济带",
    "港",
    "工程",
    "计划",
    "规划",
    "战略",
    "协定",
    "公约",
    "条约",
    "基金",
    "所",
    "站",
    "园区",
    "三角洲",
];

/// The abbreviations a text defines: `国家发展和改革委员会（以下简称发改委）`,
/// `中国（上海）自由贸易试验区（以下简称“自贸试验区”）`, `（简称「X」）`, as (short, long)
/// pairs, normalised. The long form is the shortest stretch before the bracket that starts
/// with the short form's first character and holds its characters in order; a short form
/// that is part of its long form (`《中华人民共和国民事诉讼法》（以下简称民事诉讼法）`) is left
/// out, as the search finds the long form by it anyway.
pub fn defined(text: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i] != '简' || chars[i + 1] != '称' {
            i += 1;
            continue;
        }
        // （简称, （以下简称.
        let open = match (i.checked_sub(1), i.checked_sub(3)) {
            (Some(b), _) if matches!(chars[b], '（' | '(') => Some(b),
            (_, Some(b)) if matches!(chars[b], '（' | '(') && chars[b + 1..i] == ['以', '下'] => {
                Some(b)
            }
            _ => None,
        };
        let mut at = i + 2;
        i += 2;
        let Some(open) = open else {
            continue;
        };
        while chars
            .get(at)
            .is_some_and(|c| matches!(c, '为' | '：' | ':'))
        {
            at += 1;
        }
        while chars
            .get(at)
            .is_some_and(|c| matches!(c, '“' | '"' | '「' | '《' | '‘' | '\''))
        {
            at += 1;
        }
        let short: String = chars[at..]
            .iter()
            .take_while(|c| c.is_alphanumeric())
            .take(13)
            .collect();
        let n = short.chars().count();
        if !(2..=12).contains(&n) || !short.chars().any(is_cjk) {
            continue;
        }
        if let Some(long) = long_form(&chars[open.saturating_sub(40)..open], &short) {
            let pair = (normalize(&short).text, normalize(&long).text);
            if !pair.1.contains(&pair.0) && !out.contains(&pair) {
                out.push(pair);
            }
        }
    }
    out
}

/// The long form a short one abbreviates, in the text before its bracket.
fn long_form(before: &[char], short: &str) -> Option<String> {
    let mut end = before.len();
    // 《中华人民共和国民事诉讼法》（以下简称…）: the title inside the brackets.
    if before.last() == Some(&'》') {
        end -= 1;
    }
    let text = &before[..end];
    // The stretch since the last punctuation (a bracketed part, as in 中国（上海）, stays).
    let start = text
        .iter()
        .rposition(|c| {
            matches!(
                c,
                '，' | '。' | '；' | '：' | '、' | '\n' | '《' | '“' | '”'
            )
        })
        .map_or(0, |p| p + 1);
    let text = &text[start + balanced_start(&text[start..])..];
    let first = short.chars().next()?;
    let wanted: Vec<char> = short.chars().collect();
    (0..text.len()).rev().find_map(|p| {
        if text[p] != first {
            return None;
        }
        let mut need = wanted.iter().peekable();
        for c in &text[p..] {
            if need.peek() == Some(&c) {
                need.next();
            }
        }
        need.peek()
            .is_none()
            .then(|| text[p..].iter().collect::<String>())
            .filter(|long| long.chars().count() > wanted.len())
    })
}

/// Where the last stretch of `text` with balanced brackets starts: after a closing bracket
/// that opens nowhere in it (`…办学者）在中国境内…`) and after an opening one never closed.
fn balanced_start(text: &[char]) -> usize {
    let mut start = 0;
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in text.iter().enumerate() {
        match c {
            '（' | '(' | '〔' | '[' => open.push(i),
            '）' | ')' | '〕' | ']' if open.pop().is_none() => start = i + 1,
            _ => {}
        }
    }
    open.last().map_or(start, |&i| i + 1)
}

/// A short form defined in documents, with its long form and the files that define it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Defined {
    pub short: String,
    pub long: String,
    pub files: Vec<String>,
}

/// What an index knows of aliases beyond the built-in table, written when it is committed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexTable {
    /// Short names of laws made by the rule: (short name, law's name), each unambiguous.
    pub laws: Vec<(String, String)>,
    /// Abbreviations defined the same way by two documents or more, of a proper name: they
    /// hold across the index.
    pub shared: Vec<Defined>,
    /// Abbreviations defined once, or of a description: they hold in their documents alone.
    pub local: Vec<Defined>,
}

impl IndexTable {
    /// The table of a catalog: the abbreviations its documents define, and the short names of
    /// the built-in laws and of the laws it holds.
    pub fn build(catalog: &Catalog) -> IndexTable {
        let mut by_pair: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for (path, record) in &catalog.files {
            for (short, long) in &record.abbreviations {
                by_pair
                    .entry((short.clone(), long.clone()))
                    .or_default()
                    .insert(path.clone());
            }
        }
        let mut table = IndexTable::default();
        for ((short, long), files) in by_pair {
            let defined = Defined {
                short,
                long,
                files: files.into_iter().collect(),
            };
            if defined.files.len() >= 2 && is_proper_name(&defined.long) {
                table.shared.push(defined);
            } else {
                table.local.push(defined);
            }
        }
        let mut names: BTreeSet<String> = LAWS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        for record in catalog.files.values() {
            if record.doc_type.as_deref() == Some("法律") {
                let name = meta::short_title(&record.title);
                if name.ends_with('法') {
                    names.insert(name);
                }
            }
        }
        table.laws = unambiguous_short_names(&names, &crate::analysis::JIEBA_DICT);
        table
    }
}

impl IndexTable {
    /// The table by term: each term a law's short name, a shared abbreviation (short or long
    /// form) or an abbreviation a document defines for itself, with what the table says of it.
    fn by_term(&self) -> BTreeMap<&str, TermAliases> {
        let mut terms: BTreeMap<&str, TermAliases> = BTreeMap::new();
        for (short, law) in &self.laws {
            terms.entry(short).or_default().law = Some(law.clone());
        }
        for d in &self.shared {
            terms.entry(&d.short).or_default().shared.push(d.clone());
            if d.long != d.short {
                terms.entry(&d.long).or_default().shared.push(d.clone());
            }
        }
        for d in &self.local {
            terms.entry(&d.short).or_default().local.push(d.clone());
        }
        terms
    }

    /// The file form: a line `[term, aliases]` per term, sorted by term, so that a query
    /// reads the lines of its words alone (see [`IndexAliases`]).
    pub fn write_lines(&self, out: &mut (impl io::Write + ?Sized)) -> io::Result<()> {
        for entry in self.by_term() {
            serde_json::to_writer(&mut *out, &entry)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// What the index's table says of one term.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermAliases {
    /// The law the term is the short name of, by rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub law: Option<String>,
    /// The shared abbreviations the term is the short or the long form of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared: Vec<Defined>,
    /// The abbreviations documents define for themselves with the term as the short form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local: Vec<Defined>,
}

/// The index's alias table as written (see [`IndexTable::write_lines`]): a query looks up its
/// words with a binary search in the mapped file, so that its cost does not grow with the
/// number of abbreviations the collection defines.
#[derive(Clone)]
pub struct IndexAliases {
    bytes: Arc<Bytes>,
}

impl std::fmt::Debug for IndexAliases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IndexAliases({} bytes)", self.bytes.len())
    }
}

impl IndexAliases {
    /// The table of the index's last commit; none when it has none (an empty index).
    pub fn committed(dir: &Path) -> Option<IndexAliases> {
        let name = commit_file::committed_catalog(dir).and_then(|c| ALIASES.beside(&c))?;
        let bytes = commit_file::map(&dir.join(name)).ok()?;
        Some(IndexAliases {
            bytes: Arc::new(bytes),
        })
    }

    /// A table held in memory.
    pub fn of(table: &IndexTable) -> IndexAliases {
        let mut lines = Vec::new();
        // Writing to memory cannot fail.
        let _ = table.write_lines(&mut lines);
        IndexAliases {
            bytes: Arc::new(Bytes::Built(lines)),
        }
    }

    /// What the table says of `term` (normalised); none when nothing.
    pub fn get(&self, term: &str) -> Option<TermAliases> {
        let line = commit_file::keyed_line(&self.bytes, 0, term)?;
        serde_json::from_slice::<(serde::de::IgnoredAny, TermAliases)>(line)
            .ok()
            .map(|(_, t)| t)
    }

    /// The whole table, for listing every alias.
    pub fn table(&self) -> IndexTable {
        let mut table = IndexTable::default();
        let (mut shared, mut local) = (BTreeSet::new(), BTreeSet::new());
        for line in commit_file::lines(&self.bytes) {
            let Ok((term, aliases)) = serde_json::from_slice::<(String, TermAliases)>(line) else {
                continue;
            };
            if let Some(law) = aliases.law {
                table.laws.push((term, law));
            }
            // In the order they were written in: by short, then long form.
            shared.extend(aliases.shared);
            local.extend(aliases.local);
        }
        table.shared = shared.into_iter().collect();
        table.local = local.into_iter().collect();
        table
    }
}

/// Whether a long form names something (a body, a law, a zone) rather than describing it.
fn is_proper_name(long: &str) -> bool {
    PROPER_ENDS.iter().any(|end| long.ends_with(end))
        && !long.contains('的')
        && !long.contains("所称")
        && !long.starts_with('本')
}

/// The short names the rule makes for each law, but those two laws make alike (ambiguous)
/// and those that are a law's own name.
fn unambiguous_short_names(names: &BTreeSet<String>, jieba: &Jieba) -> Vec<(String, String)> {
    let mut made: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in names {
        for short in law_short_names(name, jieba) {
            made.entry(short).or_default().insert(name.clone());
        }
    }
    made.into_iter()
        .filter(|(short, laws)| laws.len() == 1 && !names.contains(short))
        .filter_map(|(short, laws)| Some((short, laws.into_iter().next()?)))
        .map(|(short, law)| (normalize(&short).text, normalize(&law).text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_compose_without_listing_combinations() {
        let parts = Parts::builtin();
        let all = parts.combinations("市人大常委会");
        assert_eq!(all[0], "市人大常委会");
        assert_eq!(all[1], "市人民代表大会常务委员会");
        for form in ["市人民代表大会常委会", "市人大常务委员会"] {
            assert!(all.contains(&form.to_string()), "{all:?}");
        }
        assert_eq!(all.len(), 4);
        assert_eq!(parts.combinations("省政协"), ["省政协", "省政治协商会议"]);
        // Longest part first: 发改委, not 发改 and 委.
        assert!(
            parts
                .combinations("省发改委")
                .contains(&"省发展和改革委员会".to_string())
        );
        assert_eq!(parts.combinations("数据安全"), ["数据安全"]);
        // Many parts: capped.
        assert!(parts.combinations(&"人社住建发改".repeat(4)).len() <= MAX_COMBINATIONS);
    }

    #[test]
    fn laws_short_names_by_rule() {
        let jieba = &crate::analysis::JIEBA_DICT;
        for (law, short) in [
            ("民事诉讼法", "民诉法"),
            ("中华人民共和国刑事诉讼法", "刑诉法"),
            ("行政诉讼法", "行诉法"),
            ("个人信息保护法", "个保法"),
            ("消费者权益保护法", "消保法"),
            ("网络安全法", "网安法"),
        ] {
            assert!(
                law_short_names(law, jieba).contains(&short.to_string()),
                "{law}: {:?}",
                law_short_names(law, jieba)
            );
        }
        // 和 and 与 give no character.
        assert!(
            law_short_names("人口与计划生育法", jieba)
                .iter()
                .all(|s| !s.contains('与'))
        );
        // A name of one word makes none; nor does what is not a law.
        assert!(law_short_names("公司法", jieba).is_empty());
        assert!(law_short_names("档案法实施办法", jieba).is_empty());
        assert!(law_short_names("数据安全条例", jieba).is_empty());
    }

    #[test]
    fn two_laws_making_one_short_name_keep_it_for_neither() {
        let names: BTreeSet<String> = ["民事诉讼法", "刑事诉讼法", "民族诉讼法"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let table = unambiguous_short_names(&names, &crate::analysis::JIEBA_DICT);
        assert!(
            table.contains(&("刑诉法".into(), "刑事诉讼法".into())),
            "{table:?}"
        );
        assert!(!table.iter().any(|(s, _)| s == "民诉法"), "{table:?}");
    }

    #[test]
    fn index_table_looked_up_by_term_and_read_back_whole() {
        let defined = |short: &str, long: &str, files: &[&str]| Defined {
            short: short.into(),
            long: long.into(),
            files: files.iter().map(|f| f.to_string()).collect(),
        };
        let table = IndexTable {
            laws: vec![
                ("个保法".into(), "个人信息保护法".into()),
                ("民诉法".into(), "民事诉讼法".into()),
            ],
            shared: vec![defined("自贸区", "自由贸易试验区", &["a.md", "b.md"])],
            local: vec![
                defined("本法", "数据安全法", &["c.md"]),
                defined("自贸区", "临港新片区", &["d.md"]),
            ],
        };
        let aliases = IndexAliases::of(&table);
        assert_eq!(aliases.table(), table);
        assert_eq!(
            aliases.get("民诉法").unwrap().law.as_deref(),
            Some("民事诉讼法")
        );
        // A shared abbreviation is found by its long form too; a local one by its short alone.
        let free_trade = aliases.get("自贸区").unwrap();
        assert_eq!((free_trade.shared.len(), free_trade.local.len()), (1, 1));
        assert_eq!(aliases.get("自由贸易试验区").unwrap().shared, table.shared);
        assert_eq!(aliases.get("临港新片区"), None);
        assert_eq!(aliases.get("个"), None);
    }

    #[test]
    fn abbreviations_documents_define() {
        assert_eq!(
            defined(
                "为推进中国（上海）自由贸易试验区（以下简称“自贸试验区”）建设，国家发展和改革委员会（以下简称发改委）会同有关部门"
            ),
            [
                ("自贸试验区".to_string(), "自由贸易试验区".to_string()),
                ("发改委".to_string(), "发展和改革委员会".to_string())
            ]
        );
        assert_eq!(
            defined(
                "根据《中华人民共和国民事诉讼法》（以下简称民事诉讼法）的规定，市人民代表大会常务委员会（简称「市人大常委会」）"
            ),
            [(
                "市人大常委会".to_string(),
                "市人民代表大会常务委员会".to_string()
            )]
        );
        // Not an abbreviation of what precedes it.
        assert!(defined("甲公司与乙公司（以下简称双方）").is_empty());
        assert!(defined("（以下简称").is_empty());
        assert!(is_proper_name("自由贸易试验区"));
        assert!(!is_proper_name("从事经营活动的企业"));
        assert!(!is_proper_name("本办法所称证券交易所风险基金"));
        // A bracket closed before the long form starts is not part of it.
        assert!(
            defined("中外合作办学者）在中国境内合作举办的教育机构（以下简称中外合作办学机构）")
                .is_empty()
        );
        let chars: Vec<char> = "甲）乙（丙".chars().collect();
        assert_eq!(balanced_start(&chars), 4);
    }
}
