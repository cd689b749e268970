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
    addr: String,
    args: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts `segmenta serve` with extra arguments (e.g. `--demo`).
    pub fn start(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let addr = format!("127.0.0.1:{}", free_port());
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let child = spawn(dir.path(), &addr, &args);
        let server = Server { child, base: format!("http://{addr}"), addr, args, _dir: dir };
        server.wait_ready(Duration::from_secs(120));
        server
    }

    /// Kills the server with SIGKILL (no shutdown of any kind) and starts it again on the same
    /// database and address.
    pub fn kill_and_restart(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("the killed server is reaped");
        self.child = spawn(self._dir.path(), &self.addr, &self.args);
        self.wait_ready(Duration::from_secs(120));
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

fn spawn(dir: &std::path::Path, addr: &str, args: &[String]) -> Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("server.log")).expect("log file");
    Command::new(binary())
        .arg("serve")
        .args(args)
        .env("DATABASE_URL", dir.join("segmenta.db"))
        .env("SEGMENTA_ADDR", addr)
        .env("SEGMENTA_JWT_SECRET", "e2e-secret")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary().display()))
}

/// Path of the CDNOW sample in `testdata/`.
pub fn cdnow_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/cdnow_sample_orders.csv")
}
