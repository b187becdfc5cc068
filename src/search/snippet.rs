//! A passage and its highlight ranges in, a cropped window out: long passages are cut to the
//! stretch where the matches are densest, with "…" where text was left out.

/// Marks text left out of a snippet.
pub const ELLIPSIS: &str = "…";
/// Characters of context kept before the first match of the window.
const LEAD: usize = 20;

/// A cropped view of a passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The shown text, with [`ELLIPSIS`] at a cut end.
    pub text: String,
    /// Byte ranges in `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
}

/// Crops `text` to at most `max_chars` characters (plus ellipses) around the densest run of
/// `highlights` (sorted byte ranges into `text`).
pub fn crop(text: &str, highlights: &[(usize, usize)], max_chars: usize) -> Snippet {
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    if starts.len() <= max_chars {
        return Snippet {
            text: text.to_string(),
            highlights: highlights.to_vec(),
        };
    }
    let char_at = |byte: usize| starts.partition_point(|&s| s < byte);
    let ranges: Vec<(usize, usize)> = highlights
        .iter()
        .map(|&(s, e)| (char_at(s), char_at(e)))
        .collect();
    // The window holding the most whole highlights, among those that start LEAD characters
    // before a highlight (counted on the window as shown, lead included).
    let window_at = |first: usize| {
        first
            .saturating_sub(LEAD)
            .min(starts.len().saturating_sub(max_chars))
    };
    let mut best = (0usize, 0usize);
    for &(first, _) in &ranges {
        let start = window_at(first);
        // Highlights are sorted and apart, so starts and ends both ascend.
        let from = ranges.partition_point(|&(s, _)| s < start);
        let to = ranges.partition_point(|&(_, e)| e <= start + max_chars);
        let inside = to.saturating_sub(from);
        if inside > best.1 {
            best = (start, inside);
        }
    }
    let (start, _) = best;
    let end = (start + max_chars).min(starts.len());
    let byte_start = starts[start];
    let byte_end = starts.get(end).copied().unwrap_or(text.len());

    let mut shown = String::new();
    let prefix = if start > 0 { ELLIPSIS } else { "" };
    shown.push_str(prefix);
    shown.push_str(&text[byte_start..byte_end]);
    if byte_end < text.len() {
        shown.push_str(ELLIPSIS);
    }
    let shift = |b: usize| b - byte_start + prefix.len();
    let highlights = highlights
        .iter()
        .filter(|&&(s, e)| e > byte_start && s < byte_end)
        .map(|&(s, e)| (shift(s.max(byte_start)), shift(e.min(byte_end))))
        .collect();
    Snippet {
        text: shown,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        let s = crop("世界贸易组织", &[(0, 6)], 100);
        assert_eq!(s.text, "世界贸易组织");
        assert_eq!(s.highlights, [(0, 6)]);
    }

    #[test]
    fn counts_matches_in_the_window_as_shown() {
        // Three matches fit in 40 characters from the first, but the lead of 20 characters
        // would cut two of them off: the window with the other two is shown instead.
        let mut text = "甲".repeat(200);
        let mark = |at: usize| (at * 3, at * 3 + 6);
        let hits = vec![mark(60), mark(95), mark(97)];
        for &(s, _) in &hits {
            text.replace_range(s..s + 6, "目标");
        }
        let s = crop(&text, &hits, 40);
        assert_eq!(s.highlights.len(), 2, "{}", s.text);
    }

    #[test]
    fn window_goes_where_matches_are_densest() {
        let text = format!(
            "{}目标一{}目标目标{}",
            "甲".repeat(100),
            "乙".repeat(100),
            "丙".repeat(100)
        );
        let hits: Vec<(usize, usize)> = text
            .match_indices("目标")
            .map(|(i, m)| (i, i + m.len()))
            .collect();
        let s = crop(&text, &hits, 40);
        assert!(s.text.starts_with(ELLIPSIS) && s.text.ends_with(ELLIPSIS));
        assert_eq!(s.highlights.len(), 2);
        for &(a, b) in &s.highlights {
            assert_eq!(&s.text[a..b], "目标");
        }
        assert!(s.text.chars().count() <= 42);
    }

    use proptest::prelude::*;

    fn text_chars() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => prop::sample::select(vec!['数', '据', '安', '全', '，', '。', '　']),
            2 => prop::sample::select(vec!['a', 'Ｗ', ' ', '1', 'é']),
            1 => prop::sample::select(vec!['😀', '\u{0301}', '𠀀']),
        ]
    }

    proptest! {
        /// Whatever the text, the highlights and the width, the snippet is a piece of the
        /// text, its highlights fall on character boundaries and mark the same text.
        #[test]
        fn crops_never_split_characters(
            chars in prop::collection::vec(text_chars(), 0..400),
            marks in prop::collection::vec((0usize..400, 1usize..6), 0..20),
            max_chars in 1usize..200,
        ) {
            let text: String = chars.iter().collect();
            let starts: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let n = starts.len() - 1;
            // Sorted, non-overlapping character ranges turned into byte ranges.
            let mut ranges: Vec<(usize, usize)> = Vec::new();
            let mut sorted = marks.clone();
            sorted.sort();
            for (s, len) in sorted {
                let (s, e) = (s.min(n), (s + len).min(n));
                if s < e && ranges.last().is_none_or(|&(_, last)| starts[s] >= last) {
                    ranges.push((starts[s], starts[e]));
                }
            }
            let snip = crop(&text, &ranges, max_chars);
            let inner = snip.text.trim_start_matches(ELLIPSIS).trim_end_matches(ELLIPSIS);
            prop_assert!(text.contains(inner));
            prop_assert!(snip.text.chars().count() <= max_chars + 2);
            for &(s, e) in &snip.highlights {
                prop_assert!(s < e && e <= snip.text.len());
                prop_assert!(snip.text.is_char_boundary(s) && snip.text.is_char_boundary(e));
                let marked = &snip.text[s..e];
                prop_assert!(ranges.iter().any(|&(a, b)| text[a..b].contains(marked)));
            }
        }
    }
}
