//! Plain text and markdown: read the bytes, decode them.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use super::decode::{self, Decoded};

pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("{}: cannot read", path.display()))
}

/// Reads a text file in any encoding [`decode`] knows.
pub fn read_text(path: &Path) -> Result<Decoded> {
    let bytes = read(path)?;
    decode::decode(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_bom_and_decodes_gbk() {
        let dir = std::env::temp_dir().join(format!("zhengce-text-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.txt");
        fs::write(&p, b"\xEF\xBB\xBF\xE6\xB3\x95").unwrap();
        assert_eq!(read_text(&p).unwrap().text, "法");
        // 中华人民共和国 in GBK.
        fs::write(
            &p,
            b"\xD6\xD0\xBB\xAA\xC8\xCB\xC3\xF1\xB9\xB2\xBA\xCD\xB9\xFA",
        )
        .unwrap();
        assert_eq!(read_text(&p).unwrap().text, "中华人民共和国");
        let err = read_text(&dir.join("missing.txt")).unwrap_err().to_string();
        assert!(err.contains("missing.txt"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
