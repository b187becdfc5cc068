//! Fuzz targets for the extractors that run inside the indexing process (txt, md, html,
//! docx, and mht through a docx's altChunk), with proptest: each target generates inputs
//! from pieces of its format (tags, XML elements, MIME headers, bytes of every encoding) and
//! checks that extraction returns, text or an error naming the file, without a panic and
//! within a second. Not part of `cargo test`: run by hand or by `scripts/fuzz.sh`, for
//! `ZHENGCE_FUZZ_SECS` seconds per target (default 60).
//!
//! ```text
//! ZHENGCE_FUZZ_SECS=300 cargo bench --bench fuzz [TARGET...]
//! ```
//!
//! PDF is not fuzzed here: it is extracted in a child process with its own time and memory
//! limits, where a panic or a hang costs that file only.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use zhengce::ingest::extract::{Format, Limits, extract_bytes};
use zip::write::SimpleFileOptions;

/// Longest one input may take to extract, in CPU time of the extracting thread: on a
/// machine shared with other work (the fuzzer runs under `nice`), wall time would report
/// the machine's load as slow inputs.
const PER_INPUT: Duration = Duration::from_secs(1);

/// CPU time this thread has used.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime fills in the timespec it is given a pointer to.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Pieces of text in every encoding the decoder meets, and bytes that are none.
fn text_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(
            "第一条 为了规范数据处理活动，保障数据安全。\n"
                .as_bytes()
                .to_vec()
        ),
        Just(
            encoding_rs::GBK
                .encode("国务院关于加强管理的通知\n")
                .0
                .into_owned()
        ),
        Just(
            encoding_rs::BIG5
                .encode("這是繁體中文的段落。\n")
                .0
                .into_owned()
        ),
        Just(vec![0xED, 0xA1, 0x80, 0xED, 0xB0, 0x80]),
        Just(vec![0xEF, 0xBB, 0xBF]),
        Just(vec![0xFF, 0xFE]),
        Just(vec![0]),
        Just(b"\r\n".to_vec()),
        Just("■ 要点\n".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

fn text_input() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(text_piece(), 0..64).prop_map(|pieces| pieces.concat())
}

fn markdown_input() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"---\n".to_vec()),
        Just(b"...\n".to_vec()),
        Just(b"title: \"x\"\n".to_vec()),
        Just(b"tags: [a, b]\n".to_vec()),
        Just(b"key:\n  - item\n  sub: v\n".to_vec()),
        Just(b"# ".to_vec()),
        Just(b"> ".to_vec()),
        Just(b"- ".to_vec()),
        Just(b"```\n".to_vec()),
        Just(b"<!-- ".to_vec()),
        Just(b"|--|\n".to_vec()),
        text_piece(),
    ];
    proptest::collection::vec(piece, 0..96).prop_map(|pieces| pieces.concat())
}

fn html_piece() -> impl Strategy<Value = Vec<u8>> {
    const TAGS: &[&str] = &[
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th>",
        "<li>",
        "<ul>",
        "</ul>",
        "<h1>",
        "</h1>",
        "<h3>",
        "<br>",
        "</br>",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<style>",
        "<title>",
        "</title>",
        "<!--",
        "-->",
        "<![CDATA[",
        "<",
        ">",
        "&amp;",
        "&#x4E2D;",
        "&#99999999;",
        "&nbsp",
        "<meta charset=\"gbk\">",
        "<meta name=\"发文字号\" content=\"国发〔2019〕5号\">",
        "<div id=\"UCAP-CONTENT\">",
        "<td>发文字号：</td><td>国发〔2019〕5号</td>",
        "<td>成文日期：</td>",
        "<body>",
        "<head>",
        "<svg>",
        "<nav>",
    ];
    prop_oneof![
        proptest::sample::select(TAGS).prop_map(|t| t.as_bytes().to_vec()),
        text_piece(),
    ]
}

fn html_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(html_piece(), 0..256).prop_map(|p| p.concat()),
        // Deep nesting of one tag, in the thousands.
        (
            proptest::sample::select(&["<div>", "<table><tr><td>", "<li>", "<h2>", "<b>"][..]),
            1..20_000usize
        )
            .prop_map(|(tag, n)| format!("{}文字", tag.repeat(n)).into_bytes()),
    ]
}

fn mht_input() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"MIME-Version: 1.0\r\n".to_vec()),
        Just(b"Content-Type: multipart/related; boundary=\"b\"\r\n".to_vec()),
        Just(b"Content-Type: text/html; charset=\"gb2312\"\r\n".to_vec()),
        Just(b"Content-Transfer-Encoding: quoted-printable\r\n".to_vec()),
        Just(b"Content-Transfer-Encoding: base64\r\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"--b\r\n".to_vec()),
        Just(b"--b--\r\n".to_vec()),
        Just(b"=D6=D0=\r\n".to_vec()),
        Just(b"PHA+5rOV5b6LPC9wPg==".to_vec()),
        html_piece(),
    ];
    proptest::collection::vec(piece, 0..128).prop_map(|pieces| pieces.concat())
}

fn docx_piece() -> impl Strategy<Value = String> {
    const ELEMENTS: &[&str] = &[
        "<w:p>",
        "</w:p>",
        "<w:r>",
        "</w:r>",
        "<w:t>",
        "</w:t>",
        "<w:tbl>",
        "</w:tbl>",
        "<w:tr>",
        "</w:tr>",
        "<w:tc>",
        "</w:tc>",
        "<w:tab/>",
        "<w:br/>",
        "<w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>",
        "<w:outlineLvl w:val=\"0\"/>",
        "<mc:AlternateContent><mc:Choice>",
        "</mc:Choice><mc:Fallback>",
        "</mc:Fallback>",
        "<w:altChunk r:id=\"rId1\"/>",
        "<w:altChunk r:id=\"rId2\"/>",
        "&amp;",
        "&#x4E2D;",
        "&bogus;",
        "<![CDATA[x]]>",
        "<?pi?>",
        "<",
        "文字",
        "第一条 规定。",
    ];
    proptest::sample::select(ELEMENTS).prop_map(String::from)
}

/// A docx: a document part of generated XML, altChunk parts of generated HTML, MHT and
/// text, or bytes that are no zip at all.
fn docx_input() -> impl Strategy<Value = Vec<u8>> {
    let archive = (
        proptest::collection::vec(docx_piece(), 0..256),
        html_input(),
        mht_input(),
        text_input(),
        any::<bool>(),
    )
        .prop_map(|(pieces, html, mht, text, deflate)| {
            let mut buf = std::io::Cursor::new(Vec::new());
            let mut zip = zip::ZipWriter::new(&mut buf);
            let method = if deflate {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            };
            let options = SimpleFileOptions::default().compression_method(method);
            let document = format!(
                r#"<w:document xmlns:w="w" xmlns:r="r" xmlns:mc="mc"><w:body>{}</w:body></w:document>"#,
                pieces.concat()
            );
            let rels = r#"<Relationships><Relationship Id="rId1" Target="a.html"/><Relationship Id="rId2" Target="b.mht"/></Relationships>"#;
            for (name, bytes) in [
                ("word/document.xml", document.as_bytes()),
                ("word/_rels/document.xml.rels", rels.as_bytes()),
                ("word/a.html", &html),
                ("word/b.mht", &mht),
                ("docProps/core.xml", &text),
            ] {
                zip.start_file(name, options).expect("zip entry");
                zip.write_all(bytes).expect("zip write");
            }
            zip.finish().expect("zip");
            buf.into_inner()
        });
    prop_oneof![
        8 => archive,
        1 => proptest::collection::vec(any::<u8>(), 0..512),
        1 => (archive_prefix(), any::<prop::sample::Index>()).prop_map(|(zip, cut)| {
            let at = cut.index(zip.len().max(1));
            zip[..at].to_vec()
        }),
    ]
}

/// A small valid docx, to be truncated.
fn archive_prefix() -> impl Strategy<Value = Vec<u8>> {
    Just(()).prop_map(|()| {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("word/document.xml", SimpleFileOptions::default())
            .expect("zip entry");
        zip.write_all(b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>\xE6\x96\x87</w:t></w:r></w:p></w:body></w:document>")
            .expect("zip write");
        zip.finish().expect("zip");
        buf.into_inner()
    })
}

/// Extracts one input, failing on a panic, a slow input or an error that does not name the
/// file.
fn check(format: Format, name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = Path::new(name);
    let started = thread_cpu_time();
    let result = catch_unwind(AssertUnwindSafe(|| {
        extract_bytes(path, format, bytes, &Limits::default())
    }));
    let took = thread_cpu_time().saturating_sub(started);
    match result {
        Err(_) => return Err(TestCaseError::fail("panicked")),
        Ok(Err(e)) if !e.to_string().starts_with(name) => {
            return Err(TestCaseError::fail(format!(
                "error without the file name: {e:#}"
            )));
        }
        Ok(_) => {}
    }
    if took > PER_INPUT {
        return Err(TestCaseError::fail(format!("took {took:?} of CPU")));
    }
    Ok(())
}

/// Runs one target for `budget`; returns the inputs tried, or the failure found.
fn fuzz<S: Strategy<Value = Vec<u8>>>(
    format: Format,
    name: &str,
    strategy: S,
    budget: Duration,
) -> Result<u64, String> {
    let started = Instant::now();
    let mut cases = 0u64;
    let mut seed = 0u64;
    while started.elapsed() < budget {
        // Batches of fresh cases, each from its own seed, until the time is spent.
        let config = Config {
            cases: 256,
            failure_persistence: None,
            ..Config::default()
        };
        let rng = proptest::test_runner::TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &{
                let mut s = [0u8; 32];
                s[..8].copy_from_slice(&seed.to_le_bytes());
                s
            },
        );
        seed += 1;
        let mut runner = TestRunner::new_with_rng(config, rng);
        match runner.run(&strategy, |bytes| check(format, name, &bytes)) {
            Ok(()) => cases += 256,
            Err(TestError::Fail(reason, input)) => {
                let shown: String = String::from_utf8_lossy(&input).chars().take(300).collect();
                return Err(format!("{reason} on {} bytes: {shown:?}", input.len()));
            }
            Err(TestError::Abort(reason)) => return Err(format!("aborted: {reason}")),
        }
    }
    Ok(cases)
}

fn main() {
    // A panic inside an extractor is a finding, reported once by the runner.
    std::panic::set_hook(Box::new(|_| {}));
    let secs: u64 = std::env::var("ZHENGCE_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let budget = Duration::from_secs(secs);
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let run = |target: &str| wanted.is_empty() || wanted.iter().any(|w| w == target);
    let mut failed = false;
    let mut report = |target: &str, result: Result<u64, String>| match result {
        Ok(cases) => println!("{target:>8}: {cases} inputs in {secs} s, no finding"),
        Err(finding) => {
            failed = true;
            println!("{target:>8}: FINDING: {finding}");
        }
    };
    if run("txt") {
        report("txt", fuzz(Format::Txt, "fuzz.txt", text_input(), budget));
    }
    if run("md") {
        report("md", fuzz(Format::Md, "fuzz.md", markdown_input(), budget));
    }
    if run("html") {
        report(
            "html",
            fuzz(Format::Html, "fuzz.html", html_input(), budget),
        );
    }
    if run("docx") {
        report(
            "docx",
            fuzz(Format::Docx, "fuzz.docx", docx_input(), budget),
        );
    }
    if run("mht") {
        // MHT is read only as a docx's altChunk part: the docx target with MHT-heavy parts.
        let mht_docx = (mht_input(), mht_input()).prop_map(|(a, b)| {
            let mut buf = std::io::Cursor::new(Vec::new());
            let mut zip = zip::ZipWriter::new(&mut buf);
            let options = SimpleFileOptions::default();
            for (name, bytes) in [
                (
                    "word/document.xml",
                    &br#"<w:document xmlns:w="w" xmlns:r="r"><w:body><w:altChunk r:id="rId1"/><w:altChunk r:id="rId2"/></w:body></w:document>"#[..],
                ),
                (
                    "word/_rels/document.xml.rels",
                    br#"<Relationships><Relationship Id="rId1" Target="a.mht"/><Relationship Id="rId2" Target="b.mhtml"/></Relationships>"#,
                ),
                ("word/a.mht", &a),
                ("word/b.mhtml", &b),
            ] {
                zip.start_file(name, options).expect("zip entry");
                zip.write_all(bytes).expect("zip write");
            }
            zip.finish().expect("zip");
            buf.into_inner()
        });
        report("mht", fuzz(Format::Docx, "fuzz.docx", mht_docx, budget));
    }
    if failed {
        std::process::exit(1);
    }
}
