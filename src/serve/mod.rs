//! `zhengce serve`: the search as an HTTP API and one web page, from one process that keeps
//! the index open and follows `zhengce index`'s commits.
//!
//! - [`api`]: the answers, as plain functions of the index (the CLI's JSON serializers).
//! - [`params`]: `/api/search`'s parameters, the CLI's options.
//! - `assets/`: the page (HTML, CSS, JS), compiled into the binary.

pub mod api;
mod cache;
pub mod params;

use std::convert::Infallible;
use std::net::{IpAddr, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;

use api::{Api, Reply, Snapshot};

/// Connections served at once; more wait in the kernel's queue.
const MAX_CONNECTIONS: usize = 512;
/// A client must send a request's head within this, or its connection is closed: a slow or
/// silent client holds no more than its own connection, and not for long.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest a connection lives, keep-alive included; browsers reconnect.
const CONNECTION_LIFETIME: Duration = Duration::from_secs(120);
/// Longest request head (hyper's minimum is 8 KiB): a query of `MAX_QUERY_CHARS`, URL-encoded.
const MAX_REQUEST_BYTES: usize = 64 << 10;
/// A request waits this long for a free searcher before a 503.
const QUEUE_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the index is checked for a new commit.
const RELOAD_EVERY: Duration = Duration::from_millis(300);

const PAGE: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/style.css");
/// The page loads only its own script and style and talks only to this server.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Serves the index at `dir` on `listen` until the process is stopped.
pub fn run(dir: &Path, listen: &str, synonyms: Option<&Path>, cache_bytes: usize) -> Result<()> {
    let addr = listen
        .to_socket_addrs()
        .with_context(|| format!("cannot listen on {listen}: not an address and port"))?
        .next()
        .with_context(|| format!("cannot listen on {listen}: no such address"))?;
    let loopback = addr.ip().is_loopback();
    if !loopback {
        eprintln!(
            "zhengce: warning: serving on {addr}, which other machines may reach; the API has no authentication"
        );
    }
    let api = Arc::new(Api::open(dir, synonyms, cache_bytes)?);
    // Searches are CPU work: as many at once as there are cores, so that a burst queues
    // instead of every search slowing down.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.min(4))
        .max_blocking_threads(cores.max(2) * 2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener.local_addr()?;
        let url = match bound.ip() {
            IpAddr::V6(ip) => format!("http://[{ip}]:{}/", bound.port()),
            IpAddr::V4(ip) => format!("http://{ip}:{}/", bound.port()),
        };
        {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            writeln!(out, "zhengce: serving {} on {url}", dir.display())?;
            out.flush()?;
        }
        let reloader = api.clone();
        std::thread::Builder::new()
            .name("reload".into())
            .spawn(move || follow_commits(&reloader))?;
        let server = Arc::new(Server {
            api,
            searches: Arc::new(Semaphore::new(cores.max(2))),
            loopback,
        });
        accept(listener, server).await;
        Ok(())
    })
}

struct Server {
    api: Arc<Api>,
    searches: Arc<Semaphore>,
    /// Listening on loopback only: requests must name a loopback host.
    loopback: bool,
}

async fn accept(listener: tokio::net::TcpListener, server: Arc<Server>) {
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = connections.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors or a connection reset before it was accepted: wait a
            // little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let server = server.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let server = server.clone();
                async move { Ok::<_, Infallible>(server.handle(req).await) }
            });
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_REQUEST_BYTES);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, connection).await;
            drop(permit);
        });
    }
}

impl Server {
    async fn handle(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        if !self.host_allowed(req.headers().get(header::HOST)) {
            // A page elsewhere reaching this server through a DNS name that points at
            // 127.0.0.1 (DNS rebinding) must not read the index.
            return respond(
                Reply::error(403, "this server answers to localhost only"),
                None,
            );
        }
        if req.method() != Method::GET && req.method() != Method::HEAD {
            let mut response = respond(Reply::error(405, "only GET is served"), None);
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let path = req.uri().path().to_string();
        let query = req.uri().query().unwrap_or_default().to_string();
        let asset = |body: &'static str, content_type: &'static str| Reply {
            status: 200,
            content_type,
            body: body.as_bytes().to_vec(),
        };
        let reply = match path.as_str() {
            "/" | "/index.html" => {
                return respond(asset(PAGE, "text/html; charset=utf-8"), Some(PAGE_POLICY));
            }
            "/app.js" => asset(SCRIPT, "text/javascript; charset=utf-8"),
            "/style.css" => asset(STYLE, "text/css; charset=utf-8"),
            p if p.starts_with("/api/") => self.api_call(path, query).await,
            _ => Reply::error(404, &format!("not found: {path}")),
        };
        respond(reply, None)
    }

    /// Answers an API call from the cache, or runs it on the blocking pool, at most one per
    /// core at once.
    async fn api_call(&self, path: String, query: String) -> Reply {
        if let Some(reply) = self.api.cached(&path, &query) {
            return reply;
        }
        let permit = match tokio::time::timeout(
            QUEUE_TIMEOUT,
            self.searches.clone().acquire_owned(),
        )
        .await
        {
            Ok(Ok(permit)) => permit,
            _ => return Reply::error(503, "the server is busy: try again"),
        };
        let api = self.api.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            api.answer(&path, &query)
        })
        .await
        .unwrap_or_else(|_| Reply::error(500, "the search failed"))
    }

    fn host_allowed(&self, host: Option<&HeaderValue>) -> bool {
        if !self.loopback {
            return true;
        }
        // HTTP/1.0 clients may send none.
        let Some(host) = host.and_then(|h| h.to_str().ok()) else {
            return host.is_none();
        };
        let name = match host.strip_prefix('[') {
            Some(rest) => rest.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host, |(name, _)| name),
        };
        name.eq_ignore_ascii_case("localhost")
            || name
                .parse::<IpAddr>()
                .is_ok_and(|ip: IpAddr| ip.is_loopback())
    }
}

fn respond(reply: Reply, policy: Option<&'static str>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(reply.status).unwrap_or(hyper::StatusCode::OK);
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Some(policy) = policy {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    response
}

/// Reloads the reader and the catalog whenever `zhengce index` commits. A commit replaces
/// `meta.json` atomically and the reader loads whole commits, so a search sees the index
/// before a commit or after it, never between.
fn follow_commits(api: &Api) {
    let opstamp = || api.store.index.load_metas().map(|m| m.opstamp).ok();
    let mut current = opstamp();
    let mut failed = String::new();
    loop {
        std::thread::sleep(RELOAD_EVERY);
        let Some(seen) = opstamp() else { continue };
        if Some(seen) == current {
            continue;
        }
        let loaded =
            Snapshot::load(api).and_then(|snapshot| Ok((snapshot, api.store.reader()?.reload()?)));
        match loaded {
            // A commit between reading the catalog and the reader: the next turn loads both.
            Ok((snapshot, ())) if opstamp() == Some(seen) => {
                let snapshot = Arc::new(snapshot);
                match api.snapshot.write() {
                    Ok(mut s) => *s = snapshot,
                    Err(poisoned) => *poisoned.into_inner() = snapshot,
                }
                current = Some(seen);
                failed.clear();
            }
            Ok(_) => {}
            // Said once, not every turn; searches go on with the last commit loaded.
            Err(e) => {
                let message = format!("{e:#}");
                if message != failed {
                    eprintln!("zhengce: cannot reload the index: {message}");
                    failed = message;
                }
            }
        }
    }
}
