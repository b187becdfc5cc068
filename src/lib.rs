//! zhengce (政策): full-text search for Chinese policy documents.
//!
//! Two halves share the analysis:
//! - the index side: `ingest` (walk → extract → passages, metadata, key phrases) →
//!   `analysis` → `index` (schema, documents, catalog, the indexing run);
//! - the search side: `search` (query → collect → rank → hits; stats, list, show) →
//!   `render` (terminal and JSON).

pub mod analysis;
pub mod cli;
pub mod index;
pub mod ingest;
pub mod render;
pub mod search;
pub mod serve;
