//! segmenta storage: one code path for SQLite (embedded default) and PostgreSQL.
//!
//! `Db` owns the pool; every query module takes `&mut DbConn` and returns `Result<_, Error>`.
//! Where SQL must differ per backend it is branched in [`sql::Dialect`] (`sql/dialect.rs`), nowhere else.

pub mod auth;
pub mod backup;
pub mod compile;
#[cfg(feature = "test-support")]
pub mod faults;
pub mod filters;
pub mod idempotency;
pub mod imports;
mod in_memory;
pub mod lists;
pub mod people;
pub mod schema;
pub mod segment_events;
pub mod segments;
pub mod settings;
pub mod sign_in;
pub mod sql;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod webhooks;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::sql::{Count, Query};

pub use diesel::result::Error as QueryError;
pub use in_memory::InMemory;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Runs the same diesel expression on whichever backend `conn` is, for the statements that
/// need `RETURNING` (the multi-connection cannot express them generically).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::DbConn::Pg($c) => $body,
            $crate::DbConn::Sqlite($c) => $body,
        }
    };
}

/// One connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("database connection: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("database connection: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("migration failed: {0}")]
    Migration(String),
    /// A file the store reads or writes (backups).
    #[error("{0}")]
    Io(String),
    /// Something the caller sent that the data cannot take (named field, readable message).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which backend a `DATABASE_URL` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Postgres(String),
    Sqlite(String),
}

impl DbUrl {
    /// `postgres://…`/`postgresql://…` is PostgreSQL; `sqlite://path`, `sqlite:path` or a bare
    /// path is a SQLite file.
    pub fn parse(url: &str) -> DbUrl {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DbUrl::Postgres(url.to_owned())
        } else {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
            DbUrl::Sqlite(path.to_owned())
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DbUrl::Sqlite(_))
    }
}

/// The per-connection SQLite settings that [`Db::bulk_write_with`] changes for one transaction:
/// foreign-key checks on, a 64 MiB page cache.
const SQLITE_SESSION: &str = "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536";
/// The `cache_size` of [`SQLITE_SESSION`].
const SQLITE_CACHE_SIZE: i64 = -65536;
/// [`SQLITE_SESSION`] during a bulk load: the load's own code guarantees its references, and a
/// 512 MiB cache keeps a large transaction's pages from spilling to the log and being read back.
const SQLITE_BULK_SESSION: &str = "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -524288";

/// Bulk sessions begun and not (yet) put back to [`SQLITE_SESSION`]: one that failed or
/// panicked half-way leaves this above zero, and checkouts check every connection from then on.
static UNSETTLED_BULK_SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// Opens connections of the backend the URL names (the derive's own `establish` would try
/// every variant in turn, and SQLite accepts any string as a path).
#[derive(Debug)]
pub struct Manager {
    url: DbUrl,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match &self.url {
            DbUrl::Postgres(url) => PgConnection::establish(url).map(DbConn::Pg).map_err(r2d2::Error::ConnectionError),
            DbUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // `journal_size_limit`: once checkpointed, the log is written again from its start
                // and cut back to 64 MiB (a large import would otherwise leave a log file as
                // large as all it wrote, for good).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 2147418112; \
                     PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;",
                )
                .map_err(r2d2::Error::QueryError)?;
                conn.batch_execute(SQLITE_SESSION).map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    /// On SQLite checks the settings that [`Db::bulk_write_with`] changes for its transaction
    /// while one may not have put them back ([`UNSETTLED_BULK_SESSIONS`]; otherwise nothing:
    /// a checkout is on the path of every request), and restores them only if they are not as
    /// they should be: setting `foreign_keys` expires every prepared statement of the
    /// connection, and a checkout must not cost the next query its prepared form.
    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        if matches!(conn, DbConn::Pg(_)) {
            return conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError);
        }
        if UNSETTLED_BULK_SESSIONS.load(Ordering::Acquire) == 0 {
            return Ok(());
        }
        let session = Query::new(format!(
            "SELECT CAST((SELECT foreign_keys FROM pragma_foreign_keys()) = 1 \
             AND (SELECT cache_size FROM pragma_cache_size()) = {SQLITE_CACHE_SIZE} AS BIGINT) AS n"
        ));
        let normal = session.load_cached::<Count>(conn).map_err(r2d2::Error::QueryError)?;
        if normal.first().is_some_and(|c| c.n == 1) {
            return Ok(());
        }
        conn.batch_execute(SQLITE_SESSION).map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// The database: a pool plus, on SQLite, one in-process write lock so that write transactions
/// never race to upgrade their locks (SQLite allows one writer at a time anyway).
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    url: Arc<DbUrl>,
    write_lock: Arc<Mutex<()>>,
    /// On SQLite: wakes the checkpointer after a write (see [`spawn_checkpointer`]).
    checkpoint: Option<Arc<SyncSender<()>>>,
    /// Each workspace's data held in memory, of every kind asked for (see [`Db::in_memory`]).
    copies: Arc<in_memory::Kinds>,
}

/// On SQLite, moves WAL checkpoints (copying committed pages from the log into the database
/// file) off the writers: connections have automatic checkpoints off, and this thread runs a
/// passive one after writes, so a request does not pay for copying what an earlier large write
/// logged. The thread ends when the last clone of the [`Db`] is dropped.
fn spawn_checkpointer(pool: Pool) -> Arc<SyncSender<()>> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
    let spawned = std::thread::Builder::new().name("sqlite-checkpoint".into()).spawn(move || {
        while rx.recv().is_ok() {
            let done = pool
                .get()
                .map_err(Error::from)
                .and_then(|mut conn| conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)").map_err(Error::from));
            if let Err(e) = done {
                tracing::warn!(error = %e, "WAL checkpoint failed; retried after the next write");
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the WAL checkpointer");
    }
    Arc::new(tx)
}

impl Db {
    /// Connects (creating the SQLite file and its folder when missing) and runs migrations.
    pub fn open(url: &str) -> Result<Db> {
        let url = DbUrl::parse(url);
        if let DbUrl::Sqlite(path) = &url
            && let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Migration(format!("cannot create {}: {e}", dir.display())))?;
        }
        if let DbUrl::Sqlite(path) = &url {
            // WAL is a property of the file: switch a new database over once, before the pool
            // opens its connections at the same time (they would race for the switch's lock).
            let mut conn = SqliteConnection::establish(path).map_err(|e| Error::Migration(e.to_string()))?;
            conn.batch_execute("PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL")?;
        }
        let size = if url.is_sqlite() { 8 } else { 16 };
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .connection_timeout(Duration::from_secs(30))
            .build(Manager { url: url.clone() })?;
        let checkpoint = url.is_sqlite().then(|| spawn_checkpointer(pool.clone()));
        let db =
            Db { pool, url: Arc::new(url), write_lock: Arc::new(Mutex::new(())), checkpoint, copies: Arc::default() };
        db.migrate()?;
        Ok(db)
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// Connections in the pool: at most this many calls use the database at once.
    pub fn pool_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// Applies pending migrations of this backend's tree.
    pub fn migrate(&self) -> Result<()> {
        let mut conn = self.pool.get()?;
        let applied = match &mut *conn {
            DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        }
        .map_err(|e| Error::Migration(e.to_string()))?;
        if applied > 0 {
            tracing::info!(applied, "database migrated");
        }
        Ok(())
    }

    /// Reverts every migration (used by the up → down → up test).
    pub fn revert_all(&self) -> Result<()> {
        let mut conn = self.pool.get()?;
        match &mut *conn {
            DbConn::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(drop),
            DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(drop),
        }
        .map_err(|e| Error::Migration(e.to_string()))
    }

    /// Runs `f` on a pooled connection, outside any transaction.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConn) -> Result<T>) -> Result<T> {
        let mut conn = self.pool.get()?;
        f(&mut conn)
    }

    /// Runs `f` in one transaction; on SQLite writers queue on the write lock first.
    pub fn write<T>(&self, f: impl FnOnce(&mut DbConn) -> Result<T>) -> Result<T> {
        self.write_with(f)
    }

    /// [`Db::write`] with the caller's own error type.
    pub fn write_with<T, E>(&self, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        self.transaction(false, f)
    }

    /// [`Db::write_with`] for bulk loads whose code itself guarantees every reference it
    /// writes (the importer resolves or creates each referenced row in the same transaction):
    /// on SQLite, foreign-key checks are off and the page cache larger for this one transaction
    /// (see [`SQLITE_BULK_SESSION`]; pragmas that can only change outside a transaction), and
    /// both are back to normal before the connection returns to the pool (checked again at
    /// every checkout should that fail).
    pub fn bulk_write_with<T, E>(&self, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        self.transaction(true, f)
    }

    /// One write transaction: on SQLite behind the write lock, in the bulk session when asked,
    /// and followed by a wake-up of the checkpointer.
    fn transaction<T, E>(&self, bulk: bool, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        let sqlite = self.url.is_sqlite();
        let mut conn = self.pool.get().map_err(Error::from)?;
        let _guard = sqlite.then(|| self.write_lock.lock().unwrap_or_else(|poison| poison.into_inner()));
        let conn: &mut DbConn = &mut conn;
        let bulk = bulk && sqlite;
        if bulk {
            UNSETTLED_BULK_SESSIONS.fetch_add(1, Ordering::AcqRel);
            conn.batch_execute(SQLITE_BULK_SESSION)?;
        }
        let result = conn.transaction(f);
        if let Some(tx) = &self.checkpoint {
            let _ = tx.try_send(()); // a no-op when a pass is already pending
        }
        if bulk {
            conn.batch_execute(SQLITE_SESSION)?;
            UNSETTLED_BULK_SESSIONS.fetch_sub(1, Ordering::AcqRel);
        }
        result
    }

    /// The workspace's data of kind `T` at its current version: the copy in memory when it
    /// is still current, else read anew (see [`InMemory`]).
    pub fn in_memory<T: InMemory>(&self, workspace_id: i64) -> Result<Arc<T>> {
        self.copies.of::<T>().get(&self.pool, workspace_id)
    }

    /// Checks that a connection can be had and answers.
    pub fn ping(&self) -> Result<()> {
        let mut conn = self.pool.get()?;
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }
}

/// The current time, UTC, at second precision (what every stored timestamp uses).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    now.with_nanosecond(0).unwrap_or(now)
}

use chrono::Timelike;
