//! Two refreshes of one segment at once (two replicas, say), on both backends: each change of
//! membership is recorded once. The refresh claims the segment's row in its transaction, so
//! the second waits for the first and finds nothing left to move.

use db::filters::Viewer;
use db::segments::SegmentDraft;
use db::sql::{Count, Query};
use domain::import::ImportKind;
use domain::segment_events::Trigger;
use serde_json::json;

mod common;
use common::*;

fn users(countries: impl Fn(usize) -> &'static str) -> String {
    let mut csv = String::from("external_id,country\n");
    for n in 0..200 {
        csv.push_str(&format!("u{n},{}\n", countries(n)));
    }
    csv
}

#[test]
fn concurrent_refreshes_record_each_move_once() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("segments_concurrent", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "twice@segments.test");
        import_ok(db, ws, ImportKind::Users, &users(|n| if n.is_multiple_of(2) { "DE" } else { "FR" }));
        let german = json!({"match": "all", "conditions": [{"field": "user.country", "op": "eq", "value": "DE"}]});
        let draft = SegmentDraft { name: Some("German".into()), conditions: Some(german), ..SegmentDraft::default() };
        let viewer = Viewer::default();
        let id = db::segments::save(db, ws, viewer, None, draft).unwrap().id;
        // A third of the Germans move to France, and a few French to Germany.
        let before = |n: usize| n.is_multiple_of(2);
        let after = |n: usize| (n.is_multiple_of(2) && !n.is_multiple_of(3)) || n % 25 == 1;
        import_ok(db, ws, ImportKind::Users, &users(|n| if after(n) { "DE" } else { "FR" }));
        let expected_exits = (0..200).filter(|n| before(*n) && !after(*n)).count() as i64;
        let expected_entries = 100 + (0..200).filter(|n| after(*n) && !before(*n)).count() as i64;
        assert_eq!(db.read(|c| db::segments::get(c, ws, viewer, id)).unwrap().size, 100, "not refreshed yet");
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(move || db::segments::refresh(db, ws, viewer, id, Trigger::Refresh).unwrap());
            }
        });
        let count = |entered: bool| {
            let q = Query::new(format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_events WHERE segment_id = {id} AND entered = {}",
                if entered { "TRUE" } else { "FALSE" }
            ));
            db.read(|c| Ok(q.load::<Count>(c)?[0].n)).unwrap()
        };
        let label = if db.url().is_sqlite() { "sqlite" } else { "postgres" };
        assert_eq!(count(false), expected_exits, "{label}: each exit once");
        assert_eq!(count(true), expected_entries, "{label}: each entry once");
        let size = db.read(|c| db::segments::get(c, ws, viewer, id)).unwrap().size;
        assert_eq!(size, expected_entries - expected_exits, "{label}");
    }
}
