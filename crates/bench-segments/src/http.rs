//! The Users list over HTTP: a real server on loopback, loaded by `oha` or `wrk` at 64
//! connections in rounds.

use std::io::{Read, Write};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use db::sql::{Param, Query};
use serde_json::{Value, json};

/// One run of the HTTP load.
/// How each request is loaded: rounds, connections, seconds a round.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoadSettings {
    pub(crate) runs: usize,
    pub(crate) connections: usize,
    pub(crate) seconds: u64,
}

pub(crate) struct Load {
    pub(crate) tool: String,
    pub(crate) rps: f64,
    pub(crate) p50: f64,
    pub(crate) p99: f64,
    pub(crate) errors: u64,
}

/// A request of the Users list under load: its runs and the p99 it is held to, if any.
pub(crate) struct Loaded {
    pub(crate) what: &'static str,
    pub(crate) path: String,
    pub(crate) target_ms: Option<f64>,
    pub(crate) runs: Vec<Load>,
}

impl Loaded {
    /// The run with the median p99.
    pub(crate) fn median(&self) -> Option<&Load> {
        let mut runs: Vec<&Load> = self.runs.iter().collect();
        runs.sort_by(|a, b| a.p99.total_cmp(&b.p99));
        runs.get(runs.len() / 2).copied()
    }
}

/// An hour-long access token of the workspace's first operator.
pub(crate) fn token(database: &db::Db, ws: i64) -> anyhow::Result<String> {
    let operator = database.read(|c| db::auth::operators_of(c, ws))?.first().map(|o| o.id).context("an operator")?;
    let config = server::Config { access_ttl_secs: 3600, ..server::Config::default() };
    server::auth::issue_access_token(&config, operator, ws).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Serves the real app on a free local port, as `segmenta serve` does (a worker per core).
pub(crate) fn serve(database: &db::Db) -> anyhow::Result<u16> {
    let state =
        server::AppState::new(database.clone(), server::Config { requests_per_minute: 0, ..server::Config::default() });
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let run = actix_web::rt::System::new().block_on(async move {
            let (srv, addrs) = server::serve(state, ("127.0.0.1", 0), None)?;
            let _ = tx.send(addrs.first().map(|a| a.port()));
            srv.await
        });
        if let Err(e) = run {
            eprintln!("server: {e}");
        }
    });
    rx.recv_timeout(Duration::from_secs(30))?.context("a bound port")
}

pub(crate) fn users_list_load(
    database: &db::Db,
    ws: i64,
    segment: i64,
    base: &str,
    token: &str,
    load: LoadSettings,
) -> anyhow::Result<Vec<Loaded>> {
    // A cursor deep in the list: the last id of page 10 000.
    let deep = database.read(|c| {
        let mut q = Query::new("SELECT id AS n FROM users WHERE workspace_id = ");
        q.bind(Param::I64(Some(ws))).push(" ORDER BY id LIMIT 1 OFFSET 500000");
        Ok(q.load::<db::sql::Count>(c)?.first().map(|c| c.n))
    })?;
    // The typical requests, held to the target; then heavier combinations, which read thousands
    // of rows or matches a request (every match of a search, to sort them or to find the few in
    // a segment; a third of the users for the total of a two-letter search), reported for what
    // they cost.
    let target = Some(20.0);
    let mut cases = vec![
        ("Users list, first page (with total)", format!("{base}/users?limit=50"), target),
        ("Users list, sorted by last seen", format!("{base}/users?limit=50&sort=-last_seen_at"), target),
        ("Users list, members of the segment", format!("{base}/users?limit=50&segment={segment}"), target),
        ("Users list, search", format!("{base}/users?limit=50&q=anna"), target),
        ("Users list, search of two letters", format!("{base}/users?limit=50&q=an"), None),
        ("Users list, search in the segment", format!("{base}/users?limit=50&segment={segment}&q=anna"), None),
        ("Users list, search sorted by name", format!("{base}/users?limit=50&q=anna&sort=name"), None),
    ];
    if let Some(id) = deep {
        // The cursor the API would hand out after that row (sort by id).
        let cursor = db_cursor(id);
        cases.insert(
            1,
            ("Users list, page after 500 000 rows", format!("{base}/users?limit=50&cursor={cursor}"), target),
        );
    }
    let mut out: Vec<Loaded> = Vec::new();
    for (what, url, target_ms) in &cases {
        // Check the request works (and warm it up).
        let probe = http_get(url, token)?;
        if !probe.starts_with("HTTP/1.1 200") {
            bail!("{url}: {}", probe.lines().next().unwrap_or(""));
        }
        let path = url.split_once("/api/v1").map_or(url.as_str(), |(_, p)| p).to_owned();
        out.push(Loaded { what, path, target_ms: *target_ms, runs: Vec::new() });
    }
    for _ in 0..load.runs.max(1) {
        for ((_, url, _), loaded) in cases.iter().zip(&mut out) {
            loaded.runs.push(self::load(url, token, load.connections, load.seconds)?);
            // Let the requests the load tool left in flight finish before the next run.
            std::thread::sleep(Duration::from_secs(2));
        }
    }
    Ok(out)
}

/// The API's cursor for "after user `id`" in the default (id) order: base64url of its JSON.
pub(crate) fn db_cursor(id: i64) -> String {
    let json = json!({"sort": "id", "desc": false, "after": {"value": {"i": id}, "id": id}}).to_string();
    base64_url(json.as_bytes())
}

pub(crate) fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// One plain HTTP/1.1 GET (for a probe; the load itself is oha's or wrk's).
pub(crate) fn http_get(url: &str, token: &str) -> anyhow::Result<String> {
    let rest = url.strip_prefix("http://").context("http URL")?;
    let (host, path) = rest.split_once('/').context("a path")?;
    let mut stream = std::net::TcpStream::connect(host)?;
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

pub(crate) fn has(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

pub(crate) fn load(url: &str, token: &str, connections: usize, seconds: u64) -> anyhow::Result<Load> {
    let auth = format!("Authorization: Bearer {token}");
    if has("oha") {
        let out = Command::new("oha")
            .args([
                "--no-tui",
                "--json",
                "-c",
                &connections.to_string(),
                "-z",
                &format!("{seconds}s"),
                "-H",
                &auth,
                url,
            ])
            .output()?;
        let v: Value = serde_json::from_slice(&out.stdout).context("oha's JSON")?;
        let ok = v["statusCodeDistribution"]["200"].as_u64().unwrap_or(0);
        let all: u64 =
            v["statusCodeDistribution"].as_object().map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
        return Ok(Load {
            tool: "oha".into(),
            rps: v["summary"]["requestsPerSec"].as_f64().unwrap_or(0.0),
            p50: v["latencyPercentiles"]["p50"].as_f64().unwrap_or(0.0) * 1000.0,
            p99: v["latencyPercentiles"]["p99"].as_f64().unwrap_or(0.0) * 1000.0,
            errors: all - ok,
        });
    }
    if !has("wrk") {
        bail!("neither oha (cargo install oha) nor wrk (apt-get install wrk) is installed");
    }
    let out = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "--latency", "-H", &auth, url])
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let percentile = |p: &str| -> f64 {
        text.lines()
            .find(|l| l.trim_start().starts_with(p))
            .and_then(|l| l.split_whitespace().nth(1))
            .map_or(f64::NAN, wrk_ms)
    };
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let non_2xx: u64 = text
        .lines()
        .find(|l| l.contains("Non-2xx or 3xx responses:"))
        .and_then(|l| l.split(':').nth(1))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    // `Socket errors: connect 0, read 0, write 0, timeout 12`
    let socket: u64 = text
        .lines()
        .find(|l| l.contains("Socket errors:"))
        .map_or(0, |l| l.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse::<u64>().ok()).sum());
    let errors = non_2xx + socket;
    Ok(Load { tool: "wrk".into(), rps, p50: percentile("50%"), p99: percentile("99%"), errors })
}

/// `1.23ms`, `850.00us`, `1.02s` in milliseconds.
pub(crate) fn wrk_ms(text: &str) -> f64 {
    let (number, factor) = if let Some(v) = text.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = text.strip_suffix("us") {
        (v, 0.001)
    } else if let Some(v) = text.strip_suffix('s') {
        (v, 1000.0)
    } else {
        (text, 1.0)
    };
    number.parse::<f64>().map_or(f64::NAN, |n| n * factor)
}
