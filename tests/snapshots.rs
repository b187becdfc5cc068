//! Snapshots of what zhengce prints for a handful of commands on `seeds/`: the terminal text
//! (`--color never`) and the JSON, so that a change of output shows as a reviewable diff of
//! `tests/snapshots/*.snap`. Each snapshot holds the command, its exit code, stdout and any
//! stderr; what differs from run to run (`took_ms`, the time of the last update, the index's
//! size on disk, the temporary folder) is replaced by a fixed value.
//!
//! After a deliberate change of output: `INSTA_UPDATE=always cargo test --test snapshots`
//! (or `cargo insta review`), then read the diff of the `.snap` files before committing.

use insta::assert_snapshot;

mod testenv;
use testenv::indexed_seeds;

/// How stdout is kept: as printed, or as JSON pretty-printed in the order zhengce wrote its
/// fields, with the values of the keys named replaced by `[redacted]`.
enum Stdout {
    Text,
    Json { redact: &'static [&'static str] },
}

/// `zhengce ARGS` run on the indexed seeds, as a snapshot's text.
fn printed(args: &[&str], stdout: Stdout) -> String {
    let env = indexed_seeds();
    let out = env.run(args);
    let stdout = match stdout {
        Stdout::Text => out.stdout(),
        Stdout::Json { redact } => redacted(&pretty(&out.0.stdout), redact),
    };
    let code = out
        .code()
        .map_or("by a signal".to_string(), |c| c.to_string());
    let mut text = format!("$ zhengce {}\nexit {code}\n{stdout}", args.join(" "));
    let stderr = out.stderr();
    if !stderr.is_empty() {
        text += &format!("--- stderr\n{stderr}");
    }
    // Paths are printed relative to the working folder; should one ever be whole, the
    // temporary folder's name must not make the snapshot differ from run to run.
    for tmp in [env.path().to_path_buf(), env.path().canonicalize().unwrap()] {
        text = text.replace(tmp.to_str().unwrap(), "[TMP]");
    }
    text
}

/// One JSON value, pretty-printed with its fields in the order written (a `serde_json::Value`
/// would sort them).
fn pretty(json: &[u8]) -> String {
    let mut from = serde_json::Deserializer::from_slice(json);
    let mut text = Vec::new();
    serde_transcode::transcode(&mut from, &mut serde_json::Serializer::pretty(&mut text))
        .expect("stdout is one JSON value");
    String::from_utf8(text).unwrap() + "\n"
}

/// Pretty JSON with the value of each `"key": value` line of the keys named replaced.
fn redacted(pretty: &str, keys: &[&str]) -> String {
    pretty
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let key = keys
                .iter()
                .find(|k| trimmed.starts_with(&format!("\"{k}\": ")));
            match key {
                Some(k) => {
                    let indent = &line[..line.len() - trimmed.len()];
                    let comma = if trimmed.ends_with(',') { "," } else { "" };
                    format!("{indent}\"{k}\": \"[redacted]\"{comma}\n")
                }
                None => format!("{line}\n"),
            }
        })
        .collect()
}

/// Terminal output, plain.
fn terminal(args: &[&str]) -> String {
    printed(&[args, &["--color", "never"]].concat(), Stdout::Text)
}

/// `search --json` output, `took_ms` redacted.
fn search_json(args: &[&str]) -> String {
    let redact = &["took_ms"];
    printed(
        &[&["search", "--json"], args].concat(),
        Stdout::Json { redact },
    )
}

#[test]
fn plain_word() {
    assert_snapshot!(terminal(&["search", "数据安全", "--limit", "3"]));
}

#[test]
fn plain_word_json() {
    assert_snapshot!(search_json(&["数据安全", "--limit", "3"]));
}

#[test]
fn mid_word_substring() {
    // 易组 stands inside 世界贸易组织, across jieba's word boundaries.
    assert_snapshot!(terminal(&["search", "易组", "--limit", "3"]));
}

#[test]
fn and_json() {
    assert_snapshot!(search_json(&["数据 出口管制", "--limit", "3"]));
}

#[test]
fn or() {
    // Passages holding both words first.
    assert_snapshot!(terminal(&["search", "数据 OR 出口管制", "--limit", "3"]));
}

#[test]
fn exclusion() {
    assert_snapshot!(terminal(&["search", "数据 -安全", "--limit", "3"]));
}

#[test]
fn phrase_json() {
    assert_snapshot!(search_json(&["\"改革，要坚定\""]));
}

#[test]
fn type_and_date_filters() {
    let query = "type:条例 date:..2018 登记";
    assert_snapshot!(terminal(&["search", query, "--limit", "3"]));
}

#[test]
fn explain_json() {
    assert_snapshot!(search_json(&["出口管制", "--explain", "--limit", "1"]));
}

#[test]
fn cite() {
    let args = ["search", "数据", "--cite", "--limit", "5"];
    assert_snapshot!(printed(&args, Stdout::Text));
}

#[test]
fn sort_by_date() {
    let args = ["search", "对外开放", "--sort", "date", "--limit", "4"];
    assert_snapshot!(terminal(&args));
}

#[test]
fn no_hits_and_malformed_queries() {
    let shown: Vec<String> = ["量子纠缠态", "(数据 OR 安全", "date:2019-13"]
        .iter()
        .map(|query| printed(&["search", query], Stdout::Text))
        .collect();
    assert_snapshot!(shown.join("\n"));
}

#[test]
fn stats_json() {
    // The size on disk depends on how the indexing threads cut the segments.
    let redact = &["last_update", "index_bytes"];
    assert_snapshot!(printed(&["stats", "--json"], Stdout::Json { redact }));
}

#[test]
fn list() {
    assert_snapshot!(printed(&["list"], Stdout::Text));
}

#[test]
fn show_passage_with_context() {
    let args = ["show", "docs/数据安全法(2021-06-10).md:24", "-C", "1"];
    assert_snapshot!(printed(&args, Stdout::Text));
}

#[test]
fn files() {
    assert_snapshot!(terminal(&["search", "发展", "--files", "--limit", "3"]));
}

#[test]
fn files_json() {
    assert_snapshot!(search_json(&["出口管制", "--files", "--limit", "1"]));
}

#[test]
fn count_by() {
    let args = [
        "search",
        "发展",
        "--count-by",
        "year,issuer,type,doc",
        "-n",
        "1",
    ];
    assert_snapshot!(terminal(&args));
}

#[test]
fn count_by_json() {
    let args = ["出口管制", "--count-by", "year,type,doc", "--limit", "1"];
    assert_snapshot!(search_json(&args));
}

#[test]
fn offset() {
    assert_snapshot!(terminal(&[
        "search",
        "对外开放",
        "--offset",
        "2",
        "--limit",
        "2"
    ]));
}

#[test]
fn show_passage_json() {
    let args = [
        "show",
        "docs/数据安全法(2021-06-10).md:24",
        "-C",
        "1",
        "--json",
    ];
    assert_snapshot!(printed(&args, Stdout::Json { redact: &[] }));
}
