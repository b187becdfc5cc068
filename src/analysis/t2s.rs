//! Traditional to simplified Chinese, one character at a time.
//!
//! Context-free on purpose: every character maps the same way wherever it stands, so the
//! normalised form of a substring is a substring of the normalised text, which substring
//! recall relies on (phrase-level converters break that). The table is fast2s's `t2s.txt`
//! (MIT), less four characters that are also common simplified characters (捍 瞭 乾 祐).

/// One pair per line: the traditional character, then the simplified one.
static TABLE: &str = include_str!("t2s.txt");

/// First and last characters of the range [`DENSE`] covers: the CJK blocks where nearly every
/// character of running text lies, and every traditional character of the table.
const DENSE_FROM: u32 = 0x3400;
const DENSE_TO: u32 = 0x9FFF;
const DENSE_LEN: usize = (DENSE_TO - DENSE_FROM + 1) as usize;

/// The simplified form of every character of the dense range, indexed by code point. Built by
/// the compiler: built at start-up, it was a tenth of a search's time.
static DENSE: [char; DENSE_LEN] = dense();

/// The simplified form of `c`, or `c` itself.
pub fn simplify(c: char) -> char {
    let u = c as u32;
    if (DENSE_FROM..=DENSE_TO).contains(&u) {
        return DENSE[(u - DENSE_FROM) as usize];
    }
    c
}

const fn dense() -> [char; DENSE_LEN] {
    let mut table = ['\u{FFFD}'; DENSE_LEN];
    let mut i = 0;
    while i < DENSE_LEN {
        if let Some(c) = char::from_u32(DENSE_FROM + i as u32) {
            table[i] = c;
        }
        i += 1;
    }
    let bytes = TABLE.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // The first two characters of the line that are not spaces.
        let mut pair = ['\0'; 2];
        let mut found = 0;
        while at < bytes.len() && bytes[at] != b'\n' {
            let (c, len) = decode(bytes, at);
            if !matches!(c, ' ' | '\t' | '\r') && found < 2 {
                pair[found] = c;
                found += 1;
            }
            at += len;
        }
        at += 1;
        let t = pair[0] as u32;
        assert!(found == 0 || (found == 2 && t >= DENSE_FROM && t <= DENSE_TO));
        if found == 2 {
            table[(t - DENSE_FROM) as usize] = pair[1];
        }
    }
    table
}

/// The character whose UTF-8 encoding starts at `bytes[at]`, and its length.
const fn decode(bytes: &[u8], at: usize) -> (char, usize) {
    let b = bytes[at] as u32;
    let (len, mut u) = match b {
        0x00..=0x7F => (1, b),
        0xC0..=0xDF => (2, b & 0x1F),
        0xE0..=0xEF => (3, b & 0x0F),
        _ => (4, b & 0x07),
    };
    let mut k = 1;
    while k < len {
        u = (u << 6) | (bytes[at + k] as u32 & 0x3F);
        k += 1;
    }
    match char::from_u32(u) {
        Some(c) => (c, len),
        None => panic!("t2s.txt is not UTF-8"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_traditional_and_keeps_simplified() {
        let simplified: String = "經濟建設與國際貿易".chars().map(simplify).collect();
        assert_eq!(simplified, "经济建设与国际贸易");
        let kept: String = "经济捍卫乾隆".chars().map(simplify).collect();
        assert_eq!(kept, "经济捍卫乾隆");
    }

    #[test]
    fn the_compiled_table_is_the_file() {
        let pairs: Vec<(char, char)> = TABLE
            .lines()
            .filter_map(|line| {
                let mut chars = line.chars().filter(|c| !c.is_whitespace());
                Some((chars.next()?, chars.next()?))
            })
            .collect();
        assert!(pairs.len() > 2700);
        for &(t, s) in &pairs {
            assert_eq!(simplify(t), s, "{t}");
            // Every mapping keeps the UTF-8 length, so folded offsets stay put.
            assert_eq!(t.len_utf8(), s.len_utf8());
        }
        let mapped = DENSE
            .iter()
            .enumerate()
            .filter(|&(i, &c)| char::from_u32(DENSE_FROM + i as u32) != Some(c))
            .count();
        assert_eq!(mapped, pairs.len());
    }
}
