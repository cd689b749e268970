//! The users export pages over a `UserSelection` by id on both backends: pages of any size
//! concatenate to exactly the users the Users list selects, ascending, none twice, none of
//! another workspace.

use db::imports::{Format, Mode};
use db::lists::{UserListQuery, UserSelection, export_page};
use db::{Db, DbConn};
use diesel::Connection;
use diesel::connection::SimpleConnection;
use domain::import::ImportKind;

struct Backend {
    db: Db,
    drop_pg: Option<(String, String)>,
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.drop_pg
            && let Ok(mut c) = diesel::PgConnection::establish(admin)
        {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

fn backends(dir: &tempfile::TempDir) -> Vec<Backend> {
    let sqlite = Db::open(dir.path().join("a.db").to_str().unwrap()).unwrap();
    let admin =
        std::env::var("SEGMENTA_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("segmenta_lists_export_{}", std::process::id());
    let mut c = diesel::PgConnection::establish(&admin).expect("PostgreSQL at 127.0.0.1:5432");
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let url = format!("{}/{name}", &admin[..admin.rfind('/').unwrap()]);
    vec![Backend { db: sqlite, drop_pg: None }, Backend { db: Db::open(&url).unwrap(), drop_pg: Some((admin, name)) }]
}

fn workspace(db: &Db, email: &str) -> i64 {
    db.write(|c| {
        let new = db::auth::NewOperator {
            workspace_id: 0,
            email,
            name: None,
            password_hash: "x",
            role: "admin",
            created_at: db::now(),
        };
        Ok(db::auth::create_workspace(c, "W", new)?.0)
    })
    .unwrap()
}

fn import_users(db: &Db, ws: i64, csv: &str) {
    let report = db::imports::run(db, ws, ImportKind::Users, Mode::AllOrNothing, Format::Csv, csv.as_bytes()).unwrap();
    assert!(report.committed, "{report:?}");
}

/// External ids of every page of the export, in page order.
fn export_all(c: &mut DbConn, ws: i64, selection: &UserSelection, page: i64) -> Vec<(i64, String)> {
    let selected = selection.compile(c, ws).unwrap();
    let (mut out, mut after) = (Vec::new(), 0);
    loop {
        let rows = export_page(c, &selected, after, page).unwrap();
        assert!(rows.len() as i64 <= page);
        let Some(last) = rows.last() else { return out };
        after = last.id;
        out.extend(rows.into_iter().map(|r| (r.id, r.external_id)));
    }
}

/// The Users list's ids for the selection, sorted by id.
fn listed(c: &mut DbConn, ws: i64, selection: &UserSelection) -> Vec<(i64, String)> {
    let query = UserListQuery { selection: selection.clone(), limit: db::lists::MAX_LIMIT, ..UserListQuery::default() };
    let page = db::lists::users(c, ws, &query).unwrap();
    assert!(page.next.is_none(), "one page holds the fixture");
    page.rows.into_iter().map(|(u, _)| (u.id, u.external_id)).collect()
}

#[test]
fn export_pages_over_the_list_selection() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends(&dir) {
        let db = &backend.db;
        let (ws, other) = (workspace(db, "a@b.test"), workspace(db, "c@d.test"));
        let mut csv = String::from("external_id,name,country\n");
        for i in 0..25 {
            let name = if i % 3 == 0 { "Keep me" } else { "Other" };
            let country = if i % 2 == 0 { "DE" } else { "FR" };
            csv.push_str(&format!("u{i:02},{name},{country}\n"));
        }
        import_users(db, ws, &csv);
        import_users(db, other, "external_id,name,country\nx1,Keep me,DE\nx2,Keep me,FR\n");

        let german = db::filters::stored_tree(
            r#"{"match":"all","conditions":[{"field":"user.country","op":"eq","value":"DE"}]}"#,
        );
        let selections = [
            UserSelection::default(),
            UserSelection { search: Some("keep".into()), ..UserSelection::default() },
            UserSelection { trees: vec![german.clone()], ..UserSelection::default() },
            UserSelection { search: Some("KEEP".into()), trees: vec![german], segment: None },
        ];
        let expected_sizes = [25, 9, 13, 5];
        db.read(|c| {
            for (selection, size) in selections.iter().zip(expected_sizes) {
                let list = listed(c, ws, selection);
                assert_eq!(list.len(), size, "{selection:?}");
                for page in [1, 2, 7, 100] {
                    assert_eq!(export_all(c, ws, selection, page), list, "{selection:?} pages of {page}");
                }
            }
            Ok(())
        })
        .unwrap();
    }
}
