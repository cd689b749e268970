//! Migrations go up, down and up again on both backends.

mod common;

#[test]
fn migrations_up_down_up() {
    let dir = tempfile::tempdir().unwrap();
    for backend in common::backends("migrations", &dir) {
        backend.db.revert_all().unwrap();
        backend.db.migrate().unwrap();
    }
}
