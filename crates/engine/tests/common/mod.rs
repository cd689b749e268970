//! The store's fixtures (`db::testing`) and a rescoring.

#![allow(dead_code)]

use db::Db;
pub use db::testing::*;
use domain::segment_events::Trigger;

/// A rescoring of `ws` as of `now`, with its order history read first (as `engine::refresh` does).
pub fn rescore(db: &Db, ws: i64, now: chrono::NaiveDateTime) -> engine::analytics::RescoreStats {
    let history = engine::order_history(db, ws).unwrap();
    db.write(|c| engine::analytics::rescore_at(c, &history, ws, now, Trigger::Schedule)).unwrap()
}
