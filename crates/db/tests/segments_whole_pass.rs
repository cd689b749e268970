//! Preview and refresh of a tree that reads every user of the workspace, on both backends:
//! on SQLite such a pass reads the table over the workspace's id span, and another
//! workspace's users inside that span must not count.

use db::filters::Viewer;
use db::segments::SegmentDraft;
use domain::import::ImportKind;
use serde_json::json;

mod common;
use common::*;

#[test]
fn a_whole_pass_counts_only_the_workspace_users() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("whole_pass", &dir) {
        let db = &backend.db;
        let (a, b) = (workspace(db, "a@segments.test"), workspace(db, "b@segments.test"));
        // Imported in turns, so that the two workspaces' ids interleave.
        for round in 0..3 {
            let rows = |prefix: &str, country_of: &dyn Fn(usize) -> &'static str| {
                let mut csv = String::from("external_id,name,country\n");
                for i in 0..4 {
                    let n = round * 4 + i;
                    csv.push_str(&format!("{prefix}{n},User {n},{}\n", country_of(n)));
                }
                csv
            };
            import_ok(db, a, ImportKind::Users, &rows("a", &|n| if n % 3 == 0 { "DE" } else { "FR" }));
            import_ok(db, b, ImportKind::Users, &rows("b", &|_| "DE"));
        }
        let viewer = Viewer::default();
        let german = json!({"match": "all", "conditions": [{"field": "user.country", "op": "eq", "value": "DE"}]});
        let (counts, sample) = db::segments::preview_draft(db, a, viewer, &german).unwrap();
        assert_eq!((counts.total, counts.size), (4, 4), "{counts:?}");
        let names: Vec<_> = sample.iter().map(|(u, _)| u.external_id.as_str()).collect();
        assert_eq!(names, ["a0", "a3", "a6", "a9"]);

        let draft = SegmentDraft { name: Some("German".into()), conditions: Some(german), ..SegmentDraft::default() };
        let segment = db::segments::save(db, a, viewer, None, draft).unwrap();
        assert_eq!((segment.size, segment.refresh_error.as_deref()), (4, None));

        // A tree an index narrows down is read as the planner chooses.
        let one = json!({"match": "all", "conditions": [{"field": "user.external_id", "op": "eq", "value": "a4"}]});
        let (counts, sample) = db::segments::preview_draft(db, a, viewer, &one).unwrap();
        assert_eq!((counts.total, sample.len()), (1, 1));
        let none = json!({"match": "all", "conditions": [{"field": "user.external_id", "op": "eq", "value": "b4"}]});
        assert_eq!(db::segments::preview_draft(db, a, viewer, &none).unwrap().0.total, 0);
    }
}
