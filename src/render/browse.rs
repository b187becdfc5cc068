//! `stats`, `list` and `show` as terminal text.

use std::io::Write;

use anyhow::Result;

use crate::index::HEADING_SEPARATOR;
use crate::index::catalog::Brief;
use crate::search::browse::{Shown, Stats};

pub fn stats(out: &mut impl Write, s: &Stats) -> Result<()> {
    writeln!(out, "documents     {}", s.documents)?;
    writeln!(out, "passages      {}", s.passages)?;
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "formats       {}", counts(&s.by_format))?;
    writeln!(out, "folders       {}", counts(&s.by_folder))?;
    match &s.date_range {
        Some((from, to)) => writeln!(out, "dates         {from} .. {to}")?,
        None => writeln!(out, "dates         unknown")?,
    }
    writeln!(out, "text          {:.1} MB", s.text_bytes as f64 / 1e6)?;
    writeln!(out, "index size    {:.1} MB", s.index_bytes as f64 / 1e6)?;
    writeln!(out, "last update   {}", s.last_update)?;
    let top: Vec<String> = s
        .top_keyphrases
        .iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect();
    writeln!(out, "key phrases   {}", top.join(" · "))?;
    let c = &s.coverage;
    let share = |n: usize| {
        let percent = if s.documents == 0 {
            0.0
        } else {
            n as f64 * 100.0 / s.documents as f64
        };
        format!("{n} ({percent:.0}%)")
    };
    writeln!(
        out,
        "known         date {} · in force from {} · issuer {} · number {} · type {}",
        share(c.date),
        share(c.effective),
        share(c.issuer),
        share(c.doc_number),
        share(c.doc_type)
    )?;
    Ok(())
}

/// One line of `list`.
pub fn listed(out: &mut impl Write, path: &str, b: &Brief) -> Result<()> {
    let extra: Vec<&str> = [&b.doc_number, &b.issuer, &b.doc_type, &b.date]
        .into_iter()
        .flatten()
        .map(|v| v.as_ref())
        .collect();
    writeln!(
        out,
        "{path}\t《{}》\t{}\t{}",
        b.title,
        super::counted(b.passages, "passage"),
        extra.join(" ")
    )?;
    Ok(())
}

pub fn show(out: &mut impl Write, s: &Shown) -> Result<()> {
    writeln!(out, "{}  《{}》", s.path, s.title)?;
    let mut heading = String::new();
    for p in &s.passages {
        if p.heading != heading && !p.heading.is_empty() {
            writeln!(out, "\n## {}", p.heading.replace(HEADING_SEPARATOR, " › "))?;
        }
        heading = p.heading.clone();
        let marker = if p.focus { ">" } else { " " };
        writeln!(
            out,
            "{marker}{:>5}  {}",
            p.passage,
            p.text.replace('\n', "\n        ")
        )?;
    }
    Ok(())
}

/// `cites` and `cited-by`: one line per reference, where it stands, what it cites and where
/// that is in the index.
pub fn citations(out: &mut impl Write, refs: &[crate::search::citations::Cited]) -> Result<()> {
    for r in refs {
        let place = match &r.from_article {
            Some(a) => format!("{}:{} {a}", r.from, r.passage),
            None => format!("{}:{}", r.from, r.passage),
        };
        let cited = match (&r.title, &r.number, r.own) {
            (Some(t), _, _) => format!("《{t}》{}", r.article.as_deref().unwrap_or_default()),
            (None, Some(n), _) => n.clone(),
            (None, None, _) => format!("本文{}", r.article.as_deref().unwrap_or_default()),
        };
        let found = match (&r.to, r.to_passage, r.article_found) {
            (None, _, _) => "not in the index".to_string(),
            (Some(to), Some(p), _) => format!("{to}:{p}"),
            (Some(to), None, Some(false)) => format!("{to} (which has no such article)"),
            (Some(to), None, _) => to.clone(),
        };
        let status = match (&r.to_status, &r.to_version) {
            (Some(s), Some(v)) => format!(" [{v} · {s}]"),
            (Some(s), None) => format!(" [{s}]"),
            _ => String::new(),
        };
        writeln!(out, "{place}  {cited} → {found}{status}")?;
    }
    Ok(())
}

/// `verify`: one line per check, `yes` or `no`, with what was found.
pub fn verdict(out: &mut impl Write, v: &crate::search::verify::Verdict) -> Result<()> {
    let Some(path) = &v.document else {
        writeln!(out, "document  no   not in the index")?;
        return Ok(());
    };
    let title = v.title.as_deref().unwrap_or_default();
    writeln!(out, "document  yes  《{title}》 {path}")?;
    let article = v.article.as_deref().unwrap_or_default();
    match v.passage {
        Some(p) => writeln!(out, "article   yes  {article} ({path}:{p})")?,
        None => writeln!(out, "article   no   {article} is not in this text")?,
    }
    match v.text_matches {
        Some(true) => writeln!(out, "text      yes  the quote matches the article")?,
        Some(false) => {
            let marked = crate::search::textdiff::marked(&v.differences);
            writeln!(out, "text      no   {marked}")?;
            writeln!(
                out,
                "               ([-…-] quoted, not in the article; {{+…+}} in the article, not quoted)"
            )?;
            if let Some(other) = &v.matches_version {
                writeln!(out, "               the quote matches the {other} version")?;
            }
        }
        None => writeln!(out, "text      -    nothing quoted")?,
    }
    let version = v.version.as_deref().unwrap_or("the only version");
    let status = v.status.as_deref().unwrap_or("status unknown");
    match (&v.superseded_by_version, v.current) {
        (_, true) => writeln!(out, "current   yes  {version}, {status}")?,
        (Some(next), false) => writeln!(
            out,
            "current   no   {version}, {status}: replaced by the {next} version"
        )?,
        (None, false) => writeln!(out, "current   no   {version}, {status}")?,
    }
    Ok(())
}

/// `diff`: the versions compared, then one line per article that is not the same, its edits
/// marked `[-removed-]{+added+}`, and how many are the same.
pub fn comparison(out: &mut impl Write, c: &crate::search::compare::Comparison) -> Result<()> {
    let side = |s: &crate::search::compare::Side| match &s.version {
        Some(v) => format!("{v} ({})", s.path),
        None => s.path.clone(),
    };
    writeln!(out, "《{}》 {} → {}", c.title, side(&c.from), side(&c.to))?;
    let mut same = 0;
    for a in &c.articles {
        let from = a.from_article.as_deref().unwrap_or("");
        let to = a.to_article.as_deref().unwrap_or("");
        let marked = crate::search::textdiff::marked(&a.edits);
        match a.change {
            "same" => same += 1,
            "renumbered" => writeln!(out, "renumbered  {from} → {to} (same text)")?,
            "changed" if from == to => writeln!(out, "changed     {to}  {marked}")?,
            "changed" => writeln!(out, "changed     {from} → {to}  {marked}")?,
            "added" => writeln!(out, "added       {to}  {marked}")?,
            _ => writeln!(out, "removed     {from}  {marked}")?,
        }
    }
    writeln!(out, "{same} articles the same")?;
    Ok(())
}
