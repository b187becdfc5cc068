//! Asking the way lawyers ask: words in the title or the chapter, articles by number, pasted
//! citations, tables of contents and heading lines, partial matches. Run on three laws from
//! the bench (个人信息保护法, 行政许可法 with its table of contents, 企业职工带薪年休假实施办法)
//! beside the seeds.

mod testenv;

use std::sync::OnceLock;

use serde_json::Value;
use testenv::TestEnv;

fn laws() -> &'static TestEnv {
    static LAWS: OnceLock<TestEnv> = OnceLock::new();
    LAWS.get_or_init(|| {
        let env = TestEnv::with_docs("tests/fixtures/laws");
        env.copy_dir(&testenv::repo("seeds"), "docs/seeds");
        env.index(&["docs"]);
        env
    })
}

fn hits(args: &[&str]) -> Vec<Value> {
    let found: Value = laws().search_json(args);
    found["hits"].as_array().unwrap().clone()
}

fn field<'a>(hit: &'a Value, name: &str) -> &'a str {
    hit[name].as_str().unwrap_or_default()
}

#[test]
fn a_law_and_a_chapter_give_that_chapters_articles_in_order() {
    for query in ["个人信息保护法 法律责任", "title:个人信息保护法 法律责任"]
    {
        let hits = hits(&[query, "--limit", "5"]);
        let articles: Vec<&str> = hits.iter().map(|h| field(h, "article")).collect();
        assert_eq!(
            articles,
            [
                "第六十六条",
                "第六十七条",
                "第六十八条",
                "第六十九条",
                "第七十条"
            ],
            "{query}"
        );
        for h in &hits {
            assert!(
                field(h, "heading").contains("第七章 法律责任"),
                "{query}: {h}"
            );
            assert!(field(h, "title").contains("个人信息保护法"));
        }
    }
}

#[test]
fn strict_mode_wants_every_word_in_the_text() {
    let out = laws().run(&["search", "--strict", "个人信息保护法 法律责任", "--json"]);
    let found: Value = out.json();
    for h in found["hits"].as_array().unwrap() {
        let text = field(h, "text");
        assert!(
            text.contains("个人信息保护法") && text.contains("法律责任"),
            "{h}"
        );
    }
}

#[test]
fn an_article_by_number_glued_or_pasted_comes_first() {
    for query in [
        "行政许可法 第46条",
        "行政许可法第46条",
        "行政许可法第四十六条",
        "《中华人民共和国行政许可法》第四十六条",
        "《中华人民共和国行政许可法》（2019年修正）第四十六条",
    ] {
        let hits = hits(&[query]);
        let first = hits.first().unwrap_or_else(|| panic!("{query}: no hit"));
        assert_eq!(field(first, "article"), "第四十六条", "{query}");
        assert!(field(first, "title").contains("行政许可法"), "{query}");
    }
    // Numbers of chapters too, inside a phrase.
    let hits = hits(&["\"第7章\""]);
    assert!(field(&hits[0], "text").contains("第七章"), "{:?}", hits[0]);
}

#[test]
fn show_prints_the_article_a_query_names() {
    let out = laws().run(&["show", "行政许可法", "第46条", "-C", "0"]);
    assert!(out.success(), "{out:?}");
    let text = out.stdout();
    assert!(text.contains("第四十六条"), "{text}");
    assert!(text.contains("第四章 行政许可的实施程序"), "{text}");
}

#[test]
fn words_in_the_title_and_the_text_find_the_passage() {
    let hits = hits(&["带薪年休假 天数"]);
    assert!(!hits.is_empty());
    assert!(field(&hits[0], "title").contains("带薪年休假"));
    assert!(field(&hits[0], "text").contains("天数"));
    let hits = self::hits(&["政府工作报告 高质量发展"]);
    assert!(field(&hits[0], "title").contains("政府工作报告"));
}

#[test]
fn heading_lines_come_after_the_articles_and_tables_of_contents_are_gone() {
    let hits = hits(&["行政许可", "--limit", "10"]);
    for h in &hits {
        assert!(!field(h, "text").contains("]("), "markdown link shown: {h}");
    }
    let first_heading = hits.iter().position(|h| field(h, "article").is_empty());
    let last_article = hits.iter().rposition(|h| !field(h, "article").is_empty());
    if let (Some(heading), Some(article)) = (first_heading, last_article) {
        assert!(
            heading > article,
            "a heading line before an article: {hits:?}"
        );
    }
    // The table of contents' link to 第二章 is not a passage: its text is the heading line.
    let chapter = self::hits(&["\"第二章 行政许可的设定\""]);
    assert_eq!(chapter.len(), 1, "{chapter:?}");
}

#[test]
fn no_passage_with_every_word_shows_those_with_the_most() {
    let out = laws().run(&["search", "个人信息保护法 法律责任 飞船", "--json"]);
    assert_eq!(out.code(), Some(1), "{out:?}");
    assert!(
        out.stderr().contains(
            "no passage holds all 3 words; showing passages with 2 of them: missing 飞船"
        ),
        "{}",
        out.stderr()
    );
    let found: Value = out.json();
    assert_eq!(found["partial"], true);
    let first = &found["hits"][0];
    assert_eq!(first["partial"], true);
    assert_eq!(first["missing"], serde_json::json!(["飞船"]));
    // A single word keeps grep's answer: nothing.
    let out = laws().run(&["search", "飞船"]);
    assert_eq!(out.code(), Some(1));
    assert!(out.stdout().is_empty());
}
