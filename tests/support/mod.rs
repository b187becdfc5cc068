//! A `zhengce serve` of the seeds (plus a document holding `<script>`) on an ephemeral
//! loopback port, and a plain HTTP/1.1 client for it; shared by tests/serve.rs and
//! tests/browser.rs.

#![allow(dead_code)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_zhengce");

/// A document whose title, text and file name hold markup, to see it shown as text.
pub const SCRIPT_DOC: &str = "docs/脚本<b>测试&amp;.md";
pub const SCRIPT_TEXT: &str = "# 脚本测试<script>alert('标题')</script>\n\n\
    这份测试文件的正文含有<script>document.title='被注入'</script>与<img src=x onerror=alert(1)>，\
    应当原样显示为文字。\n";

pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

pub fn zhengce(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run zhengce")
}

/// A folder with `docs/` (the seeds and [`SCRIPT_DOC`]) indexed into `./index`.
pub fn indexed_folder() -> TempDir {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    for entry in fs::read_dir(seeds()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), docs.join(entry.file_name())).unwrap();
    }
    fs::write(dir.path().join(SCRIPT_DOC), SCRIPT_TEXT).unwrap();
    let out = zhengce(dir.path(), &["index", "docs", "--quiet"]);
    assert!(
        out.status.success(),
        "index failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// Makes the child killed when the thread that started it ends, also when a test run is
/// killed and no `Drop` runs.
pub fn die_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe, as code between fork and exec must be.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

/// A running `zhengce serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    /// Serves `./index` of `dir`, on a port the system picks.
    pub fn start(dir: &Path) -> Server {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        die_with_parent(&mut command);
        let mut child = command.spawn().expect("start zhengce serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // `zhengce: serving ./index on http://127.0.0.1:PORT/`
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GET `path_and_query` (already URL-encoded).
    pub fn get(&self, path_and_query: &str) -> Response {
        self.request(&format!(
            "GET {path_and_query} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// Sends `raw` as it is and reads the answer until the server closes.
    pub fn request(&self, raw: &str) -> Response {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        // A server that closes on a too-large request may reset instead of closing.
        let _ = stream.read_to_end(&mut bytes);
        Response::parse(&bytes)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    /// 0 when the server closed without answering.
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
            return Response {
                status: 0,
                headers: Vec::new(),
                body: Vec::new(),
            };
        };
        let head = String::from_utf8_lossy(&bytes[..end]);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: bytes[end + 4..].to_vec(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// `s` as a URL query value.
pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
