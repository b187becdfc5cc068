//! End-to-end tests of how results are delivered: paging (`--offset`), results by document
//! (`--files`), facet counts (`--count-by`), the footer and `no matches` on a terminal's
//! stderr, and the index named by `ZHENGCE_INDEX`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

mod testenv;
use testenv::{TestEnv, indexed_seeds};

#[test]
fn zhengce_index_names_the_default_index_for_every_command() {
    let env = TestEnv::with_docs("seeds");
    env.write("elsewhere/note.txt", "not an index");
    let index = env.join("shared-index");
    let with_env = |sub: &str, args: &[&str]| {
        testenv::Run::from(
            env.command_in(sub, args)
                .env("ZHENGCE_INDEX", &index)
                .output()
                .unwrap(),
        )
    };
    let indexed = with_env(".", &["index", "docs"]);
    assert!(indexed.success(), "{indexed:?}");
    assert!(index.join("meta.json").is_file());
    assert!(!env.join("index").exists(), "./index was written too");

    // From another folder, every command finds it.
    let found = with_env("elsewhere", &["search", "数据安全"]);
    assert_eq!(found.code(), Some(0), "{found:?}");
    assert!(found.stdout().contains("数据安全法"), "{found:?}");
    let stats = with_env("elsewhere", &["stats", "--json"]);
    assert_eq!(
        stats.json::<serde_json::Value>()["documents"],
        5,
        "{stats:?}"
    );
    let listed = with_env("elsewhere", &["list"]);
    assert_eq!(listed.stdout().lines().count(), 5, "{listed:?}");
    let path = format!("{}:0", env.join("docs/数据安全法(2021-06-10).md").display());
    let shown = with_env("elsewhere", &["show", &path, "-C", "0"]);
    assert!(shown.success(), "{shown:?}");

    // --index wins over it.
    let other = with_env("elsewhere", &["search", "数据安全", "--index", "./nowhere"]);
    assert_eq!(other.code(), Some(2));
    assert!(
        other.stderr().contains("no index at ./nowhere"),
        "{other:?}"
    );

    // Empty, it is unset: ./index.
    let empty = env
        .command_in("elsewhere", &["search", "数据安全"])
        .env("ZHENGCE_INDEX", "")
        .output()
        .unwrap();
    let empty = testenv::Run::from(empty);
    assert!(empty.stderr().contains("no index at ./index"), "{empty:?}");

    let help = env.run(&["search", "--help"]).stdout();
    assert!(help.contains("ZHENGCE_INDEX"), "{help}");
}

/// `search ARGS` on the indexed seeds, as JSON.
fn json(args: &[&str]) -> Value {
    indexed_seeds().search_json(args)
}

/// (path, passage) of each hit of a passage search.
fn hit_ids(results: &Value) -> Vec<(String, u64)> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap().to_string(),
                h["passage"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn offset_pages_through_the_hits() {
    let all = json(&["数据", "--limit", "20"]);
    let page = json(&["数据", "--limit", "5", "--offset", "5"]);
    assert_eq!(hit_ids(&page), hit_ids(&all)[5..10]);
    assert_eq!(page["total_hits"], all["total_hits"]);
    assert_eq!(page["total_documents"], all["total_documents"]);

    // A page past the end: nothing shown, exit 1, the totals still said.
    let total = all["total_hits"].as_u64().unwrap().to_string();
    let out = indexed_seeds().run(&["search", "数据", "--json", "--offset", &total]);
    assert_eq!(out.code(), Some(1), "{out:?}");
    let past: Value = out.json();
    assert_eq!(past["hits"], serde_json::json!([]));
    assert_eq!(past["total_hits"], all["total_hits"]);

    // Documents page the same way.
    let docs = json(&["数据", "--files", "--limit", "3"]);
    let second = json(&["数据", "--files", "--limit", "2", "--offset", "1"]);
    assert_eq!(second["documents"][0], docs["documents"][1]);
    assert_eq!(second["documents"][1], docs["documents"][2]);
}

/// For each document of a passage search, how many distinct passages it holds: a hit
/// counts for every document it or one of its duplicates stands in.
fn passages_by_document(results: &Value) -> BTreeMap<String, u64> {
    let mut by_doc = BTreeMap::new();
    for hit in results["hits"].as_array().unwrap() {
        let mut docs = BTreeSet::new();
        docs.insert(hit["path"].as_str().unwrap().to_string());
        for d in hit["duplicates"].as_array().unwrap() {
            docs.insert(d["path"].as_str().unwrap().to_string());
        }
        for d in docs {
            *by_doc.entry(d).or_insert(0) += 1;
        }
    }
    by_doc
}

#[test]
fn files_list_each_document_once_with_its_passages_and_best_passage() {
    let passages = json(&["数据", "--limit", "1000"]);
    let files = json(&["数据", "--files", "--limit", "1000"]);
    assert!(files.get("hits").is_none(), "documents replace hits");
    let docs = files["documents"].as_array().unwrap();
    let expected = passages_by_document(&passages);
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(docs.len(), expected.len());
    assert_eq!(files["total_documents"], expected.len());
    assert_eq!(passages["total_documents"], expected.len());
    assert_eq!(files["total_hits"], passages["total_hits"]);
    let hit_keys = |h: &Value| h.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let mut last_score = f64::INFINITY;
    for d in docs {
        let path = d["path"].as_str().unwrap();
        assert_eq!(d["passages"], expected[path], "{path}");
        let best = &d["best"];
        // The best passage is a hit object like those of a passage search, of this
        // document, and the first of its hits there (one word: no proximity re-ranking).
        assert_eq!(hit_keys(best), hit_keys(&passages["hits"][0]));
        assert_eq!(best["path"], path);
        let first = passages["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["path"] == path)
            .unwrap();
        assert_eq!(best, first, "{path}");
        for key in ["title", "doc_number", "issuer", "date", "doc_type"] {
            assert_eq!(d[key], best[key], "{key}");
        }
        let score = best["score"].as_f64().unwrap();
        assert!(
            score <= last_score,
            "documents ranked by their best passage"
        );
        last_score = score;
    }
    let law = docs
        .iter()
        .find(|d| d["path"] == "docs/数据安全法(2021-06-10).md")
        .unwrap();
    assert_eq!(law["citation"], "《中华人民共和国数据安全法》");

    // One JSON object per document with --jsonl.
    let out = indexed_seeds().run(&["search", "数据", "-l", "--jsonl", "-n", "2"]);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], docs[0]);

    // --cite: each document's reference.
    let out = indexed_seeds().run(&["search", "数据", "-l", "--cite"]);
    let cited: Vec<String> = out.stdout().lines().map(String::from).collect();
    let want: Vec<&str> = docs
        .iter()
        .map(|d| d["citation"].as_str().unwrap())
        .collect();
    assert_eq!(cited, want);
}

#[test]
fn files_on_the_terminal_are_one_line_per_document() {
    let files = json(&["数据", "--files"]);
    let out = indexed_seeds().run(&["search", "数据", "-l", "--color", "never"]);
    assert_eq!(out.code(), Some(0));
    let printed = out.stdout();
    let lines: Vec<&str> = printed.lines().collect();
    let docs = files["documents"].as_array().unwrap();
    assert_eq!(lines.len(), docs.len(), "{printed}");
    for (line, d) in lines.iter().zip(docs) {
        let best = &d["best"];
        let start = format!(
            "{}:{}  《{}》",
            d["path"].as_str().unwrap(),
            best["passage"],
            d["title"].as_str().unwrap()
        );
        assert!(line.starts_with(&start), "{line}");
        let n = d["passages"].as_u64().unwrap();
        let count = if n == 1 {
            "1 passage".to_string()
        } else {
            format!("{n} passages")
        };
        assert!(line.contains(&format!("  {count}  ")), "{line}");
        assert!(line.contains("数据"), "{line}");
        if let Some(date) = d["date"].as_str() {
            assert!(line.contains(date), "{line}");
        }
    }
}

/// Metadata of each indexed document by path, from `list --json`.
fn listed() -> BTreeMap<String, Value> {
    indexed_seeds()
        .run(&["list", "--json"])
        .json_lines()
        .into_iter()
        .map(|d| (d["path"].as_str().unwrap().to_string(), d))
        .collect()
}

/// What `--count-by` must say for `kind`, worked out from a passage search with every hit
/// and the documents' metadata: for each value, the hits with a passage in a document of
/// that value, and those documents.
fn expected_counts(results: &Value, kind: &str) -> BTreeMap<Option<String>, (u64, u64)> {
    let meta = listed();
    let value_of = |path: &str| -> Option<String> {
        let d = &meta[path];
        let s = |k: &str| d[k].as_str().map(String::from);
        match kind {
            "year" => s("date").map(|date| date[..4].to_string()),
            "issuer" => s("issuer"),
            "type" => s("doc_type"),
            "doc" => Some(path.to_string()),
            _ => unreachable!(),
        }
    };
    let mut passages: BTreeMap<Option<String>, u64> = BTreeMap::new();
    let mut documents: BTreeMap<Option<String>, BTreeSet<String>> = BTreeMap::new();
    for hit in results["hits"].as_array().unwrap() {
        let mut paths = vec![hit["path"].as_str().unwrap()];
        paths.extend(
            hit["duplicates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["path"].as_str().unwrap()),
        );
        let values: BTreeSet<Option<String>> = paths.iter().map(|p| value_of(p)).collect();
        for v in values {
            *passages.entry(v).or_insert(0) += 1;
        }
        for p in paths {
            documents
                .entry(value_of(p))
                .or_default()
                .insert(p.to_string());
        }
    }
    passages
        .into_iter()
        .map(|(v, n)| {
            let docs = documents[&v].len() as u64;
            (v, (n, docs))
        })
        .collect()
}

#[test]
fn count_by_gives_passages_and_documents_for_each_value() {
    // 发展 is in every seed: several years, issuers, types, and documents of none.
    for query in ["发展", "数据"] {
        let all = json(&[query, "--limit", "1000"]);
        let counted = json(&[query, "--count-by", "year,issuer", "--count-by", "type,doc"]);
        let facets = counted["facets"].as_object().unwrap();
        assert_eq!(facets.len(), 4);
        // In the order asked (a Value sorts its keys: read the text).
        let raw = indexed_seeds()
            .run(&[
                "search",
                query,
                "--json",
                "--count-by",
                "year,issuer,type,doc",
            ])
            .stdout();
        let at = |kind: &str| raw.find(&format!("\"{kind}\":[")).unwrap();
        assert!(at("year") < at("issuer") && at("issuer") < at("type") && at("type") < at("doc"));
        for kind in ["year", "issuer", "type", "doc"] {
            let values = facets[kind].as_array().unwrap();
            let got: BTreeMap<Option<String>, (u64, u64)> = values
                .iter()
                .map(|v| {
                    let n = |k: &str| v[k].as_u64().unwrap();
                    (
                        v["value"].as_str().map(String::from),
                        (n("passages"), n("documents")),
                    )
                })
                .collect();
            assert_eq!(got, expected_counts(&all, kind), "{query} by {kind}");
            // Unknown last; years newest first; other values most passages first.
            let known: Vec<&Value> = values
                .iter()
                .take_while(|v| !v["value"].is_null())
                .collect();
            assert!(values[known.len()..].len() <= 1);
            for pair in known.windows(2) {
                if kind == "year" {
                    assert!(pair[0]["value"].as_str() > pair[1]["value"].as_str());
                } else {
                    assert!(pair[0]["passages"].as_u64() >= pair[1]["passages"].as_u64());
                }
            }
        }
        let titles: Vec<&str> = facets["doc"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["title"].as_str().unwrap())
            .collect();
        assert!(titles.iter().all(|t| !t.is_empty()), "{titles:?}");
        assert!(
            facets["year"][0].get("title").is_none(),
            "title only for doc"
        );
    }
    // Without --count-by, no facets.
    assert!(json(&["数据"]).get("facets").is_none());
}

#[test]
fn count_by_counts_a_passage_said_in_several_documents_once_per_value() {
    let env = TestEnv::new();
    let article = "第一条 数据处理者应当依法保护数据。";
    env.write(
        "docs/甲法(2019-01-01).md",
        format!("# 甲法\n\n{article}\n\n第二条 数据不得滥用。\n"),
    );
    env.write(
        "docs/甲法(2021-06-10).md",
        format!("# 甲法\n\n{article}\n\n第二条 数据可以依法开放。\n"),
    );
    env.index(&["docs"]);
    let results: Value = env.search_json(&["数据", "--count-by", "year,doc"]);
    // The shared article is one hit; each version also has its own second article.
    assert_eq!(results["total_hits"], 3);
    assert_eq!(results["total_documents"], 2);
    let value = |kind: &str, i: usize| {
        let v = &results["facets"][kind][i];
        (
            v["value"].as_str().unwrap().to_string(),
            v["passages"].as_u64().unwrap(),
            v["documents"].as_u64().unwrap(),
        )
    };
    assert_eq!(value("year", 0), ("2021".to_string(), 2, 1));
    assert_eq!(value("year", 1), ("2019".to_string(), 2, 1));
    let files: Value = env.search_json(&["数据", "--files"]);
    let passages: Vec<u64> = files["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["passages"].as_u64().unwrap())
        .collect();
    assert_eq!(passages, [2, 2]);
}

#[test]
fn count_by_on_the_terminal_is_a_short_block_after_the_hits() {
    let counted = json(&["发展", "--count-by", "type"]);
    let out = indexed_seeds().run(&[
        "search",
        "发展",
        "--count-by",
        "type",
        "-n",
        "1",
        "--color",
        "never",
    ]);
    let printed = out.stdout();
    let block: Vec<&str> = printed.split("\n\n").last().unwrap().lines().collect();
    assert_eq!(block[0], "passages  documents  type");
    let values = counted["facets"]["type"].as_array().unwrap();
    assert_eq!(block.len(), values.len() + 1, "{printed}");
    for (line, v) in block[1..].iter().zip(values) {
        let label = v["value"].as_str().unwrap_or("(no type)");
        let n = |k: &str| v[k].as_u64().unwrap();
        assert_eq!(
            *line,
            format!("{:>8}  {:>9}  {label}", n("passages"), n("documents"))
        );
    }
    // With JSON Lines there is no place for them.
    let out = indexed_seeds().run(&["search", "发展", "--count-by", "type", "--jsonl"]);
    assert_eq!(out.code(), Some(2));
}

/// Runs `zhengce ARGS` on the indexed seeds with stderr on a pseudo-terminal, as a person
/// at a terminal would, stdout piped: the run, with what the terminal showed as its stderr.
fn with_terminal_stderr(args: &[&str]) -> (testenv::Run, String) {
    use std::fs::File;
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::Stdio;

    let (mut master, mut slave) = (0, 0);
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: openpty just opened both, and nothing else owns them.
    let (mut master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut command = indexed_seeds().command(args);
    command.stdout(Stdio::piped()).stderr(Stdio::from(slave));
    let child = command.spawn().expect("spawn zhengce");
    // The child holds the terminal now: with our copy closed, reading ends when it exits.
    drop(command);
    let output = child.wait_with_output().unwrap();
    let mut shown = Vec::new();
    // Linux says EIO, not end of file, once the last holder of the terminal has closed it.
    let _ = master.read_to_end(&mut shown);
    let shown = String::from_utf8(shown).unwrap().replace("\r\n", "\n");
    (testenv::Run::from(output), shown)
}

#[test]
fn a_terminal_gets_a_footer_with_the_counts_on_stderr() {
    let all = json(&["数据"]);
    let (hits, docs) = (&all["total_hits"], &all["total_documents"]);
    let (out, stderr) = with_terminal_stderr(&["search", "数据", "-n", "3"]);
    assert_eq!(out.code(), Some(0));
    assert_eq!(
        stderr,
        format!("3 of {hits} passages in {docs} documents\n")
    );
    assert!(
        !out.stdout().contains(" of "),
        "the footer is not on stdout"
    );

    let (_, stderr) = with_terminal_stderr(&["search", "数据", "-n", "3", "--offset", "3"]);
    assert_eq!(
        stderr,
        format!("4–6 of {hits} passages in {docs} documents\n")
    );
    let past = hits.to_string();
    let (out, stderr) = with_terminal_stderr(&["search", "数据", "--offset", &past]);
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        stderr,
        format!("--offset {past} is past the end: {hits} passages in {docs} documents\n")
    );
    let (_, stderr) = with_terminal_stderr(&["search", "数据", "-l", "-n", "2"]);
    assert_eq!(stderr, format!("2 of {docs} documents ({hits} passages)\n"));
    let (_, stderr) = with_terminal_stderr(&["search", "驾驭高水平"]);
    assert_eq!(stderr, "2 of 2 passages in 1 document\n");

    // JSON has the counts; a pipe gets none.
    let (out, stderr) = with_terminal_stderr(&["search", "数据", "--json"]);
    assert_eq!(out.code(), Some(0));
    assert_eq!(stderr, "");
    let piped = indexed_seeds().run(&["search", "数据"]);
    assert_eq!(piped.stderr(), "");
}

#[test]
fn a_terminal_is_told_no_matches_on_stderr() {
    let (out, stderr) = with_terminal_stderr(&["search", "量子纠缠态"]);
    assert_eq!(out.code(), Some(1));
    assert_eq!(out.stdout(), "");
    assert_eq!(stderr, "no matches\n");
    let (out, stderr) = with_terminal_stderr(&["search", "量子纠缠态", "--files"]);
    assert_eq!(out.code(), Some(1));
    assert_eq!(stderr, "no matches\n");
    // As grep does, a script sees only the exit status.
    let piped = indexed_seeds().run(&["search", "量子纠缠态"]);
    assert_eq!((piped.code(), piped.stderr()), (Some(1), String::new()));
}

#[test]
fn a_passage_proximity_lifts_is_shown_on_every_page_that_holds_it() {
    // Six short passages score higher on the words alone, with the words far apart; in the
    // seventh they stand together, which ranks it first. A page loads only the passages
    // that can still reach it, and each page must still show it so.
    let env = TestEnv::new();
    let filler = "本条规定适用于各级机关在日常工作中对有关事项的处理和管理";
    for i in 0..6 {
        env.write(
            &format!("docs/scattered{i}.txt"),
            format!(
                "第{}号通知\n\n数据{}数据和其他事项的处理要求，涉及公共利益时应当保障安全，并确保安全。\n",
                i + 1,
                filler.chars().take(6 + i).collect::<String>()
            ),
        );
    }
    env.write(
        "docs/adjacent.txt",
        format!("办法全文\n\n{filler}，{filler}，应当依法保障数据安全，{filler}。\n"),
    );
    env.index(&["docs"]);
    let all: Value = env.search_json(&["数据 安全", "--explain", "--limit", "50"]);
    let hits = all["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 7, "{all}");
    assert_eq!(hits[0]["path"], "docs/adjacent.txt", "{all}");
    let bm25 = |h: &Value| h["explain"]["bm25"].as_f64().unwrap();
    assert!(
        hits[1..].iter().all(|h| bm25(h) > bm25(&hits[0])),
        "proximity did not reorder: {all}"
    );
    let paths = |v: &Value, key: &str| -> Vec<Value> {
        let list = v[key].as_array().unwrap();
        list.iter().map(|h| h["path"].clone()).collect()
    };
    for (offset, limit) in [(0, 1), (0, 2), (1, 1), (2, 3), (5, 5)] {
        let (o, l) = (offset.to_string(), limit.to_string());
        let page: Value = env.search_json(&["数据 安全", "--limit", &l, "--offset", &o]);
        let end = (offset + limit).min(7);
        assert_eq!(paths(&page, "hits"), paths(&all, "hits")[offset..end]);
    }
    let files: Value = env.search_json(&["数据 安全", "--files", "--limit", "1"]);
    assert_eq!(paths(&files, "documents"), [hits[0]["path"].clone()]);
}
