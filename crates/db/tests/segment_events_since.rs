//! A segment's events read from an instant on (`since`), on both backends: every event at or
//! after it and none before, whichever days the events fall on, including days recorded before
//! `segment_days` kept the id of each day's first event.

use chrono::{Duration, NaiveDateTime, Utc};
use db::segment_events::{EventQuery, events, record};
use db::sql::Query;
use domain::segment_events::{EventType, SegmentRef, Trigger};

mod common;
use common::*;

/// Events of segment 7 on five days (one user an event), interleaved with those of segment 8.
fn recorded_days(db: &db::Db, ws: i64, today: NaiveDateTime) {
    db.write(|c| {
        for (n, days_ago) in [40, 12, 12, 3, 0].into_iter().enumerate() {
            let at = today - Duration::days(days_ago);
            let n = n as i64;
            record(c, ws, at, Trigger::Refresh, &[(7, n, EventType::Entered), (8, 100 + n, EventType::Exited)])?;
            record(c, ws, at + Duration::hours(1), Trigger::Schedule, &[(7, 10 + n, EventType::Exited)])?;
        }
        Ok(())
    })
    .unwrap();
}

fn users_since(db: &db::Db, ws: i64, since: NaiveDateTime) -> Vec<i64> {
    let query = EventQuery { limit: 100, since: Some(since), ..EventQuery::default() };
    let (rows, more) = db.read(|c| events(c, ws, SegmentRef::Custom(7), &query)).unwrap();
    assert!(!more);
    assert!(rows.iter().all(|e| e.at >= since && e.segment_id == 7));
    let mut users: Vec<i64> = rows.iter().map(|e| e.user_id).collect();
    users.sort();
    users
}

#[test]
fn events_since_an_instant_are_all_those_at_or_after_it() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("segment_events_since", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "since@segments.test");
        // noon, so that the hour after each day's first events stays on that day
        let today = Utc::now().date_naive().and_hms_opt(12, 0, 0).unwrap();
        recorded_days(db, ws, today);
        let day = |n: i64| today - Duration::days(n);
        assert_eq!(users_since(db, ws, day(100)), vec![0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
        assert_eq!(users_since(db, ws, day(12)), vec![1, 2, 3, 4, 11, 12, 13, 14]);
        // within a day: the exits an hour later are after the instant, the entries not
        assert_eq!(users_since(db, ws, day(3) + Duration::minutes(30)), vec![4, 13, 14]);
        assert_eq!(users_since(db, ws, day(0) + Duration::hours(2)), Vec::<i64>::new());
        assert_eq!(users_since(db, ws, day(-1)), Vec::<i64>::new());

        // days recorded before the first event of a day was kept: no bound, the same answer
        db.write(|c| Ok(Query::new("UPDATE segment_days SET first_event = NULL").execute(c).map(drop)?)).unwrap();
        assert_eq!(users_since(db, ws, day(12)), vec![1, 2, 3, 4, 11, 12, 13, 14]);
        assert_eq!(users_since(db, ws, day(3) + Duration::minutes(30)), vec![4, 13, 14]);
        // a day recorded since then keeps its first event: a bound from it alone, none beside
        // an older day without one
        db.write(|c| record(c, ws, day(-1), Trigger::Refresh, &[(7, 20, EventType::Entered)])).unwrap();
        assert_eq!(users_since(db, ws, day(-1) - Duration::hours(1)), vec![20]);
        assert_eq!(users_since(db, ws, day(0) + Duration::hours(2)), vec![20]);
        assert_eq!(users_since(db, ws, day(3) + Duration::minutes(30)), vec![4, 13, 14, 20]);
    }
}
