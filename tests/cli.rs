//! End-to-end tests: the built `zhengce` binary indexes copies of `seeds/` in temporary
//! folders and is searched the way a user would.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde::Deserialize;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_zhengce");

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

fn zhengce(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run zhengce")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A working folder holding a copy of the seeds (`docs/`) indexed into `./index`, shared by
/// the tests that only search.
struct Indexed {
    dir: TempDir,
}

fn indexed_seeds() -> &'static Indexed {
    static INDEXED: OnceLock<Indexed> = OnceLock::new();
    INDEXED.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        copy_dir(&seeds(), &dir.path().join("docs"));
        let out = zhengce(dir.path(), &["index", "docs"]);
        assert!(out.status.success(), "index failed: {}", stderr(&out));
        Indexed { dir }
    })
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonResults {
    query: String,
    total_hits: usize,
    took_ms: f64,
    hits: Vec<JsonHit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonHit {
    path: String,
    title: String,
    doc_number: Option<String>,
    issuer: Option<String>,
    date: Option<String>,
    effective: Option<String>,
    doc_type: Option<String>,
    article: Option<String>,
    citation: String,
    passage: u64,
    heading: String,
    score: f32,
    text: String,
    snippet: String,
    highlights: Vec<(usize, usize)>,
    keyphrases: Vec<String>,
    duplicates: Vec<JsonDuplicate>,
    /// Present only with --explain.
    #[serde(default)]
    explain: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDuplicate {
    path: String,
    passage: u64,
}

fn search_json(dir: &Path, query: &str) -> JsonResults {
    search_json_with(dir, query, &[])
}

fn search_json_with(dir: &Path, query: &str, extra: &[&str]) -> JsonResults {
    let mut args = vec!["search", query, "--json", "--limit", "1000"];
    args.extend(extra);
    let out = zhengce(dir, &args);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "search {query} failed: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("--json output matches the schema")
}

/// Every (path, passage) of the hits and of the duplicates collapsed into them.
fn found(results: &JsonResults) -> BTreeSet<(String, u64)> {
    let mut got = BTreeSet::new();
    for hit in &results.hits {
        got.insert((hit.path.clone(), hit.passage));
        for d in &hit.duplicates {
            got.insert((d.path.clone(), d.passage));
        }
    }
    got
}

/// Every (path, passage) whose text contains `query`, found by splitting the seed files
/// directly, without the index.
fn passages_containing(query: &str) -> BTreeSet<(String, u64)> {
    let mut found = BTreeSet::new();
    let mut names: Vec<_> = fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let format = zhengce::extract::Format::of(&path).unwrap();
        let extracted = zhengce::extract::extract(&path, format).unwrap();
        let doc = zhengce::passage::split(&path, &extracted);
        let shown = format!("docs/{}", path.file_name().unwrap().to_string_lossy());
        for p in doc.passages {
            if p.text.contains(query) {
                found.insert((shown.clone(), p.ordinal as u64));
            }
        }
    }
    found
}

#[test]
fn finds_every_passage_containing_the_query() {
    let dir = indexed_seeds().dir.path();
    for query in [
        "世界贸易组织",
        "贸易组织",
        "易组",
        "驾驭高水平",
        "多边主义的重要支柱",
        "数据安全",
        "个体工商户",
        "税",
    ] {
        let expected = passages_containing(query);
        assert!(!expected.is_empty(), "{query} occurs in the seeds");
        // --exact: synonyms (世界贸易组织 → 世贸组织) would add passages.
        let results = search_json_with(dir, query, &["--exact"]);
        let mut got = BTreeSet::new();
        for hit in &results.hits {
            assert!(
                hit.text.contains(query),
                "{query}: hit without the query: {}",
                hit.text
            );
            got.insert((hit.path.clone(), hit.passage));
            for d in &hit.duplicates {
                got.insert((d.path.clone(), d.passage));
            }
        }
        assert_eq!(got, expected, "query {query}");
        assert_eq!(results.total_hits, results.hits.len(), "query {query}");
    }
}

#[test]
fn highlights_cover_each_occurrence_of_each_word() {
    let dir = indexed_seeds().dir.path();
    let results = search_json(dir, "世界贸易组织 改革");
    assert!(!results.hits.is_empty());
    // The synonym 世贸组织 is highlighted too.
    let words = ["世界贸易组织", "世贸组织", "改革"];
    for hit in &results.hits {
        let marked: Vec<&str> = hit
            .highlights
            .iter()
            .map(|&(s, e)| &hit.text[s..e])
            .collect();
        let want: usize = words.iter().map(|w| hit.text.matches(w).count()).sum();
        assert_eq!(marked.len(), want, "{}", hit.text);
        assert!(marked.iter().all(|m| words.contains(m)), "{marked:?}");
        assert!(hit.highlights.windows(2).all(|w| w[0].1 <= w[1].0));
    }
}

#[test]
fn json_output_has_the_documented_fields() {
    let dir = indexed_seeds().dir.path();
    let results = search_json(dir, "驾驭高水平");
    assert_eq!(results.query, "驾驭高水平");
    assert!(results.took_ms >= 0.0);
    let hit = &results.hits[0];
    assert_eq!(hit.path, "docs/000_66c65cf5d4930009.txt");
    assert_eq!(hit.title, "习近平在中共中央政治局第八次集体学习时强调");
    assert!(hit.score > 0.0);
    assert!(hit.snippet.contains("驾驭高水平"));
    assert!(!hit.keyphrases.is_empty());
    assert!(hit.heading.is_empty());
}

#[test]
fn heading_path_comes_from_markdown_headings() {
    let dir = indexed_seeds().dir.path();
    let results = search_json(dir, "国家建立数据分类分级保护制度");
    let hit = &results.hits[0];
    assert_eq!(hit.title, "中华人民共和国数据安全法");
    assert_eq!(hit.heading, "第三章 数据安全制度 › 第二十一条");
    assert_eq!(hit.article.as_deref(), Some("第二十一条"));
    // The whole article, all of its paragraphs, is one passage.
    assert!(hit.text.starts_with("第二十一条"), "{}", hit.text);
    assert!(
        hit.text
            .contains("各地区、各部门应当按照数据分类分级保护制度"),
        "{}",
        hit.text
    );
}

#[test]
fn metadata_comes_from_file_name_title_and_text() {
    let dir = indexed_seeds().dir.path();
    let law = &search_json(dir, "国家建立数据分类分级保护制度").hits[0];
    assert_eq!(law.doc_type.as_deref(), Some("法律"));
    assert_eq!(law.date.as_deref(), Some("2021-06-10"));
    assert_eq!(law.citation, "《中华人民共和国数据安全法》第二十一条");
    assert_eq!(law.doc_number, None);
    assert_eq!(law.issuer.as_deref(), Some("全国人民代表大会常务委员会"));
    let report = &search_json(dir, "驾驭高水平").hits[0];
    assert_eq!(report.doc_type, None);
}

#[test]
fn jsonl_prints_one_hit_per_line() {
    let dir = indexed_seeds().dir.path();
    let out = zhengce(dir, &["search", "世界贸易组织", "--jsonl", "--limit", "3"]);
    assert_eq!(out.status.code(), Some(0));
    let printed = stdout(&out);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 3);
    for line in lines {
        let hit: JsonHit = serde_json::from_str(line).unwrap();
        assert!(hit.text.contains("世界贸易组织"));
    }
}

#[test]
fn repeated_summary_bullets_are_shown_once() {
    let dir = indexed_seeds().dir.path();
    let results = search_json(dir, "加入世界贸易组织是我国对外开放的里程碑");
    assert_eq!(results.hits.len(), 1, "{:?}", results.hits);
    assert_eq!(results.total_hits, 1);
    assert_eq!(results.hits[0].duplicates.len(), 1);
    let out = zhengce(
        dir,
        &[
            "search",
            "加入世界贸易组织是我国对外开放的里程碑",
            "--color",
            "never",
        ],
    );
    assert_eq!(
        stdout(&out).matches("里程碑").count(),
        1,
        "{}",
        stdout(&out)
    );
}

#[test]
fn full_width_and_upper_case_queries_find_half_width_text() {
    let dir = indexed_seeds().dir.path();
    let narrow = search_json(dir, "C919");
    let wide = search_json(dir, "Ｃ９１９");
    let lower = search_json(dir, "c919");
    assert!(!narrow.hits.is_empty());
    let key = |r: &JsonResults| {
        r.hits
            .iter()
            .map(|h| (h.path.clone(), h.passage))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&narrow), key(&wide));
    assert_eq!(key(&narrow), key(&lower));
    let hit = &wide.hits[0];
    let (s, e) = hit.highlights[0];
    assert_eq!(&hit.text[s..e], "C919");
}

#[test]
fn terminal_output_shows_path_heading_and_highlights() {
    let dir = indexed_seeds().dir.path();
    let plain = zhengce(dir, &["search", "数据分类分级保护制度", "--color", "never"]);
    assert_eq!(plain.status.code(), Some(0));
    let text = stdout(&plain);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("docs/数据安全法(2021-06-10).md:"),
        "{first}"
    );
    assert!(first.contains("第三章 数据安全制度"), "{first}");
    assert!(!text.contains('\x1b'));

    let colored = zhengce(
        dir,
        &["search", "数据分类分级保护制度", "--color", "always"],
    );
    assert!(stdout(&colored).contains("\x1b[1;31m数据分类分级保护制度\x1b[0m"));

    // Piped output with --color auto stays plain.
    let auto = zhengce(dir, &["search", "数据分类分级保护制度"]);
    assert!(!stdout(&auto).contains('\x1b'));
}

#[test]
fn long_passages_are_cropped_around_the_match() {
    let dir = indexed_seeds().dir.path();
    let out = zhengce(
        dir,
        &["search", "高质量发展", "--color", "never", "--limit", "50"],
    );
    let text = stdout(&out);
    assert!(text.contains('…'), "{text}");
    for line in text.lines().filter(|l| l.contains("高质量发展")) {
        assert!(line.chars().count() <= 165, "{line}");
    }
}

#[test]
fn several_words_must_all_occur() {
    let dir = indexed_seeds().dir.path();
    let results = search_json(dir, "数据 出口管制");
    assert!(!results.hits.is_empty());
    for hit in &results.hits {
        assert!(
            hit.text.contains("数据") && hit.text.contains("出口管制"),
            "{}",
            hit.text
        );
    }
}

#[test]
fn exit_codes_follow_grep() {
    let dir = indexed_seeds().dir.path();
    assert_eq!(
        zhengce(dir, &["search", "世界贸易组织"]).status.code(),
        Some(0)
    );
    let none = zhengce(dir, &["search", "量子纠缠态"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stdout(&none).is_empty());
    let empty = zhengce(dir, &["search", " "]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("empty query"), "{}", stderr(&empty));
    assert_eq!(zhengce(dir, &["search"]).status.code(), Some(2));
}

#[test]
fn missing_index_and_missing_folder_get_one_clear_line() {
    let dir = TempDir::new().unwrap();
    let out = zhengce(dir.path(), &["search", "世界贸易组织"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(
        err.trim(),
        "zhengce: no index at ./index — run `zhengce index <folder>` first"
    );

    let out = zhengce(dir.path(), &["index", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no-such-folder"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn a_bad_file_is_skipped_and_the_run_goes_on() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::copy(
        seeds().join("000_66c65cf5d4930009.txt"),
        docs.join("good.txt"),
    )
    .unwrap();
    // Not text in any encoding: control bytes and invalid sequences.
    fs::write(
        docs.join("broken.txt"),
        [0u8, 0xFF, 0xFE, 0x00, 0x81, 0x00, 0xC0, 0x80, 0x00, 0x01].repeat(50),
    )
    .unwrap();
    let out = zhengce(dir.path(), &["index", "docs"]);
    let err = stderr(&out);
    assert!(err.contains("docs/broken.txt"), "{err}");
    assert!(stdout(&out).contains("indexed 1 file "), "{}", stdout(&out));
    assert!(stdout(&out).contains("skipped 1"), "{}", stdout(&out));
    assert_eq!(
        zhengce(dir.path(), &["search", "世界贸易组织"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn reindexing_replaces_instead_of_duplicating() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("a.txt"), "第一条 本条例适用于全国。\n").unwrap();
    assert!(zhengce(dir.path(), &["index", "docs"]).status.success());
    assert_eq!(search_json(dir.path(), "本条例").total_hits, 1);
    fs::write(
        docs.join("a.txt"),
        "第一条 本条例适用于全国。\n第二条 本条例自公布之日起施行。\n",
    )
    .unwrap();
    assert!(zhengce(dir.path(), &["index", "docs"]).status.success());
    assert_eq!(search_json(dir.path(), "本条例").total_hits, 2);
    assert!(
        zhengce(dir.path(), &["index", "docs", "--rebuild"])
            .status
            .success()
    );
    assert_eq!(search_json(dir.path(), "本条例").total_hits, 2);
}

#[test]
fn or_finds_either_word_and_ranks_passages_with_both_first() {
    let dir = indexed_seeds().dir.path();
    for query in ["数据 OR 出口管制", "数据 | 出口管制"] {
        let results = search_json(dir, query);
        let mut expected = passages_containing("数据");
        expected.extend(passages_containing("出口管制"));
        assert_eq!(found(&results), expected, "{query}");
        let both: Vec<bool> = results
            .hits
            .iter()
            .map(|h| h.text.contains("数据") && h.text.contains("出口管制"))
            .collect();
        assert!(both[0], "{query}: {:?}", results.hits[0].text);
        // Every passage holding both comes before any holding one.
        assert!(both.windows(2).all(|w| w[0] || !w[1]), "{both:?}");
    }
}

#[test]
fn not_and_minus_exclude() {
    let dir = indexed_seeds().dir.path();
    let expected: BTreeSet<_> = passages_containing("数据")
        .difference(&passages_containing("安全"))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    for query in ["数据 -安全", "数据 NOT 安全", "数据 -(安全 OR 不存在的词)"] {
        let results = search_json(dir, query);
        assert_eq!(found(&results), expected, "{query}");
        assert!(results.hits.iter().all(|h| !h.text.contains("安全")));
    }
    // Excluding an approximate shape (punctuation inside) is checked against the text.
    let results = search_json(dir, "世界贸易组织 -\"改革，要\"");
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|h| !h.text.contains("改革，要")));
    assert!(
        results
            .hits
            .iter()
            .any(|h| h.text.contains("改革") && h.text.contains("要"))
    );
}

#[test]
fn phrases_match_as_written() {
    let dir = indexed_seeds().dir.path();
    for phrase in ["改革 提高", "改革，要坚定", "世界贸易组织"] {
        let results = search_json(dir, &format!("\"{phrase}\""));
        assert_eq!(found(&results), passages_containing(phrase), "{phrase}");
    }
    // Quoted, a word is not expanded with synonyms.
    let quoted = search_json(dir, "\"世界贸易组织\"");
    assert!(quoted.hits.iter().all(|h| h.text.contains("世界贸易组织")));
}

#[test]
fn filters_by_type_date_title_and_number() {
    let dir = indexed_seeds().dir.path();
    let law = search_json(dir, "type:法律");
    assert!(!law.hits.is_empty());
    assert!(
        law.hits
            .iter()
            .all(|h| h.doc_type.as_deref() == Some("法律"))
    );
    assert_eq!(
        found(&law).len(),
        passages_containing("")
            .iter()
            .filter(|(p, _)| p.contains("数据安全法"))
            .count()
    );

    let in_2021 = search_json(dir, "date:2021");
    assert!(!in_2021.hits.is_empty());
    assert!(
        in_2021
            .hits
            .iter()
            .all(|h| h.date.as_deref().is_some_and(|d| d.starts_with("2021")))
    );
    let words = search_json(dir, "数据 date:2019-01-01..2019-12-31 type:条例");
    assert!(!words.hits.is_empty());
    for h in &words.hits {
        assert_eq!(h.date.as_deref(), Some("2019-04-03"));
        assert!(h.text.contains("数据"));
    }
    // 个体工商户条例(2016).txt is dated by the amendment of the year its name gives, not by
    // its first publication (2011年4月16日公布), the first date of its opening line.
    let by_year = search_json(dir, "type:条例 date:..2018");
    assert!(!by_year.hits.is_empty());
    assert!(
        by_year
            .hits
            .iter()
            .all(|h| h.date.as_deref() == Some("2016-02-06"))
    );
    assert_eq!(
        search_json(dir, "type:条例 date:2016-02").total_hits,
        by_year.total_hits
    );
    // Unknown dates never fall in a range: the Xinhua report has none.
    assert_eq!(search_json(dir, "强调 date:..2030").total_hits, 0);
    assert!(search_json(dir, "强调").total_hits > 0);
    let titled = search_json(dir, "title:信息公开 公开");
    assert!(!titled.hits.is_empty());
    assert!(titled.hits.iter().all(|h| h.title.contains("信息公开")));
    // Titles are searched once per document: a title filter alone gives every passage of
    // the documents it names, and nothing else.
    let law = search_json(dir, "title:数据安全法");
    let law_passages: BTreeSet<(String, u64)> = passages_containing("")
        .into_iter()
        .filter(|(path, _)| path.contains("数据安全法"))
        .collect();
    assert!(!law_passages.is_empty());
    assert_eq!(found(&law), law_passages);
    assert!(law.hits.iter().all(|h| !h.text.is_empty()));
    let out = zhengce(dir, &["search", "doc:国发[2019]5号"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn synonyms_and_abbreviations_expand_unless_exact() {
    let dir = indexed_seeds().dir.path();
    let wto = search_json(dir, "WTO");
    let mut expected = passages_containing("世界贸易组织");
    expected.extend(passages_containing("世贸组织"));
    assert_eq!(found(&wto), expected);
    assert!(wto.hits.iter().any(|h| {
        h.highlights
            .iter()
            .any(|&(s, e)| &h.text[s..e] == "世贸组织")
    }));
    let exact = zhengce(dir, &["search", "WTO", "--exact"]);
    assert_eq!(exact.status.code(), Some(1));
    assert_eq!(
        found(&search_json(dir, "个税")),
        passages_containing("个人所得税")
    );
    assert_eq!(
        found(&search_json(dir, "全国人大")),
        passages_containing("全国人大")
            .union(&passages_containing("全国人民代表大会"))
            .cloned()
            .collect()
    );
}

#[test]
fn user_synonyms_from_a_file_and_the_index_folder() {
    let dir = TempDir::new().unwrap();
    copy_dir(&seeds(), &dir.path().join("docs"));
    assert!(zhengce(dir.path(), &["index", "docs"]).status.success());
    fs::write(
        dir.path().join("mine.txt"),
        "# 测试\n量子纠缠态, 驾驭高水平\n",
    )
    .unwrap();
    let mine = search_json_with(dir.path(), "量子纠缠态", &["--synonyms", "mine.txt"]);
    assert_eq!(found(&mine), passages_containing("驾驭高水平"));

    fs::write(dir.path().join("index/synonyms.txt"), "纠缠 多边主义\n").unwrap();
    assert_eq!(
        found(&search_json(dir.path(), "纠缠")),
        passages_containing("多边主义")
    );

    fs::write(dir.path().join("bad.txt"), "甲 乙\n孤单\n").unwrap();
    let bad = zhengce(dir.path(), &["search", "数据", "--synonyms", "bad.txt"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.txt:2:"), "{err}");
}

#[test]
fn malformed_queries_exit_2_with_one_line() {
    let dir = indexed_seeds().dir.path();
    for (query, says) in [
        (
            "(数据 OR 安全",
            "unbalanced parenthesis at character 1 in query \"(数据 OR 安全\"",
        ),
        ("数据)", "unbalanced parenthesis at character 3"),
        ("\"数据 安全", "unbalanced quote at character 1"),
        ("foo:bar 数据", "unknown field \"foo\" at character 1"),
        ("数据 OR", "dangling OR at character 4"),
        ("数据 NOT", "dangling NOT at character 4"),
        ("date:2019-13", "bad date"),
        ("NOT 数据", "only excludes"),
    ] {
        let out = zhengce(dir, &["search", query]);
        assert_eq!(out.status.code(), Some(2), "{query}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("zhengce: "), "{err}");
        assert!(err.contains(says), "{query}: {err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn sort_by_date_puts_newest_first_and_unknown_last() {
    let dir = indexed_seeds().dir.path();
    let results = search_json_with(dir, "对外开放", &["--sort", "date"]);
    let dates: Vec<Option<String>> = results.hits.iter().map(|h| h.date.clone()).collect();
    assert!(dates.len() > 3);
    // The 2024 work report, dated by its opening line.
    assert_eq!(dates[0].as_deref(), Some("2024-03-05"));
    // Dated hits newest first, then the undated ones.
    let known: Vec<&String> = dates.iter().flatten().collect();
    assert!(known.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let first_unknown = dates.iter().position(Option::is_none).unwrap();
    assert!(
        dates[first_unknown..].iter().all(Option::is_none),
        "{dates:?}"
    );
    assert_eq!(found(&results), found(&search_json(dir, "对外开放")));
}

#[test]
fn explain_only_when_asked() {
    let dir = indexed_seeds().dir.path();
    let plain = zhengce(dir, &["search", "数据安全", "--json"]);
    assert!(!stdout(&plain).contains("\"explain\""));
    let results = search_json_with(dir, "数据安全 保护", &["--explain"]);
    let e = results.hits[0].explain.as_ref().unwrap();
    assert!(e["bm25"].as_f64().unwrap() > 0.0);
    assert_eq!(e["terms_total"], 2);
    assert!(
        e["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "text")
    );
    assert!(e["proximity_factor"].as_f64().unwrap() >= 1.0);
    // The law's title holds both words: its passages score their document's title too.
    let law = results
        .hits
        .iter()
        .find(|h| h.title.contains("数据安全法"))
        .expect("a passage of the law");
    let clauses = law.explain.as_ref().unwrap()["clauses"].as_array().unwrap();
    assert!(clauses.iter().any(|c| c["field"] == "title"), "{clauses:?}");
    // The clauses add up to tantivy's score, each with tantivy's own explanation.
    let clauses = e["clauses"].as_array().unwrap();
    let sum: f64 = clauses.iter().map(|c| c["score"].as_f64().unwrap()).sum();
    assert!((sum - e["bm25"].as_f64().unwrap()).abs() < 1e-3, "{e}");
    assert!(clauses.iter().all(|c| c["tantivy"].is_object()));
    // Queries with OR and synonyms explain without tripping tantivy's scorer assertions.
    for query in [
        "数据安全 OR 个人信息",
        "WTO 改革",
        "(数据 OR 信息) -安全 type:法律",
    ] {
        let r = search_json_with(dir, query, &["--explain"]);
        assert!(r.hits.iter().all(|h| h.explain.is_some()), "{query}");
    }
    let text = zhengce(
        dir,
        &["search", "数据安全", "--explain", "--color", "never"],
    );
    let shown = stdout(&text);
    assert!(
        shown.contains("score ") && shown.contains("bm25"),
        "{shown}"
    );
}

#[test]
fn duplicates_in_other_documents_are_counted() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    let same = "第一条 为了规范数据处理活动，保障数据安全，制定本法。\n";
    for name in ["a.txt", "b.txt", "c.txt"] {
        fs::write(docs.join(name), format!("标题{name}\n{same}")).unwrap();
    }
    assert!(zhengce(dir.path(), &["index", "docs"]).status.success());
    let results = search_json(dir.path(), "规范数据处理");
    assert_eq!(results.total_hits, 1);
    assert_eq!(results.hits[0].duplicates.len(), 2);
    let out = zhengce(dir.path(), &["search", "规范数据处理", "--color", "never"]);
    assert!(
        stdout(&out).contains("(also in 2 documents)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = indexed_seeds().dir.path();
    for format in ["--jsonl", "--json", "--color=never"] {
        let mut child = Command::new(BIN)
            .args(["search", "的", "--limit", "200", format])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run zhengce");
        // Like `| head -c 1`: one byte read, then the pipe closed.
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{format}: {err}");
        assert!(err.is_empty(), "{format}: {err}");
    }
}

#[test]
fn control_characters_in_file_names_never_reach_the_terminal() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("docs")).unwrap();
    fs::write(dir.join("docs/名字\u{1b}[31m.txt"), "文件名控制测试\n").unwrap();
    assert!(zhengce(dir, &["index", "docs"]).status.success());
    for args in [&["search", "文件名控制"][..], &["list"], &["stats"]] {
        let out = zhengce(dir, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            !stdout(&out).contains('\u{1b}'),
            "{args:?}: {}",
            stdout(&out)
        );
    }
    assert!(stdout(&zhengce(dir, &["list"])).contains("docs/名字?[31m.txt"));
    // JSON keeps the name as it is, escaped.
    let out = zhengce(dir, &["search", "文件名控制", "--jsonl"]);
    let hit: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(hit["path"], "docs/名字\u{1b}[31m.txt");
}
