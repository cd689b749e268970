//! The in-memory user columns of the dashboard counts, on both backends: they hold what the
//! users table holds for every user of their workspace (and only its users), and they follow
//! every change to users: imports, users written one by one, rescoring, company and user
//! deletion.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use db::people::UserChanges;
use db::{Db, DbConn};
use diesel::prelude::*;
use domain::import::ImportKind;
use domain::rfm::RfmSegment;
use engine::user_columns::UserColumns;

mod common;
use common::*;

type UserRow = (
    i64,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<i64>,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    (Option<i32>, Option<i32>, Option<i32>),
    Option<String>,
);

/// A user's row, then email, email consent, phone, SMS consent.
type ContactRow = (UserRow, Option<String>, Option<bool>, Option<String>, Option<bool>);

/// Every user of the workspace as the users table holds it, with its reachability as the
/// columns' definition has it, ascending by id.
fn table_rows(conn: &mut DbConn, ws: i64) -> Vec<(UserRow, bool, bool)> {
    use db::schema::users::dsl::*;
    let rows: Vec<ContactRow> = users
        .filter(workspace_id.eq(ws))
        .order(id)
        .select((
            (
                id,
                created_at,
                last_seen_at,
                churned_at,
                company_id,
                health_score,
                engagement_score,
                fit_score,
                (r_score, f_score, m_score),
                rfm_segment,
            ),
            email,
            email_consent,
            phone,
            sms_consent,
        ))
        .load(conn)
        .unwrap();
    rows.into_iter()
        .map(|(row, address, email_ok, number, sms_ok)| {
            let email_ok = email_ok == Some(true) && address.as_deref().is_some_and(domain::import::is_valid_email);
            let sms_ok = sms_ok == Some(true) && number.as_deref().is_some_and(|p| !p.is_empty());
            (row, email_ok, sms_ok)
        })
        .collect()
}

/// The columns agree with the table, user by user.
fn assert_columns_match(db: &Db, ws: i64, columns: &UserColumns) {
    let rows = db.read(|c| Ok(table_rows(c, ws))).unwrap();
    assert_eq!(columns.len(), rows.len());
    for (i, ((id, created, seen, churned, company, health, engagement, fit, (r, f, m), segment), email, sms)) in
        rows.into_iter().enumerate()
    {
        let u = columns.get(i);
        let score = |v: Option<i32>| v.map(|v| u8::try_from(v).unwrap());
        assert_eq!(u.id, id);
        assert_eq!(u.created, created, "user {id}");
        assert_eq!(u.last_seen, seen, "user {id}");
        assert_eq!(u.churned, churned.is_some(), "user {id}");
        assert_eq!((u.email_reachable, u.sms_reachable), (email, sms), "user {id}");
        assert_eq!(u.company_id, company, "user {id}");
        assert_eq!((u.health, u.engagement, u.fit), (score(health), score(engagement), score(fit)), "user {id}");
        let rfm = match (score(r), score(f), score(m)) {
            (Some(r), Some(f), Some(m)) => Some((r, f, m)),
            _ => None,
        };
        assert_eq!(u.rfm, rfm, "user {id}");
        assert_eq!(u.segment, segment.as_deref().and_then(RfmSegment::from_key), "user {id}");
    }
}

fn user_id(db: &Db, ws: i64, external: &str) -> i64 {
    db.read(|c| {
        use db::schema::users;
        Ok(users::table
            .filter(users::workspace_id.eq(ws).and(users::external_id.eq(external)))
            .select(users::id)
            .first(c)?)
    })
    .unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn user_columns_hold_the_table_and_follow_every_change() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("user_columns", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        let other = workspace(db, "c@d.test");
        import_ok(db, ws, ImportKind::Companies, "external_id,name,arr\nc1,Acme,1200.00\nc2,Beta,\n");
        import_ok(
            db,
            ws,
            ImportKind::Users,
            "external_id,email,phone,email_consent,sms_consent,company_id,created_at,last_seen_at,churned_at\n\
             a,a@x.io,,true,false,c1,2024-01-05T10:00:00Z,2024-06-01T08:30:15Z,\n\
             b,not-an-address,+4912345,true,true,c2,1969-12-31T23:59:59Z,,2024-03-01T00:00:00Z\n\
             c,c@x.io,+4912345,false,true,,,,\n\
             d,,,,,,2024-06-19T23:59:59Z,2024-06-20T00:00:00Z,\n",
        );
        import_ok(db, other, ImportKind::Users, "external_id,email\nx,x@x.io\n");
        import_ok(
            db,
            ws,
            ImportKind::Orders,
            "order_id,customer_id,ordered_at,amount\n\
             o1,a,2024-05-05T10:00:00Z,10.00\n\
             o2,b,2024-02-05T10:00:00Z,20.00\n\
             o3,c,2024-06-01T10:00:00Z,5.00\n",
        );

        let first = engine::user_columns(db, ws).unwrap();
        assert_eq!(first.len(), 4, "its own workspace's users only");
        assert_eq!(engine::user_columns(db, other).unwrap().len(), 1);
        assert!(Arc::ptr_eq(&first, &engine::user_columns(db, ws).unwrap()), "nothing changed: the same columns");
        assert_columns_match(db, ws, &first);
        let b = first.get(1);
        assert!(!b.email_reachable && b.sms_reachable && b.churned, "{b:?}");
        assert_eq!(b.created, Some(at("1969-12-31 23:59:59")));
        assert!(
            first.created_since(3, at("2024-06-19 23:59:59")) && !first.created_since(3, at("2024-06-20 00:00:00"))
        );
        assert!(first.seen_since(3, at("2024-06-20 00:00:00")) && !first.seen_since(1, at("1900-01-01 00:00:00")));

        // Rescoring writes scores: the columns follow.
        rescore(db, ws, at("2024-06-20 12:00:00"));
        let scored = engine::user_columns(db, ws).unwrap();
        assert!(scored.version() > first.version());
        assert_columns_match(db, ws, &scored);
        assert!(scored.get(0).rfm.is_some() && scored.get(0).health.is_some());
        // A rescoring that changes nothing leaves them be.
        rescore(db, ws, at("2024-06-20 12:00:00"));
        assert!(Arc::ptr_eq(&scored, &engine::user_columns(db, ws).unwrap()));

        // A user written one by one.
        let d = user_id(db, ws, "d");
        let changes = UserChanges {
            email: Some(Some("d@x.io".into())),
            email_consent: Some(Some(true)),
            churned_at: Some(Some(at("2024-06-20 10:00:00"))),
            ..UserChanges::default()
        };
        db.write(|c| db::people::update_user(c, ws, d, changes, None)).unwrap();
        let edited = engine::user_columns(db, ws).unwrap();
        assert!(edited.get(3).email_reachable && edited.get(3).churned);
        assert_columns_match(db, ws, &edited);
        let created = UserChanges {
            created_at: Some(Some(NaiveDate::from_ymd_opt(2024, 6, 20).unwrap().and_hms_opt(9, 0, 0).unwrap())),
            ..UserChanges::default()
        };
        db.write(|c| db::people::create_user(c, ws, "e", created)).unwrap();
        let grown = engine::user_columns(db, ws).unwrap();
        assert_eq!(grown.len(), 5);
        assert_columns_match(db, ws, &grown);

        // Deleting a company takes it off its users; deleting a user takes them out.
        let a = user_id(db, ws, "a");
        let acme = grown.get(0).company_id.expect("a works at c1");
        db.write(|c| db::people::delete_company(c, ws, acme)).unwrap();
        let orphaned = engine::user_columns(db, ws).unwrap();
        assert_eq!(orphaned.get(0).company_id, None);
        assert_columns_match(db, ws, &orphaned);
        db.write(|c| db::people::delete_user(c, ws, a)).unwrap();
        let fewer = engine::user_columns(db, ws).unwrap();
        assert_eq!(fewer.len(), 4);
        assert!(!fewer.ids().contains(&a));
        assert_columns_match(db, ws, &fewer);

        // An import moves them too.
        import_ok(db, ws, ImportKind::Users, "external_id,email,email_consent\nf,f@x.io,true\n");
        let imported = engine::user_columns(db, ws).unwrap();
        assert_eq!(imported.len(), 5);
        assert_columns_match(db, ws, &imported);
    }
}
