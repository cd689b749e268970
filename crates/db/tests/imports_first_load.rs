//! A first load of orders into SQLite builds the per-user order index after the rows (instead
//! of growing it row by row) and runs without foreign-key checks: the index must exist after
//! the import whatever its outcome, a rejected import must leave nothing behind, and pooled
//! connections must get their usual settings back.

use db::Db;
use db::sql::{Count, Param, Query};
use domain::import::ImportKind;

mod common;
use common::*;

fn count(db: &Db, sql: &str) -> i64 {
    db.read(|c| Ok(Query::new(sql).load::<Count>(c)?.first().map_or(0, |r| r.n))).unwrap()
}

/// The definition of `orders_user_date` as SQLite keeps it (empty when the index is missing).
fn index_sql(db: &Db) -> String {
    #[derive(diesel::QueryableByName)]
    struct Sql {
        #[diesel(sql_type = diesel::sql_types::Text)]
        sql: String,
    }
    let q = Query::new("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'orders_user_date'");
    db.read(|c| Ok(q.load::<Sql>(c)?.into_iter().next().map(|s| s.sql).unwrap_or_default())).unwrap()
}

/// Every index of the database as (name, definition), by name.
fn indexes(db: &Db) -> Vec<(String, String)> {
    #[derive(diesel::QueryableByName)]
    struct Index {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        sql: String,
    }
    let q = Query::new("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
    db.read(|c| Ok(q.load::<Index>(c)?.into_iter().map(|i| (i.name, i.sql)).collect())).unwrap()
}

#[test]
fn first_loads_of_every_kind_leave_the_schema_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("kinds.db").to_str().unwrap()).unwrap();
    let ws = workspace(&db, "a@b.test");
    let schema = indexes(&db);
    assert!(schema.iter().any(|(name, _)| name == "users_list_last_seen"), "{schema:?}");
    // A rejected first load of users, then accepted first loads of each kind.
    let report = import(&db, ws, ImportKind::Users, "external_id,email,created_at\nu1,a@b.test,not a date\n");
    assert!(!report.committed);
    assert_eq!(indexes(&db), schema);
    for (kind, csv) in [
        (ImportKind::Companies, "external_id,name\nc1,Acme\n"),
        (ImportKind::Users, "external_id,email,company_id\nu1,a@b.test,c1\nu2,b@b.test,c1\n"),
        (ImportKind::Orders, "order_id,customer_id,ordered_at,amount\no1,u1,2024-01-01,10.00\n"),
        (ImportKind::Events, "customer_id,name,occurred_at\nu1,login,2024-01-02T10:00:00Z\nu3,login,2024-01-03\n"),
    ] {
        let report = import(&db, ws, kind, csv);
        assert!(report.committed, "{kind:?}: {report:?}");
        assert_eq!(indexes(&db), schema, "{kind:?}");
    }
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users"), 3);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM events"), 2);
}

fn purchases(db: &Db, ws: i64, user: &str) -> i64 {
    let mut q = Query::new("SELECT purchases AS n FROM users WHERE workspace_id = ");
    q.bind(Param::I64(Some(ws))).push(" AND external_id = ").bind(Param::text(user));
    db.read(|c| Ok(q.load::<Count>(c)?.first().map_or(-1, |r| r.n))).unwrap()
}

#[test]
fn a_first_load_keeps_the_index_and_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("first.db").to_str().unwrap()).unwrap();
    let ws = workspace(&db, "a@b.test");
    let header = "order_id,customer_id,ordered_at,amount\n";

    // Rejected first load (a bad amount on row 3): nothing written, index still there.
    let bad = format!("{header}o1,c1,2024-01-01,10.00\no2,c2,2024-01-02,5.00\no3,c1,2024-01-03,abc\n");
    let report = import(&db, ws, ImportKind::Orders, &bad);
    assert!(!report.committed);
    assert_eq!(report.errors[0].row, 3);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM orders"), 0);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM users"), 0);
    assert!(index_sql(&db).contains("(user_id, ordered_at, amount)"), "{}", index_sql(&db));

    // Accepted first load: index rebuilt, aggregates right, an order repeated in the file
    // counted once (the later row wins).
    let good = format!(
        "{header}o1,c1,2024-01-01,10.00\no2,c2,2024-01-02,5.00\no3,c1,2024-01-03,7.50\no1,c1,2024-01-01,12.00\n"
    );
    let report = import(&db, ws, ImportKind::Orders, &good);
    assert!(report.committed, "{report:?}");
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM orders"), 3);
    assert!(index_sql(&db).contains("(user_id, ordered_at, amount)"), "{}", index_sql(&db));
    assert_eq!(purchases(&db, ws, "c1"), 2);
    assert_eq!(count(&db, "SELECT revenue AS n FROM users WHERE external_id = 'c1'"), 1950);

    // Every pooled connection checks foreign keys again and has its usual cache.
    for _ in 0..10 {
        assert_eq!(count(&db, "SELECT foreign_keys AS n FROM pragma_foreign_keys"), 1);
        assert_eq!(count(&db, "SELECT cache_size AS n FROM pragma_cache_size"), -65536);
    }

    // A later import into the non-empty table keeps the index (upserts o3, adds o4).
    let more = format!("{header}o3,c1,2024-01-03,8.00\no4,c3,2024-02-01,1.00\n");
    assert!(import(&db, ws, ImportKind::Orders, &more).committed);
    assert!(index_sql(&db).contains("(user_id, ordered_at, amount)"));
    assert_eq!(count(&db, "SELECT revenue AS n FROM users WHERE external_id = 'c1'"), 2000);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM orders"), 4);
}
