//! Abbreviations end to end: laws' short names made by rule, bodies with and without 和,
//! composable parts (市人大常委会), abbreviations the documents define (in their own document,
//! and across the index when two define them alike), title: and issuer: expanded, --exact
//! turning it all off, --explain naming the alias, and `zhengce aliases`.

mod testenv;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::Value;
use testenv::TestEnv;

/// Small documents, each written the way the bench's are.
const DOCS: &[(&str, &str)] = &[
    (
        "docs/深圳市调解条例.md",
        "# 深圳市调解条例\n\n2022年12月29日 深圳市第七届人民代表大会常务委员会第十四次会议通过\n\n\
         第一条 为了规范调解工作，根据《中华人民共和国民事诉讼法》和《中华人民共和国个人信息保护法》，结合本市实际，制定本条例。\n\n\
         第二条 市人力资源社会保障部门负责劳动争议调解的指导工作。\n\n\
         第三条 本条例由深圳市人民代表大会常务委员会负责解释。\n",
    ),
    (
        "docs/住房城乡建设部关于加强物业管理的通知.md",
        "# 住房城乡建设部关于加强物业管理的通知\n\n各省、自治区住房和城乡建设厅：\n\n\
         一、物业服务企业应当依法经营。\n\n住房城乡建设部\n2021年1月5日\n",
    ),
    (
        "docs/绿色产业办法.md",
        "# 绿色产业办法\n\n第一条 本市设立绿色低碳产业促进中心（以下简称“绿促中心”）。\n\n\
         第二条 绿色低碳产业促进中心负责产业规划的组织实施。\n\n第三条 绿促中心每年发布报告。\n",
    ),
    (
        "docs/另一个中心的通知.md",
        "# 另一个中心的通知\n\n一、国家绿色低碳产业促进中心另有职责。\n",
    ),
    (
        "docs/数据管理甲.md",
        "# 数据管理甲办法\n\n第一条 上海市数据管理局（以下简称“数管局”）负责公共数据的管理。\n",
    ),
    (
        "docs/数据管理乙.md",
        "# 数据管理乙办法\n\n第一条 市数据管理局（以下简称数管局）统筹数据资源。\n",
    ),
    (
        "docs/数据管理丙.md",
        "# 数据管理丙通知\n\n一、各区应当配合数据管理局开展普查。\n",
    ),
];

fn env() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::new();
        for (path, text) in DOCS {
            env.write(path, text);
        }
        env.index(&["docs"]);
        env
    })
}

/// The file names of the documents a search finds.
fn found(args: &[&str]) -> BTreeSet<String> {
    let found: Value = env().search_json(&[args, &["--files", "--limit", "100"]].concat());
    found["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            path.rsplit('/').next().unwrap().to_string()
        })
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_laws_short_name_finds_the_law_and_exact_does_not() {
    for short in ["民诉法", "个保法"] {
        assert_eq!(found(&[short]), set(&["深圳市调解条例.md"]), "{short}");
        assert!(found(&[short, "--exact"]).is_empty(), "{short}");
    }
}

#[test]
fn a_bodys_short_name_finds_its_forms_with_and_without_he() {
    // 市人力资源社会保障部门 holds 人力资源社会保障部, the form without 和.
    assert_eq!(found(&["人社部"]), set(&["深圳市调解条例.md"]));
    assert!(found(&["人社部", "--exact"]).is_empty());
    assert_eq!(
        found(&["住建部"]),
        set(&["住房城乡建设部关于加强物业管理的通知.md"])
    );
    assert_eq!(
        found(&["住建厅"]),
        set(&["住房城乡建设部关于加强物业管理的通知.md"]),
        "住房和城乡建设厅, by the parts 住建 and 厅"
    );
    assert_eq!(
        found(&["市人社部门"]),
        set(&["深圳市调解条例.md"]),
        "市人力资源社会保障部门"
    );
}

#[test]
fn parts_compose_with_a_place() {
    assert_eq!(found(&["市人大常委会"]), set(&["深圳市调解条例.md"]));
    assert_eq!(found(&["深圳市人大常委会"]), set(&["深圳市调解条例.md"]));
    assert!(found(&["市人大常委会", "--exact"]).is_empty());
}

#[test]
fn title_and_issuer_values_are_expanded() {
    let notice = set(&["住房城乡建设部关于加强物业管理的通知.md"]);
    assert_eq!(found(&["title:住建部"]), notice);
    assert_eq!(found(&["issuer:住建部"]), notice);
    assert_eq!(found(&["issuer:住建部", "--exact"]), BTreeSet::new());
    let out = env().run(&["list", "issuer:市人大常委会", "--json"]);
    let listed: Vec<String> = out
        .json_lines()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].ends_with("深圳市调解条例.md"));
}

#[test]
fn a_documents_own_abbreviation_finds_its_long_form_there_only() {
    // Passage 2 of 绿色产业办法 writes the long form alone; 另一个中心的通知 writes it too but
    // never defines 绿促中心.
    assert_eq!(found(&["绿促中心"]), set(&["绿色产业办法.md"]));
    let hits: Value = env().search_json(&["绿促中心", "--limit", "10"]);
    let texts: Vec<&str> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("第二条 绿色低碳产业促进中心负责")),
        "{texts:?}"
    );
    // In a query of several words as well.
    assert_eq!(found(&["绿促中心 规划"]), set(&["绿色产业办法.md"]));
}

#[test]
fn an_abbreviation_two_documents_define_alike_holds_across_the_index() {
    assert_eq!(
        found(&["数管局"]),
        set(&["数据管理丙.md", "数据管理乙.md", "数据管理甲.md"])
    );
    assert_eq!(
        found(&["数管局", "--exact"]),
        set(&["数据管理乙.md", "数据管理甲.md"])
    );
}

#[test]
fn explain_names_the_alias_and_where_it_comes_from() {
    let out = env().run(&["search", "民诉法", "--explain", "--color", "never"]);
    assert!(
        out.stdout()
            .contains("alias 民诉法 → 民事诉讼法 (short-name rule, from 民事诉讼法)"),
        "{out:?}"
    );
    let hits: Value = env().search_json(&["绿促中心", "--explain"]);
    let aliases: Vec<String> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| {
            h["explain"]["aliases"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    assert!(
        aliases.iter().any(|a| a.starts_with(
            "绿促中心 → 绿色低碳产业促进中心 (defined in 1 document: 绿色产业办法.md"
        )),
        "{aliases:?}"
    );
}

#[test]
fn aliases_command_lists_what_applies_and_where_it_comes_from() {
    let out = env().run(&["aliases", "住建部"]);
    assert!(out.success(), "{out:?}");
    let text = out.stdout();
    assert!(
        text.starts_with("住建部 is searched as: 住建部 · 住房城乡建设部 · 住房和城乡建设部"),
        "{text}"
    );
    assert!(text.contains("built-in table"), "{text}");
    // A predecessor is shown apart and not searched.
    assert!(
        text.contains("related, not searched:\n  住房城乡建设部 ~ 建设部"),
        "{text}"
    );

    let report: Value = env().run(&["aliases", "数管局", "--json"]).json();
    assert_eq!(report["finds"], serde_json::json!(["数管局", "数据管理局"]));
    assert_eq!(report["groups"][0]["source"]["kind"], "defined");
    assert_eq!(
        report["groups"][0]["source"]["files"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let report: Value = env().run(&["aliases", "市人大常委会", "--json"]).json();
    assert_eq!(
        report["parts"],
        serde_json::json!([["人大", ["人民代表大会"]], ["常委会", ["常务委员会"]]])
    );
}
