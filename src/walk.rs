//! Folders in, the documents to index out: every readable file of a known format under the
//! given paths, hidden files and folders skipped, in a stable (sorted) order.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::extract::Format;

/// A file found by the walk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as walked: the folder the user gave joined with the relative path, the way
    /// ripgrep prints it.
    pub path: PathBuf,
    pub format: Format,
}

/// Walks each root (a folder or a single file). A root that does not exist is an error; an
/// unreadable folder below a root is reported in `warnings` and skipped.
pub fn walk(roots: &[PathBuf], warnings: &mut Vec<String>) -> Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    for root in roots {
        let meta = fs::metadata(root)
            .with_context(|| format!("{}: no such file or folder", root.display()))?;
        if meta.is_file() {
            match Format::of(root) {
                Some(format) => files.push(SourceFile {
                    path: root.clone(),
                    format,
                }),
                None => bail!("{}: not a supported document format", root.display()),
            }
        } else {
            walk_dir(root, &mut files, warnings);
        }
    }
    Ok(files)
}

fn walk_dir(dir: &Path, files: &mut Vec<SourceFile>, warnings: &mut Vec<String>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            warnings.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = dir.join(entry.file_name());
        // Follows symlinked files but not symlinked folders, which could loop.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            walk_dir(&path, files, warnings);
        } else if let Some(format) = Format::of(&path)
            && fs::metadata(&path).is_ok_and(|m| m.is_file())
        {
            files.push(SourceFile { path, format });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hidden_and_unknown_files_in_sorted_order() {
        let dir = std::env::temp_dir().join(format!("zhengce-walk-{}", std::process::id()));
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::create_dir_all(dir.join(".git")).unwrap();
        for name in [
            "b.txt",
            "a.md",
            ".hidden.txt",
            "image.png",
            "sub/c.TXT",
            ".git/x.txt",
        ] {
            fs::write(dir.join(name), "内容").unwrap();
        }
        let mut warnings = Vec::new();
        let files = walk(std::slice::from_ref(&dir), &mut warnings).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.md", "b.txt", "sub/c.TXT"]);
        assert!(warnings.is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_root_is_an_error_naming_it() {
        let err = walk(&[PathBuf::from("/no/such/folder")], &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("/no/such/folder"));
    }
}
