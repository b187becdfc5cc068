//! DOCX: the paragraphs of `word/document.xml`, one per line; paragraphs in a heading style
//! (Heading 1–9, Title, 标题 N, or an outline level) as markdown headings; table rows as
//! lines of tab-separated cells; altChunk parts (embedded HTML or MHT, which some
//! converters use instead of Word paragraphs) through the HTML extractor. Headers,
//! footers, footnotes and deleted revisions are left out.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use anyhow::{Context, Result, bail};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;
use zip::result::ZipError;

use super::{Deadline, Extracted, Limits, decode, html, mht, plain_line};

/// Tables nested deeper than this are read as text of the cell that holds them: each level
/// copies the rows below it into its own cell, which deep nesting would make quadratic.
const MAX_TABLE_DEPTH: usize = 32;

pub fn extract(path: &Path, limits: &Limits, deadline: &Deadline) -> Result<Extracted> {
    let file = File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    from_reader(path, BufReader::new(file), limits, deadline)
}

/// Extracts a docx from any seekable reader; `path` is for messages.
pub fn from_reader<R: Read + Seek>(
    path: &Path,
    reader: R,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Extracted> {
    let zip = ZipArchive::new(reader).with_context(|| {
        format!(
            "{}: not a docx (not a zip archive: an old .doc, or encrypted?)",
            path.display()
        )
    })?;
    let mut parts = Parts {
        path,
        zip,
        left: limits.max_input,
        limit: limits.max_input,
        replaced: 0,
    };
    let main = main_part(&mut parts)?;
    let Some(xml) = parts.text(&main)? else {
        bail!("{}: not a docx (no {main})", path.display());
    };
    let rels_path = match main.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{main}.rels"),
    };
    let base = main.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
    let rels = parts
        .text(&rels_path)?
        .map(|x| relationships(&x, &base))
        .unwrap_or_default();
    let styles = parts
        .text(&format!("{base}/styles.xml"))?
        .map(|x| heading_styles(&x))
        .unwrap_or_default();

    let mut out = Body::default();
    if let Some(core) = parts.text("docProps/core.xml")? {
        out.metadata = core_properties(&core);
    }
    let mut replaced = 0;
    body(&xml, &styles, &mut out, deadline, &mut |id| {
        let chunk = alt_chunk(
            &mut parts,
            rels.get(id).map(String::as_str),
            limits,
            deadline,
        )?;
        replaced += chunk.as_ref().map_or(0, |c| c.replaced);
        Ok(chunk)
    })
    .map_err(|e| match e.downcast::<quick_xml::Error>() {
        Ok(xml_error) => {
            anyhow::anyhow!("{}: malformed {main}: {xml_error}", path.display())
        }
        // Errors of altChunk parts and the deadline name the file already.
        Err(e) => e,
    })?;

    let mut text = String::new();
    for line in &out.lines {
        text.push_str(line);
        text.push('\n');
    }
    Ok(Extracted {
        text,
        markdown: out.markdown,
        metadata: out.metadata,
        replaced: parts.replaced + replaced,
    })
}

/// The parts of the archive, read within one budget of decompressed bytes for the whole
/// file: a part that inflates far beyond its size (a zip bomb), whatever size the archive
/// claims for it, or one read over and over (altChunks naming the same part), stops there.
struct Parts<'a, R> {
    path: &'a Path,
    zip: ZipArchive<R>,
    /// Bytes the file may still decompress.
    left: u64,
    limit: u64,
    /// Malformed byte sequences replaced while decoding parts.
    replaced: usize,
}

impl<R: Read + Seek> Parts<'_, R> {
    /// A part's bytes; `None` if the archive has no such part.
    fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        let path = self.path;
        let file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(e).with_context(|| format!("{}: cannot read {name}", path.display()));
            }
        };
        let mut bytes = Vec::new();
        file.take(self.left + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("{}: cannot read {name}", path.display()))?;
        if bytes.len() as u64 > self.left {
            bail!(
                "{}: decompresses to more than the {} one file may hold (at {name}): a zip bomb, \
                 or a document too large (a larger --memory raises it)",
                path.display(),
                super::megabytes(self.limit)
            );
        }
        self.left -= bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// A part's text, decoded.
    fn text(&mut self, name: &str) -> Result<Option<String>> {
        match self.bytes(name)? {
            Some(bytes) => {
                let decoded = decode::decode(&self.path.join(name), &bytes)?;
                self.replaced += decoded.replaced;
                Ok(Some(decoded.text))
            }
            None => Ok(None),
        }
    }
}

/// The main document part, as `_rels/.rels` names it (nearly always `word/document.xml`).
fn main_part<R: Read + Seek>(parts: &mut Parts<R>) -> Result<String> {
    let fallback = "word/document.xml".to_string();
    let Some(rels) = parts.text("_rels/.rels")? else {
        return Ok(fallback);
    };
    let mut reader = Reader::from_str(&rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if attr(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"))
                    && let Some(target) = attr(&e, "Target")
                {
                    return Ok(resolve("", &target));
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(fallback),
            _ => {}
        }
    }
}

/// A relationship target as a part name: `/word/x.mht` and `x.mht` (from `word/`) are both
/// `word/x.mht`.
fn resolve(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Relationship id → part name, for the internal targets of a `.rels` part.
fn relationships(xml: &str, base: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if attr(&e, "TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    map.insert(id, resolve(base, &target));
                }
            }
            Ok(Event::Eof) | Err(_) => return map,
            _ => {}
        }
    }
}

/// Paragraph style id → heading level, from `styles.xml`: styles named "heading N",
/// "标题 N", "Title"/"标题", or with an outline level, and styles based on them.
fn heading_styles(xml: &str) -> HashMap<String, usize> {
    struct Style {
        name: String,
        based_on: Option<String>,
        outline: Option<usize>,
    }
    let mut styles: HashMap<String, Style> = HashMap::new();
    let mut current: Option<(String, Style)> = None;
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e))
                if e.local_name().as_ref() == "style"
                    && attr(&e, "type").as_deref().unwrap_or("paragraph") == "paragraph" =>
            {
                current = attr(&e, "styleId").map(|id| {
                    let style = Style {
                        name: String::new(),
                        based_on: None,
                        outline: None,
                    };
                    (id, style)
                });
            }
            Ok(Event::Start(e) | Event::Empty(e)) => {
                if let Some((_, style)) = current.as_mut() {
                    match e.local_name().as_ref() {
                        "name" => style.name = attr(&e, "val").unwrap_or_default(),
                        "basedOn" => style.based_on = attr(&e, "val"),
                        "outlineLvl" => style.outline = outline_level(&e),
                        _ => {}
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                if let Some((id, style)) = current.take() {
                    styles.insert(id, style);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let mut levels = HashMap::new();
    for id in styles.keys() {
        let mut next = Some(id.as_str());
        // basedOn chains are short; the bound guards against cycles.
        for _ in 0..10 {
            let Some(style) = next.and_then(|i| styles.get(i)) else {
                break;
            };
            if let Some(level) = level_from_name(&style.name).or(style.outline) {
                levels.insert(id.clone(), level);
                break;
            }
            next = style.based_on.as_deref();
        }
    }
    levels
}

/// "heading 2", "Heading2", "标题 2" → 2; "Title", "标题" → 1.
fn level_from_name(name: &str) -> Option<usize> {
    let lower = name.trim().to_lowercase();
    if lower == "title" || lower == "标题" {
        return Some(1);
    }
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?;
    let n: usize = rest.trim().parse().ok()?;
    (1..=9).contains(&n).then_some(n.min(6))
}

/// `<w:outlineLvl w:val="0"/>` is a level-1 heading; 9 means body text.
fn outline_level(e: &BytesStart) -> Option<usize> {
    let v: usize = attr(e, "val")?.parse().ok()?;
    (v < 9).then_some((v + 1).min(6))
}

/// The value of the attribute with this local name (whatever its namespace prefix).
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// The properties of `docProps/core.xml` (dc:title, dc:creator, dcterms:created, ...),
/// keyed by their element names.
fn core_properties(xml: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, String)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() != "coreProperties" => {
                let name = e.name().as_ref().to_string();
                current = Some((name, String::new()));
            }
            Ok(Event::Text(t)) => {
                if let Some((_, value)) = current.as_mut() {
                    value.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some((_, value)) = current.as_mut() {
                    value.extend(entity(&r));
                }
            }
            Ok(Event::End(_)) => {
                if let Some((name, value)) = current.take()
                    && !value.trim().is_empty()
                {
                    pairs.push((name, value.trim().to_string()));
                }
            }
            Ok(Event::Eof) | Err(_) => return pairs,
            _ => {}
        }
    }
}

/// `&amp;` → `&`, `&#x4E2D;` → `中`.
fn entity(r: &str) -> Option<char> {
    if let Some(num) = r.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n);
    }
    match r {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// The document being written.
#[derive(Default)]
struct Body {
    lines: Vec<String>,
    markdown: bool,
    metadata: Vec<(String, String)>,
}

#[derive(Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
    outline: Option<usize>,
}

#[derive(Default)]
struct Table {
    row: Vec<String>,
    cell: String,
}

/// Walks `document.xml`. `alt_chunk` turns an altChunk relationship id into its extracted
/// text.
fn body(
    xml: &str,
    styles: &HashMap<String, usize>,
    out: &mut Body,
    deadline: &Deadline,
    alt_chunk: &mut dyn FnMut(&str) -> Result<Option<Extracted>>,
) -> Result<()> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut open = Open::default();
    // Depth inside an element whose content is skipped (mc:Fallback repeats mc:Choice).
    let mut skip = 0usize;
    for n in 0u64.. {
        if n % 1024 == 0 {
            deadline.check()?;
        }
        let event = reader.read_event()?;
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) if e.local_name().as_ref() == "Fallback" => skip = 1,
            Event::Start(e) => open.start(&e, out, alt_chunk)?,
            Event::Empty(e) => {
                let name = e.local_name();
                empty_element(
                    name.as_ref(),
                    &e,
                    &mut open.paragraphs,
                    open.in_run,
                    out,
                    alt_chunk,
                )?;
            }
            Event::End(e) => open.end(e.local_name().as_ref(), styles, out),
            Event::Text(t) if open.in_text => {
                if let Some(p) = open.paragraphs.last_mut() {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if open.in_text => {
                if let Some(p) = open.paragraphs.last_mut() {
                    p.text.extend(entity(&r));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// The elements of the body open where the reader stands.
#[derive(Default)]
struct Open {
    paragraphs: Vec<Paragraph>,
    tables: Vec<Table>,
    /// Tables open below MAX_TABLE_DEPTH, read as text of the deepest cell.
    flattened: usize,
    in_text: bool,
    in_run: usize,
}

impl Open {
    fn start(
        &mut self,
        e: &BytesStart,
        out: &mut Body,
        alt_chunk: &mut dyn FnMut(&str) -> Result<Option<Extracted>>,
    ) -> Result<()> {
        match e.local_name().as_ref() {
            "p" => self.paragraphs.push(Paragraph::default()),
            "r" => self.in_run += 1,
            "t" => self.in_text = true,
            "tbl" if self.tables.len() >= MAX_TABLE_DEPTH => self.flattened += 1,
            "tbl" => self.tables.push(Table::default()),
            "tr" if self.flattened == 0 => {
                if let Some(t) = self.tables.last_mut() {
                    t.row.clear();
                }
            }
            name => empty_element(name, e, &mut self.paragraphs, self.in_run, out, alt_chunk)?,
        }
        Ok(())
    }

    fn end(&mut self, name: &str, styles: &HashMap<String, usize>, out: &mut Body) {
        match name {
            "t" => self.in_text = false,
            "r" => self.in_run = self.in_run.saturating_sub(1),
            "p" => {
                if let Some(p) = self.paragraphs.pop() {
                    finish_paragraph(p, styles, &mut self.tables, out);
                }
            }
            "tc" | "tr" if self.flattened > 0 => {}
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let cell = std::mem::take(&mut t.cell);
                    t.row.push(cell.trim().to_string());
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    let cells: Vec<&str> = t
                        .row
                        .iter()
                        .map(String::as_str)
                        .filter(|c| !c.is_empty())
                        .collect();
                    let line = cells.join("\t");
                    t.row.clear();
                    emit_row(line, &mut self.tables, out);
                }
            }
            "tbl" if self.flattened > 0 => self.flattened -= 1,
            "tbl" => {
                self.tables.pop();
            }
            _ => {}
        }
    }
}

/// Elements that matter whether written `<x/>` or `<x>…</x>`.
fn empty_element(
    name: &str,
    e: &BytesStart,
    paragraphs: &mut [Paragraph],
    in_run: usize,
    out: &mut Body,
    alt_chunk: &mut dyn FnMut(&str) -> Result<Option<Extracted>>,
) -> Result<()> {
    let para = paragraphs.last_mut();
    match (name, para) {
        ("pStyle", Some(p)) => p.style = attr(e, "val"),
        ("outlineLvl", Some(p)) => p.outline = outline_level(e),
        ("tab", Some(p)) if in_run > 0 => p.text.push('\t'),
        ("br" | "cr", Some(p)) if in_run > 0 => p.text.push('\n'),
        ("noBreakHyphen", Some(p)) if in_run > 0 => p.text.push('-'),
        ("altChunk", _) => {
            if let Some(id) = attr(e, "id")
                && let Some(chunk) = alt_chunk(&id)?
            {
                out.lines.extend(chunk.text.lines().map(str::to_string));
                out.markdown |= chunk.markdown;
                out.metadata.extend(chunk.metadata);
            }
        }
        _ => {}
    }
    Ok(())
}

fn finish_paragraph(
    p: Paragraph,
    styles: &HashMap<String, usize>,
    tables: &mut [Table],
    out: &mut Body,
) {
    let text = p.text.trim();
    if text.is_empty() {
        return;
    }
    if let Some(table) = tables.last_mut() {
        // Paragraphs of a cell share its line.
        if !table.cell.is_empty() {
            table.cell.push(' ');
        }
        table.cell.push_str(&text.replace('\n', " "));
        return;
    }
    let level = p
        .outline
        .or_else(|| p.style.as_deref().and_then(|s| styles.get(s).copied()))
        .or_else(|| p.style.as_deref().and_then(level_from_name));
    match level {
        Some(level) => {
            let heading: Vec<&str> = text.split_whitespace().collect();
            out.lines
                .push(format!("{} {}", "#".repeat(level), heading.join(" ")));
            out.markdown = true;
        }
        None => {
            for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
                out.lines.push(plain_line(line).into_owned());
            }
        }
    }
}

/// A finished table row: a line of the body, or, in a nested table, text of the outer cell.
fn emit_row(line: String, tables: &mut [Table], out: &mut Body) {
    if line.is_empty() {
        return;
    }
    let n = tables.len();
    if n >= 2 {
        let outer = &mut tables[n - 2];
        if !outer.cell.is_empty() {
            outer.cell.push(' ');
        }
        outer.cell.push_str(&line.replace('\t', " "));
    } else {
        out.lines.push(plain_line(&line).into_owned());
    }
}

/// The text of an altChunk part: HTML, MHT (MIME HTML) or plain text. Other kinds (an
/// embedded docx or RTF) are skipped.
fn alt_chunk<R: Read + Seek>(
    parts: &mut Parts<R>,
    part: Option<&str>,
    limits: &Limits,
    deadline: &Deadline,
) -> Result<Option<Extracted>> {
    let Some(part) = part else {
        return Ok(None);
    };
    let Some(bytes) = parts.bytes(part)? else {
        return Ok(None);
    };
    let path = parts.path;
    let lower = part.to_ascii_lowercase();
    let inner = path.join(part);
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    if lower.ends_with(".mht") || lower.ends_with(".mhtml") || head.starts_with("mime-version") {
        let html_part =
            mht::html_part(&bytes).with_context(|| format!("{}: {part}", path.display()))?;
        return html::from_bytes(
            &inner,
            &html_part.bytes,
            html_part.charset,
            limits,
            deadline,
        )
        .map(Some);
    }
    if lower.ends_with(".htm") || lower.ends_with(".html") || lower.ends_with(".xhtml") {
        return html::from_bytes(&inner, &bytes, None, limits, deadline).map(Some);
    }
    if lower.ends_with(".txt") {
        let decoded = decode::decode(&inner, &bytes)?;
        return Ok(Some(Extracted {
            text: decoded.text,
            replaced: decoded.replaced,
            ..Extracted::default()
        }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;

    use super::*;

    const FLAG_LAW: &str = "tests/fixtures/docx/中华人民共和国国旗法.docx";

    fn extract(path: &Path) -> Result<Extracted> {
        super::super::extract(path, super::super::Format::Docx)
    }
    const REPORT: &str = "tests/fixtures/docx/2025年西藏政府工作报告.docx";

    /// A docx made of the given parts, written to a temporary file.
    fn docx(name: &str, parts: &[(&str, &str)]) -> std::path::PathBuf {
        let mut buf = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (part, content) in parts {
            zip.start_file(*part, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        let dir = std::env::temp_dir().join(format!("zhengce-docx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, buf.into_inner()).unwrap();
        path
    }

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    #[test]
    fn headings_tables_tabs_and_breaks() {
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>
            <w:p><w:pPr><w:pStyle w:val="a3"/></w:pPr><w:r><w:t>某某条例</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="1"/><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>第一章</w:t></w:r><w:r><w:tab/><w:t>总则</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">　　第一条 为了</w:t></w:r><w:r><w:t>规范&amp;管理。</w:t></w:r><w:r><w:br/><w:t>第二行</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>第一节</w:t></w:r></w:p>
            <w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>小标题</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>金额</w:t></w:r></w:p><w:p><w:r><w:t>（元）</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>工资</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>100</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r><w:del><w:r><w:delText>删除的</w:delText></w:r></w:del></w:p>
            <w:p><w:r><w:t># 不是标题</w:t></w:r></w:p>
            </w:body></w:document>"#
        );
        let styles = format!(
            r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>
            <w:style w:type="character" w:styleId="10"><w:name w:val="标题 1 字符"/></w:style></w:styles>"#
        );
        let core = r#"<cp:coreProperties xmlns:cp="a" xmlns:dc="b"><dc:title>条例</dc:title><dc:creator></dc:creator></cp:coreProperties>"#;
        let path = docx(
            "styled.docx",
            &[
                ("word/document.xml", &document),
                ("word/styles.xml", &styles),
                ("docProps/core.xml", core),
            ],
        );
        let doc = extract(&path).unwrap();
        assert_eq!(
            doc.text,
            "# 某某条例\n# 第一章 总则\n第一条 为了规范&管理。\n第二行\n## 第一节\n### 小标题\n\
             项目\t金额 （元）\n工资\t100\n文本框\n正文\n＃ 不是标题\n"
        );
        assert!(doc.markdown);
        assert_eq!(doc.metadata, [("dc:title".to_string(), "条例".to_string())]);
        let split = crate::ingest::passage::split(&path, &doc);
        assert_eq!(split.title, "某某条例");
        let texts: Vec<&str> = split.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts[..3],
            ["某某条例", "第一章 总则", "第一条 为了规范&管理。"]
        );
        assert_eq!(split.passages[2].heading, ["第一章 总则"]);
    }

    #[test]
    fn alt_chunk_mht_is_read_as_html() {
        let doc = extract(Path::new(FLAG_LAW)).unwrap();
        let lines: Vec<&str> = doc.text.lines().collect();
        assert_eq!(lines[0], "# 中华人民共和国国旗法");
        assert!(lines.contains(
            &"第二条 中华人民共和国国旗是五星红旗。中华人民共和国国旗按照中国人民政治协商会议第一届全体会议主席团公布的国旗制法说明制作。"
        ));
        // <br /> inside a paragraph starts a new line; entities are decoded.
        assert!(lines.contains(&"（一）北京天安门广场、新华门；"));
        assert!(
            doc.text
                .contains("《关于修改<中华人民共和国国旗法>的决定》")
        );
        assert!(!doc.text.contains("=3D") && !doc.text.contains("border-collapse"));
        assert!(doc.markdown);
    }

    #[test]
    fn plain_word_report() {
        let doc = extract(Path::new(REPORT)).unwrap();
        let lines: Vec<&str> = doc.text.lines().collect();
        assert!(lines.len() > 40, "{}", lines.len());
        assert!(doc.text.contains("西藏自治区"));
        assert!(!doc.markdown);
        assert!(!doc.text.contains('<'));
    }

    #[test]
    fn not_a_zip_is_an_error_naming_the_file() {
        let err = extract(Path::new("tests/fixtures/encoding/xinhua_2000.txt"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("xinhua_2000.txt") && err.contains("not a docx"),
            "{err}"
        );
    }
}
