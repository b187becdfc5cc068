//! Document metadata: the document number (发文字号), issuing body (发文机关), date and
//! document type, read from the file name, the title and the text.

use std::path::Path;

use crate::analysis::is_cjk;
use crate::analysis::numerals::chinese_number;

/// What a policy reader filters and cites by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// 发文字号, normalised to 〔〕 year brackets: 国发〔2019〕5号, 国令第707号.
    pub doc_number: Option<String>,
    /// 发文机关: 国务院, 国务院办公厅, 全国人民代表大会常务委员会 …
    pub issuer: Option<String>,
    /// 成文日期 or 发布日期; only the year when nothing else tells more (劳动法(2009)).
    pub date: Option<Date>,
    /// 文种: 法律, 条例, 通知, 意见, 决定, 批复, 报告 …
    pub doc_type: Option<String>,
}

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

/// Metadata of a document, from the best source that has each field: the document's own
/// metadata (a gov.cn table, YAML front matter), then the file name, the title, and the
/// text's opening and signature lines.
pub fn parse(path: &Path, title: &str, paragraphs: &[&str], pairs: &[(String, String)]) -> Meta {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pair = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            pairs
                .iter()
                .find(|(key, v)| key.eq_ignore_ascii_case(k) && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
        })
    };
    let head: Vec<&str> = paragraphs.iter().take(8).copied().collect();
    let tail: Vec<&str> = paragraphs.iter().rev().take(6).rev().copied().collect();
    let doc_number = pair(&["发文字号", "文号", "doc_number"])
        .map(|n| normalize_doc_number(&n))
        .or_else(|| find_doc_number(&name))
        .or_else(|| find_doc_number(title))
        .or_else(|| {
            head.iter()
                .filter(|p| p.chars().count() <= 40)
                .find_map(|p| find_doc_number(p))
        });
    let year = year_of_name(&name).or_else(|| year_of_title(title));
    let date = pair(&["成文日期", "发布日期", "公布日期", "date", "publish_date"])
        .and_then(|d| find_date(&d))
        .or_else(|| find_date(&name))
        .or_else(|| text_date(&head, &tail, year))
        .or_else(|| year.and_then(Date::year_only));
    let issuer = pair(&["发文机关", "发布机关", "制定机关", "issuer", "office"])
        .or_else(|| issuer_of_title(title))
        .or_else(|| head.iter().find_map(|p| adopting_body(p)))
        .or_else(|| signature(&tail).0);
    Meta {
        doc_number,
        issuer,
        date,
        doc_type: pair(&["文种"]).or_else(|| doc_type_of_title(title)),
    }
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

/// The date the text gives: a short dated opening line, else the signature's. When the
/// file name or title gives a year, a date of another year is one the body mentions
/// (…违犯婚姻法第十九条及最高人民法院、司法部1951年4月25日联合指示的精神, in a 1953 通报):
/// the first date of that year in the opening or closing lines is taken instead, however
/// long the line (…的决定（1988年7月1日第七届全国人民代表大会常务委员会第二次会议批准）为了…),
/// else none.
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

/// The body that adopted a law: …全国人民代表大会常务委员会第二十九次会议通过 → 全国人民代表大会常务委员会.
fn adopting_body(text: &str) -> Option<String> {
    if !text.contains("通过") || text.chars().count() > 200 {
        return None;
    }
    for body in ["全国人民代表大会常务委员会", "全国人民代表大会"] {
        if text.contains(body) {
            return Some(body.to_string());
        }
    }
    if text.contains("国务院常务会议") || text.contains("国务院令") {
        return Some("国务院".to_string());
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
const OPEN: &[char] = &['〔', '[', '［', '(', '（', '【'];
const CLOSE: &[char] = &['〕', ']', '］', ')', '）', '】'];

/// The first document number in `text`, normalised: 国发[2019]5号 → 国发〔2019〕5号;
/// 国令第707号 and 主席令第八十四号 are kept as they are.
pub fn find_doc_number(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !OPEN.contains(&c) || i == 0 {
            continue;
        }
        // Issuer code: the Han characters right before the bracket.
        let code_start = (0..i).rev().take_while(|&j| is_cjk(chars[j])).last()?;
        let year: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if year.len() != 4 {
            continue;
        }
        let close = i + 1 + 4;
        if !chars.get(close).is_some_and(|c| CLOSE.contains(c)) {
            continue;
        }
        let serial: String = chars[close + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if serial.is_empty() || chars.get(close + 1 + serial.len()) != Some(&'号') {
            continue;
        }
        let code: String = chars[code_start..i].iter().collect();
        let code = code.rsplit("号").next().unwrap_or(&code).to_string();
        return Some(format!("{code}〔{year}〕{serial}号"));
    }
    find_order_number(&chars)
}

/// An order number in its short form: 国令第707号 for 国务院令第707号 and 中华人民共和国国务院令
/// 第707号, 主席令第84号 for 中华人民共和国主席令第八十四号, 交通部令第8号 for 中华人民共和国
/// 交通部令第8号; the serial in Arabic digits. People cite every form, and `doc:` finds them as one.
fn find_order_number(chars: &[char]) -> Option<String> {
    let text: String = chars.iter().collect();
    let at = text.find("令第")?;
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_cjk(c))
        .last()
        .map_or(at, |(i, _)| i);
    let rest = &text[at + "令第".len()..];
    let number: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || "〇零一二三四五六七八九十百千".contains(*c))
        .collect();
    if number.is_empty() || !rest[number.len()..].starts_with('号') {
        return None;
    }
    let serial = match number.parse::<u32>() {
        Ok(n) => n,
        Err(_) => chinese_number(&number)?,
    };
    // The Han run before 令 may begin with what precedes the issuer: …27日中华人民共和国主席令.
    let organ = &text[start..at];
    let organ = organ.rsplit("中华人民共和国").next().unwrap_or(organ);
    let organ = if organ == "国" || organ.ends_with("国务院") {
        "国"
    } else if organ.ends_with("主席") {
        "主席"
    } else {
        organ
    };
    Some(format!("{organ}令第{serial}号"))
}

/// The first date in `text`: 2019-02-15, 2019年2月15日, 二〇二三年九月二十七日.
pub fn find_date(text: &str) -> Option<Date> {
    dates_in(text).next()
}

/// Every date in `text`, in order.
fn dates_in(text: &str) -> impl Iterator<Item = Date> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).filter_map(move |i| date_at(&chars[i..]))
}

fn date_at(chars: &[char]) -> Option<Date> {
    let (year, rest) = number_at(chars, 4)?;
    let (sep, rest) = rest.split_first()?;
    let (month, rest) = number_at(rest, 2)?;
    let date = match sep {
        '-' | '.' | '/' => {
            let (sep2, rest) = rest.split_first()?;
            if sep2 != sep {
                return None;
            }
            let (day, _) = number_at(rest, 2)?;
            Date { year, month, day }
        }
        '年' => {
            let (m, rest) = rest.split_first()?;
            if *m != '月' {
                return None;
            }
            let (day, rest) = number_at(rest, 2)?;
            if rest.first() != Some(&'日') {
                return None;
            }
            Date { year, month, day }
        }
        _ => return None,
    };
    date.is_valid().then_some(date)
}

/// A number at the start of `chars`: ASCII digits (up to `max_digits`), or Chinese numerals
/// (二〇二三 digit by digit, 二十七 with tens).
fn number_at(chars: &[char], max_digits: usize) -> Option<(u32, &[char])> {
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        if digits > max_digits {
            return None;
        }
        let n = chars[..digits].iter().collect::<String>().parse().ok()?;
        return Some((n, &chars[digits..]));
    }
    let len = chars
        .iter()
        .take_while(|c| "〇零一二三四五六七八九十".contains(**c))
        .count();
    if len == 0 {
        return None;
    }
    let han = &chars[..len];
    // Tens written with one 十 (二十七, 十二), or digit by digit (二〇二三).
    let ok = match han.iter().position(|&c| c == '十') {
        Some(at) => at <= 1 && len - at <= 2 && han.iter().filter(|&&c| c == '十').count() == 1,
        None => len <= max_digits,
    };
    if !ok {
        return None;
    }
    let n = chinese_number(&han.iter().collect::<String>())?;
    Some((n, &chars[len..]))
}

/// Document types by the word a title ends with, longest first.
const TYPES: &[(&str, &str)] = &[
    ("实施条例", "条例"),
    ("实施细则", "细则"),
    ("条例", "条例"),
    ("规定", "规定"),
    ("办法", "办法"),
    ("细则", "细则"),
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

/// 文种 from the end of a title: …的通知 → 通知, …数据安全法 → 法律.
pub fn doc_type_of_title(title: &str) -> Option<String> {
    // Drop a trailing note in brackets: 个体工商户条例(2016) → 个体工商户条例, 条例（试行）.
    let mut t = title.trim();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = t.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
        {
            t = inner[..at].trim_end();
        }
    }
    let t = t.trim_end_matches(|c: char| !is_cjk(c));
    TYPES
        .iter()
        .find(|(suffix, _)| t.ends_with(suffix))
        .map(|(_, kind)| kind.to_string())
}

/// 发文机关 from a title of the form 国务院关于…的通知.
pub fn issuer_of_title(title: &str) -> Option<String> {
    let (before, _) = title.split_once("关于")?;
    let before = before.trim();
    let organ = [
        "国务院",
        "办公厅",
        "委员会",
        "部",
        "局",
        "署",
        "院",
        "政府",
        "常委会",
        "中央",
        "银行",
        "总局",
    ];
    (!before.is_empty()
        && before.chars().count() <= 40
        && organ.iter().any(|o| before.ends_with(o)))
    .then(|| before.to_string())
}

/// The reference a lawyer pastes: 《中华人民共和国数据安全法》第二十一条 for an article of a law,
/// 国务院关于…的通知（国发〔2019〕5号） for a numbered document, else 《title》.
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

    #[test]
    fn a_year_in_the_file_name_dates_an_undated_document() {
        let date = |path: &str, title: &str, lines: &[&str]| {
            parse(Path::new(path), title, lines, &[])
                .date
                .map(Date::iso)
        };
        assert_eq!(
            date(
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
        let article = "第一条 为了促进中外合作经营企业的发展，制定本实施细则。";
        assert_eq!(
            date(
                "laws/中外合作经营企业法实施细则(2014).txt",
                "中外合作经营企业法实施细则",
                &[article],
            )
            .as_deref(),
            Some("2014")
        );
        // The version note, not the years the document is about.
        assert_eq!(
            date(
                "最高人民法院关于废止1979年至1989年间发布的部分司法解释的通知(1996).txt",
                "最高人民法院关于废止1979年至1989年间发布的部分司法解释的通知",
                &[article],
            )
            .as_deref(),
            Some("1996")
        );
        assert_eq!(
            date(
                "最高人民法院关于审理期货纠纷案件若干问题的规定(2003) - 副本.txt",
                "最高人民法院关于审理期货纠纷案件若干问题的规定",
                &[article],
            )
            .as_deref(),
            Some("2003")
        );
        assert_eq!(
            date("a.txt", "2019年国务院立法工作计划", &[article]).as_deref(),
            Some("2019")
        );
        // A full date still wins, and the numbers of a document are not years.
        assert_eq!(
            date(
                "中华人民共和国数据安全法(2021).txt",
                "中华人民共和国数据安全法",
                &["2021年6月10日 第十三届全国人民代表大会常务委员会第二十九次会议通过"],
            )
            .as_deref(),
            Some("2021-06-10")
        );
        assert_eq!(date("第2019号.txt", "第2019号", &[article]), None);

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
}
