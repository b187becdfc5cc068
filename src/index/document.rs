//! What the index stores for a file, and reading it back: the header document (one per file),
//! the passage documents, and [`Stored`], the stored fields of a passage as hits and `show`
//! read them.

use tantivy::TantivyDocument;
use tantivy::schema::Value;

use super::HEADING_SEPARATOR;
use super::schema::Fields;
use crate::ingest::meta::{Date, Meta, doc_number_forms, doc_type_forms, title_key};
use crate::ingest::passage::Passage;

/// The key joining a file's passages to its header: a stable hash of its path, never 0 (the
/// key headers carry, so that every document has one and the column reads fast).
pub fn doc_key(path: &str) -> u64 {
    crate::ingest::stable_hash(path.as_bytes()).max(1)
}

/// A file's header document (see [`Fields`]).
pub fn header(
    f: &Fields,
    path: &str,
    title: &str,
    issuer: Option<&str>,
    keyphrases: &[String],
) -> TantivyDocument {
    let key = doc_key(path);
    let mut d = TantivyDocument::new();
    d.add_u64(f.header_key, key);
    // The passages' fast fields, given values so that their columns are full (an optional
    // column costs a rank lookup on every read): no doc key, no date, a duplicate key of its own.
    d.add_u64(f.doc_key, 0);
    d.add_u64(f.date, 0);
    d.add_u64(f.effective, 0);
    d.add_u64(f.dup_key, key);
    d.add_u64(f.title_key, 0);
    d.add_u64(f.heading_line, 0);
    d.add_u64(f.ordinal, 0);
    d.add_text(f.header_title, title);
    d.add_text(f.header_title_grams, title);
    if let Some(i) = issuer {
        d.add_text(f.header_issuer, i);
    }
    for k in keyphrases {
        d.add_text(f.header_keyphrases, k);
    }
    d
}

/// What every passage of one file stores alike.
pub struct FileFields<'a> {
    pub path: &'a str,
    pub format: &'static str,
    pub title: &'a str,
    pub meta: &'a Meta,
}

/// One passage's document: the file's fields, the passage and its key phrases.
pub fn passage(
    f: &Fields,
    file: &FileFields,
    p: &Passage,
    keyphrases: &[String],
) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(f.path, file.path);
    d.add_text(f.format, file.format);
    d.add_text(f.title, file.title);
    d.add_u64(f.doc_key, doc_key(file.path));
    // Every form `doc:` and `type:` find the document by, the one shown first.
    for n in file
        .meta
        .doc_number
        .as_deref()
        .map(doc_number_forms)
        .unwrap_or_default()
    {
        d.add_text(f.doc_number, n);
    }
    if let Some(i) = &file.meta.issuer {
        d.add_text(f.issuer, i);
    }
    // One type (a fast field counts it once); the title's, where it differs, apart.
    if let Some(t) = file.meta.doc_type.as_deref() {
        let mut forms = doc_type_forms(t, file.title).into_iter();
        if let Some(main) = forms.next() {
            d.add_text(f.doc_type, main);
        }
        for form in forms {
            d.add_text(f.doc_form, form);
        }
    }
    d.add_u64(f.date, file.meta.date.map_or(0, |d| d.as_number()));
    d.add_u64(
        f.effective,
        file.meta.effective.map_or(0, |d| d.as_number()),
    );
    let heading = p.heading.join(HEADING_SEPARATOR);
    d.add_text(f.heading_grams, &heading);
    d.add_text(f.heading_run_ends, &heading);
    d.add_text(f.heading, heading);
    d.add_u64(f.title_key, title_key(file.title));
    d.add_u64(f.heading_line, u64::from(p.heading_line));
    d.add_text(f.text, &p.text);
    d.add_text(f.grams, &p.text);
    d.add_text(f.run_ends, &p.text);
    for k in keyphrases {
        d.add_text(f.keyphrases, k);
    }
    if let Some(a) = &p.article {
        d.add_text(f.article, a);
    }
    d.add_u64(f.ordinal, p.ordinal as u64);
    d.add_u64(f.start, p.start as u64);
    d.add_u64(f.end, p.end as u64);
    d.add_u64(f.dup_key, p.dup_key);
    d
}

/// The stored fields of a passage.
#[derive(Debug, Clone)]
pub struct Stored {
    pub path: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    /// yyyymmdd, 0 when unknown.
    pub date_number: u64,
    /// yyyymmdd of entry into force, 0 when unknown.
    pub effective_number: u64,
    pub doc_type: Option<String>,
    pub article: Option<String>,
    pub heading: String,
    pub text: String,
    pub ordinal: u64,
    pub keyphrases: Vec<String>,
}

impl Stored {
    pub fn from_doc(doc: &TantivyDocument, f: &Fields) -> Stored {
        let optional = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let text = |field| optional(field).unwrap_or_default();
        let date_number = doc.get_first(f.date).and_then(|v| v.as_u64()).unwrap_or(0);
        Stored {
            path: text(f.path),
            title: text(f.title),
            doc_number: optional(f.doc_number),
            issuer: optional(f.issuer),
            date: Date::from_number(date_number).map(Date::iso),
            date_number,
            effective_number: doc
                .get_first(f.effective)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            doc_type: optional(f.doc_type),
            article: optional(f.article),
            heading: text(f.heading),
            text: text(f.text),
            ordinal: doc
                .get_first(f.ordinal)
                .and_then(|v| v.as_u64())
                .unwrap_or_default(),
            keyphrases: doc
                .get_all(f.keyphrases)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        }
    }
}
