//! `zhengce aliases`: the aliases a term is searched with and where each comes from.

use std::io::Write;

use anyhow::Result;

use crate::search::synonyms::{Everything, Group, Local, Related, Report};

/// What a search for the term finds, then each source of its aliases.
pub fn report(out: &mut impl Write, r: &Report) -> Result<()> {
    writeln!(out, "{} is searched as: {}", r.term, r.finds.join(" · "))?;
    if r.finds.len() == 1 {
        writeln!(out, "  (no alias applies)")?;
    }
    for g in &r.groups {
        group(out, g)?;
    }
    if !r.parts.is_empty() {
        let parts: Vec<String> = r
            .parts
            .iter()
            .map(|(short, long)| format!("{short} = {}", long.join(" / ")))
            .collect();
        writeln!(out, "  parts: {}", parts.join(" · "))?;
    }
    for l in &r.defined {
        local(out, &r.term, l)?;
    }
    if !r.related.is_empty() {
        writeln!(out, "related, not searched:")?;
        for rel in &r.related {
            related(out, rel)?;
        }
    }
    Ok(())
}

/// Every group, part, relation and document's own abbreviation, one a line.
pub fn everything(out: &mut impl Write, e: &Everything) -> Result<()> {
    for g in &e.groups {
        group(out, g)?;
    }
    for (short, long) in &e.parts {
        writeln!(out, "  part {short} = {}", long.join(" / "))?;
    }
    for rel in &e.related {
        related(out, rel)?;
    }
    for (short, locals) in &e.defined {
        for l in locals.iter() {
            local(out, short, l)?;
        }
    }
    Ok(())
}

fn group(out: &mut impl Write, g: &Group) -> Result<()> {
    writeln!(out, "  {}    {}", g.terms.join(" = "), g.source.describe())?;
    Ok(())
}

fn local(out: &mut impl Write, short: &str, l: &Local) -> Result<()> {
    writeln!(
        out,
        "  {short} = {} in its own documents only    {}",
        l.long,
        crate::search::synonyms::Source::Defined {
            files: l.files.clone()
        }
        .describe()
    )?;
    Ok(())
}

fn related(out: &mut impl Write, r: &Related) -> Result<()> {
    writeln!(
        out,
        "  {} ~ {}    {}",
        r.term,
        r.related.join(" "),
        r.source.describe()
    )?;
    Ok(())
}
