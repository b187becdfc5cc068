//! HTML: the visible text of the article, one block (paragraph, list item, table row) per
//! line, `h1`–`h6` as markdown headings, the page title as the first heading, and a
//! "label：value" metadata table (gov.cn pages: 发文字号, 成文日期, ...) as metadata.
//!
//! html5gum tokenizes (WHATWG-conformant, entities decoded, no dependencies); the small
//! tree built here only needs to be right about block boundaries, so it closes tags the
//! forgiving way rather than by the full HTML tree-construction rules.
//!
//! Bounded whatever the page: the tree is at most [`MAX_DEPTH`] deep (deeper elements join
//! the deepest open one, as browsers' parsers do), so the walks over it that recurse cannot
//! overflow the stack; every walk is linear in the size of the tree; the tree holds at most
//! [`Limits::max_elements`] elements; and the clock of [`Deadline`] is checked as it goes.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Result, bail};
use encoding_rs::Encoding;
use html5gum::{DefaultEmitter, StartTag, Token, Tokenizer};
use rustc_hash::FxHashSet;

use super::{Deadline, Extracted, Limits, decode, is_wide, plain_line, text};

/// Deepest nesting of the tree (Blink's HTML parser stops nesting at 512 too). The walks
/// below recurse once or twice per level, which stays well within a thread's stack.
const MAX_DEPTH: usize = 512;

/// Elements whose content is never visible text, or is site furniture rather than the
/// document.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "iframe", "nav", "header", "footer",
    "select", "button", "object", "svg", "math", "canvas", "audio", "video", "map",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that end the line before them and after them.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "legend",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Where the article body is, most specific first: gov.cn's content cell, then the common
/// CMS containers, then HTML5's article and main.
const CONTAINERS: &[Selector] = &[
    Selector::Id("UCAP-CONTENT"),
    Selector::Id("zoom"),
    Selector::Class("TRS_Editor"),
    Selector::Class("pages_content"),
    Selector::Class("article-content"),
    Selector::Tag("article"),
    Selector::Tag("main"),
];

/// `<meta name>`s that say nothing about the document.
const PRESENTATIONAL_META: &[&str] = &[
    "viewport",
    "robots",
    "renderer",
    "format-detection",
    "referrer",
    "theme-color",
    "generator",
    "apple-mobile-web-app-capable",
    "apple-mobile-web-app-status-bar-style",
    "msapplication-tilecolor",
    "x-ua-compatible",
];

/// Reads an HTML file. The charset comes from a BOM, else `<meta charset>`, else detection.
pub fn extract(path: &Path, limits: &Limits, deadline: &Deadline) -> Result<Extracted> {
    let bytes = text::read(path)?;
    from_bytes(path, &bytes, None, limits, deadline)
}

/// Extracts HTML bytes; `charset` (from a MIME header, say) outranks the page's own
/// `<meta charset>`. `path` is for error messages.
pub fn from_bytes(
    path: &Path,
    bytes: &[u8],
    charset: Option<&'static Encoding>,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Extracted> {
    let declared = charset.or_else(|| meta_charset(bytes));
    let html = decode::decode_declared(path, bytes, declared)?;
    let tree = Tree::parse(path, &html.text, limits, deadline)?;
    let mut extracted = tree.extract(deadline)?;
    extracted.replaced = html.replaced;
    Ok(extracted)
}

/// The charset a page declares in its first few kilobytes: `<meta charset="gbk">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let at = from + i + b"charset".len();
        from = at;
        let rest = &lower[at..];
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|&b| {
                matches!(b, b'"' | b'\'' | b';' | b'>' | b'/') || b.is_ascii_whitespace()
            })
            .unwrap_or(rest.len());
        if let Some(encoding) = Encoding::for_label(&rest[..end]) {
            return Some(encoding);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[derive(Clone, Copy)]
enum Selector {
    Id(&'static str),
    Class(&'static str),
    Tag(&'static str),
}

struct Element {
    name: String,
    id: String,
    class: String,
    children: Vec<Node>,
}

enum Node {
    Element(usize),
    Text(String),
}

/// The document as a tree of elements; element 0 is the root. A child's index is always
/// greater than its parent's.
struct Tree {
    elements: Vec<Element>,
    /// By element: whether a `table` is below it.
    has_table: Vec<bool>,
    title: String,
    meta: Vec<(String, String)>,
}

impl Tree {
    /// Builds the tree of a page, token by token, within the element limit and the deadline.
    fn parse(path: &Path, html: &str, limits: &Limits, deadline: &Deadline) -> Result<Tree> {
        let mut emitter = DefaultEmitter::default();
        // Script, style and title content must be read as raw text, not as markup.
        emitter.naively_switch_states(true);
        let mut tree = Tree::root_only();
        let mut stack = vec![0usize];
        let mut in_title = false;
        for token in Tokenizer::new_with_emitter(html, emitter) {
            let Ok(token) = token;
            deadline.check()?;
            tree.check_size(path, limits)?;
            match token {
                Token::StartTag(tag) => in_title = tree.start_tag(&mut stack, &tag),
                Token::EndTag(tag) => {
                    in_title = false;
                    tree.end_tag(&mut stack, &String::from_utf8_lossy(&tag.name));
                }
                Token::String(s) => tree.push_text(&stack, String::from_utf8_lossy(&s), in_title),
                _ => {}
            }
        }
        tree.mark_tables();
        Ok(tree)
    }

    /// A tree holding only the root element.
    fn root_only() -> Tree {
        Tree {
            elements: vec![element("#root", String::new(), String::new())],
            has_table: Vec::new(),
            title: String::new(),
            meta: Vec::new(),
        }
    }

    /// Fails once the tree holds more elements than one page may.
    fn check_size(&self, path: &Path, limits: &Limits) -> Result<()> {
        if self.elements.len() > limits.max_elements {
            bail!(
                "{}: more than {} HTML elements (the limit for one page; a larger --memory raises it)",
                path.display(),
                limits.max_elements
            );
        }
        Ok(())
    }

    /// Adds a start tag's element under the open one and opens it (unless void,
    /// self-closing or at [`MAX_DEPTH`]); returns whether it starts the page title.
    fn start_tag(&mut self, stack: &mut Vec<usize>, tag: &StartTag<()>) -> bool {
        let name = String::from_utf8_lossy(&tag.name).into_owned();
        if name == "meta" {
            self.push_meta(tag);
        }
        self.close_implied(stack, &name);
        let in_title = name == "title" && self.title.is_empty();
        let el = element(&name, attr(tag, "id"), attr(tag, "class"));
        let idx = self.push(open_element(stack), el);
        if !VOID.contains(&name.as_str()) && !tag.self_closing && stack.len() < MAX_DEPTH {
            stack.push(idx);
        }
        in_title
    }

    /// Keeps a `<meta name content>` pair unless it is empty or presentational.
    fn push_meta(&mut self, tag: &StartTag<()>) {
        let (key, content) = (attr(tag, "name"), attr(tag, "content"));
        let key = key.trim();
        if !key.is_empty()
            && !content.trim().is_empty()
            && !PRESENTATIONAL_META
                .iter()
                .any(|m| m.eq_ignore_ascii_case(key))
        {
            self.meta
                .push((key.to_string(), content.trim().to_string()));
        }
    }

    /// Closes the innermost open element an end tag names (never the root); `</br>` adds a
    /// line break instead.
    fn end_tag(&mut self, stack: &mut Vec<usize>, name: &str) {
        if name == "br" {
            // `</br>` is a line break in every browser.
            self.push(
                open_element(stack),
                element("br", String::new(), String::new()),
            );
        } else if let Some(pos) = stack.iter().rposition(|&i| self.elements[i].name == name)
            && pos > 0
        {
            stack.truncate(pos);
        }
    }

    /// Appends text to the open element (joined to text just before it), and to the page
    /// title when inside it.
    fn push_text(&mut self, stack: &[usize], s: Cow<'_, str>, in_title: bool) {
        if in_title {
            self.title.push_str(&s);
        }
        let parent = open_element(stack);
        match self.elements[parent].children.last_mut() {
            Some(Node::Text(t)) => t.push_str(&s),
            _ => self.elements[parent]
                .children
                .push(Node::Text(s.into_owned())),
        }
    }

    /// Fills `has_table`: for each element, whether a `table` is below it.
    fn mark_tables(&mut self) {
        // Children come after their parents: one backward pass sees every child first.
        self.has_table = vec![false; self.elements.len()];
        for idx in (0..self.elements.len()).rev() {
            self.has_table[idx] = self.elements[idx].children.iter().any(|child| {
                matches!(child, Node::Element(c) if self.elements[*c].name == "table" || self.has_table[*c])
            });
        }
    }

    fn push(&mut self, parent: usize, el: Element) -> usize {
        let idx = self.elements.len();
        self.elements.push(el);
        self.elements[parent].children.push(Node::Element(idx));
        idx
    }

    /// Closes what a start tag closes implicitly: a `<p>` open just above a block, the open
    /// list item before the next, the open cell or row before the next.
    fn close_implied(&self, stack: &mut Vec<usize>, name: &str) {
        let close = |stack: &mut Vec<usize>, names: &[&str], boundaries: &[&str]| {
            for pos in (1..stack.len()).rev() {
                let open = self.elements[stack[pos]].name.as_str();
                if names.contains(&open) {
                    stack.truncate(pos);
                    return;
                }
                if boundaries.contains(&open) {
                    return;
                }
            }
        };
        if BLOCKS.contains(&name)
            && stack.len() > 1
            && stack
                .last()
                .is_some_and(|&top| self.elements[top].name == "p")
        {
            stack.pop();
        }
        match name {
            "li" => close(stack, &["li"], &["ul", "ol", "table"]),
            "dt" | "dd" => close(stack, &["dt", "dd"], &["dl", "table"]),
            "tr" => close(stack, &["tr"], &["table"]),
            "td" | "th" => close(stack, &["td", "th"], &["tr", "table"]),
            "tbody" | "thead" | "tfoot" => close(stack, &["tbody", "thead", "tfoot"], &["table"]),
            _ => {}
        }
    }

    fn extract(&self, deadline: &Deadline) -> Result<Extracted> {
        let container = CONTAINERS.iter().find_map(|&s| self.find(0, s));
        let region = container
            .or_else(|| self.find(0, Selector::Tag("body")))
            .unwrap_or(0);

        // The metadata table sits outside the article on gov.cn pages; without a known
        // container it is taken from, and kept out of, the body.
        let mut metadata = self.meta.clone();
        let mut hidden = Vec::new();
        self.metadata_tables(0, container, &mut metadata, &mut hidden);
        if container.is_some() {
            hidden.clear();
        }

        let first_h1 = self.find_visible(region, "h1");
        let title = match first_h1 {
            Some(h1) => self.inline_text(h1),
            None => collapse(&self.title),
        };
        let mut out = Out::default();
        let mut skip: FxHashSet<usize> = hidden.into_iter().collect();
        skip.extend(first_h1);
        deadline.check()?;
        self.render(region, &mut out, &skip);
        deadline.check()?;
        out.flush();
        let mut lines = out.lines;
        drop_title_repeat(&mut lines, &title);

        let mut text = String::new();
        let mut markdown = out.markdown;
        if !title.is_empty() {
            text.push_str("# ");
            text.push_str(&title);
            text.push('\n');
            markdown = true;
        }
        for line in &lines {
            text.push_str(line);
            text.push('\n');
        }
        Ok(Extracted {
            text,
            markdown,
            metadata,
            replaced: 0,
        })
    }

    fn find(&self, idx: usize, selector: Selector) -> Option<usize> {
        let el = &self.elements[idx];
        let hit = match selector {
            Selector::Id(id) => el.id.eq_ignore_ascii_case(id),
            Selector::Class(class) => el
                .class
                .split_ascii_whitespace()
                .any(|c| c.eq_ignore_ascii_case(class)),
            Selector::Tag(tag) => el.name == tag,
        };
        if hit && idx != 0 {
            return Some(idx);
        }
        el.children.iter().find_map(|child| match child {
            Node::Element(c) => self.find(*c, selector),
            Node::Text(_) => None,
        })
    }

    /// The first `tag` element under `idx` that is not inside a skipped element.
    fn find_visible(&self, idx: usize, tag: &str) -> Option<usize> {
        let el = &self.elements[idx];
        if SKIPPED.contains(&el.name.as_str()) {
            return None;
        }
        if el.name == tag {
            return Some(idx);
        }
        el.children.iter().find_map(|child| match child {
            Node::Element(c) => self.find_visible(*c, tag),
            Node::Text(_) => None,
        })
    }

    /// Collects the pairs of every metadata table outside `container` into `metadata`, and
    /// the tables into `tables`.
    fn metadata_tables(
        &self,
        idx: usize,
        container: Option<usize>,
        metadata: &mut Vec<(String, String)>,
        tables: &mut Vec<usize>,
    ) {
        if Some(idx) == container || SKIPPED.contains(&self.elements[idx].name.as_str()) {
            return;
        }
        if self.elements[idx].name == "table"
            && let Some(pairs) = self.metadata_table(idx)
        {
            metadata.extend(pairs);
            tables.push(idx);
            return;
        }
        for child in &self.elements[idx].children {
            if let Node::Element(c) = child {
                self.metadata_tables(*c, container, metadata, tables);
            }
        }
    }

    /// The pairs of a table made only of "label：" cells each followed by its value cell,
    /// with at least two labels. Labels lose their inner spaces (索 引 号 → 索引号).
    fn metadata_table(&self, table: usize) -> Option<Vec<(String, String)>> {
        let rows = self.rows(table);
        if rows.iter().flatten().any(|&cell| self.has_table[cell]) {
            return None;
        }
        let mut pairs = Vec::new();
        let mut labels = 0;
        for row in &rows {
            let cells: Vec<String> = row.iter().map(|&c| self.inline_text(c)).collect();
            let mut i = 0;
            while i < cells.len() {
                if let Some(label) = metadata_label(&cells[i]) {
                    labels += 1;
                    let value = cells
                        .get(i + 1)
                        .filter(|v| metadata_label(v).is_none())
                        .map_or("", |v| v.trim());
                    if !value.is_empty() {
                        pairs.push((label, value.to_string()));
                        i += 1;
                    }
                } else if !cells[i].trim().is_empty() {
                    return None;
                }
                i += 1;
            }
        }
        (labels >= 2).then_some(pairs)
    }

    /// The rows of a table, each a list of its cells, nested tables excluded.
    fn rows(&self, table: usize) -> Vec<Vec<usize>> {
        fn walk(tree: &Tree, idx: usize, rows: &mut Vec<Vec<usize>>, top: bool) {
            let el = &tree.elements[idx];
            if !top && el.name == "table" {
                return;
            }
            match el.name.as_str() {
                "tr" => rows.push(Vec::new()),
                "td" | "th" => {
                    if rows.is_empty() {
                        rows.push(Vec::new());
                    }
                    if let Some(row) = rows.last_mut() {
                        row.push(idx);
                    }
                    return;
                }
                _ => {}
            }
            for child in &el.children {
                if let Node::Element(c) = child {
                    walk(tree, *c, rows, false);
                }
            }
        }
        let mut rows = Vec::new();
        walk(self, table, &mut rows, true);
        rows.retain(|r| !r.is_empty());
        rows
    }

    /// The text of an element on one line.
    fn inline_text(&self, idx: usize) -> String {
        let mut out = Out {
            inline: true,
            ..Out::default()
        };
        self.render(idx, &mut out, &FxHashSet::default());
        out.cur.trim().to_string()
    }

    fn render(&self, idx: usize, out: &mut Out, skip: &FxHashSet<usize>) {
        let el = &self.elements[idx];
        let name = el.name.as_str();
        if SKIPPED.contains(&name) || skip.contains(&idx) {
            return;
        }
        match name {
            "br" => out.flush(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if !out.inline => {
                out.flush();
                let text = self.inline_text(idx);
                if !text.is_empty() {
                    let level = usize::from(name.as_bytes()[1] - b'0');
                    out.lines.push(format!("{} {text}", "#".repeat(level)));
                    out.markdown = true;
                }
            }
            "table" if !out.inline => self.render_table(idx, out, skip),
            "pre" if !out.inline => {
                out.flush();
                out.pre += 1;
                self.render_children(idx, out, skip);
                out.pre -= 1;
                out.flush();
            }
            _ if BLOCKS.contains(&name) => {
                out.flush();
                self.render_children(idx, out, skip);
                out.flush();
            }
            _ => self.render_children(idx, out, skip),
        }
    }

    fn render_children(&self, idx: usize, out: &mut Out, skip: &FxHashSet<usize>) {
        for child in &self.elements[idx].children {
            match child {
                Node::Element(c) => self.render(*c, out, skip),
                Node::Text(t) => out.text(t),
            }
        }
    }

    /// A data table gives one line per row, cells separated by a tab. A layout table (a
    /// cell holding another table, or a single column) is read cell by cell as blocks.
    fn render_table(&self, table: usize, out: &mut Out, skip: &FxHashSet<usize>) {
        out.flush();
        let rows = self.rows(table);
        // A cell holding a table is checked first: the text of cells is only gathered when
        // none does, so nested tables are not each read again by every table around them.
        let layout = rows.iter().flatten().any(|&c| self.has_table[c])
            || rows.iter().all(|row| {
                row.iter()
                    .filter(|&&c| !self.inline_text(c).is_empty())
                    .count()
                    <= 1
            });
        for child in &self.elements[table].children {
            if let Node::Element(c) = child
                && self.elements[*c].name == "caption"
            {
                self.render(*c, out, skip);
            }
        }
        for row in rows {
            if layout {
                for cell in row {
                    out.flush();
                    self.render_children(cell, out, skip);
                    out.flush();
                }
            } else {
                let cells: Vec<String> = row
                    .iter()
                    .filter(|c| !skip.contains(c))
                    .map(|&c| self.inline_text(c))
                    .filter(|t| !t.is_empty())
                    .collect();
                if !cells.is_empty() {
                    out.lines.push(plain_line(&cells.join("\t")).into_owned());
                }
            }
        }
        out.flush();
    }
}

/// The innermost open element: the last of the stack, else the root.
fn open_element(stack: &[usize]) -> usize {
    stack.last().copied().unwrap_or(0)
}

/// A start tag's attribute as a string; empty when the tag lacks it.
fn attr(tag: &StartTag<()>, key: &str) -> String {
    tag.attributes
        .get(key.as_bytes())
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .unwrap_or_default()
}

fn element(name: &str, id: String, class: String) -> Element {
    Element {
        name: name.to_string(),
        id,
        class,
        children: Vec::new(),
    }
}

/// "发文字号：" → "发文字号"; `None` for anything that is not a short label.
fn metadata_label(cell: &str) -> Option<String> {
    let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let label = compact
        .strip_suffix('：')
        .or_else(|| compact.strip_suffix(':'))?;
    let n = label.chars().count();
    ((1..=10).contains(&n) && !label.contains(['。', '，', '：', ':'])).then(|| label.to_string())
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(text: &str) -> String {
    let mut out = Out {
        inline: true,
        ..Out::default()
    };
    out.text(text);
    out.cur.trim().to_string()
}

/// Drops the first lines of the body when together they only repeat the title (gov.cn
/// pages repeat it, often broken over two lines, above the document).
fn drop_title_repeat(lines: &mut Vec<String>, title: &str) {
    let key = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let title = key(title);
    if title.is_empty() {
        return;
    }
    let mut joined = String::new();
    for n in 1..=lines.len().min(3) {
        joined.push_str(&key(&lines[n - 1]));
        if joined == title {
            lines.drain(..n);
            return;
        }
        if !title.starts_with(&joined) {
            return;
        }
    }
}

/// Lines being built.
#[derive(Default)]
struct Out {
    lines: Vec<String>,
    cur: String,
    /// Whitespace seen since the last character: `Some(true)` if it held a line break.
    pending: Option<bool>,
    /// Build one line only: block boundaries become spaces.
    inline: bool,
    /// Inside `<pre>`: line breaks are kept.
    pre: usize,
    /// A heading line was written.
    markdown: bool,
}

impl Out {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if self.pre > 0 && c == '\n' && !self.inline {
                self.flush();
                continue;
            }
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '\u{a0}') {
                let newline = matches!(c, '\n' | '\r');
                self.pending = Some(self.pending.unwrap_or(false) || newline);
                continue;
            }
            if c == '\u{200b}' || c == '\u{feff}' {
                continue;
            }
            if let Some(newline) = self.pending.take()
                && let Some(last) = self.cur.chars().next_back()
                // A line break in the source between two Chinese characters is source
                // formatting; a space there would split words.
                && !(newline && is_wide(last) && is_wide(c))
            {
                self.cur.push(' ');
            }
            self.cur.push(c);
        }
    }

    fn flush(&mut self) {
        if self.inline {
            if !self.cur.is_empty() {
                self.pending = Some(false);
            }
            return;
        }
        let line = self.cur.trim();
        if !line.is_empty() {
            self.lines.push(plain_line(line).into_owned());
        }
        self.cur.clear();
        self.pending = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOV: &str = "tests/fixtures/html/2019-02-15_国发〔2019〕5号.html";

    fn from_str(html: &str) -> Extracted {
        let path = Path::new("t.html");
        let deadline = Deadline::new(path, Limits::default().time);
        let tree = Tree::parse(path, html, &Limits::default(), &deadline).unwrap();
        tree.extract(&deadline).unwrap()
    }

    fn extract(path: &Path) -> Result<Extracted> {
        super::super::extract(path, super::super::Format::Html)
    }

    fn meta<'a>(doc: &'a Extracted, key: &str) -> Option<&'a str> {
        doc.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn gov_cn_page_metadata_and_body() {
        let doc = extract(Path::new(GOV)).unwrap();
        assert_eq!(meta(&doc, "发文字号"), Some("国发〔2019〕5号"));
        assert_eq!(meta(&doc, "成文日期"), Some("2019年01月27日"));
        assert_eq!(meta(&doc, "发布日期"), Some("2019年02月15日"));
        assert_eq!(meta(&doc, "发文机关"), Some("国务院"));
        assert_eq!(meta(&doc, "主题分类"), Some("市场监管、安全生产监管\\工商"));
        assert_eq!(meta(&doc, "索引号"), Some("000014349/2019-00007"));
        assert_eq!(
            meta(&doc, "标题"),
            Some("国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见")
        );
        assert!(meta(&doc, "主题词").is_none());
        assert_eq!(
            meta(&doc, "source-url"),
            Some("http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm")
        );
        assert!(doc.markdown);
        let lines: Vec<&str> = doc.text.lines().collect();
        assert_eq!(
            lines[0],
            "# 国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"
        );
        // The title repeated over two lines at the top of the body is dropped.
        assert_eq!(lines[1], "国发〔2019〕5号");
        assert_eq!(
            lines[2],
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
        );
        assert!(lines.contains(&"一、总体要求"));
        assert!(lines.iter().any(|l| {
            l.starts_with("坚持全面覆盖。将“双随机、一公开”作为市场监管的基本手段和方式")
        }));
        assert_eq!(lines.last(), Some(&"（此件公开发布）"));
        for boilerplate in [
            "索 引 号",
            "发文字号",
            "扫一扫",
            "主 题 词",
            "function",
            "{",
        ] {
            assert!(!doc.text.contains(boilerplate), "{boilerplate}");
        }
        let split = crate::ingest::passage::split(Path::new(GOV), &doc);
        assert_eq!(
            split.title,
            "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"
        );
    }

    #[test]
    fn blocks_tables_headings_and_entities() {
        let html = "<html><head><title>页面标题</title><style>p{}</style>\
            <script>var a = '<p>不要</p>';</script></head><body>\
            <nav><a>首页</a></nav><header>站点</header>\
            <h1>办法&nbsp;全文</h1><p>第一段&lt;一&gt;&amp;&#x4E8C;<br>第二行</p>\
            <div>块<span>内</span>文字</div><ul><li>甲<li>乙</ul>\
            <h2>第一章\n总则</h2><p>中文\n换行 English\nwords</p>\
            <table><tr><th>项目</th><th>金额</th></tr><tr><td><p>工资</p></td><td>100</td></tr></table>\
            <p># 不是标题</p><footer>版权所有</footer></body></html>";
        let doc = from_str(html);
        assert_eq!(
            doc.text,
            "# 办法 全文\n第一段<一>&二\n第二行\n块内文字\n甲\n乙\n## 第一章总则\n\
             中文换行 English words\n项目\t金额\n工资\t100\n＃ 不是标题\n"
        );
        assert!(doc.markdown);
    }

    #[test]
    fn title_without_h1_and_metadata_without_container() {
        let html = "<title> 某某通知 </title><body><table>\
            <tr><td>发文字号：</td><td>国发〔2020〕1号</td><td>成文日期：</td><td>2020年1月1日</td></tr>\
            </table><p>某某通知</p><p>正文。</p></body>";
        let doc = from_str(html);
        assert_eq!(doc.text, "# 某某通知\n正文。\n");
        assert_eq!(
            doc.metadata,
            [
                ("发文字号".to_string(), "国发〔2020〕1号".to_string()),
                ("成文日期".to_string(), "2020年1月1日".to_string()),
            ]
        );
    }

    #[test]
    fn charset_from_meta() {
        let (body, _, _) = encoding_rs::GBK.encode("<p>中华人民共和国国务院令</p>");
        let mut bytes = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>".to_vec();
        bytes.extend_from_slice(&body);
        assert_eq!(meta_charset(&bytes), Some(encoding_rs::GBK));
        let path = Path::new("a.html");
        let deadline = Deadline::new(path, Limits::default().time);
        let doc = from_bytes(path, &bytes, None, &Limits::default(), &deadline).unwrap();
        assert_eq!(doc.text, "中华人民共和国国务院令\n");
    }
}
