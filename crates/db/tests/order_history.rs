//! The in-memory order history of the analytics, on both backends: it follows every data
//! change (imports, user deletion), holds only its workspace's orders, and its RFM inputs equal
//! those the SQL of the rescoring computes, for many dates and windows over pseudo-random
//! orders.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use db::analytics::rfm_inputs;
use db::history::OrderFilter;
use domain::import::ImportKind;

mod common;
use common::*;

#[test]
fn history_follows_imports_and_deletions() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("history", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        let other = workspace(db, "c@d.test");
        import_ok(
            db,
            ws,
            ImportKind::Orders,
            "order_id,customer_id,ordered_at,amount\n\
             o1,a,2024-01-05T10:00:00Z,10.00\n\
             o2,b,2024-02-05T10:00:00Z,20.00\n",
        );
        import_ok(
            db,
            other,
            ImportKind::Orders,
            "order_id,customer_id,ordered_at,amount\nx1,a,2024-01-05T10:00:00Z,99.00\n",
        );

        let first = db.order_history(ws).unwrap();
        assert_eq!(first.order_count(), 2, "only its own workspace");
        assert!(Arc::ptr_eq(&first, &db.order_history(ws).unwrap()), "unchanged data: the same history");
        assert_eq!(db.order_history(other).unwrap().order_count(), 1);

        import_ok(
            db,
            ws,
            ImportKind::Orders,
            "order_id,customer_id,ordered_at,amount\no3,a,2024-03-05T10:00:00Z,-5.00\n",
        );
        let second = db.order_history(ws).unwrap();
        assert!(second.version() > first.version());
        let all = second.purchases(None, OrderFilter::default());
        assert_eq!((all.purchases, all.buyers, all.revenue, all.refunds), (2, 2, 2500, 1));

        let b: i64 = db
            .read(|c| {
                use db::schema::users;
                use diesel::prelude::*;
                Ok(users::table
                    .filter(users::workspace_id.eq(ws).and(users::external_id.eq("b")))
                    .select(users::id)
                    .first(c)?)
            })
            .unwrap();
        db.write(|c| db::people::delete_user(c, ws, b)).unwrap();
        let third = db.order_history(ws).unwrap();
        assert_eq!(third.order_count(), 2, "b's order went with b");
        assert!(third.orders_of(b).is_empty());
    }
}

/// A small deterministic generator (the test needs variety, not statistics).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn rfm_inputs_equal_the_sql_of_the_rescoring() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("history_rfm", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let mut rng = Lcg(7);
        let mut csv = String::from("order_id,customer_id,ordered_at,amount\n");
        for i in 0..600 {
            let user = rng.next(60);
            let day = start + Duration::days(rng.next(500) as i64);
            let hour = rng.next(24);
            // Mostly purchases, some refunds and zero amounts, some on the same day.
            let cents = match rng.next(10) {
                0 => -(rng.next(5000) as i64),
                1 => 0,
                _ => rng.next(20000) as i64 + 1,
            };
            let sign = if cents < 0 { "-" } else { "" };
            csv.push_str(&format!(
                "o{i},u{user},{day}T{hour:02}:30:00Z,{sign}{}.{:02}\n",
                cents.abs() / 100,
                cents.abs() % 100
            ));
        }
        import_ok(db, ws, ImportKind::Orders, &csv);
        let history = db.order_history(ws).unwrap();
        assert_eq!(history.order_count(), 600);
        for offset in [0, 1, 40, 199, 250, 499, 520] {
            let as_of = start + Duration::days(offset);
            for window in [None, Some(1), Some(30), Some(365)] {
                let sql = db.read(|c| rfm_inputs(c, ws, as_of, window)).unwrap();
                assert_eq!(history.rfm_inputs(as_of, window), sql, "as of {as_of}, window {window:?}");
            }
        }
    }
}
