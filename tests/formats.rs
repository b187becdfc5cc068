//! Every format and encoding, end to end: the built binary indexes copies of the fixtures
//! (html, docx, pdf, md with front matter, txt) and finds a phrase known to be in each; copies
//! of real text transcoded to GBK, GB18030, Big5 and UTF-16 give the same hits as the UTF-8
//! original; the gov.cn pages' metadata equals their metadata tables.

use std::fs;
use std::sync::OnceLock;

use serde_json::Value;

mod testenv;
use testenv::{Run, TestEnv, repo};

/// The fixtures indexed once into `./index` of a temporary folder.
fn indexed() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::with_docs("tests/fixtures");
        let said = env.index(&["docs"]).stdout();
        assert!(said.contains("skipped 0"), "{said}");
        env
    })
}

fn search(env: &TestEnv, args: &[&str]) -> Value {
    env.search_json(&[&["--limit", "1000", "--exact"], args].concat())
}

fn hits(v: &Value) -> &Vec<Value> {
    v["hits"].as_array().unwrap()
}

/// The phrase is found, in the file expected (as the hit or a duplicate collapsed into
/// it), with a highlight on it.
fn finds_in(phrase: &str, file: &str) -> Value {
    let v = search(indexed(), &[phrase]);
    let in_file = |h: &&Value| {
        h["path"].as_str().unwrap().ends_with(file)
            || h["duplicates"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["path"].as_str().unwrap().ends_with(file))
    };
    let hit = hits(&v)
        .iter()
        .find(in_file)
        .unwrap_or_else(|| panic!("{phrase} not found in {file}: {v}"));
    let text = hit["text"].as_str().unwrap();
    let (s, e) = (
        hit["highlights"][0][0].as_u64().unwrap() as usize,
        hit["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], phrase, "{text}");
    hit.clone()
}

#[test]
fn html_body_without_the_page_around_it() {
    let hit = finds_in("双随机", "2019-02-15_国发〔2019〕5号.html");
    assert_eq!(hit["doc_number"], "国发〔2019〕5号");
    assert_eq!(
        hit["citation"],
        "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见（国发〔2019〕5号）"
    );
    // Site navigation and the metadata table are not passages.
    assert!(hits(&search(indexed(), &["索引号"])).is_empty());
}

#[test]
fn docx_paragraphs_and_alt_chunk_text() {
    finds_in("民生保障全面加强", "2025年西藏政府工作报告.docx");
    // 国旗法 keeps its text in an altChunk HTML part, with no w:t runs.
    let hit = finds_in("中华人民共和国国旗是五星红旗", "中华人民共和国国旗法.docx");
    assert_eq!(hit["article"], "第二条");
    assert_eq!(hit["citation"], "《中华人民共和国国旗法》第二条");
}

#[test]
fn pdf_lines_joined_back_into_articles() {
    let hit = finds_in("为了维护国徽的尊严", "中华人民共和国国徽法.pdf");
    assert_eq!(hit["article"], "第一条");
    // A paragraph hard-wrapped across lines (and a page) is one passage again: it equals
    // the same article of the markdown version, so the two collapse into one hit.
    let hit = finds_in("政务数据共享工作应当坚持中国共产党的领导", "wrapped.pdf");
    assert!(
        hit["text"].as_str().unwrap().contains("安全可控的原则"),
        "{}",
        hit["text"]
    );
    assert_eq!(hit["heading"], "第一章 总则 › 第四条");
    let hit = finds_in("本条例所称政务数据共享", "wrapped.pdf");
    assert_eq!(hit["article"], "第三条");
}

#[test]
fn markdown_front_matter_is_metadata_not_text() {
    finds_in(
        "政务数据安全有序高效共享利用",
        "政务数据共享条例(2025-05-28).md",
    );
    assert!(hits(&search(indexed(), &["国家法律法规数据库"])).is_empty());
}

#[test]
fn traditional_and_simplified_find_each_other() {
    let simplified = search(indexed(), &["经济建设"]);
    let traditional = search(indexed(), &["經濟建設"]);
    let key = |v: &Value| {
        hits(v)
            .iter()
            .map(|h| {
                (
                    h["path"].as_str().unwrap().to_string(),
                    h["passage"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert!(!key(&simplified).is_empty());
    assert_eq!(key(&simplified), key(&traditional));
    let hit = hits(&simplified)
        .iter()
        .find(|h| {
            h["path"]
                .as_str()
                .unwrap()
                .ends_with("report_1954_2000.txt")
        })
        .expect("the 1954 report in traditional characters");
    let text = hit["text"].as_str().unwrap();
    let (s, e) = (
        hit["highlights"][0][0].as_u64().unwrap() as usize,
        hit["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "經濟建設");
}

#[test]
fn gov_cn_metadata_equals_the_pages_tables() {
    let docs = indexed().run(&["list", "--json"]).json_lines();
    // 发文字号, 发文机关 and 成文日期 as each page's table states them; 文种 from the title.
    let tables = [
        (
            "国办发明电〔2018〕15号",
            "国务院办公厅",
            "2018-12-04",
            "通知",
        ),
        ("国令第707号", "国务院", "2018-12-18", "条例"),
        ("国发〔2018〕41号", "国务院", "2018-12-13", "通知"),
        ("国办函〔2006〕82号", "国务院办公厅", "2006-10-18", "答复"),
        ("国办发〔2018〕123号", "国务院办公厅", "2018-12-07", "意见"),
        ("国函〔2018〕159号", "国务院", "2018-12-25", "批复"),
        ("国发〔2019〕4号", "国务院", "2019-01-24", "通知"),
        ("国发〔2019〕5号", "国务院", "2019-01-27", "意见"),
    ];
    let pages: Vec<&Value> = docs.iter().filter(|d| d["format"] == "html").collect();
    assert_eq!(pages.len(), 8);
    for (number, issuer, date, kind) in tables {
        let page = pages
            .iter()
            .find(|d| d["doc_number"] == number)
            .unwrap_or_else(|| panic!("no page numbered {number}"));
        assert_eq!(page["issuer"], issuer, "{number}");
        assert_eq!(page["date"], date, "{number}");
        assert_eq!(page["doc_type"], kind, "{number}");
    }
}

#[test]
fn filters_read_the_metadata() {
    let env = indexed();
    for (query, file) in [
        ("doc:国发[2019]5号 监管", "2019-02-15_国发〔2019〕5号.html"),
        (
            "issuer:国务院办公厅 节假日",
            "国务院办公厅关于2019年部分节假日安排的通知.html",
        ),
        ("type:批复 雄安", "的批复.html"),
        ("date:2018-12-18 个人所得税", "个人所得税法实施条例.html"),
    ] {
        let v = search(env, &[query]);
        assert!(!hits(&v).is_empty(), "{query}");
        for h in hits(&v) {
            assert!(
                h["path"].as_str().unwrap().ends_with(file),
                "{query}: {}",
                h["path"]
            );
        }
    }
}

#[test]
fn cite_prints_what_a_lawyer_pastes() {
    let out = indexed().run(&["search", "--cite", "--exact", "国旗是五星红旗"]);
    assert_eq!(out.code(), Some(0));
    let printed = out.stdout();
    assert_eq!(
        printed.lines().next(),
        Some("《中华人民共和国国旗法》第二条")
    );
}

/// Transcodes `text` into `encoding`'s bytes.
fn encode(text: &str, encoding: &str) -> Vec<u8> {
    match encoding {
        "utf-8" => text.as_bytes().to_vec(),
        "utf-16le" => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        "utf-16be" => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        label => {
            let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
            let (bytes, _, lossy) = enc.encode(text);
            assert!(!lossy, "{label} holds the whole text");
            bytes.into_owned()
        }
    }
}

/// Hits of `query` in an index of one file: (passage, text, highlights).
fn hits_of(env: &TestEnv, index: &str, query: &str) -> Vec<(u64, String, String)> {
    let v = search(env, &["--index", index, query]);
    hits(&v)
        .iter()
        .map(|h| {
            (
                h["passage"].as_u64().unwrap(),
                h["text"].as_str().unwrap().to_string(),
                h["highlights"].to_string(),
            )
        })
        .collect()
}

#[test]
fn legacy_encodings_give_the_same_hits_as_utf8() {
    let env = TestEnv::new();
    let cases = [
        (
            "xinhua_2000.txt",
            &["gbk", "gb18030", "utf-16le", "utf-16be"][..],
            &["世界贸易组织", "多边主义的重要支柱", "易组", "20余年"][..],
        ),
        (
            "report_1954_2000.txt",
            &["big5", "gb18030", "utf-16le"][..],
            &["經濟", "经济", "憲法", "人民代表大會"][..],
        ),
    ];
    // Characters the legacy encodings lack are written as their nearest form in every copy,
    // the UTF-8 one included: a no-break space as a space, the few simplified or variant
    // characters of the 1954 text in traditional form (Big5 holds only traditional ones).
    let legacy = |c: char| match c {
        '\u{a0}' => ' ',
        '却' => '卻',
        '况' => '況',
        '强' => '強',
        '爲' => '為',
        '届' => '屆',
        '産' => '產',
        '着' => '著',
        '麽' => '麼',
        '够' => '夠',
        c => c,
    };
    for (name, encodings, queries) in cases {
        let text: String = fs::read_to_string(repo("tests/fixtures/encoding").join(name))
            .unwrap()
            .chars()
            .map(legacy)
            .collect();
        for encoding in ["utf-8"].iter().chain(encodings) {
            let folder = format!("{encoding}-{name}");
            env.write(&format!("{folder}/{name}"), encode(&text, encoding));
            let index = format!("index-{encoding}-{name}");
            let folder = env.join(&folder);
            env.index(&["--index", &index, folder.to_str().unwrap()]);
        }
        for query in queries {
            let original = hits_of(&env, &format!("index-utf-8-{name}"), query);
            assert!(!original.is_empty(), "{query} in {name}");
            for encoding in encodings {
                let copy = hits_of(&env, &format!("index-{encoding}-{name}"), query);
                assert_eq!(copy, original, "{query} in the {encoding} copy of {name}");
            }
        }
    }
}

#[test]
fn a_pdf_child_never_starts_children_of_its_own() {
    // What a PDF child that ran the whole program instead of the extraction would see.
    let env = TestEnv::new();
    env.copy("tests/fixtures/pdf/wrapped.pdf", "docs/wrapped.pdf");
    let out = Run::from(
        env.command(&["index", "docs"])
            .env("ZHENGCE_PDF_CHILD", "1")
            .output()
            .unwrap(),
    );
    assert_eq!(out.code(), Some(2));
    let err = out.stderr();
    assert!(err.contains("does not handle `__extract-pdf`"), "{err}");
}
