//! Small helpers of the analytics: day bounds, SQL parameters and wide aggregate rows.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use db::sql::Param;

pub fn day_start(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// The first instant after day `date`.
pub fn day_after(date: NaiveDate) -> NaiveDateTime {
    day_start(date + Duration::days(1))
}

pub(super) fn ts(t: NaiveDateTime) -> Param {
    Param::Ts(Some(t))
}

pub(super) fn int(v: i64) -> Param {
    Param::I64(Some(v))
}
