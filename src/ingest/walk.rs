//! Folders in, the documents to index out: every readable file of a known format under the
//! given paths, hidden files and folders skipped, in a stable (sorted) order.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::{Context, Result, bail};

use crate::ingest::extract::Format;
use crate::ingest::name;

/// A file found by the walk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as walked: the root's [`canonical_root`] joined with the relative path. The
    /// command line shows it relative to the current folder (see [`shown`]).
    pub path: PathBuf,
    pub format: Format,
}

/// A file or folder the walk passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub path: PathBuf,
    /// `<path>: <reason>`, as reported.
    pub message: String,
}

impl Skip {
    fn new(path: &Path, reason: impl std::fmt::Display) -> Skip {
        Skip {
            path: path.to_path_buf(),
            message: format!("{}: {reason}", name::escaped(&name::key(path))),
        }
    }
}

/// Walks each root (a folder or a single file), what `excludes` names aside (see
/// [`walk_dir`]). A root that does not exist is an error; an unreadable folder below a root,
/// and a document name on something other than a regular file, are reported in `warnings`
/// and skipped.
pub fn walk(
    roots: &[PathBuf],
    excludes: &[String],
    warnings: &mut Vec<Skip>,
) -> Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    for root in roots {
        let canonical = canonical_root(root)?;
        let kind = fs::metadata(&canonical)
            .with_context(|| format!("{}: cannot read", root.display()))?
            .file_type();
        let root_shown = root.to_string_lossy();
        let root_shown = shown(&root_shown);
        if !kind.is_file() && !kind.is_dir() {
            bail!("{root_shown}: not a regular file or folder");
        }
        if kind.is_file() {
            match Format::of(&canonical) {
                Some(format) => files.push(SourceFile {
                    path: canonical,
                    format,
                }),
                None => bail!("{root_shown}: not a supported document format"),
            }
        } else {
            walk_dir(&canonical, excludes, &mut files, warnings)?;
        }
    }
    Ok(each_file_once(files))
}

/// Roots may overlap (`docs docs/sub`, a file named twice), and a file may be linked into
/// another folder walked: each file is indexed once, by its real path. It keeps the path it
/// was walked under where that is the file itself, else the first link walked to it.
fn each_file_once(files: Vec<SourceFile>) -> Vec<SourceFile> {
    let real = |f: &SourceFile| fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
    let reals: Vec<PathBuf> = files.iter().map(real).collect();
    let itself: HashSet<&PathBuf> = files
        .iter()
        .zip(&reals)
        .filter(|(f, r)| f.path == **r)
        .map(|(_, r)| r)
        .collect();
    let mut seen = HashSet::new();
    let keep: Vec<bool> = files
        .iter()
        .zip(&reals)
        .map(|(f, r)| (f.path == *r || !itself.contains(r)) && seen.insert(r.clone()))
        .collect();
    files
        .into_iter()
        .zip(keep)
        .filter_map(|(f, keep)| keep.then_some(f))
        .collect()
}

/// A root as the index knows it: absolute, with `.`, `..` and symlinks resolved, so that
/// `docs`, `./docs/` and `/home/me/docs` are one folder whose files are indexed once.
pub fn canonical_root(root: &Path) -> Result<PathBuf> {
    fs::canonicalize(root).with_context(|| format!("{}: no such file or folder", root.display()))
}

/// A path that may no longer exist, made absolute with `.` and `..` resolved by hand: what
/// [`canonical_root`] made of it when it did exist, unless a symlink was on the way.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = match CURRENT_DIR.as_deref() {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The current folder, resolved as roots are.
static CURRENT_DIR: LazyLock<Option<PathBuf>> =
    LazyLock::new(|| std::env::current_dir().and_then(fs::canonicalize).ok());

/// A path of the index as the command line shows it: relative to the current folder when it
/// is below it (mostly as it was typed; the folder itself is `.`), else whole.
pub fn shown(path: &str) -> &str {
    CURRENT_DIR
        .as_deref()
        .and_then(|dir| Path::new(path).strip_prefix(dir).ok())
        .and_then(Path::to_str)
        .map(|rest| if rest.is_empty() { "." } else { rest })
        .unwrap_or(path)
}

/// A message that starts with a path of the index (`<path>: <reason>`), with that path
/// [`shown`].
pub fn shown_message(message: &str) -> &str {
    CURRENT_DIR
        .as_deref()
        .and_then(Path::to_str)
        .and_then(|dir| message.strip_prefix(dir)?.strip_prefix('/'))
        .unwrap_or(message)
}

/// The key under which the index holds a file typed on the command line (`show`): its
/// canonical form when it still exists, else the typed path made absolute.
pub fn indexed_path(typed: &Path) -> String {
    let indexed = fs::canonicalize(typed).unwrap_or_else(|_| absolute(typed));
    name::key(&indexed)
}

/// The file in an indexed folder (or a folder above it) whose lines, in gitignore syntax,
/// name what not to index.
pub const IGNORE_FILE: &str = ".zhengceignore";

/// Walks a folder in name order, hidden files and folders aside, and what `excludes` (globs
/// in gitignore syntax, relative to the folder) or a [`IGNORE_FILE`] names aside. Uses the
/// `ignore` crate, ripgrep's walker: gitignore syntax has more corners (negation, anchoring,
/// `**`, the precedence of nested files) than are worth writing again.
fn walk_dir(
    dir: &Path,
    excludes: &[String],
    files: &mut Vec<SourceFile>,
    warnings: &mut Vec<Skip>,
) -> Result<()> {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .standard_filters(false)
        .hidden(true)
        .parents(true)
        // Follows symlinked files but not symlinked folders, which could loop.
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .add_custom_ignore_filename(IGNORE_FILE)
        .overrides(exclusions(dir, excludes)?);
    for entry in builder.build() {
        match entry {
            Ok(entry) => add_entry(entry, files, warnings),
            Err(e) => warnings.push(skip_of_error(dir, &e)),
        }
    }
    Ok(())
}

/// `--exclude` globs as the walker's overrides (where a glob that is not negated would be the
/// only files kept).
fn exclusions(dir: &Path, excludes: &[String]) -> Result<ignore::overrides::Override> {
    let mut builder = ignore::overrides::OverrideBuilder::new(dir);
    for glob in excludes {
        builder
            .add(&format!("!{glob}"))
            .with_context(|| format!("--exclude {glob}: not a valid glob"))?;
    }
    Ok(builder.build()?)
}

/// A document found by the walk, or the reason it cannot be read.
fn add_entry(entry: ignore::DirEntry, files: &mut Vec<SourceFile>, warnings: &mut Vec<Skip>) {
    let Some(file_type) = entry.file_type() else {
        return;
    };
    if file_type.is_dir() {
        return;
    }
    let path = entry.into_path();
    let Some(format) = Format::of(&path) else {
        return;
    };
    // A document's name on a FIFO, a device or a socket (or a link to one: `x.txt ->
    // /dev/zero`) is never read, which could block or never end, but it is named.
    match fs::metadata(&path) {
        Ok(meta) if meta.is_file() => files.push(SourceFile { path, format }),
        Ok(meta) if meta.is_dir() => {}
        Ok(meta) => {
            let reason = format!("not a regular file but {}", kind(&meta.file_type()));
            warnings.push(Skip::new(&path, reason));
        }
        Err(e) if file_type.is_symlink() => {
            let reason = format!("a link to nothing readable ({e})");
            warnings.push(Skip::new(&path, reason));
        }
        Err(e) => warnings.push(Skip::new(&path, format!("cannot read: {e}"))),
    }
}

/// What the walker could not read (a folder, an ignore file), named.
fn skip_of_error(dir: &Path, error: &ignore::Error) -> Skip {
    let path = error_path(error).unwrap_or(dir);
    // The system's own words (`Permission denied (os error 13)`), not the walker's, which
    // name the path twice.
    match os_error(error) {
        Some(e) => Skip::new(path, e),
        None => Skip::new(path, error),
    }
}

/// The system's error under the walker's (which wraps walkdir's, which wraps it).
fn os_error(error: &ignore::Error) -> Option<std::io::Error> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = error
        .io_error()
        .map(|e| e as &(dyn std::error::Error + 'static));
    while let Some(e) = cause {
        let code = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::raw_os_error);
        if let Some(code) = code {
            return Some(std::io::Error::from_raw_os_error(code));
        }
        cause = e.source();
    }
    None
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// What a file that is neither a regular file nor a folder is, for messages.
fn kind(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    let _ = file_type;
    "a special file"
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
        let files = walk(std::slice::from_ref(&dir), &[], &mut warnings).unwrap();
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
    fn spellings_of_a_folder_walk_to_the_same_paths() {
        let dir = std::env::temp_dir().join(format!("zhengce-spell-{}", std::process::id()));
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("sub/a.txt"), "内容").unwrap();
        let walked = |root: PathBuf| -> Vec<PathBuf> {
            walk(&[root], &[], &mut Vec::new())
                .unwrap()
                .into_iter()
                .map(|f| f.path)
                .collect()
        };
        let plain = walked(dir.join("sub"));
        assert!(plain[0].is_absolute());
        assert_eq!(walked(dir.join("sub/")), plain);
        assert_eq!(walked(dir.join("sub/../sub/.")), plain);
        assert_eq!(walked(dir.join("sub/a.txt")), plain);
        let overlapping = walk(
            &[dir.join("sub"), dir.clone(), dir.join("sub/a.txt")],
            &[],
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(overlapping.len(), 1);
        let shown_path = plain[0].to_string_lossy().into_owned();
        assert_eq!(indexed_path(Path::new(&shown_path)), shown_path);
        assert_eq!(
            shown(&shown_path),
            shown_path,
            "{} is not below the current folder",
            dir.display()
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_linked_into_another_folder_is_walked_once_by_its_real_path() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(b.join("law.txt"), "text").unwrap();
        fs::write(b.join("only.txt"), "text").unwrap();
        std::os::unix::fs::symlink(b.join("law.txt"), a.join("law.txt")).unwrap();
        std::os::unix::fs::symlink(b.join("only.txt"), a.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(a.join("link.txt"), a.join("second.txt")).unwrap();
        let mut warnings = Vec::new();
        let walked = walk(&[a.clone(), b.clone()], &[], &mut warnings).unwrap();
        let paths: Vec<PathBuf> = walked.into_iter().map(|f| f.path).collect();
        let (a, b) = (canonical_root(&a).unwrap(), canonical_root(&b).unwrap());
        assert_eq!(paths, [b.join("law.txt"), b.join("only.txt")]);
        // Walked without the folder it points into, a link keeps its own path, once.
        let walked = walk(std::slice::from_ref(&a), &[], &mut warnings).unwrap();
        let paths: Vec<PathBuf> = walked.into_iter().map(|f| f.path).collect();
        assert_eq!(paths, [a.join("law.txt"), a.join("link.txt")]);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn shown_paths_are_relative_to_the_current_folder() {
        let here = std::env::current_dir().unwrap().canonicalize().unwrap();
        let inside = here.join("seeds/a.txt").to_string_lossy().into_owned();
        assert_eq!(shown(&inside), "seeds/a.txt");
        assert_eq!(
            indexed_path(Path::new("seeds/no-such-file.txt")),
            inside.replace("a.txt", "no-such-file.txt")
        );
        assert_eq!(shown("/elsewhere/b.txt"), "/elsewhere/b.txt");
        assert_eq!(shown(&here.to_string_lossy()), ".");
        let message = format!("{inside}: not a PDF file");
        assert_eq!(shown_message(&message), "seeds/a.txt: not a PDF file");
        assert_eq!(
            shown_message("/elsewhere/b.pdf: bad"),
            "/elsewhere/b.pdf: bad"
        );
    }

    #[test]
    fn a_root_that_is_neither_file_nor_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let err = walk(&[fifo], &[], &mut Vec::new()).unwrap_err().to_string();
        assert!(
            err.ends_with("pipe.txt: not a regular file or folder"),
            "{err}"
        );
    }

    #[test]
    fn missing_root_is_an_error_naming_it() {
        let err = walk(&[PathBuf::from("/no/such/folder")], &[], &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("/no/such/folder"));
    }
}
