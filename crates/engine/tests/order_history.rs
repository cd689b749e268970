//! The in-memory order history of the analytics, on both backends: it follows every data
//! change (imports, user deletion), holds only its workspace's orders, and its RFM inputs, like
//! the aggregates the rescoring stores, equal a plain per-user reference over heavy-tailed
//! orders.

use domain::segment_events::Trigger;
use std::sync::Arc;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use db::sql::{Param, Query};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use domain::import::ImportKind;
use domain::rfm::{OrderLine, RfmInput, aggregate};
use engine::history::OrderFilter;
use proptest::prelude::*;

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

        let first = engine::order_history(db, ws).unwrap();
        assert_eq!(first.order_count(), 2, "only its own workspace");
        assert!(Arc::ptr_eq(&first, &engine::order_history(db, ws).unwrap()), "unchanged data: the same history");
        assert_eq!(engine::order_history(db, other).unwrap().order_count(), 1);

        import_ok(
            db,
            ws,
            ImportKind::Orders,
            "order_id,customer_id,ordered_at,amount\no3,a,2024-03-05T10:00:00Z,-5.00\n",
        );
        let second = engine::order_history(db, ws).unwrap();
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
        let third = engine::order_history(db, ws).unwrap();
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

/// Orders drawn with a heavy tail: most users have a few orders, some many, and one has
/// thousands, most of them on Saturdays and many on the same day; about a tenth are refunds
/// and a tenth zero amounts.
fn skewed_orders(rng: &mut Lcg, count: usize, heavy: usize) -> Vec<(String, NaiveDateTime, i64)> {
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let mut orders = Vec::with_capacity(count + heavy);
    for _ in 0..count {
        // A power law over 80 users: user k is drawn about as often as 1 / (k + 1).
        let user = (80f64.powf(rng.next(1_000_000) as f64 / 1_000_000.0) as u64).saturating_sub(1);
        let at = start + Duration::days(rng.next(500) as i64) + Duration::minutes(rng.next(1440) as i64);
        orders.push((format!("u{user}"), at, amount(rng)));
    }
    // 2023-01-07 is a Saturday; the heavy user buys on 40 Saturdays and a few Tuesdays.
    let saturday = NaiveDate::from_ymd_opt(2023, 1, 7).unwrap().and_hms_opt(9, 0, 0).unwrap();
    for i in 0..heavy {
        let weeks = Duration::weeks(rng.next(40) as i64);
        let day = if i % 5 == 0 { saturday + weeks - Duration::days(4) } else { saturday + weeks };
        orders.push(("heavy".into(), day + Duration::minutes(rng.next(600) as i64), amount(rng)));
    }
    orders
}

fn amount(rng: &mut Lcg) -> i64 {
    match rng.next(10) {
        0 => -(rng.next(5000) as i64),
        1 => 0,
        _ => rng.next(20000) as i64 + 1,
    }
}

fn orders_csv(orders: &[(String, NaiveDateTime, i64)]) -> String {
    let mut csv = String::from("order_id,customer_id,ordered_at,amount\n");
    for (i, (user, at, cents)) in orders.iter().enumerate() {
        let sign = if *cents < 0 { "-" } else { "" };
        let at = at.format("%Y-%m-%dT%H:%M:%SZ");
        csv.push_str(&format!("o{i},{user},{at},{sign}{}.{:02}\n", cents.abs() / 100, cents.abs() % 100));
    }
    csv
}

/// The plain reference: each user's orders, one by one.
fn by_user(orders: &[(String, NaiveDateTime, i64)]) -> BTreeMap<String, Vec<OrderLine>> {
    let mut users: BTreeMap<String, Vec<OrderLine>> = BTreeMap::new();
    for (user, at, amount) in orders {
        users.entry(user.clone()).or_default().push(OrderLine { ordered_at: *at, amount: *amount });
    }
    users
}

/// The weekday with the most purchases, ties to the earliest from Monday.
fn reference_preferred_day(lines: &[OrderLine]) -> Option<&'static str> {
    const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let mut counts = [0usize; 7];
    for line in lines.iter().filter(|l| l.amount > 0) {
        counts[line.ordered_at.weekday().num_days_from_monday() as usize] += 1;
    }
    let best = (0..7).rev().max_by_key(|&d| counts[d])?;
    (counts[best] > 0).then_some(DAYS[best])
}

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    external_id: String,
    #[diesel(sql_type = BigInt)]
    purchases: i64,
    #[diesel(sql_type = BigInt)]
    revenue: i64,
    #[diesel(sql_type = Nullable<Text>)]
    preferred_day: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    rfm_segment: Option<String>,
}

/// Imports `orders`, rescores, and checks every aggregate against the plain reference: the
/// history's RFM inputs for several dates and windows, and the stored purchases, revenue,
/// preferred day and RFM segment of every user.
fn check_aggregates(db: &db::Db, ws: i64, orders: &[(String, NaiveDateTime, i64)]) {
    import_ok(db, ws, ImportKind::Orders, &orders_csv(orders));
    engine::refresh::after_data_change(db, ws, Trigger::Import(ImportKind::Orders)).expect("the scoring run succeeds");
    let reference = by_user(orders);
    let stored: Vec<Stored> = db
        .read(|c| {
            let mut q = Query::new(
                "SELECT id, external_id, purchases, revenue, preferred_day, rfm_segment FROM users \
                 WHERE workspace_id = ",
            );
            q.bind(Param::I64(Some(ws))).push(" ORDER BY id");
            Ok(q.load(c)?)
        })
        .unwrap();
    assert_eq!(stored.len(), reference.len());
    let today = db::now().date();
    for user in &stored {
        let lines = &reference[&user.external_id];
        let all = aggregate(lines.iter().copied(), today, None);
        let who = &user.external_id;
        assert_eq!(user.purchases, all.map_or(0, |a| a.frequency), "purchases of {who}");
        assert_eq!(user.revenue, lines.iter().map(|l| l.amount).sum::<i64>(), "revenue of {who}");
        assert_eq!(user.preferred_day.as_deref(), reference_preferred_day(lines), "preferred day of {who}");
        assert_eq!(user.rfm_segment.is_some(), all.is_some(), "{who} has a segment when they bought");
    }
    let history = engine::order_history(db, ws).unwrap();
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    for offset in [0, 1, 40, 199, 250, 499, 520] {
        let as_of = start + Duration::days(offset);
        for window in [None, Some(1), Some(30), Some(365)] {
            let expected: Vec<(i64, RfmInput)> = stored
                .iter()
                .filter_map(|u| Some((u.id, aggregate(reference[&u.external_id].iter().copied(), as_of, window)?)))
                .collect();
            assert_eq!(history.rfm_inputs(as_of, window), expected, "as of {as_of}, window {window:?}");
        }
    }
}

/// On both backends, with a user of 2 000 orders (more than 511 of them purchases on one
/// weekday, which once overflowed a packed sum and stopped the scoring of the workspace).
#[test]
fn aggregates_equal_a_plain_reference_on_skewed_orders() {
    let dir = tempfile::tempdir().unwrap();
    for backend in backends("history_rfm", &dir) {
        let db = &backend.db;
        let ws = workspace(db, "a@b.test");
        let orders = skewed_orders(&mut Lcg(7), 600, 2000);
        let saturdays =
            orders.iter().filter(|(u, at, a)| u == "heavy" && *a > 0 && at.weekday() == chrono::Weekday::Sat).count();
        assert!(saturdays > 1000, "the heavy user has {saturdays} purchases on Saturdays");
        check_aggregates(db, ws, &orders);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// On SQLite, for random skewed order sets of random sizes.
    #[test]
    fn aggregates_equal_a_plain_reference_for_any_skew(seed in any::<u64>(), count in 0usize..400, heavy in 0usize..1500) {
        let dir = tempfile::tempdir().unwrap();
        let db = db::Db::open(dir.path().join("skew.db").to_str().unwrap()).unwrap();
        let ws = workspace(&db, "a@b.test");
        check_aggregates(&db, ws, &skewed_orders(&mut Lcg(seed), count, heavy));
    }
}
