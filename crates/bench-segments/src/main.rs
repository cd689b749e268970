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

mod duck;
mod events;
mod export;
mod http;
mod measure;

use domain::segment_events::Trigger;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use db::filters::Viewer;
use db::imports::{Format, ImportMode};
use db::segments::SegmentDraft;
use db::sql::Query;
use diesel::connection::SimpleConnection;
use domain::import::ImportKind;
use serde_json::{Value, json};

use crate::duck::*;
use crate::events::*;
use crate::export::*;
use crate::http::*;
use crate::measure::*;

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

    rows.extend(segment_events(&database, ws, cli.runs)?);

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
            http = users_list_load(
                &database,
                ws,
                segment.id,
                &base,
                &token,
                LoadSettings { runs: cli.load_runs, connections: cli.connections, seconds: cli.seconds },
            )?;
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
                    role: db::auth::Role::Admin,
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
            let report = db::imports::run(&database, ws, kind, ImportMode::SkipInvalid, Format::Csv, reader)
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
