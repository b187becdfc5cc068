//! Synonym groups in, query-time expansion out: a built-in table of the policy domain's
//! abbreviations (WTO / 世界贸易组织 / 世贸组织, 国办 / 国务院办公厅 …) plus the user's files,
//! one group per line.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::analysis::{gram_tokens, normalize};

/// The built-in table (same format as a user's file).
const BUILTIN: &str = include_str!("synonyms.txt");
/// Name of the synonyms file read from the index folder when present.
pub const INDEX_FILE: &str = "synonyms.txt";

/// Synonym groups, looked up by normalised term.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Each group's normalised terms, in the order written.
    groups: Vec<Vec<String>>,
    /// Normalised term → the groups holding it.
    by_term: HashMap<String, Vec<usize>>,
}

impl Synonyms {
    /// No synonyms at all.
    pub fn none() -> Synonyms {
        Synonyms::default()
    }

    /// The built-in table.
    pub fn builtin() -> Synonyms {
        let mut s = Synonyms::none();
        // The table is tested to parse; an error here would be a bug in it.
        if let Err(e) = s.add_text(BUILTIN, "built-in synonyms") {
            debug_assert!(false, "{e:#}");
        }
        s
    }

    /// The built-in table, then `synonyms.txt` in the index folder if present, then the
    /// user's file if given.
    pub fn load(index_dir: &Path, user_file: Option<&Path>) -> Result<Synonyms> {
        let mut s = Synonyms::builtin();
        let in_index = index_dir.join(INDEX_FILE);
        if in_index.is_file() {
            s.add_file(&in_index)?;
        }
        if let Some(path) = user_file {
            s.add_file(path)?;
        }
        Ok(s)
    }

    /// Adds the groups of a file.
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the synonyms file {}", path.display()))?;
        self.add_text(&text, &path.display().to_string())
    }

    /// Adds the groups of `text`: one group per line, terms separated by spaces or commas,
    /// `#` starting a comment. `source` names the text in errors.
    pub fn add_text(&mut self, text: &str, source: &str) -> Result<()> {
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default();
            let terms: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || c == ',' || c == '，')
                .filter(|t| !t.is_empty())
                .collect();
            match terms.len() {
                0 => continue,
                1 => bail!(
                    "{source}:{}: a synonym group needs at least two terms, found only {:?}",
                    n + 1,
                    terms[0]
                ),
                _ => {}
            }
            let mut group: Vec<String> = Vec::with_capacity(terms.len());
            for t in terms {
                let norm = normalize(t).text;
                if gram_tokens(&norm).is_empty() {
                    bail!(
                        "{source}:{}: the term {t:?} has no letters, digits or CJK characters",
                        n + 1
                    );
                }
                if !group.contains(&norm) {
                    group.push(norm);
                }
            }
            let id = self.groups.len();
            for t in &group {
                self.by_term.entry(t.clone()).or_default().push(id);
            }
            self.groups.push(group);
        }
        Ok(())
    }

    /// The normalised word followed by every other term of the groups holding it (none when
    /// it is in no group).
    pub fn expand(&self, word: &str) -> Vec<String> {
        let mut out = vec![word.to_string()];
        for &g in self.by_term.get(word).into_iter().flatten() {
            for t in &self.groups[g] {
                if !out.contains(t) {
                    out.push(t.clone());
                }
            }
        }
        out
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_is_large() {
        let mut s = Synonyms::none();
        s.add_text(BUILTIN, "built-in").unwrap();
        assert!(s.len() >= 50, "{}", s.len());
        assert_eq!(s.len(), Synonyms::builtin().len());
    }

    #[test]
    fn expands_in_both_directions_case_folded() {
        let s = Synonyms::builtin();
        assert_eq!(s.expand("wto"), ["wto", "世界贸易组织", "世贸组织"]);
        assert_eq!(s.expand("世贸组织"), ["世贸组织", "wto", "世界贸易组织"]);
        assert_eq!(s.expand("个税"), ["个税", "个人所得税"]);
        assert_eq!(s.expand("税"), ["税"]);
    }

    #[test]
    fn user_lines_with_commas_comments_and_errors() {
        let mut s = Synonyms::none();
        s.add_text(
            "# 注释\n\n甲方，乙方, 丙方 # trailing\nＡＢ 乙方\n",
            "f.txt",
        )
        .unwrap();
        // Groups sharing a term join on expansion.
        assert_eq!(s.expand("乙方"), ["乙方", "甲方", "丙方", "ab"]);
        let err = s.add_text("a b\n孤单\n", "f.txt").unwrap_err().to_string();
        assert_eq!(
            err,
            "f.txt:2: a synonym group needs at least two terms, found only \"孤单\""
        );
        let err = s.add_text("甲 ，。\n", "g.txt").unwrap_err().to_string();
        assert!(err.starts_with("g.txt:1: the term \"。\""), "{err}");
    }

    #[test]
    fn loads_index_folder_file_and_user_file() {
        let dir = tempfile::TempDir::new().unwrap();
        fs::write(dir.path().join(INDEX_FILE), "甲 乙\n").unwrap();
        let user = dir.path().join("mine.txt");
        fs::write(&user, "丙 丁\n").unwrap();
        let s = Synonyms::load(dir.path(), Some(&user)).unwrap();
        assert_eq!(s.expand("甲"), ["甲", "乙"]);
        assert_eq!(s.expand("丁"), ["丁", "丙"]);
        assert_eq!(s.len(), Synonyms::builtin().len() + 2);
        let missing = Synonyms::load(dir.path(), Some(&dir.path().join("nope.txt")));
        assert!(missing.unwrap_err().to_string().contains("nope.txt"));
    }
}
