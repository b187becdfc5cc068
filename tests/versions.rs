//! Versions, validity and time on real texts of the bench: 个人所得税法 of 2011 (superseded)
//! and of 2018, and 城市维护建设税暂行条例, repealed by the `同时废止` statement of the
//! 城市维护建设税法 of 2020.

mod testenv;

use std::sync::OnceLock;

use serde_json::Value;
use testenv::TestEnv;

fn env() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::with_docs("tests/fixtures/versions");
        env.index(&["docs"]);
        env
    })
}

fn hits(args: &[&str]) -> Vec<Value> {
    let found: Value = env().search_json(args);
    found["hits"].as_array().unwrap().clone()
}

fn documents(args: &[&str]) -> Vec<Value> {
    let found: Value = env().search_json(args);
    found["documents"].as_array().unwrap().clone()
}

fn by_path<'a>(found: &'a [Value], fragment: &str) -> &'a Value {
    found
        .iter()
        .find(|h| h["path"].as_str().unwrap().contains(fragment))
        .unwrap_or_else(|| panic!("no hit of {fragment} in {found:?}"))
}

#[test]
fn versions_of_one_law_form_a_chain_and_say_which_is_current() {
    let found = hits(&["应纳税所得额的计算", "--limit", "10"]);
    let old = by_path(&found, "(2011)");
    let new = by_path(&found, "(2018-08-31)");
    assert_eq!(old["version"], "2011年修正");
    assert_eq!(old["versions"], 2);
    assert_eq!(old["status"], "已修改");
    assert_eq!(old["latest"], false);
    assert_eq!(old["superseded_by_version"], "2018年修正");
    assert!(
        old["superseded_by"]
            .as_str()
            .unwrap()
            .contains("(2018-08-31)")
    );
    assert_eq!(new["version"], "2018年修正");
    assert_eq!(new["status"], "现行有效");
    assert_eq!(new["latest"], true);
    // The old version ends when the new one takes effect.
    assert_eq!(old["in_force_to"], new["in_force_from"]);
}

#[test]
fn the_terminal_shows_each_hits_version() {
    let run = env().run(&["search", "应纳税所得额的计算", "--color", "never"]);
    let out = run.stdout();
    assert!(out.contains("[2011年修正 · 已被2018年修正版取代]"), "{out}");
    assert!(out.contains("[2018年修正 · 现行]"), "{out}");
}

#[test]
fn citations_name_the_version_when_there_are_several() {
    let run = env().run(&["search", "应纳税所得额的计算", "--cite"]);
    let lines: Vec<String> = run.stdout().lines().map(String::from).collect();
    assert!(lines.contains(&"《中华人民共和国个人所得税法》（2018年修正）第六条".to_string()));
    assert!(lines.contains(&"《中华人民共和国个人所得税法》（2011年修正）第六条".to_string()));
    // A text alone in the index is cited without a version.
    let run = env().run(&["search", "城市维护建设税以纳税人", "--cite"]);
    assert!(
        run.stdout()
            .starts_with("《中华人民共和国城市维护建设税法》第二条")
    );
}

#[test]
fn latest_keeps_the_newest_version_only() {
    for args in [
        vec!["应纳税所得额的计算", "--latest"],
        vec!["应纳税所得额的计算 version:latest"],
    ] {
        let found = hits(&args);
        assert!(!found.is_empty());
        assert!(
            found
                .iter()
                .all(|h| h["path"].as_str().unwrap().contains("(2018-08-31)")),
            "{args:?}: {found:?}"
        );
    }
}

#[test]
fn a_repeal_statement_in_another_text_repeals_it() {
    let found = documents(&["城市维护建设税", "--files"]);
    let repealed = by_path(&found, "暂行条例");
    assert_eq!(repealed["status"], "已废止");
    assert!(
        repealed["repealed_by"]
            .as_str()
            .unwrap()
            .contains("城市维护建设税法(2020-08-11)")
    );
    assert!(
        repealed["status_source"]
            .as_str()
            .unwrap()
            .contains("《中华人民共和国城市维护建设税暂行条例》")
    );
    // Repealed from the day the repealing law takes effect.
    assert_eq!(repealed["in_force_to"], "2021-09-01");
    let law = by_path(&found, "城市维护建设税法");
    assert_eq!(law["status"], "现行有效");
}

#[test]
fn status_filters_select_documents() {
    let repealed = documents(&["城市维护建设税 status:已废止", "--files"]);
    assert_eq!(repealed.len(), 1);
    assert!(repealed[0]["path"].as_str().unwrap().contains("暂行条例"));
    let amended = documents(&["税 status:已修改", "--files"]);
    assert_eq!(amended.len(), 1);
    assert!(amended[0]["path"].as_str().unwrap().contains("(2011)"));
    let listed = env().run(&["list", "status:废止"]);
    assert!(listed.success());
    assert_eq!(listed.stdout().lines().count(), 1, "{}", listed.stdout());
    let bad = env().run(&["search", "税 status:作废"]);
    assert_eq!(bad.code(), Some(2));
    assert!(bad.stderr().contains("unknown status"), "{}", bad.stderr());
}

#[test]
fn as_of_a_day_finds_the_texts_then_in_force() {
    let paths = |day: &str| -> Vec<String> {
        documents(&["纳税人", "--files", "--as-of", day])
            .iter()
            .map(|d| d["path"].as_str().unwrap().to_string())
            .collect()
    };
    let in_2015 = paths("2015-01-01");
    assert!(
        in_2015.iter().any(|p| p.contains("暂行条例")),
        "{in_2015:?}"
    );
    assert!(in_2015.iter().any(|p| p.contains("(2011)")), "{in_2015:?}");
    assert!(!in_2015.iter().any(|p| p.contains("(2018-08-31)")));
    assert!(!in_2015.iter().any(|p| p.contains("城市维护建设税法")));
    let in_2022 = paths("2022-01-01");
    assert!(
        in_2022.iter().any(|p| p.contains("城市维护建设税法")),
        "{in_2022:?}"
    );
    assert!(in_2022.iter().any(|p| p.contains("(2018-08-31)")));
    assert!(
        !in_2022
            .iter()
            .any(|p| p.contains("暂行条例") || p.contains("(2011)"))
    );
    let bad = env().run(&["search", "税", "--as-of", "yesterday"]);
    assert_eq!(bad.code(), Some(2));
}

#[test]
fn cites_lists_what_a_document_refers_to_resolved() {
    let run = env().run(&["cites", "docs/城市维护建设税法(2020-08-11).md", "--json"]);
    assert!(run.success(), "{run:?}");
    let found: Value = run.json();
    let refs = found["cites"].as_array().unwrap();
    let repeal = refs
        .iter()
        .find(|r| r["title"] == "中华人民共和国城市维护建设税暂行条例")
        .unwrap();
    assert_eq!(repeal["from_article"], "第十一条");
    assert!(repeal["to"].as_str().unwrap().contains("暂行条例"));
    assert_eq!(repeal["to_status"], "已废止");
    // A law the index does not hold stays unresolved.
    let other = refs
        .iter()
        .find(|r| r["title"] == "中华人民共和国税收征收管理法")
        .unwrap();
    assert_eq!(other["to"], Value::Null);
    let text = env().run(&["cites", "docs/城市维护建设税法(2020-08-11).md:12"]);
    assert_eq!(text.stdout().lines().count(), 1, "{}", text.stdout());
    assert!(
        text.stdout()
            .contains("→ docs/城市维护建设税暂行条例(2011-01-08).md [已废止]")
    );
}

#[test]
fn cited_by_finds_the_citing_articles_of_an_article() {
    // 第六条 of the 2018 law is passage 14; its 第二十二条 (the tax table) cites it.
    let run = env().run(&["cited-by", "docs/个人所得税法(2018-08-31).md:14", "--json"]);
    assert!(run.success(), "{run:?}");
    let found: Value = run.json();
    let refs = found["cited_by"].as_array().unwrap();
    assert!(
        refs.iter().any(|r| r["from_article"] == "第二十二条"
            && r["own"] == true
            && r["to_passage"] == 14),
        "{refs:?}"
    );
    let by = env().run(&["cited-by", "docs/城市维护建设税暂行条例(2011-01-08).md"]);
    assert!(
        by.stdout()
            .contains("docs/城市维护建设税法(2020-08-11).md:12 第十一条")
    );
    let missing = env().run(&["cites", "docs/nothing.md"]);
    assert_eq!(missing.code(), Some(2));
    assert!(missing.stderr().contains("no document docs/nothing.md"));
}

#[test]
fn a_hit_citing_a_repealed_text_says_so() {
    // The repealing statement itself names the text without citing a dead one.
    let found = hits(&["同时废止"]);
    let hit = by_path(&found, "城市维护建设税法");
    assert_eq!(hit["cites_repealed"], serde_json::json!([]));
    // A notice that still rests on the repealed regulation.
    let env = TestEnv::with_docs("tests/fixtures/versions");
    env.write(
        "docs/某市关于城市维护建设税征收的通知.txt",
        "某市关于城市维护建设税征收的通知\n2022年3月1日\n一、依照《中华人民共和国城市维护建设税暂行条例》第五条，按月缴纳税款。\n",
    );
    env.index(&["docs"]);
    let found: Value = env.search_json(&["按月缴纳税款"]);
    let hit = &found["hits"][0];
    assert_eq!(
        hit["cites_repealed"],
        serde_json::json!(["中华人民共和国城市维护建设税暂行条例"])
    );
    let run = env.run(&["search", "按月缴纳税款", "--color", "never"]);
    assert!(
        run.stdout()
            .contains("(cites repealed 中华人民共和国城市维护建设税暂行条例)"),
        "{}",
        run.stdout()
    );
}

#[test]
fn verify_passes_a_true_quote_of_the_current_version() {
    let run = env().run(&[
        "verify",
        "《中华人民共和国个人所得税法》第六条：（一）居民个人的综合所得，以每一纳税年度的收入额减除费用六万元以及专项扣除",
    ]);
    assert_eq!(run.code(), Some(0), "{run:?}");
    assert!(run.stdout().contains("text      yes"));
    assert!(run.stdout().contains("current   yes  2018年修正, 现行有效"));
}

#[test]
fn verify_marks_one_changed_character() {
    let run = env().run(&[
        "verify",
        "《中华人民共和国个人所得税法》第六条：居民个人的综合所得，以每一纳税年度的收入额减除费用五万元以及专项扣除",
        "--json",
    ]);
    assert_eq!(run.code(), Some(1), "{run:?}");
    let verdict: Value = run.json();
    assert_eq!(verdict["text_matches"], false);
    assert_eq!(verdict["passage"], 14);
    let changes: Vec<(&str, &str)> = verdict["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["op"] != "same")
        .map(|e| (e["op"].as_str().unwrap(), e["text"].as_str().unwrap()))
        .collect();
    assert_eq!(changes, [("removed", "五"), ("added", "六")]);
    let text = env().run(&[
        "verify",
        "《中华人民共和国个人所得税法》第六条：以每一纳税年度的收入额减除费用五万元",
    ]);
    assert!(
        text.stdout().contains("减除费用[-五-]{+六+}万元"),
        "{}",
        text.stdout()
    );
}

#[test]
fn verify_says_a_superseded_version_is_not_current() {
    let quote = "第六条：工资、薪金所得，以每月收入额减除费用三千五百元后的余额，为应纳税所得额。";
    let old = env().run(&[
        "verify",
        &format!("《中华人民共和国个人所得税法》（2011年修正）{quote}"),
        "--json",
    ]);
    assert_eq!(old.code(), Some(1));
    let verdict: Value = old.json();
    assert_eq!(verdict["text_matches"], true);
    assert_eq!(verdict["current"], false);
    assert_eq!(verdict["superseded_by_version"], "2018年修正");
    // Without a version the current text is checked, and the quote found in the old one.
    let current = env().run(&[
        "verify",
        &format!("《中华人民共和国个人所得税法》{quote}"),
        "--json",
    ]);
    let verdict: Value = current.json();
    assert_eq!(verdict["text_matches"], false);
    assert_eq!(verdict["matches_version"], "2011年修正");
}

#[test]
fn verify_fails_a_document_or_article_the_index_lacks() {
    let missing = env().run(&["verify", "《中华人民共和国数据安全法》第二十一条：国家建立"]);
    assert_eq!(missing.code(), Some(1));
    assert!(missing.stdout().contains("document  no"));
    let article = env().run(&["verify", "《中华人民共和国个人所得税法》第九十九条"]);
    assert_eq!(article.code(), Some(1));
    assert!(article.stdout().contains("article   no"));
    let bad = env().run(&["verify", "个人所得税法"]);
    assert_eq!(bad.code(), Some(2));
    assert!(bad.stderr().contains("no title"), "{}", bad.stderr());
}

#[test]
fn diff_aligns_renumbered_articles_and_marks_changes() {
    let run = env().run(&["diff", "个人所得税法", "2011", "2018", "--json"]);
    assert_eq!(run.code(), Some(0), "{run:?}");
    let found: Value = run.json();
    assert_eq!(found["from"]["version"], "2011年修正");
    assert_eq!(found["to"]["version"], "2018年修正");
    let articles = found["articles"].as_array().unwrap();
    let of = |from: &str| {
        articles
            .iter()
            .find(|a| a["from_article"] == from)
            .unwrap_or_else(|| panic!("no {from} in {articles:?}"))
    };
    // Six articles were inserted before it: the same text, renumbered.
    assert_eq!(of("第十一条")["change"], "renumbered");
    assert_eq!(of("第十一条")["to_article"], "第十七条");
    let changed = of("第十二条");
    assert_eq!(changed["change"], "changed");
    assert_eq!(changed["to_article"], "第十八条");
    let added: Vec<&str> = changed["edits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["op"] == "added")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["，并报全国人民代表大会常务委员会备案"]);
    assert!(
        articles
            .iter()
            .any(|a| a["change"] == "added" && a["to_article"] == "第十五条")
    );
    let text = env().run(&["diff", "个人所得税法", "2011年修正", "2018"]);
    assert!(
        text.stdout()
            .contains("renumbered  第十一条 → 第十七条 (same text)")
    );
    assert!(
        text.stdout()
            .contains("由国务院规定{+，并报全国人民代表大会常务委员会备案+}。")
    );
    let missing = env().run(&["diff", "个人所得税法", "1999", "2018"]);
    assert_eq!(missing.code(), Some(2));
    assert!(
        missing
            .stderr()
            .contains("its versions are 2011年修正, 2018年修正")
    );
}

#[test]
fn a_copy_of_a_version_is_marked_as_such() {
    let env = TestEnv::with_docs("tests/fixtures/versions");
    env.copy(
        "tests/fixtures/versions/个人所得税法(2018-08-31).md",
        "docs/copies/个人所得税法.md",
    );
    env.index(&["docs"]);
    let found: Value = env.search_json(&["应纳税所得额的计算", "--latest", "--limit", "10"]);
    let hits = found["hits"].as_array().unwrap();
    // The two copies say the same: one hit, the other collapsed into it.
    assert_eq!(hits.len(), 1, "{hits:?}");
    let shown = |path: &str| -> Value { env.run(&["show", path, "--json"]).json() };
    let (a, b) = (
        shown("docs/copies/个人所得税法.md"),
        shown("docs/个人所得税法(2018-08-31).md"),
    );
    // One stands for the version, the other is its copy.
    let (primary, copy) = if a["copy_of"].is_null() {
        (a, b)
    } else {
        (b, a)
    };
    assert_eq!(primary["copy_of"], Value::Null);
    assert!(
        copy["copy_of"]
            .as_str()
            .unwrap()
            .ends_with(primary["path"].as_str().unwrap())
    );
    assert_eq!(copy["exact_copy"], true);
    for doc in [&primary, &copy] {
        assert_eq!(doc["version"], "2018年修正");
        assert_eq!(doc["status"], "现行有效");
        assert_eq!(doc["latest"], true);
    }
}
