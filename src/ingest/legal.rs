//! What one document says about its own validity and about other documents: its version
//! (`2018年修正`), the status its front matter gives, the end of its own period of validity
//! (有效期), the texts it repeals (`同时废止《…》`, a repeal decision's list), and the
//! references it makes (《title》, 《title》第N条, 本法第N条, 发文字号). Read once per file at
//! indexing time and kept in the catalog; [`crate::index::versions`] links them across the
//! corpus.

use serde::{Deserialize, Serialize};

use crate::analysis::numerals::chinese_number;
use crate::ingest::meta::{self, Date, Meta};
use crate::ingest::passage::Passage;

/// Hashes kept per document: enough to tell a copy (near 1.0) from another version.
const SKETCH_SIZE: usize = 32;

/// A document's own legal facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Legal {
    /// The version the text is: 2018年修正, 2019年修订, 2021年公布, 2021年版.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `status:` of the front matter, as written (现行有效, 废止或失效 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front_status: Option<String>,
    /// The last day of its own period of validity (有效期至…, 有效期N年), ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The highest article number (第N条) of a law; 0 for a text without articles.
    #[serde(default)]
    pub articles: u32,
    /// Hash of every passage's letters and digits in order: equal for exact copies.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub text_hash: u64,
    /// The smallest hashes of its shingles: compared, they estimate how much text two
    /// documents share (see [`resemblance`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sketch: Vec<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repeals: Vec<Target>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Legal {
    /// What `list` shows of it: the version and validity, not what only the version chains
    /// compare (hashes, sketches, references).
    pub fn listed(&self) -> Legal {
        Legal {
            version: self.version.clone(),
            front_status: self.front_status.clone(),
            expires: self.expires.clone(),
            articles: self.articles,
            ..Legal::default()
        }
    }
}

/// A text a document repeals, by title or number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The passage that says so.
    pub passage: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

/// A reference one passage makes to a document or an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The citing passage.
    #[serde(rename = "p")]
    pub passage: u64,
    /// The cited title as written in 《》; none for 本法 and for a number alone.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The cited article (第六条).
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// The cited document number (国发〔2019〕5号).
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// 本法第N条: the citing text itself.
    #[serde(rename = "s", default, skip_serializing_if = "std::ops::Not::not")]
    pub own: bool,
}

/// The legal facts of a document from its passages, metadata and front matter.
pub fn read(title: &str, passages: &[Passage], meta: &Meta, pairs: &[(String, String)]) -> Legal {
    let paragraphs: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
    let front_status = pairs
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("status") && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_string());
    let version = meta.date.map(|d| meta::version_label(&paragraphs, d));
    Legal {
        version,
        front_status,
        expires: expiry(&paragraphs, meta).map(Date::iso),
        articles: passages
            .iter()
            .filter_map(|p| p.article.as_deref().and_then(article_number))
            .max()
            .unwrap_or(0),
        text_hash: text_hash(passages),
        sketch: sketch(passages),
        repeals: repeals(title, passages),
        references: references(passages, meta.doc_number.as_deref()),
    }
}

/// 第六条 → 6, 第一百三十三条之一 → 133; none for anything else.
pub fn article_number(label: &str) -> Option<u32> {
    let inner = label.strip_prefix('第')?;
    let end = inner.find('条')?;
    let digits = &inner[..end];
    digits.parse().ok().or_else(|| chinese_number(digits))
}

fn text_hash(passages: &[Passage]) -> u64 {
    passages
        .iter()
        .filter(|p| !p.heading_line)
        .fold(0xcbf2_9ce4_8422_2325u64, |h, p| {
            (h ^ p.dup_key).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Characters of a shingle: runs of this many letters or digits are compared.
const SHINGLE_CHARS: usize = 8;

/// The [`SKETCH_SIZE`] smallest hashes of the text's shingles (its letters and digits, runs
/// of [`SHINGLE_CHARS`]), sorted: a bottom-k sketch, blind to how the text was cut into
/// passages.
fn sketch(passages: &[Passage]) -> Vec<u64> {
    let mut window = ['\0'; SHINGLE_CHARS];
    let mut seen = 0usize;
    let mut hashes = Vec::new();
    for p in passages.iter().filter(|p| !p.heading_line) {
        for c in crate::ingest::passage::core(&p.text).chars() {
            window[seen % SHINGLE_CHARS] = c;
            seen += 1;
            if seen < SHINGLE_CHARS {
                continue;
            }
            let h = (seen..seen + SHINGLE_CHARS).fold(0xcbf2_9ce4_8422_2325u64, |h, i| {
                (h ^ u64::from(window[i % SHINGLE_CHARS])).wrapping_mul(0x0100_0000_01b3)
            });
            hashes.push(mix(h, 0));
        }
    }
    smallest_distinct(hashes, SKETCH_SIZE)
}

/// The `k` smallest distinct values, sorted. Only a few times `k` of them are sorted: the
/// smallest distinct values are among the smallest values counted with repeats.
fn smallest_distinct(mut values: Vec<u64>, k: usize) -> Vec<u64> {
    let few = 4 * k;
    if values.len() > few {
        values.select_nth_unstable(few - 1);
        let mut smallest = values[..few].to_vec();
        smallest.sort_unstable();
        smallest.dedup();
        if smallest.len() >= k {
            smallest.truncate(k);
            return smallest;
        }
    }
    values.sort_unstable();
    values.dedup();
    values.truncate(k);
    values
}

/// A 64-bit mix (splitmix64) of a key with a seed.
fn mix(key: u64, seed: u64) -> u64 {
    let mut z = key ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The share of shingles two texts share (Jaccard), estimated from their sketches: of the
/// smallest hashes of both together, those found in each.
pub fn resemblance(a: &[u64], b: &[u64]) -> f64 {
    let mut union: Vec<u64> = a.iter().chain(b).copied().collect();
    union.sort_unstable();
    union.dedup();
    union.truncate(SKETCH_SIZE.min(a.len()).min(b.len()));
    if union.is_empty() {
        return 0.0;
    }
    let both = union
        .iter()
        .filter(|h| a.binary_search(h).is_ok() && b.binary_search(h).is_ok())
        .count();
    both as f64 / union.len() as f64
}

/// Words a text calls itself by: 本法, 本条例, 本办法 ….
const SELF_WORDS: &[&str] = &[
    "本法",
    "本条例",
    "本办法",
    "本规定",
    "本细则",
    "本决定",
    "本解释",
    "本意见",
    "本通知",
    "本方案",
    "本规则",
    "本措施",
    "本标准",
    "本准则",
    "本公告",
];

/// The last day of the text's own period of validity: `本办法…有效期至2025年12月31日`,
/// `本规定自…起施行，有效期5年`. Only a sentence where the text speaks of itself counts:
/// most 有效期 are those of licences and certificates.
fn expiry(paragraphs: &[&str], meta: &Meta) -> Option<Date> {
    for p in paragraphs.iter().rev().take(12) {
        for sentence in p.split(['。', '；']) {
            let Some(at) = sentence.find("有效期") else {
                continue;
            };
            if !SELF_WORDS.iter().any(|w| sentence[..at].contains(w)) {
                continue;
            }
            let rest = &sentence[at + "有效期".len()..];
            if let Some(date) = rest.strip_prefix("至").and_then(meta::find_date) {
                return Some(date);
            }
            let start = meta.effective.or(meta.date).filter(|d| d.month > 0)?;
            let years = years_of(rest)?;
            return Some(day_before(Date {
                year: start.year + years,
                ..start
            }));
        }
    }
    None
}

/// N of `为5年`, `五年`, `3 年`.
fn years_of(text: &str) -> Option<u32> {
    let t = text.trim_start_matches(['为', ' ']);
    let end = t.find('年')?;
    let n = t[..end].trim();
    n.parse()
        .ok()
        .or_else(|| chinese_number(n))
        .filter(|&n| n > 0 && n < 100)
}

/// The day before a full date: a period of N years from 2020-01-01 ends 2024-12-31.
fn day_before(d: Date) -> Date {
    if d.day > 1 {
        return Date {
            day: d.day - 1,
            ..d
        };
    }
    let (year, month) = if d.month > 1 {
        (d.year, d.month - 1)
    } else {
        (d.year - 1, 12)
    };
    Date {
        year,
        month,
        day: Date::days_in_month(year, month),
    }
}

/// The texts a document repeals: the titles and numbers of each sentence that says 废止
/// outside the titles it names (`…发布的《印刷业管理条例》同时废止`), and of the lists that follow
/// a line announcing repeals (`决定废止下列行政法规：`); a repeal decision
/// (`关于废止部分…的决定`) repeals every text its body names. An article repealed alone
/// (`《…》第十条废止`) is not the text's repeal.
fn repeals(title: &str, passages: &[Passage]) -> Vec<Target> {
    let decision = title.contains("废止") && !title.contains("修改");
    let mut out = Vec::new();
    let mut in_list = decision;
    for p in passages {
        let text = p.text.as_str();
        // What follows reads 废止 and 修改 outside titles (where a title left out may join
        // their characters); most passages hold neither's characters.
        let may_say = |word: &str| word.chars().all(|c| text.contains(c));
        let says = |word: &str| may_say(word) && outside_titles(text).contains(word);
        let opens_list = text.ends_with(['：', ':']);
        if opens_list && says("废止") {
            in_list = true;
        } else if opens_list && !decision && says("修改") {
            in_list = false;
        }
        if in_list && !text.starts_with("根据") {
            list_targets(text, p.ordinal as u64, &mut out);
            continue;
        }
        if !may_say("废止") {
            continue;
        }
        for sentence in text
            .split(['。', '；'])
            .filter(|s| says_repealed(&outside_titles(s)))
        {
            targets_in(sentence, p.ordinal as u64, &mut out);
        }
    }
    out.dedup();
    out
}

/// The titles and numbers a sentence repeals.
fn targets_in(sentence: &str, passage: u64, out: &mut Vec<Target>) {
    for (title, end) in titles_in(sentence) {
        // 《…》第十条废止: one article, not the text.
        if article_after(&sentence[end..]).is_some() || title.contains("废止") {
            continue;
        }
        out.push(Target {
            passage,
            title: Some(title),
            number: None,
        });
    }
    for number in numbers_in(sentence) {
        out.push(Target {
            passage,
            title: None,
            number: Some(number),
        });
    }
}

/// Whether a sentence (its titles left out) repeals something: `同时废止`, `予以废止`, a
/// sentence ending in 废止; not one that speaks of repeal in general (`规章的制定、修改和废止，
/// 依照《…》`).
fn says_repealed(bare: &str) -> bool {
    let general = [
        "修改和废止",
        "修改或者废止",
        "修改、废止",
        "或者废止",
        "的废止",
    ];
    if general.iter().any(|g| bare.contains(g)) {
        return false;
    }
    ["同时废止", "予以废止", "即行废止", "决定废止", "一并废止"]
        .iter()
        .any(|v| bare.contains(v))
        || bare
            .trim_end_matches(|c: char| c.is_whitespace() || "。；，".contains(c))
            .ends_with("废止")
}

/// The texts a row of a repeal list names: a title opening its row (a 《》 inside a longer
/// name, `关于贯彻执行《…》的通知`, or in the reason, `与《…》相冲突`, is not one), and the
/// numbers outside the reason `已被…代替` (which names the text that replaced it).
fn list_targets(text: &str, passage: u64, out: &mut Vec<Target>) {
    let bare = without_replacements(text);
    for (title, open, end) in titles_at(&bare) {
        let before = bare[..open].trim_end();
        let opens_row = before.is_empty()
            || before.ends_with(|c: char| c.is_ascii_digit() || ".、）)：:。；，".contains(c));
        if opens_row && article_after(&bare[end..]).is_none() && !title.contains("废止") {
            out.push(Target {
                passage,
                title: Some(title),
                number: None,
            });
        }
    }
    for number in numbers_in(&bare) {
        out.push(Target {
            passage,
            title: None,
            number: Some(number),
        });
    }
}

/// The text without the reasons a repeal list gives: `已被…代替`, `被…取代`.
fn without_replacements(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('被') {
        let after = &rest[at..];
        let end = ["代替", "取代", "替代"]
            .iter()
            .filter_map(|w| after.find(w).map(|i| i + w.len()))
            .filter(|&i| after[..i].chars().count() <= 120)
            .min();
        match end {
            Some(end) => {
                out.push_str(&rest[..at]);
                out.push(' ');
                rest = &rest[at + end..];
            }
            None => {
                out.push_str(&rest[..at + '被'.len_utf8()]);
                rest = &rest[at + '被'.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The document numbers of a text, each without the words a citing clause runs into its
/// issuer code (`第六条和国发〔2019〕5号` → 国发〔2019〕5号).
fn numbers_in(text: &str) -> Vec<String> {
    meta::numbers_in(text)
        .into_iter()
        .map(|(_, n)| match n.find('〔') {
            Some(open) if open > 0 => {
                let code = &n[..open];
                let cut = code
                    .char_indices()
                    .rev()
                    .find(|(_, c)| "条款项和及与或的第、，".contains(*c))
                    .map(|(i, c)| i + c.len_utf8())
                    .unwrap_or(0);
                n[cut..].to_string()
            }
            _ => n,
        })
        .collect()
}

/// The text with every 《…》 title blanked out.
fn outside_titles(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|&c| {
            match c {
                '《' => depth += 1,
                '》' => {
                    depth = depth.saturating_sub(1);
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .collect()
}

/// Each 《title》 of a text (〈〉 inside kept) with the byte offset after its 》.
pub fn titles_in(text: &str) -> Vec<(String, usize)> {
    titles_at(text)
        .into_iter()
        .map(|(title, _, end)| (title, end))
        .collect()
}

/// Each 《title》 of a text with the byte offsets of its 《 and after its 》.
fn titles_at(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    start = Some(i + c.len_utf8());
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some(s) = start.take()
                {
                    let title = text[s..i].trim();
                    if !title.is_empty() && title.chars().count() <= 80 {
                        out.push((title.to_string(), s - '《'.len_utf8(), i + c.len_utf8()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The article cited right after a title (`》第六条`, `》（2018年修正）第六条`, `》第六条第二款`).
pub fn article_after(rest: &str) -> Option<String> {
    let rest = skip_version_note(rest.trim_start());
    let inner = rest.strip_prefix('第')?;
    let digits: usize = inner
        .chars()
        .take_while(|&c| crate::analysis::numerals::is_numeral(c))
        .map(char::len_utf8)
        .sum();
    if digits == 0 || !inner[digits..].starts_with('条') {
        return None;
    }
    let mut end = '第'.len_utf8() + digits + '条'.len_utf8();
    if let Some(after) = rest[end..].strip_prefix('之') {
        let n: usize = after
            .chars()
            .take_while(|&c| crate::analysis::numerals::is_numeral(c))
            .map(char::len_utf8)
            .sum();
        if n > 0 {
            end += '之'.len_utf8() + n;
        }
    }
    Some(rest[..end].to_string())
}

/// The text after a version note in brackets (（2018年修正）), or the text itself.
fn skip_version_note(rest: &str) -> &str {
    let Some(inner) = rest.strip_prefix(['（', '(']) else {
        return rest;
    };
    match inner.find(['）', ')']) {
        Some(end) if end <= 24 && inner[..end].contains('年') => {
            inner[end..].trim_start_matches(['）', ')'])
        }
        _ => rest,
    }
}

/// The references of every passage: 《title》 (with the article after it), 本法第N条, and
/// document numbers other than the document's own.
fn references(passages: &[Passage], own_number: Option<&str>) -> Vec<Reference> {
    let mut out = Vec::new();
    for p in passages.iter().filter(|p| !p.heading_line) {
        let passage = p.ordinal as u64;
        let text = p.text.as_str();
        let mut found: Vec<Reference> = Vec::new();
        for (title, end) in titles_in(text) {
            found.push(Reference {
                passage,
                title: Some(title),
                article: article_after(&text[end..]),
                number: None,
                own: false,
            });
        }
        found.extend(own_articles(text, passage));
        for number in numbers_in(text) {
            if Some(number.as_str()) != own_number {
                found.push(Reference {
                    passage,
                    title: None,
                    article: None,
                    number: Some(number),
                    own: false,
                });
            }
        }
        for r in found {
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// 本法第三十三条, 本条例第十条: the text's own articles it cites.
fn own_articles(text: &str, passage: u64) -> Vec<Reference> {
    // Every self word starts with 本: one scan for it, in the order of the words, then of
    // the text.
    let mut cited: Vec<(usize, usize, String)> = Vec::new();
    for (at, _) in text.match_indices('本') {
        let rest = &text[at..];
        for (i, word) in SELF_WORDS.iter().enumerate() {
            if let Some(after) = rest.strip_prefix(word)
                && let Some(article) = article_after(after)
            {
                cited.push((i, at, article));
            }
        }
    }
    cited.sort_by_key(|&(i, at, _)| (i, at));
    cited
        .into_iter()
        .map(|(_, _, article)| Reference {
            passage,
            title: None,
            article: Some(article),
            number: None,
            own: true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passages(lines: &[&str]) -> Vec<Passage> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| Passage {
                ordinal: i,
                heading: Vec::new(),
                text: t.to_string(),
                start: 0,
                end: 0,
                dup_key: crate::ingest::stable_hash(t.as_bytes()),
                article: crate::ingest::passage::article_label(t).map(String::from),
                heading_line: false,
            })
            .collect()
    }

    #[test]
    fn repeal_statements_name_their_targets() {
        let ps = passages(&[
            "第六十一条 本条例自2001年8月1日起施行。1997年3月8日国务院发布的《印刷业管理条例》同时废止。",
            "第六十二条 依照《中华人民共和国行政许可法》第四十六条的规定办理。",
        ]);
        let targets = repeals("印刷业管理条例", &ps);
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0].title.as_deref(), Some("印刷业管理条例"));
    }

    #[test]
    fn a_repeal_decision_repeals_its_list_but_not_what_it_rests_on() {
        let ps = passages(&[
            "根据《国务院关于废止部分行政法规的决定》，决定废止下列文件：",
            "1.《城市私有房屋管理条例》（1983年12月17日国务院发布）",
            "2. 国发〔1990〕5号",
        ]);
        let targets = repeals("国务院关于废止部分行政法规的决定", &ps);
        let titles: Vec<_> = targets.iter().filter_map(|t| t.title.as_deref()).collect();
        assert_eq!(titles, ["城市私有房屋管理条例"]);
        assert!(
            targets
                .iter()
                .any(|t| t.number.as_deref() == Some("国发〔1990〕5号"))
        );
    }

    #[test]
    fn a_repeal_list_names_what_it_repeals_not_the_reasons() {
        let ps = passages(&[
            "决定废止下列司法解释：",
            "19最高人民法院关于学习宣传和贯彻执行《中华人民共和国海商法》的通知1992年11月18日法发〔1992〕37号适用期已过",
            "20 《最高人民法院关于审理期货纠纷案件的规定》 与《中华人民共和国民法典》相冲突",
            "21最高人民法院关于逾期付款的复函1994年3月12日法函〔1994〕10号已被法释〔1998〕8号《最高人民法院关于逾期付款违约金的批复》代替",
        ]);
        let targets = repeals("最高人民法院关于废止部分司法解释的决定", &ps);
        let titles: Vec<_> = targets.iter().filter_map(|t| t.title.as_deref()).collect();
        assert_eq!(titles, ["最高人民法院关于审理期货纠纷案件的规定"]);
        let numbers: Vec<_> = targets.iter().filter_map(|t| t.number.as_deref()).collect();
        assert_eq!(numbers, ["法发〔1992〕37号", "法函〔1994〕10号"]);
    }

    #[test]
    fn repeal_in_general_is_no_repeal() {
        let ps = passages(&[
            "规章的制定、修改和废止，依照《中华人民共和国立法法》和国务院的有关规定执行。",
        ]);
        assert!(repeals("山东省地方立法条例", &ps).is_empty());
    }

    #[test]
    fn one_article_repealed_is_not_the_text() {
        let ps = passages(&["《某某条例》第十条同时废止。"]);
        assert!(repeals("某某办法", &ps).is_empty());
    }

    #[test]
    fn references_with_articles_and_own_articles() {
        let ps = passages(&[
            "根据《中华人民共和国立法法》（2015年修正）第六条和国发〔2019〕5号，依照本法第三十三条处罚。",
        ]);
        let refs = references(&ps, None);
        assert_eq!(refs[0].title.as_deref(), Some("中华人民共和国立法法"));
        assert_eq!(refs[0].article.as_deref(), Some("第六条"));
        assert!(
            refs.iter()
                .any(|r| r.own && r.article.as_deref() == Some("第三十三条"))
        );
        assert!(
            refs.iter()
                .any(|r| r.number.as_deref() == Some("国发〔2019〕5号"))
        );
    }

    #[test]
    fn own_period_of_validity() {
        let meta = Meta {
            effective: Date::from_iso("2020-01-01"),
            ..Meta::default()
        };
        let end = expiry(&["本办法自2020年1月1日起施行，有效期5年。"], &meta);
        assert_eq!(end.map(Date::iso).as_deref(), Some("2024-12-31"));
        let licence = expiry(&["许可证有效期为5年。"], &meta);
        assert_eq!(licence, None);
        let until = expiry(&["本规定有效期至2025年12月31日。"], &meta);
        assert_eq!(until.map(Date::iso).as_deref(), Some("2025-12-31"));
    }

    #[test]
    fn copies_resemble_whatever_their_passages() {
        let a = passages(&[
            "第一条 为了规范印刷活动，加强印刷业管理，维护国家安全和社会公共利益。第二条 本条例适用于出版物。",
        ]);
        let b = passages(&[
            "第一条 为了规范印刷活动，加强印刷业管理，",
            "维护国家安全和社会公共利益。",
            "第二条 本条例适用于出版物。",
        ]);
        let c =
            passages(&["第一条 为了保护专利权人的合法权益，鼓励发明创造，推动发明创造的应用。"]);
        assert_eq!(resemblance(&sketch(&a), &sketch(&b)), 1.0);
        assert!(resemblance(&sketch(&a), &sketch(&c)) < 0.2);
    }

    #[test]
    fn smallest_distinct_values_as_a_full_sort_gives_them() {
        // Few distinct values among many repeats reach the fallback; many, the partial sort.
        for (len, range) in [(0, 1), (5, 100), (200, 10), (200, 40), (5000, 1 << 40)] {
            let values: Vec<u64> = (0..len as u64).map(|i| mix(i, 7) % range).collect();
            let mut sorted = values.clone();
            sorted.sort_unstable();
            sorted.dedup();
            sorted.truncate(SKETCH_SIZE);
            assert_eq!(
                smallest_distinct(values, SKETCH_SIZE),
                sorted,
                "{len} {range}"
            );
        }
    }

    #[test]
    fn article_numbers() {
        assert_eq!(article_number("第六条"), Some(6));
        assert_eq!(article_number("第一百三十三条之一"), Some(133));
        assert_eq!(article_number("第12条"), Some(12));
    }
}
