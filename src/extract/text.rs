//! Plain text and markdown: read the bytes, decode them.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("{}: cannot read", path.display()))
}

/// Decodes UTF-8 (a byte-order mark is dropped); anything else is an error naming the file.
pub fn decode_utf8(path: &Path, mut bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => bail!(
            "{}: not valid UTF-8 (first bad byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_bom_and_rejects_invalid_utf8() {
        let p = Path::new("a.txt");
        assert_eq!(
            decode_utf8(p, b"\xEF\xBB\xBF\xE6\xB3\x95".to_vec()).unwrap(),
            "法"
        );
        let err = decode_utf8(p, vec![0xB7, 0xA8]).unwrap_err().to_string();
        assert!(err.contains("a.txt") && err.contains("UTF-8"), "{err}");
    }
}
