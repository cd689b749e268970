//! The Users list's `total` on both backends: a bounded count gives the number of matching
//! users up to 1 000 (none beyond), an exact one always; a segment's total counts its
//! memberships, which follow a user's deletion.

use db::filters::Viewer;
use db::lists::{Total, UserListQuery, UserSelection};
use db::segments::SegmentDraft;
use diesel::prelude::*;
use domain::import::ImportKind;
use serde_json::json;

mod common;
use common::*;

#[test]
fn first_pages_count_up_to_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("lists_totals", &dir) {
        let db = &backend.db;
        let (ws, other) = (workspace(db, "a@totals.test"), workspace(db, "b@totals.test"));
        let mut csv = String::from("external_id,name,country\n");
        for i in 0..1_005 {
            csv.push_str(&format!("u{i:04},User {i},{}\n", if i % 2 == 0 { "DE" } else { "FR" }));
        }
        import_ok(db, ws, ImportKind::Users, &csv);
        import_ok(db, other, ImportKind::Users, "external_id,country\nx1,DE\nx2,DE\n");
        let viewer = Viewer::default();
        let german = json!({"match": "all", "conditions": [{"field": "user.country", "op": "eq", "value": "DE"}]});
        let save = |name: &str, tree: serde_json::Value| {
            let draft = SegmentDraft { name: Some(name.into()), conditions: Some(tree), ..SegmentDraft::default() };
            db::segments::save(db, ws, viewer, None, draft).unwrap().id
        };
        let de = save("German", german.clone());
        let everyone = save("Everyone", json!({"match": "all", "conditions": []}));

        let total = |selection: UserSelection, total: Total, limit: i64| {
            let query = UserListQuery { selection, limit, total, ..UserListQuery::default() };
            db.read(|c| db::lists::users(c, ws, &query)).unwrap().total
        };
        let all = UserSelection::default();
        let in_segment = |id| UserSelection { segment: Some(id), ..UserSelection::default() };
        let tree = db.read(|c| db::filters::parse_tree(c, ws, viewer, &german)).unwrap();
        let filtered = UserSelection { trees: vec![tree], ..UserSelection::default() };
        let searched = UserSelection { search: Some("User 10".into()), segment: Some(de), ..UserSelection::default() };

        let bound = Total::UpTo(db::lists::CHEAP_TOTAL);
        let label = if db.url().is_sqlite() { "SQLite" } else { "PostgreSQL" };
        assert_eq!(total(all.clone(), bound, 10), None, "{label}: more than the bound");
        assert_eq!(total(all, Total::Exact, 10), Some(1_005), "{label}");
        assert_eq!(total(in_segment(de), bound, 10), Some(503), "{label}");
        assert_eq!(total(in_segment(everyone), bound, 10), None, "{label}");
        assert_eq!(total(in_segment(everyone), Total::Exact, 10), Some(1_005), "{label}");
        assert_eq!(total(filtered.clone(), bound, 10), Some(503), "{label}");
        // "User 10", "User 100" to "User 109", "User 1000" to "User 1004": the even ones.
        assert_eq!(total(searched.clone(), bound, 3), Some(9), "{label}");
        assert_eq!(total(searched.clone(), bound, 200), Some(9), "{label}: a short page");
        // And those very users, in id order.
        let query = UserListQuery { selection: searched, limit: 200, ..UserListQuery::default() };
        let page = db.read(|c| db::lists::users(c, ws, &query)).unwrap();
        let listed: Vec<String> = page.rows.iter().map(|(u, _)| u.external_id.clone()).collect();
        let want = ["u0010", "u0100", "u0102", "u0104", "u0106", "u0108", "u1000", "u1002", "u1004"];
        assert_eq!(listed, want, "{label}: searched within the segment");

        let first_german: i64 = db
            .read(|c| {
                use db::schema::users::dsl::*;
                Ok(users.filter(workspace_id.eq(ws)).filter(external_id.eq("u0000")).select(id).first(c)?)
            })
            .unwrap();
        db.write(|c| db::people::delete_user(c, ws, first_german)).unwrap();
        assert_eq!(total(in_segment(de), bound, 10), Some(502), "{label}: the deleted user left");
        assert_eq!(total(filtered, bound, 10), Some(502), "{label}");
    }
}
