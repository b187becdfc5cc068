//! The environment every integration test runs in, after fd's `tests/testenv`: a temporary
//! working folder, documents copied or written into it, the built `zhengce` run there (so its
//! default `--index ./index` lies inside the folder), and what it printed, read back as text
//! or JSON.
//!
//! Each test binary takes it with `mod testenv;` and uses only a part of it.
#![allow(dead_code)]

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_json::Value;
use tempfile::TempDir;

/// The binary under test, built by cargo for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_zhengce");

/// A path inside this repository (`seeds`, `tests/fixtures`, …).
pub fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The seeds copied to `docs/` and indexed into `./index`, once per test binary, for the
/// tests that only read the index.
pub fn indexed_seeds() -> &'static TestEnv {
    static SEEDS: OnceLock<TestEnv> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let env = TestEnv::with_docs("seeds");
        env.index(&["docs"]);
        env
    })
}

/// A temporary working folder, removed when dropped.
pub struct TestEnv {
    dir: TempDir,
}

impl TestEnv {
    /// An empty working folder.
    pub fn new() -> TestEnv {
        TestEnv {
            dir: TempDir::new().expect("temporary folder"),
        }
    }

    /// A working folder holding a copy of the repository folder `from` as `docs/`.
    pub fn with_docs(from: &str) -> TestEnv {
        let env = TestEnv::new();
        env.copy_dir(&repo(from), "docs");
        env
    }

    /// The working folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the working folder.
    pub fn join(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.path().join(relative)
    }

    /// Copies the folder `from`, with its subfolders, to `to` inside the working folder.
    pub fn copy_dir(&self, from: &Path, to: &str) {
        copy_tree(from, &self.join(to));
    }

    /// Copies the repository file `from` (`seeds/…`, `tests/fixtures/…`) to `to` inside the
    /// working folder.
    pub fn copy(&self, from: &str, to: &str) {
        self.write(to, fs::read(repo(from)).unwrap());
    }

    /// Writes a file inside the working folder, making the folders it needs.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.join(relative);
        fs::create_dir_all(path.parent().expect("a file in a folder")).unwrap();
        fs::write(&path, contents).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }

    /// `zhengce ARGS` run in the working folder, ready to be changed further; `NO_COLOR` and
    /// `ZHENGCE_INDEX` from the test's own environment do not reach it.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_in(".", args)
    }

    /// `zhengce ARGS` run in the folder `sub` of the working folder.
    pub fn command_in(&self, sub: &str, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(self.join(sub))
            .env_remove("NO_COLOR")
            .env_remove("ZHENGCE_INDEX");
        command
    }

    /// Runs `zhengce ARGS` in the working folder to its end.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(".", args)
    }

    /// Runs `zhengce ARGS` in the folder `sub` of the working folder to its end.
    pub fn run_in(&self, sub: &str, args: &[&str]) -> Run {
        Run(self.command_in(sub, args).output().expect("run zhengce"))
    }

    /// Starts `zhengce ARGS` in the working folder, its stdout and stderr piped.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn zhengce")
    }

    /// Runs `zhengce index ARGS`, which must succeed.
    pub fn index(&self, args: &[&str]) -> Run {
        let out = self.run(&[&["index"], args].concat());
        assert!(out.success(), "index {args:?} failed: {out:?}");
        out
    }

    /// Runs `zhengce search --json ARGS`, which must exit 0 (hits) or 1 (none), and reads the
    /// printed object as `T`.
    pub fn search_json<T: DeserializeOwned>(&self, args: &[&str]) -> T {
        let out = self.run(&[&["search", "--json"], args].concat());
        assert!(
            matches!(out.code(), Some(0 | 1)),
            "search {args:?} failed: {}",
            out.stderr()
        );
        out.json()
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A finished run of `zhengce`.
pub struct Run(pub Output);

impl Run {
    /// The exit code; `None` when a signal ended the process.
    pub fn code(&self) -> Option<i32> {
        self.0.status.code()
    }

    pub fn success(&self) -> bool {
        self.0.status.success()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8(self.0.stdout.clone()).expect("stdout is UTF-8")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.0.stderr.clone()).expect("stderr is UTF-8")
    }

    /// Stdout read as one JSON value of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.0.stdout)
            .unwrap_or_else(|e| panic!("stdout is not the JSON expected ({e}): {self:?}"))
    }

    /// Stdout read as JSON Lines, one value a line.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run(output)
    }
}

/// The exit code and both streams as text, for assertion messages.
impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}--- stderr\n{}---",
            self.code(),
            String::from_utf8_lossy(&self.0.stdout),
            String::from_utf8_lossy(&self.0.stderr)
        )
    }
}
