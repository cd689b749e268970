//! `bench analytics --users N`: generates a workspace with the demo generator (N users, about
//! 10 N orders), imports it into SQLite with the real importer, rescores it, and times
//! segmenta's analytics (the database functions, and every metrics endpoint through the real
//! app) side by side with the same RFM computed by DuckDB over the same CSV files. Prints a
//! Markdown table; peak memory is the process's VmHWM, reset before each measurement.

use domain::segment_events::Trigger;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use actix_web::test;
use anyhow::{Context, bail};
use chrono::{Duration as Days, NaiveDate, Utc};
use clap::{Parser, Subcommand};
use db::imports::{Format, ImportMode};
use domain::import::ImportKind;
use serde_json::{Value, json};

const DUCKDB_SCRIPT: &str = include_str!("duckdb_rfm.py");
const EMAIL: &str = "bench@segmenta.test";
const PASSWORD: &str = "bench-password";

#[derive(Debug, Parser)]
#[command(name = "bench", about = "segmenta benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// RFM, transitions, segment and dashboard metrics at scale, beside DuckDB.
    Analytics {
        /// Users to generate (about ten orders each).
        #[arg(long, default_value_t = 100_000)]
        users: usize,
        /// Keep the generated files and database here (reused when present) instead of a
        /// temporary folder.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Skip the DuckDB side.
        #[arg(long)]
        no_duckdb: bool,
        /// Generate heavy-tailed buyers (`segmenta demo --heavy-tail`).
        #[arg(long)]
        heavy_tail: bool,
    },
}

/// Peak resident memory since the last reset, in MiB (Linux; 0 elsewhere).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak to the current resident size (Linux ≥ 4.0).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

struct Row {
    what: String,
    segmenta: Duration,
    peak: f64,
    duckdb: Option<f64>,
    note: String,
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 { format!("{:.0} ms", s * 1000.0) } else { format!("{s:.2} s") }
}

/// Runs `f` once, and twice more when it is quick; reports the median and the peak memory.
fn measure<T>(mut f: impl FnMut() -> T) -> (Duration, f64, T) {
    reset_peak();
    let start = Instant::now();
    let mut out = f();
    let first = start.elapsed();
    let mut times = vec![first];
    if first < Duration::from_secs(2) {
        for _ in 0..2 {
            let start = Instant::now();
            out = f();
            times.push(start.elapsed());
        }
    }
    times.sort();
    (times[times.len() / 2], peak_mib(), out)
}

/// The allocator of the `segmenta` binary, so that the measured server is the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let Cmd::Analytics { users, dir, no_duckdb, heavy_tail } = cli.command;
    let temp;
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d)?;
            d
        }
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_path_buf()
        }
    };
    actix_web::rt::System::new().block_on(run(users, &dir, no_duckdb, heavy_tail))
}

async fn run(users: usize, dir: &Path, no_duckdb: bool, heavy_tail: bool) -> anyhow::Result<()> {
    let today = Utc::now().date_naive();
    let year_back = today - Days::days(365);
    let mut rows: Vec<Row> = Vec::new();
    let mut setup: Vec<(String, Duration, String)> = Vec::new();

    // Data: the demo generator's files, reused when the folder already has them.
    let config = demo::DemoConfig { users, heavy_tail, ..demo::DemoConfig::new(users) };
    let tail = if heavy_tail { "-heavy" } else { "" };
    let marker = dir.join(format!("generated-{users}{tail}-{today}"));
    if !marker.exists() {
        let start = Instant::now();
        let (_, counts) = demo::write_files(&config, dir).context("writing the demo files")?;
        setup.push((
            "generate CSV".into(),
            start.elapsed(),
            format!(
                "{} users, {} orders, {} events, {} companies",
                counts.users, counts.orders, counts.events, counts.companies
            ),
        ));
        let _ = std::fs::remove_file(dir.join("bench.db"));
        std::fs::write(&marker, "")?;
    }

    let db_path = dir.join("bench.db");
    let fresh = !db_path.exists();
    let database = db::Db::open(db_path.to_str().context("path")?)?;
    // Tokens outlive the import of a large workspace; no request budget (the benchmark's one
    // operator makes more requests a minute than any budget is meant for).
    let config = server::Config { access_ttl_secs: 7 * 24 * 3600, requests_per_minute: 0, ..server::Config::default() };
    let state = server::AppState::new(database.clone(), config);
    let app = test::init_service(server::app(state)).await;
    let call = |path: String, token: Option<String>, body: Option<Value>| {
        let mut req = test::TestRequest::default().uri(&path);
        req = match body {
            Some(b) => req.method(actix_web::http::Method::POST).set_json(b),
            None => req.method(actix_web::http::Method::GET),
        };
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        req.to_request()
    };

    let token = if fresh {
        let resp = test::call_service(
            &app,
            call(
                "/api/v1/auth/signup".into(),
                None,
                Some(json!({"workspace_name": "Bench", "email": EMAIL, "password": PASSWORD})),
            ),
        )
        .await;
        let body: Value = test::read_body_json(resp).await;
        body["access_token"].as_str().context("signup token")?.to_owned()
    } else {
        let resp = test::call_service(
            &app,
            call("/api/v1/auth/login".into(), None, Some(json!({"email": EMAIL, "password": PASSWORD}))),
        )
        .await;
        let body: Value = test::read_body_json(resp).await;
        body["access_token"].as_str().context("login token")?.to_owned()
    };
    let ws = database.read(db::auth::workspace_ids)?.first().copied().context("a workspace")?;

    if fresh {
        for (kind, file) in [
            (ImportKind::Companies, "companies.csv"),
            (ImportKind::Users, "users.csv"),
            (ImportKind::Orders, "orders.csv"),
            (ImportKind::Events, "events.csv"),
        ] {
            let start = Instant::now();
            let reader = BufReader::with_capacity(1 << 20, File::open(dir.join(file))?);
            let report = db::imports::run(&database, ws, kind, ImportMode::SkipInvalid, Format::Csv, reader)?;
            setup.push((
                format!("import {file}"),
                start.elapsed(),
                format!("{} rows, {} skipped", report.rows, report.skipped),
            ));
            eprintln!("{file} imported in {:?}", start.elapsed());
        }
    }
    // Fold the import's write-ahead log into the database file, as SQLite would over time.
    database.read(|c| {
        use diesel::connection::SimpleConnection;
        Ok(c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?)
    })?;
    // What every import is followed by: planner statistics, rescoring, segment refresh.
    let (took, peak, ()) = measure_once(|| {
        engine::refresh::after_data_change(&database, ws, Trigger::Import(ImportKind::Orders))
            .expect("after_data_change")
    });
    setup.push((
        "after the import: planner statistics, rescore, segment refresh, order history, user columns".into(),
        took,
        format!("peak {peak:.0} MiB"),
    ));
    eprintln!("rescored in {took:?} (peak {peak:.0} MiB)");
    let (took, peak, history) = measure_once(|| {
        let version = database.read(|c| db::settings::data_version(c, ws)).expect("data version");
        database.read(|c| engine::history::OrderHistory::build(c, ws, version)).expect("order history")
    });
    setup.push((
        "read the order history again (what a data change costs the next dashboard)".into(),
        took,
        format!("{} orders, {} MiB held, peak {peak:.0} MiB", history.order_count(), history.heap_bytes() >> 20),
    ));
    drop(history);
    let (took, peak, columns) = measure_once(|| {
        let version = database.read(|c| db::settings::users_version(c, ws)).expect("users version");
        database.read(|c| engine::user_columns::UserColumns::build(c, ws, version)).expect("user columns")
    });
    setup.push((
        "read the user columns again (what a change to users costs the next dashboard)".into(),
        took,
        format!("{} users, {} MiB held, peak {peak:.0} MiB", columns.len(), columns.heap_bytes() >> 20),
    ));
    drop(columns);
    let (took, peak, ()) =
        measure_once(|| engine::analytics::rescore(&database, ws, Trigger::Schedule).expect("rescore"));
    setup.push(("rescore again (nothing changed)".into(), took, format!("peak {peak:.0} MiB")));

    // DuckDB over the same files.
    let duck = if no_duckdb {
        None
    } else {
        duckdb(dir, today, year_back).map_err(|e| eprintln!("DuckDB skipped: {e:#}")).ok()
    };
    let d = |key: &str| duck.as_ref().and_then(|v| v[key].as_f64());

    // segmenta: the database functions behind the comparisons.
    let (t, p, scored) = measure(|| {
        let history = engine::order_history(&database, ws).expect("order history");
        database
            .read(|c| engine::analytics::rfm_as_of_configured(c, &history, ws, today))
            .expect("rfm today")
            .iter()
            .filter(|(_, s)| s.is_some())
            .count()
    });
    rows.push(Row {
        what: "RFM as of today, all users".into(),
        segmenta: t,
        peak: p,
        duckdb: d("rfm_today"),
        note: format!("{scored} scored"),
    });
    let (t, p, scored) = measure(|| {
        let history = engine::order_history(&database, ws).expect("order history");
        database
            .read(|c| engine::analytics::rfm_as_of_configured(c, &history, ws, year_back))
            .expect("rfm past")
            .iter()
            .filter(|(_, s)| s.is_some())
            .count()
    });
    rows.push(Row {
        what: "RFM as of a year back, all users".into(),
        segmenta: t,
        peak: p,
        duckdb: d("rfm_past"),
        note: format!("{scored} scored"),
    });

    // Endpoints through the app (JSON included).
    let endpoints: Vec<(String, String, Option<&str>)> = vec![
        (
            "Transition matrix (year back → today)".into(),
            format!("/api/v1/metrics/rfm-transitions?from={year_back}&to={today}"),
            Some("transitions"),
        ),
        ("Segments page metrics (today)".into(), "/api/v1/metrics/segments".into(), Some("segments")),
        ("Segments page metrics as of a year back".into(), format!("/api/v1/metrics/segments?as_of={year_back}"), None),
        ("Dashboard: users overview".into(), "/api/v1/metrics/overview".into(), None),
        ("Dashboard: purchase activity".into(), "/api/v1/metrics/purchases".into(), None),
        (
            "Dashboard: purchases, web + consent + new 12 months".into(),
            "/api/v1/metrics/purchases?channel=web&consent=with&recency=new_12m".into(),
            None,
        ),
        ("Dashboard: RFM matrix (today)".into(), "/api/v1/metrics/rfm-matrix".into(), None),
        ("Dashboard: scoring matrix".into(), "/api/v1/metrics/scoring-matrix".into(), None),
        (
            "Dashboard: RFM evolution, 12 months".into(),
            "/api/v1/metrics/rfm-evolution?segment_key=champion".into(),
            None,
        ),
        ("Users export CSV (as of today)".into(), "/api/v1/users/export.csv".into(), None),
    ];
    for (what, path, duck_key) in endpoints {
        reset_peak();
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let resp = test::call_service(&app, call(path.clone(), Some(token.clone()), None)).await;
            if !resp.status().is_success() {
                bail!("{path}: {}", resp.status());
            }
            bytes = test::read_body(resp).await.len();
            let took = start.elapsed();
            times.push(took);
            if took > Duration::from_secs(2) {
                break;
            }
        }
        times.sort();
        rows.push(Row {
            what,
            segmenta: times[times.len() / 2],
            peak: peak_mib(),
            duckdb: duck_key.and_then(d),
            note: format!("{} response", human_bytes(bytes)),
        });
    }

    println!("## segmenta analytics benchmark: {users} users, SQLite\n");
    println!("Run on {today} (as of today = the generated history's last day; a year back = {year_back}).\n");
    println!("| setup step | time | detail |\n| --- | --- | --- |");
    for (what, took, detail) in &setup {
        println!("| {what} | {} | {detail} |", secs(*took));
    }
    if let Some(v) = &duck {
        println!("| DuckDB: load the CSV files | {:.2} s | in-memory tables |", v["load"].as_f64().unwrap_or(0.0));
    }
    println!(
        "\n| measurement | segmenta | peak memory | DuckDB | ratio | note |\n| --- | --- | --- | --- | --- | --- |"
    );
    for r in &rows {
        let (duck, ratio) = match r.duckdb {
            Some(s) => (format!("{:.0} ms", s * 1000.0), format!("{:.1}×", r.segmenta.as_secs_f64() / s.max(1e-9))),
            None => ("—".into(), "—".into()),
        };
        println!("| {} | {} | {:.0} MiB | {duck} | {ratio} | {} |", r.what, secs(r.segmenta), r.peak, r.note);
    }
    println!(
        "\nPeak memory: the bench process's VmHWM, reset before each measurement (it includes the resident database cache)."
    );
    Ok(())
}

fn measure_once<T>(f: impl FnOnce() -> T) -> (Duration, f64, T) {
    reset_peak();
    let start = Instant::now();
    let out = f();
    (start.elapsed(), peak_mib(), out)
}

fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

fn duckdb(dir: &Path, today: NaiveDate, year_back: NaiveDate) -> anyhow::Result<Value> {
    let script = dir.join("duckdb_rfm.py");
    std::fs::write(&script, DUCKDB_SCRIPT)?;
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .arg(today.to_string())
        .arg(year_back.to_string())
        .output()
        .context("running python3 (pip install duckdb)")?;
    if !out.status.success() {
        bail!("{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}
