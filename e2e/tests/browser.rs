//! Browser tests: Debian's headless Chromium, driven through chromedriver (WebDriver), against a
//! real `segmenta serve --demo` with a fresh database. Screenshots of each page are written to
//! `target/e2e-screenshots/`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use e2e::{Server, free_port};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = free_port();
        let child = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver; `just chromium` does it)");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(30), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn screenshots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    // two TLS back ends are linked (chromedriver is plain HTTP anyway): pick one
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {"download.default_directory": profile.join("downloads").display().to_string()}
        }),
    );
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("connect to chromedriver")
}

async fn shot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshots_dir().join(format!("{name}.png")), png).expect("write screenshot");
}

async fn wait_css(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("element {css} did not appear: {e}"))
}

/// Waits until the page text contains `needle`.
async fn wait_text(client: &Client, needle: &str) {
    let start = Instant::now();
    loop {
        let body = client.find(Locator::Css("body")).await.expect("body").text().await.unwrap_or_default();
        if body.contains(needle) {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "page never showed {needle:?}; it shows:\n{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sign_in(client: &Client, server: &Server) {
    client.goto(&server.url("/signin")).await.expect("open sign-in");
    wait_css(client, "#email").await.send_keys("demo@segmenta.local").await.expect("type email");
    wait_css(client, "#password").await.send_keys("segmenta-demo").await.expect("type password");
    shot(client, "01-sign-in").await;
    wait_css(client, "button[type=submit]").await.click().await.expect("submit");
    wait_text(client, "Sign out").await; // the app shell: signed in
}

/// Signs in over the API (blocking client, so call it from `spawn_blocking`).
#[allow(dead_code)]
fn api_token(base: &str) -> String {
    let body: Value = reqwest::blocking::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "demo@segmenta.local", "password": "segmenta-demo"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_users_search_and_user_page() {
    let server = tokio::task::spawn_blocking(|| Server::start(&["--demo", "--demo-users", "400"])).await.unwrap();
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;

    sign_in(&client, &server).await;
    client.goto(&server.url("/users")).await.unwrap();
    wait_css(&client, "#user-search").await;
    wait_css(&client, "table tbody tr").await;
    // RFM symbols are shown next to users (the demo data populates all eight segments)
    let table = wait_css(&client, "table").await.text().await.unwrap();
    let symbols = ["♥", "☻", "☺", "⊕", "‼", "☹", "☾", "⊖"];
    assert!(symbols.iter().any(|s| table.contains(s)), "no RFM symbol in the users table:\n{table}");
    shot(&client, "02-users").await;

    // search finds a user by external id
    let search = wait_css(&client, "#user-search").await;
    search.send_keys("U000007").await.unwrap();
    wait_text(&client, "U000007").await;
    shot(&client, "03-users-search").await;

    // the user's 360 page
    wait_css(&client, "table tbody tr a").await.click().await.unwrap();
    wait_text(&client, "Orders").await;
    shot(&client, "04-user-360").await;

    client.close().await.unwrap();
}
