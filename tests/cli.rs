//! End-to-end tests: the built `zhengce` binary indexes copies of `seeds/` in temporary
//! folders and is searched the way a user would.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;

mod testenv;
use testenv::{TestEnv, indexed_seeds, repo};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonResults {
    query: String,
    total_hits: usize,
    total_documents: usize,
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
    highlights_chars: Vec<(usize, usize)>,
    keyphrases: Vec<String>,
    duplicates: Vec<JsonDuplicate>,
    version: Option<String>,
    versions: usize,
    latest: bool,
    status: Option<String>,
    status_source: Option<String>,
    in_force_from: Option<String>,
    in_force_to: Option<String>,
    superseded_by: Option<String>,
    superseded_by_version: Option<String>,
    repealed_by: Option<String>,
    copy_of: Option<String>,
    exact_copy: bool,
    cites_repealed: Vec<String>,
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

fn search_json(env: &TestEnv, query: &str) -> JsonResults {
    search_json_with(env, query, &[])
}

fn search_json_with(env: &TestEnv, query: &str, extra: &[&str]) -> JsonResults {
    env.search_json(&[&[query, "--limit", "1000"], extra].concat())
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
    let mut names: Vec<_> = fs::read_dir(repo("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let format = zhengce::ingest::extract::Format::of(&path).unwrap();
        let extracted = zhengce::ingest::extract::extract(&path, format).unwrap();
        let doc = zhengce::ingest::passage::split(&path, &extracted);
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
    let env = indexed_seeds();
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
        let results = search_json_with(env, query, &["--exact"]);
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
    let env = indexed_seeds();
    let results = search_json(env, "世界贸易组织 改革");
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
fn character_highlights_slice_the_text_as_scripts_do() {
    let env = indexed_seeds();
    // Chinese characters take three bytes each; synonyms mark words of other lengths (WTO
    // finds 世界贸易组织).
    for query in ["WTO", "数据 安全", "第二十一条"] {
        let results = search_json(env, query);
        assert!(!results.hits.is_empty(), "{query}");
        for hit in &results.hits {
            // What a script gets by slicing `text` by character, as Python's text[s:e] does.
            let chars: Vec<char> = hit.text.chars().collect();
            assert_eq!(hit.highlights_chars.len(), hit.highlights.len());
            for (&(s, e), &(cs, ce)) in hit.highlights.iter().zip(&hit.highlights_chars) {
                let sliced: String = chars[cs..ce].iter().collect();
                assert_eq!(sliced, hit.text[s..e], "{query}: {}", hit.text);
            }
        }
    }
}

#[test]
fn json_output_has_the_documented_fields() {
    let env = indexed_seeds();
    let results = search_json(env, "驾驭高水平");
    assert_eq!(results.query, "驾驭高水平");
    assert_eq!((results.total_hits, results.total_documents), (2, 1));
    assert!(results.took_ms >= 0.0);
    let hit = &results.hits[0];
    assert_eq!(hit.path, "docs/000_66c65cf5d4930009.txt");
    assert_eq!(hit.title, "习近平在中共中央政治局第八次集体学习时强调");
    assert!(hit.score > 0.0);
    assert!(hit.snippet.contains("驾驭高水平"));
    assert!(!hit.keyphrases.is_empty());
    assert!(hit.heading.is_empty());
    // A report alone in the index: one version, no status, nothing replaced or repealed.
    assert_eq!(
        (hit.version.as_deref(), hit.versions, hit.latest),
        (None, 1, true)
    );
    assert!(hit.status.is_none() && hit.status_source.is_none());
    assert!(hit.in_force_from.is_none() && hit.in_force_to.is_none());
    assert!(hit.superseded_by.is_none() && hit.superseded_by_version.is_none());
    assert!(hit.repealed_by.is_none() && hit.copy_of.is_none() && !hit.exact_copy);
    assert!(hit.cites_repealed.is_empty());
}

#[test]
fn show_json_has_the_fields_of_a_hit() {
    let env = indexed_seeds();
    let results: serde_json::Value =
        env.search_json(&["国家建立数据分类分级保护制度", "--limit", "1"]);
    let hit = &results["hits"][0];
    let target = format!("{}:{}", hit["path"].as_str().unwrap(), hit["passage"]);
    let out = env.run(&["show", &target, "--json", "-C", "1"]);
    assert_eq!(out.code(), Some(0), "{out:?}");
    let shown: serde_json::Value = out.json();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    assert_eq!(
        keys(&shown),
        [
            "copy_of",
            "date",
            "doc_number",
            "doc_type",
            "effective",
            "exact_copy",
            "in_force_from",
            "in_force_to",
            "issuer",
            "latest",
            "passages",
            "path",
            "repealed_by",
            "status",
            "status_source",
            "superseded_by",
            "superseded_by_version",
            "title",
            "version",
            "versions"
        ]
    );
    for field in [
        "path",
        "title",
        "doc_number",
        "issuer",
        "date",
        "doc_type",
        "effective",
        "status",
        "version",
        "latest",
    ] {
        assert_eq!(shown[field], hit[field], "{field}");
    }
    assert_eq!(shown["doc_type"], "法律");
    let passages = shown["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 3);
    for p in passages {
        assert_eq!(
            keys(p),
            ["article", "citation", "focus", "heading", "passage", "text"]
        );
    }
    let focus = &passages[1];
    assert_eq!(focus["focus"], true);
    for field in ["article", "citation", "passage", "heading", "text"] {
        assert_eq!(focus[field], hit[field], "{field}");
    }
    assert_eq!(focus["citation"], "《中华人民共和国数据安全法》第二十一条");
    // The chapter's heading line before the article is no article; the next article is.
    assert_eq!(passages[0]["article"], serde_json::Value::Null);
    assert_eq!(passages[0]["citation"], "《中华人民共和国数据安全法》");
    assert_eq!(passages[2]["article"], "第二十二条");
}

#[test]
fn heading_path_comes_from_markdown_headings() {
    let env = indexed_seeds();
    let results = search_json(env, "国家建立数据分类分级保护制度");
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
    let env = indexed_seeds();
    let law = &search_json(env, "国家建立数据分类分级保护制度").hits[0];
    assert_eq!(law.doc_type.as_deref(), Some("法律"));
    assert_eq!(law.date.as_deref(), Some("2021-06-10"));
    // 第五十五条 本法自2021年9月1日起施行。
    assert_eq!(law.effective.as_deref(), Some("2021-09-01"));
    assert_eq!(law.citation, "《中华人民共和国数据安全法》第二十一条");
    assert_eq!(law.doc_number, None);
    assert_eq!(law.issuer.as_deref(), Some("全国人民代表大会常务委员会"));
    let report = &search_json(env, "驾驭高水平").hits[0];
    assert_eq!(report.doc_type, None);
}

#[test]
fn jsonl_prints_one_hit_per_line() {
    let env = indexed_seeds();
    let out = env.run(&["search", "世界贸易组织", "--jsonl", "--limit", "3"]);
    assert_eq!(out.code(), Some(0));
    let printed = out.stdout();
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 3);
    for line in lines {
        let hit: JsonHit = serde_json::from_str(line).unwrap();
        assert!(hit.text.contains("世界贸易组织"));
    }
}

#[test]
fn repeated_summary_bullets_are_shown_once() {
    let env = indexed_seeds();
    let results = search_json(env, "加入世界贸易组织是我国对外开放的里程碑");
    assert_eq!(results.hits.len(), 1, "{:?}", results.hits);
    assert_eq!(results.total_hits, 1);
    assert_eq!(results.hits[0].duplicates.len(), 1);
    let out = env.run(&[
        "search",
        "加入世界贸易组织是我国对外开放的里程碑",
        "--color",
        "never",
    ]);
    assert_eq!(
        out.stdout().matches("里程碑").count(),
        1,
        "{}",
        out.stdout()
    );
}

#[test]
fn full_width_and_upper_case_queries_find_half_width_text() {
    let env = indexed_seeds();
    let narrow = search_json(env, "C919");
    let wide = search_json(env, "Ｃ９１９");
    let lower = search_json(env, "c919");
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
    let env = indexed_seeds();
    let plain = env.run(&["search", "数据分类分级保护制度", "--color", "never"]);
    assert_eq!(plain.code(), Some(0));
    let text = plain.stdout();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("docs/数据安全法(2021-06-10).md:"),
        "{first}"
    );
    assert!(first.contains("第三章 数据安全制度"), "{first}");
    assert!(!text.contains('\x1b'));

    let colored = env.run(&["search", "数据分类分级保护制度", "--color", "always"]);
    assert!(
        colored
            .stdout()
            .contains("\x1b[1;31m数据分类分级保护制度\x1b[0m")
    );

    // Piped output with --color auto stays plain.
    let auto = env.run(&["search", "数据分类分级保护制度"]);
    assert!(!auto.stdout().contains('\x1b'));
}

#[test]
fn long_passages_are_cropped_around_the_match() {
    let env = indexed_seeds();
    let out = env.run(&["search", "高质量发展", "--color", "never", "--limit", "50"]);
    let text = out.stdout();
    assert!(text.contains('…'), "{text}");
    for line in text.lines().filter(|l| l.contains("高质量发展")) {
        assert!(line.chars().count() <= 165, "{line}");
    }
}

#[test]
fn several_words_must_all_occur() {
    let env = indexed_seeds();
    let results = search_json(env, "数据 出口管制");
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
    let env = indexed_seeds();
    assert_eq!(env.run(&["search", "世界贸易组织"]).code(), Some(0));
    let none = env.run(&["search", "量子纠缠态"]);
    assert_eq!(none.code(), Some(1));
    assert!(none.stdout().is_empty());
    let empty = env.run(&["search", " "]);
    assert_eq!(empty.code(), Some(2));
    assert!(empty.stderr().contains("empty query"), "{}", empty.stderr());
    assert_eq!(env.run(&["search"]).code(), Some(2));
}

#[test]
fn missing_index_and_missing_folder_get_one_clear_line() {
    let env = TestEnv::new();
    let out = env.run(&["search", "世界贸易组织"]);
    assert_eq!(out.code(), Some(2));
    let err = out.stderr();
    assert_eq!(
        err.trim(),
        "zhengce: no index at ./index — run `zhengce index <folder>` first, or name the index \
         with --index DIR or ZHENGCE_INDEX"
    );

    let out = env.run(&["index", "no-such-folder"]);
    assert_eq!(out.code(), Some(2));
    let err = out.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no-such-folder"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn a_bad_file_is_skipped_and_the_run_goes_on() {
    let env = TestEnv::new();
    env.copy("seeds/000_66c65cf5d4930009.txt", "docs/good.txt");
    // Not text in any encoding: control bytes and invalid sequences.
    env.write(
        "docs/broken.txt",
        [0u8, 0xFF, 0xFE, 0x00, 0x81, 0x00, 0xC0, 0x80, 0x00, 0x01].repeat(50),
    );
    let out = env.run(&["index", "docs"]);
    let err = out.stderr();
    assert!(err.contains("docs/broken.txt"), "{err}");
    assert!(out.stdout().contains("indexed 1 file "), "{}", out.stdout());
    assert!(out.stdout().contains("skipped 1"), "{}", out.stdout());
    assert_eq!(env.run(&["search", "世界贸易组织"]).code(), Some(0));
}

#[test]
fn reindexing_replaces_instead_of_duplicating() {
    let env = TestEnv::new();
    env.write("docs/a.txt", "第一条 本条例适用于全国。\n");
    env.index(&["docs"]);
    assert_eq!(search_json(&env, "本条例").total_hits, 1);
    env.write(
        "docs/a.txt",
        "第一条 本条例适用于全国。\n第二条 本条例自公布之日起施行。\n",
    );
    env.index(&["docs"]);
    assert_eq!(search_json(&env, "本条例").total_hits, 2);
    env.index(&["docs", "--rebuild"]);
    assert_eq!(search_json(&env, "本条例").total_hits, 2);
}

#[test]
fn or_finds_either_word_and_ranks_passages_with_both_first() {
    let env = indexed_seeds();
    for query in ["数据 OR 出口管制", "数据 | 出口管制"] {
        let results = search_json(env, query);
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
    let env = indexed_seeds();
    let expected: BTreeSet<_> = passages_containing("数据")
        .difference(&passages_containing("安全"))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    for query in ["数据 -安全", "数据 NOT 安全", "数据 -(安全 OR 不存在的词)"] {
        let results = search_json(env, query);
        assert_eq!(found(&results), expected, "{query}");
        assert!(results.hits.iter().all(|h| !h.text.contains("安全")));
    }
    // Excluding an approximate shape (punctuation inside) is checked against the text.
    let results = search_json(env, "世界贸易组织 -\"改革，要\"");
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
fn an_unquoted_exclusion_is_a_query_word() {
    let env = indexed_seeds();
    let quoted = env.run(&["search", "数据 -安全", "--json", "--limit", "5"]);
    assert_eq!(quoted.code(), Some(0), "{quoted:?}");
    // The shell passes -安全 on as an argument of its own; options before and after it
    // (-n 5, --json) still count.
    for args in [
        &["search", "数据", "-安全", "--json", "-n", "5"][..],
        &["search", "--json", "数据", "-安全", "--limit", "5"],
        &["search", "-n", "5", "数据", "-安全", "--json"],
    ] {
        let out = env.run(args);
        assert_eq!(out.code(), Some(0), "{args:?}: {out:?}");
        let (got, want): (JsonResults, JsonResults) = (out.json(), quoted.json());
        assert_eq!(got.query, "数据 -安全");
        assert_eq!(got.hits.len(), 5);
        let paths = |r: &JsonResults| -> Vec<(String, u64)> {
            r.hits.iter().map(|h| (h.path.clone(), h.passage)).collect()
        };
        assert_eq!(paths(&got), paths(&want), "{args:?}");
    }
    // After `--`, every argument is a query word, as typed.
    let out = env.run(&["search", "--json", "--", "数据", "-安全"]);
    assert_eq!(out.json::<JsonResults>().query, "数据 -安全");
    // A word of Latin letters after `-` could be an option: the error says how to write it.
    let out = env.run(&["search", "数据", "-WTO"]);
    assert_eq!(out.code(), Some(2), "{out:?}");
    assert!(
        out.stderr().contains("zhengce search '数据 -WTO'"),
        "{}",
        out.stderr()
    );
}

#[test]
fn phrases_match_as_written() {
    let env = indexed_seeds();
    for phrase in ["改革 提高", "改革，要坚定", "世界贸易组织"] {
        let results = search_json(env, &format!("\"{phrase}\""));
        assert_eq!(found(&results), passages_containing(phrase), "{phrase}");
    }
    // Quoted, a word is not expanded with synonyms.
    let quoted = search_json(env, "\"世界贸易组织\"");
    assert!(quoted.hits.iter().all(|h| h.text.contains("世界贸易组织")));
}

#[test]
fn filters_by_type_date_title_and_number() {
    let env = indexed_seeds();
    let law = search_json(env, "type:法律");
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

    let in_2021 = search_json(env, "date:2021");
    assert!(!in_2021.hits.is_empty());
    assert!(
        in_2021
            .hits
            .iter()
            .all(|h| h.date.as_deref().is_some_and(|d| d.starts_with("2021")))
    );
    let words = search_json(env, "数据 date:2019-01-01..2019-12-31 type:条例");
    assert!(!words.hits.is_empty());
    for h in &words.hits {
        assert_eq!(h.date.as_deref(), Some("2019-04-03"));
        assert!(h.text.contains("数据"));
    }
    // 个体工商户条例(2016).txt is dated by the amendment of the year its name gives, not by
    // its first publication (2011年4月16日公布), the first date of its opening line.
    let by_year = search_json(env, "type:条例 date:..2018");
    assert!(!by_year.hits.is_empty());
    assert!(
        by_year
            .hits
            .iter()
            .all(|h| h.date.as_deref() == Some("2016-02-06"))
    );
    assert_eq!(
        search_json(env, "type:条例 date:2016-02").total_hits,
        by_year.total_hits
    );
    // Unknown dates never fall in a range: the Xinhua report has none.
    assert_eq!(search_json(env, "强调 date:..2030").total_hits, 0);
    assert!(search_json(env, "强调").total_hits > 0);
    let titled = search_json(env, "title:信息公开 公开");
    assert!(!titled.hits.is_empty());
    assert!(titled.hits.iter().all(|h| h.title.contains("信息公开")));
    // Titles are searched once per document: a title filter alone gives every passage of
    // the documents it names, and nothing else.
    let law = search_json(env, "title:数据安全法");
    let law_passages: BTreeSet<(String, u64)> = passages_containing("")
        .into_iter()
        .filter(|(path, _)| path.contains("数据安全法"))
        .collect();
    assert!(!law_passages.is_empty());
    assert_eq!(found(&law), law_passages);
    assert!(law.hits.iter().all(|h| !h.text.is_empty()));
    let out = env.run(&["search", "doc:国发[2019]5号"]);
    assert_eq!(out.code(), Some(1), "{}", out.stderr());
}

#[test]
fn synonyms_and_abbreviations_expand_unless_exact() {
    let env = indexed_seeds();
    let wto = search_json(env, "WTO");
    let mut expected = passages_containing("世界贸易组织");
    expected.extend(passages_containing("世贸组织"));
    assert_eq!(found(&wto), expected);
    assert!(wto.hits.iter().any(|h| {
        h.highlights
            .iter()
            .any(|&(s, e)| &h.text[s..e] == "世贸组织")
    }));
    let exact = env.run(&["search", "WTO", "--exact"]);
    assert_eq!(exact.code(), Some(1));
    assert_eq!(
        found(&search_json(env, "个税")),
        passages_containing("个人所得税")
    );
    assert_eq!(
        found(&search_json(env, "全国人大")),
        passages_containing("全国人大")
            .union(&passages_containing("全国人民代表大会"))
            .cloned()
            .collect()
    );
}

#[test]
fn user_synonyms_from_a_file_and_the_index_folder() {
    let env = TestEnv::with_docs("seeds");
    env.index(&["docs"]);
    env.write("mine.txt", "# 测试\n量子纠缠态, 驾驭高水平\n");
    let mine = search_json_with(&env, "量子纠缠态", &["--synonyms", "mine.txt"]);
    assert_eq!(found(&mine), passages_containing("驾驭高水平"));

    env.write("index/synonyms.txt", "纠缠 多边主义\n");
    assert_eq!(
        found(&search_json(&env, "纠缠")),
        passages_containing("多边主义")
    );

    env.write("bad.txt", "甲 乙\n孤单\n");
    let bad = env.run(&["search", "数据", "--synonyms", "bad.txt"]);
    assert_eq!(bad.code(), Some(2));
    let err = bad.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.txt:2:"), "{err}");
}

#[test]
fn malformed_queries_exit_2_with_one_line() {
    let env = indexed_seeds();
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
        let out = env.run(&["search", query]);
        assert_eq!(out.code(), Some(2), "{query}");
        let err = out.stderr();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("zhengce: "), "{err}");
        assert!(err.contains(says), "{query}: {err}");
        assert!(out.stdout().is_empty());
    }
}

#[test]
fn sort_by_date_puts_newest_first_and_unknown_last() {
    let env = indexed_seeds();
    let results = search_json_with(env, "对外开放", &["--sort", "date"]);
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
    assert_eq!(found(&results), found(&search_json(env, "对外开放")));
}

#[test]
fn cite_prints_one_line_per_hit() {
    let env = indexed_seeds();
    // The Xinhua report is no law: its passages all cite as 《…》.
    let results: JsonResults = env.search_json(&["世界贸易组织", "--limit", "4"]);
    let citations: Vec<&str> = results.hits.iter().map(|h| h.citation.as_str()).collect();
    assert_eq!(citations.len(), 4);
    assert!(citations.windows(2).any(|w| w[0] == w[1]), "{citations:?}");
    let out = env.run(&["search", "世界贸易组织", "--cite", "--limit", "4"]);
    assert_eq!(out.stdout().lines().collect::<Vec<_>>(), citations);
    // With --explain, each citation is followed by its explanation, indented.
    let out = env.run(&[
        "search",
        "世界贸易组织",
        "--cite",
        "--explain",
        "--limit",
        "4",
    ]);
    assert_eq!(out.code(), Some(0), "{out:?}");
    let stdout = out.stdout();
    let cited: Vec<&str> = stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(cited, citations);
    let explained = stdout.lines().filter(|l| l.starts_with("  score ")).count();
    assert_eq!(explained, 4, "{stdout}");
}

#[test]
fn explain_only_when_asked() {
    let env = indexed_seeds();
    let plain = env.run(&["search", "数据安全", "--json"]);
    assert!(!plain.stdout().contains("\"explain\""));
    let results = search_json_with(env, "数据安全 保护", &["--explain"]);
    let e = results.hits[0].explain.as_ref().unwrap();
    assert!(e["bm25"].as_f64().unwrap() > 0.0);
    assert_eq!(e["terms_total"], 2);
    assert!(
        e["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "grams")
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
        let r = search_json_with(env, query, &["--explain"]);
        assert!(r.hits.iter().all(|h| h.explain.is_some()), "{query}");
    }
    let text = env.run(&["search", "数据安全", "--explain", "--color", "never"]);
    let shown = text.stdout();
    assert!(
        shown.contains("score ") && shown.contains("bm25"),
        "{shown}"
    );
}

#[test]
fn duplicates_in_other_documents_are_counted() {
    let env = TestEnv::new();
    let same = "第一条 为了规范数据处理活动，保障数据安全，制定本法。\n";
    for name in ["a.txt", "b.txt", "c.txt"] {
        env.write(&format!("docs/{name}"), format!("标题{name}\n{same}"));
    }
    env.index(&["docs"]);
    let results = search_json(&env, "规范数据处理");
    assert_eq!(results.total_hits, 1);
    assert_eq!(results.hits[0].duplicates.len(), 2);
    let out = env.run(&["search", "规范数据处理", "--color", "never"]);
    assert!(
        out.stdout().contains("(also in 2 documents)"),
        "{}",
        out.stdout()
    );
}

#[test]
fn headings_of_different_documents_are_not_duplicates() {
    let env = TestEnv::new();
    for name in ["甲", "乙"] {
        env.write(
            &format!("docs/{name}条例.txt"),
            format!(
                "{name}条例\n第一章 总  则\n第一条 为了规范{name}。\n第二条 本条例适用于{name}。\n"
            ),
        );
    }
    env.index(&["docs"]);
    let results = search_json(&env, "总则");
    assert_eq!(results.total_hits, 2, "{results:?}");
    for hit in &results.hits {
        assert_eq!(hit.text, "第一章 总则");
        assert!(hit.duplicates.is_empty(), "{hit:?}");
    }
    let out = env.run(&["search", "总则", "--color", "never"]);
    assert!(!out.stdout().contains("also in"), "{}", out.stdout());
}

#[test]
fn recall_does_not_depend_on_paragraph_length() {
    // A paragraph of 1,300 characters without a sentence end or comma (a table flattened
    // into one line), whose substrings occur once each.
    let pool: Vec<char> = "国务院关于印发职业教育改革实施方案的通知各省自治区直辖市人民政府部委直属机构现将同意转发请认真贯彻执行建设现代化经济体系推动高质量发展"
        .chars()
        .collect();
    let mut seed: u64 = 19;
    let run: Vec<char> = (0..1300)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            pool[(seed >> 33) as usize % pool.len()]
        })
        .collect();
    let slice = |from: usize, to: usize| run[from..to].iter().collect::<String>();
    let paragraph = slice(0, run.len());
    let env = TestEnv::new();
    env.write("docs/目录.txt", format!("废止目录\n{paragraph}\n"));
    env.index(&["docs"]);
    // A phrase of 45 characters across character 600, and a word inside the 32 characters
    // before it, where pieces cut there used to overlap.
    for (from, to) in [(560, 605), (575, 581), (0, 40), (1250, 1300)] {
        let query = slice(from, to);
        assert_eq!(paragraph.matches(&query).count(), 1, "{query}");
        let results = search_json_with(&env, &query, &["--exact"]);
        assert_eq!(results.total_hits, 1, "{from}..{to}: {results:?}");
        let hit = &results.hits[0];
        assert_eq!(hit.highlights.len(), 1);
        let (s, e) = hit.highlights[0];
        assert_eq!(hit.text[s..e], query);
    }
}

#[test]
fn a_lone_character_is_found_wherever_it_stands() {
    // 税 beginning a run, inside one, ending one before punctuation or a Latin word or the
    // end of the text, alone, and in traditional form; and files without it.
    let texts = [
        ("始.txt", "税收征收管理法第一条"),
        ("中.txt", "个人所得税法第二条"),
        ("末.txt", "依法纳税，不得偷逃。"),
        ("拉丁.txt", "增值税VAT的规定"),
        ("尾.txt", "关于印花税"),
        ("单.txt", "第三条 税 由国家征收"),
        ("繁.txt", "關於稅收的通知"),
        ("无.txt", "国务院关于印发方案的通知"),
        ("近.txt", "说明：锐意进取"),
    ];
    let env = TestEnv::new();
    for (name, text) in texts {
        env.write(&format!("docs/{name}"), format!("{text}\n"));
    }
    env.index(&["docs"]);
    for query in ["税", "稅"] {
        let results = search_json_with(&env, query, &[]);
        let got: BTreeSet<String> = found(&results).into_iter().map(|(p, _)| p).collect();
        let want: BTreeSet<String> = texts
            .iter()
            .filter(|(_, t)| t.contains('税') || t.contains('稅'))
            .map(|(n, _)| format!("docs/{n}"))
            .collect();
        assert_eq!(got, want, "{query}");
    }
    // A character that only ends runs, found alone.
    let results = search_json_with(&env, "取", &[]);
    let got: BTreeSet<String> = found(&results).into_iter().map(|(p, _)| p).collect();
    assert_eq!(got, BTreeSet::from(["docs/近.txt".to_string()]));
}

#[test]
fn closed_pipe_ends_quietly() {
    let env = indexed_seeds();
    for format in ["--jsonl", "--json", "--color=never"] {
        let mut child = env.spawn(&["search", "的", "--limit", "200", format]);
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
    let env = TestEnv::new();
    env.write("docs/名字\u{1b}[31m.txt", "文件名控制测试\n");
    env.index(&["docs"]);
    for args in [&["search", "文件名控制"][..], &["list"], &["stats"]] {
        let out = env.run(args);
        assert_eq!(out.code(), Some(0), "{args:?}");
        assert!(
            !out.stdout().contains('\u{1b}'),
            "{args:?}: {}",
            out.stdout()
        );
    }
    // Escaped, and `show` takes the escaped form back.
    let escaped = r"docs/名字\u{1b}[31m.txt";
    assert!(env.run(&["list"]).stdout().contains(escaped));
    let out = env.run(&["show", escaped]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
    assert!(out.stdout().starts_with(escaped), "{}", out.stdout());
    // JSON keeps the name as it is, escaped.
    let out = env.run(&["search", "文件名控制", "--jsonl"]);
    let hit: serde_json::Value =
        serde_json::from_str(out.stdout().lines().next().unwrap()).unwrap();
    assert_eq!(hit["path"], "docs/名字\u{1b}[31m.txt");
}

#[test]
fn list_takes_the_filters_search_does() {
    let env = indexed_seeds();
    let listed = |filters: &[&str]| -> Vec<String> {
        let args = [&["list", "--json"][..], filters].concat();
        env.run(&args)
            .json_lines()
            .iter()
            .map(|d| d["path"].as_str().unwrap().to_string())
            .collect()
    };
    let regulations = [
        "docs/个体工商户条例(2016).txt",
        "docs/政府信息公开条例(2019-04-03).md",
    ];
    assert_eq!(listed(&["issuer:国务院", "type:条例"]), regulations);
    assert_eq!(listed(&["doc:国务院令第492号"]), regulations[1..]);
    // In force from 2021-09-01 (本法自2021年9月1日起施行), adopted 2021-06-10.
    assert_eq!(
        listed(&["effective:2021-09"]),
        ["docs/数据安全法(2021-06-10).md"]
    );
    assert_eq!(listed(&["date:2021-09"]), Vec::<String>::new());
    assert_eq!(
        listed(&["(type:法律 OR type:条例) -issuer:国务院"]),
        ["docs/数据安全法(2021-06-10).md"]
    );
    // JSON carries the issuers as a list and the date in force.
    let law = env.run(&["list", "--json", "type:法律"]).json_lines();
    assert_eq!(
        law[0]["issuers"],
        serde_json::json!(["全国人民代表大会常务委员会"])
    );
    assert_eq!(law[0]["effective"], "2021-09-01");
    // Nothing listed: exit 1; words are not filters.
    assert_eq!(env.run(&["list", "type:批复"]).code(), Some(1));
    let words = env.run(&["list", "数据"]);
    assert_eq!(words.code(), Some(2));
    assert!(
        words.stderr().contains("list takes filters only"),
        "{}",
        words.stderr()
    );
}

#[test]
fn stats_show_how_far_each_filter_reaches() {
    let env = indexed_seeds();
    let stats: serde_json::Value = env.run(&["stats", "--json"]).json();
    assert_eq!(
        stats["coverage"],
        serde_json::json!({"date": 4, "effective": 3, "issuer": 3, "doc_number": 1, "doc_type": 4})
    );
    assert!(
        env.run(&["stats"])
            .stdout()
            .contains("known         date 4 (80%) · in force from 3 (60%) · issuer 3 (60%) · number 1 (20%) · type 4 (80%)")
    );
}

#[test]
fn a_file_linked_into_a_second_indexed_folder_is_one_document() {
    let env = TestEnv::new();
    env.write(
        "laws/法.txt",
        "关于数据出境安全评估的规定\n数据出境安全评估坚持事前评估。\n",
    );
    fs::create_dir_all(env.join("mirror")).unwrap();
    std::os::unix::fs::symlink(env.join("laws/法.txt"), env.join("mirror/法.txt")).unwrap();
    std::os::unix::fs::symlink(env.join("laws/gone.txt"), env.join("mirror/dangling.txt")).unwrap();
    let out = env.run(&["index", "mirror", "laws"]);
    assert!(out.stderr().contains("dangling.txt"), "{}", out.stderr());
    let results: JsonResults = env.search_json(&["事前评估"]);
    assert_eq!(results.total_hits, 1);
    assert_eq!(results.hits[0].path, "laws/法.txt");
    let stats: serde_json::Value = env.run(&["stats", "--json"]).json();
    assert_eq!(stats["documents"], 1);
}

/// Moves the index's files whose names start with `prefix` to the folder `to`, or removes
/// them.
fn move_commit_files(env: &TestEnv, prefix: &str, to: Option<&Path>) {
    for entry in fs::read_dir(env.join("index")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        if name.to_string_lossy().starts_with(prefix) {
            match to {
                Some(to) => fs::rename(&path, to.join(name)).unwrap(),
                None => fs::remove_file(path).unwrap(),
            }
        }
    }
}

#[test]
fn list_reads_its_own_listing_not_the_file_list() {
    let env = TestEnv::with_docs("seeds");
    env.index(&["docs"]);
    let outputs = || {
        [&["list"][..], &["list", "type:法律"], &["list", "--json"]].map(|args| {
            let out = env.run(args);
            assert_eq!(out.code(), Some(0), "{args:?}: {out:?}");
            out.stdout()
        })
    };
    let before = outputs();
    assert!(before[0].lines().count() > 3, "{}", before[0]);
    // What only the version chains compare is not part of a document's entry.
    assert!(!before[2].contains("sketch") && !before[2].contains("text_hash"));
    // Written compressed, and a damaged one is named, not read as an empty list.
    let listing = fs::read_dir(env.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("listing-")
        })
        .unwrap();
    assert!(
        listing.to_string_lossy().ends_with(".json.zst"),
        "{listing:?}"
    );
    let written = fs::read(&listing).unwrap();
    assert!(
        written.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]),
        "zstd's magic"
    );
    fs::write(&listing, &written[..written.len() / 2]).unwrap();
    let out = env.run(&["list"]);
    assert_ne!(out.code(), Some(0));
    assert!(out.stderr().contains("is damaged"), "{}", out.stderr());
    fs::write(&listing, &written).unwrap();
    // Without the file list (megabytes on a large collection), the same documents.
    let aside = env.join("aside");
    fs::create_dir(&aside).unwrap();
    move_commit_files(&env, "catalog-", Some(&aside));
    assert_eq!(outputs(), before);
    // An index written before the listing was: read from the file list instead.
    for entry in fs::read_dir(&aside).unwrap() {
        let path = entry.unwrap().path();
        fs::rename(&path, env.join("index").join(path.file_name().unwrap())).unwrap();
    }
    move_commit_files(&env, "listing-", None);
    assert_eq!(outputs(), before);
}

#[test]
fn stats_read_the_commit_summary_not_the_file_list() {
    let env = TestEnv::with_docs("seeds");
    env.index(&["docs"]);
    let before: serde_json::Value = env.run(&["stats", "--json"]).json();
    assert!(before["documents"].as_u64().unwrap() > 0);
    // With the 3 MB file list of a large collection out of the way, the numbers are the same.
    move_commit_files(&env, "catalog-", None);
    let out = env.run(&["stats", "--json"]);
    assert_eq!(out.code(), Some(0), "{out:?}");
    let after: serde_json::Value = out.json();
    for field in [
        "documents",
        "passages",
        "by_format",
        "date_range",
        "coverage",
    ] {
        assert_eq!(after[field], before[field], "{field}");
    }
}

#[test]
fn export_writes_each_passage_with_the_tokens_the_index_matches() {
    let env = indexed_seeds();
    let out = env.run(&["export", "--jsonl"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
    let passages = out.json_lines();
    let stats: serde_json::Value = env.run(&["stats", "--json"]).json();
    assert_eq!(passages.len() as u64, stats["passages"].as_u64().unwrap());
    let ids: BTreeSet<&str> = passages.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), passages.len(), "ids are unique");
    // Every passage that holds 数据安全 holds its bigrams as consecutive grams, and only those.
    let phrase = ["数据", "据安", "安全"];
    for p in &passages {
        let grams: Vec<&str> = p["grams"].as_str().unwrap().split(' ').collect();
        let holds = grams.windows(3).any(|w| w == phrase);
        assert_eq!(
            holds,
            p["norm"].as_str().unwrap().contains("数据安全"),
            "{p}"
        );
    }
    // Punctuation keeps phrases apart; metadata and words come along.
    let law = passages
        .iter()
        .find(|p| p["path"] == "docs/数据安全法(2021-06-10).md" && p["article"] == "第一条")
        .expect("the law's first article");
    assert!(law["grams"].as_str().unwrap().contains(" | "), "{law}");
    assert_eq!(law["doc_type"], "法律");
    assert!(
        law["words"]
            .as_str()
            .unwrap()
            .split(' ')
            .any(|w| w == "数据")
    );
}
