//! Migrations go up, down and up again on both backends.

use diesel::Connection;
use diesel::connection::SimpleConnection;

#[test]
fn migrations_up_down_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let db = db::Db::open(path.to_str().unwrap()).unwrap();
    db.revert_all().unwrap();
    db.migrate().unwrap();

    let admin_url =
        std::env::var("SEGMENTA_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("segmenta_migrations_{}", std::process::id());
    let mut admin = diesel::PgConnection::establish(&admin_url).expect("PostgreSQL at 127.0.0.1:5432");
    // one statement per call: DROP/CREATE DATABASE cannot share a (implicit) transaction
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let url = format!("{}/{name}", &admin_url[..admin_url.rfind('/').unwrap()]);
    {
        let pg = db::Db::open(&url).unwrap();
        pg.revert_all().unwrap();
        pg.migrate().unwrap();
    }
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).unwrap();
}
