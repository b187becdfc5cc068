//! Results out to the user: ripgrep-style terminal text or JSON.

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
