//! RFM as of any date: from the stored scores, the maintained aggregates or the order history.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Nullable, Timestamp};
use domain::rfm::{RfmInput, RfmScore, RfmScoring, StoredScore, score_all};

use crate::history::OrderHistory;
use db::settings::{self};
use db::sql::{Dialect, Query, date_of_day, day_number};
use db::{DbConn, Error, Result};

use super::common::*;
use super::scope::*;

/// The date of the workspace's latest order, if any (as the orders import keeps it: see
/// [`settings::orders_imported`]).
pub fn latest_order_date(conn: &mut DbConn, workspace_id: i64) -> Result<Option<NaiveDate>> {
    Ok(settings::latest_order_at(conn, workspace_id)?.map(|t| t.date()))
}

/// Whether the maintained purchase aggregates of `users` are the RFM inputs as of `as_of`:
/// they cover all history, so only without a window and with no order after `as_of`.
pub(super) fn aggregates_serve(
    conn: &mut DbConn,
    workspace_id: i64,
    as_of: NaiveDate,
    window_days: Option<u32>,
) -> Result<bool> {
    Ok(window_days.is_none() && latest_order_date(conn, workspace_id)?.is_none_or(|latest| latest <= as_of))
}

/// RFM of every scored user as of `as_of`, ascending by user id (users without a purchase in
/// range are absent): the stored scores when the latest rescoring was as of that date with
/// these settings and no data changed since, else recomputed.
pub fn rfm_scores(
    conn: &mut DbConn,
    history: &OrderHistory,
    workspace_id: i64,
    as_of: NaiveDate,
    window_days: Option<u32>,
    scoring: &RfmScoring,
) -> Result<Vec<(i64, RfmScore)>> {
    if stored_serve(conn, workspace_id, as_of, window_days, scoring)? {
        return stored_rfm(conn, workspace_id, as_of);
    }
    Ok(computed_rfm(history, as_of, window_days, scoring))
}

/// Whether the users' stored RFM columns, with their purchase aggregates, are their RFM as of
/// `as_of` with this window and scoring: the latest rescoring was as of that date with the
/// same settings, no data changed since, and the aggregates apply ([`aggregates_serve`]).
pub fn stored_serve(
    conn: &mut DbConn,
    workspace_id: i64,
    as_of: NaiveDate,
    window_days: Option<u32>,
    scoring: &RfmScoring,
) -> Result<bool> {
    let s = settings::get(conn, workspace_id)?;
    Ok(s.scores_as_of == Some(as_of)
        && s.rfm_window_days == window_days
        && s.rfm_scoring == *scoring
        && aggregates_serve(conn, workspace_id, as_of, window_days)?)
}

/// RFM as the rescoring stored it, with recency, frequency and monetary from the maintained
/// purchase aggregates: [`rfm_scores`] when the stored scores are those as of `as_of` (its
/// caller checks that).
pub fn stored_rfm(conn: &mut DbConn, workspace_id: i64, as_of: NaiveDate) -> Result<Vec<(i64, RfmScore)>> {
    type Row = (i64, Option<i64>, i64, i64, Option<i32>, Option<i32>, Option<i32>);
    type RowSqlType =
        (BigInt, Nullable<BigInt>, BigInt, BigInt, Nullable<Integer>, Nullable<Integer>, Nullable<Integer>);
    let dialect = Dialect::of(conn);
    let mut q = Query::new(format!(
        "SELECT id, {}, purchases, revenue, r_score, f_score, m_score FROM users WHERE workspace_id = ",
        day_number(dialect, "last_purchase_at")
    ));
    q.bind(int(workspace_id)).push(" AND r_score IS NOT NULL ORDER BY id");
    Ok(q.load_typed::<RowSqlType, Row>(conn)?
        .into_iter()
        .filter_map(|(id, last, purchases, revenue, r, f, m)| {
            let last = date_of_day(last?)?;
            let score = StoredScore { r: r?, f: f?, m: m? };
            Some((id, score.with_values((as_of - last).num_days(), purchases, revenue)?))
        })
        .collect())
}

/// [`rfm_scores`] recomputed from the order history.
pub fn computed_rfm(
    history: &OrderHistory,
    as_of: NaiveDate,
    window_days: Option<u32>,
    scoring: &RfmScoring,
) -> Vec<(i64, RfmScore)> {
    let inputs = history.rfm_inputs(as_of, window_days);
    let values: Vec<RfmInput> = inputs.iter().map(|(_, i)| *i).collect();
    let scores = score_all(&values, as_of, scoring);
    inputs.into_iter().map(|(id, _)| id).zip(scores).collect()
}

/// RFM as of `as_of` for every user of the workspace (`None`: no purchase in range),
/// ascending by user id. Recomputed from history for past dates; equal to what the rescoring
/// stored on that day.
pub fn rfm_as_of(
    conn: &mut DbConn,
    history: &OrderHistory,
    workspace_id: i64,
    as_of: NaiveDate,
    window_days: Option<u32>,
    scoring: &RfmScoring,
) -> Result<Vec<(i64, Option<RfmScore>)>> {
    let scored = rfm_scores(conn, history, workspace_id, as_of, window_days, scoring)?;
    let ids = workspace_user_ids(conn, workspace_id)?;
    Ok(with_all_users(&ids, scored))
}

/// [`rfm_as_of`] with the workspace's own window and scoring.
pub fn rfm_as_of_configured(
    conn: &mut DbConn,
    history: &OrderHistory,
    workspace_id: i64,
    as_of: NaiveDate,
) -> Result<Vec<(i64, Option<RfmScore>)>> {
    let s = settings::get(conn, workspace_id)?;
    rfm_as_of(conn, history, workspace_id, as_of, s.rfm_window_days, &s.rfm_scoring)
}

/// A lookup in `sorted` (ascending by id) for ascending ids, walking it once: each call asks
/// for an id no smaller than the one before.
pub(super) fn ascending_lookup<T: Copy>(sorted: &[(i64, T)]) -> impl FnMut(i64) -> Option<T> + '_ {
    let mut k = 0;
    move |id| {
        while sorted.get(k).is_some_and(|(other, _)| *other < id) {
            k += 1;
        }
        sorted.get(k).filter(|(other, _)| *other == id).map(|(_, value)| *value)
    }
}

/// Merges scored users (ascending ids) into the full id list.
pub(super) fn with_all_users(ids: &[i64], scored: Vec<(i64, RfmScore)>) -> Vec<(i64, Option<RfmScore>)> {
    let mut scored = scored.into_iter().peekable();
    ids.iter()
        .map(|&id| {
            while scored.peek().is_some_and(|(s, _)| *s < id) {
                scored.next();
            }
            let score = scored.next_if(|(s, _)| *s == id).map(|(_, score)| score);
            (id, score)
        })
        .collect()
}

/// One user's RFM as of today for the 360 view: the stored scores of the latest rescoring,
/// with recency, frequency and monetary recomputed from the user's orders (with the window).
pub fn user_rfm(conn: &mut DbConn, workspace_id: i64, user_id: i64, today: NaiveDate) -> Result<Option<RfmScore>> {
    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = Nullable<Integer>)]
        r_score: Option<i32>,
        #[diesel(sql_type = Nullable<Integer>)]
        f_score: Option<i32>,
        #[diesel(sql_type = Nullable<Integer>)]
        m_score: Option<i32>,
    }
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Timestamp)]
        ordered_at: NaiveDateTime,
        #[diesel(sql_type = BigInt)]
        amount: i64,
    }
    let mut q = Query::new("SELECT r_score, f_score, m_score FROM users WHERE workspace_id = ");
    q.bind(int(workspace_id)).push(" AND id = ").bind(int(user_id));
    let Some(stored) = q.load::<Stored>(conn)?.into_iter().next() else {
        return Err(Error::NotFound);
    };
    let (Some(r), Some(f), Some(m)) = (stored.r_score, stored.f_score, stored.m_score) else {
        return Ok(None);
    };
    let stored = StoredScore { r, f, m };
    let window = settings::get(conn, workspace_id)?.rfm_window_days;
    let mut q = Query::new("SELECT ordered_at, amount FROM orders WHERE user_id = ");
    q.bind(int(user_id));
    let lines = q
        .load::<Line>(conn)?
        .into_iter()
        .map(|l| domain::rfm::OrderLine { ordered_at: l.ordered_at, amount: l.amount });
    let Some(input) = domain::rfm::aggregate(lines, today, window) else {
        return Ok(None);
    };
    Ok(stored.with_values((today - input.last_purchase).num_days(), input.frequency, input.monetary))
}
