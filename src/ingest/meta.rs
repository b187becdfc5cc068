//! Document metadata: the document number (发文字号), issuing bodies (发文机关), the dates
//! (adopted or promulgated; in force from) and the document type, read from the file name,
//! the title and the text's opening and closing lines.

use std::path::Path;

use crate::analysis::numerals::chinese_number;

/// What a policy reader filters and cites by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// 发文字号, normalised to 〔〕 year brackets: 国发〔2019〕5号, 国令第707号.
    pub doc_number: Option<String>,
    /// 发文机关: 国务院, 国务院办公厅, 全国人民代表大会常务委员会 …; the bodies of a joint
    /// document (联合发文) joined with 、.
    pub issuer: Option<String>,
    /// Each issuing body, in the order the document names them.
    pub issuers: Vec<String>,
    /// When the text was adopted or promulgated (通过, 公布, 发布; 成文日期 on gov.cn pages):
    /// for an amended text the date of its last amendment; only the year when nothing else
    /// tells more (劳动法(2009)).
    pub date: Option<Date>,
    /// When the text takes effect (施行, 生效), as it says.
    pub effective: Option<Date>,
    /// 文种: 法律, 条例, 通知, 意见, 决定, 批复, 报告, 司法解释 …
    pub doc_type: Option<String>,
}

/// Separator of joint issuers in [`Meta::issuer`].
pub const ISSUER_SEPARATOR: &str = "、";

/// A calendar date, or a year alone: month and day are then 0, so that it sorts before
/// every full date of its year and `date:2014` (20140000..20141231) finds it while
/// `date:2014-03` does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u32,
    /// 1–12, or 0 when only the year is known.
    pub month: u32,
    /// 1–31, or 0 when only the year is known.
    pub day: u32,
}

impl Date {
    /// The bounds of a date range left open, as yyyymmdd numbers.
    pub const FIRST_NUMBER: u64 = 1;
    pub const LAST_NUMBER: u64 = 99_991_231;

    /// yyyymmdd of any year, month and day, unchecked (a query's range may name any year);
    /// yyyy0000 for a year alone.
    pub fn number(year: u64, month: u64, day: u64) -> u64 {
        year * 10_000 + month * 100 + day
    }

    /// Year, month and day of a yyyymmdd number, unchecked.
    pub fn parts(n: u64) -> (u64, u64, u64) {
        (n / 10_000, n / 100 % 100, n % 100)
    }

    /// A date of which only the year is known.
    pub fn year_only(year: u32) -> Option<Date> {
        let date = Date {
            year,
            month: 0,
            day: 0,
        };
        date.is_valid().then_some(date)
    }

    /// yyyymmdd, the form stored in the index (so ranges compare as numbers); yyyy0000 for a
    /// year alone.
    pub fn as_number(self) -> u64 {
        Date::number(
            u64::from(self.year),
            u64::from(self.month),
            u64::from(self.day),
        )
    }

    pub fn from_number(n: u64) -> Option<Date> {
        let (year, month, day) = Date::parts(n);
        let date = Date {
            year: year as u32,
            month: month as u32,
            day: day as u32,
        };
        date.is_valid().then_some(date)
    }

    /// Reads back [`Date::iso`].
    pub fn from_iso(text: &str) -> Option<Date> {
        match text.len() {
            4 => Date::year_only(text.parse().ok()?),
            _ => find_date(text),
        }
    }

    fn is_valid(self) -> bool {
        (1900..=2200).contains(&self.year)
            && ((self.month, self.day) == (0, 0)
                || (1..=12).contains(&self.month) && (1..=31).contains(&self.day))
    }

    /// Days in `month` (1–12) of `year`.
    pub fn days_in_month(year: u32, month: u32) -> u32 {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// ISO 8601: 2019-02-15, or 2019 for a year alone.
    pub fn iso(self) -> String {
        if self.month == 0 {
            return format!("{:04}", self.year);
        }
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A title as people name the text: without 中华人民共和国, the 《》 around it and a
/// trailing version note (（2018年修正）, (2019-04-23)), normalised. Versions and copies of a
/// law share it, and a query word equal to it names the law.
pub fn short_title(title: &str) -> String {
    let mut t = crate::analysis::normalize(title.trim()).text;
    loop {
        let before = t.len();
        t = t.trim().to_string();
        if let Some(inner) = t.strip_prefix('《').and_then(|s| s.strip_suffix('》')) {
            t = inner.to_string();
        }
        if let Some(rest) = t.strip_prefix("中华人民共和国") {
            t = rest.to_string();
        }
        if let Some(at) = version_note_start(&t) {
            t.truncate(at);
        }
        if t.len() == before {
            return t;
        }
    }
}

/// Where a trailing version note in brackets starts: (2014), (2019-04-23), (2018年修正),
/// (2009年修订), (2021年版); in any brackets, as normalisation folds them to 〔〕.
fn version_note_start(title: &str) -> Option<usize> {
    let inner = title.strip_suffix([')', '）', '〕'])?;
    let at = inner.rfind(['(', '（', '〔'])?;
    let note = &inner[at..];
    let note = note.trim_start_matches(['(', '（', '〔']);
    let digits = note
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .count();
    let rest: String = note.chars().skip(digits).collect();
    let is_note = digits >= 4
        && (rest.is_empty()
            || ["年修正", "年修订", "年修改", "年版", "年本", "年"].contains(&rest.as_str()));
    (is_note && at > 0).then_some(at)
}

/// The hash of a title's [`short_title`], never 0 (0 marks document headers).
pub fn title_key(title: &str) -> u64 {
    crate::ingest::stable_hash(short_title(title).as_bytes()).max(1)
}

/// Characters of the text's opening searched for the document's own number.
const OPENING_CHARS: usize = 300;
/// Most characters of a law's preamble (the lines before its first article) read for dates
/// and bodies.
const PREAMBLE_CHARS: usize = 3000;

/// Metadata of a document, from the best source that has each field: the document's own
/// metadata (a gov.cn table, YAML front matter), then the title, the text's opening lines
/// (adoption and promulgation lines, the order that promulgates it), the file name, and the
/// signature at the end.
pub fn parse(path: &Path, title: &str, paragraphs: &[&str], pairs: &[(String, String)]) -> Meta {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let src = Sources {
        name,
        title,
        pairs,
        head: paragraphs.iter().take(8).copied().collect(),
        tail: paragraphs.iter().rev().take(6).rev().copied().collect(),
        preamble: preamble(paragraphs),
    };
    let doc_number = src
        .pair(&["发文字号", "文号", "doc_number"])
        .map(|n| normalize_doc_number(&n))
        .or_else(|| find_doc_number(&src.name))
        .or_else(|| own_doc_number(title, ""))
        .or_else(|| own_doc_number(&opening(paragraphs), title));
    let (date, effective) = dates(&src);
    let issuers = issuers(&src, date);
    let issuer = (!issuers.is_empty()).then(|| issuers.join(ISSUER_SEPARATOR));
    let doc_type = src
        .pair(&["文种"])
        .or_else(|| doc_type_of(title, doc_number.as_deref(), &issuers, &src.preamble));
    Meta {
        doc_number,
        issuer,
        issuers,
        date,
        effective,
        doc_type,
    }
}

/// What a document's metadata is read from: its file name, title, own metadata pairs, first
/// and last lines and preamble.
struct Sources<'a> {
    name: String,
    title: &'a str,
    pairs: &'a [(String, String)],
    head: Vec<&'a str>,
    tail: Vec<&'a str>,
    preamble: String,
}

impl Sources<'_> {
    /// The first non-empty metadata value under one of `keys`.
    fn pair(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.pairs
                .iter()
                .find(|(key, v)| key.eq_ignore_ascii_case(k) && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
        })
    }
}

/// The document's date (adopted or promulgated) and when it takes effect.
fn dates(src: &Sources) -> (Option<Date>, Option<Date>) {
    let (name, title, tail) = (&src.name, src.title, &src.tail);
    // Dates: the text's own account of what happened when comes first; the file name's date
    // only tells when the text was promulgated after the adoption or approval it records
    // (东营市养犬管理条例(2017-10-11): adopted 2017-08-31, approved 2017-09-30).
    let year = year_of_name(name).or_else(|| year_of_title(title));
    // A version note in the file name (劳动法(2009)) is its year or the year after the
    // amendment it records; a later or much earlier date is another text's.
    let events: Vec<Event> = dated_events(&src.preamble)
        .into_iter()
        .filter(|e| year.is_none_or(|y| e.date.year <= y && e.date.year + 3 >= y))
        .collect();
    let on = |role: Role| events.iter().filter(move |e| e.roles.contains(&role));
    let effective = on(Role::Effective).map(|e| e.date).next().or_else(|| {
        dated_events(&tail.join("\n"))
            .into_iter()
            .find(|e| e.roles.contains(&Role::Effective))
            .map(|e| e.date)
    });
    let recorded = on(Role::Adopted)
        .chain(on(Role::Promulgated))
        .map(|e| e.date)
        .max();
    let named = find_date(name).or_else(|| {
        src.pair(&["date", "publish_date"])
            .and_then(|d| find_date(&d))
            .filter(|d| recorded.is_none_or(|r| *d >= r))
    });
    let date = src
        .pair(&["成文日期", "发布日期", "公布日期"])
        .and_then(|d| find_date(&d))
        .or_else(|| {
            recorded.map(|r| match named {
                Some(n) if n > r && Some(n) != effective && n.year <= r.year + 1 => n,
                _ => r,
            })
        })
        .or(named)
        .or_else(|| text_date(&src.head, tail, year))
        .or_else(|| year.and_then(Date::year_only));
    let on_publication = [&src.preamble, &tail.join("\n")].iter().any(|t| {
        [
            "自公布之日起",
            "自发布之日起",
            "自印发之日起",
            "公布施行",
            "发布施行",
        ]
        .iter()
        .any(|p| t.contains(p))
    });
    let effective = effective.or_else(|| date.filter(|d| on_publication && d.month > 0));
    (date, effective)
}

/// The issuing bodies: from the metadata, the title, the adopting, promulgating or approving
/// body of the preamble, the signature, or the legislature of the title's place.
fn issuers(src: &Sources, date: Option<Date>) -> Vec<String> {
    let (title, preamble) = (src.title, &src.preamble);
    let issuers = src
        .pair(&["发文机关", "发布机关", "制定机关", "issuer", "office"])
        .map(|i| split_issuers(&i))
        .filter(|i| !i.is_empty())
        .or_else(|| Some(issuers_of_title(title)).filter(|i| !i.is_empty()))
        // Lines broken inside a name (…常务委员会⏎第二十七次会议通过) are joined first.
        .or_else(|| adopting_body(&joined_lines(preamble, title)).map(|b| vec![b]))
        .or_else(|| Some(promulgating_bodies(preamble)).filter(|b| !b.is_empty()))
        .or_else(|| approving_body(preamble).map(|b| vec![b]))
        .or_else(|| signature(&src.tail).0.map(|b| vec![b]))
        .or_else(|| legislature(title, date).map(|b| vec![b]))
        .unwrap_or_default();
    // 县第五届人民代表大会第五次会议通过: the county the title names.
    issuers
        .into_iter()
        .map(|i| match place_of(title) {
            Some(place)
                if ["市人民", "县人民", "省人民", "区人民", "州人民"]
                    .iter()
                    .any(|p| i.starts_with(p)) =>
            {
                format!("{place}{}", &i['市'.len_utf8()..])
            }
            _ => i,
        })
        .collect()
}

/// Whether a passage starts the body of a law: an article, or a chapter, section, part or
/// preamble heading.
fn starts_body(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '#');
    if t.starts_with("序言") || t.starts_with("<!--") {
        return true;
    }
    let Some(rest) = t.strip_prefix('第') else {
        return false;
    };
    let numeral = rest
        .chars()
        .take_while(|c| "〇零一二三四五六七八九十百千0123456789".contains(*c))
        .count();
    numeral > 0
        && rest
            .chars()
            .nth(numeral)
            .is_some_and(|c| matches!(c, '条' | '章' | '节' | '编'))
}

/// The version a text is, as legal databases label it: `2018年修正`, `2019年修订` when its
/// preamble records an amendment on its date `date`, else `2021年公布`, `2021年通过` by the
/// verb of that date, else `2021年版`.
pub fn version_label(paragraphs: &[&str], date: Date) -> String {
    let events = dated_events(&preamble(paragraphs));
    let verb = events
        .iter()
        .filter(|e| e.date == date && e.roles.contains(&Role::Adopted))
        .chain(events.iter().filter(|e| e.date == date))
        .map(|e| e.verb)
        .next();
    let verb = match verb {
        Some("修改") => "修正",
        Some("公布施行") => "公布",
        Some("发布施行") => "发布",
        Some("批准") | Some("施行") | Some("生效") | Some("实施") | None => "版",
        Some(v) => v,
    };
    format!("{}年{verb}", date.year)
}

/// The lines before a law's body: its adoption, amendment, promulgation and entry-into-force
/// lines (or the promulgating order and announcement an old copy runs together with the
/// title). For a document without articles, its opening up to the addressee's colon
/// (各省、自治区…：), after which the body speaks of other texts and their dates.
fn preamble(paragraphs: &[&str]) -> String {
    let articles = paragraphs
        .iter()
        .filter(|p| crate::ingest::passage::article_label(p.trim_start()).is_some())
        .take(2)
        .count();
    if articles < 2 {
        let opening = opening(paragraphs);
        let end = opening.find(['：', ':']).unwrap_or(opening.len());
        return opening[..end].to_string();
    }
    let mut out = String::new();
    for p in paragraphs {
        if starts_body(p) {
            break;
        }
        // An old copy runs the preamble and the first chapter or article into one line.
        let cut = ["第一章", "第一条", "第一编"]
            .iter()
            .filter_map(|m| p.find(m))
            .min()
            .unwrap_or(p.len());
        out.push_str(&p[..cut]);
        out.push('\n');
        if cut < p.len() || out.chars().count() >= PREAMBLE_CHARS {
            break;
        }
    }
    out.chars().take(PREAMBLE_CHARS).collect()
}

/// The preamble's lines run together, but for the title, so that a name broken across lines
/// (…常务委员会⏎第二十七次会议通过) is whole.
fn joined_lines(preamble: &str, title: &str) -> String {
    preamble
        .lines()
        .filter(|l| l.trim_start_matches(['#', ' ']).trim() != title.trim())
        .collect()
}

/// The first [`OPENING_CHARS`] characters of the text, lines joined with newlines.
fn opening(paragraphs: &[&str]) -> String {
    let mut out = String::new();
    for p in paragraphs {
        out.push_str(p);
        out.push('\n');
        if out.chars().count() >= OPENING_CHARS {
            break;
        }
    }
    out.chars().take(OPENING_CHARS).collect()
}

/// The year a file name gives: a version note 劳动法(2009) (the last one, as in
/// …规定(2003) - 副本) or a numbering prefix 1954_1954年…. Other years in a name are
/// what the document is about (废止1979年至1989年间发布的…).
fn year_of_name(name: &str) -> Option<u32> {
    let chars: Vec<char> = name.chars().collect();
    let note = chars.windows(6).rev().find_map(|w| {
        let [open, digits @ .., close] = w else {
            return None;
        };
        (matches!((open, close), ('(', ')') | ('（', '）'))
            && digits.iter().all(char::is_ascii_digit))
        .then(|| digits.iter().collect::<String>().parse().ok())
        .flatten()
    });
    note.or_else(|| {
        let (prefix, _) = name.split_once('_')?;
        (prefix.len() == 4 && prefix.bytes().all(|b| b.is_ascii_digit()))
            .then(|| prefix.parse().ok())
            .flatten()
    })
}

/// The year a title opens with: 2019年国务院立法工作计划.
fn year_of_title(title: &str) -> Option<u32> {
    let digits: String = title.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 4 && title[4..].starts_with('年'))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The date of a text that records no adoption or promulgation: a short dated opening line,
/// else the signature's. When the file name or title gives a year, a date of another year is
/// one the body mentions (…违犯婚姻法第十九条及最高人民法院、司法部1951年4月25日联合指示的精神,
/// in a 1953 通报): the first date of that year in the opening or closing lines is taken
/// instead, however long the line, else none.
fn text_date(head: &[&str], tail: &[&str], year: Option<u32>) -> Option<Date> {
    let found = dated_line(head).or_else(|| signature(tail).1);
    let Some(year) = year else {
        return found;
    };
    found.filter(|d| d.year == year).or_else(|| {
        head.iter()
            .chain(tail)
            .flat_map(|p| dates_in(p))
            .find(|d| d.year == year)
    })
}

/// A short opening line that carries a date: 2021年6月10日 第十三届全国人民代表大会常务委员会
/// 第二十九次会议通过.
fn dated_line(head: &[&str]) -> Option<Date> {
    head.iter()
        .filter(|p| p.chars().count() <= 120)
        .find_map(|p| find_date(p))
}

/// What happened on a date of a preamble.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// 通过, 修订, 修正, 批准: adopted, amended or approved.
    Adopted,
    /// 公布, 发布, 颁布, 印发, or the date under a promulgating order.
    Promulgated,
    /// 施行, 生效, 实施.
    Effective,
}

/// Verbs that say what happened on the date before them, longest first.
const VERBS: &[(&str, &[Role])] = &[
    ("公布施行", &[Role::Promulgated, Role::Effective]),
    ("发布施行", &[Role::Promulgated, Role::Effective]),
    ("公布", &[Role::Promulgated]),
    ("发布", &[Role::Promulgated]),
    ("颁布", &[Role::Promulgated]),
    ("印发", &[Role::Promulgated]),
    ("通过", &[Role::Adopted]),
    ("修订", &[Role::Adopted]),
    ("修正", &[Role::Adopted]),
    ("修改", &[Role::Adopted]),
    ("批准", &[Role::Adopted]),
    ("施行", &[Role::Effective]),
    ("生效", &[Role::Effective]),
    ("实施", &[Role::Effective]),
];

/// A date of the preamble and what happened on it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Event {
    date: Date,
    roles: Vec<Role>,
    /// The verb that says it (修正, 公布 …).
    verb: &'static str,
}

/// Every date of `text` that a verb of its clause explains: `2021年6月10日 第十三届…会议通过`,
/// `已于2005年3月29日由最高人民法院审判委员会第1346次会议通过，现予公布，自2005年9月1日起施行`,
/// `根据2014年2月19日国务院令第648号《…》修订`; and the date under a promulgating order
/// (`…自2015年3月1日起施行。总理 李克强二〇一四年十一月二十四日`).
fn dated_events(text: &str) -> Vec<Event> {
    let chars: Vec<char> = text.chars().collect();
    let mut events = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mid_number = i > 0 && is_numeral(chars[i - 1]);
        let Some((date, len)) = (!mid_number).then(|| date_at(&chars[i..])).flatten() else {
            i += 1;
            continue;
        };
        let said = roles_after(&chars[i + len..]).or_else(|| {
            under_order(&chars[i.saturating_sub(30)..i])
                .then_some(("公布", &[Role::Promulgated][..]))
        });
        if let Some((verb, roles)) = said {
            events.push(Event {
                date,
                roles: roles.to_vec(),
                verb,
            });
        }
        i += len;
    }
    events
}

/// The roles of the first verb in the clause after a date, skipping the titles it names
/// (《关于修改〈…〉的决定》); none when the clause ends or another date starts first.
fn roles_after(rest: &[char]) -> Option<(&'static str, &'static [Role])> {
    let mut depth = 0usize;
    for k in 0..rest.len().min(80) {
        match rest[k] {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '，' | '。' | '；' | ';' | ',' | '\n' | '）' | ')' => return None,
            _ if date_at(&rest[k..]).is_some() => return None,
            _ => {
                if let Some(&(verb, roles)) = VERBS.iter().find(|(v, _)| starts_with(&rest[k..], v))
                {
                    return Some((verb, roles));
                }
            }
        }
    }
    None
}

/// Whether the text before a date ends a promulgating order or announcement: `…起施行。
/// 总理 李克强`, `…现予公布，自2008年8月1日起施行中华人民共和国主席 胡锦涛` (a name, no figures
/// or punctuation but the full stop after 施行).
fn under_order(before: &[char]) -> bool {
    let text: String = before.iter().collect();
    let Some(at) = ["施行", "公布"]
        .iter()
        .filter_map(|v| text.rfind(v).map(|i| i + v.len()))
        .max()
    else {
        return false;
    };
    let signer = text[at..].trim_start_matches('。');
    !signer.is_empty()
        && signer
            .chars()
            .all(|c| is_han(c) || c.is_whitespace() || c == '·')
}

fn starts_with(chars: &[char], word: &str) -> bool {
    let n = word.chars().count();
    chars.len() >= n && chars[..n].iter().copied().eq(word.chars())
}

/// Characters a number is written with: digits (ASCII and full-width) and Chinese numerals.
fn is_numeral(c: char) -> bool {
    digit_value(c).is_some() || "〇零一二三四五六七八九十百千○".contains(c)
}

/// The value of an ASCII or full-width digit.
fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Suffixes of the names of bodies that issue documents.
const ORGAN_SUFFIXES: &[&str] = &[
    "国务院",
    "中央",
    "人民代表大会",
    "委员会",
    "常委会",
    "人民政府",
    "政府",
    "办公厅",
    "办公室",
    "法院",
    "检察院",
    "部",
    "局",
    "署",
    "总局",
    "银行",
    "厅",
    "委",
    "办",
    "院",
    "室",
    "庭",
    "司",
    "处",
    "会",
    "中心",
    "小组",
];

/// Where the run of characters of a name ending at `end` starts: after punctuation, a space,
/// or the 日 or 号 ending a date or number (日照市 is a name), at most `max` characters back.
/// Digits belong to the run when `digits` (…第5次会议).
fn run_start(chars: &[char], end: usize, max: usize, digits: bool) -> usize {
    let mut start = end;
    while start > 0 && end - start < max {
        let c = chars[start - 1];
        let in_name = is_han(c) || (digits && digit_value(c).is_some());
        let ends_number = matches!(c, '日' | '号') && start >= 2 && is_numeral(chars[start - 2]);
        if !in_name || ends_number {
            break;
        }
        start -= 1;
    }
    start
}

/// Names of bodies too general to say which one issued a text.
const GENERIC_ORGANS: &[&str] = &[
    "常务委员会",
    "委员会",
    "人民代表大会",
    "大会",
    "人民政府",
    "政府",
    "办公厅",
    "部",
    "局",
    "会",
];

/// A body's name as the index keeps it: without 中华人民共和国 before a state organ, the term
/// of a congress (第十届, 第八届), its session (第N次会议) or the court's committee
/// (审判委员会); None unless it ends as the name of a body.
pub fn organ_name(raw: &str) -> Option<String> {
    let name: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '　')
        .collect();
    // 第十届全国人民代表大会常务委员会, 东营市第八届人民代表大会常务委员会, 市十四届人大常委会.
    let name = remove_ordinal(&name, '届');
    let name = with_short_forms_written_out(name);
    let name = without_session(name);
    let name = with_committee_mended(name);
    let name = without_court_committee(name);
    let name = without_state_prefix(name);
    is_organ_name(&name).then_some(name)
}

/// The short forms of the legislatures and the military commission, written out as the
/// other documents do (市人大常委会 → 市人民代表大会常务委员会, 中央军委 → 中央军事委员会).
fn with_short_forms_written_out(name: String) -> String {
    let mut name = name.replace("人大常委会", "人民代表大会常务委员会");
    if let Some(stem) = name.strip_suffix("人大") {
        name = format!("{stem}人民代表大会");
    }
    name = name.replace("中央军委", "中央军事委员会");
    if name == "军事委员会" {
        name = "中央军事委员会".to_string();
    }
    name
}

/// The kinds of meeting a body holds (…第208次常务会议, …第6次部务会议), taken off with the
/// session's number.
const MEETING_KINDS: &[&str] = &[
    "常务",
    "常委",
    "全体",
    "部务",
    "局务",
    "委务",
    "署务",
    "厅务",
    "行务",
    "主任办公",
    "务",
];

/// The body that met, for a name ending in its session (…第二十九次会议, …第208次常务会议,
/// …第6次部务会议); the name itself when no numbered session ends it.
fn without_session(name: String) -> String {
    let Some(mut stem) = name.strip_suffix("会议") else {
        return name;
    };
    if let Some(s) = MEETING_KINDS
        .iter()
        .find_map(|kind| stem.strip_suffix(kind))
    {
        stem = s;
    }
    let cut = without_session_number(stem);
    if cut != stem { cut } else { name }
}

/// `stem` without the session's number that ends it (…第二十九次, and 第四 with its 次 left
/// out); `stem` unchanged when none does.
fn without_session_number(stem: &str) -> String {
    let cut = remove_ordinal(stem, '次');
    // 第四会议, a 次 left out.
    if cut == stem
        && let Some(at) = stem.rfind('第')
        && stem[at + '第'.len_utf8()..].chars().all(is_numeral)
    {
        return stem[..at].to_string();
    }
    cut
}

/// A committee's name mended where a copy miswrites it: 常务委员第二十八次会议, a 会 left out;
/// 常务委员会会第三次会议, one too many.
fn with_committee_mended(mut name: String) -> String {
    if name.ends_with("常务委员") {
        name.push('会');
    }
    if name.ends_with("委员会会") {
        name.pop();
    }
    name
}

/// A court or procuratorate for its adjudication or procuratorial committee, the body that
/// issues in its name (最高人民法院审判委员会 → 最高人民法院).
fn without_court_committee(mut name: String) -> String {
    for committee in ["审判委员会", "检察委员会"] {
        if let Some(stem) = name.strip_suffix(committee)
            && (stem.ends_with("法院") || stem.ends_with("检察院"))
        {
            name = stem.to_string();
        }
    }
    name
}

/// A state organ without the 中华人民共和国 before it, unless that leaves too little to name
/// it (中华人民共和国主席 stays).
fn without_state_prefix(mut name: String) -> String {
    for prefix in ["中华人民共和国", "中华人民共和国的"] {
        if let Some(rest) = name.strip_prefix(prefix)
            && rest.chars().count() >= 2
            && rest != "主席"
        {
            name = rest.to_string();
        }
    }
    name
}

/// Whether a cleaned name reads as a particular body: Han characters ending as a body's
/// name does, neither a sentence's words nor a name too general to tell which body.
fn is_organ_name(name: &str) -> bool {
    let n = name.chars().count();
    // Words of a sentence, not of a name: …是经陕西省政府, 根据一九八三年九月人大常委会.
    let prose = ["会议", "根据", "是", "的", "了", "被", "奉"]
        .iter()
        .any(|w| name.contains(w))
        || (name.contains('年') && name.contains('月'));
    (2..=30).contains(&n)
        && name.chars().all(|c| is_han(c) || c == '·')
        && ORGAN_SUFFIXES.iter().any(|s| name.ends_with(s))
        && !prose
        && !GENERIC_ORGANS.contains(&name)
}

/// `text` without its first 第N<unit> (第十届, 第8届, 第二十九次; 十四届 without 第).
fn remove_ordinal(text: &str, unit: char) -> String {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let first = if c == '第' { i + 1 } else { i };
        if c != '第'
            && (!is_numeral(c) || (i > 0 && (is_numeral(chars[i - 1]) || chars[i - 1] == '第')))
        {
            continue;
        }
        let digits = chars[first..]
            .iter()
            .take_while(|c| is_numeral(**c))
            .count();
        if digits > 0 && chars.get(first + digits) == Some(&unit) {
            let mut out: String = chars[..i].iter().collect();
            out.extend(&chars[first + digits + 1..]);
            return out;
        }
    }
    text.to_string()
}

/// The bodies a title opens with: 国务院关于…, 最高人民法院  最高人民检察院关于…,
/// 国务院办公厅对…的答复, 最高人民法院复外交部…, 全国人民代表大会常务委员会批准…的决议,
/// 第十一届全国人民代表大会第三次会议关于….
pub fn issuers_of_title(title: &str) -> Vec<String> {
    const SEPARATORS: &[&str] = &["关于", "对", "复", "批准", "印发", "转发", "就"];
    let mut cuts: Vec<usize> = SEPARATORS
        .iter()
        .flat_map(|s| title.match_indices(s).map(|(i, _)| i))
        .collect();
    cuts.sort_unstable();
    for cut in cuts {
        let prefix = title[..cut].trim();
        if prefix.is_empty() || prefix.chars().count() > 60 {
            continue;
        }
        let parts: Vec<&str> = prefix
            .split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ','))
            .filter(|p| !p.is_empty())
            .collect();
        let last = parts.len().saturating_sub(1);
        let names: Option<Vec<String>> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                // 最高人民法院等部门关于…: the first of several.
                let p = if i == last {
                    ["等部门", "等单位", "等"]
                        .iter()
                        .find_map(|s| p.strip_suffix(s))
                        .unwrap_or(p)
                } else {
                    p
                };
                organ_name(p)
            })
            .collect();
        if let Some(names) = names.filter(|n| !n.is_empty()) {
            return dedup(names);
        }
    }
    Vec::new()
}

/// A 发文机关 value as a gov.cn table or front matter gives it, split into bodies.
fn split_issuers(value: &str) -> Vec<String> {
    dedup(
        value
            .split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ',' | '；' | ';'))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| organ_name(p).unwrap_or_else(|| p.to_string()))
            .collect(),
    )
}

fn dedup(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// The body whose session adopted the text (通过) or revised it (修订), the first the preamble
/// names: `2022年12月29日 深圳市第七届人民代表大会常务委员会第十四次会议通过` →
/// 深圳市人民代表大会常务委员会; `最高人民法院审判委员会第1346次会议通过` → 最高人民法院;
/// `国务院第208次常务会议通过` → 国务院.
fn adopting_body(preamble: &str) -> Option<String> {
    let chars: Vec<char> = preamble.chars().collect();
    for (i, w) in chars.windows(2).enumerate() {
        if w != ['会', '议'] {
            continue;
        }
        let after: String = chars[i + 2..].iter().take(30).collect();
        // …会议于2007年8月30日通过, …会议修订通过, …会议审议通过.
        let clause = after
            .split(['，', '。', '；', '\n', '、'])
            .next()
            .unwrap_or("");
        let adopted = ["通过", "修订"].iter().any(|v| {
            clause.find(v).is_some_and(|at| {
                let between = &clause[..at];
                between.is_empty()
                    || between.starts_with('于')
                    || ["审议", "修订", "讨论"].contains(&between)
            })
        });
        if !adopted {
            continue;
        }
        // Back over 第N次(常务)会议 to the body's name: a run of Han characters after the
        // date (…日), a space or the particles of 已由…, 经….
        let start = run_start(&chars, i, 60, true);
        let mut run: String = chars[start..i + 2].iter().collect();
        for particle in ["已由", "已经", "已于", "由", "经", "于", "在"] {
            if let Some(rest) = run.strip_prefix(particle) {
                run = rest.to_string();
                break;
            }
        }
        // Run together with the title in old copies: the national congress begins where
        // its name does (…法第九届全国人民代表大会…).
        if let Some(at) = run.find("全国人民代表大会") {
            let before = &run[..at];
            let term = before.rfind('第').filter(|&t| before[t..].ends_with('届'));
            run = run[term.unwrap_or(at)..].to_string();
        }
        if let Some(name) = organ_name(&run) {
            return Some(name);
        }
    }
    None
}

/// The bodies a preamble says promulgated the text: the order (`国务院令第656号`,
/// `国家民族事务委员会令第2号发布`; 主席令 for the congress or its standing committee, as the
/// text says), an announcement (`最高人民法院公告`), or `1987年5月4日 国务院发布`; a joint
/// order names each (`国务院、中央军事委员会令第371号`).
fn promulgating_bodies(preamble: &str) -> Vec<String> {
    let chars: Vec<char> = preamble.chars().collect();
    let Some((mut at, first)) = promulgating_body(preamble) else {
        return Vec::new();
    };
    let mut bodies = vec![first];
    // Back over 、 to the bodies named before it.
    while at > 1 && chars[at - 1] == '、' {
        let start = run_start(&chars, at - 1, 40, false);
        let run: String = chars[start..at - 1].iter().collect();
        let run = run.rsplit("中华人民共和国").next().unwrap_or(&run);
        let Some(name) = organ_name(after_title(run))
            .or_else(|| (run.ends_with("国务院")).then(|| "国务院".to_string()))
        else {
            break;
        };
        bodies.insert(0, name);
        at = start;
    }
    dedup(bodies)
}

/// The first body a preamble says promulgated the text, and where its name starts.
fn promulgating_body(preamble: &str) -> Option<(usize, String)> {
    let chars: Vec<char> = preamble.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // 海关总署第61号令发布.
        if let Some((start, _, number)) = numbered_order(&chars, i) {
            let organ = number.split("令第").next().unwrap_or_default();
            return Some((
                start,
                if organ == "国" { "国务院" } else { organ }.to_string(),
            ));
        }
        let marker = match c {
            '令' if chars
                .get(i + 1)
                .is_some_and(|&n| n == '第' || OPEN.contains(&n) || digit_value(n).is_some()) =>
            {
                1
            }
            '公' if chars.get(i + 1) == Some(&'告') => 2,
            '发' | '公' | '颁'
                if matches!(chars.get(i + 1), Some('布'))
                    && i > 0
                    && chars[..i].iter().rev().take(40).any(|c| *c == '日') =>
            {
                2
            }
            _ => continue,
        };
        let start = run_start(&chars, i, 40, false);
        let run: String = chars[start..i].iter().collect();
        // Where the name begins, 中华人民共和国 included, for the bodies named before it.
        let name_start = start;
        let run = run.rsplit("中华人民共和国").next().unwrap_or(&run);
        if marker == 1 && (run == "国" || run.ends_with("国务院")) {
            return Some((name_start, "国务院".to_string()));
        }
        if marker == 1 && run.ends_with("主席") {
            return Some((name_start, congress_of(preamble).to_string()));
        }
        if let Some(name) = organ_name(after_title(run)) {
            return Some((name_start, name));
        }
    }
    None
}

/// The body that approved the text, when no other is named: `1989年5月11日 国务院批准`.
fn approving_body(preamble: &str) -> Option<String> {
    preamble.match_indices("批准").find_map(|(at, _)| {
        let before: Vec<char> = preamble[..at].chars().collect();
        let start = run_start(&before, before.len(), 40, false);
        let run: String = before[start..].iter().collect();
        let run = run.strip_prefix('经').unwrap_or(&run);
        organ_name(run)
    })
}

/// The congress that adopted a law a 主席令 promulgates: its standing committee unless the
/// text names only the congress itself.
fn congress_of(preamble: &str) -> &'static str {
    const STANDING: &str = "全国人民代表大会常务委员会";
    const CONGRESS: &str = "全国人民代表大会";
    if preamble.contains(STANDING) || !preamble.contains(CONGRESS) {
        STANDING
    } else {
        CONGRESS
    }
}

/// The body a 条例 whose text names none comes from. A local government's rules may not be
/// called 条例 (规章制定程序条例, art. 6): one named after a province or city (上海市专利保护条例)
/// is a local regulation, most adopted by the standing committee of that place's people's
/// congress (`issuer:上海市人民代表大会` finds it either way); a national one is an
/// administrative regulation of the State Council (行政法规制定程序条例, art. 5), except the
/// Party's and the army's, and those of the early 1950s, adopted by the congress or 政务院.
fn legislature(title: &str, date: Option<Date>) -> Option<String> {
    if doc_type_of_title(title).as_deref() != Some("条例") {
        return None;
    }
    if let Some(local) = local_legislature(title) {
        return Some(local);
    }
    let national = title.trim_start_matches("中华人民共和国");
    let own = [
        "中国共产党",
        "中国人民解放军",
        "中国人民武装警察",
        "军队",
        "军事",
    ]
    .iter()
    .any(|p| national.starts_with(p));
    (!own && date.is_none_or(|d| d.year >= 1955)).then(|| "国务院".to_string())
}

/// The legislature of a 条例 named after a province, city or county.
fn local_legislature(title: &str) -> Option<String> {
    place_of(title).map(|place| format!("{place}人民代表大会常务委员会"))
}

/// The province, city, county or autonomous region a title opens with: 上海市, 景宁畲族自治县.
fn place_of(title: &str) -> Option<String> {
    if title.starts_with("中华人民共和国") {
        return None;
    }
    let chars: Vec<char> = title.chars().collect();
    for (i, &c) in chars.iter().enumerate().take(12) {
        if c == '市' && chars.get(i + 1) == Some(&'场') {
            return None;
        }
        let place_end = match c {
            '省' | '市' | '县' => i + 1,
            '区' | '州' if i > 1 && chars[i - 2..i] == ['自', '治'] => i + 1,
            _ => continue,
        };
        let place: String = chars[..place_end].iter().collect();
        let prefix_len = place_end - 1;
        if prefix_len >= 2 && !place.contains('城') && place.chars().all(is_han) {
            return Some(place);
        }
        return None;
    }
    None
}

/// Organ names that sign a document at its end.
const ORGANS: &[&str] = &[
    "国务院",
    "办公厅",
    "委员会",
    "人民政府",
    "部",
    "局",
    "署",
    "总局",
    "银行",
    "法院",
    "检察院",
    "常委会",
];

/// The issuer and date of a signature block at the end: a short line naming an organ,
/// followed by a dated line.
fn signature(tail: &[&str]) -> (Option<String>, Option<Date>) {
    for pair in tail.windows(2) {
        let (organ, dated) = (pair[0].trim(), pair[1].trim());
        if organ.chars().count() <= 30
            && ORGANS.iter().any(|o| organ.ends_with(o))
            && dated.chars().count() <= 20
            && let Some(date) = find_date(dated)
        {
            return (Some(organ.to_string()), Some(date));
        }
    }
    let date = tail
        .iter()
        .rev()
        .filter(|p| p.chars().count() <= 20)
        .find_map(|p| find_date(p));
    (None, date)
}

/// Year brackets as people type them.
const OPEN: &[char] = &['〔', '[', '［', '(', '（', '【', '﹝', '〖'];
const CLOSE: &[char] = &['〕', ']', '］', ')', '）', '】', '﹞', '〗'];

/// Words a title ends with: where an issuer code glued to the title (…的通知法发[2010]23号)
/// begins.
const TITLE_ENDS: &[&str] = &[
    "通知", "规定", "解释", "批复", "意见", "决定", "答复", "复函", "函", "办法", "细则", "条例",
    "公告", "通告", "纪要", "报告", "请示", "安排", "方案", "通报", "决议", "规则",
];

/// The first document number in `text`, normalised: 国发[2019]5号 → 国发〔2019〕5号, 国办发
/// 〔2019〕02号 → 国办发〔2019〕2号, 〔89〕民他字第25号 → 〔1989〕民他字第25号; order numbers in
/// their short form (国令第707号, 主席令第84号, 主席令（十届第80号））.
pub fn find_doc_number(text: &str) -> Option<String> {
    numbers_in(text).into_iter().next().map(|(_, n)| n)
}

/// The document's own number in a title or an opening: the first number before the
/// salutation (`各省、自治区…：`, `河南省高级人民法院：`), leaving out the numbers a clause
/// cites (`根据…国务院令第648号《…》修订`, `你院（85）豫法民监字第34号《…》`).
fn own_doc_number(text: &str, title: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let salutation = chars
        .iter()
        .position(|&c| c == '：' || c == ':')
        .unwrap_or(chars.len());
    numbers_in(text).into_iter().find_map(|(at, n)| {
        if at > salutation {
            return None;
        }
        let before: String = chars[..at].iter().collect();
        let before = before.trim_end();
        let before = before.strip_suffix("中华人民共和国").unwrap_or(before);
        // Right after the title it is glued to (…的批复法释〔2012〕16号, …适用法中华人民共和国
        // 主席令第36号): its own, whatever words the title holds (…是否可以参照适用…).
        let glued = (!title.is_empty() && before.ends_with(title.trim()))
            || TITLE_ENDS
                .iter()
                .any(|w| before.ends_with(w) && !["请示", "报告"].contains(w));
        if glued {
            return Some(n);
        }
        let clause: String = before
            .chars()
            .rev()
            .take(30)
            .take_while(|c| !matches!(c, '，' | '。' | '；' | '\n' | '：'))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        // A citing verb or pronoun anywhere in its clause (根据2014年2月19日国务院令第648号,
        // 你院（85）豫法民监字第34号); 关于, 执行 right before it (关于国务院〔1990〕68号…).
        let cited = [
            "根据", "依照", "按照", "依据", "参照", "你院", "你部", "你省", "你厅", "你局", "你委",
            "你市", "你司", "你们", "你庭", "你行", "我院", "本院",
        ]
        .iter()
        .any(|w| clause.contains(w))
            || ["关于", "执行", "贯彻", "适用"]
                .iter()
                .any(|w| clause.ends_with(w));
        // Inside a title it cites (《…国发〔2019〕5号…》), or in brackets after one
        // (《人体重伤鉴定标准》（司发〔1990〕070号）).
        let inside = before.matches('《').count() > before.matches('》').count();
        let after_title = before.ends_with("》（") || before.ends_with("》(");
        (!cited && !inside && !after_title).then_some(n)
    })
}

/// Every document number in `text` with the character position where it starts, normalised.
pub fn numbers_in(text: &str) -> Vec<(usize, String)> {
    // Every form ends in 号; most passages have none.
    if !text.contains('号') {
        return Vec::new();
    }
    // Spaces inside a number (国发 〔2019〕 5号) and full-width digits are how people type.
    let mut chars: Vec<char> = Vec::new();
    let mut positions: Vec<usize> = Vec::new();
    for (i, c) in text.chars().enumerate() {
        // Lines stay apart: a number does not run from one into the next.
        if c != '\n' && (c.is_whitespace() || c == '　') {
            continue;
        }
        chars.push(digit_value(c).map_or(c, |d| char::from(b'0' + d as u8)));
        positions.push(i);
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match bracketed_number(&chars, i)
            .or_else(|| order_number(&chars, i))
            .or_else(|| numbered_order(&chars, i))
        {
            Some((start, end, number)) => {
                found.push((positions[start], number));
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// Words that may stand right before a number without being part of its issuer code: the
/// verbs and pronouns of a citing clause, conjunctions.
const BEFORE_CODE: &[&str] = &[
    "根据", "依照", "按照", "依据", "参照", "执行", "贯彻", "落实", "你院", "你部", "你厅", "你局",
    "你委", "你省", "你市", "我院", "我部", "以", "见", "据", "和", "及", "与", "或",
];

/// Words after which an issuer code begins: a title's last word (…的通知法发), the verb of
/// the sentence (…会议通过法释, …以法发, …作出温国土资发).
const BEFORE_CODE_CUTS: &[&str] = &[
    "通过", "以", "作出", "发布", "公布", "印发", "转发", "关于", "适用", "解答", "规范", "奉",
];

/// The issuer code (机关代字) at the end of the Han characters before a number's year
/// bracket: after another number (…号), a title it is glued to (…的通知法发 → 法发; …问题的
/// 复函 → none), the verb of its sentence, a citing word (根据国发 → 国发).
fn issuer_code(run: &str, may_be_empty: bool) -> &str {
    let run = run.rsplit('号').next().unwrap_or(run);
    // A title word at the very end ends the title only where the code may be empty (court
    // numbers carry theirs after the year: …的复函〔1990〕法经函字第61号); elsewhere it is the
    // code's own (国办函, …的函法函).
    let mut cut = 0;
    for word in TITLE_ENDS.iter().chain(BEFORE_CODE_CUTS) {
        for (k, _) in run.match_indices(word) {
            let after = k + word.len();
            if (after < run.len() || may_be_empty) && after > cut {
                cut = after;
            }
        }
    }
    let mut code = &run[cut..];
    if let Some(rest) = code.rsplit("中华人民共和国").next() {
        code = rest;
    }
    for word in BEFORE_CODE {
        if let Some(rest) = code.strip_prefix(word) {
            code = rest;
            break;
        }
    }
    code
}

/// The part of a run of Han characters after a title it is glued to (…的通知法发 → 法发,
/// 城市民族工作条例国家民族事务委员会 → 国家民族事务委员会); the run when no title ends in it.
fn after_title(run: &str) -> &str {
    let mut cut = 0;
    for end_word in TITLE_ENDS {
        for (k, _) in run.match_indices(end_word) {
            let after = k + end_word.len();
            if after < run.len() && after > cut {
                cut = after;
            }
        }
    }
    let mut rest = &run[cut..];
    for prefix in ["中华人民共和国", "印发"] {
        if let Some(r) = rest.rsplit(prefix).next().filter(|r| !r.is_empty()) {
            rest = r;
        }
    }
    rest
}

/// A number with a bracketed year starting at the bracket `i`: code〔year〕N号 (国发〔2019〕5号),
/// 〔year〕code字第N号 (〔1998〕行他字第23号), code〔year〕第N号 (京高法字〔1990〕第66号):
/// its first and past-the-end character and its normal form.
fn bracketed_number(chars: &[char], i: usize) -> Option<(usize, usize, String)> {
    let (close, year) = bracketed_year(chars, i)?;
    let code_after = code_after_year(chars, close + 1)?;
    let mut at = close + 1 + code_after.chars().count();
    if chars.get(at) == Some(&'第') {
        at += 1;
    }
    let serial_len = serial_len(chars, at);
    if serial_len == 0 || serial_len > 6 || chars.get(at + serial_len) != Some(&'号') {
        return None;
    }
    let serial = serial_value(&chars[at..at + serial_len])?;
    let end = at + serial_len + 1;
    let code = code_before_year(chars, i, !code_after.is_empty());
    if code.is_empty() && code_after.is_empty() {
        return None;
    }
    // Standard numbers write no 第 (GB/T 9704); court numbers (民他字第23号) do.
    let ordinal = if code_after.is_empty() { "" } else { "第" };
    let first = i.saturating_sub(code.chars().count());
    Some((
        first,
        end,
        format!("{code}〔{year}〕{code_after}{ordinal}{serial}号"),
    ))
}

/// The bracketed year opening at `i`, four or two digits or Chinese numerals
/// (法释〔一九九八〕二十五号): its closing bracket and the year in full (〔98〕 → 1998).
fn bracketed_year(chars: &[char], i: usize) -> Option<(usize, u32)> {
    if !OPEN.contains(&chars[i]) {
        return None;
    }
    let digits = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || "〇零○一二三四五六七八九".contains(**c))
        .count();
    let close = i + 1 + digits;
    if !(digits == 4 || digits == 2) || !chars.get(close).is_some_and(|c| CLOSE.contains(c)) {
        return None;
    }
    let written = number_at(&chars[i + 1..close], 4)
        .filter(|(_, rest)| rest.is_empty())
        .map(|(n, _)| n)?;
    let year = match digits {
        4 => written,
        _ if written >= 50 => 1900 + written,
        _ => 2000 + written,
    };
    Some((close, year))
}

/// The code a court number writes after its year (〔1998〕行他字第23号 → 行他字), starting at
/// `at`; empty when the serial follows the year; None when an order number follows a note in
/// brackets instead (…驻军法(1999)中华人民共和国主席令第十八号).
fn code_after_year(chars: &[char], at: usize) -> Option<String> {
    let code_after: String = chars[at..]
        .iter()
        .take_while(|c| is_han(**c) && **c != '第' && **c != '号')
        .take(10)
        .collect();
    if code_after.contains('令') {
        return None;
    }
    // The serial in Chinese numerals right after the year: 法释〔一九九八〕二十五号.
    if code_after.chars().all(is_numeral)
        && chars.get(at + code_after.chars().count()) == Some(&'号')
    {
        return Some(String::new());
    }
    Some(code_after)
}

/// How many characters from `at` write a serial, in Arabic digits or Chinese numerals.
fn serial_len(chars: &[char], at: usize) -> usize {
    chars[at..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || "〇零一二三四五六七八九十百千".contains(**c))
        .count()
}

/// The value of a serial as written, in Arabic digits (0707 → 707) or Chinese numerals
/// (二十五 → 25).
fn serial_value(written: &[char]) -> Option<u32> {
    let written: String = written.iter().collect();
    match written.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => chinese_number(&written),
    }
}

/// The issuer code before the year's bracket at `i`: the Han characters right before it,
/// after a title it is glued to, a 号 ending another number, or a citing verb; with its
/// bracketed part (法（民）复) when the whole run is the code.
fn code_before_year(chars: &[char], i: usize, may_be_empty: bool) -> String {
    let start = run_start(chars, i, 12, false);
    let run: String = chars[start..i].iter().collect();
    let code = issuer_code(&run, may_be_empty);
    match bracketed_code_part(chars, start) {
        Some(part) if code.chars().count() == i - start => format!("{part}{code}"),
        _ => code.to_string(),
    }
}

/// The head and bracketed part of a code ending right before `start`: 法（民） of
/// 法（民）复〔1985〕15号, 法（研） of 法（研）明传〔2000〕22号; None for a title's 解释（二）
/// a number is glued to.
fn bracketed_code_part(chars: &[char], start: usize) -> Option<String> {
    if !(start >= 4
        && matches!(chars[start - 1], '）' | ')')
        && matches!(chars[start - 3], '（' | '(')
        && is_han(chars[start - 2])
        && !is_numeral(chars[start - 2])
        && is_han(chars[start - 4]))
    {
        return None;
    }
    let s2 = run_start(chars, start - 3, 8, false);
    let head: String = chars[s2..start - 3].iter().collect();
    let head = issuer_code(&head, false);
    (1..=2)
        .contains(&head.chars().count())
        .then(|| format!("{head}（{}）", chars[start - 2]))
}

/// An order number whose 令 is at `ling`, in its short form: 国令第707号 for 国务院令第707号,
/// 国令422号 and 中华人民共和国国务院令第707号; 主席令第84号 for 中华人民共和国主席令第八十四号;
/// 主席令（十届第80号） with the congress's term; 交通部令第8号 for 中华人民共和国交通部令第8号;
/// the serial in Arabic digits without zero padding.
fn order_number(chars: &[char], ling: usize) -> Option<(usize, usize, String)> {
    if chars[ling] != '令' {
        return None;
    }
    // The issuer: the Han characters before 令, after a date or number (…27日, …号).
    let start = run_start(chars, ling, 40, false);
    let run: String = chars[start..ling].iter().collect();
    let (term, serial, end) = order_serial(chars, ling + 1)?;
    let organ = order_issuer(&run)?;
    let number = if term.is_empty() {
        format!("{organ}令第{serial}号")
    } else {
        format!("{organ}令（{term}届第{serial}号）")
    };
    let first = ling - organ.chars().count().min(ling - start);
    Some((first, end, number))
}

/// What follows an order's 令 at `at`: 第N号, N号 in Arabic digits, or （十届第N号） with the
/// congress's term; the term (empty without one), the serial and the past-the-end character.
fn order_serial(chars: &[char], mut at: usize) -> Option<(String, u32, usize)> {
    // 主席令（十届第80号）: the term stays, as the serials start again with each congress.
    let bracket = chars.get(at).is_some_and(|c| OPEN.contains(c));
    let mut term = String::new();
    if bracket {
        (term, at) = congress_term(chars, at + 1);
    }
    let ordinal = chars.get(at) == Some(&'第');
    if ordinal {
        at += 1;
    }
    let len = serial_len(chars, at);
    // Without 第 only Arabic digits (国令422号): 令一号 is no number.
    if len == 0 || (!ordinal && !chars[at].is_ascii_digit()) || chars.get(at + len) != Some(&'号')
    {
        return None;
    }
    let serial = serial_value(&chars[at..at + len])?;
    let mut end = at + len + 1;
    if bracket {
        if !chars.get(end).is_some_and(|c| CLOSE.contains(c)) {
            return None;
        }
        end += 1;
    }
    Some((term, serial, end))
}

/// The congress's term in Chinese numerals at `at` (十届 of 主席令（十届第80号）) and the
/// character after its 届; an empty term and `at` when there is none.
fn congress_term(chars: &[char], at: usize) -> (String, usize) {
    let term: String = chars[at..]
        .iter()
        .take_while(|c| is_numeral(**c) && !c.is_ascii_digit())
        .collect();
    let len = term.chars().count();
    if len > 0 && chars.get(at + len) == Some(&'届') {
        (term, at + len + 1)
    } else {
        (String::new(), at)
    }
}

/// The issuer of an order from the run of characters before its 令, in short form: 国 for
/// the State Council, 主席 for the President, otherwise the body's name (中央军委 →
/// 中央军事委员会); None when the run names no body.
fn order_issuer(run: &str) -> Option<String> {
    // The run may begin with what precedes the issuer: 不动产登记暂行条例中华人民共和国国务院令,
    // 根据国务院令.
    let organ = run.rsplit("中华人民共和国").next().unwrap_or(run);
    let organ = if organ == "国" || organ.ends_with("国务院") {
        "国"
    } else if organ.ends_with("主席") {
        "主席"
    } else {
        without_citing_word(after_title(organ))
    };
    // 中央军委 → 中央军事委员会; 国 and 主席 stay as they are (根据国 leaves 国 too).
    match organ {
        "国" | "主席" => Some(organ.to_string()),
        o => organ_name(o),
    }
}

/// `run` without a citing word before the issuer (根据, 依照, 以…), unless nothing is left.
fn without_citing_word(run: &str) -> &str {
    BEFORE_CODE
        .iter()
        .find_map(|word| run.strip_prefix(word).filter(|r| !r.is_empty()))
        .unwrap_or(run)
}

/// An order written with its number first, whose 第 is at `i`: 海关总署第61号令 →
/// 海关总署令第61号.
fn numbered_order(chars: &[char], i: usize) -> Option<(usize, usize, String)> {
    if chars[i] != '第' {
        return None;
    }
    let len = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if len == 0 || chars.get(i + 1 + len..i + 3 + len) != Some(&['号', '令'][..]) {
        return None;
    }
    let start = run_start(chars, i, 40, false);
    let run: String = chars[start..i].iter().collect();
    let organ = organ_name(after_title(&run))?;
    let serial: u32 = chars[i + 1..i + 1 + len]
        .iter()
        .collect::<String>()
        .parse()
        .ok()?;
    let organ = if organ == "国务院" {
        "国".to_string()
    } else {
        organ
    };
    Some((
        i - organ.chars().count().min(i - start),
        i + 3 + len,
        format!("{organ}令第{serial}号"),
    ))
}

/// The short form of an order number with the congress's term (主席令（十届第80号） →
/// 主席令第80号), which people also cite; None for other numbers.
pub fn short_doc_number(number: &str) -> Option<String> {
    let (organ, rest) = number.split_once("令（")?;
    let (_, serial) = rest.split_once("届第")?;
    let serial = serial.strip_suffix("号）")?;
    Some(format!("{organ}令第{serial}号"))
}

/// The forms `doc:` finds a document number by: the number, and the short form of an order
/// number with the congress's term (主席令（十届第80号） → 主席令第80号), which people also cite.
pub fn doc_number_forms(number: &str) -> Vec<String> {
    let mut forms = vec![number.to_string()];
    forms.extend(short_doc_number(number));
    forms
}

/// The types `type:` finds a document by: its type, and the one its title names when that
/// differs (a 司法解释 titled …的批复 is found by `type:批复` too).
pub fn doc_type_forms(doc_type: &str, title: &str) -> Vec<String> {
    let mut forms = vec![doc_type.to_string()];
    if let Some(by_title) = doc_type_of_title(title).filter(|t| t != doc_type) {
        forms.push(by_title);
    }
    forms
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '〇'
}

/// The first date in `text`: 2019-02-15, 2019年2月15日, 二〇二三年九月二十七日.
pub fn find_date(text: &str) -> Option<Date> {
    dates_in(text).next()
}

/// Every date in `text`, in order.
fn dates_in(text: &str) -> impl Iterator<Item = Date> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).filter_map(move |i| date_at(&chars[i..]).map(|(d, _)| d))
}

/// The date at the start of `chars` and how many characters it takes.
fn date_at(chars: &[char]) -> Option<(Date, usize)> {
    // Spaces around the numbers, as PDF text has them: 1994 年 8 月 31 日.
    let skip = |c: &[char]| -> usize { c.iter().take_while(|c| **c == ' ').count() };
    let (year, rest) = number_at(chars, 4)?;
    let rest = &rest[skip(rest)..];
    let (sep, rest) = rest.split_first()?;
    let rest = if *sep == '年' {
        &rest[skip(rest)..]
    } else {
        rest
    };
    let (month, rest) = number_at(rest, 2)?;
    let (date, rest) = match sep {
        '-' | '.' | '/' => {
            let (sep2, rest) = rest.split_first()?;
            if sep2 != sep {
                return None;
            }
            let (day, rest) = number_at(rest, 2)?;
            (Date { year, month, day }, rest)
        }
        '年' => {
            let rest = &rest[skip(rest)..];
            let (m, rest) = rest.split_first()?;
            if *m != '月' {
                return None;
            }
            let rest = &rest[skip(rest)..];
            let (day, rest) = number_at(rest, 2)?;
            let rest = &rest[skip(rest)..];
            let (d, rest) = rest.split_first()?;
            if *d != '日' {
                return None;
            }
            (Date { year, month, day }, rest)
        }
        _ => return None,
    };
    date.is_valid().then_some((date, chars.len() - rest.len()))
}

/// A number at the start of `chars`: digits (ASCII or full-width, up to `max_digits`), or
/// Chinese numerals (二〇二三 digit by digit, 二十七 with tens).
fn number_at(chars: &[char], max_digits: usize) -> Option<(u32, &[char])> {
    let digits = chars
        .iter()
        .take_while(|c| digit_value(**c).is_some())
        .count();
    if digits > 0 {
        if digits > max_digits {
            return None;
        }
        let n = chars[..digits]
            .iter()
            .try_fold(0u32, |acc, &c| Some(acc * 10 + digit_value(c)?))?;
        return Some((n, &chars[digits..]));
    }
    let len = chars
        .iter()
        .take_while(|c| "〇零○一二三四五六七八九十".contains(**c))
        .count();
    if len == 0 {
        return None;
    }
    // ○ (a circle) stands for 〇 in old texts.
    let han: String = chars[..len]
        .iter()
        .map(|&c| if c == '○' { '〇' } else { c })
        .collect();
    // Tens written with one 十 (二十七, 十二), or digit by digit (二〇二三).
    let ok = match han.chars().position(|c| c == '十') {
        Some(at) => at <= 1 && len - at <= 2 && han.matches('十').count() == 1,
        None => len <= max_digits,
    };
    if !ok {
        return None;
    }
    let n = chinese_number(&han)?;
    Some((n, &chars[len..]))
}

/// Document types by the word a title ends with, longest first.
const TYPES: &[(&str, &str)] = &[
    ("实施条例", "条例"),
    ("实施细则", "细则"),
    ("修正案", "法律"),
    ("法典", "法律"),
    ("条例", "条例"),
    ("规定", "规定"),
    ("办法", "办法"),
    ("细则", "细则"),
    ("规则", "规则"),
    ("决定", "决定"),
    ("决议", "决议"),
    ("通知", "通知"),
    ("通报", "通报"),
    ("意见", "意见"),
    ("批复", "批复"),
    ("答复", "答复"),
    ("报告", "报告"),
    ("公告", "公告"),
    ("通告", "通告"),
    ("规划", "规划"),
    ("方案", "方案"),
    ("解释", "解释"),
    ("函", "函"),
    ("法", "法律"),
];

/// The type 司法解释 (judicial interpretation).
pub const JUDICIAL_INTERPRETATION: &str = "司法解释";

/// 文种 from the end of a title: …的通知 → 通知, …数据安全法 → 法律.
pub fn doc_type_of_title(title: &str) -> Option<String> {
    // Drop a trailing note in brackets: 个体工商户条例(2016) → 个体工商户条例, 条例（试行）,
    // 规定（二）.
    let mut t = title.trim();
    for _ in 0..2 {
        for (open, close) in [('(', ')'), ('（', '）')] {
            if let Some(inner) = t.strip_suffix(close)
                && let Some(at) = inner.rfind(open)
            {
                t = inner[..at].trim_end();
            }
        }
    }
    let t = t.trim_end_matches(|c: char| !is_han(c));
    TYPES
        .iter()
        .find(|(suffix, _)| t.ends_with(suffix))
        .map(|(_, kind)| kind.to_string())
}

/// 文种 of a document: 司法解释 for the interpretations of the supreme court and
/// procuratorate (a 法释 or 高检发释字 number; their 解释, and the 规定 and 批复 a judicial
/// committee adopted on how to apply the law), 法律 for what a congress adopted as a law
/// (…法, 民法典, 民法通则), else by the end of the title.
fn doc_type_of(
    title: &str,
    number: Option<&str>,
    issuers: &[String],
    preamble: &str,
) -> Option<String> {
    let by_title = doc_type_of_title(title);
    let judicial = |i: &String| i == "最高人民法院" || i == "最高人民检察院";
    let interprets = number.is_some_and(|n| n.starts_with("法释") || n.starts_with("高检发释字"))
        || (!issuers.is_empty() && issuers.iter().all(judicial) && {
            let kind = by_title.as_deref();
            kind == Some("解释")
                || (matches!(kind, Some("规定" | "批复" | "规则"))
                    && (preamble.contains("审判委员会") || preamble.contains("检察委员会")))
        });
    if interprets {
        return Some(JUDICIAL_INTERPRETATION.to_string());
    }
    let congress = issuers.iter().any(|i| i.starts_with("全国人民代表大会"));
    let t = title.trim_end_matches(|c: char| !is_han(c));
    if congress && (t.ends_with("通则") || t.ends_with("法典")) {
        return Some("法律".to_string());
    }
    by_title
}

/// 发文机关 from a title of the form 国务院关于…的通知: the bodies joined with 、.
pub fn issuer_of_title(title: &str) -> Option<String> {
    let names = issuers_of_title(title);
    (!names.is_empty()).then(|| names.join(ISSUER_SEPARATOR))
}

/// The reference a lawyer pastes: 《中华人民共和国数据安全法》第二十一条 for an article of a law,
/// 国务院关于…的通知（国发〔2019〕5号） for a numbered document, else 《title》.
/// [`citation`] with the version cited after the title, as `《中华人民共和国个人所得税法》
/// （2018年修正）第六条`, unless the title or the document number already tells it.
pub fn versioned_citation(
    title: &str,
    doc_number: Option<&str>,
    article: Option<&str>,
    version: Option<&str>,
) -> String {
    let plain = citation(title, doc_number, article);
    let cited = format!("《{title}》");
    match version {
        Some(v) if plain.starts_with(&cited) && version_note_start(title).is_none() => {
            format!("{cited}（{v}）{}", &plain[cited.len()..])
        }
        _ => plain,
    }
}

pub fn citation(title: &str, doc_number: Option<&str>, article: Option<&str>) -> String {
    match (article, doc_number) {
        (Some(article), _) => format!("《{title}》{article}"),
        (None, Some(number)) if !title.contains(number) => format!("{title}（{number}）"),
        _ => format!("《{title}》"),
    }
}

/// Normalises a document number as a user types it (any bracket form, spaces).
pub fn normalize_doc_number(input: &str) -> String {
    let squeezed: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    find_doc_number(&squeezed).unwrap_or(squeezed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers_take_every_bracket_form() {
        for raw in [
            "国发〔2019〕5号",
            "国发[2019]5号",
            "国发［2019］5号",
            "国发(2019)5号",
            "国发（2019）5号",
        ] {
            assert_eq!(
                find_doc_number(raw).as_deref(),
                Some("国发〔2019〕5号"),
                "{raw}"
            );
        }
        assert_eq!(
            find_doc_number("2018-12-27_国办发〔2018〕123号_国务院办公厅关于").as_deref(),
            Some("国办发〔2018〕123号")
        );
        assert_eq!(
            find_doc_number("国令第707号").as_deref(),
            Some("国令第707号")
        );
        assert_eq!(
            find_doc_number("中华人民共和国主席令第八十四号").as_deref(),
            Some("主席令第84号")
        );
        assert_eq!(find_doc_number("第二十一条"), None);
    }

    #[test]
    fn every_form_of_an_order_number_is_one() {
        // As documents print them (bench: 政府信息公开条例, 劳动法, 澳门特别行政区基本法).
        for (line, short) in [
            (
                "2007年4月5日 中华人民共和国国务院令第492号公布",
                "国令第492号",
            ),
            (
                "１９９４年７月５日中华人民共和国主席令第二十八号公布",
                "主席令第28号",
            ),
            (
                "1993年3月31日 中中华人民共和国主席令第三号公布",
                "主席令第3号",
            ),
            ("中华人民共和国交通部令第8号", "交通部令第8号"),
            (
                "国家市场监督管理总局令第46号",
                "国家市场监督管理总局令第46号",
            ),
        ] {
            assert_eq!(find_doc_number(line).as_deref(), Some(short), "{line}");
        }
        // As people type them.
        for typed in [
            "国令第492号",
            "国务院令第492号",
            "中华人民共和国国务院令第492号",
            "国务院令 第492号",
            "国令第四百九十二号",
        ] {
            assert_eq!(normalize_doc_number(typed), "国令第492号", "{typed}");
        }
        for typed in [
            "主席令第八十四号",
            "中华人民共和国主席令第八十四号",
            "主席令第84号",
        ] {
            assert_eq!(normalize_doc_number(typed), "主席令第84号", "{typed}");
        }
        assert_eq!(
            find_doc_number(&format!("国令第{}号", "九".repeat(40))),
            None
        );
    }

    #[test]
    fn dates_in_digits_and_chinese_numerals() {
        let d = |y, m, day| {
            Some(Date {
                year: y,
                month: m,
                day,
            })
        };
        assert_eq!(find_date("上海口岸服务条例(2020-05-14)"), d(2020, 5, 14));
        assert_eq!(find_date("2023年9月27日"), d(2023, 9, 27));
        assert_eq!(find_date("二〇二三年九月二十七日"), d(2023, 9, 27));
        assert_eq!(find_date("一九五四年五月十日"), d(1954, 5, 10));
        assert_eq!(find_date("第2019号"), None);
        assert_eq!(d(2019, 2, 15).unwrap().iso(), "2019-02-15");
        assert_eq!(Date::from_number(20190215), d(2019, 2, 15));
    }

    #[test]
    fn sources_in_order_of_trust() {
        let pairs = vec![
            ("发文字号".to_string(), "国发〔2019〕5号".to_string()),
            ("成文日期".to_string(), "2019年01月27日".to_string()),
            ("发布日期".to_string(), "2019年02月15日".to_string()),
            ("发文机关".to_string(), "国务院".to_string()),
        ];
        let path = Path::new("html/2019-02-15_国发〔2019〕5号_国务院关于….html");
        let title = "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见";
        let meta = parse(path, title, &[], &pairs);
        assert_eq!(meta.doc_number.as_deref(), Some("国发〔2019〕5号"));
        assert_eq!(meta.date.map(Date::iso).as_deref(), Some("2019-01-27"));
        assert_eq!(meta.issuer.as_deref(), Some("国务院"));
        assert_eq!(meta.doc_type.as_deref(), Some("意见"));

        let law = parse(
            Path::new("数据安全法.md"),
            "中华人民共和国数据安全法",
            &[
                "2021年6月10日 第十三届全国人民代表大会常务委员会第二十九次会议通过",
                "第一条 为了规范数据处理活动。",
            ],
            &[],
        );
        assert_eq!(law.date.map(Date::iso).as_deref(), Some("2021-06-10"));
        assert_eq!(law.issuer.as_deref(), Some("全国人民代表大会常务委员会"));
        assert_eq!(law.doc_type.as_deref(), Some("法律"));

        let notice = parse(
            Path::new("notice.txt"),
            "关于做好2019年工作的通知",
            &[
                "各省、自治区、直辖市人民政府：",
                "现将有关事项通知如下。",
                "国务院办公厅",
                "2019年1月24日",
            ],
            &[],
        );
        assert_eq!(notice.issuer.as_deref(), Some("国务院办公厅"));
        assert_eq!(notice.date.map(Date::iso).as_deref(), Some("2019-01-24"));
    }

    /// The date `parse` gives a document, in ISO form.
    fn date_of(path: &str, title: &str, lines: &[&str]) -> Option<String> {
        parse(Path::new(path), title, lines, &[])
            .date
            .map(Date::iso)
    }

    /// An undated body: an article of a law.
    const ARTICLE: &str = "第一条 为了促进中外合作经营企业的发展，制定本实施细则。";

    #[test]
    fn a_year_in_the_file_name_dates_an_undated_document() {
        assert_eq!(
            date_of(
                "gov-work-reports/1954_1954年中华人民共和国国务院政府工作报告.txt",
                "1954年中华人民共和国国务院政府工作报告",
                &[
                    "各位代表：",
                    "我們第一届全國人民代表大會第一次會議，在聽了劉少奇同志"
                ],
            )
            .as_deref(),
            Some("1954")
        );
        assert_eq!(
            date_of(
                "laws/中外合作经营企业法实施细则(2014).txt",
                "中外合作经营企业法实施细则",
                &[ARTICLE],
            )
            .as_deref(),
            Some("2014")
        );
        // The version note, not the years the document is about.
        assert_eq!(
            date_of(
                "最高人民法院关于废止1979年至1989年间发布的部分司法解释的通知(1996).txt",
                "最高人民法院关于废止1979年至1989年间发布的部分司法解释的通知",
                &[ARTICLE],
            )
            .as_deref(),
            Some("1996")
        );
        assert_eq!(
            date_of(
                "最高人民法院关于审理期货纠纷案件若干问题的规定(2003) - 副本.txt",
                "最高人民法院关于审理期货纠纷案件若干问题的规定",
                &[ARTICLE],
            )
            .as_deref(),
            Some("2003")
        );
    }

    #[test]
    fn a_year_in_the_title_dates_an_undated_document_but_a_full_date_wins() {
        assert_eq!(
            date_of("a.txt", "2019年国务院立法工作计划", &[ARTICLE]).as_deref(),
            Some("2019")
        );
        // A full date still wins, and the numbers of a document are not years.
        assert_eq!(
            date_of(
                "中华人民共和国数据安全法(2021).txt",
                "中华人民共和国数据安全法",
                &["2021年6月10日 第十三届全国人民代表大会常务委员会第二十九次会议通过"],
            )
            .as_deref(),
            Some("2021-06-10")
        );
        assert_eq!(date_of("第2019号.txt", "第2019号", &[ARTICLE]), None);
    }

    #[test]
    fn a_year_only_date_sorts_before_the_years_first_day() {
        let year = Date::year_only(2014).unwrap();
        assert_eq!(year.as_number(), 20140000);
        assert_eq!(Date::from_number(20140000), Some(year));
        assert!(
            year < Date {
                year: 2014,
                month: 1,
                day: 1
            }
        );
        assert_eq!(Date::from_number(20140001), None);
        assert_eq!(Date::year_only(14), None);
    }

    #[test]
    fn a_date_of_the_file_names_year_wins_over_one_the_body_mentions() {
        let date = |path: &str, lines: &[&str]| {
            let title = Path::new(path).file_stem().unwrap().to_string_lossy();
            parse(Path::new(path), &title, lines, &[])
                .date
                .map(Date::iso)
        };
        // The approval date stands in a long opening line, a date of 1937 in a short article.
        let title = "全国人民代表大会常务委员会关于批准中央军事委员会《关于授予军队离休干部中国人民解放军功勋荣誉章的规定》的决定";
        let decision = [
            &format!("{title}(1988)"),
            &format!(
                "{title}（1988年7月1日第七届全国人民代表大会常务委员会第二次会议批准）为了表彰在中国人民革命战争时期入伍或者参加革命工作的军队干部的历史功绩，并激励他们保持和发扬革命传统，中央军事委员会决定授予军队离休干部中国人民解放军功勋荣誉章。为此，特作如下规定："
            ),
            "第四条 中国人民解放军独立功勋荣誉章，授予1937年7月7日至1945年9月2日期间入伍或者参加革命工作的军队离休干部。",
            "第十四条 本规定自公布之日起施行。",
            "中央军委",
        ];
        assert_eq!(
            date(&format!("jueding/{title}(1988).txt"), &decision).as_deref(),
            Some("1988-07-01")
        );
        // No date of 1953 at all: the year alone, not the 1951 directive the notice cites.
        let notice = [
            "最高人民法院  司法部关于法院错误处理革命军人婚姻问题的通报(1953)",
            "一、 根据婚姻法第十九条及最高人民法院、司法部1951年4月25日联合指示的精神，现役革命军人配偶要求离婚，必需征得革命军人同意后始得判决离婚，否则法院不得轻率判离。",
            "特此通报",
        ];
        assert_eq!(
            date(
                "L1.3.9/最高人民法院  司法部关于法院错误处理革命军人婚姻问题的通报(1953).txt",
                &notice
            )
            .as_deref(),
            Some("1953")
        );
        // Without a year in the file name the short dated line still decides.
        assert_eq!(
            date("通报.txt", &notice[1..]).as_deref(),
            Some("1951-04-25")
        );
    }

    /// The metadata of a document read from its opening lines as the bench's copies have
    /// them (`⏎` separates passages).
    fn read(path: &str, title: &str, text: &str) -> Meta {
        let lines: Vec<&str> = text.split('⏎').collect();
        parse(Path::new(path), title, &lines, &[])
    }

    fn iso(d: Option<Date>) -> Option<String> {
        d.map(Date::iso)
    }

    #[test]
    fn local_regulations_name_the_standing_committee_that_adopted_them() {
        // Adopted by the city, approved by the province, promulgated on the file name's date.
        let m = read(
            "DLC/东营市养犬管理条例(2017-10-11).md",
            "东营市养犬管理条例",
            "东营市养犬管理条例⏎2017年8月31日 东营市第八届人民代表大会常务委员会第5次会议通过⏎2017年9月30日 山东省第十二届人民代表大会常务委员会第三十二次会议批准⏎## 第一章  总　则⏎第一条 为了规范养犬行为，制定本条例。⏎第二条 本市行政区域内犬只的饲养，适用本条例。⏎第六十条 本条例自2018年5月1日起施行。",
        );
        assert_eq!(m.issuer.as_deref(), Some("东营市人民代表大会常务委员会"));
        assert_eq!(iso(m.date).as_deref(), Some("2017-10-11"));
        assert_eq!(iso(m.effective).as_deref(), Some("2018-05-01"));
        assert_eq!(m.doc_type.as_deref(), Some("条例"));
        // 日照 begins with 日, which ends no date here; a 次 the text leaves out.
        let m = read(
            "日照市城市管理条例(2017-08-02).md",
            "日照市城市管理条例",
            "日照市城市管理条例⏎2017年6月28日 日照市第十八届人民代表大会常务委员会第二次会议通过⏎第一条 为了规范城市管理。⏎第二条 适用本条例。",
        );
        assert_eq!(m.issuer.as_deref(), Some("日照市人民代表大会常务委员会"));
        let m = read(
            "重庆市动物防疫条例(2013-07-24).md",
            "重庆市动物防疫条例",
            "重庆市动物防疫条例⏎2013年7月24日 重庆市第四届人民代表大会常务委员会第四会议通过⏎第一条 为了加强管理。⏎第二条 适用本条例。",
        );
        assert_eq!(m.issuer.as_deref(), Some("重庆市人民代表大会常务委员会"));
        // 县第五届人民代表大会: the county the title names.
        let m = read(
            "景宁畲族自治县水资源管理条例(2021-06-15).md",
            "景宁畲族自治县水资源管理条例",
            "景宁畲族自治县水资源管理条例⏎2001年4月12日 县第五届人民代表大会第五次会议通过⏎2001年6月29日 浙江省第九届人民代表大会常务委员会第二十七次会议批准⏎2001年7月9日 施行⏎第一条 为了加强水资源管理。⏎第二条 适用本条例。",
        );
        assert_eq!(m.issuer.as_deref(), Some("景宁畲族自治县人民代表大会"));
        assert_eq!(iso(m.effective).as_deref(), Some("2001-07-09"));
        // No adoption line at all: a 条例 named after a city is that city's.
        let m = read(
            "上海市专利保护条例.md",
            "上海市专利保护条例",
            "上海市专利保护条例⏎## 第一章　总则⏎第一条 为了保护发明创造专利权，结合本市实际情况，制定本条例。⏎第二条 适用本条例。",
        );
        assert_eq!(m.issuer.as_deref(), Some("上海市人民代表大会常务委员会"));
        // A government's rules say so.
        let m = read(
            "北京市环境噪声污染防治办法.md",
            "北京市环境噪声污染防治办法",
            "北京市环境噪声污染防治办法⏎2006年11月17日 北京市人民政府第56次常务会议审议通过⏎2007年1月1日 施行⏎第一条 为防治环境噪声污染。⏎第二条 适用本办法。",
        );
        assert_eq!(m.issuer.as_deref(), Some("北京市人民政府"));
        assert_eq!(iso(m.date).as_deref(), Some("2006-11-17"));
        assert_eq!(iso(m.effective).as_deref(), Some("2007-01-01"));
    }

    #[test]
    fn a_law_with_title_order_and_adoption_run_together() {
        // An old copy runs title, order and adoption line together; the 2009 of the file name
        // is the year the last amendment took effect.
        let m = read(
            "LCD-laws/laws/fa/中华人民共和国公路法(2009).txt",
            "中华人民共和国公路法",
            "中华人民共和国公路法(2009)⏎中华人民共和国公路法中华人民共和国主席令18号1997年7月3日第八届全国人民代表大会常务委员会第二十六次会议通过 根据1999年10月31日第九届全国人民代表大会常务委员会第十二次会议《关于修改〈中华人民共和国公路法〉的决定》第一次修正 根据2009年8月27日第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》第三次修正⏎ 第一条 为了加强公路的建设和管理，制定本法。⏎ 第二条 在中华人民共和国境内从事公路的规划，应当遵守本法。",
        );
        assert_eq!(m.doc_number.as_deref(), Some("主席令第18号"));
        assert_eq!(m.issuer.as_deref(), Some("全国人民代表大会常务委员会"));
        assert_eq!(iso(m.date).as_deref(), Some("2009-08-27"));
        assert_eq!(m.doc_type.as_deref(), Some("法律"));
    }

    #[test]
    fn a_presidents_order_with_the_congress_term_and_a_later_date_in_force() {
        // The order with the congress's term; promulgated under the President's signature,
        // in force later.
        let m = read(
            "LCD-laws/laws/fa/中华人民共和国科学技术进步法(2008).txt",
            "中华人民共和国科学技术进步法",
            "中华人民共和国科学技术进步法(2008)⏎中华人民共和国科学技术进步法中华人民共和国主席令（十届第82号）《中华人民共和国科学技术进步法》已由中华人民共和国第十届全国人民代表大会常务委员会第三十一次会议于2007年12月29日修订通过，现将修订后的《中华人民共和国科学技术进步法》公布，自2008年7月1日起施行中华人民共和国主席 胡锦涛二〇〇七年十二月二十九日中华人民共和国科学技术进步法1993年7月2日第八届全国人民代表大会常务委员会第二次会议通过⏎ 第一条 为了促进科学技术进步，制定本法。⏎ 第二条 国家坚持科学发展观。",
        );
        assert_eq!(m.doc_number.as_deref(), Some("主席令（十届第82号）"));
        assert_eq!(
            doc_number_forms("主席令（十届第82号）"),
            ["主席令（十届第82号）", "主席令第82号"]
        );
        assert_eq!(m.issuer.as_deref(), Some("全国人民代表大会常务委员会"));
        assert_eq!(iso(m.date).as_deref(), Some("2007-12-29"));
        assert_eq!(iso(m.effective).as_deref(), Some("2008-07-01"));
    }

    #[test]
    fn laws_of_the_congress_itself_and_parts_of_the_civil_code() {
        // The congress itself; the Constitution's last amendment dates it.
        let m = read(
            "LawRefBook-Laws/宪法/宪法.md",
            "中华人民共和国宪法",
            "中华人民共和国宪法⏎1982年12月4日 第五届全国人民代表大会第五次会议通过⏎1982年12月4日 全国人民代表大会公告公布施行⏎2018年3月11日 第十三届全国人民代表大会第一次会议通过的《中华人民共和国宪法修正案》⏎序言⏎中国是世界上历史最悠久的国家之一。⏎第一条 中华人民共和国是社会主义国家。⏎第二条 中华人民共和国的一切权力属于人民。",
        );
        assert_eq!(m.issuer.as_deref(), Some("全国人民代表大会"));
        assert_eq!(iso(m.date).as_deref(), Some("2018-03-11"));
        assert_eq!(iso(m.effective).as_deref(), Some("1982-12-04"));
        // A part of the Civil Code is a law.
        let m = read(
            "LawRefBook-Laws/民法典/物权编.md",
            "中华人民共和国民法典",
            "中华人民共和国民法典⏎物权编⏎2020年5月28日 第十三届全国人民代表大会第三次会议通过⏎2021年1月1日 施行⏎## 第一分编  通则⏎第二百零五条 本编调整因物的归属和利用产生的民事关系。⏎第二百零六条 国家坚持和完善公有制为主体。",
        );
        assert_eq!(m.doc_type.as_deref(), Some("法律"));
        assert_eq!(m.issuer.as_deref(), Some("全国人民代表大会"));
        assert_eq!(iso(m.effective).as_deref(), Some("2021-01-01"));
    }

    #[test]
    fn regulations_promulgated_by_a_bodys_order() {
        // Approved by the State Council, promulgated by a commission's order.
        let m = read(
            "LawRefBook-Laws/行政法规/城市民族工作条例(1993-09-15).md",
            "城市民族工作条例",
            "城市民族工作条例⏎1993年8月29日 国务院批准　⏎1993年9月15日 国家民族事务委员会令第2号发布　⏎第一条 为了加强城市民族工作，制定本条例。⏎第二条 本条例所称的城市，是指直辖市、市。⏎第三十条 本条例自发布之日起施行。",
        );
        assert_eq!(m.doc_number.as_deref(), Some("国家民族事务委员会令第2号"));
        assert_eq!(m.issuer.as_deref(), Some("国家民族事务委员会"));
        assert_eq!(iso(m.date).as_deref(), Some("1993-09-15"));
        assert_eq!(iso(m.effective).as_deref(), Some("1993-09-15"));
        // The number before the order, as the text writes it.
        let m = read(
            "残疾人专用品免征进口税收暂行规定(1997-04-10).md",
            "残疾人专用品免征进口税收暂行规定",
            "残疾人专用品免征进口税收暂行规定⏎1997年1月22日 国务院批准　⏎1997年4月10日 海关总署第61号令发布　⏎第一条 为了支持残疾人康复工作，制定本规定。⏎第二条 进口下列残疾人专用品，免征进口关税。",
        );
        assert_eq!(m.doc_number.as_deref(), Some("海关总署令第61号"));
        assert_eq!(m.issuer.as_deref(), Some("海关总署"));
    }

    #[test]
    fn a_joint_order_names_both_bodies() {
        let m = read(
            "LCD-laws/laws/tiaoli/通用航空飞行管制条例(2003).txt",
            "通用航空飞行管制条例",
            "通用航空飞行管制条例(2003)⏎通用航空飞行管制条例中华人民共和国国务院、中华人民共和国军事委员会令第371号现公布《通用航空飞行管制条例》，自2003年5月1日起施行。国务院总理 朱镕基中央军委主席 江泽民2003年1月10日通用航空飞行管制条例第一章 总则第一条 为了促进通用航空事业的发展，制定本条例。⏎ 第二条 在中华人民共和国境内从事通用航空飞行活动，必须遵守本条例。",
        );
        assert_eq!(m.issuers, ["国务院", "中央军事委员会"]);
        assert_eq!(m.issuer.as_deref(), Some("国务院、中央军事委员会"));
        assert_eq!(iso(m.date).as_deref(), Some("2003-01-10"));
        assert_eq!(iso(m.effective).as_deref(), Some("2003-05-01"));
    }

    #[test]
    fn a_national_regulation_naming_no_body_is_the_state_councils_unless_the_armys() {
        // A national 条例 whose copy names no body is the State Council's.
        let m = read(
            "LawRefBook-Laws/行政法规/保障农民工工资支付条例(2019-12-30).md",
            "保障农民工工资支付条例",
            "保障农民工工资支付条例⏎## 第一章　总则⏎第一条 为了规范农民工工资支付行为，制定本条例。⏎第二条 保障农民工工资支付，适用本条例。",
        );
        assert_eq!(m.issuer.as_deref(), Some("国务院"));
        // The army's 条例 are not the State Council's.
        let m = read(
            "中国人民解放军内务条令.md",
            "中国人民解放军纪律条例",
            "中国人民解放军纪律条例⏎第一条 为了维护纪律，制定本条例。⏎第二条 适用本条例。",
        );
        assert_eq!(m.issuer, None);
    }

    #[test]
    fn judicial_interpretations_by_their_number_and_committee() {
        let m = read(
            "LCD-laws/laws/jieshi/最高人民法院关于审理涉及农村土地承包纠纷案件适用法律问题的解释(2005).txt",
            "最高人民法院关于审理涉及农村土地承包纠纷案件适用法律问题的解释",
            "最高人民法院关于审理涉及农村土地承包纠纷案件适用法律问题的解释(2005)⏎最高人民法院关于审理涉及农村土地承包纠纷案件适用法律问题的解释法释[2005]6号《最高人民法院关于审理涉及农村土地承包纠纷案件适用法律问题的解释》已于2005年3月29日由最高人民法院审判委员会第1346次会议通过，现予公布，自2005年9月1日起施行。中华人民共和国最高人民法院二〇〇五年七月二十九日最高人民法院关于审理涉及农村土地承包纠纷案件适用法律问题的解释根据《中华人民共和国民法通则》的规定，制定本解释。⏎ 第一条 下列涉及农村土地承包民事纠纷，人民法院应当依法受理。⏎ 第二条 集体经济组织成员因未实际取得土地承包经营权提起民事诉讼的，人民法院应当告知其向有关行政主管部门申请解决。",
        );
        assert_eq!(m.doc_number.as_deref(), Some("法释〔2005〕6号"));
        assert_eq!(m.issuer.as_deref(), Some("最高人民法院"));
        assert_eq!(iso(m.date).as_deref(), Some("2005-07-29"));
        assert_eq!(iso(m.effective).as_deref(), Some("2005-09-01"));
        assert_eq!(m.doc_type.as_deref(), Some(JUDICIAL_INTERPRETATION));
        assert_eq!(
            doc_type_forms(JUDICIAL_INTERPRETATION, "最高人民法院关于…的解释"),
            ["司法解释", "解释"]
        );
        // Adopted, promulgated and in force on three lines.
        let m = read(
            "LawRefBook-Laws/司法解释/最高人民法院关于适用《海事诉讼特别程序法》若干问题的解释(2003-01-06).md",
            "最高人民法院关于适用《中华人民共和国海事诉讼特别程序法》若干问题的解释",
            "最高人民法院关于适用《中华人民共和国海事诉讼特别程序法》若干问题的解释⏎2002年12月3日 最高人民法院审判委员会第1259次会议通过⏎2003年1月6日 最高人民法院公告公布⏎2003年2月1日 施行⏎为了依法正确审理海事案件，作出如下解释。⏎第一条 在海上发生的海事侵权纠纷由海事法院管辖。⏎第二条 涉外海事诉讼适用本解释。",
        );
        assert_eq!(iso(m.date).as_deref(), Some("2003-01-06"));
        assert_eq!(iso(m.effective).as_deref(), Some("2003-02-01"));
        assert_eq!(m.doc_type.as_deref(), Some(JUDICIAL_INTERPRETATION));
        // Joint issuers from the title; a reply to a court, its own number before the
        // addressee, the request's after it.
        let m = read(
            "LCD-laws/laws/jieshi/x(2001).txt",
            "最高人民法院  最高人民检察院关于办理伪造、贩卖伪造的高等院校学历、学位证明刑事案件如何适用法律问题的解释",
            "最高人民法院、最高人民检察院关于办理伪造、贩卖伪造的高等院校学历、学位证明刑事案件如何适用法律问题的解释法释〔2001〕22号《…》已分别于2001年6月21日、2001年7月2日，由最高人民法院审判委员会第1181次会议、最高人民检察院第九届检察委员会第91次会议通过，现予公布，自2001年7月5日起施行。",
        );
        assert_eq!(m.issuers, ["最高人民法院", "最高人民检察院"]);
        assert_eq!(m.doc_number.as_deref(), Some("法释〔2001〕22号"));
        let m = read(
            "LCD-laws/laws/pifu/最高人民法院关于刘好福、刘好祯与刘好禄、刘好祥房屋买卖纠纷的批复(1988).txt",
            "最高人民法院关于刘好福、刘好祯与刘好禄、刘好祥房屋买卖纠纷的批复",
            "最高人民法院《关于刘好福、刘好祯与刘好禄、刘好祥房屋纠纷案的批复》〔1988〕民他字第16号（1988年4月13日）辽宁省高级人民法院：你院（86）民监字第52号关于刘好福、刘好祯与刘好禄、刘好祥房屋纠纷案的请示报告及补充报告均收悉。",
        );
        assert_eq!(m.doc_number.as_deref(), Some("〔1988〕民他字第16号"));
        assert_eq!(iso(m.date).as_deref(), Some("1988-04-13"));
        let m = read(
            "LCD-laws/laws/pifu/x(1988).txt",
            "最高人民法院关于保险金能否作为被保险人遗产的批复",
            "最高人民法院关于保险金能否作为被保险人遗产的批复（1988年3月24日）河北省高级人民法院：你院冀法民[1987]1号请示报告收悉。",
        );
        assert_eq!(m.doc_number, None);
    }

    #[test]
    fn numbers_glued_padded_or_without_ordinal() {
        let own = |title: &str, text: &str| read("a.txt", title, text).doc_number;
        assert_eq!(
            own(
                "最高人民法院关于适用《中华人民共和国侵权责任法》若干问题的通知",
                "最高人民法院关于适用《中华人民共和国侵权责任法》若干问题的通知法发[2010]23号各省、自治区、直辖市高级人民法院：《中华人民共和国侵权责任法》自2010年7月1日起施行。"
            )
            .as_deref(),
            Some("法发〔2010〕23号")
        );
        for (raw, normal) in [
            ("国办发﹝2019﹞12号", "国办发〔2019〕12号"),
            ("国办发【2019】12号", "国办发〔2019〕12号"),
            ("国办发〔2019〕02号", "国办发〔2019〕2号"),
            ("国发（２０１９）５号", "国发〔2019〕5号"),
            ("国令422号", "国令第422号"),
            ("中华人民共和国主席令18号", "主席令第18号"),
            ("主席令（十届第80号）", "主席令（十届第80号）"),
            ("〔89〕民他字第25号", "〔1989〕民他字第25号"),
            ("京高法字〔1990〕第66号", "京高法字〔1990〕66号"),
            ("法（民）复〔1985〕15号", "法（民）复〔1985〕15号"),
            ("法释〔一九九八〕二十五号", "法释〔1998〕25号"),
            (
                "中华人民共和国国务院、中华人民共和国中央军委令第316号",
                "中央军事委员会令第316号",
            ),
        ] {
            assert_eq!(find_doc_number(raw).as_deref(), Some(normal), "{raw}");
        }
        // A title's note in brackets is no year of a number; a 第 without 令 is no order.
        assert_eq!(
            find_doc_number(
                "中华人民共和国澳门特别行政区驻军法(1999)\n中华人民共和国主席令第十八号"
            )
            .as_deref(),
            Some("主席令第18号")
        );
        assert_eq!(find_doc_number("第七届全国人民代表大会第二次会议"), None);
        // Cited, not its own: the amending decree, a title cited in brackets.
        assert_eq!(
            own(
                "国家重点建设项目管理办法",
                "国家重点建设项目管理办法（1996年6月3日国务院批准 1996年6月14日国家计划委员会发布 根据2011年1月8日国务院令第588号《国务院关于废止和修改部分行政法规的决定》修订）"
            ),
            None
        );
        assert_eq!(
            own(
                "征收教育费附加的暂行规定",
                "按照《国务院关于筹措农村学校办学经费的通知》(国发〔1984〕174号文)的规定"
            ),
            None
        );
    }

    #[test]
    fn bodies_are_named_as_the_index_keeps_them() {
        for (raw, name) in [
            (
                "第十届全国人民代表大会常务委员会第二十九次会议",
                Some("全国人民代表大会常务委员会"),
            ),
            ("中华人民共和国国务院", Some("国务院")),
            ("国务院第208次常务会议", Some("国务院")),
            (
                "最高人民检察院第九届检察委员会第9次会议",
                Some("最高人民检察院"),
            ),
            (
                "宁波市十五届人大常委会",
                Some("宁波市人民代表大会常务委员会"),
            ),
            (
                "人力资源和社会保障部第6次部务会议",
                Some("人力资源和社会保障部"),
            ),
            (
                "郑州市第十四届人民代表大会常务委员",
                Some("郑州市人民代表大会常务委员会"),
            ),
            ("常务委员会", None),
            ("广电公司是经陕西省政府", None),
            ("数据安全法", None),
        ] {
            assert_eq!(organ_name(raw).as_deref(), name, "{raw}");
        }
        assert_eq!(
            issuers_of_title(
                "最高人民法院 最高人民检察院 公安部关于办理组织领导传销活动刑事案件适用法律若干问题的意见"
            ),
            ["最高人民法院", "最高人民检察院", "公安部"]
        );
        assert_eq!(
            issuers_of_title("国务院办公厅对十届全国人大四次会议第7264号建议的答复"),
            ["国务院办公厅"]
        );
        assert_eq!(
            issuers_of_title("第十一届全国人民代表大会第三次会议关于政府工作报告的决议"),
            ["全国人民代表大会"]
        );
        assert!(issuers_of_title("中华人民共和国对外贸易法").is_empty());
    }

    #[test]
    fn versioned_citations_put_the_version_after_the_title() {
        assert_eq!(
            versioned_citation(
                "中华人民共和国个人所得税法",
                None,
                Some("第六条"),
                Some("2018年修正")
            ),
            "《中华人民共和国个人所得税法》（2018年修正）第六条"
        );
        assert_eq!(
            versioned_citation("关于适用《公司法》的规定", None, None, Some("2020年修正")),
            "《关于适用《公司法》的规定》（2020年修正）"
        );
        assert_eq!(
            versioned_citation(
                "国务院关于…的通知",
                Some("国发〔2019〕5号"),
                None,
                Some("2019年发布")
            ),
            "国务院关于…的通知（国发〔2019〕5号）"
        );
    }

    #[test]
    fn citations_name_the_article_or_the_number() {
        assert_eq!(
            citation("中华人民共和国数据安全法", None, Some("第二十一条")),
            "《中华人民共和国数据安全法》第二十一条"
        );
        assert_eq!(
            citation(
                "国务院关于印发国家职业教育改革实施方案的通知",
                Some("国发〔2019〕4号"),
                None
            ),
            "国务院关于印发国家职业教育改革实施方案的通知（国发〔2019〕4号）"
        );
        assert_eq!(citation("政府工作报告", None, None), "《政府工作报告》");
    }

    #[test]
    fn type_and_issuer_from_titles() {
        let title = "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见";
        assert_eq!(doc_type_of_title(title).as_deref(), Some("意见"));
        assert_eq!(issuer_of_title(title).as_deref(), Some("国务院"));
        assert_eq!(
            doc_type_of_title("中华人民共和国数据安全法").as_deref(),
            Some("法律")
        );
        assert_eq!(
            doc_type_of_title("个体工商户条例(2016)").as_deref(),
            Some("条例")
        );
        assert_eq!(issuer_of_title("中华人民共和国数据安全法"), None);
        assert_eq!(normalize_doc_number("国发 [2019] 5号"), "国发〔2019〕5号");
    }

    #[test]
    fn short_titles_name_every_version_alike() {
        for title in [
            "中华人民共和国个人所得税法",
            "个人所得税法(2018-08-31)",
            "《中华人民共和国个人所得税法》（2018年修正）",
            "中华人民共和国个人所得税法（2011年修订）",
        ] {
            assert_eq!(short_title(title), "个人所得税法", "{title}");
        }
        assert_eq!(short_title("条例（试行）"), "条例〔试行〕");
        assert_eq!(
            title_key("个人所得税法"),
            title_key("中华人民共和国个人所得税法")
        );
    }
}
