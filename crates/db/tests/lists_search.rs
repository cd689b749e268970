//! Search in the Users list on both backends: a search finds exactly the users whose name,
//! email, external id or company name contains the text, ignoring case, in id order page by
//! page (both directions) with its total, and keeps doing so as users and companies are
//! renamed, moved, re-imported and deleted, with users in another workspace and without. The
//! expectation is computed here from the rows themselves.

use db::lists::{Cursor, Total, UserListQuery, UserSelection};
use db::people::{CompanyChanges, UserChanges};
use diesel::prelude::*;
use domain::import::ImportKind;

mod common;
use common::*;

/// A user's id and the texts a search reads: name, email, external id, company name.
type SearchedRow = (i64, Option<String>, Option<String>, String, Option<String>);

/// The ids of the workspace's users whose texts contain `q` (ignoring ASCII case), ascending.
fn expected(db: &db::Db, ws: i64, q: &str) -> Vec<i64> {
    let rows: Vec<SearchedRow> = db
        .read(|c| {
            use db::schema::{companies, users};
            Ok(users::table
                .left_join(companies::table)
                .filter(users::workspace_id.eq(ws))
                .select((users::id, users::name, users::email, users::external_id, companies::name.nullable()))
                .order(users::id)
                .load(c)?)
        })
        .unwrap();
    let q = q.to_lowercase();
    rows.into_iter()
        .filter(|(_, name, email, external, company)| {
            [name.as_deref(), email.as_deref(), Some(external.as_str()), company.as_deref()]
                .into_iter()
                .flatten()
                .any(|text| text.to_lowercase().contains(&q))
        })
        .map(|row| row.0)
        .collect()
}

/// Every page of the search in id order, `limit` rows at a time; the first page's total.
fn listed(db: &db::Db, ws: i64, q: &str, desc: bool, limit: i64, total: Total) -> (Vec<i64>, Option<i64>) {
    let selection = UserSelection { search: Some(q.into()), ..UserSelection::default() };
    let (mut ids, mut after, mut first_total) = (Vec::new(), None::<Cursor>, None);
    loop {
        let query =
            UserListQuery { selection: selection.clone(), desc, after, limit, total, ..UserListQuery::default() };
        let page = db.read(|c| db::lists::users(c, ws, &query)).unwrap();
        if ids.is_empty() {
            first_total = page.total;
        }
        ids.extend(page.rows.iter().map(|(u, _)| u.id));
        match page.next {
            Some(next) => after = Some(next),
            None => return (ids, first_total),
        }
    }
}

fn check(db: &db::Db, ws: i64, q: &str, step: &str) {
    let label = if db.url().is_sqlite() { "SQLite" } else { "PostgreSQL" };
    let want = expected(db, ws, q);
    let (asc, total) = listed(db, ws, q, false, 4, Total::Exact);
    assert_eq!(asc, want, "{label}, {step}: q={q}");
    assert_eq!(total, Some(want.len() as i64), "{label}, {step}: q={q}");
    let (mut desc, bounded) = listed(db, ws, q, true, 3, Total::UpTo(5));
    desc.reverse();
    assert_eq!(desc, want, "{label}, {step}: q={q} descending");
    let bounded_want = (want.len() <= 5).then_some(want.len() as i64);
    assert_eq!(bounded, bounded_want, "{label}, {step}: q={q} bounded total");
}

#[test]
fn search_follows_users_and_companies() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("lists_search", &dir) {
        let db = &backend.db;
        let (ws, other) = (workspace(db, "a@search.test"), workspace(db, "b@search.test"));
        import_ok(db, ws, ImportKind::Companies, "external_id,name\nc1,Northwind Traders\nc2,Blue Harbor\n");
        let mut csv = String::from("external_id,name,email,company_id\n");
        for i in 0..24 {
            let company = ["c1", "", "c2"][i % 3];
            csv.push_str(&format!("u{i:02},Person {i},p{i}@mail.test,{company}\n"));
        }
        csv.push_str("ann,Anna North,anna@windmill.test,\n");
        import_ok(db, ws, ImportKind::Users, &csv);
        // Another workspace's users match too, and must not show.
        import_ok(db, other, ImportKind::Companies, "external_id,name\nk1,Northwind\n");
        import_ok(db, other, ImportKind::Users, "external_id,name,company_id\nx1,Northwind Fan,k1\nx2,Person 1,\n");

        let queries =
            ["northwind", "NORTH", "harbor", "person 1", "mail.test", "u0", "windmill", "nobody", "H", "2", "zz"];
        let all = |step: &str| {
            for q in queries {
                check(db, ws, q, step);
            }
        };
        all("imported");
        check(db, other, "northwind", "the other workspace");
        check(db, other, "person 1", "the other workspace");

        let id_of = |external: &str| -> i64 {
            db.read(|c| {
                use db::schema::users::dsl::*;
                Ok(users.filter(workspace_id.eq(ws)).filter(external_id.eq(external)).select(id).first(c)?)
            })
            .unwrap()
        };
        let company = |external: &str| db.write(|c| db::people::company_id_for(c, ws, external)).unwrap();
        let (c1, c2) = (company("c1"), company("c2"));

        // A company renamed: its users are found by the new name, not the old.
        let rename = CompanyChanges { name: Some(Some("Southwind Shipping".into())), ..CompanyChanges::default() };
        db.write(|c| db::people::update_company(c, ws, c1, rename, None)).unwrap();
        check(db, ws, "southwind", "company renamed");
        all("company renamed");

        // A user moved to another company, and a user renamed.
        let moved = UserChanges { company_id: Some(Some(c2)), ..UserChanges::default() };
        db.write(|c| db::people::update_user(c, ws, id_of("u00"), moved, None)).unwrap();
        let renamed = UserChanges { name: Some(Some("Zed Northwind".into())), ..UserChanges::default() };
        db.write(|c| db::people::update_user(c, ws, id_of("u01"), renamed, None)).unwrap();
        check(db, ws, "southwind", "user moved");
        all("user moved and renamed");

        // A company renamed by a re-import, another left as it was.
        import_ok(db, ws, ImportKind::Companies, "external_id,name\nc1,Eastwind\nc2,Blue Harbor\n");
        check(db, ws, "eastwind", "re-imported");
        check(db, ws, "southwind", "re-imported");
        all("re-imported");

        // A company and a user deleted.
        db.write(|c| db::people::delete_company(c, ws, c2)).unwrap();
        db.write(|c| db::people::delete_user(c, ws, id_of("u03"))).unwrap();
        all("deleted");
        assert!(listed(db, ws, "harbor", false, 10, Total::Exact).0.is_empty());

        // The other workspace's users gone: this workspace holds every user (on SQLite a
        // search then counts its matches without looking up their workspace).
        for external in ["x1", "x2"] {
            let id = db
                .read(|c| {
                    use db::schema::users::dsl::*;
                    Ok(users.filter(workspace_id.eq(other)).filter(external_id.eq(external)).select(id).first(c)?)
                })
                .unwrap();
            db.write(|c| db::people::delete_user(c, other, id)).unwrap();
        }
        all("the only workspace with users");
    }
}
