//! The API's answers, as plain functions of the index and the query string: `/api/search`,
//! `/api/doc`, `/api/stats` and `/api/list`. JSON comes from the CLI's serializers, so the
//! API and `--json` cannot drift apart.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use anyhow::Result;
use serde::Serialize;

use super::params::{self, Output, SearchParams};
use crate::index::Store;
use crate::index::catalog::Catalog;
use crate::ingest::{name, walk};
use crate::render;
use crate::search;
use crate::search::browse::{self, Listed};
use crate::search::query;
use crate::search::synonyms::Synonyms;
use crate::serve::cache::Cache;

/// An answer: status, content type and body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

pub const JSON: &str = "application/json; charset=utf-8";
const JSON_LINES: &str = "application/x-ndjson; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

impl Reply {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body,
        }
    }

    fn json(value: &impl Serialize) -> Result<Reply> {
        Ok(Reply::ok(JSON, serde_json::to_vec(value)?))
    }

    /// `{"error": message, "status": status}`.
    pub fn error(status: u16, message: &str) -> Reply {
        #[derive(Serialize)]
        struct Error<'a> {
            error: &'a str,
            status: u16,
        }
        Reply {
            status,
            content_type: JSON,
            body: serde_json::to_vec(&Error {
                error: message,
                status,
            })
            .unwrap_or_default(),
        }
    }
}

/// What is known of the commit being searched: its documents as `list` shows them, its
/// aliases, and the replies of searches made since it was loaded.
pub struct Snapshot {
    pub catalog: Catalog,
    /// Built-in, the index's alias table (written with each commit), the index folder's
    /// and `--synonyms`.
    pub synonyms: Arc<Synonyms>,
    pub replies: Cache,
}

impl Snapshot {
    /// The catalog and aliases of the index's last commit, and an empty cache of
    /// `cache_bytes`.
    pub fn load(api: &Api) -> Result<Snapshot> {
        Snapshot::of(&api.store, api.synonyms_file.as_deref(), api.cache_bytes)
    }

    fn of(store: &Store, synonyms_file: Option<&Path>, cache_bytes: usize) -> Result<Snapshot> {
        Ok(Snapshot {
            catalog: store.listing()?,
            synonyms: Arc::new(Synonyms::load(store.dir(), synonyms_file)?),
            replies: Cache::new(cache_bytes),
        })
    }
}

/// The words a document view marks: those of the query, wherever they stand.
const MARKED: query::Mode = query::Mode {
    strict: false,
    relaxed: false,
};

/// What the API answers from: the index, opened once, and its catalog, replaced on reload.
pub struct Api {
    pub store: Store,
    pub dir: PathBuf,
    /// The user's synonym file (`--synonyms`), read again with each commit's aliases.
    pub synonyms_file: Option<PathBuf>,
    /// The most bytes of search replies kept (`--cache-mb`).
    pub cache_bytes: usize,
    pub snapshot: RwLock<Arc<Snapshot>>,
}

/// Most context passages `/api/doc` gives either side of a passage: enough for the whole of
/// any document.
const MAX_CONTEXT: usize = 1 << 20;

impl Api {
    pub fn open(dir: &Path, synonyms_file: Option<&Path>, cache_bytes: usize) -> Result<Api> {
        let store = Store::open(dir)?;
        // Opened now, so a damaged index fails at start rather than at the first search.
        store.reader()?;
        let snapshot = Snapshot::of(&store, synonyms_file, cache_bytes)?;
        Ok(Api {
            synonyms_file: synonyms_file.map(Path::to_path_buf),
            store,
            dir: dir.to_path_buf(),
            cache_bytes,
            snapshot: RwLock::new(Arc::new(snapshot)),
        })
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Answers a GET of an API path, `query` being its query string.
    pub fn answer(&self, path: &str, query: &str) -> Reply {
        let pairs = || form_urlencoded::parse(query.as_bytes()).into_owned();
        let result = match path {
            "/api/search" => match params::parse(pairs()) {
                Ok(p) => return self.search_cached(&p),
                Err(message) => return Reply::error(400, &message),
            },
            "/api/doc" => self.doc(pairs().collect()),
            "/api/stats" => self.stats(),
            "/api/list" => self.list(),
            _ => return Reply::error(404, &format!("no such API: {path}")),
        };
        result.unwrap_or_else(error_reply)
    }

    fn synonyms(&self, exact: bool) -> Arc<Synonyms> {
        if exact {
            Arc::new(Synonyms::none())
        } else {
            self.snapshot().synonyms.clone()
        }
    }

    /// The reply already given to the same search since the last commit, if any: answered
    /// without a search, or a thread.
    pub fn cached(&self, path: &str, query: &str) -> Option<Reply> {
        if path != "/api/search" {
            return None;
        }
        let p = params::parse(form_urlencoded::parse(query.as_bytes()).into_owned()).ok()?;
        self.snapshot().replies.get(&p)
    }

    /// A search's reply, kept for the next time it is asked until the next commit. The
    /// snapshot is taken before the search: a commit reloads the reader before it replaces
    /// the snapshot, so the cache of a snapshot never holds replies of an older commit.
    fn search_cached(&self, p: &SearchParams) -> Reply {
        let snapshot = self.snapshot();
        if let Some(reply) = snapshot.replies.get(p) {
            return reply;
        }
        let reply = self.search(p).unwrap_or_else(error_reply);
        snapshot.replies.put(p, &reply);
        reply
    }

    pub fn search(&self, p: &SearchParams) -> Result<Reply> {
        // Parsed first, so that a malformed query is told apart from a failing index.
        query::parse(&p.query).map_err(UserError)?;
        let opts = search::Options {
            limit: p.limit,
            offset: p.offset,
            by_document: p.files,
            count_by: p.count_by.clone(),
            sort: p.sort,
            synonyms: self.synonyms(p.exact),
            explain: p.explain,
            strict: p.strict,
            filters: search::validity_filters(p.latest, p.as_of.as_deref()).map_err(UserError)?,
        };
        let mut results = search::run(&self.store, &p.query, &opts).map_err(user_unless_index)?;
        // Paths as the CLI's JSON shows them.
        let best = results.documents.iter_mut().flatten().map(|d| &mut d.best);
        for hit in results.hits.iter_mut().chain(best) {
            hit.path = walk::shown(&hit.path).to_string();
            for d in &mut hit.duplicates {
                d.path = walk::shown(&d.path).to_string();
            }
        }
        for facet in &mut results.facets {
            if facet.kind == search::FacetKind::Doc {
                for v in &mut facet.values {
                    v.value = v.value.as_deref().map(|p| walk::shown(p).to_string());
                }
            }
        }
        let mut body = Vec::new();
        match p.output {
            Output::Json => render::json::write(&mut body, &results)?,
            Output::Lines => {
                render::json::write_lines(&mut body, &results)?;
                return Ok(Reply::ok(JSON_LINES, body));
            }
            Output::Cite => {
                render::terminal::write_citations(&mut body, &results)?;
                return Ok(Reply::ok(TEXT, body));
            }
        }
        Ok(Reply::ok(JSON, body))
    }

    /// A document (`path`), or a passage (`passage=N`) with `context` passages either side
    /// (2 by default, as `show`), its catalog entry as `list` gives it, and with `q` the
    /// matches of that query marked in every passage.
    fn doc(&self, pairs: HashMap<String, String>) -> Result<Reply> {
        let Some(path) = pairs.get("path").filter(|p| !p.is_empty()) else {
            return Ok(Reply::error(400, "missing path, the document's path"));
        };
        let number = |name: &str, default: usize| -> Result<usize, UserError> {
            match pairs.get(name) {
                None => Ok(default),
                Some(v) => v
                    .parse::<usize>()
                    .map_err(|_| UserError(anyhow::anyhow!("{name}: '{v}' is not a number"))),
            }
        };
        let passage = pairs
            .get("passage")
            .map(|_| number("passage", 0))
            .transpose()?;
        let context = number("context", 2)?.min(MAX_CONTEXT);
        // Only a document of the index is shown, and its text comes from the index, never
        // from the file system: any other path, `../../etc/passwd` too, is not found.
        // Any form the API prints a path in: `path`, a name that is not UTF-8 by its U+FFFDs.
        let snapshot = self.snapshot();
        let indexed = match browse::document_key(&snapshot.catalog, std::ffi::OsStr::new(path)) {
            Ok(Some(key)) => key,
            Ok(None) => {
                let message = format!("no document {path} in the index");
                return Ok(Reply::error(404, &message));
            }
            Err(e) => return Ok(Reply::error(404, &format!("{e:#}"))),
        };
        let record = &snapshot.catalog.files[&indexed];
        let focus = passage.map(|n| n as u64);
        let shown = match browse::show_key(&self.store, &snapshot.catalog, &indexed, focus, context)
        {
            Ok(shown) => shown,
            // The document is there; the passage asked for is not.
            Err(e) if passage.is_some() => return Ok(Reply::error(404, &format!("{e:#}"))),
            Err(e) => return Err(e),
        };
        let needles = match pairs.get("q").filter(|q| !q.trim().is_empty()) {
            Some(q) if q.chars().count() <= params::MAX_QUERY_CHARS => {
                let exact = pairs.get("exact").is_some_and(|v| v != "0" && v != "false");
                self.needles(q, &self.synonyms(exact))?
            }
            _ => Vec::new(),
        };
        #[derive(Serialize)]
        struct Doc<'a> {
            #[serde(flatten)]
            shown: render::json::JsonShown<'a>,
            document: Listed,
        }
        let mut shown = shown;
        shown.path = walk::shown(&indexed).to_string();
        let mut document = Listed {
            path: shown.path.clone(),
            record: record.clone(),
        };
        document.record.root = name::lossy(walk::shown(&document.record.root));
        let marked = |text: &str| (!needles.is_empty()).then(|| highlights(text, &needles));
        Reply::json(&Doc {
            shown: render::json::JsonShown::new(&shown, marked),
            document,
        })
    }

    /// The words and synonyms a query highlights; none for a malformed query.
    fn needles(&self, q: &str, synonyms: &Synonyms) -> Result<Vec<String>> {
        let Ok(parsed) = query::parse(q) else {
            return Ok(Vec::new());
        };
        let searcher = self.store.reader()?.searcher();
        Ok(
            match query::compile(
                &parsed,
                &self.store.fields,
                &searcher,
                synonyms,
                MARKED,
                None,
            ) {
                Ok(compiled) => compiled.needles(),
                Err(_) => Vec::new(),
            },
        )
    }

    fn stats(&self) -> Result<Reply> {
        let mut stats = browse::stats(&self.store, &self.dir)?;
        stats.by_folder = std::mem::take(&mut stats.by_folder)
            .into_iter()
            .map(|(folder, n)| (name::lossy(walk::shown(&folder)), n))
            .collect();
        Reply::json(&stats)
    }

    /// The documents as `list --json` gives them, in one array.
    fn list(&self) -> Result<Reply> {
        let snapshot = self.snapshot();
        let docs: Vec<Listed> = snapshot
            .catalog
            .files
            .iter()
            .map(|(path, record)| {
                let mut record = record.clone();
                record.root = name::lossy(walk::shown(&record.root));
                Listed {
                    path: walk::shown(path).to_string(),
                    record,
                }
            })
            .collect();
        Reply::json(&docs)
    }
}

/// Byte ranges of every occurrence of the needles in `text`, sorted, overlaps merged.
fn highlights(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e, _) in search::occurrences(text, needles) {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// An error of the request rather than of the index: a 400.
#[derive(Debug)]
struct UserError(anyhow::Error);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for UserError {}

/// A failed search is the query's fault unless the index or the disk failed.
fn user_unless_index(e: anyhow::Error) -> anyhow::Error {
    let system = e.chain().any(|c| {
        c.downcast_ref::<tantivy::TantivyError>().is_some()
            || c.downcast_ref::<std::io::Error>().is_some()
    });
    if system { e } else { UserError(e).into() }
}

fn error_reply(e: anyhow::Error) -> Reply {
    Reply::error(status_of(&e), &format!("{e:#}"))
}

fn status_of(e: &anyhow::Error) -> u16 {
    if e.downcast_ref::<UserError>().is_some() {
        400
    } else {
        500
    }
}
