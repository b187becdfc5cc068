//! Traditional to simplified Chinese, one character at a time.
//!
//! Context-free on purpose: every character maps the same way wherever it stands, so the
//! normalised form of a substring is a substring of the normalised text, which substring
//! recall relies on (phrase-level converters break that). The table is fast2s's `t2s.txt`
//! (MIT), less four characters that are also common simplified characters (捍 瞭 乾 祐).

use std::sync::LazyLock;

static TABLE: &str = include_str!("t2s.txt");

/// (traditional, simplified) pairs sorted by the traditional character.
static MAP: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
    let mut pairs: Vec<(char, char)> = TABLE
        .lines()
        .filter_map(|line| {
            let mut chars = line.chars().filter(|c| !c.is_whitespace());
            Some((chars.next()?, chars.next()?))
        })
        .collect();
    pairs.sort_unstable();
    pairs
});

/// First and last characters of the range looked up in [`DENSE`]: the CJK blocks where
/// nearly every character of running text lies.
const DENSE_FROM: u32 = 0x3400;
const DENSE_TO: u32 = 0x9FFF;

/// The simplified form of every character of the dense range, indexed by code point: a
/// binary search per character was a measurable part of indexing.
static DENSE: LazyLock<Vec<char>> = LazyLock::new(|| {
    (DENSE_FROM..=DENSE_TO)
        .map(|u| char::from_u32(u).map_or('\u{FFFD}', search))
        .collect()
});

/// The simplified form of `c`, or `c` itself.
pub fn simplify(c: char) -> char {
    let u = c as u32;
    if (DENSE_FROM..=DENSE_TO).contains(&u) {
        return DENSE[(u - DENSE_FROM) as usize];
    }
    search(c)
}

fn search(c: char) -> char {
    let map = &*MAP;
    match map.binary_search_by_key(&c, |&(t, _)| t) {
        Ok(i) => map[i].1,
        Err(_) => c,
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
        assert!(MAP.len() > 2700);
        // Every mapping keeps the UTF-8 length, so folded offsets stay put.
        assert!(MAP.iter().all(|(t, s)| t.len_utf8() == s.len_utf8()));
    }
}
