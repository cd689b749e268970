//! The users export walks a `UserSelection` in blocks of ids on both backends: blocks of any
//! size concatenate to exactly the users the Users list selects, ascending, none twice, none
//! of another workspace (whose ids lie among the workspace's own), for a search, a condition,
//! a segment and a search within a segment.

use db::DbConn;
use db::filters::Viewer;
use db::lists::{UserListQuery, UserSelection, export_block, user_id_span};
use db::segments::SegmentDraft;
use domain::import::ImportKind;

mod common;
use common::*;

/// Ids and external ids of every block of the export, in block order.
fn export_all(c: &mut DbConn, ws: i64, selection: &UserSelection, block: i64) -> Vec<(i64, String)> {
    let selected = selection.compile(c, ws).unwrap();
    let Some((lo, hi)) = user_id_span(c, ws).unwrap() else { return Vec::new() };
    let mut out = Vec::new();
    for first in (lo..=hi).step_by(block as usize) {
        let rows = export_block(c, &selected, first, first + block - 1).unwrap();
        assert!(rows.iter().all(|r| (first..first + block).contains(&r.id)));
        out.extend(rows.into_iter().map(|r| (r.id, r.external_id)));
    }
    out
}

/// The Users list's ids for the selection, sorted by id.
fn listed(c: &mut DbConn, ws: i64, selection: &UserSelection) -> Vec<(i64, String)> {
    let query = UserListQuery { selection: selection.clone(), limit: db::lists::MAX_LIMIT, ..UserListQuery::default() };
    let page = db::lists::users(c, ws, &query).unwrap();
    assert!(page.next.is_none(), "one page holds the fixture");
    page.rows.into_iter().map(|(u, _)| (u.id, u.external_id)).collect()
}

#[test]
fn export_blocks_cover_the_list_selection() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("lists_export", &dir) {
        let db = &backend.db;
        let (ws, other) = (workspace(db, "a@b.test"), workspace(db, "c@d.test"));
        let mut csv = String::from("external_id,name,country\n");
        for i in 0..25 {
            let name = if i % 3 == 0 { "Keep me" } else { "Other" };
            let country = if i % 2 == 0 { "DE" } else { "FR" };
            csv.push_str(&format!("u{i:02},{name},{country}\n"));
        }
        import_ok(db, ws, ImportKind::Users, &csv);
        import_ok(db, other, ImportKind::Users, "external_id,name,country\nx1,Keep me,DE\nx2,Keep me,FR\n");
        import_ok(db, ws, ImportKind::Users, "external_id,name,country\nu25,Keep me,DE\n");

        let german = db::filters::stored_tree(
            r#"{"match":"all","conditions":[{"field":"user.country","op":"eq","value":"DE"}]}"#,
        );
        let draft = SegmentDraft {
            name: Some("German".into()),
            conditions: Some(serde_json::json!({"match": "all", "conditions": [
                {"field": "user.country", "op": "eq", "value": "DE"}
            ]})),
            ..SegmentDraft::default()
        };
        let de = Some(db::segments::save(db, ws, Viewer::default(), None, draft).unwrap().id);
        let selections = [
            UserSelection::default(),
            UserSelection { search: Some("keep".into()), ..UserSelection::default() },
            UserSelection { trees: vec![german.clone()], ..UserSelection::default() },
            UserSelection { search: Some("KEEP".into()), trees: vec![german], segment: None },
            UserSelection { segment: de, ..UserSelection::default() },
            UserSelection { search: Some("keep".into()), segment: de, ..UserSelection::default() },
        ];
        let expected_sizes = [26, 10, 14, 6, 14, 6];
        db.read(|c| {
            for (selection, size) in selections.iter().zip(expected_sizes) {
                let list = listed(c, ws, selection);
                assert_eq!(list.len(), size, "{selection:?}");
                for block in [1, 2, 7, 100] {
                    assert_eq!(export_all(c, ws, selection, block), list, "{selection:?} blocks of {block}");
                }
            }
            Ok(())
        })
        .unwrap();
    }
}
