//! The same predicate in DuckDB over the generated CSV files (`duckdb_segments.py`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use chrono::NaiveDateTime;
use db::sql::{Param, Query};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use serde_json::Value;

const DUCKDB_SCRIPT: &str = include_str!("duckdb_segments.py");

#[derive(QueryableByName)]
pub(crate) struct ScoreRow {
    #[diesel(sql_type = Text)]
    pub(crate) external_id: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) health_score: Option<i64>,
}

/// The health scores segmenta computed, for DuckDB (which has no scoring of its own).
pub(crate) fn export_scores(database: &db::Db, ws: i64, dir: &Path) -> anyhow::Result<()> {
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

pub(crate) fn duck_version() -> String {
    Command::new("python3")
        .args(["-c", "import duckdb; print(duckdb.__version__)"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

pub(crate) fn duckdb(dir: &Path, now: NaiveDateTime, runs: usize) -> anyhow::Result<Value> {
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
