//! `zhengce serve`'s API against a real server on a loopback port: the same answers as the
//! CLI, errors with their status, and the cases a public-facing server must survive.

mod support;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{SCRIPT_DOC, Server, enc, indexed_folder, zhengce};
use tempfile::TempDir;

/// One indexed folder for the tests that only read; each test runs its own server, stopped
/// when the test ends.
struct Shared {
    dir: &'static Path,
    server: Server,
}

fn shared() -> Shared {
    static DIR: OnceLock<TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(indexed_folder).path();
    Shared {
        dir,
        server: Server::start(dir),
    }
}

fn cli_json(dir: &Path, args: &[&str]) -> Value {
    let out = zhengce(dir, args);
    serde_json::from_slice(&out.stdout).expect("CLI JSON")
}

/// A search's JSON without its timing, which differs from run to run.
fn timeless(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("took_ms");
    v
}

#[test]
fn search_answers_as_the_cli_does() {
    let s = shared();
    for (query, extra) in [
        ("驾驭高水平", ""),
        ("数据 安全", "&limit=3"),
        ("世界贸易组织 OR 国务院", "&sort=date&limit=5"),
        ("WTO", "&exact=1"),
        ("数据安全", "&explain=true&limit=2"),
    ] {
        let r = s
            .server
            .get(&format!("/api/search?q={}{extra}", enc(query)));
        assert_eq!(r.status, 200, "{query}: {}", r.text());
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        let mut args = vec!["search", query, "--json"];
        for param in extra.split('&').filter(|p| !p.is_empty()) {
            match param.split_once('=').unwrap() {
                ("limit", n) => args.extend(["--limit", n]),
                ("sort", "date") => args.extend(["--sort", "date"]),
                ("exact", _) => args.push("--exact"),
                ("explain", _) => args.push("--explain"),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            timeless(r.json()),
            timeless(cli_json(s.dir, &args)),
            "{query}{extra}"
        );
    }
}

#[test]
fn other_outputs_answer_as_the_cli_does() {
    let s = shared();
    let out = zhengce(s.dir, &["search", "数据", "--cite"]);
    let r = s.server.get(&format!("/api/search?q={}&cite", enc("数据")));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(r.body, out.stdout);
    let out = zhengce(s.dir, &["search", "数据", "--jsonl", "-n", "4"]);
    let r = s
        .server
        .get(&format!("/api/search?q={}&jsonl=1&n=4", enc("数据")));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-ndjson; charset=utf-8")
    );
    assert_eq!(r.text(), String::from_utf8(out.stdout).unwrap());
}

#[test]
fn offset_pages_through_the_hits() {
    let s = shared();
    let all = s
        .server
        .get(&format!("/api/search?q={}&limit=6", enc("国务院")))
        .json();
    let page = s
        .server
        .get(&format!("/api/search?q={}&limit=3&offset=3", enc("国务院")))
        .json();
    assert_eq!(page["total_hits"], all["total_hits"]);
    let hits = |v: &Value, range: std::ops::Range<usize>| -> Vec<(Value, Value)> {
        v["hits"].as_array().unwrap()[range]
            .iter()
            .map(|h| (h["path"].clone(), h["passage"].clone()))
            .collect()
    };
    assert_eq!(hits(&page, 0..3), hits(&all, 3..6));
}

#[test]
fn facet_counts_count_matching_documents() {
    let s = shared();
    let r = s.server.get(&format!(
        "/api/search?q={}&count_by=year,issuer,type",
        enc("条例")
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    // The CLI's object, counts included.
    let cli = cli_json(
        s.dir,
        &["search", "条例", "--json", "--count-by", "year,issuer,type"],
    );
    assert_eq!(timeless(v.clone()), timeless(cli));
    let count = |kind: &str, value: &str| {
        v["facets"][kind]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["value"] == value)
            .map(|f| f["documents"].as_u64().unwrap())
    };
    assert_eq!(count("type", "条例"), Some(2), "{}", v["facets"]);
    assert!(count("year", "2019").is_some(), "{}", v["facets"]);
    // A facet value, used as a filter, finds that many documents.
    let filtered = s
        .server
        .get(&format!(
            "/api/search?q={}&limit=100",
            enc("条例 type:条例")
        ))
        .json();
    let docs: std::collections::BTreeSet<&str> = filtered["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    assert_eq!(docs.len(), 2);
}

#[test]
fn a_malformed_query_is_a_400_with_the_cli_message() {
    let s = shared();
    for query in ["(数据 OR 安全", "date:2019-13", "title:"] {
        let out = zhengce(s.dir, &["search", query]);
        assert_eq!(out.status.code(), Some(2));
        let cli = String::from_utf8(out.stderr).unwrap();
        let r = s.server.get(&format!("/api/search?q={}", enc(query)));
        assert_eq!(r.status, 400, "{query}");
        let v = r.json();
        assert_eq!(v["status"], 400);
        assert_eq!(
            format!("zhengce: {}\n", v["error"].as_str().unwrap()),
            cli,
            "{query}"
        );
    }
}

#[test]
fn bad_parameters_are_400s() {
    let s = shared();
    for (query, says) in [
        ("/api/search", "missing q"),
        ("/api/search?q=a&limit=0", "limit"),
        ("/api/search?q=a&limit=100000", "from 1 to 100"),
        ("/api/search?q=a&sort=size", "sort"),
        ("/api/search?q=a&index=/etc", "unknown parameter 'index'"),
        (
            "/api/search?q=a&synonyms=/etc/passwd",
            "unknown parameter 'synonyms'",
        ),
        ("/api/doc", "missing path"),
        ("/api/doc?path=docs/x.txt&passage=-1", "passage"),
    ] {
        let r = s.server.get(query);
        let text = r.text();
        assert_eq!(r.status, 400, "{query}: {text}");
        assert!(text.contains(says), "{query}: {text}");
    }
    assert_eq!(s.server.get("/api/nothing").status, 404);
    assert_eq!(s.server.get("/nothing").status, 404);
    let post = s.server.request(&format!(
        "POST /api/search?q=a HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        s.server.addr
    ));
    assert_eq!(post.status, 405);
}

#[test]
fn an_oversized_query_is_refused_and_the_server_goes_on() {
    let s = shared();
    let long = "数".repeat(501);
    let r = s.server.get(&format!("/api/search?q={}", enc(&long)));
    assert_eq!(r.status, 400);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("query too long")
    );
    // A request head past the limit is refused by the HTTP layer, without a search.
    let huge = "a".repeat(200_000);
    let r = s.server.get(&format!("/api/search?q={huge}"));
    assert_ne!(r.status, 200);
    let r = s
        .server
        .get(&format!("/api/search?q={}&limit=100000", enc("数据")));
    assert_eq!(r.status, 400);
    let r = s
        .server
        .get(&format!("/api/search?q={}&offset=5000", enc("数据")));
    assert_eq!(r.status, 400);
    assert_eq!(
        s.server
            .get(&format!("/api/search?q={}", enc("数据")))
            .status,
        200
    );
}

#[test]
fn only_documents_of_the_index_are_served() {
    let s = shared();
    let secret = s.dir.join("secret.txt");
    fs::write(&secret, "不在索引中的文件").unwrap();
    for path in [
        "../../etc/passwd",
        "/etc/passwd",
        "docs/../../../../etc/passwd",
        "secret.txt",
        secret.to_str().unwrap(),
        "index/meta.json",
        "docs",
        "",
    ] {
        let r = s.server.get(&format!("/api/doc?path={}", enc(path)));
        let expected = if path.is_empty() { 400 } else { 404 };
        assert_eq!(r.status, expected, "{path}: {}", r.text());
        assert!(!r.text().contains("root:"), "{path}");
        assert!(!r.text().contains("不在索引中"), "{path}");
    }
    // Traversal in the URL's path reaches no file either.
    for raw in [
        "/../../etc/passwd",
        "/api/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let r = s.server.get(raw);
        assert!(r.status == 404 || r.status == 400, "{raw}: {}", r.status);
        assert!(!r.text().contains("root:"));
    }
}

#[test]
fn doc_shows_a_passage_with_its_context_as_show_does() {
    let s = shared();
    let path = "docs/数据安全法(2021-06-10).md";
    let cli = cli_json(s.dir, &["show", &format!("{path}:25"), "--json"]);
    let r = s
        .server
        .get(&format!("/api/doc?path={}&passage=25", enc(path)));
    assert_eq!(r.status, 200, "{}", r.text());
    let mut v = r.json();
    let document = v.as_object_mut().unwrap().remove("document").unwrap();
    assert_eq!(v, cli);
    assert_eq!(document["issuer"], "全国人民代表大会常务委员会");
    assert_eq!(document["date"], "2021-06-10");
    assert_eq!(document["path"], path);
    // With a query, each passage has its matches.
    let r = s.server.get(&format!(
        "/api/doc?path={}&passage=25&context=1000&q={}",
        enc(path),
        enc("数据 安全")
    ));
    let v = r.json();
    let passages = v["passages"].as_array().unwrap();
    assert!(passages.len() > 30, "the whole document");
    assert_eq!(passages.iter().filter(|p| p["focus"] == true).count(), 1);
    let mut marked = 0;
    for p in passages {
        let text = p["text"].as_str().unwrap();
        for h in p["highlights"].as_array().unwrap() {
            let (a, b) = (
                h[0].as_u64().unwrap() as usize,
                h[1].as_u64().unwrap() as usize,
            );
            assert!(["数据", "安全"].contains(&&text[a..b]), "{}", &text[a..b]);
            marked += 1;
        }
    }
    assert!(marked > 50, "{marked}");
    // The whole document, without a passage.
    let whole = s.server.get(&format!("/api/doc?path={}", enc(path))).json();
    let cli = cli_json(s.dir, &["show", path, "--json"]);
    assert_eq!(whole["passages"], cli["passages"]);
    // A passage the document does not have.
    let r = s
        .server
        .get(&format!("/api/doc?path={}&passage=99999", enc(path)));
    assert_eq!(r.status, 404);
}

#[test]
fn stats_and_list_answer_as_the_cli_does() {
    let s = shared();
    let mut stats = s.server.get("/api/stats").json();
    let mut cli = cli_json(s.dir, &["stats", "--json"]);
    for v in [&mut stats, &mut cli] {
        // The CLI writes nothing, but the server's reader may have touched the lock file.
        v.as_object_mut().unwrap().remove("index_bytes");
    }
    assert_eq!(stats, cli);
    let list = s.server.get("/api/list").json();
    let out = zhengce(s.dir, &["list", "--json"]);
    let cli: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(list, Value::Array(cli));
}

#[test]
fn markup_in_a_document_is_data_not_page() {
    let s = shared();
    let r = s.server.get(&format!("/api/search?q={}", enc("脚本测试")));
    assert_eq!(r.status, 200);
    // JSON, which a browser never renders as a page.
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let v = r.json();
    let hit = &v["hits"][0];
    assert_eq!(hit["path"], SCRIPT_DOC);
    assert!(hit["title"].as_str().unwrap().contains("<script>"));
    // The page runs only its own script.
    let page = s.server.get("/");
    assert_eq!(page.status, 200);
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!page.text().contains("<script>"), "no inline script");
    assert!(s.server.get("/app.js").text().contains("textContent"));
}

#[test]
fn answers_only_to_a_loopback_host_name() {
    let s = shared();
    let ask = |host: &str| {
        s.server
            .request(&format!(
                "GET /api/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ))
            .status
    };
    assert_eq!(ask("localhost:8080"), 200);
    assert_eq!(ask("127.0.0.1"), 200);
    assert_eq!(ask("[::1]:80"), 200);
    // A name that resolves to 127.0.0.1 for a page elsewhere (DNS rebinding).
    assert_eq!(ask("attacker.example"), 403);
    assert_eq!(ask("attacker.example:8080"), 403);
}

#[test]
fn slow_and_broken_clients_do_not_stall_others() {
    let s = shared();
    // Clients that open a connection and send half a request head, or garbage.
    let mut idle = Vec::new();
    for i in 0..50 {
        let mut c = TcpStream::connect(&s.server.addr).unwrap();
        let junk: &[u8] = if i % 2 == 0 {
            b"GET /api/search?q=%E6%95%B0 HTTP/1.1\r\nHost: 127"
        } else {
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http"
        };
        c.write_all(junk).unwrap();
        idle.push(c);
    }
    let started = Instant::now();
    for _ in 0..20 {
        let r = s.server.get(&format!("/api/search?q={}", enc("数据")));
        assert_eq!(r.status, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // And the server closes their connections once the time for a request head (10 s) is
    // over, long before a connection's lifetime (120 s).
    let mut slow = idle.swap_remove(0);
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut rest = Vec::new();
    let closed = slow.read_to_end(&mut rest);
    assert!(closed.is_ok(), "still open: {closed:?}");
    drop(idle);
}

#[test]
fn a_new_commit_is_searched_without_a_restart() {
    let dir = indexed_folder();
    let server = Server::start(dir.path());
    let query = format!("/api/search?q={}", enc("独一无二的新词汇"));
    assert_eq!(server.get(&query).json()["total_hits"], 0);
    fs::write(
        dir.path().join("docs/新文件.txt"),
        "新文件\n\n这里有一个独一无二的新词汇。\n",
    )
    .unwrap();
    // Searches go on while the index is updated, and never fail.
    let indexing = std::process::Command::new(support::BIN)
        .args(["index", "docs", "--quiet"])
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    let mut indexing = Some(indexing);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = server.get(&query);
        assert_eq!(r.status, 200, "{}", r.text());
        let found = r.json()["total_hits"] == 1;
        if let Some(mut child) = indexing.take() {
            match child.try_wait().unwrap() {
                Some(status) => assert!(status.success()),
                None => indexing = Some(child),
            }
        }
        if found && indexing.is_none() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new document was never found"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The catalog follows too: the new document is listed and shown.
    let list = server.get("/api/list").json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|d| d["path"] == "docs/新文件.txt")
    );
    let r = server.get(&format!("/api/doc?path={}", enc("docs/新文件.txt")));
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn serve_without_an_index_fails_at_once() {
    let dir = TempDir::new().unwrap();
    let out = zhengce(
        dir.path(),
        &["serve", "--index", "none", "--listen", "127.0.0.1:0"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no index at none"), "{err}");
    let out = zhengce(
        dir.path(),
        &["serve", "--index", "none", "--listen", "nowhere"],
    );
    assert_eq!(out.status.code(), Some(2));
}
