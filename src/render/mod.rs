//! Results out to the user: ripgrep-style terminal text or JSON.

pub mod aliases;
pub mod browse;
pub mod json;
pub mod progress;
pub mod summary;
pub mod terminal;

/// `1 file`, `2 files`.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `no passage holds all 3 words; showing passages with 2 of them: missing 天数`.
pub fn partial_note(results: &crate::search::Results) -> String {
    let missing = results.hits.first().map_or(&[][..], |h| &h.missing[..]);
    format!(
        "no passage holds all {} words; showing passages with {} of them: missing {}",
        results.words,
        results.words - missing.len(),
        missing.join(", ")
    )
}
