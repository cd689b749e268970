//! Fixtures of the db crate's integration tests: a SQLite database in a temp folder and a
//! throwaway PostgreSQL one (dropped afterwards), a workspace, and imports.

#![allow(dead_code)]

use db::Db;
use db::imports::{Format, ImportReport, Mode};
use diesel::Connection;
use diesel::connection::SimpleConnection;
use domain::import::ImportKind;

pub struct Backend {
    pub db: Db,
    drop_pg: Option<(String, String)>,
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.drop_pg
            && let Ok(mut c) = diesel::PgConnection::establish(admin)
        {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// A SQLite database in `dir` and a fresh PostgreSQL database named after `tag` (unique per
/// test and process).
pub fn backends(tag: &str, dir: &tempfile::TempDir) -> Vec<Backend> {
    let sqlite = Db::open(dir.path().join(format!("{tag}.db")).to_str().unwrap()).unwrap();
    let admin =
        std::env::var("SEGMENTA_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("segmenta_{tag}_{}", std::process::id());
    let mut c = diesel::PgConnection::establish(&admin).expect("PostgreSQL at 127.0.0.1:5432");
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let url = format!("{}/{name}", &admin[..admin.rfind('/').unwrap()]);
    let postgres = Backend { db: Db::open(&url).unwrap(), drop_pg: Some((admin, name)) };
    vec![Backend { db: sqlite, drop_pg: None }, postgres]
}

/// A new workspace with an admin `email`; its id.
pub fn workspace(db: &Db, email: &str) -> i64 {
    db.write(|c| {
        let new = db::auth::NewOperator {
            workspace_id: 0,
            email,
            name: None,
            password_hash: "x",
            role: "admin",
            created_at: db::now(),
        };
        Ok(db::auth::create_workspace(c, "W", new)?.0)
    })
    .unwrap()
}

/// An all-or-nothing CSV import, whatever its outcome.
pub fn import(db: &Db, ws: i64, kind: ImportKind, csv: &str) -> ImportReport {
    db::imports::run(db, ws, kind, Mode::AllOrNothing, Format::Csv, csv.as_bytes()).unwrap()
}

/// [`import`] that must commit.
pub fn import_ok(db: &Db, ws: i64, kind: ImportKind, csv: &str) {
    let report = import(db, ws, kind, csv);
    assert!(report.committed, "{report:?}");
}

/// A rescoring of `ws` as of `now`, with its order history read first (as `db::refresh` does).
pub fn rescore(db: &Db, ws: i64, now: chrono::NaiveDateTime) -> db::analytics::RescoreStats {
    let history = db.order_history(ws).unwrap();
    db.write(|c| db::analytics::rescore_at(c, &history, ws, now)).unwrap()
}
