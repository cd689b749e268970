//! The rescoring run and the SQL helpers of `engine::analytics`, on both backends: preferred
//! purchase day, unchanged users not rewritten, RFM from the maintained aggregates equal to
//! RFM recomputed from orders, and the generated `email_reachable` column equal to
//! `domain::import::is_valid_email` on every short string over a tricky alphabet.

use chrono::{NaiveDate, NaiveDateTime};
use db::DbConn;
use db::sql::{Param, Query};
use diesel::QueryableByName;
use diesel::sql_types::{Nullable, Text};
use domain::import::ImportKind;
use domain::rfm::RfmScoring;
use domain::segment_events::Trigger;
use engine::analytics::rfm_as_of;

mod common;
use common::*;

#[derive(QueryableByName, Debug)]
struct DayRow {
    #[diesel(sql_type = Text)]
    external_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    preferred_day: Option<String>,
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn rescoring_writes_scores_and_preferred_days_once() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("rescore", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        // 2024-06-03 is a Monday.
        import_ok(
            db,
            ws,
            ImportKind::Orders,
            "order_id,customer_id,ordered_at,amount\n\
             1,a,2024-06-03,10\n2,a,2024-06-10T23:30:00Z,10\n3,a,2024-06-05,10\n4,a,2024-06-07,-10\n\
             5,b,2024-06-04,10\n6,b,2024-06-07,10\n\
             7,c,2024-06-04,-5\n\
             8,d,2024-06-09,0\n9,d,2024-06-09,30\n",
        );
        import_ok(db, ws, ImportKind::Users, "external_id,email\ne,e@x.io\n");
        let now = at("2024-06-20 12:00:00");
        let stats = rescore(db, ws, now);
        assert_eq!(
            (stats.users, stats.rfm_scored, stats.written),
            (5, 3, 5),
            "a, b, d scored; c only refunded; e no orders"
        );
        let rows: Vec<DayRow> = db
            .read(|c| Ok(Query::new("SELECT external_id, preferred_day FROM users ORDER BY external_id").load(c)?))
            .unwrap();
        let days: Vec<(&str, Option<&str>)> =
            rows.iter().map(|r| (r.external_id.as_str(), r.preferred_day.as_deref())).collect();
        // a: Mon ×2, Wed (the refund on Friday is not a purchase); b: Tue and Fri tie → the
        // earlier; d: Sunday (the zero order is not a purchase).
        assert_eq!(
            days,
            [("a", Some("monday")), ("b", Some("tuesday")), ("c", None), ("d", Some("sunday")), ("e", None)]
        );

        // Nothing changed: nothing written.
        let again = rescore(db, ws, now);
        assert_eq!(again.written, 0);

        // Without a window and with a window longer than the history, RFM agrees, on the last
        // order day and after it.
        for as_of in [NaiveDate::from_ymd_opt(2024, 6, 10).unwrap(), NaiveDate::from_ymd_opt(2024, 7, 1).unwrap()] {
            let (a, b) = db
                .read(|c| {
                    Ok((
                        rfm_as_of(c, &*engine::order_history(db, ws)?, ws, as_of, None, &RfmScoring::Ranked)?,
                        rfm_as_of(c, &*engine::order_history(db, ws)?, ws, as_of, Some(3650), &RfmScoring::Ranked)?,
                    ))
                })
                .unwrap();
            assert_eq!(a, b, "{as_of}");
            assert_eq!(a.iter().filter(|(_, s)| s.is_some()).count(), 3);
        }
        // Before the last order: d's purchase on the 9th is out.
        let before = db
            .read(|c| {
                rfm_as_of(
                    c,
                    &*engine::order_history(db, ws)?,
                    ws,
                    NaiveDate::from_ymd_opt(2024, 6, 8).unwrap(),
                    None,
                    &RfmScoring::Ranked,
                )
            })
            .unwrap();
        let scored: Vec<i64> = before.iter().filter_map(|(_, s)| s.map(|s| s.frequency)).collect();
        assert_eq!(scored, [2, 2], "a: 3rd and 5th; b: 4th and 7th");
    }
}

fn emails() -> Vec<String> {
    const ALPHABET: [char; 5] = ['a', '@', '.', ' ', '\u{a0}'];
    let mut out = vec![String::new()];
    let mut frontier = vec![String::new()];
    for _ in 0..6 {
        let mut next = Vec::new();
        for s in &frontier {
            for c in ALPHABET {
                let mut t = s.clone();
                t.push(c);
                next.push(t);
            }
        }
        out.extend(next.iter().cloned());
        frontier = next;
    }
    out.extend(
        [
            "ann@example.com",
            "a b@x.com",
            "a@b.c\u{2003}",
            "a@b.c\t",
            "a\n@b.c",
            "a@b\u{3000}.c",
            "é@ü.de",
            "x@y.z.",
            "x@.yz",
            "%@_.%",
        ]
        .map(String::from),
    );
    out
}

#[test]
fn email_reachable_column_matches_the_domain() {
    let dir = tempfile::tempdir().unwrap();
    let emails = emails();
    for backend in backends("email", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        db.write(|c: &mut DbConn| {
            for (chunk_no, chunk) in emails.chunks(500).enumerate() {
                let mut q = Query::new(
                    "INSERT INTO users (id, workspace_id, external_id, email, email_consent, updated_at) VALUES ",
                );
                for (i, e) in chunk.iter().enumerate() {
                    let id = Param::I64(Some((chunk_no * 500 + i) as i64 + 1));
                    if i > 0 {
                        q.push(", ");
                    }
                    q.push("(").bind(id.clone()).push(", ").bind(Param::I64(Some(ws))).push(", ");
                    q.bind(Param::text(format!("u{i}-{chunk_no}"))).push(", ").bind(Param::text(e.as_str()));
                    q.push(", ")
                        .bind(Param::Bool(Some(true)))
                        .push(", ")
                        .bind(Param::Ts(Some(at("2024-01-01 00:00:00"))));
                    q.push(")");
                }
                q.execute(c)?;
            }
            Ok(())
        })
        .unwrap();
        let valid: Vec<i64> = db
            .read(|c| {
                Ok(Query::new("SELECT id - 1 AS n FROM users WHERE email_reachable ORDER BY id")
                    .load::<db::sql::Count>(c)?)
            })
            .unwrap()
            .into_iter()
            .map(|c| c.n)
            .collect();
        let expected: Vec<i64> = emails
            .iter()
            .enumerate()
            .filter(|(_, e)| domain::import::is_valid_email(e))
            .map(|(i, _)| i as i64)
            .collect();
        assert!(expected.len() > 10, "the alphabet makes valid addresses too");
        assert_eq!(valid, expected);
    }
}

/// RFM as of the rescoring's date is read from the stored scores, and equals RFM recomputed;
/// any import or settings change, another date or other settings recompute it.
#[test]
fn stored_rfm_serves_only_while_current() {
    use engine::analytics::{computed_rfm, rfm_scores, stored_serve};
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("stored_rfm", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        // 40 customers with 1 to 7 orders of varied amounts and dates, refunds among them.
        let mut csv = String::from("order_id,customer_id,ordered_at,amount\n");
        let mut n = 0;
        for customer in 0..40 {
            for k in 0..(1 + customer * 7 % 7) {
                n += 1;
                let day = 1 + (customer * 13 + k * 5) % 28;
                let amount = if (customer + k) % 9 == 0 { -5 } else { 5 + (customer * 31 + k * 17) % 200 };
                csv.push_str(&format!("{n},c{customer},2024-05-{day:02},{amount}\n"));
            }
        }
        import_ok(db, ws, ImportKind::Orders, &csv);
        let today = NaiveDate::from_ymd_opt(2024, 6, 20).unwrap();
        rescore(db, ws, at("2024-06-20 08:00:00"));
        let ranked = RfmScoring::Ranked;
        let serves =
            |as_of: NaiveDate, window: Option<u32>| db.read(|c| stored_serve(c, ws, as_of, window, &ranked)).unwrap();

        assert!(serves(today, None));
        let (served, computed) = db
            .read(|c| {
                Ok((
                    rfm_scores(c, &*engine::order_history(db, ws)?, ws, today, None, &ranked)?,
                    computed_rfm(&*engine::order_history(db, ws)?, today, None, &ranked),
                ))
            })
            .unwrap();
        assert!(served.len() > 30, "{}", served.len());
        assert_eq!(served, computed);
        assert!(!serves(today.succ_opt().unwrap(), None), "another date");
        assert!(!serves(today, Some(30)), "other settings");

        // An import makes them stale until the next rescoring; so does a settings change.
        import_ok(db, ws, ImportKind::Users, "external_id,email\nz,z@x.io\n");
        assert!(!serves(today, None));
        rescore(db, ws, at("2024-06-20 09:00:00"));
        assert!(serves(today, None));
        db.write(|c| db::settings::update_general(c, ws, &db::settings::GeneralChanges::default())).unwrap();
        assert!(!serves(today, None));
    }
}

/// The daily run rescores a workspace whose stored scores are not as of today, once.
#[test]
fn daily_run_rescores_stale_workspaces_once() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("rescore_stale", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        import_ok(db, ws, ImportKind::Orders, "order_id,customer_id,ordered_at,amount\n1,a,2024-06-03,10\n");
        // Scores as of another day (and none at all after the import) are stale.
        rescore(db, ws, at("2024-06-20 08:00:00"));
        assert_eq!(engine::refresh::rescore_stale(db).unwrap().rescored, [ws]);
        let today = db::now().date();
        let serves = db.read(|c| engine::analytics::stored_serve(c, ws, today, None, &RfmScoring::Ranked)).unwrap();
        assert!(serves, "scores as of today after the daily run");
        assert!(engine::refresh::rescore_stale(db).unwrap().rescored.is_empty(), "not twice a day");
    }
}

/// Moves the recorded failure back in time, as the minutes before its retry would.
fn failed_long_ago(db: &db::Db, ws: i64) {
    db.write(|c| {
        let mut q = Query::new("UPDATE settings SET scoring_failed_at = ");
        q.bind(Param::Ts(Some(at("2000-01-01 00:00:00")))).push(" WHERE workspace_id = ").bind(Param::I64(Some(ws)));
        Ok(q.execute(c)?)
    })
    .unwrap();
}

/// A scoring run that fails leaves the imported data in place, is recorded with its error
/// (state `failed`, failures counted, a retry time), is not retried before that time, and is
/// retried by the schedule after it; a success clears the failure. Other workspaces are scored
/// meanwhile.
#[test]
fn a_failed_scoring_run_is_recorded_and_retried() {
    use domain::scoring_run::ScoringState;
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("scoring_fails", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        let other = workspace(db, "c@d.test");
        db::faults::break_scoring(db).unwrap();
        import_ok(db, ws, ImportKind::Orders, "order_id,customer_id,ordered_at,amount\n1,a,2024-06-03,10\n");
        let error =
            engine::refresh::after_data_change(db, ws, Trigger::Import(ImportKind::Orders)).unwrap_err().to_string();
        assert!(error.contains("scoring breaks here"), "{error}");

        let run = engine::refresh::scoring_run(db, ws).unwrap();
        let now = db::now();
        assert_eq!(run.state(now.date()), ScoringState::Failed);
        assert!(run.error.as_deref().is_some_and(|e| e.contains("scoring breaks here")), "{run:?}");
        assert_eq!(run.failures, 1);
        assert!(run.next_retry_at().is_some_and(|t| t > now), "{run:?}");
        let purchases: Vec<(i64,)> = db
            .read(|c| Ok(Query::new("SELECT purchases FROM users").load_typed::<(diesel::sql_types::BigInt,), _>(c)?))
            .unwrap();
        assert_eq!(purchases, [(1,)], "the import stays committed");

        // Before its retry time the schedule leaves it; the other workspace has nothing to write.
        let pass = engine::refresh::rescore_stale(db).unwrap();
        assert_eq!((pass.rescored, pass.failed), (vec![other], vec![]));

        // Retried and failing again: counted.
        failed_long_ago(db, ws);
        let pass = engine::refresh::rescore_stale(db).unwrap();
        assert_eq!((pass.rescored, pass.failed), (vec![], vec![ws]));
        assert_eq!(engine::refresh::scoring_run(db, ws).unwrap().failures, 2);

        // Mended: the next retry scores the workspace and clears the failure.
        db::faults::mend_scoring(db).unwrap();
        failed_long_ago(db, ws);
        let pass = engine::refresh::rescore_stale(db).unwrap();
        assert_eq!((pass.rescored, pass.failed), (vec![ws], vec![]));
        let run = engine::refresh::scoring_run(db, ws).unwrap();
        assert_eq!(run.state(db::now().date()), ScoringState::Current, "{run:?}");
        assert_eq!((run.next_retry_at(), run.error, run.failures), (None, None, 0));
        assert!(run.scored_at.is_some());
        let segments: Vec<(Option<String>,)> = db
            .read(|c| {
                Ok(Query::new("SELECT rfm_segment FROM users")
                    .load_typed::<(diesel::sql_types::Nullable<Text>,), _>(c)?)
            })
            .unwrap();
        // The only buyer: no one ranks worse, so every score is 1 (docs/rfm.md's grid: lost).
        assert_eq!(segments, [(Some("lost".to_owned()),)], "scored after the retry");
    }
}

/// Two rescorings of one workspace at once (two replicas, say) record each move between RFM
/// segments once: the second reads what the first committed.
#[test]
fn concurrent_rescorings_record_each_move_once() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("concurrent_rescore", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "concurrent@rescore.test");
        let mut csv = "order_id,customer_id,ordered_at,amount\n".to_owned();
        for i in 0..300 {
            csv.push_str(&format!("o{i},c{},2026-0{}-1{},{}.00\n", i % 120, 1 + i % 9, i % 10, 10 + i));
        }
        import_ok(db, ws, ImportKind::Orders, &csv);
        let history = engine::order_history(db, ws).unwrap();
        let now = at("2026-10-01 12:00:00");
        std::thread::scope(|scope| {
            for _ in 0..2 {
                let history = history.clone();
                scope.spawn(move || {
                    db.write(|c| engine::analytics::rescore_at(c, &history, ws, now, Trigger::Schedule)).unwrap()
                });
            }
        });
        let count = |sql: &str| {
            let q = Query::new(sql);
            db.read(|c| Ok(q.load::<db::sql::Count>(c)?[0].n)).unwrap()
        };
        let scored = count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users WHERE rfm_segment IS NOT NULL");
        let events = count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_events");
        assert_eq!(scored, 120, "{}", db.url().is_sqlite());
        assert_eq!(events, scored, "one entry per scored user, not two");
    }
}
