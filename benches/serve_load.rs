//! Load test of `zhengce serve`: queries per second and p50/p95/p99 latency of `/api/search`
//! at 1, 8 and 32 concurrent keep-alive clients, with every request searched and with replies
//! from the cache, beside the CLI's whole-process time for the
//! same queries (`zhengce search Q --json`), on one index.
//!
//!   LOAD_INDEX=/path/to/index cargo bench --bench serve_load
//!
//! The index defaults to scripts/bench.sh's `target/bench-run/all.index`; without one the
//! bench says so and stops. Loopback only; each level runs for LOAD_SECONDS (default 5) or
//! 20 000 requests, whichever comes first. Not run by CI.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_zhengce");
const LEVELS: &[usize] = &[1, 8, 32];
const MAX_REQUESTS: usize = 20_000;
/// Runs of each query through the CLI.
const CLI_RUNS: usize = 3;

/// scripts/bench.sh's mixed set: 1–3 words of 2–8 characters, phrases, filters, Latin words.
const QUERIES: &[&str] = &[
    "世界贸易组织",
    "贸易组织",
    "易组",
    "高水平对外开放",
    "个人信息",
    "国务院",
    "经济",
    "生态环境",
    "知识产权",
    "行政许可",
    "数据安全",
    "人民法院",
    "最高人民法院",
    "食品安全",
    "环境保护",
    "土地管理",
    "劳动合同",
    "社会保险",
    "税收征收管理",
    "网络安全",
    "营商环境",
    "乡村振兴",
    "安全生产",
    "公共卫生",
    "义务教育",
    "消费者权益",
    "反垄断",
    "著作权",
    "交通运输",
    "应急管理",
    "标准化",
    "住房公积金",
    "城乡规划",
    "行政处罚",
    "外商投资",
    "数据 安全",
    "行政许可 听证",
    "劳动 合同 解除",
    "环境 污染 责任",
    "知识产权 保护",
    "政府 信息公开",
    "土地 征收 补偿",
    "安全 生产 事故",
    "\"数据安全\"",
    "\"依法行政\"",
    "\"高质量发展\"",
    "\"人民政府\"",
    "type:条例 安全",
    "date:2019 国务院",
    "title:条例 罚款",
    "issuer:国务院 通知",
    "type:法律 责任",
    "WTO",
    "GDP",
];

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn index() -> Option<PathBuf> {
    let dir = std::env::var_os("LOAD_INDEX")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-run/all.index")
        });
    dir.join("meta.json").is_file().then_some(dir)
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One GET on a keep-alive connection; the status.
fn get(conn: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    conn.get_mut()
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        conn.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    Ok(status)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// `zhengce serve` on a free loopback port, and its address.
fn serve(index: &Path, cache_mb: &str) -> (Served, String) {
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--cache-mb",
            cache_mb,
            "--index",
        ])
        .arg(index)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start zhengce serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .and_then(|r| r.strip_suffix('/'))
        .expect("address")
        .to_string();
    (Served(child), addr)
}

/// `clients` keep-alive clients asking the queries in turn for `seconds`: one row of the table.
fn load(addr: &str, paths: &[String], clients: usize, seconds: u64) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let per_client = MAX_REQUESTS / clients;
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let (addr, paths) = (addr.to_string(), paths.to_vec());
            std::thread::spawn(move || {
                let stream = TcpStream::connect(&addr).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut conn = BufReader::new(stream);
                let (mut times, mut errors) = (Vec::new(), 0usize);
                // Each client walks the queries from its own starting point.
                for i in 0..per_client {
                    if Instant::now() > deadline {
                        break;
                    }
                    let p = &paths[(c * 7 + i) % paths.len()];
                    let t = Instant::now();
                    match get(&mut conn, p) {
                        Ok(200) => times.push(t.elapsed().as_secs_f64() * 1000.0),
                        _ => errors += 1,
                    }
                }
                (times, errors)
            })
        })
        .collect();
    let (mut times, mut errors) = (Vec::new(), 0);
    for t in threads {
        let (ts, es) = t.join().unwrap();
        times.extend(ts);
        errors += es;
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    println!(
        "| {clients} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {errors} |",
        times.len(),
        times.len() as f64 / elapsed,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99)
    );
}

fn main() {
    let Some(index) = index() else {
        eprintln!(
            "serve_load: skipped: no index (set LOAD_INDEX, or run scripts/bench.sh to build target/bench-run/all.index)"
        );
        return;
    };
    let seconds: u64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let paths: Vec<String> = QUERIES
        .iter()
        .map(|q| format!("/api/search?q={}&limit=10", encode(q)))
        .collect();
    println!(
        "index {} · {} queries · {} cores · load {}",
        index.display(),
        QUERIES.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    for (cache_mb, what) in [
        ("0", "every request searched (`--cache-mb 0`)"),
        (
            "64",
            "searches asked again since the last commit, answered from the cache (the default)",
        ),
    ] {
        let (_served, addr) = serve(&index, cache_mb);
        // Warm the page cache and the server: every query once.
        let mut conn = BufReader::new(TcpStream::connect(&addr).unwrap());
        for p in &paths {
            assert_eq!(get(&mut conn, p).unwrap(), 200, "{p}");
        }
        println!("\n{what}\n");
        println!("| clients | requests | qps | p50 ms | p95 ms | p99 ms | errors |");
        println!("|---|---|---|---|---|---|---|");
        for &clients in LEVELS {
            load(&addr, &paths, clients, seconds);
        }
    }
    // The CLI: a process per query, opening the index each time.
    let mut times = Vec::new();
    for q in QUERIES {
        for run in 0..=CLI_RUNS {
            let t = Instant::now();
            let out = Command::new(BIN)
                .args(["search", q, "--json", "--limit", "10", "--index"])
                .arg(&index)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            assert!(out.code().is_some_and(|c| c <= 1), "{q}");
            // The first run warms the cache.
            if run > 0 {
                times.push(ms);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "\nCLI whole process, same queries, one at a time ({} runs): p50 {:.1} ms · p95 {:.1} ms · p99 {:.1} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99)
    );
}
