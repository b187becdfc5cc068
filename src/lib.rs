//! zhengce (政策): full-text search for Chinese policy documents.
//!
//! Pipeline: walk → extract → passage (+ keyphrase) → analysis → index → query → search →
//! snippet → render.

pub mod analysis;
pub mod browse;
pub mod catalog;
pub mod cli;
pub mod extract;
pub mod index;
pub mod indexer;
pub mod keyphrase;
pub mod merge_policy;
pub mod meta;
pub mod passage;
pub mod progress;
pub mod query;
pub mod render;
pub mod search;
pub mod serve;
pub mod snippet;
pub mod synonyms;
pub mod walk;
