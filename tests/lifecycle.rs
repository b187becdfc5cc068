//! The index over time, with real processes: incremental runs, kills, Ctrl-C, two writers,
//! damaged indexes, full and read-only disks.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_zhengce");

fn seed(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(name),
    )
    .unwrap()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run zhengce")
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zhengce")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
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
fn listed(dir: &Path) -> BTreeSet<String> {
    let out = run(dir, &["list", "--json"]);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Paths whose marker line the index finds.
fn marked(dir: &Path) -> BTreeSet<String> {
    found_paths(dir, "编号标记")
}

/// Paths of every hit of `query`.
fn found_paths(dir: &Path, query: &str) -> BTreeSet<String> {
    let out = run(dir, &["search", query, "--json", "--limit", "100000"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
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
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..4);
    let first = run(dir, &["index", "docs"]);
    assert!(String::from_utf8_lossy(&first.stdout).contains("indexed 4 files"));

    let again = run(dir, &["index", "docs"]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("indexed 0 files"),
        "{again:?}"
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("unchanged 4"));

    // Touched but not changed: not re-indexed.
    let f = fs::File::options()
        .append(true)
        .open(dir.join("docs/r000.txt"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(f);
    let touched = run(dir, &["index", "docs"]);
    assert!(
        String::from_utf8_lossy(&touched.stdout).contains("indexed 0 files"),
        "{touched:?}"
    );

    // Changed, deleted, renamed.
    fs::write(dir.join("docs/r001.txt"), "编号标记新号\n内容改过了。\n").unwrap();
    fs::remove_file(dir.join("docs/r002.txt")).unwrap();
    fs::rename(dir.join("docs/r003.txt"), dir.join("docs/moved.txt")).unwrap();
    let changed = run(dir, &["index", "docs"]);
    let said = String::from_utf8_lossy(&changed.stdout).into_owned();
    assert!(
        said.contains("indexed 2 files") && said.contains("removed 2"),
        "{said}"
    );
    let want: BTreeSet<String> = ["docs/r000.txt", "docs/r001.txt", "docs/moved.txt"]
        .map(String::from)
        .into();
    assert_eq!(listed(dir), want);
    assert_eq!(marked(dir), want);
    let new = run(dir, &["search", "内容改过了", "--json"]);
    assert_eq!(new.status.code(), Some(0));
    // Titles are searched in each document's header: a changed, deleted or renamed file
    // leaves no header behind.
    let titled = |title: &str| found_paths(dir, &format!("title:{title}"));
    assert!(titled("编号标记1号").is_empty());
    assert!(titled("编号标记2号").is_empty());
    assert_eq!(titled("编号标记新号"), ["docs/r001.txt".to_string()].into());
    assert_eq!(titled("编号标记3号"), ["docs/moved.txt".to_string()].into());

    // Another folder joins the same index without disturbing the first.
    write_reports(&dir.join("more"), 10..11);
    run(dir, &["index", "more"]);
    assert_eq!(listed(dir).len(), 4);
}

#[test]
fn any_spelling_of_a_folder_is_the_same_folder() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..3);
    let out = run(dir, &["index", "docs"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("indexed 3 files"));
    let absolute = dir.canonicalize().unwrap().join("docs");
    for spelling in ["./docs/", "docs/../docs", absolute.to_str().unwrap()] {
        let out = run(dir, &["index", spelling]);
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            said.contains("indexed 0 files") && said.contains("unchanged 3"),
            "{spelling}: {said}"
        );
    }
    assert_eq!(marked(dir), paths(0..3));
    assert_eq!(listed(dir), paths(0..3));

    // A file deleted is removed whatever the spelling of the next run.
    fs::remove_file(dir.join("docs/r001.txt")).unwrap();
    let out = run(dir, &["index", absolute.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("removed 1"));
    assert_eq!(
        marked(dir),
        paths(0..3)
            .into_iter()
            .filter(|p| !p.contains("r001"))
            .collect()
    );

    // Below the current folder paths are relative to it; elsewhere they are whole, and
    // `show` takes them as typed.
    let below = run(
        &dir.join("docs"),
        &["search", "编号标记0号", "--index", "../index"],
    );
    let below = String::from_utf8_lossy(&below.stdout).into_owned();
    assert!(below.starts_with("r000.txt:0"), "{below}");
    let other = dir.join("other");
    fs::create_dir_all(&other).unwrap();
    let elsewhere = run(
        &other,
        &["search", "编号标记0号", "--json", "--index", "../index"],
    );
    let v: Value = serde_json::from_slice(&elsewhere.stdout).unwrap();
    let path = v["hits"][0]["path"].as_str().unwrap().to_string();
    assert_eq!(path, absolute.join("r000.txt").to_str().unwrap());
    for typed in [path.as_str(), "../docs/r000.txt"] {
        let target = format!("{typed}:0");
        let shown = run(&other, &["show", &target, "--index", "../index"]);
        assert!(
            String::from_utf8_lossy(&shown.stdout).contains("编号标记0号"),
            "{typed}: {}",
            stderr(&shown)
        );
    }
}

#[test]
fn kill_during_index_leaves_the_last_commit() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..3);
    assert!(run(dir, &["index", "docs"]).status.success());
    write_reports(&dir.join("docs"), 3..50);
    for round in 0..3 {
        let mut child = spawn(dir, &["index", "docs", "--commit-every", "1"]);
        sleep(Duration::from_millis(200 + jitter(2500)));
        child.kill().unwrap();
        child.wait().unwrap();
        let committed = listed(dir);
        assert!(committed.is_superset(&paths(0..3)), "round {round}");
        // What the search finds is exactly what the last commit's catalog holds.
        assert_eq!(marked(dir), committed, "round {round}");
    }
    let finish = run(dir, &["index", "docs"]);
    assert!(finish.status.success(), "{}", stderr(&finish));
    assert_eq!(listed(dir), paths(0..50));
    assert_eq!(marked(dir), paths(0..50));
}

#[test]
fn ctrl_c_commits_what_is_done_and_exits_130() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..100);
    let child = spawn(dir, &["index", "docs"]);
    sleep(Duration::from_millis(1500));
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted: committed"), "{err}");
    let committed = listed(dir);
    assert_eq!(marked(dir), committed);
    assert!(committed.len() < 100);
    let finish = run(dir, &["index", "docs"]);
    assert!(finish.status.success());
    assert_eq!(listed(dir).len(), 100);
}

#[test]
fn a_second_writer_fails_at_once_and_search_keeps_working() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..2);
    assert!(run(dir, &["index", "docs"]).status.success());
    write_reports(&dir.join("docs"), 2..80);
    let mut first = spawn(dir, &["index", "docs"]);
    // Wait until the first run holds the writer (it writes its pid then).
    let started = Instant::now();
    while !dir.join("index/writer.pid").exists() && started.elapsed() < Duration::from_secs(20) {
        sleep(Duration::from_millis(20));
    }
    let second = run(dir, &["index", "docs"]);
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "zhengce: index ./index is being updated by another zhengce process (pid {})",
            first.id()
        )
    );
    let search = run(dir, &["search", "编号标记", "--json"]);
    assert_eq!(search.status.code(), Some(0), "{}", stderr(&search));
    first.kill().unwrap();
    first.wait().unwrap();
}

#[test]
fn damaged_or_foreign_indexes_get_a_clear_message() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..2);
    assert!(run(dir, &["index", "docs"]).status.success());

    fs::write(dir.join("index/zhengce.json"), "{\"schema_version\": 999}").unwrap();
    let out = run(dir, &["search", "编号标记"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--rebuild"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1);
    assert!(run(dir, &["index", "--rebuild", "docs"]).status.success());
    assert_eq!(marked(dir).len(), 2);

    // A segment file gone: positions (read only by phrase queries), then the terms.
    for extension in ["pos", "term"] {
        let victim = fs::read_dir(dir.join("index"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == extension))
            .unwrap();
        fs::remove_file(&victim).unwrap();
        for args in [&["search", "编号标记"][..], &["index", "docs"], &["stats"]] {
            let out = run(dir, args);
            assert_eq!(out.status.code(), Some(2), "{extension} {args:?}");
            let err = stderr(&out);
            assert!(
                err.contains("damaged") && err.contains("--rebuild"),
                "{extension} {args:?}: {err}"
            );
            assert!(!err.contains("panicked"));
        }
        if extension == "pos" {
            assert!(run(dir, &["index", "--rebuild", "docs"]).status.success());
        }
    }

    // meta.json garbled.
    fs::write(dir.join("index/meta.json"), "{not json").unwrap();
    let out = run(dir, &["search", "编号标记"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--rebuild"), "{}", stderr(&out));
    assert!(run(dir, &["index", "--rebuild", "docs"]).status.success());
    assert_eq!(marked(dir).len(), 2);
}

#[test]
fn a_folder_gone_from_disk_leaves_the_index_when_named_again() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..2);
    write_reports(&dir.join("more"), 5..6);
    assert!(run(dir, &["index", "docs", "more"]).status.success());
    fs::rename(dir.join("docs"), dir.join("renamed")).unwrap();
    let out = run(dir, &["index", "renamed", "./docs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("docs is gone: its documents were removed from the index"),
        "{}",
        stderr(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("removed 2"));
    let want: BTreeSet<String> = ["renamed/r000.txt", "renamed/r001.txt", "more/r005.txt"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(marked(dir), want);
    // A path the index never held is still an error.
    let out = run(dir, &["index", "never-there"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("never-there: no such file or folder"));
}

#[test]
fn an_empty_document_is_listed_and_shown() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..1);
    fs::write(dir.join("docs/空白.txt"), "").unwrap();
    assert!(run(dir, &["index", "docs"]).status.success());
    assert!(listed(dir).contains("docs/空白.txt"), "{:?}", listed(dir));
    let out = run(dir, &["show", "docs/空白.txt", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["title"], "空白");
    assert_eq!(shown["passages"].as_array().unwrap().len(), 0);
    let out = run(dir, &["show", "docs/空白.txt:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds no text"), "{}", stderr(&out));
}

#[test]
fn an_index_is_never_written_among_other_files() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..2);
    let out = run(dir, &["index", "docs", "--index", "docs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("docs holds other files and no index"),
        "{}",
        stderr(&out)
    );
    let left: Vec<_> = fs::read_dir(dir.join("docs")).unwrap().flatten().collect();
    assert_eq!(left.len(), 2, "only the two documents");
    // A folder with only a README (as the bundled ./index) is fine.
    fs::create_dir_all(dir.join("ix")).unwrap();
    fs::write(dir.join("ix/README.md"), "index here\n").unwrap();
    assert!(
        run(dir, &["index", "docs", "--index", "ix"])
            .status
            .success()
    );
}

#[test]
fn an_index_of_an_earlier_format_is_rebuilt_by_the_next_run() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..2);
    write_reports(&dir.join("more"), 5..6);
    assert!(run(dir, &["index", "docs", "more"]).status.success());

    // A later format is not this zhengce's to replace.
    fs::write(dir.join("index/zhengce.json"), "{\"schema_version\": 999}").unwrap();
    let out = run(dir, &["index", "docs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--rebuild"), "{}", stderr(&out));

    fs::write(dir.join("index/zhengce.json"), "{\"schema_version\": 1}").unwrap();
    let out = run(dir, &["search", "编号标记"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("earlier zhengce — run `zhengce index <folder>` to rebuild it"),
        "{}",
        stderr(&out)
    );
    let out = run(dir, &["index", "docs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Every folder the index held is rebuilt, not only the one named.
    assert!(
        stderr(&out).contains(
            "earlier zhengce (version 1); rebuilt it, with the other folders it held: more"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(marked(dir).len(), 3);
    // Rebuilt once: the next run finds everything unchanged.
    let out = run(dir, &["index", "docs", "more"]);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("indexed 0 files"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
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
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_reports(&dir.join("docs"), 0..1);
    let Some(mount) = Mount::new(&dir.join("disk"), "4m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    assert!(
        run(dir, &["index", "docs", "--index", "disk/index"])
            .status
            .success()
    );
    let before = marked_in(dir, "disk/index");
    assert_eq!(before.len(), 1);

    // Full: fill the disk, then add documents.
    write_reports(&dir.join("docs"), 1..40);
    let filler = dir.join("disk/filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=64k"])
        .arg(format!("of={}", filler.display()))
        .stderr(Stdio::null())
        .status();
    let out = run(dir, &["index", "docs", "--index", "disk/index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("disk/index") || err.contains("space"), "{err}");
    fs::remove_file(&filler).unwrap();
    assert_eq!(marked_in(dir, "disk/index"), before);

    // Read-only.
    let remount = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mount.0)
        .status()
        .unwrap();
    assert!(remount.success());
    let out = run(dir, &["index", "docs", "--index", "disk/index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(marked_in(dir, "disk/index"), before);
}

fn marked_in(dir: &Path, index: &str) -> BTreeSet<String> {
    let out = run(dir, &["search", "编号标记", "--json", "--index", index]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn stats_list_and_show_describe_the_index() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    let law = "数据安全法(2021-06-10).md";
    fs::write(docs.join(law), seed(law)).unwrap();
    write_reports(&dir.join("more"), 0..2);
    assert!(run(dir, &["index", "docs", "more"]).status.success());

    let out = run(dir, &["stats", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["documents"], 3);
    assert_eq!(stats["by_format"]["md"], 1);
    assert_eq!(stats["by_format"]["txt"], 2);
    assert_eq!(stats["by_folder"]["more"], 2);
    assert_eq!(stats["date_range"][0], "2021-06-10");
    assert_eq!(stats["date_range"][1], "2024-03-05");
    let passages: u64 = listed_json(dir)
        .iter()
        .map(|d| d["passages"].as_u64().unwrap())
        .sum();
    assert_eq!(stats["passages"].as_u64(), Some(passages));
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    let text = String::from_utf8(run(dir, &["stats"]).stdout).unwrap();
    assert!(text.contains("documents     3"), "{text}");

    let listed = listed_json(dir);
    let entry = listed
        .iter()
        .find(|d| d["path"] == "docs/数据安全法(2021-06-10).md")
        .unwrap();
    assert_eq!(entry["title"], "中华人民共和国数据安全法");
    assert_eq!(entry["doc_type"], "法律");

    // One passage with its neighbours, from a path:passage as search prints it.
    let hit = run(dir, &["search", "--json", "国家建立数据分类分级保护制度"]);
    let hit: Value = serde_json::from_slice(&hit.stdout).unwrap();
    let target = format!(
        "{}:{}",
        hit["hits"][0]["path"].as_str().unwrap(),
        hit["hits"][0]["passage"]
    );
    let out = run(dir, &["show", &target, "--json", "-C", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
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
    let text = String::from_utf8(run(dir, &["show", &target]).stdout).unwrap();
    assert!(text.contains("第三章 数据安全制度 › 第二十一条"), "{text}");

    let path = hit["hits"][0]["path"].as_str().unwrap();
    for (passage, said) in [
        ("99999", "has no passage 99999 (its passages are 0 to "),
        (
            "99999999999999999999999",
            "has no passage 99999999999999999999999",
        ),
    ] {
        let out = run(dir, &["show", &format!("{path}:{passage}")]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(said), "{}", stderr(&out));
    }

    let missing = run(dir, &["show", "docs/none.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no document docs/none.md"));
}

#[test]
fn skipped_files_are_listed_with_verbose() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    for i in 0..8 {
        fs::write(docs.join(format!("bad{i}.pdf")), b"not a pdf at all").unwrap();
    }
    fs::write(docs.join("good.txt"), "第一条 本办法自公布之日起施行。\n").unwrap();
    let quiet = run(dir, &["index", "docs"]);
    assert_eq!(quiet.status.code(), Some(2));
    let err = stderr(&quiet);
    assert_eq!(err.matches("zhengce: skipped docs/bad").count(), 5, "{err}");
    assert!(
        err.contains("… and 3 more skipped files (--verbose lists them all)"),
        "{err}"
    );
    let said = String::from_utf8_lossy(&quiet.stdout).into_owned();
    assert!(
        said.contains("indexed 1 file ") && said.contains("skipped 8"),
        "{said}"
    );

    let verbose = run(dir, &["index", "--rebuild", "--verbose", "docs"]);
    assert_eq!(
        stderr(&verbose)
            .matches("zhengce: skipped docs/bad")
            .count(),
        8
    );
}

fn listed_json(dir: &Path) -> Vec<Value> {
    String::from_utf8(run(dir, &["list", "--json"]).stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
