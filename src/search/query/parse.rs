//! The query language, parsed by hand: text in, a syntax tree out, or one clear error line
//! saying what is wrong and where.
//!
//! ```text
//! query   := or
//! or      := and (("OR" | "|") and)*
//! and     := unary ("AND"? unary)*
//! unary   := ("-" | "NOT")* primary
//! primary := "(" or ")" | "\"phrase\"" | field ":" value | word
//! ```
//!
//! Tantivy's own query parser is not used: it panics or hangs on some inputs and turns an
//! unbroken CJK run into a phrase of jieba words, which loses substring recall.

use anyhow::{Result, bail};

use crate::analysis::{gram_tokens, normalize};
use crate::index::versions::{AMENDED, EXPIRED, IN_FORCE, NOT_YET, REPEALED, STATUSES};
use crate::ingest::meta::{Date, normalize_doc_number};

/// Deepest nesting of parentheses accepted; deeper input is an error, not a stack overflow.
const MAX_DEPTH: usize = 64;

const BOTH_SIDES: &str = "a word must stand on both sides";
const NOTHING_AFTER: &str = "nothing to exclude after it";
const NO_OPEN: &str = "')' has no matching '('";
const NOT_CLOSED: &str = "'(' is never closed";

/// Field names a filter may use, as the user types them.
pub const FIELD_NAMES: &[&str] = &[
    "title",
    "issuer",
    "doc",
    "type",
    "date",
    "effective",
    "status",
    "asof",
    "version",
];

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The query as given.
    pub input: String,
    pub root: Node,
}

/// A node of the syntax tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Text that must occur in the passage. `text` is normalised (see
    /// [`crate::analysis::normalize`]); a quoted phrase is never expanded with synonyms.
    Text { text: String, quoted: bool },
    /// A metadata filter.
    Filter(Filter),
    /// Every child must match.
    And(Vec<Node>),
    /// At least one child must match.
    Or(Vec<Node>),
    /// The child must not match.
    Not(Box<Node>),
}

/// A filter on the document's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `title:` the normalised text occurs in the title.
    Title(String),
    /// `issuer:` the normalised text occurs in 发文机关.
    Issuer(String),
    /// `doc:` the document number (发文字号) equals this, normalised to 〔〕 brackets.
    DocNumber(String),
    /// `type:` 文种 equals this.
    DocType(String),
    /// `date:` the date lies in `from..=to` (yyyymmdd numbers, never 0 = unknown).
    Date { from: u64, to: u64 },
    /// `effective:` the date it takes effect lies in `from..=to`, as for `date:`.
    Effective { from: u64, to: u64 },
    /// `status:现行有效`: the document's status (see [`crate::index::versions::STATUSES`]).
    Status(String),
    /// `asof:2019-06-01`: the document was in force on that day (yyyymmdd).
    AsOf(u64),
    /// `version:latest`: the document is (a copy of) the newest version of its text.
    Latest,
}

/// Parses a query; see the module documentation for the grammar.
pub fn parse(input: &str) -> Result<Parsed> {
    let tokens = lex(input)?;
    if tokens.is_empty() {
        bail!("empty query: give at least one word to search for");
    }
    let mut parser = Parser {
        input,
        tokens,
        at: 0,
        depth: 0,
    };
    let root = parser.or()?;
    if let Some(t) = parser.peek() {
        // `or` stops only at a closing parenthesis it did not open.
        return Err(parser.error(t.at, "unbalanced parenthesis", NO_OPEN));
    }
    if !root.has_positive() {
        bail!(
            "nothing to search for in query {input:?}: it only excludes; add a word or filter that must match"
        );
    }
    Ok(Parsed {
        input: input.to_string(),
        root,
    })
}

impl Node {
    /// Whether the node holds words or phrases to find in the text (not only filters).
    pub fn has_text(&self) -> bool {
        match self {
            Node::Text { .. } => true,
            Node::Filter(_) => false,
            Node::Not(child) => child.has_text(),
            Node::And(children) | Node::Or(children) => children.iter().any(Node::has_text),
        }
    }

    /// Whether the node holds a filter on validity or version, which reads the index's
    /// versions.
    pub fn needs_versions(&self) -> bool {
        match self {
            Node::Text { .. } => false,
            Node::Filter(f) => matches!(f, Filter::Status(_) | Filter::AsOf(_) | Filter::Latest),
            Node::Not(child) => child.needs_versions(),
            Node::And(children) | Node::Or(children) => children.iter().any(Node::needs_versions),
        }
    }

    /// Whether the node requires something to be present (rather than only absent), so that
    /// it does not match nearly every passage.
    pub fn has_positive(&self) -> bool {
        match self {
            Node::Text { .. } | Node::Filter(_) => true,
            Node::Not(_) => false,
            Node::And(children) => children.iter().any(Node::has_positive),
            Node::Or(children) => children.iter().all(Node::has_positive),
        }
    }
}

/// Writes the tree back as a query that parses to the same tree (quoting aside).
impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |f: &mut std::fmt::Formatter<'_>, children: &[Node], sep: &str| {
            for (i, c) in children.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                match c {
                    Node::And(_) | Node::Or(_) => write!(f, "({c})")?,
                    _ => write!(f, "{c}")?,
                }
            }
            Ok(())
        };
        match self {
            Node::Text { text, .. } => f.write_str(&quote(text)),
            Node::Filter(Filter::Title(t)) => write!(f, "title:{}", quote(t)),
            Node::Filter(Filter::Issuer(t)) => write!(f, "issuer:{}", quote(t)),
            Node::Filter(Filter::DocNumber(t)) => write!(f, "doc:{}", quote(t)),
            Node::Filter(Filter::DocType(t)) => write!(f, "type:{}", quote(t)),
            Node::Filter(Filter::Date { from, to }) => {
                write!(f, "date:{}..{}", show_day(*from), show_day(*to))
            }
            Node::Filter(Filter::Effective { from, to }) => {
                write!(f, "effective:{}..{}", show_day(*from), show_day(*to))
            }
            Node::Filter(Filter::Status(s)) => write!(f, "status:{s}"),
            Node::Filter(Filter::AsOf(day)) => write!(f, "asof:{}", show_day(*day)),
            Node::Filter(Filter::Latest) => f.write_str("version:latest"),
            Node::And(children) => join(f, children, " "),
            Node::Or(children) => join(f, children, " OR "),
            Node::Not(child) => match **child {
                Node::And(_) | Node::Or(_) => write!(f, "-({child})"),
                _ => write!(f, "-{child}"),
            },
        }
    }
}

/// A range end as typed: yyyy-mm-dd, yyyy for the start of a year, nothing for an open end.
fn show_day(n: u64) -> String {
    match Date::parts(n) {
        _ if n <= Date::FIRST_NUMBER || n >= Date::LAST_NUMBER => String::new(),
        (year, 0, 0) => format!("{year:04}"),
        (year, month, day) => format!("{year:04}-{month:02}-{day:02}"),
    }
}

/// Text in quotes that keep it whole: "…", or “…” when it holds a straight quote (a phrase
/// never holds both, as each ends at its own closing quote).
fn quote(text: &str) -> String {
    if text.contains('"') {
        format!("“{text}”")
    } else {
        format!("\"{text}\"")
    }
}

/// A lexical token with the 1-based character position where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    kind: Kind,
    at: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    Or,
    And,
    Not,
    /// A word as typed, or a quoted phrase.
    Text {
        text: String,
        quoted: bool,
    },
    /// `name:value`, the value possibly quoted; `value_at` is where the value starts.
    Field {
        name: String,
        value: String,
        value_at: usize,
    },
}

/// Opening quote characters and the one that closes each.
fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        _ => None,
    }
}

/// One error line: what is wrong, where (1-based character), the query, and a hint.
fn error_at(input: &str, at: usize, what: &str, hint: &str) -> anyhow::Error {
    if hint.is_empty() {
        anyhow::anyhow!("{what} at character {at} in query {input:?}")
    } else {
        anyhow::anyhow!("{what} at character {at} in query {input:?}: {hint}")
    }
}

fn lex(input: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        let (kind, next) = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => (Kind::Open, i + 1),
            ')' => (Kind::Close, i + 1),
            '|' => (Kind::Or, i + 1),
            '-' if chars.get(i + 1).is_none_or(|n| n.is_whitespace()) => {
                return Err(error_at(
                    input,
                    at,
                    "dangling '-'",
                    "put the word to exclude right after it",
                ));
            }
            '-' => (Kind::Not, i + 1),
            _ if closing_quote(c).is_some() => {
                let (text, next) = quoted(input, &chars, i)?;
                (Kind::Text { text, quoted: true }, next)
            }
            _ => lex_word(input, &chars, i)?,
        };
        tokens.push(Token { kind, at });
        i = next;
    }
    Ok(tokens)
}

/// The word starting at `start` (a field with its value, an operator, or text), and where
/// the next token starts. A word runs to whitespace, a parenthesis, `|` or a quote.
fn lex_word(input: &str, chars: &[char], start: usize) -> Result<(Kind, usize)> {
    let mut i = start;
    while i < chars.len() && !ends_word(chars[i]) {
        if chars[i] == ':' {
            break;
        }
        // The full-width colon a Chinese input method types, after a field name only:
        // elsewhere it is text.
        if chars[i] == '：' && is_known_field(&chars[start..i]) {
            break;
        }
        i += 1;
    }
    let head: String = chars[start..i].iter().collect();
    if matches!(chars.get(i), Some(':' | '：')) && is_field_name(&head) {
        return lex_field(input, chars, start, &head);
    }
    // Not a field: the colon belongs to the word.
    while i < chars.len() && !ends_word(chars[i]) {
        i += 1;
    }
    let word: String = chars[start..i].iter().collect();
    let kind = match word.as_str() {
        "OR" => Kind::Or,
        "AND" => Kind::And,
        "NOT" => Kind::Not,
        _ => Kind::Text {
            text: word,
            quoted: false,
        },
    };
    Ok((kind, i))
}

/// `name:value` starting at `start`, `head` being the name as typed.
fn lex_field(input: &str, chars: &[char], start: usize, head: &str) -> Result<(Kind, usize)> {
    let name = head.to_ascii_lowercase();
    if !FIELD_NAMES.contains(&name.as_str()) {
        return Err(error_at(
            input,
            start + 1,
            &format!("unknown field {head:?}"),
            &format!(
                "fields are {}; quote the text to search for it as written",
                FIELD_NAMES.join(", ")
            ),
        ));
    }
    let i = start + head.chars().count() + 1;
    let value_at = i + 1;
    let (value, next) = match chars.get(i) {
        Some(&q) if closing_quote(q).is_some() => quoted(input, chars, i)?,
        Some('(') => {
            return Err(error_at(
                input,
                value_at,
                &format!("group after {name}:"),
                &format!("a field takes one value; write ({name}:… OR {name}:…)"),
            ));
        }
        Some(c) if !c.is_whitespace() && *c != ')' && *c != '|' => field_value(chars, i),
        _ => {
            return Err(error_at(
                input,
                value_at,
                &format!("{name}: has no value"),
                "",
            ));
        }
    };
    Ok((
        Kind::Field {
            name,
            value,
            value_at,
        },
        next,
    ))
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '|') || closing_quote(c).is_some()
}

/// A field name is a run of ASCII letters; anything else before a colon (`12:30`) is text.
fn is_field_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic())
}

fn is_known_field(name: &[char]) -> bool {
    let name: String = name.iter().collect::<String>().to_ascii_lowercase();
    is_field_name(&name) && FIELD_NAMES.contains(&name.as_str())
}

/// The quoted text starting with the quote at `open`, and the index after its closing quote.
fn quoted(input: &str, chars: &[char], open: usize) -> Result<(String, usize)> {
    let close = closing_quote(chars[open]).unwrap_or('"');
    match chars[open + 1..].iter().position(|&c| c == close) {
        Some(len) => Ok((
            chars[open + 1..open + 1 + len].iter().collect(),
            open + len + 2,
        )),
        None => Err(error_at(
            input,
            open + 1,
            "unbalanced quote",
            &format!("'{}' is never closed", chars[open]),
        )),
    }
}

/// A field value up to whitespace, `|`, a quote or a `)` it did not open, so that
/// `doc:国发(2019)5号` keeps its brackets and `(doc:国发〔2019〕5号)` closes the group.
fn field_value(chars: &[char], start: usize) -> (String, usize) {
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() || c == '|' || closing_quote(c).is_some() {
            break;
        }
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    (chars[start..i].iter().collect(), i)
}

struct Parser<'a> {
    input: &'a str,
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn error(&self, at: usize, what: &str, hint: &str) -> anyhow::Error {
        error_at(self.input, at, what, hint)
    }

    /// Position just past the input, for errors at its end.
    fn end(&self) -> usize {
        self.input.chars().count() + 1
    }

    fn or(&mut self) -> Result<Node> {
        let mut children = vec![self.and()?];
        while let Some(t) = self.peek() {
            if t.kind != Kind::Or {
                break;
            }
            let at = t.at;
            self.at += 1;
            match self.peek().map(|t| &t.kind) {
                None | Some(Kind::Close | Kind::Or | Kind::And) => {
                    return Err(self.error(at, "dangling OR", BOTH_SIDES));
                }
                _ => children.push(self.and()?),
            }
        }
        Ok(flatten(children, true))
    }

    fn and(&mut self) -> Result<Node> {
        let mut children = Vec::new();
        while let Some(t) = self.peek() {
            match t.kind {
                Kind::Close | Kind::Or => break,
                Kind::And => {
                    let at = t.at;
                    self.at += 1;
                    let next = self.peek().map(|t| &t.kind);
                    if children.is_empty() || matches!(next, None | Some(Kind::Close | Kind::Or)) {
                        return Err(self.error(at, "dangling AND", BOTH_SIDES));
                    }
                }
                _ => children.push(self.unary()?),
            }
        }
        if children.is_empty() {
            return Err(match self.peek() {
                Some(t) if t.kind == Kind::Or => self.error(t.at, "dangling OR", BOTH_SIDES),
                Some(t) => self.error(t.at, "unbalanced parenthesis", NO_OPEN),
                None => self.error(self.end(), "missing word", ""),
            });
        }
        Ok(flatten(children, false))
    }

    fn unary(&mut self) -> Result<Node> {
        // Negations are counted, not recursed into, so a long run of them cannot overflow.
        let mut negations = 0usize;
        let mut last_not = 0;
        while let Some(t) = self.peek() {
            if t.kind != Kind::Not {
                break;
            }
            negations += 1;
            last_not = t.at;
            self.at += 1;
        }
        if negations > 0
            && matches!(
                self.peek().map(|t| &t.kind),
                None | Some(Kind::Close | Kind::Or | Kind::And)
            )
        {
            return Err(self.error(last_not, "dangling NOT", NOTHING_AFTER));
        }
        let node = self.primary()?;
        Ok(match (negations % 2 == 1, node) {
            // -(-a) is a.
            (true, Node::Not(inner)) => *inner,
            (true, node) => Node::Not(Box::new(node)),
            (false, node) => node,
        })
    }

    fn primary(&mut self) -> Result<Node> {
        let Some(token) = self.tokens.get(self.at).cloned() else {
            return Err(self.error(self.end(), "missing word", ""));
        };
        self.at += 1;
        match token.kind {
            Kind::Open => {
                if self.depth >= MAX_DEPTH {
                    return Err(self.error(token.at, "parentheses nested too deeply", ""));
                }
                if self.peek().is_some_and(|t| t.kind == Kind::Close) {
                    return Err(self.error(token.at, "empty parentheses", ""));
                }
                self.depth += 1;
                let inner = match self.peek() {
                    None => Err(self.error(token.at, "unbalanced parenthesis", NOT_CLOSED)),
                    Some(_) => self.or(),
                }?;
                self.depth -= 1;
                match self.peek() {
                    Some(t) if t.kind == Kind::Close => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => Err(self.error(token.at, "unbalanced parenthesis", NOT_CLOSED)),
                }
            }
            Kind::Text { text, quoted } => Ok(Node::Text {
                text: searchable(self.input, token.at, &text, quoted)?,
                quoted,
            }),
            Kind::Field {
                name,
                value,
                value_at,
            } => Ok(Node::Filter(filter(self.input, value_at, &name, &value)?)),
            Kind::Close => Err(self.error(token.at, "unbalanced parenthesis", NO_OPEN)),
            Kind::Or => Err(self.error(token.at, "dangling OR", BOTH_SIDES)),
            Kind::And => Err(self.error(token.at, "dangling AND", BOTH_SIDES)),
            Kind::Not => Err(self.error(token.at, "dangling NOT", NOTHING_AFTER)),
        }
    }
}

/// One child stands for itself; nested nodes of the same kind merge, so that equal queries
/// give equal trees.
fn flatten(children: Vec<Node>, or: bool) -> Node {
    let mut out = Vec::with_capacity(children.len());
    for c in children {
        match c {
            Node::Or(inner) if or => out.extend(inner),
            Node::And(inner) if !or => out.extend(inner),
            c => out.push(c),
        }
    }
    match (out.len(), or) {
        (1, _) => out.pop().unwrap_or(Node::And(Vec::new())),
        (_, true) => Node::Or(out),
        (_, false) => Node::And(out),
    }
}

/// The normalised form of a word or phrase, which must hold something to search for.
/// Whitespace runs in a phrase become one space, as they are compared against the text.
fn searchable(input: &str, at: usize, text: &str, quoted: bool) -> Result<String> {
    let norm = normalize(text).text;
    let norm = if quoted {
        norm.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        norm
    };
    if gram_tokens(&norm).is_empty() {
        let shown = if quoted {
            format!("\"{text}\"")
        } else {
            text.to_string()
        };
        return Err(error_at(
            input,
            at,
            &format!("nothing to search for in {shown:?}"),
            "it has no letters, digits or CJK characters",
        ));
    }
    Ok(norm)
}

fn filter(input: &str, at: usize, name: &str, value: &str) -> Result<Filter> {
    let value = value.trim();
    Ok(match name {
        "title" => Filter::Title(searchable(input, at, value, true)?),
        "issuer" => Filter::Issuer(searchable(input, at, value, true)?),
        "doc" => Filter::DocNumber(normalize_doc_number(value)),
        "type" => Filter::DocType(doc_type(value)),
        "date" | "effective" => {
            let (from, to) = date_range(value).ok_or_else(|| {
                error_at(
                    input,
                    at,
                    &format!("bad date {value:?}"),
                    "write 2019, 2019-03, 2019-03-15 or a range like 2019-01-01..2019-06-30 (either end may be left out)",
                )
            })?;
            if name == "date" {
                Filter::Date { from, to }
            } else {
                Filter::Effective { from, to }
            }
        }
        "status" => Filter::Status(status(value).ok_or_else(|| {
            error_at(
                input,
                at,
                &format!("unknown status {value:?}"),
                &format!("statuses are {}", STATUSES.join(", ")),
            )
        })?),
        "asof" => Filter::AsOf(as_of_day(value).ok_or_else(|| {
            error_at(
                input,
                at,
                &format!("bad date {value:?}"),
                "write the day as 2019-06-01 (a year or month alone stands for its first day)",
            )
        })?),
        "version" if value == "latest" => Filter::Latest,
        "version" => {
            return Err(error_at(
                input,
                at,
                &format!("unknown version {value:?}"),
                "write version:latest for the newest version of each text",
            ));
        }
        // `lex` accepts only the names above.
        _ => return Err(error_at(input, at, &format!("unknown field {name:?}"), "")),
    })
}

/// A status as stored, from its label or a short form (现行, 有效, 废止, 修改, 未生效).
fn status(value: &str) -> Option<String> {
    let full = match value {
        "现行" | "有效" => IN_FORCE,
        "废止" => REPEALED,
        "修改" | "修正" => AMENDED,
        "未生效" => NOT_YET,
        "已失效" => EXPIRED,
        v => STATUSES.iter().find(|s| **s == v)?,
    };
    Some(full.to_string())
}

/// The yyyymmdd of an `asof:` day: a year or month alone stands for its first day.
pub fn as_of_day(value: &str) -> Option<u64> {
    if value.contains("..") {
        return None;
    }
    let (from, _) = date_bounds(value)?;
    let (year, month, day) = Date::parts(from);
    Some(Date::number(year, month.max(1), day.max(1)))
}

/// 文种 as stored: a law is stored as 法律, so `type:法` means the same.
fn doc_type(value: &str) -> String {
    match value {
        "法" => "法律".to_string(),
        _ => value.to_string(),
    }
}

/// Lowest and highest yyyymmdd numbers of a date or range, or None when malformed.
pub fn date_range(value: &str) -> Option<(u64, u64)> {
    match value.split_once("..") {
        Some((a, b)) => {
            if a.is_empty() && b.is_empty() {
                return None;
            }
            let from = if a.is_empty() {
                Date::FIRST_NUMBER
            } else {
                date_bounds(a)?.0
            };
            let to = if b.is_empty() {
                Date::LAST_NUMBER
            } else {
                date_bounds(b)?.1
            };
            (from <= to).then_some((from, to))
        }
        None => date_bounds(value),
    }
}

/// The first and last day of `yyyy`, `yyyy-mm` or `yyyy-mm-dd` as yyyymmdd numbers; a year
/// starts at yyyy0000, so that it holds the documents dated by the year alone.
fn date_bounds(value: &str) -> Option<(u64, u64)> {
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str, len: usize| -> Option<u64> {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    // Months and days may be written with one digit: 2019-3-5.
    let short = |s: &str, max: u64| -> Option<u64> {
        let n = if s.len() == 1 {
            number(s, 1)?
        } else {
            number(s, 2)?
        };
        (1..=max).contains(&n).then_some(n)
    };
    let year = number(parts.first()?, 4)?;
    if year == 0 {
        return None;
    }
    match parts[1..] {
        [] => Some((Date::number(year, 0, 0), Date::number(year, 12, 31))),
        [m] => {
            let m = short(m, 12)?;
            Some((Date::number(year, m, 1), Date::number(year, m, 31)))
        }
        [m, d] => {
            let month = short(m, 12)?;
            // A day the month does not have (2019-02-30) is a typo, not an empty result.
            let days = Date::days_in_month(year as u32, month as u32);
            let day = Date::number(year, month, short(d, u64::from(days))?);
            Some((day, day))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(t: &str) -> Node {
        Node::Text {
            text: t.to_string(),
            quoted: false,
        }
    }

    fn err(input: &str) -> String {
        parse(input).unwrap_err().to_string()
    }

    #[test]
    fn words_and_or_not_and_groups() {
        assert_eq!(
            parse("数据 安全").unwrap().root,
            Node::And(vec![text("数据"), text("安全")])
        );
        assert_eq!(
            parse("数据 OR 安全 | 发展").unwrap().root,
            Node::Or(vec![text("数据"), text("安全"), text("发展")])
        );
        assert_eq!(
            parse("数据 -安全 NOT 发展").unwrap().root,
            Node::And(vec![
                text("数据"),
                Node::Not(Box::new(text("安全"))),
                Node::Not(Box::new(text("发展")))
            ])
        );
        // AND binds tighter than OR.
        assert_eq!(
            parse("a b OR c").unwrap().root,
            Node::Or(vec![Node::And(vec![text("a"), text("b")]), text("c")])
        );
        assert_eq!(
            parse("(数据 OR 安全) 法 AND WTO").unwrap().root,
            Node::And(vec![
                Node::Or(vec![text("数据"), text("安全")]),
                text("法"),
                text("wto")
            ])
        );
        assert_eq!(parse("--数据").unwrap().root, text("数据"));
        assert_eq!(parse("COVID-19").unwrap().root, text("covid-19"));
    }

    #[test]
    fn phrases_keep_spaces_and_are_marked() {
        assert_eq!(
            parse("“数据  安全” \"Open  Data\"").unwrap().root,
            Node::And(vec![
                Node::Text {
                    text: "数据 安全".into(),
                    quoted: true
                },
                Node::Text {
                    text: "open data".into(),
                    quoted: true
                }
            ])
        );
        assert_eq!(
            parse("\"a OR b\"").unwrap().root,
            Node::Text {
                text: "a or b".into(),
                quoted: true
            }
        );
    }

    #[test]
    fn field_filters() {
        let root = |q: &str| parse(q).unwrap().root;
        assert_eq!(
            root("title:数据"),
            Node::Filter(Filter::Title("数据".into()))
        );
        assert_eq!(
            root("Title：数据"),
            Node::Filter(Filter::Title("数据".into()))
        );
        // Elsewhere the full-width colon is text, as in the documents.
        assert_eq!(
            root("注意：数据"),
            Node::Text {
                text: "注意:数据".into(),
                quoted: false
            }
        );
        assert_eq!(
            root("issuer:\"国务院 办公厅\""),
            Node::Filter(Filter::Issuer("国务院 办公厅".into()))
        );
        for q in [
            "doc:国发(2019)5号",
            "doc:国发[2019]5号",
            "DOC:国发〔2019〕5号",
        ] {
            assert_eq!(
                root(q),
                Node::Filter(Filter::DocNumber("国发〔2019〕5号".into())),
                "{q}"
            );
        }
        assert_eq!(
            root("(doc:国发(2019)5号 OR type:法)"),
            Node::Or(vec![
                Node::Filter(Filter::DocNumber("国发〔2019〕5号".into())),
                Node::Filter(Filter::DocType("法律".into()))
            ])
        );
        let date = |q: &str| match root(q) {
            Node::Filter(Filter::Date { from, to }) => (from, to),
            other => panic!("{other:?}"),
        };
        assert_eq!(date("date:2019"), (20190000, 20191231));
        assert_eq!(date("date:2019-03"), (20190301, 20190331));
        assert_eq!(date("date:2019-3-5"), (20190305, 20190305));
        assert_eq!(date("date:2019-01-01..2019-06-30"), (20190101, 20190630));
        assert_eq!(date("date:..2019-06-30"), (1, 20190630));
        assert_eq!(date("date:2020.."), (20200000, 99991231));
        assert_eq!(date("date:2019..2020"), (20190000, 20201231));
        // A colon after something other than a field name is text.
        assert_eq!(root("12:30"), text("12:30"));
        assert_eq!(root("第一条："), text("第一条:"));
    }

    #[test]
    fn malformed_queries_say_what_and_where() {
        assert_eq!(
            err("(数据 OR 安全"),
            "unbalanced parenthesis at character 1 in query \"(数据 OR 安全\": '(' is never closed"
        );
        assert!(err("数据)").starts_with("unbalanced parenthesis at character 3"));
        assert!(err("\"数据 安全").starts_with("unbalanced quote at character 1"));
        assert!(err("“数据").starts_with("unbalanced quote at character 1"));
        assert!(err("数据 foo:bar").starts_with("unknown field \"foo\" at character 4"));
        assert!(err("数据 OR").starts_with("dangling OR at character 4"));
        assert!(err("OR 数据").starts_with("dangling OR at character 1"));
        assert!(err("数据 | | 安全").starts_with("dangling OR"));
        assert!(err("(数据 OR)").starts_with("dangling OR at character 5"));
        assert!(err("数据 NOT").starts_with("dangling NOT at character 4"));
        assert!(err("数据 -").starts_with("dangling '-' at character 4"));
        assert!(err("数据 AND").starts_with("dangling AND"));
        assert!(err("数据 ()").starts_with("empty parentheses at character 4"));
        assert!(err("title:").starts_with("title: has no value at character 7"));
        assert!(err("title:(a OR b)").starts_with("group after title:"));
        assert!(err("date:2019-13").starts_with("bad date \"2019-13\""));
        assert!(err("date:2019-02-30").starts_with("bad date \"2019-02-30\""));
        assert!(parse("date:2020-02-29").is_ok());
        assert!(err("date:2019-02-29").starts_with("bad date"));
        assert!(err("date:2019-04-31").starts_with("bad date"));
        assert!(err("date:2020..2019").starts_with("bad date"));
        assert!(err("date:..").starts_with("bad date"));
        assert!(err("-数据").contains("only excludes"));
        assert!(err("数据 OR -安全").contains("only excludes"));
        assert!(err("   ").contains("empty query"));
        assert!(err("数据 ，。").starts_with("nothing to search for in \"，。\" at character 4"));
        assert!(err(&"(".repeat(100)).contains("nested too deeply"));
        assert!(parse(&format!("{}数据{}", "(".repeat(60), ")".repeat(60))).is_ok());
        for e in ["(数据", "foo:bar", "数据 OR", "\"x"] {
            assert_eq!(err(e).lines().count(), 1);
        }
    }

    /// The tree with every text marked unquoted, to compare trees whatever the quoting.
    fn unquoted(node: &Node) -> Node {
        match node {
            Node::Text { text, .. } => Node::Text {
                text: text.clone(),
                quoted: false,
            },
            Node::Filter(f) => Node::Filter(f.clone()),
            Node::And(c) => Node::And(c.iter().map(unquoted).collect()),
            Node::Or(c) => Node::Or(c.iter().map(unquoted).collect()),
            Node::Not(c) => Node::Not(Box::new(unquoted(c))),
        }
    }

    /// Characters that exercise every branch of the lexer.
    fn query_chars() -> impl Strategy<Value = char> {
        prop_oneof![
            3 => prop::sample::select(vec![
                '(', ')', '"', '“', '”', ':', '-', '|', ' ', ' ', '.', '　', '，', '〔', '〕',
                '[', ']', '（', '）', '\t', '\n'
            ]),
            3 => prop::sample::select(vec!['数', '据', '安', '全', '税', '法', '国', '发', '〇']),
            2 => prop::sample::select(vec!['a', 'O', 'R', 'N', 'T', 'D', 'W', '0', '9', 'Ｗ', 'é']),
            1 => prop::sample::select(vec!['😀', '\u{200d}', '\u{0301}', '\u{FEFF}', '\0', 'ß', 'İ']),
            1 => any::<char>(),
        ]
    }

    fn words() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "数据", "OR", "AND", "NOT", "-", "(", ")", "|", "\"", "title:", "doc:", "date:",
            "type:", "issuer:", "foo:", "2019", "..", "-2019-03", "WTO", "😀", " ",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn random_input_never_panics(s in prop::collection::vec(query_chars(), 0..80)) {
            let input: String = s.into_iter().collect();
            if let Err(e) = parse(&input) {
                prop_assert_eq!(e.to_string().lines().count(), 1);
            }
        }

        #[test]
        fn random_token_soup_never_panics(parts in prop::collection::vec(words(), 0..30)) {
            let input = parts.concat();
            let _ = parse(&input);
            let _ = parse(&parts.join(" "));
        }

        #[test]
        fn long_input_never_panics(s in "\\PC{0,3000}") {
            let _ = parse(&s);
        }

        /// A parsed tree printed back parses to the same tree.
        #[test]
        fn display_round_trips(
            parts in prop::collection::vec(words(), 1..20),
            glue in prop::collection::vec(query_chars(), 0..40),
        ) {
            let mut input = parts.join(" ");
            input.extend(glue);
            if let Ok(parsed) = parse(&input) {
                let printed = parsed.root.to_string();
                let again = parse(&printed);
                prop_assert!(again.is_ok(), "{} → {}: {:?}", parsed.input, printed, again);
                prop_assert_eq!(
                    again.ok().map(|p| unquoted(&p.root)),
                    Some(unquoted(&parsed.root)),
                    "{}",
                    printed
                );
            }
        }
    }
}
