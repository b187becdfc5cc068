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

/// The simplified form of `c`, or `c` itself.
pub fn simplify(c: char) -> char {
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
