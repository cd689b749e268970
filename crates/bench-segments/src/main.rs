//! `bench-segments --users N`: generates a workspace with the demo generator (N users, about
//! 10 N orders), imports it into SQLite with the real importer and rescores it (reused from
//! `--dir` when present), then measures
//!
//! - preview (validate + count + 20-user sample) and refresh (first, then steady state) of a
//!   ten-condition segment over user, company, behaviour and score fields with a nested
//!   `any` group, beside the same predicate in DuckDB over the same CSV files (the counts
//!   must agree);
//! - the Users list over HTTP (a real actix server on 127.0.0.1) at 64 concurrent
//!   connections with `oha` or `wrk`: typical requests (held to p99 ≤ 20 ms) and heavier
//!   combinations, each loaded in several rounds so that a noisy spell of a shared machine
//!   does not decide a row;
//! - the users CSV export over HTTP from the same server (all users, and the segment's
//!   members): rows per second to the last byte, time to the first byte, and the peak resident
//!   memory of the process (the server runs in this process).
//!
//! Prints a Markdown table (and writes it to `DIR/segments-bench.md`).

use domain::segment_events::Trigger;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::NaiveDateTime;
use clap::Parser;
use db::filters::Viewer;
use db::imports::{Format, Mode};
use db::segments::SegmentDraft;
use db::sql::{Param, Query};
use diesel::QueryableByName;
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use domain::import::ImportKind;
use serde_json::{Value, json};

const DUCKDB_SCRIPT: &str = include_str!("duckdb_segments.py");
const EMAIL: &str = "bench-segments@segmenta.test";

#[derive(Debug, Parser)]
#[command(name = "bench-segments", about = "Benchmark of segments and the Users list")]
struct Cli {
    /// Users to generate (about ten orders each).
    #[arg(long, default_value_t = 1_000_000)]
    users: usize,
    /// Where the generated files and the database live (reused when present).
    #[arg(long, default_value = "target/bench-segments")]
    dir: PathBuf,
    /// Runs of each timed operation (the median and the worst are reported).
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Concurrent connections of the HTTP load.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds of each HTTP load run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// HTTP load runs per request, in rounds over all requests (the median run is reported,
    /// with every run's p99).
    #[arg(long, default_value_t = 3)]
    load_runs: usize,
    /// Skip the DuckDB side.
    #[arg(long)]
    no_duckdb: bool,
    /// Skip the HTTP load.
    #[arg(long)]
    no_http: bool,
    /// Runs of each users export (the median and the worst are reported).
    #[arg(long, default_value_t = 3)]
    export_runs: usize,
    /// Skip the users export.
    #[arg(long)]
    no_export: bool,
    /// Only serve the app for this many seconds, printing the port and a token (to profile or
    /// load it by hand).
    #[arg(long)]
    serve_for: Option<u64>,
}

/// The benchmark segment: ten conditions, one nested `any` group.
fn segment_tree() -> Value {
    json!({"match": "all", "conditions": [
        {"field": "user.country", "op": "in", "value": ["DE", "FR", "NL", "GB"]},
        {"field": "user.churned_at", "op": "is_not_set"},
        {"field": "user.email_consent", "op": "is_true"},
        {"field": "company.plan", "op": "in", "value": ["pro", "enterprise"]},
        {"field": "company.arr", "op": "gte", "value": 10000},
        {"field": "behaviour.purchases_last_90d", "op": "gte", "value": 1},
        {"field": "behaviour.revenue_total", "op": "gte", "value": 100},
        {"field": "score.health", "op": "gte", "value": 30},
        {"match": "any", "conditions": [
            {"field": "user.last_seen_at", "op": "in_last_days", "value": 14},
            {"field": "behaviour.events.login.count_last_30d", "op": "gte", "value": 5}
        ]}
    ]})
}

struct Row {
    what: String,
    median: Duration,
    worst: Duration,
    target: &'static str,
    duckdb: Option<Duration>,
    note: String,
}

fn ms(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 { format!("{:.1} ms", s * 1000.0) } else { format!("{s:.1} s") }
}

/// Runs `f` `runs` times; the median and the worst time, and the last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<(Duration, Duration, T)> {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        last = Some(f()?);
        times.push(start.elapsed());
    }
    times.sort();
    let out = last.context("at least one run")?;
    Ok((times[times.len() / 2], times[times.len() - 1], out))
}

/// The allocator of the `segmenta` binary, so that the measured server is the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    std::fs::create_dir_all(&cli.dir)?;
    let mut setup: Vec<String> = Vec::new();
    let (database, ws) = prepare(&cli.dir, cli.users, &mut setup)?;
    // Fold what the preparation wrote ahead into the database file, as the server's checkpoints
    // would while it is idle, so that the measurements do not run beside that copy.
    database.read(|c| Ok(c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?))?;
    if let Some(seconds) = cli.serve_for {
        let port = serve(&database)?;
        println!("{port} {}", token(&database, ws)?);
        std::thread::sleep(Duration::from_secs(seconds));
        return Ok(());
    }
    let viewer = Viewer::default();
    let mut rows: Vec<Row> = Vec::new();

    // Preview: what `POST /segments/preview` does.
    let tree_json = segment_tree();
    let (median, worst, (counts, sample)) = timed(cli.runs, || {
        let (counts, sample) = db::segments::preview_draft(&database, ws, viewer, &tree_json)?;
        Ok((counts, sample.len()))
    })?;
    rows.push(Row {
        what: "preview (validate, count, sample of 20)".into(),
        median,
        worst,
        target: "≤ 300 ms",
        duckdb: None,
        note: format!("{} active members, {} in the sample", counts.size, sample),
    });

    // Refresh: the first one writes the whole membership, later ones the difference.
    database.write(|c| {
        Query::new("DELETE FROM segments").execute(c)?;
        Ok(())
    })?;
    let start = Instant::now();
    let draft = SegmentDraft {
        name: Some("Bench segment".into()),
        conditions: Some(tree_json.clone()),
        ..SegmentDraft::default()
    };
    let segment = db::segments::save(&database, ws, viewer, None, draft)?;
    let first = start.elapsed();
    if let Some(e) = &segment.refresh_error {
        bail!("the refresh failed: {e}");
    }
    rows.push(Row {
        what: "create + first refresh (all members enter)".into(),
        median: first,
        worst: first,
        target: "",
        duckdb: None,
        note: format!("size {}, refresh_ms {:?}", segment.size, segment.refresh_ms),
    });
    let (median, worst, refreshed) =
        timed(cli.runs, || Ok(db::segments::refresh(&database, ws, viewer, segment.id, Trigger::Refresh)?))?;
    rows.push(Row {
        what: "refresh (membership unchanged)".into(),
        median,
        worst,
        target: "≤ 1 s",
        duckdb: None,
        note: format!("size {}, online {}, offline {}", refreshed.size, refreshed.online, refreshed.offline),
    });

    rows.extend(segment_events(&database, ws)?);

    // The same predicate in DuckDB, at one fixed instant, and our count at that instant.
    if !cli.no_duckdb {
        let now = db::now();
        let ours = database.read(|c| {
            let tree = db::filters::parse_tree(c, ws, viewer, &tree_json)?;
            let mut q = Query::new("SELECT CAST(COUNT(*) AS BIGINT) AS n");
            q.append(db::segments::matching_users(c, ws, &tree, now)?);
            Ok(q.load::<db::sql::Count>(c)?[0].n)
        })?;
        export_scores(&database, ws, &cli.dir)?;
        let duck = duckdb(&cli.dir, now, cli.runs)?;
        let count = duck["count"].as_i64().unwrap_or(-1);
        if count != ours {
            bail!("DuckDB counts {count} users, segmenta {ours}: the predicates differ");
        }
        let mut query: Vec<f64> = duck["query"].as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
        query.sort_by(f64::total_cmp);
        let median = Duration::from_secs_f64(query.get(query.len() / 2).copied().unwrap_or(0.0));
        if let Some(row) = rows.first_mut() {
            row.duckdb = Some(median);
        }
        if let Some(row) = rows.get_mut(2) {
            row.duckdb = Some(median);
        }
        setup.push(format!(
            "DuckDB {}: CSV load {:.1} s; same predicate, same count ({count})",
            duck_version(),
            duck["load"].as_f64().unwrap_or(0.0)
        ));
    }

    let (mut http, mut exports) = (Vec::new(), Vec::new());
    if !(cli.no_http && cli.no_export) {
        let base = format!("http://127.0.0.1:{}/api/v1", serve(&database)?);
        let token = token(&database, ws)?;
        // The export first, so that its memory is not the load's leftovers.
        if !cli.no_export {
            exports = users_export(&database, ws, segment.id, &base, &token, cli.export_runs)?;
        }
        if !cli.no_http {
            http = users_list_load(&database, ws, segment.id, &base, &token, &cli)?;
        }
    }

    let report = markdown(&cli, &setup, &rows, &http, &exports);
    println!("{report}");
    std::fs::write(cli.dir.join("segments-bench.md"), report)?;
    Ok(())
}

/// The database of `users` demo users in `dir`, generated and imported when missing.
fn prepare(dir: &Path, users: usize, setup: &mut Vec<String>) -> anyhow::Result<(db::Db, i64)> {
    let data = dir.join(format!("users-{users}"));
    std::fs::create_dir_all(&data)?;
    let db_path = data.join("segments.db");
    let ready = data.join("ready");
    if !ready.exists() {
        for f in ["segments.db", "segments.db-wal", "segments.db-shm"] {
            let _ = std::fs::remove_file(data.join(f));
        }
        let start = Instant::now();
        let (_, counts) = demo::write_files(&demo::DemoConfig::new(users), &data)?;
        setup.push(format!(
            "generated {} users, {} companies, {} orders, {} events in {:.0} s",
            counts.users,
            counts.companies,
            counts.orders,
            counts.events,
            start.elapsed().as_secs_f64()
        ));
        let database = db::Db::open(db_path.to_str().context("path")?)?;
        let hash = server::auth::hash_password("bench-password").map_err(|e| anyhow::anyhow!("{e}"))?;
        let (ws, _) = database.write(|c| {
            db::auth::create_workspace(
                c,
                "Bench",
                db::auth::NewOperator {
                    workspace_id: 0,
                    email: EMAIL,
                    name: None,
                    password_hash: &hash,
                    role: "admin",
                    created_at: db::now(),
                },
            )
        })?;
        for (kind, file) in [
            (ImportKind::Companies, "companies.csv"),
            (ImportKind::Users, "users.csv"),
            (ImportKind::Orders, "orders.csv"),
            (ImportKind::Events, "events.csv"),
        ] {
            let start = Instant::now();
            let reader = BufReader::with_capacity(1 << 20, File::open(data.join(file))?);
            let report = db::imports::run(&database, ws, kind, Mode::SkipInvalid, Format::Csv, reader)
                .map_err(|e| anyhow::anyhow!("import {file}: {e}"))?;
            setup.push(format!("imported {file}: {} rows in {:.0} s", report.rows, start.elapsed().as_secs_f64()));
        }
        let start = Instant::now();
        engine::refresh::after_data_change(&database, ws, Trigger::Import(ImportKind::Orders))?;
        setup.push(format!("rescored in {:.0} s", start.elapsed().as_secs_f64()));
        std::fs::write(&ready, "")?;
        return Ok((database, ws));
    }
    let database = db::Db::open(db_path.to_str().context("path")?)?;
    let ws = database.read(db::auth::workspace_ids)?.first().copied().context("a workspace")?;
    // What follows an import, without the rescoring: planner statistics, segment refresh; and
    // the daily rescoring when the stored scores are of an earlier day.
    engine::refresh::update_planner_statistics(&database)?;
    engine::refresh::rescore_stale(&database)?;
    db::segments::refresh_workspace(&database, ws, Trigger::Schedule)?;
    setup.push(format!("reused the database of {users} users in {}", data.display()));
    Ok((database, ws))
}

#[derive(QueryableByName)]
struct ScoreRow {
    #[diesel(sql_type = Text)]
    external_id: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    health_score: Option<i64>,
}

/// The health scores segmenta computed, for DuckDB (which has no scoring of its own).
fn export_scores(database: &db::Db, ws: i64, dir: &Path) -> anyhow::Result<()> {
    let data = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.join("ready").exists())
        .context("the data folder")?;
    let rows = database.read(|c| {
        let mut q = Query::new(
            "SELECT external_id, CAST(health_score AS BIGINT) AS health_score FROM users WHERE workspace_id = ",
        );
        q.bind(Param::I64(Some(ws)));
        Ok(q.load::<ScoreRow>(c)?)
    })?;
    let mut out = BufWriter::new(File::create(data.join("scores.csv"))?);
    writeln!(out, "external_id,health_score")?;
    for r in rows {
        writeln!(out, "{},{}", r.external_id, r.health_score.map(|h| h.to_string()).unwrap_or_default())?;
    }
    Ok(())
}

fn duck_version() -> String {
    Command::new("python3")
        .args(["-c", "import duckdb; print(duckdb.__version__)"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn duckdb(dir: &Path, now: NaiveDateTime, runs: usize) -> anyhow::Result<Value> {
    let data = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.join("scores.csv").exists())
        .context("the data folder")?;
    let script = dir.join("duckdb_segments.py");
    std::fs::write(&script, DUCKDB_SCRIPT)?;
    let out = Command::new("python3")
        .arg(&script)
        .arg(&data)
        .arg(now.format("%Y-%m-%d %H:%M:%S").to_string())
        .arg(runs.to_string())
        .output()
        .context("running python3 (pip install duckdb)")?;
    if !out.status.success() {
        bail!("{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// One run of the HTTP load.
struct Load {
    tool: String,
    rps: f64,
    p50: f64,
    p99: f64,
    errors: u64,
}

/// A request of the Users list under load: its runs and the p99 it is held to, if any.
struct Loaded {
    what: &'static str,
    path: String,
    target_ms: Option<f64>,
    runs: Vec<Load>,
}

impl Loaded {
    /// The run with the median p99.
    fn median(&self) -> Option<&Load> {
        let mut runs: Vec<&Load> = self.runs.iter().collect();
        runs.sort_by(|a, b| a.p99.total_cmp(&b.p99));
        runs.get(runs.len() / 2).copied()
    }
}

/// An hour-long access token of the workspace's first operator.
fn token(database: &db::Db, ws: i64) -> anyhow::Result<String> {
    let operator = database.read(|c| db::auth::operators_of(c, ws))?.first().map(|o| o.id).context("an operator")?;
    let config = server::Config { access_ttl_secs: 3600, ..server::Config::default() };
    server::auth::issue_access_token(&config, operator, ws).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Serves the real app on a free local port, as `segmenta serve` does (a worker per core).
fn serve(database: &db::Db) -> anyhow::Result<u16> {
    let state = server::AppState::new(database.clone(), server::Config::default());
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

fn users_list_load(
    database: &db::Db,
    ws: i64,
    segment: i64,
    base: &str,
    token: &str,
    cli: &Cli,
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
    for _ in 0..cli.load_runs.max(1) {
        for ((_, url, _), loaded) in cases.iter().zip(&mut out) {
            loaded.runs.push(load(url, token, cli.connections, cli.seconds)?);
            // Let the requests the load tool left in flight finish before the next run.
            std::thread::sleep(Duration::from_secs(2));
        }
    }
    Ok(out)
}

/// The API's cursor for "after user `id`" in the default (id) order: base64url of its JSON.
fn db_cursor(id: i64) -> String {
    let json = json!({"sort": "id", "desc": false, "after": {"value": {"i": id}, "id": id}}).to_string();
    base64_url(json.as_bytes())
}

fn base64_url(bytes: &[u8]) -> String {
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
fn http_get(url: &str, token: &str) -> anyhow::Result<String> {
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

/// The export's target rate (issue 4).
const EXPORT_TARGET_ROWS_PER_S: f64 = 500_000.0;

struct Export {
    what: String,
    path: String,
    rows: u64,
    median: Duration,
    worst: Duration,
    first_byte: Duration,
    /// The process's resident memory when the export started, and its peak during the export
    /// (the largest over the runs), in bytes.
    rss_start: u64,
    rss_peak: u64,
    /// How the peak was read.
    peak_source: &'static str,
    /// The anonymous part of the resident memory (`RssAnon`: the heap, not the pages of the
    /// memory-mapped database file), at the start and its peak, of the same run.
    heap_start: u64,
    heap_peak: u64,
}

/// `GET /users/export.csv` of every user, then of the segment's members, `runs` times each.
fn users_export(
    database: &db::Db,
    ws: i64,
    segment: i64,
    base: &str,
    token: &str,
    runs: usize,
) -> anyhow::Result<Vec<Export>> {
    let count = |sql: &str, id: i64| -> anyhow::Result<u64> {
        let n = database.read(|c| {
            let mut q = Query::new(sql);
            q.bind(Param::I64(Some(id)));
            Ok(q.load::<db::sql::Count>(c)?[0].n)
        })?;
        Ok(u64::try_from(n)?)
    };
    let as_of = db::now().date();
    let cases = [
        (
            "all users of the workspace",
            format!("/users/export.csv?as_of={as_of}"),
            count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users WHERE workspace_id = ", ws)?,
        ),
        (
            "members of the segment",
            format!("/users/export.csv?as_of={as_of}&segment={segment}"),
            count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_members WHERE segment_id = ", segment)?,
        ),
    ];
    let mut out = Vec::new();
    for (what, path, expected) in cases {
        let url = format!("{base}{path}");
        let (mut times, mut firsts) = (Vec::new(), Vec::new());
        let (mut rss_start, mut rss_peak, mut peak_source, mut heap) = (0, 0, "", (0, 0));
        for _ in 0..runs.max(1) {
            let memory = MemoryWatch::start();
            let streamed = stream_export(&url, token)?;
            let (start, peak, source, heap_of_run) = memory.stop();
            if streamed.rows != expected {
                bail!("{path}: the export sent {} rows, the database holds {expected}", streamed.rows);
            }
            times.push(streamed.total);
            firsts.push(streamed.first_byte);
            if peak >= rss_peak {
                (rss_start, rss_peak, peak_source, heap) = (start, peak, source, heap_of_run);
            }
        }
        times.sort();
        firsts.sort();
        out.push(Export {
            what: what.into(),
            path,
            rows: expected,
            median: times[times.len() / 2],
            worst: times[times.len() - 1],
            first_byte: firsts[firsts.len() / 2],
            rss_start,
            rss_peak,
            peak_source,
            heap_start: heap.0,
            heap_peak: heap.1,
        });
    }
    Ok(out)
}

/// This process's `VmRSS`, `VmHWM` or `RssAnon`, in bytes.
fn proc_status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?;
    let kib: u64 = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

/// The peak resident memory of this process (where the server runs) over a span: the kernel's
/// high-water mark `VmHWM`, reset to the current RSS at the start (`5` into
/// `/proc/self/clear_refs`), or, where that reset is refused, the largest `VmRSS` sampled
/// every 5 ms; and the largest `RssAnon` sampled every 5 ms.
struct MemoryWatch {
    start: u64,
    heap_start: u64,
    reset: bool,
    stop: Arc<AtomicBool>,
    /// The largest `VmRSS` and `RssAnon` sampled.
    sampler: std::thread::JoinHandle<(u64, u64)>,
}

impl MemoryWatch {
    fn start() -> Self {
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        let (start, heap_start) = (proc_status("VmRSS").unwrap_or(0), proc_status("RssAnon").unwrap_or(0));
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let sampler = std::thread::spawn(move || {
            let (mut peak, mut heap) = (0, 0);
            while !flag.load(Ordering::Relaxed) {
                peak = peak.max(proc_status("VmRSS").unwrap_or(0));
                heap = heap.max(proc_status("RssAnon").unwrap_or(0));
                std::thread::sleep(Duration::from_millis(5));
            }
            (peak, heap)
        });
        Self { start, heap_start, reset, stop, sampler }
    }

    /// The RSS at the start, the peak, how the peak was read, and the heap (`RssAnon`) at
    /// the start and its peak.
    fn stop(self) -> (u64, u64, &'static str, (u64, u64)) {
        self.stop.store(true, Ordering::Relaxed);
        let (peak, heap) = self.sampler.join().unwrap_or((0, 0));
        let sampled = peak.max(proc_status("VmRSS").unwrap_or(0));
        let heap = (self.heap_start, heap.max(proc_status("RssAnon").unwrap_or(0)));
        match proc_status("VmHWM").filter(|_| self.reset) {
            Some(hwm) => (self.start, hwm.max(sampled), "VmHWM after a reset", heap),
            None => (self.start, sampled, "VmRSS sampled every 5 ms", heap),
        }
    }
}

struct Streamed {
    /// Data rows: lines after the header.
    rows: u64,
    /// From the request's start to the first byte of the body (the header row, written once
    /// the RFM of the selection is computed).
    first_byte: Duration,
    /// From the request's start to the last byte.
    total: Duration,
}

/// One GET of a CSV, its body streamed through a 64 KiB buffer and its lines counted.
fn stream_export(url: &str, token: &str) -> anyhow::Result<Streamed> {
    let rest = url.strip_prefix("http://").context("http URL")?;
    let (host, path) = rest.split_once('/').context("a path")?;
    let start = Instant::now();
    let mut stream = std::net::TcpStream::connect(host)?;
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )?;
    let mut reader = BufReader::with_capacity(1 << 16, stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    if !line.starts_with("HTTP/1.1 200") {
        bail!("{url}: {}", line.trim_end());
    }
    let (mut chunked, mut length) = (false, None);
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let Some((name, value)) = line.trim_end().split_once(':') else { break };
        if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.trim().eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse::<u64>()?);
        }
    }
    let (mut lines, mut first_byte) = (0u64, None);
    let mut count = |body: &mut dyn BufRead| -> std::io::Result<u64> {
        let mut read = 0;
        loop {
            let buf = body.fill_buf()?;
            if buf.is_empty() {
                return Ok(read);
            }
            first_byte.get_or_insert_with(|| start.elapsed());
            lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
            let n = buf.len();
            read += n as u64;
            body.consume(n);
        }
    };
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = line.trim_end().split(';').next().unwrap_or_default();
            let size = u64::from_str_radix(size.trim(), 16).with_context(|| format!("{url}: a chunk size"))?;
            if size == 0 {
                break;
            }
            if count(&mut (&mut reader).take(size))? != size {
                bail!("{url}: the body stopped inside a chunk");
            }
            line.clear();
            reader.read_line(&mut line)?;
        }
    } else if let Some(length) = length {
        count(&mut (&mut reader).take(length))?;
    } else {
        count(&mut reader)?;
    }
    let total = start.elapsed();
    Ok(Streamed { rows: lines.saturating_sub(1), first_byte: first_byte.unwrap_or(total), total })
}

fn has(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

fn load(url: &str, token: &str, connections: usize, seconds: u64) -> anyhow::Result<Load> {
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
fn wrk_ms(text: &str) -> f64 {
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

fn markdown(cli: &Cli, setup: &[String], rows: &[Row], http: &[Loaded], exports: &[Export]) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "## Segments and the Users list, {} users, SQLite\n\nMachine: {} cores. {}\n\n",
        cli.users,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        setup.join("; ")
    ));
    s.push_str("Segment: 10 conditions (country in 4, not churned, email consent, company plan in 2, company ARR ≥ 10 000, purchases in the last 90 days ≥ 1, total revenue ≥ 100, health ≥ 30, any of: seen in the last 14 days / ≥ 5 logins in 30 days).\n\n");
    s.push_str(&format!(
        "| operation | median of {} | worst | target | DuckDB (same predicate, in memory) | note |\n",
        cli.runs
    ));
    s.push_str("| --- | ---: | ---: | --- | ---: | --- |\n");
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.what,
            ms(r.median),
            ms(r.worst),
            r.target,
            r.duckdb.map(ms).unwrap_or_default(),
            r.note
        ));
    }
    if !http.is_empty() {
        s.push_str(&format!(
            "\nUsers list over HTTP, {} connections, {} runs of {} s each, taken in rounds over the requests (the load tool runs on the same machine). \
             Requests/s, p50 and p99 are those of the run with the median p99; every run's p99 follows. \
             The heavier combinations below the typical requests read thousands of rows or matches a request (every match of a search, \
             to sort them or to find the few in a segment; a third of the users for the bounded total of a two-letter search) \
             and have no target.\n\n",
            cli.connections,
            cli.load_runs.max(1),
            cli.seconds
        ));
        s.push_str(
            "| request | tool | requests/s | p50 | p99 | p99 of each run | target | met |\n\
             | --- | --- | ---: | ---: | ---: | --- | --- | --- |\n",
        );
        for l in http {
            let Some(median) = l.median() else { continue };
            let runs: Vec<String> = l.runs.iter().map(|r| format!("{:.1}", r.p99)).collect();
            let errors: u64 = l.runs.iter().map(|r| r.errors).sum();
            let (target, met) = match l.target_ms {
                Some(t) if errors == 0 => (format!("p99 ≤ {t:.0} ms"), if median.p99 <= t { "yes" } else { "no" }),
                Some(t) => (format!("p99 ≤ {t:.0} ms"), "no (errors)"),
                None => ("—".to_owned(), ""),
            };
            s.push_str(&format!(
                "| {} `{}` | {} | {:.0} | {:.1} ms | {:.1} ms | {} ms{} | {target} | {met} |\n",
                l.what,
                l.path,
                median.tool,
                median.rps,
                median.p50,
                median.p99,
                runs.join(" / "),
                if errors > 0 { format!(" ({errors} errors)") } else { String::new() },
            ));
        }
    }
    if !exports.is_empty() {
        s.push_str(&format!(
            "\nUsers CSV export over HTTP (`GET /api/v1/users/export.csv`, streamed; the client counts lines and keeps nothing), {} runs each. Rows/s = data rows / time from the request to the last byte; first byte = the header row, sent once RFM is computed for the selection. Memory: resident memory of the benchmark process, which runs the server (and the client), at the export's start and its peak during the export (largest over the runs); heap: its anonymous part (`RssAnon`, sampled every 5 ms: what the process allocated, without the pages of the memory-mapped database file it has read), in the same run.\n\n",
            cli.export_runs.max(1)
        ));
        s.push_str("| export | rows | median | worst | rows/s (median) | rows/s (worst) | first byte (median) | RSS at start | peak RSS | heap at start | peak heap | target | met |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        let mib = |b: u64| format!("{:.0} MiB", b as f64 / f64::from(1 << 20));
        for e in exports {
            let rate = |d: Duration| e.rows as f64 / d.as_secs_f64().max(1e-9);
            s.push_str(&format!(
                "| {} `{}` | {} | {} | {} | {:.0} | {:.0} | {} | {} | {} ({}) | {} | {} | ≥ 500 000 rows/s | {} |\n",
                e.what,
                e.path,
                e.rows,
                ms(e.median),
                ms(e.worst),
                rate(e.median),
                rate(e.worst),
                ms(e.first_byte),
                mib(e.rss_start),
                mib(e.rss_peak),
                e.peak_source,
                mib(e.heap_start),
                mib(e.heap_peak),
                if rate(e.median) >= EXPORT_TARGET_ROWS_PER_S { "yes" } else { "no" }
            ));
        }
    }
    s
}

/// Segment events (docs/segment-events.md): refreshes that move 100 000 users and record their
/// events (and write the messages of a subscribed webhook), the outbox delivered to a receiver
/// on loopback, and a year of daily history over a segment with a year of events.
fn segment_events(database: &db::Db, ws: i64) -> anyhow::Result<Vec<Row>> {
    const MOVERS: i64 = 100_000;
    let viewer = Viewer::default();
    let mut rows = Vec::new();
    // the revenue of the 100 000th biggest spender: "revenue ≥ it" has about 100 000 members
    let threshold = database.read(|c| {
        let mut q = Query::new("SELECT revenue AS n FROM users WHERE workspace_id = ");
        q.bind(db::sql::Param::I64(Some(ws)))
            .push(" ORDER BY revenue DESC LIMIT 1 OFFSET ")
            .bind(db::sql::Param::I64(Some(MOVERS - 1)));
        Ok(q.load::<db::sql::Count>(c)?.first().map_or(0, |c| c.n))
    })?;
    let tree = |minor: i64| {
        serde_json::json!({"match": "all", "conditions": [
            {"field": "behaviour.revenue_total", "op": "gte", "value": minor as f64 / 100.0}]})
    };
    let draft = |minor: i64| SegmentDraft {
        name: Some("Big spenders (events)".into()),
        conditions: Some(tree(minor)),
        ..SegmentDraft::default()
    };
    // a receiver on loopback and a webhook to it, so that the refreshes also write the outbox
    let (port, received) = receiver()?;
    let secret = server::webhooks::new_secret();
    database.write(|c| {
        let hook = db::webhooks::WebhookChanges {
            url: Some(format!("http://127.0.0.1:{port}/hook")),
            events: Some(domain::webhooks::WebhookEvent::ALL.to_vec()),
            ..db::webhooks::WebhookChanges::default()
        };
        db::webhooks::create(c, ws, &secret, hook).map(drop)
    })?;
    let events_before = count(database, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_events")?;
    let file_before = database_bytes(database)?;
    let start = Instant::now();
    let segment = db::segments::save(database, ws, viewer, None, draft(threshold))?;
    let entered = start.elapsed();
    let start = Instant::now();
    db::segments::save(database, ws, viewer, Some(segment.id), draft(i64::MAX / 4))?;
    let exited = start.elapsed();
    let events = count(database, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_events")? - events_before;
    let messages = count(database, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM webhook_deliveries")?;
    database.read(|c| Ok(c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?))?;
    let per_event = (database_bytes(database)? - file_before) as f64 / events.max(1) as f64;
    for (what, took) in [("save: ~100 000 users enter", entered), ("save: the same users exit", exited)] {
        rows.push(Row {
            what: format!("{what} (refresh, events and webhook outbox in its transaction)"),
            median: took,
            worst: took,
            target: "≤ 1 s",
            duckdb: None,
            note: format!("{events} events and {messages} webhook messages over both; about {per_event:.0} bytes of database file an event (row and three indexes)"),
        });
    }

    // the outbox, delivered: every message signed and sent to the receiver on loopback
    let state = server::AppState::new(
        database.clone(),
        server::Config { webhooks_allow_private: true, ..server::Config::default() },
    );
    let start = Instant::now();
    server::webhooks::spawn_deliveries(state)?;
    while received.load(std::sync::atomic::Ordering::Relaxed) < messages as usize {
        if start.elapsed() > Duration::from_secs(300) {
            bail!("the outbox was not delivered within 300 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = start.elapsed();
    rows.push(Row {
        what: "webhook outbox delivered to a receiver on loopback".into(),
        median: took,
        worst: took,
        target: "≥ 5 000 changes/s",
        duckdb: None,
        note: format!(
            "{messages} signed messages, {events} changes: {:.0} changes/s",
            events as f64 / took.as_secs_f64()
        ),
    });

    // a year of history: 1 000 entries and 1 000 exits a day for 365 days on an RFM segment id
    // that no rescoring writes (−8 … −1 are RFM; this writes under −8 of a workspace of its own)
    let year_ws = database.write(|c| {
        let new = db::auth::NewOperator {
            workspace_id: 0,
            email: "history@bench.test",
            name: None,
            password_hash: "x",
            role: "admin",
            created_at: db::now(),
        };
        Ok(db::auth::create_workspace(c, "History", new)?.0)
    })?;
    let today = chrono::Utc::now().date_naive();
    database.write(|c| {
        for day in 0..365 {
            let at = (today - chrono::Duration::days(day)).and_hms_opt(12, 0, 0).expect("noon");
            let moves: Vec<(i64, i64, domain::segment_events::EventType)> = (0..2000)
                .map(|i| {
                    (
                        -8,
                        i,
                        if i % 2 == 0 {
                            domain::segment_events::EventType::Entered
                        } else {
                            domain::segment_events::EventType::Exited
                        },
                    )
                })
                .collect();
            db::segment_events::record(c, year_ws, at, domain::segment_events::Trigger::Schedule, &moves)?;
        }
        Ok(())
    })?;
    let from = today - chrono::Duration::days(364);
    let (median, worst, points) = timed(7, || {
        Ok(database.read(|c| {
            let segment = domain::segment_events::SegmentRef::Rfm(domain::rfm::RfmSegment::Lost);
            let current = db::segment_events::member_count(c, year_ws, segment)?;
            let changes = db::segment_events::daily_changes(c, year_ws, segment, from)?;
            Ok(domain::segment_events::size_history(current, from, today, &changes).len())
        })?)
    })?;
    rows.push(Row {
        what: "history: a year of daily points (730 000 events)".into(),
        median,
        worst,
        target: "≤ 50 ms",
        duckdb: None,
        note: format!("{points} points"),
    });
    Ok(rows)
}

fn count(database: &db::Db, sql: &str) -> anyhow::Result<i64> {
    let q = Query::new(sql);
    Ok(database.read(|c| Ok(q.load::<db::sql::Count>(c)?.first().map_or(0, |c| c.n)))?)
}

fn database_bytes(database: &db::Db) -> anyhow::Result<i64> {
    count(database, "SELECT CAST(page_count * page_size AS BIGINT) AS n FROM pragma_page_count(), pragma_page_size()")
}

/// A receiver on a free loopback port that answers 204 to every request (keep-alive), counting
/// them.
fn receiver() -> anyhow::Result<(u16, std::sync::Arc<std::sync::atomic::AtomicUsize>)> {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counted = counted.clone();
            std::thread::spawn(move || {
                let Ok(mut writer) = stream.try_clone() else { return };
                let mut reader = BufReader::new(stream);
                loop {
                    let mut length = 0usize;
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if writer.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok((port, count))
}
