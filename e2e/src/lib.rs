//! Harness for end-to-end tests: starts the real `segmenta` binary on a free port with a fresh
//! SQLite database, waits for `/readyz`, and stops it when dropped; [`browser`] starts headless
//! Chromium through chromedriver.

pub mod browser;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test: `SEGMENTA_BIN`, else the release build, else the debug build.
pub fn binary() -> PathBuf {
    if let Ok(bin) = std::env::var("SEGMENTA_BIN") {
        return PathBuf::from(bin);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let release = root.join("target/release/segmenta");
    if release.exists() { release } else { root.join("target/debug/segmenta") }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

pub struct Server {
    child: Child,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts `segmenta serve` with extra arguments (e.g. `--demo`).
    pub fn start(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let child = Command::new(binary())
            .arg("serve")
            .args(args)
            .env("DATABASE_URL", dir.path().join("segmenta.db"))
            .env("SEGMENTA_ADDR", &addr)
            .env("SEGMENTA_JWT_SECRET", "e2e-secret")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary().display()));
        let server = Server { child, base: format!("http://{addr}"), _dir: dir };
        server.wait_ready(Duration::from_secs(120));
        server
    }

    fn wait_ready(&self, timeout: Duration) {
        let client = reqwest::blocking::Client::new();
        let start = Instant::now();
        while start.elapsed() < timeout {
            if client.get(format!("{}/readyz", self.base)).send().is_ok_and(|r| r.status().is_success()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("segmenta did not become ready within {timeout:?}; log:\n{}", self.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Path of the CDNOW sample in `testdata/`.
pub fn cdnow_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/cdnow_sample_orders.csv")
}
