//! Fixtures of the store's and the engine's integration tests (feature `test-support`): a
//! SQLite database in a temp folder and a throwaway PostgreSQL one (dropped afterwards), a
//! workspace, and imports.

use crate::Db;
use crate::imports::{Format, ImportMode, ImportReport};
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
        let new = crate::auth::NewOperator {
            workspace_id: 0,
            email,
            name: None,
            password_hash: "x",
            role: crate::auth::Role::Admin,
            created_at: crate::now(),
        };
        Ok(crate::auth::create_workspace(c, "W", new)?.0)
    })
    .unwrap()
}

/// An all-or-nothing CSV import, whatever its outcome.
pub fn import(db: &Db, ws: i64, kind: ImportKind, csv: &str) -> ImportReport {
    crate::imports::run(db, ws, kind, ImportMode::AllOrNothing, Format::Csv, csv.as_bytes()).unwrap()
}

/// [`import`] that must commit.
pub fn import_ok(db: &Db, ws: i64, kind: ImportKind, csv: &str) {
    let report = import(db, ws, kind, csv);
    assert!(report.committed, "{report:?}");
}
