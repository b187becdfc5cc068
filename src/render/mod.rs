//! Results out to the user: ripgrep-style terminal text or JSON.

pub mod browse;
pub mod json;
pub mod terminal;
