//! The index's fields, each declared once below: its name (the identifier), its options, and
//! what it holds. The index holds two kinds of documents: passages, and one header per file
//! with what is searched once per document (title, issuer, document key phrases) rather than
//! repeated on each of its passages; passages join their header by `doc_key`.

use anyhow::{Context, Result};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{CJK_GRAM, CJK_RUN_END, JIEBA};
use crate::index::REBUILD_HINT;

/// Declares [`Fields`], [`names`] and [`schema`] from one list, so that a field's name is
/// written once.
macro_rules! fields {
    ($( $(#[$doc:meta])* $field:ident: $kind:ident = $options:expr, )*) => {
        /// The fields of the index (see the module's comment).
        #[derive(Debug, Clone, Copy)]
        pub struct Fields {
            $( $(#[$doc])* pub $field: Field, )*
        }

        /// Field names, for what looks a field up by name (fast-field columns).
        #[allow(non_upper_case_globals)]
        pub mod names {
            $( pub const $field: &str = stringify!($field); )*
        }

        /// The schema of a new index.
        pub fn schema() -> Schema {
            let mut b = Schema::builder();
            $( fields!(@add b, $kind, names::$field, $options); )*
            b.build()
        }

        impl Fields {
            /// The fields of an opened index's schema.
            pub fn from_schema(schema: &Schema) -> Result<Fields> {
                let f = |name: &str| {
                    schema
                        .get_field(name)
                        .with_context(|| format!("index has no field {name} — {REBUILD_HINT}"))
                };
                Ok(Fields {
                    $( $field: f(names::$field)?, )*
                })
            }
        }
    };
    (@add $b:ident, text, $name:expr, $options:expr) => {
        $b.add_text_field($name, $options)
    };
    (@add $b:ident, u64, $name:expr, $options:expr) => {
        $b.add_u64_field($name, $options)
    };
}

fields! {
    /// File path as walked; a raw term, so a file's passages can be deleted together. Fast,
    /// as are the title, issuer and type: counts by document, issuer and type read one value
    /// per document rather than a stored passage (see [`crate::search::facets`]).
    path: text = keyword() | STORED | FAST,
    format: text = keyword() | STORED,
    /// Document title, stored with each passage to show it; searched in the header.
    title: text = STORED | FAST,
    /// 发文字号, normalised (see [`crate::ingest::meta::find_doc_number`]); raw terms: the
    /// number and its other cited form (see [`crate::ingest::meta::doc_number_forms`]),
    /// stored in that order.
    doc_number: text = keyword() | STORED,
    /// 发文机关, stored with each passage; searched in the header.
    issuer: text = STORED | FAST,
    /// 文种 (法律, 条例, 通知 …, 司法解释); a raw term.
    doc_type: text = keyword() | STORED | FAST,
    /// 文种 as the title names it where that differs from `doc_type` (a 司法解释 titled
    /// …的批复: 批复), so that `type:批复` finds it too (see
    /// [`crate::ingest::meta::doc_type_forms`]); a raw term.
    doc_form: text = keyword(),
    /// Document date (adopted or promulgated) as yyyymmdd; 0 when unknown.
    date: u64 = filter_number() | FAST | STORED,
    /// Date the document takes effect (施行) as yyyymmdd; 0 when unknown.
    effective: u64 = filter_number() | FAST | STORED,
    /// The article (第二十一条) a passage of a law is; a raw term.
    article: text = keyword() | STORED,
    /// Heading path joined with [`super::HEADING_SEPARATOR`].
    heading: text = jieba_words(true),
    /// Passage text as written, stored.
    text: text = STORED,
    /// Passage text as CJK bigrams with positions, for substring recall and ranking (a
    /// query word's BM25 as a phrase of bigrams). Not also as jieba words: known-item MRR@10
    /// and the structural queries scored the same without them, and writing them was an
    /// eighth of indexing and of the index.
    grams: text = grams(Scored::Yes),
    /// The characters ending the passage text's runs of CJK characters, for lone-character
    /// queries (see [`crate::analysis`]).
    run_ends: text = run_ends(),
    /// TF-IDF key phrases of the passage.
    keyphrases: text = jieba_words(true),
    /// The passage's place in its document: a query that locates passages reads them in
    /// this order (one file's passages may lie in several segments).
    ordinal: u64 = STORED | FAST,
    start: u64 = STORED,
    end: u64 = STORED,
    /// Passages with equal keys are duplicates, shown once.
    dup_key: u64 = FAST,
    /// The passage's document (see [`super::document::doc_key`]); 0 in headers.
    doc_key: u64 = filter_number() | FAST,
    /// The header's document (see [`super::document::doc_key`]); only headers have it.
    header_key: u64 = filter_number() | FAST,
    /// The heading path again as CJK bigrams, so that a query word may stand in it.
    heading_grams: text = grams(Scored::No),
    /// The characters ending the heading path's runs of CJK characters.
    heading_run_ends: text = run_ends(),
    /// The document's short title hashed (see [`crate::ingest::meta::title_key`]): a query
    /// naming the document exactly finds it by this.
    title_key: u64 = FAST,
    /// 1 for a heading line (see [`crate::ingest::passage::Passage::heading_line`]).
    heading_line: u64 = FAST,
    /// Header: the title as jieba words, for ranking.
    header_title: text = jieba_words(false),
    /// Header: the title as CJK bigrams, for `title:` filters.
    header_title_grams: text = grams(Scored::No),
    /// Header: 发文机关 as CJK bigrams, so `issuer:` matches any part of it.
    header_issuer: text = grams(Scored::No),
    /// Header: TF-IDF key phrases of the whole document.
    header_keyphrases: text = jieba_words(false),
}

/// jieba words with frequencies, for BM25 (stored when the field is also shown).
/// One raw term, for filtering and deleting: without the lengths only scoring reads (a
/// byte per passage and field).
fn keyword() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

/// A number searched by value or range, never scored: without lengths either.
fn filter_number() -> NumericOptions {
    NumericOptions::default().set_indexed()
}

fn jieba_words(stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(JIEBA)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// CJK bigrams with positions, for substring queries.
/// Whether a field's matches are scored, which needs its lengths (a byte per document).
#[derive(PartialEq)]
enum Scored {
    Yes,
    /// Only matched (substrings of headings, titles, issuers, filtered on).
    No,
}

/// Which passages hold a term, nothing more: matched, never scored or phrased.
fn run_ends() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(CJK_RUN_END)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

fn grams(scored: Scored) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(CJK_GRAM)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(scored == Scored::Yes),
    )
}
