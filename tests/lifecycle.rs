//! The index over time, with real processes: incremental runs, kills, Ctrl-C, two writers,
//! damaged indexes, full and read-only disks.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;

mod testenv;
use testenv::{Run, TestEnv, repo};

fn seed(name: &str) -> String {
    fs::read_to_string(repo("seeds").join(name)).unwrap()
}

/// Writes `count` documents named `r{i}.txt` into `dir`, each a government work report
/// with its own first line `编号标记{i}号` so every file has one passage of its own.
fn write_reports(dir: &Path, range: std::ops::Range<usize>) {
    fs::create_dir_all(dir).unwrap();
    let report = seed("2024_2024年中华人民共和国国务院政府工作报告.txt");
    for i in range {
        fs::write(
            dir.join(format!("r{i:03}.txt")),
            format!("编号标记{i}号\n{report}"),
        )
        .unwrap();
    }
}

/// Paths the index lists (its last commit's catalog).
fn listed(env: &TestEnv) -> BTreeSet<String> {
    listed_json(env)
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

fn listed_json(env: &TestEnv) -> Vec<Value> {
    env.run(&["list", "--json"]).json_lines()
}

/// Paths whose marker line the index finds.
fn marked(env: &TestEnv) -> BTreeSet<String> {
    found_paths(env, "编号标记")
}

/// Paths of every hit of `query`.
fn found_paths(env: &TestEnv, query: &str) -> BTreeSet<String> {
    hit_paths(&env.search_json(&[query, "--limit", "100000"]))
}

/// Paths of the hits of `search --json` output.
fn hit_paths(v: &Value) -> BTreeSet<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

fn paths(range: std::ops::Range<usize>) -> BTreeSet<String> {
    range.map(|i| format!("docs/r{i:03}.txt")).collect()
}

/// A number from the clock, for kill moments that differ from run to run.
fn jitter(max_ms: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    nanos % max_ms
}

#[test]
fn rerun_indexes_only_what_changed() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..4);
    let first = env.run(&["index", "docs"]);
    assert!(first.stdout().contains("indexed 4 files"));

    let again = env.run(&["index", "docs"]);
    assert!(again.stdout().contains("indexed 0 files"), "{again:?}");
    assert!(again.stdout().contains("unchanged 4"));

    // Touched but not changed: not re-indexed.
    let f = fs::File::options()
        .append(true)
        .open(env.join("docs/r000.txt"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(f);
    let touched = env.run(&["index", "docs"]);
    assert!(touched.stdout().contains("indexed 0 files"), "{touched:?}");

    // Changed, deleted, renamed.
    env.write("docs/r001.txt", "编号标记新号\n内容改过了。\n");
    fs::remove_file(env.join("docs/r002.txt")).unwrap();
    fs::rename(env.join("docs/r003.txt"), env.join("docs/moved.txt")).unwrap();
    let changed = env.run(&["index", "docs"]);
    let said = changed.stdout();
    assert!(
        said.contains("indexed 2 files") && said.contains("removed 2"),
        "{said}"
    );
    let want: BTreeSet<String> = ["docs/r000.txt", "docs/r001.txt", "docs/moved.txt"]
        .map(String::from)
        .into();
    assert_eq!(listed(&env), want);
    assert_eq!(marked(&env), want);
    let new = env.run(&["search", "内容改过了", "--json"]);
    assert_eq!(new.code(), Some(0));
    // Titles are searched in each document's header: a changed, deleted or renamed file
    // leaves no header behind.
    let titled = |title: &str| found_paths(&env, &format!("title:{title}"));
    assert!(titled("编号标记1号").is_empty());
    assert!(titled("编号标记2号").is_empty());
    assert_eq!(titled("编号标记新号"), ["docs/r001.txt".to_string()].into());
    assert_eq!(titled("编号标记3号"), ["docs/moved.txt".to_string()].into());

    // Another folder joins the same index without disturbing the first.
    write_reports(&env.join("more"), 10..11);
    env.run(&["index", "more"]);
    assert_eq!(listed(&env).len(), 4);
}

#[test]
fn any_spelling_of_a_folder_is_the_same_folder() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..3);
    let out = env.run(&["index", "docs"]);
    assert!(out.stdout().contains("indexed 3 files"));
    let absolute = env.path().canonicalize().unwrap().join("docs");
    for spelling in ["./docs/", "docs/../docs", absolute.to_str().unwrap()] {
        let out = env.run(&["index", spelling]);
        let said = out.stdout();
        assert!(
            said.contains("indexed 0 files") && said.contains("unchanged 3"),
            "{spelling}: {said}"
        );
    }
    assert_eq!(marked(&env), paths(0..3));
    assert_eq!(listed(&env), paths(0..3));

    // A file deleted is removed whatever the spelling of the next run.
    fs::remove_file(env.join("docs/r001.txt")).unwrap();
    let out = env.run(&["index", absolute.to_str().unwrap()]);
    assert!(out.stdout().contains("removed 1"));
    assert_eq!(
        marked(&env),
        paths(0..3)
            .into_iter()
            .filter(|p| !p.contains("r001"))
            .collect()
    );

    // Below the current folder paths are relative to it; elsewhere they are whole, and
    // `show` takes them as typed.
    let below = env.run_in("docs", &["search", "编号标记0号", "--index", "../index"]);
    let below = below.stdout();
    assert!(below.starts_with("r000.txt:0"), "{below}");
    let other = env.join("other");
    fs::create_dir_all(&other).unwrap();
    let elsewhere = env.run_in(
        "other",
        &["search", "编号标记0号", "--json", "--index", "../index"],
    );
    let v: Value = elsewhere.json();
    let path = v["hits"][0]["path"].as_str().unwrap().to_string();
    assert_eq!(path, absolute.join("r000.txt").to_str().unwrap());
    for typed in [path.as_str(), "../docs/r000.txt"] {
        let target = format!("{typed}:0");
        let shown = env.run_in("other", &["show", &target, "--index", "../index"]);
        assert!(
            shown.stdout().contains("编号标记0号"),
            "{typed}: {}",
            shown.stderr()
        );
    }
}

#[test]
fn kill_during_index_leaves_the_last_commit() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..3);
    env.index(&["docs"]);
    write_reports(&env.join("docs"), 3..50);
    for round in 0..3 {
        let mut child = env.spawn(&["index", "docs", "--commit-every", "1"]);
        sleep(Duration::from_millis(200 + jitter(2500)));
        child.kill().unwrap();
        child.wait().unwrap();
        let committed = listed(&env);
        assert!(committed.is_superset(&paths(0..3)), "round {round}");
        // What the search finds is exactly what the last commit's catalog holds.
        assert_eq!(marked(&env), committed, "round {round}");
    }
    let finish = env.run(&["index", "docs"]);
    assert!(finish.success(), "{}", finish.stderr());
    assert_eq!(listed(&env), paths(0..50));
    assert_eq!(marked(&env), paths(0..50));
}

#[test]
fn ctrl_c_commits_what_is_done_and_exits_130() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..100);
    let child = env.spawn(&["index", "docs"]);
    // Interrupted once the run holds the writer (it writes its pid then), a little after:
    // a fixed wait from the start let an optimised build finish all 100 first.
    let started = Instant::now();
    while !env.join("index/writer.pid").exists() && started.elapsed() < Duration::from_secs(20) {
        sleep(Duration::from_millis(10));
    }
    sleep(Duration::from_millis(100));
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let out = Run::from(child.wait_with_output().unwrap());
    let err = out.stderr();
    assert_eq!(out.code(), Some(130), "{err}");
    assert!(err.contains("interrupted: committed"), "{err}");
    let committed = listed(&env);
    assert_eq!(marked(&env), committed);
    assert!(committed.len() < 100);
    let finish = env.run(&["index", "docs"]);
    assert!(finish.success());
    assert_eq!(listed(&env).len(), 100);
}

#[test]
fn a_second_writer_fails_at_once_and_search_keeps_working() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..2);
    env.index(&["docs"]);
    write_reports(&env.join("docs"), 2..80);
    let mut first = env.spawn(&["index", "docs"]);
    // Wait until the first run holds the writer (it writes its pid then).
    let started = Instant::now();
    while !env.join("index/writer.pid").exists() && started.elapsed() < Duration::from_secs(20) {
        sleep(Duration::from_millis(20));
    }
    let second = env.run(&["index", "docs"]);
    let err = second.stderr();
    assert_eq!(second.code(), Some(2), "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "zhengce: index ./index is being updated by another zhengce process (pid {})",
            first.id()
        )
    );
    let search = env.run(&["search", "编号标记", "--json"]);
    assert_eq!(search.code(), Some(0), "{}", search.stderr());
    first.kill().unwrap();
    first.wait().unwrap();
}

#[test]
fn damaged_or_foreign_indexes_get_a_clear_message() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..2);
    env.index(&["docs"]);

    env.write("index/zhengce.json", "{\"schema_version\": 999}");
    let out = env.run(&["search", "编号标记"]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr().contains("--rebuild"), "{}", out.stderr());
    assert_eq!(out.stderr().lines().count(), 1);
    env.index(&["--rebuild", "docs"]);
    assert_eq!(marked(&env).len(), 2);

    // A segment file gone: positions (read only by phrase queries), then the terms.
    for extension in ["pos", "term"] {
        let victim = fs::read_dir(env.join("index"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == extension))
            .unwrap();
        fs::remove_file(&victim).unwrap();
        for args in [&["search", "编号标记"][..], &["index", "docs"], &["stats"]] {
            let out = env.run(args);
            assert_eq!(out.code(), Some(2), "{extension} {args:?}");
            let err = out.stderr();
            assert!(
                err.contains("damaged") && err.contains("--rebuild"),
                "{extension} {args:?}: {err}"
            );
            assert!(!err.contains("panicked"));
        }
        if extension == "pos" {
            env.index(&["--rebuild", "docs"]);
        }
    }

    // meta.json garbled.
    env.write("index/meta.json", "{not json");
    let out = env.run(&["search", "编号标记"]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr().contains("--rebuild"), "{}", out.stderr());
    env.index(&["--rebuild", "docs"]);
    assert_eq!(marked(&env).len(), 2);
}

#[test]
fn a_folder_gone_from_disk_leaves_the_index_when_named_again() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..2);
    write_reports(&env.join("more"), 5..6);
    env.index(&["docs", "more"]);
    fs::rename(env.join("docs"), env.join("renamed")).unwrap();
    let out = env.run(&["index", "renamed", "./docs"]);
    assert!(out.success(), "{}", out.stderr());
    assert!(
        out.stderr()
            .contains("docs is gone: its documents were removed from the index"),
        "{}",
        out.stderr()
    );
    assert!(out.stdout().contains("removed 2"));
    let want: BTreeSet<String> = ["renamed/r000.txt", "renamed/r001.txt", "more/r005.txt"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(marked(&env), want);
    // A path the index never held is still an error.
    let out = env.run(&["index", "never-there"]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr().contains("never-there: no such file or folder"));
}

#[test]
fn an_empty_document_is_listed_and_shown() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..1);
    env.write("docs/空白.txt", "");
    env.index(&["docs"]);
    assert!(listed(&env).contains("docs/空白.txt"), "{:?}", listed(&env));
    let out = env.run(&["show", "docs/空白.txt", "--json"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
    let shown: Value = out.json();
    assert_eq!(shown["title"], "空白");
    assert_eq!(shown["passages"].as_array().unwrap().len(), 0);
    let out = env.run(&["show", "docs/空白.txt:0"]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr().contains("holds no text"), "{}", out.stderr());
}

#[test]
fn an_index_is_never_written_among_other_files() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..2);
    let out = env.run(&["index", "docs", "--index", "docs"]);
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr().contains("docs holds other files and no index"),
        "{}",
        out.stderr()
    );
    let left: Vec<_> = fs::read_dir(env.join("docs")).unwrap().flatten().collect();
    assert_eq!(left.len(), 2, "only the two documents");
    // A folder with only a README (as the bundled ./index) is fine.
    env.write("ix/README.md", "index here\n");
    env.index(&["docs", "--index", "ix"]);
}

#[test]
fn an_index_of_an_earlier_format_is_rebuilt_by_the_next_run() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..2);
    write_reports(&env.join("more"), 5..6);
    env.index(&["docs", "more"]);

    // A later format is not this zhengce's to replace.
    env.write("index/zhengce.json", "{\"schema_version\": 999}");
    let out = env.run(&["index", "docs"]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr().contains("--rebuild"), "{}", out.stderr());

    env.write("index/zhengce.json", "{\"schema_version\": 1}");
    let out = env.run(&["search", "编号标记"]);
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr()
            .contains("earlier zhengce — run `zhengce index <folder>` to rebuild it"),
        "{}",
        out.stderr()
    );
    let out = env.run(&["index", "docs"]);
    assert!(out.success(), "{}", out.stderr());
    // Every folder the index held is rebuilt, not only the one named.
    assert!(
        out.stderr().contains(
            "earlier zhengce (version 1); rebuilt it, with the other folders it held: more"
        ),
        "{}",
        out.stderr()
    );
    assert_eq!(marked(&env).len(), 3);
    // Rebuilt once: the next run finds everything unchanged.
    let out = env.run(&["index", "docs", "more"]);
    assert!(out.stderr().is_empty(), "{}", out.stderr());
    assert!(out.stdout().contains("indexed 0 files"), "{}", out.stdout());
}

/// A small tmpfs mounted for one test, unmounted on drop; `None` where mounting is not
/// allowed (not root).
struct Mount(PathBuf);

impl Mount {
    fn new(at: &Path, size: &str) -> Option<Mount> {
        fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn full_or_read_only_disk_fails_clearly_and_keeps_the_index() {
    let env = TestEnv::new();
    write_reports(&env.join("docs"), 0..1);
    let Some(mount) = Mount::new(&env.join("disk"), "4m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    env.index(&["docs", "--index", "disk/index"]);
    let before = marked_in(&env, "disk/index");
    assert_eq!(before.len(), 1);

    // Full: fill the disk, then add documents.
    write_reports(&env.join("docs"), 1..40);
    let filler = env.join("disk/filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=64k"])
        .arg(format!("of={}", filler.display()))
        .stderr(Stdio::null())
        .status();
    let out = env.run(&["index", "docs", "--index", "disk/index"]);
    let err = out.stderr();
    assert_eq!(out.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("disk/index") || err.contains("space"), "{err}");
    fs::remove_file(&filler).unwrap();
    assert_eq!(marked_in(&env, "disk/index"), before);

    // Read-only.
    let remount = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mount.0)
        .status()
        .unwrap();
    assert!(remount.success());
    let out = env.run(&["index", "docs", "--index", "disk/index"]);
    let err = out.stderr();
    assert_eq!(out.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(marked_in(&env, "disk/index"), before);
}

fn marked_in(env: &TestEnv, index: &str) -> BTreeSet<String> {
    hit_paths(&env.search_json(&["编号标记", "--index", index]))
}

#[test]
fn stats_list_and_show_describe_the_index() {
    let env = TestEnv::new();
    let law = "数据安全法(2021-06-10).md";
    env.copy(&format!("seeds/{law}"), &format!("docs/{law}"));
    write_reports(&env.join("more"), 0..2);
    env.index(&["docs", "more"]);

    let out = env.run(&["stats", "--json"]);
    assert_eq!(out.code(), Some(0));
    let stats: Value = out.json();
    assert_eq!(stats["documents"], 3);
    assert_eq!(stats["by_format"]["md"], 1);
    assert_eq!(stats["by_format"]["txt"], 2);
    assert_eq!(stats["by_folder"]["more"], 2);
    assert_eq!(stats["date_range"][0], "2021-06-10");
    assert_eq!(stats["date_range"][1], "2024-03-05");
    let passages: u64 = listed_json(&env)
        .iter()
        .map(|d| d["passages"].as_u64().unwrap())
        .sum();
    assert_eq!(stats["passages"].as_u64(), Some(passages));
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    let text = env.run(&["stats"]).stdout();
    assert!(text.contains("documents     3"), "{text}");

    let listed = listed_json(&env);
    let entry = listed
        .iter()
        .find(|d| d["path"] == "docs/数据安全法(2021-06-10).md")
        .unwrap();
    assert_eq!(entry["title"], "中华人民共和国数据安全法");
    assert_eq!(entry["doc_type"], "法律");

    // One passage with its neighbours, from a path:passage as search prints it.
    let hit = env.run(&["search", "--json", "国家建立数据分类分级保护制度"]);
    let hit: Value = hit.json();
    let target = format!(
        "{}:{}",
        hit["hits"][0]["path"].as_str().unwrap(),
        hit["hits"][0]["passage"]
    );
    let out = env.run(&["show", &target, "--json", "-C", "1"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
    let shown: Value = out.json();
    let passages = shown["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 3);
    assert_eq!(passages[1]["focus"], true);
    assert!(
        passages[1]["text"]
            .as_str()
            .unwrap()
            .starts_with("第二十一条")
    );
    // Article 21 opens chapter 3, whose heading line comes before it.
    assert_eq!(passages[0]["text"], "第三章 数据安全制度");
    assert!(
        passages[2]["text"]
            .as_str()
            .unwrap()
            .starts_with("第二十二条")
    );
    let text = env.run(&["show", &target]).stdout();
    assert!(text.contains("第三章 数据安全制度 › 第二十一条"), "{text}");

    let path = hit["hits"][0]["path"].as_str().unwrap();
    for (passage, said) in [
        ("99999", "has no passage 99999 (its passages are 0 to "),
        (
            "99999999999999999999999",
            "has no passage 99999999999999999999999",
        ),
    ] {
        let out = env.run(&["show", &format!("{path}:{passage}")]);
        assert_eq!(out.code(), Some(2));
        assert!(out.stderr().contains(said), "{}", out.stderr());
    }

    let missing = env.run(&["show", "docs/none.md"]);
    assert_eq!(missing.code(), Some(2));
    assert!(missing.stderr().contains("no document docs/none.md"));
}

#[test]
fn skipped_files_are_listed_with_verbose() {
    let env = TestEnv::new();
    for i in 0..8 {
        env.write(&format!("docs/bad{i}.pdf"), b"not a pdf at all");
    }
    env.write("docs/good.txt", "第一条 本办法自公布之日起施行。\n");
    let quiet = env.run(&["index", "docs"]);
    assert_eq!(quiet.code(), Some(2));
    let err = quiet.stderr();
    assert_eq!(err.matches("zhengce: skipped docs/bad").count(), 5, "{err}");
    assert!(
        err.contains("… and 3 more skipped files (--verbose lists them all)"),
        "{err}"
    );
    let said = quiet.stdout();
    assert!(
        said.contains("indexed 1 file ") && said.contains("skipped 8"),
        "{said}"
    );

    let verbose = env.run(&["index", "--rebuild", "--verbose", "docs"]);
    assert_eq!(
        verbose
            .stderr()
            .matches("zhengce: skipped docs/bad")
            .count(),
        8
    );
}

/// Why (issue 16): "there is no way to exclude a file." `--exclude` and `.zhengceignore` (in
/// gitignore syntax) leave files out, and what was indexed before leaves the index.
#[test]
fn excluded_files_are_not_indexed_and_leave_the_index() {
    let env = TestEnv::new();
    let docs = [
        "docs/a.txt",
        "docs/drafts/b.txt",
        "docs/sub/c.md",
        "docs/sub/d.md",
        "docs/sub/e.txt",
    ];
    for (i, doc) in docs.iter().enumerate() {
        env.write(doc, format!("编号标记{i}号\n第一条 本文件的正文。\n"));
    }
    let all: BTreeSet<String> = docs.iter().map(|d| d.to_string()).collect();
    let only = |kept: &[&str]| -> BTreeSet<String> { kept.iter().map(|d| d.to_string()).collect() };
    env.index(&["docs"]);
    assert_eq!(marked(&env), all);

    let out = env.index(&["docs", "--exclude", "drafts/", "--exclude", "*.md"]);
    assert!(out.stdout().contains("removed 3"), "{}", out.stdout());
    assert_eq!(marked(&env), only(&["docs/a.txt", "docs/sub/e.txt"]));
    // An exclusion holds for the run that names it.
    env.index(&["docs"]);
    assert_eq!(marked(&env), all);

    // For good: ignore files, a deeper one taking a file back.
    env.write(
        "docs/.zhengceignore",
        "# drafts are not policy\ndrafts\n*.md\n",
    );
    env.write("docs/sub/.zhengceignore", "!d.md\n");
    let out = env.index(&["docs"]);
    assert!(out.stdout().contains("removed 2"), "{}", out.stdout());
    let kept = only(&["docs/a.txt", "docs/sub/d.md", "docs/sub/e.txt"]);
    assert_eq!(marked(&env), kept);
    assert_eq!(listed(&env), kept);

    // What is excluded is not even looked at: a FIFO there is not named.
    let made = Command::new("mkfifo")
        .arg(env.join("docs/drafts/pipe.txt"))
        .status();
    if made.is_ok_and(|s| s.success()) {
        let out = env.index(&["docs"]);
        assert!(!out.stderr().contains("pipe.txt"), "{}", out.stderr());
    }

    let out = env.run(&["index", "docs", "--exclude", "[a"]);
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr().contains("--exclude [a: not a valid glob"),
        "{}",
        out.stderr()
    );
}
