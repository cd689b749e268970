//! Backups of a SQLite database while it is written, and restoring them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use db::Db;
use db::testing::{import_ok, workspace};
use diesel::prelude::*;
use domain::import::ImportKind;

fn users(db: &Db) -> i64 {
    db.read(|c| Ok(db::schema::users::table.count().get_result::<i64>(c)?)).unwrap()
}

fn csv(from: usize, to: usize) -> String {
    let mut csv = String::from("external_id,email\n");
    for i in from..to {
        csv.push_str(&format!("u{i},u{i}@shop.test\n"));
    }
    csv
}

#[test]
fn a_backup_taken_while_imports_commit_is_whole_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    let db = Db::open(path.to_str().unwrap()).unwrap();
    let ws = workspace(&db, "owner@shop.test");
    import_ok(&db, ws, ImportKind::Users, &csv(0, 1000));

    // imports of 500 users each keep committing while the backup is taken
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut next = 1000;
            while !stop.load(Ordering::Relaxed) {
                import_ok(&db, ws, ImportKind::Users, &csv(next, next + 500));
                next += 500;
            }
            next
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let file = dir.path().join("backup.db");
    let bytes = db::backup::backup(&db, &file).unwrap();
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(bytes > 0 && file.is_file());
    assert!(!dir.path().join("backup.db.partial").exists());

    // the backup holds whole imports: a multiple of 500 users beyond the first 1000
    let copy = Db::open(file.to_str().unwrap()).unwrap();
    let in_backup = users(&copy);
    assert!(in_backup >= 1000 && in_backup < written as i64 && (in_backup - 1000) % 500 == 0, "{in_backup}");
    drop(copy);

    // a backup never overwrites a file
    let err = db::backup::backup(&db, &file).unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");

    // restored over the live database (its server stopped), the data is the backup's
    drop(db);
    db::backup::restore(&file, path.to_str().unwrap()).unwrap();
    let restored = Db::open(path.to_str().unwrap()).unwrap();
    assert_eq!(users(&restored), in_backup);
}

#[test]
fn a_restore_refuses_what_is_not_a_sound_segmenta_database() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.db");
    let target_url = target.to_str().unwrap();

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, but long enough to have a header of sorts").unwrap();
    let err = db::backup::restore(&text, target_url).unwrap_err();
    assert!(err.to_string().contains("not a SQLite database"), "{err}");

    let other = dir.path().join("other.db");
    let mut c = diesel::SqliteConnection::establish(other.to_str().unwrap()).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut c, "CREATE TABLE t (x INTEGER)").unwrap();
    drop(c);
    let err = db::backup::restore(&other, target_url).unwrap_err();
    assert!(err.to_string().contains("not a segmenta database"), "{err}");

    let missing = dir.path().join("missing.db");
    assert!(db::backup::restore(&missing, target_url).is_err());
    assert!(!target.exists(), "nothing was put in place");

    let err = db::backup::restore(&other, "postgres://postgres@127.0.0.1:5432/postgres").unwrap_err();
    assert!(err.to_string().contains("pg_dump"), "{err}");
}
