//! File names as the index holds them, and as commands print them and take them back.
//!
//! A Linux file name is bytes, not always UTF-8 (names from a GBK zip archive, say), and may
//! hold a newline. The index keeps every name exactly, as its *key*: a UTF-8 name is itself;
//! a name that is not has each byte outside UTF-8 written as NUL and two hex digits, which no
//! name can hold, so no two names share a key. Commands print a key in one of three forms, and
//! `show` takes each back:
//! - on a terminal, [`escaped`]: `\xB9`, `\n`, `\\` where a name needs them, the name as it
//!   is otherwise;
//! - in JSON, [`lossy`] (each byte outside UTF-8 as U+FFFD, as other tools print it) and,
//!   when that loses bytes, [`exact_bytes`] in base64 (`path_bytes`, as ripgrep's JSON
//!   carries a name that is not UTF-8).

use std::ffi::OsStr;
use std::fmt::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use base64::Engine;
use serde::Serialize;

/// Marks a byte outside UTF-8 in a key.
const RAW: char = '\0';

/// The key of a path: its exact bytes, as a string.
pub fn key(path: &Path) -> String {
    key_of_bytes(path.as_os_str().as_bytes())
}

/// The key of a name given as bytes.
pub fn key_of_bytes(mut bytes: &[u8]) -> String {
    let mut key = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(rest) => {
                key.push_str(rest);
                return key;
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                key.push_str(std::str::from_utf8(valid).expect("checked valid"));
                let bad = e.error_len().unwrap_or(rest.len());
                for byte in &rest[..bad] {
                    let _ = write!(key, "{RAW}{byte:02x}");
                }
                bytes = &rest[bad..];
            }
        }
    }
}

/// The exact bytes a key stands for.
pub fn bytes(key: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(key.len());
    let mut parts = key.split(RAW);
    if let Some(first) = parts.next() {
        out.extend_from_slice(first.as_bytes());
    }
    for part in parts {
        let byte = part
            .get(..2)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match byte {
            Some(byte) => {
                out.push(byte);
                out.extend_from_slice(&part.as_bytes()[2..]);
            }
            // Not a key (a typed string): kept as it is.
            None => out.extend_from_slice(part.as_bytes()),
        }
    }
    out
}

/// Whether a key is a name that is not UTF-8.
pub fn is_raw(key: &str) -> bool {
    key.contains(RAW)
}

/// A key as a path of the file system.
pub fn path(key: &str) -> std::path::PathBuf {
    OsStr::from_bytes(&bytes(key)).into()
}

/// A key as JSON's `path` shows it: bytes outside UTF-8 as U+FFFD.
pub fn lossy(key: &str) -> String {
    if is_raw(key) {
        String::from_utf8_lossy(&bytes(key)).into_owned()
    } else {
        key.to_string()
    }
}

/// The exact bytes of a key that is not UTF-8, in base64 (JSON's `path_bytes`); none for a
/// UTF-8 name, which `path` gives exactly.
pub fn exact_bytes(key: &str) -> Option<String> {
    is_raw(key).then(|| base64::engine::general_purpose::STANDARD.encode(bytes(key)))
}

/// A key as JSON carries it: `path`, and `path_bytes` when the name is not UTF-8.
#[derive(Debug, Serialize)]
pub struct JsonName {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
}

impl JsonName {
    pub fn of(key: &str) -> JsonName {
        JsonName {
            path: lossy(key),
            path_bytes: exact_bytes(key),
        }
    }
}

/// A key as a terminal shows it: a name of printable UTF-8 as it is; any other with its
/// bytes outside UTF-8 as `\xNN`, its control characters as `\n`, `\t`, `\r` or `\u{NN}`,
/// and its backslashes as `\\`, so that [`unescape`] gives the name back and no byte of it
/// can drive the terminal.
pub fn escaped(key: &str) -> String {
    if !needs_escape(key) {
        return key.to_string();
    }
    let mut out = String::with_capacity(key.len() + 8);
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        match c {
            RAW => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push_str("\\x");
                out.push_str(&hex.to_ascii_uppercase());
            }
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn needs_escape(key: &str) -> bool {
    key.chars().any(char::is_control)
}

/// The name an [`escaped`] form stands for, as a key; none when `typed` holds no escape, or
/// one that is not of that form.
pub fn unescape(typed: &str) -> Option<String> {
    if !typed.contains('\\') {
        return None;
    }
    let mut out = Vec::with_capacity(typed.len());
    let mut chars = typed.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next()? {
            '\\' => out.push(b'\\'),
            'n' => out.push(b'\n'),
            't' => out.push(b'\t'),
            'r' => out.push(b'\r'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).ok()?);
            }
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let (hex, after) = rest.split_once('}')?;
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                chars = after.chars();
            }
            _ => return None,
        }
    }
    Some(key_of_bytes(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 国务.txt in GBK, as a zip archive made on Windows leaves it.
    const GBK_NAME: &[u8] = b"docs/\xB9\xFA\xCE\xF1.txt";
    /// 决定.txt in GBK: as long, and as lossy (`����.txt`), as [`GBK_NAME`].
    const OTHER_GBK_NAME: &[u8] = b"docs/\xBE\xF6\xB6\xA8.txt";

    #[test]
    fn a_utf8_name_is_its_own_key_and_form() {
        let name = "docs/数据安全法(2021-06-10).md";
        assert_eq!(key(Path::new(name)), name);
        assert_eq!(bytes(name), name.as_bytes());
        assert_eq!(lossy(name), name);
        assert_eq!(escaped(name), name);
        assert_eq!(exact_bytes(name), None);
        assert_eq!(unescape(name), None);
    }

    #[test]
    fn names_that_are_not_utf8_keep_their_bytes_and_stay_apart() {
        let one = key_of_bytes(GBK_NAME);
        let other = key_of_bytes(OTHER_GBK_NAME);
        assert_ne!(one, other);
        // What the index held before: both names as one lossy string.
        assert_eq!(
            String::from_utf8_lossy(GBK_NAME),
            String::from_utf8_lossy(OTHER_GBK_NAME)
        );
        assert_eq!(bytes(&one), GBK_NAME);
        assert_eq!(path(&one).as_os_str().as_bytes(), GBK_NAME);
        assert!(one.starts_with("docs/"), "{one:?}");
        assert_eq!(lossy(&one), String::from_utf8_lossy(GBK_NAME));
        assert_eq!(
            exact_bytes(&one).as_deref(),
            Some(
                base64::engine::general_purpose::STANDARD
                    .encode(GBK_NAME)
                    .as_str()
            )
        );
    }

    #[test]
    fn the_terminal_form_escapes_and_gives_the_name_back() {
        let raw = key_of_bytes(GBK_NAME);
        assert_eq!(escaped(&raw), r"docs/\xB9\xFA\xCE\xF1.txt");
        assert_eq!(unescape(&escaped(&raw)).as_deref(), Some(raw.as_str()));
        for name in [
            "docs/第一行\n第二行.txt",
            "docs/tab\there\\and\\back.txt",
            "docs/\u{1b}[31mred.txt",
            "docs/\u{85}next line.txt",
        ] {
            let shown = escaped(name);
            assert!(!shown.chars().any(char::is_control), "{shown:?}");
            assert_eq!(unescape(&shown).as_deref(), Some(name), "{shown:?}");
        }
        assert_eq!(escaped("docs/a\nb.txt"), r"docs/a\nb.txt");
        let mixed = key_of_bytes(b"docs/\\\xB9\n.txt");
        assert_eq!(escaped(&mixed), r"docs/\\\xB9\n.txt");
        assert_eq!(unescape(&escaped(&mixed)), Some(mixed));
    }

    #[test]
    fn a_backslash_alone_is_no_escape() {
        assert_eq!(escaped(r"docs\a.txt"), r"docs\a.txt");
        assert_eq!(unescape(r"docs\q.txt"), None);
        assert_eq!(unescape(r"docs\x"), None);
    }
}
