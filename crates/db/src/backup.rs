//! Backups of a SQLite database while it serves, and putting one back (docs/deploy.md).
//!
//! A backup is `VACUUM INTO`: one consistent snapshot of the whole database, read in a read
//! transaction that the server's writers do not wait for (WAL), written to a file beside the
//! target and renamed into place once complete, so a backup file is never half-written. A
//! restore checks the file (SQLite's integrity check, and migrations this binary knows) before
//! it replaces the database. PostgreSQL is backed up with its own tools (`pg_dump`).

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::{Db, DbUrl, Error, Result, SQLITE_MIGRATIONS};

/// Copies the database into the new file `to`, consistently, while others read and write it.
/// Returns the file's size in bytes.
pub fn backup(db: &Db, to: &Path) -> Result<u64> {
    if !db.url().is_sqlite() {
        return Err(postgres_tools());
    }
    if to.exists() {
        return Err(Error::Conflict(format!("{} exists already; back up into a new file", to.display())));
    }
    let partial = partial_path(to);
    let _ = std::fs::remove_file(&partial);
    let target = partial.to_str().ok_or_else(|| Error::invalid("file", "the path is not valid UTF-8"))?.to_owned();
    let written = db.read(|c| {
        diesel::sql_query("VACUUM INTO ?").bind::<Text, _>(&target).execute(c)?;
        Ok(())
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, to).map_err(|e| io("moving the backup into place", e))?;
    std::fs::metadata(to).map(|m| m.len()).map_err(|e| io("reading the backup's size", e))
}

/// Replaces the SQLite database at `url` with the backup `from`. Stop every server of that
/// database first: a server that keeps running would keep writing to the file it had open.
pub fn restore(from: &Path, url: &str) -> Result<()> {
    let DbUrl::Sqlite(path) = DbUrl::parse(url) else { return Err(postgres_tools()) };
    check(from)?;
    let to = PathBuf::from(path);
    let partial = partial_path(&to);
    std::fs::copy(from, &partial).map_err(|e| io("copying the backup", e))?;
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| io("writing the backup to disk", e))?;
    // the old database's log belongs to the old file
    for suffix in ["-wal", "-shm"] {
        let mut log = to.clone().into_os_string();
        log.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(log));
    }
    std::fs::rename(&partial, &to).map_err(|e| io("moving the restored database into place", e))
}

/// A backup is a sound SQLite database of segmenta whose migrations this binary knows (an older
/// one is migrated when it is next opened).
fn check(file: &Path) -> Result<()> {
    let name = file.display();
    if !file.is_file() {
        return Err(Error::invalid("file", format!("{name} is not a file")));
    }
    let path = file.to_str().ok_or_else(|| Error::invalid("file", "the path is not valid UTF-8"))?;
    let mut conn = SqliteConnection::establish(path)
        .map_err(|e| Error::invalid("file", format!("{name} cannot be opened: {e}")))?;
    conn.batch_execute("PRAGMA query_only = ON")?;
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let not_sqlite = |e: diesel::result::Error| Error::invalid("file", format!("{name} is not a SQLite database: {e}"));
    let checks: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn).map_err(not_sqlite)?;
    if checks.first().map(|c| c.integrity_check.as_str()) != Some("ok") {
        let found: Vec<String> = checks.into_iter().take(3).map(|c| c.integrity_check).collect();
        return Err(Error::invalid("file", format!("{name} is damaged: {}", found.join("; "))));
    }
    #[derive(QueryableByName)]
    struct Applied {
        #[diesel(sql_type = Text)]
        version: String,
    }
    let applied: Vec<String> = diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
        .load::<Applied>(&mut conn)
        .map_err(|e| Error::invalid("file", format!("{name} is not a segmenta database: {e}")))?
        .into_iter()
        .map(|a| a.version)
        .collect();
    let known: Vec<String> = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map_err(|e| Error::Migration(e.to_string()))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    if applied.is_empty() {
        return Err(Error::invalid("file", format!("{name} is not a segmenta database (no migrations)")));
    }
    if let Some(newer) = applied.iter().find(|v| !known.contains(v)) {
        return Err(Error::invalid("file", format!("{name} was made by a newer segmenta (migration {newer})")));
    }
    Ok(())
}

fn partial_path(to: &Path) -> PathBuf {
    let mut name = to.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn postgres_tools() -> Error {
    Error::invalid(
        "database_url",
        "a PostgreSQL database is backed up and restored with pg_dump and pg_restore (see docs/deploy.md)",
    )
}

fn io(what: &str, e: std::io::Error) -> Error {
    Error::Io(format!("{what}: {e}"))
}
