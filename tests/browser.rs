//! The page of `zhengce serve` in a real headless chromium, driven over WebDriver: type a
//! query, see highlighted results, click a facet, open a document, follow a shared link, see
//! markup in a document shown as text, read it at a phone's width. A screenshot of each step
//! goes to target/screenshots/ for review.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the test says so and passes,
//! except under CI (`CI` set), where `.ci/run` installs them and their absence is a failure.

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use support::{SCRIPT_DOC, Server, indexed_folder};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(15);

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

#[test]
fn the_page_searches_filters_and_shows_documents() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        let note = format!(
            "skipped: {CHROMEDRIVER} or {CHROMIUM} is missing, so the page was not tested in a \
             browser (apt-get install -y chromium chromium-driver)"
        );
        assert!(
            std::env::var_os("CI").is_none(),
            "{note}: .ci/run installs them"
        );
        eprintln!("{note}");
        return;
    }
    let dir = indexed_folder();
    let server = Server::start(dir.path());
    let profile = tempfile::TempDir::new().unwrap();
    // A free port for chromedriver, which cannot report one it picked itself.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < WAIT, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::create_dir_all(screenshots()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(async {
            let client = connect(port, profile.path()).await?;
            let result = steps(&client, &server).await;
            let _ = client.close().await;
            result
        })
        .unwrap();
}

async fn connect(port: u16, profile: &Path) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,900", "--lang=zh-CN",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    Ok(ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await?)
}

/// Waits until the script `condition` returns true.
async fn until(client: &Client, condition: &str, what: &str) -> Result {
    let started = Instant::now();
    loop {
        if client.execute(condition, vec![]).await? == Value::Bool(true) {
            return Ok(());
        }
        if started.elapsed() > WAIT {
            let status = client
                .execute(
                    "return document.getElementById('status').textContent",
                    vec![],
                )
                .await?;
            return Err(format!("timed out waiting for {what} (status: {status})").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn js(client: &Client, script: &str) -> Result<Value> {
    Ok(client.execute(script, vec![]).await?)
}

async fn shot(client: &Client, name: &str) -> Result {
    let png = client.screenshot().await?;
    std::fs::write(screenshots().join(name), png)?;
    Ok(())
}

async fn steps(client: &Client, server: &Server) -> Result {
    // 1. Type a query: results come as one types, with the matches marked and the time taken.
    client.goto(&server.url("/")).await?;
    let input = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#q"))
        .await?;
    input.send_keys("数据 安全").await?;
    until(
        client,
        "return document.querySelectorAll('#results .hit mark').length > 3",
        "highlighted results",
    )
    .await?;
    let marks = js(
        client,
        "return [...document.querySelectorAll('#results .hit mark')].map(m => m.textContent)",
    )
    .await?;
    for m in marks.as_array().unwrap() {
        assert!(m == "数据" || m == "安全", "marked {m}");
    }
    let status = js(
        client,
        "return document.getElementById('status').textContent",
    )
    .await?;
    assert!(
        status.as_str().unwrap().contains("ms"),
        "latency shown: {status}"
    );
    let first = js(
        client,
        "return document.querySelector('.hit .title').textContent",
    )
    .await?;
    assert!(first.as_str().unwrap().starts_with('《'), "{first}");
    let citation = js(
        client,
        "return document.querySelector('.hit .citation').textContent",
    )
    .await?;
    assert!(!citation.as_str().unwrap().is_empty());
    let url = client.current_url().await?;
    assert!(
        url.query().unwrap_or_default().contains("q="),
        "the URL holds the query: {url}"
    );
    shot(client, "1-results.png").await?;

    // 2. Click a facet: the query gains its filter and the results narrow to it.
    let before = js(
        client,
        "return document.getElementById('status').textContent",
    )
    .await?;
    let facet = client
        .find(Locator::Css("#facets button[data-facet='type']"))
        .await?;
    let value = facet.find(Locator::Css(".v")).await?.text().await?;
    facet.click().await?;
    let filter = format!("type:{value}");
    until(
        client,
        &format!(
            "return document.getElementById('q').value.includes({filter:?}) && \
             document.getElementById('status').textContent !== {before}",
        ),
        "the facet's filter",
    )
    .await?;
    until(
        client,
        "return document.querySelectorAll('#facets button.active').length === 1",
        "the facet shown as chosen",
    )
    .await?;
    shot(client, "2-facet.png").await?;
    // Its second click takes the filter away again.
    let filtered = js(
        client,
        "return document.getElementById('status').textContent",
    )
    .await?;
    client
        .find(Locator::Css("#facets button.active"))
        .await?
        .click()
        .await?;
    until(
        client,
        &format!("return !document.getElementById('q').value.includes({filter:?})"),
        "the filter taken away",
    )
    .await?;
    until(
        client,
        &format!(
            "return document.getElementById('status').textContent !== {filtered} && \
             document.querySelectorAll('#results .hit').length > 0"
        ),
        "results again",
    )
    .await?;

    // 3. Open a document: scrolled to the passage, its matches marked.
    let share = js(client, "return document.querySelector('.hit .share').href").await?;
    let share = share.as_str().unwrap().to_string();
    client
        .find(Locator::Css(".hit .title"))
        .await?
        .click()
        .await?;
    until(
        client,
        "const f = document.querySelector('#doc-view:not([hidden]) .passage.focus'); \
         if (!f) return false; const r = f.getBoundingClientRect(); \
         return r.top >= 0 && r.bottom <= window.innerHeight + r.height",
        "the document scrolled to the passage",
    )
    .await?;
    let marked = js(
        client,
        "return document.querySelectorAll('#doc-view .passage mark').length",
    )
    .await?;
    assert!(
        marked.as_u64().unwrap() > 0,
        "matches marked in the document"
    );
    assert!(client.current_url().await?.as_str().contains("doc="));
    shot(client, "3-document.png").await?;
    // Back to the results.
    client.back().await?;
    until(
        client,
        "return !document.getElementById('results-view').hidden && \
         document.querySelectorAll('#results .hit').length > 0",
        "the results after going back",
    )
    .await?;

    // 4. A shared link opens the same passage in a fresh page.
    assert!(share.contains("doc=") && share.contains("passage=") && share.contains("q="));
    client.goto("about:blank").await?;
    client.goto(&share).await?;
    until(
        client,
        "return !!document.querySelector('#doc-view:not([hidden]) .passage.focus mark')",
        "the shared passage",
    )
    .await?;
    shot(client, "4-shared-link.png").await?;

    // 5. Markup in a document is shown as text, never run or rendered.
    client
        .goto(&server.url("/?q=%E8%84%9A%E6%9C%AC%E6%B5%8B%E8%AF%95"))
        .await?;
    until(
        client,
        "return document.querySelectorAll('#results .hit').length > 0",
        "the document holding markup",
    )
    .await?;
    let title = js(
        client,
        "return document.querySelector('.hit .title').textContent",
    )
    .await?;
    assert!(title.as_str().unwrap().contains("<script>"), "{title}");
    let path = js(
        client,
        "return document.querySelector('.hit .path').textContent",
    )
    .await?;
    assert!(path.as_str().unwrap().starts_with(SCRIPT_DOC), "{path}");
    client
        .find(Locator::Css(".hit .title"))
        .await?
        .click()
        .await?;
    until(
        client,
        "return !!document.querySelector('#doc-view:not([hidden]) .passage')",
        "the document view",
    )
    .await?;
    let page = js(
        client,
        "return {scripts: document.scripts.length, imgs: document.images.length, \
         bold: document.querySelectorAll('main b').length, title: document.title, \
         text: document.getElementById('doc-view').textContent}",
    )
    .await?;
    assert_eq!(page["scripts"], 1, "only the page's own script: {page}");
    assert_eq!(page["imgs"], 0, "{page}");
    assert_eq!(page["bold"], 0, "{page}");
    assert_eq!(
        page["title"], "政策检索 · zhengce",
        "no injected script ran"
    );
    assert!(page["text"].as_str().unwrap().contains("onerror=alert(1)>"));
    shot(client, "5-markup-as-text.png").await?;

    // 6. A phone's width: nothing wider than the screen.
    client.set_window_size(390, 844).await?;
    client
        .goto(&server.url("/?q=%E6%95%B0%E6%8D%AE%20%E5%AE%89%E5%85%A8"))
        .await?;
    until(
        client,
        "return document.querySelectorAll('#results .hit mark').length > 0 && \
         document.querySelectorAll('#facets button').length > 0",
        "results at a phone's width",
    )
    .await?;
    let overflow = js(
        client,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )
    .await?;
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "wider than a phone by {overflow}px"
    );
    shot(client, "6-phone.png").await?;
    Ok(())
}
