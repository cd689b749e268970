//! Analytics over a workspace's data (docs/rfm.md, docs/metrics.md): RFM as of any date, the
//! rescoring run that stores RFM and health/engagement/fit scores on every user, segment
//! metrics, and the dashboard metrics.
//!
//! How it scales: requests read the workspace's orders and users from in-memory copies
//! ([`OrderHistory`], [`UserColumns`]), which the database fills in one pass after a change;
//! the rescoring's queries return compact per-user tuples (one row per user at most, never one
//! per order). Ranking, scoring and per-segment sums happen in Rust, in O(N) or O(N log N).
//!
//! Date conventions (the same as `domain::rfm::aggregate`): an order belongs to day
//! `date(ordered_at)` (UTC); "as of D" includes every order of day D; a window of N days
//! before D is the days D−N+1 ..= D; a period `from..=to` includes both days.

use std::collections::HashMap;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Timestamp};
use domain::metrics::SegmentTotals;
use domain::money::Minor;
use domain::rfm::{RfmInput, RfmScore, RfmScoring, RfmSegment, StoredScore, fm_score, score_all, segments_of_columns};
use domain::scores::{Metric, ScoreConfig, ScoreKind, evaluate};
use domain::segment_events::{EventType, Trigger};

use crate::history::{OrderFilter, OrderHistory, PurchaseActivity};
use crate::user_columns::UserColumns;
use db::settings::{self, WorkspaceSettings};
use db::sql::{Count, Dialect, Param, Query, date_of_day, day_number};
use db::{Db, DbConn, Error, Result};

/// Rows per `UPDATE … FROM (VALUES …)` statement of the rescoring (9 parameters a row, under
/// SQLite's 32766).
const WRITE_BATCH: usize = 3000;

// ---------------------------------------------------------------------------------------
// Dates and small SQL helpers

pub fn day_start(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// The first instant after day `date`.
pub fn day_after(date: NaiveDate) -> NaiveDateTime {
    day_start(date + Duration::days(1))
}

fn ts(t: NaiveDateTime) -> Param {
    Param::Ts(Some(t))
}

fn int(v: i64) -> Param {
    Param::I64(Some(v))
}

/// `CAST(COALESCE(SUM(expr), 0) AS BIGINT)`: a sum that is 0, not NULL, over no rows and an
/// integer on both backends (PostgreSQL sums BIGINT into NUMERIC).
fn sum(expr: &str) -> String {
    format!("CAST(COALESCE(SUM({expr}), 0) AS BIGINT)")
}

/// `CASE WHEN cond THEN 1 ELSE 0 END`, which both backends can sum and compare whatever the
/// truth value of a NULL is.
fn flag(cond: &str) -> String {
    format!("CASE WHEN {cond} THEN 1 ELSE 0 END")
}

/// A grouped row: an id and up to ten integer values (unused ones are selected as 0).
#[derive(Debug, Default, Clone, Copy, QueryableByName)]
struct Wide {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    v0: i64,
    #[diesel(sql_type = BigInt)]
    v1: i64,
    #[diesel(sql_type = BigInt)]
    v2: i64,
    #[diesel(sql_type = BigInt)]
    v3: i64,
    #[diesel(sql_type = BigInt)]
    v4: i64,
    #[diesel(sql_type = BigInt)]
    v5: i64,
    #[diesel(sql_type = BigInt)]
    v6: i64,
    #[diesel(sql_type = BigInt)]
    v7: i64,
    #[diesel(sql_type = BigInt)]
    v8: i64,
    #[diesel(sql_type = BigInt)]
    v9: i64,
}

const WIDE: usize = 10;

impl Wide {
    fn values(&self) -> [i64; WIDE] {
        [self.v0, self.v1, self.v2, self.v3, self.v4, self.v5, self.v6, self.v7, self.v8, self.v9]
    }
}

/// ` AS v0, … AS v9` for up to ten expressions (the rest are 0).
fn wide_columns(exprs: &[String]) -> String {
    assert!(exprs.len() <= WIDE, "at most {WIDE} values");
    (0..WIDE)
        .map(|i| match exprs.get(i) {
            Some(e) => format!("{e} AS v{i}"),
            None => format!("CAST(0 AS BIGINT) AS v{i}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, QueryableByName)]
struct IdValue {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Double>)]
    v: Option<f64>,
}

// ---------------------------------------------------------------------------------------
// Scope: the whole workspace or the members of one custom segment

/// Which users a metric covers: the workspace, or the members of a custom segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    All,
    Segment(i64),
}

/// Checks that a custom segment exists in the workspace and is visible to the operator
/// (public, or private and theirs); `Error::NotFound` otherwise.
pub fn check_segment(conn: &mut DbConn, workspace_id: i64, segment_id: i64, operator_id: Option<i64>) -> Result<()> {
    let mut q = Query::new("SELECT id AS n FROM segments WHERE id = ");
    q.bind(int(segment_id)).push(" AND workspace_id = ").bind(int(workspace_id));
    q.push(" AND (visibility <> 'private' OR owner_id = ").bind(Param::I64(operator_id)).push(")");
    if q.load::<Count>(conn)?.is_empty() { Err(Error::NotFound) } else { Ok(()) }
}

/// The members of a segment scope, ascending (`None` for the whole workspace): what the
/// passes over [`UserColumns`] keep to.
pub fn scope_members(conn: &mut DbConn, scope: Scope) -> Result<Option<Vec<i64>>> {
    let Scope::Segment(id) = scope else { return Ok(None) };
    let mut q = Query::new("SELECT user_id FROM segment_members WHERE segment_id = ");
    q.bind(int(id)).push(" ORDER BY user_id");
    Ok(Some(q.load_typed::<(BigInt,), (i64,)>(conn)?.into_iter().map(|(id,)| id).collect()))
}

/// Ids of the users in scope, ascending.
pub fn scope_user_ids(conn: &mut DbConn, users: &UserColumns, scope: Scope) -> Result<Vec<i64>> {
    let members = scope_members(conn, scope)?;
    Ok(users.positions(members.as_deref()).map(|i| users.ids()[i]).collect())
}

/// Ids of the workspace's users, ascending.
fn workspace_user_ids(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<i64>> {
    let mut q = Query::new("SELECT id FROM users WHERE workspace_id = ");
    q.bind(int(workspace_id)).push(" ORDER BY id");
    Ok(q.load_typed::<(BigInt,), (i64,)>(conn)?.into_iter().map(|(id,)| id).collect())
}

// ---------------------------------------------------------------------------------------
// RFM as of a date

/// The date of the workspace's latest order, if any (as the orders import keeps it: see
/// [`settings::orders_imported`]).
pub fn latest_order_date(conn: &mut DbConn, workspace_id: i64) -> Result<Option<NaiveDate>> {
    Ok(settings::latest_order_at(conn, workspace_id)?.map(|t| t.date()))
}

/// Whether the maintained purchase aggregates of `users` are the RFM inputs as of `as_of`:
/// they cover all history, so only without a window and with no order after `as_of`.
fn aggregates_serve(conn: &mut DbConn, workspace_id: i64, as_of: NaiveDate, window_days: Option<u32>) -> Result<bool> {
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
fn ascending_lookup<T: Copy>(sorted: &[(i64, T)]) -> impl FnMut(i64) -> Option<T> + '_ {
    let mut k = 0;
    move |id| {
        while sorted.get(k).is_some_and(|(other, _)| *other < id) {
            k += 1;
        }
        sorted.get(k).filter(|(other, _)| *other == id).map(|(_, value)| *value)
    }
}

/// Merges scored users (ascending ids) into the full id list.
fn with_all_users(ids: &[i64], scored: Vec<(i64, RfmScore)>) -> Vec<(i64, Option<RfmScore>)> {
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

// ---------------------------------------------------------------------------------------
// Rescoring

/// What one rescoring run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RescoreStats {
    pub users: usize,
    pub rfm_scored: usize,
    /// Users whose stored scores changed (and were written).
    pub written: usize,
}

/// Rescoring as of now (UTC), in one write transaction; then the user columns are read ahead,
/// so that the next dashboard does not wait for them.
pub fn rescore(db: &Db, workspace_id: i64, cause: Trigger) -> Result<()> {
    let history = crate::order_history(db, workspace_id)?;
    db.write(|conn| rescore_at(conn, &history, workspace_id, db::now(), cause))?;
    crate::user_columns(db, workspace_id).map(drop)
}

#[derive(Debug, QueryableByName)]
struct ScoreUser {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    company_id: Option<i64>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    last_seen_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    last_purchase_at: Option<NaiveDateTime>,
    #[diesel(sql_type = BigInt)]
    purchases: i64,
    #[diesel(sql_type = BigInt)]
    revenue: i64,
    #[diesel(sql_type = Nullable<Integer>)]
    r_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    f_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    m_score: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    rfm_segment: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    health_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    engagement_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    fit_score: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    preferred_day: Option<String>,
}

/// What one user gets written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scored {
    r: Option<i32>,
    f: Option<i32>,
    m: Option<i32>,
    segment: Option<&'static str>,
    health: i32,
    engagement: i32,
    fit: i32,
    preferred_day: Option<&'static str>,
}

impl Scored {
    fn same_as(&self, user: &ScoreUser) -> bool {
        user.r_score == self.r
            && user.f_score == self.f
            && user.m_score == self.m
            && user.rfm_segment.as_deref() == self.segment
            && user.health_score == Some(self.health)
            && user.engagement_score == Some(self.engagement)
            && user.fit_score == Some(self.fit)
            && user.preferred_day.as_deref() == self.preferred_day
    }
}

/// The inputs of the score factors that need a query, by factor metric.
struct FactorInputs {
    /// (metric, value per user index) for event counts and order windows; 0 when nothing.
    counts: Vec<(Metric, Vec<i64>)>,
    /// (property name, value per user index).
    user_properties: Vec<(String, Vec<Option<f64>>)>,
    /// company id → (arr in minor units, property values in `company_property_names` order).
    companies: HashMap<i64, (Option<Minor>, Vec<Option<f64>>)>,
    company_property_names: Vec<String>,
}

fn configs(s: &WorkspaceSettings) -> [(ScoreKind, &ScoreConfig); 3] {
    [
        (ScoreKind::Health, &s.scores.health),
        (ScoreKind::Engagement, &s.scores.engagement),
        (ScoreKind::Fit, &s.scores.fit),
    ]
}

fn distinct_metrics(s: &WorkspaceSettings, keep: impl Fn(&Metric) -> bool) -> Vec<Metric> {
    let mut out: Vec<Metric> = Vec::new();
    for (_, config) in configs(s) {
        for factor in &config.factors {
            if keep(&factor.metric) && !out.contains(&factor.metric) {
                out.push(factor.metric.clone());
            }
        }
    }
    out
}

/// Index of `id` in the ascending `ids`.
fn position(ids: &[i64], id: i64) -> Option<usize> {
    ids.binary_search(&id).ok()
}

fn load_factor_inputs(
    conn: &mut DbConn,
    workspace_id: i64,
    s: &WorkspaceSettings,
    ids: &[i64],
    now: NaiveDateTime,
) -> Result<FactorInputs> {
    let dialect = Dialect::of(conn);
    let mut counts: Vec<(Metric, Vec<i64>)> = Vec::new();
    let since = |days: u32| now - Duration::days(i64::from(days));

    // Event counts in the last N days (of one name or any), ten metrics per query.
    let events = distinct_metrics(s, |m| matches!(m, Metric::EventsInLastDays { .. }));
    for chunk in events.chunks(WIDE) {
        let mut q = Query::new("SELECT u.id AS id, ");
        let mut exprs = Vec::new();
        let mut earliest = now;
        for metric in chunk {
            let Metric::EventsInLastDays { days, name } = metric else { unreachable!() };
            earliest = earliest.min(since(*days));
            let start = q.param(ts(since(*days)));
            let mut cond = format!("e.occurred_at >= {start}");
            if let Some(name) = name {
                let p = q.param(Param::text(name.as_str()));
                cond.push_str(&format!(" AND e.name = {p}"));
            }
            exprs.push(sum(&flag(&cond)));
        }
        q.push(&wide_columns(&exprs));
        // Driven from the users: each user's recent events are one range of the covering
        // index `events_identity (user_id, occurred_at, name)`.
        q.push(" FROM users u JOIN events e ON e.user_id = u.id AND e.occurred_at >= ").bind(ts(earliest));
        q.push(" AND e.occurred_at <= ").bind(ts(now));
        q.push(" WHERE u.workspace_id = ").bind(int(workspace_id));
        q.push(" GROUP BY u.id");
        let rows = q.load::<Wide>(conn)?;
        let mut columns: Vec<Vec<i64>> = vec![vec![0; ids.len()]; chunk.len()];
        for row in rows {
            if let Some(i) = position(ids, row.id) {
                for (c, v) in columns.iter_mut().zip(row.values()) {
                    c[i] = v;
                }
            }
        }
        counts.extend(chunk.iter().cloned().zip(columns));
    }

    // Revenue and purchases in the last N days, ten metrics per query.
    let orders =
        distinct_metrics(s, |m| matches!(m, Metric::RevenueInLastDays { .. } | Metric::PurchasesInLastDays { .. }));
    for chunk in orders.chunks(WIDE) {
        let mut q = Query::new("SELECT u.id AS id, ");
        let mut exprs = Vec::new();
        let mut earliest = now;
        for metric in chunk {
            let (days, revenue) = match metric {
                Metric::RevenueInLastDays { days } => (*days, true),
                Metric::PurchasesInLastDays { days } => (*days, false),
                _ => unreachable!(),
            };
            earliest = earliest.min(since(days));
            let start = q.param(ts(since(days)));
            exprs.push(if revenue {
                sum(&format!("CASE WHEN o.ordered_at >= {start} THEN o.amount ELSE 0 END"))
            } else {
                sum(&flag(&format!("o.ordered_at >= {start} AND o.amount > 0")))
            });
        }
        q.push(&wide_columns(&exprs));
        q.push(" FROM users u JOIN orders o ON o.user_id = u.id AND o.ordered_at >= ").bind(ts(earliest));
        q.push(" AND o.ordered_at <= ").bind(ts(now));
        q.push(" WHERE u.workspace_id = ").bind(int(workspace_id));
        q.push(" GROUP BY u.id");
        let rows = q.load::<Wide>(conn)?;
        let mut columns: Vec<Vec<i64>> = vec![vec![0; ids.len()]; chunk.len()];
        for row in rows {
            if let Some(i) = position(ids, row.id) {
                for (c, v) in columns.iter_mut().zip(row.values()) {
                    c[i] = v;
                }
            }
        }
        counts.extend(chunk.iter().cloned().zip(columns));
    }

    // Numeric custom properties of users.
    let mut user_properties = Vec::new();
    for metric in distinct_metrics(s, |m| matches!(m, Metric::UserProperty { .. })) {
        let Metric::UserProperty { name } = metric else { unreachable!() };
        let mut q = Query::new("SELECT id, ");
        let value = dialect.json_number("properties", &mut q, &name);
        q.push(&format!("{value} AS v FROM users WHERE workspace_id = "));
        q.bind(int(workspace_id));
        let mut column = vec![None; ids.len()];
        for row in q.load::<IdValue>(conn)? {
            if let Some(i) = position(ids, row.id) {
                column[i] = row.v;
            }
        }
        user_properties.push((name, column));
    }

    // Companies: ARR and the numeric properties the factors name.
    let company_property_names: Vec<String> = distinct_metrics(s, |m| matches!(m, Metric::CompanyProperty { .. }))
        .into_iter()
        .map(|m| match m {
            Metric::CompanyProperty { name } => name,
            _ => unreachable!(),
        })
        .collect();
    let mut companies: HashMap<i64, (Option<Minor>, Vec<Option<f64>>)> = HashMap::new();
    let needs_companies =
        !company_property_names.is_empty() || !distinct_metrics(s, |m| matches!(m, Metric::CompanyArr)).is_empty();
    if needs_companies {
        #[derive(QueryableByName)]
        struct CompanyArr {
            #[diesel(sql_type = BigInt)]
            id: i64,
            #[diesel(sql_type = Nullable<BigInt>)]
            arr: Option<i64>,
        }
        let mut q = Query::new("SELECT id, arr FROM companies WHERE workspace_id = ");
        q.bind(int(workspace_id));
        for row in q.load::<CompanyArr>(conn)? {
            companies.insert(row.id, (row.arr, vec![None; company_property_names.len()]));
        }
        for (p, name) in company_property_names.iter().enumerate() {
            let mut q = Query::new("SELECT id, ");
            let value = dialect.json_number("properties", &mut q, name);
            q.push(&format!("{value} AS v FROM companies WHERE workspace_id = "));
            q.bind(int(workspace_id));
            for row in q.load::<IdValue>(conn)? {
                if let Some(entry) = companies.get_mut(&row.id) {
                    entry.1[p] = row.v;
                }
            }
        }
    }
    Ok(FactorInputs { counts, user_properties, companies, company_property_names })
}

pub fn weekday_key(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// Rescoring as of `now`: RFM as of `now`'s date for every user (from the maintained
/// aggregates when they apply, else from `history`), health/engagement/fit from grouped
/// inputs, the preferred purchase day (from `history`); then writes the users whose stored
/// values differ, in batches. `history` is the workspace's order history, read before the
/// transaction that calls this.
pub fn rescore_at(
    conn: &mut DbConn,
    history: &OrderHistory,
    workspace_id: i64,
    now: NaiveDateTime,
    cause: Trigger,
) -> Result<RescoreStats> {
    let today = now.date();
    // One rescoring of a workspace at a time, across replicas: a second one reads the scores
    // the first wrote, so that a move between RFM segments is recorded once.
    settings::hold(conn, workspace_id)?;
    let s = settings::get(conn, workspace_id)?;

    let mut q = Query::new(
        "SELECT id, company_id, last_seen_at, last_purchase_at, purchases, revenue, r_score, \
         f_score, m_score, rfm_segment, health_score, engagement_score, fit_score, preferred_day \
         FROM users WHERE workspace_id = ",
    );
    q.bind(int(workspace_id)).push(" ORDER BY id");
    let users = q.load::<ScoreUser>(conn)?;
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();

    // RFM inputs: the aggregates just loaded when they apply, else grouped from the orders.
    let inputs: Vec<(usize, RfmInput)> = if aggregates_serve(conn, workspace_id, today, s.rfm_window_days)? {
        users
            .iter()
            .enumerate()
            .filter(|(_, u)| u.purchases > 0)
            .filter_map(|(i, u)| {
                u.last_purchase_at.map(|last| {
                    (i, RfmInput { last_purchase: last.date(), frequency: u.purchases, monetary: u.revenue })
                })
            })
            .collect()
    } else {
        history
            .rfm_inputs(today, s.rfm_window_days)
            .into_iter()
            .filter_map(|(id, input)| position(&ids, id).map(|i| (i, input)))
            .collect()
    };
    let values: Vec<RfmInput> = inputs.iter().map(|(_, v)| *v).collect();
    let mut rfm: Vec<Option<RfmScore>> = vec![None; users.len()];
    for ((i, _), score) in inputs.iter().zip(score_all(&values, today, &s.rfm_scoring)) {
        rfm[*i] = Some(score);
    }

    let factor_inputs = load_factor_inputs(conn, workspace_id, &s, &ids, now)?;
    let mut orders_of = history.orders_walker();

    let mut changed: Vec<(i64, Scored)> = Vec::new();
    let mut moves: Vec<(i64, i64, EventType)> = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let score = rfm[i];
        let input = |metric: &Metric| -> Option<f64> {
            let company = user.company_id.and_then(|c| factor_inputs.companies.get(&c));
            match metric {
                Metric::DaysSinceLastSeen => user.last_seen_at.map(|t| (today - t.date()).num_days() as f64),
                Metric::DaysSinceLastPurchase => user.last_purchase_at.map(|t| (today - t.date()).num_days() as f64),
                Metric::RScore => score.map(|s| f64::from(s.r_score)),
                Metric::FScore => score.map(|s| f64::from(s.f_score)),
                Metric::MScore => score.map(|s| f64::from(s.m_score)),
                Metric::EventsInLastDays { .. } | Metric::PurchasesInLastDays { .. } => {
                    factor_inputs.counts.iter().find(|(m, _)| m == metric).map(|(_, column)| column[i] as f64)
                }
                Metric::RevenueInLastDays { .. } => {
                    factor_inputs.counts.iter().find(|(m, _)| m == metric).map(|(_, column)| column[i] as f64 / 100.0)
                }
                Metric::UserProperty { name } => {
                    factor_inputs.user_properties.iter().find(|(n, _)| n == name).and_then(|(_, column)| column[i])
                }
                Metric::CompanyArr => company.and_then(|(arr, _)| *arr).map(|a| a as f64 / 100.0),
                Metric::CompanyProperty { name } => {
                    let p = factor_inputs.company_property_names.iter().position(|n| n == name)?;
                    company.and_then(|(_, props)| props[p])
                }
            }
        };
        let new = Scored {
            r: score.map(|s| i32::from(s.r_score)),
            f: score.map(|s| i32::from(s.f_score)),
            m: score.map(|s| i32::from(s.m_score)),
            segment: score.map(|s| s.segment.key()),
            health: i32::from(evaluate(&s.scores.health, input)),
            engagement: i32::from(evaluate(&s.scores.engagement, input)),
            fit: i32::from(evaluate(&s.scores.fit, input)),
            preferred_day: history.preferred_day(orders_of(user.id)).map(weekday_key),
        };
        if user.rfm_segment.as_deref() != new.segment {
            // moved between RFM segments: an exit and an entry
            if let Some(old) = user.rfm_segment.as_deref().and_then(RfmSegment::from_key) {
                moves.push((old.id(), user.id, EventType::Exited));
            }
            if let Some(new) = new.segment.and_then(RfmSegment::from_key) {
                moves.push((new.id(), user.id, EventType::Entered));
            }
        }
        if !new.same_as(user) {
            changed.push((user.id, new));
        }
    }

    for batch in changed.chunks(WRITE_BATCH) {
        let mut q = Query::new("UPDATE users SET scored_at = ");
        q.bind(ts(now));
        q.push(
            ", r_score = v.column2, f_score = v.column3, m_score = v.column4, rfm_segment = v.column5, \
             health_score = v.column6, engagement_score = v.column7, fit_score = v.column8, \
             preferred_day = v.column9 FROM (VALUES ",
        );
        for (n, (id, s)) in batch.iter().enumerate() {
            if n > 0 {
                q.push(", ");
            }
            let opt = |v: Option<i32>| Param::I64(v.map(i64::from));
            q.push("(").bind(int(*id));
            for p in [
                opt(s.r),
                opt(s.f),
                opt(s.m),
                Param::Text(s.segment.map(str::to_owned)),
                int(i64::from(s.health)),
                int(i64::from(s.engagement)),
                int(i64::from(s.fit)),
                Param::Text(s.preferred_day.map(str::to_owned)),
            ] {
                q.push(", ").bind(p);
            }
            q.push(")");
        }
        q.push(") AS v WHERE users.id = v.column1");
        q.execute(conn)?;
    }
    db::segment_events::record(conn, workspace_id, now, cause, &moves)?;
    if !changed.is_empty() {
        settings::users_changed(conn, workspace_id)?;
    }
    settings::scores_computed(conn, workspace_id, today, now)?;
    Ok(RescoreStats { users: users.len(), rfm_scored: values.len(), written: changed.len() })
}

// ---------------------------------------------------------------------------------------
// Segment metrics (docs/metrics.md)

/// Totals of each RFM segment, of the users without one, and of the whole scope.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SegmentReport {
    /// In [`RfmSegment::ALL`] order.
    pub rfm: Vec<(RfmSegment, SegmentTotals)>,
    pub unscored: SegmentTotals,
    pub total: SegmentTotals,
}

/// The period and reference date of segment metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsWindow {
    /// Membership of RFM segments and the activity window are as of this date.
    pub as_of: NaiveDate,
    /// Purchases and revenue count orders of `from..=to` (from the beginning when `None`).
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// The current instant: with `as_of` = today, "seen within the window" counts from it.
    pub now: NaiveDateTime,
}

impl MetricsWindow {
    pub fn new(as_of: NaiveDate, from: Option<NaiveDate>, to: Option<NaiveDate>, now: NaiveDateTime) -> Self {
        MetricsWindow { as_of, from, to: to.unwrap_or(as_of), now }
    }

    /// The instant "as of" refers to: now for today, else the end of `as_of`.
    fn reference(&self) -> NaiveDateTime {
        if self.as_of == self.now.date() { self.now } else { day_after(self.as_of) }
    }
}

/// Metrics of the eight RFM segments (as of `w.as_of`; today's membership is the stored one)
/// over the active members in scope.
pub fn segment_metrics(
    conn: &mut DbConn,
    history: &OrderHistory,
    users: &UserColumns,
    workspace_id: i64,
    scope: Scope,
    w: MetricsWindow,
) -> Result<SegmentReport> {
    let s = settings::get(conn, workspace_id)?;
    let today = w.now.date();
    let online_since = w.reference() - Duration::days(i64::from(s.activity_window_days));
    let members = scope_members(conn, scope)?;

    // Purchases and revenue come from the history: in the period, and the 365 days up to as_of.
    let last_year = (Some(w.as_of - Duration::days(364)), Some(w.as_of));

    // Company ARR counts once per segment: `counted` has bit `slot` set once it did.
    let mut arr: HashMap<i64, (Minor, u16)> =
        company_arr(conn, workspace_id)?.into_iter().map(|(id, value)| (id, (value, 0))).collect();

    // RFM membership: stored for today, recomputed for another date.
    let computed = if w.as_of == today {
        None
    } else {
        Some(rfm_scores(conn, history, workspace_id, w.as_of, s.rfm_window_days, &s.rfm_scoring)?)
    };
    let mut computed_segment = computed.as_deref().map(ascending_lookup);
    let mut orders_of = history.orders_walker();

    let mut report = SegmentReport {
        rfm: RfmSegment::ALL.iter().map(|&seg| (seg, SegmentTotals::default())).collect(),
        ..SegmentReport::default()
    };
    for i in users.positions(members.as_deref()) {
        let user = users.get(i);
        if user.churned {
            continue;
        }
        let segment = match computed_segment.as_mut() {
            Some(lookup) => lookup(user.id).map(|score| score.segment),
            None => user.segment,
        };
        let slot = segment.map_or(8, |seg| seg as usize);
        let contact = i64::from(user.reachable());
        let online = i64::from(users.seen_since(i, online_since));
        let orders = orders_of(user.id);
        let (purchases, revenue) = history.sums(orders.clone(), w.from, Some(w.to));
        let year = history.sums(orders, last_year.0, last_year.1).1;
        let mut company = user.company_id.and_then(|c| arr.get_mut(&c));
        for index in [slot, 9] {
            let t = match index {
                8 => &mut report.unscored,
                9 => &mut report.total,
                i => &mut report.rfm[i].1,
            };
            t.size += 1;
            t.contacts += contact;
            t.online += online;
            t.offline += 1 - online;
            if let Some(h) = user.health {
                t.health_sum += i64::from(h);
                t.health_count += 1;
            }
            // Money sums saturate, as the history's do (see `domain::money::MAX_AMOUNT`).
            t.purchases += purchases;
            t.revenue = t.revenue.saturating_add(revenue);
            match company.as_deref_mut() {
                Some((value, counted)) => {
                    if *counted & (1 << index) == 0 {
                        *counted |= 1 << index;
                        t.arr = t.arr.saturating_add(*value);
                    }
                }
                None => t.arr = t.arr.saturating_add(year),
            }
        }
    }
    Ok(report)
}

/// Company id → ARR (minor units) of the workspace's companies that have one.
fn company_arr(conn: &mut DbConn, workspace_id: i64) -> Result<HashMap<i64, Minor>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        arr: i64,
    }
    let mut q = Query::new("SELECT id, arr FROM companies WHERE workspace_id = ");
    q.bind(int(workspace_id)).push(" AND arr IS NOT NULL");
    Ok(q.load::<Row>(conn)?.into_iter().map(|r| (r.id, r.arr)).collect())
}

// ---------------------------------------------------------------------------------------
// Dashboard: users overview

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Overview {
    pub users: i64,
    pub active_users: i64,
    pub churned_users: i64,
    /// Users reachable on at least one channel (consent and a valid address for it).
    pub consented_users: i64,
    pub email_consented: i64,
    pub sms_consented: i64,
    pub new_users_30d: i64,
    pub new_users_12m: i64,
}

/// Users overview as of `now`: "new" counts `created_at` within the last 30 days / 12
/// calendar months.
pub fn overview(conn: &mut DbConn, users: &UserColumns, scope: Scope, now: NaiveDateTime) -> Result<Overview> {
    let members = scope_members(conn, scope)?;
    let d30 = now - Duration::days(30);
    let m12 = now.checked_sub_months(Months::new(12)).unwrap_or(now);
    let mut o = Overview::default();
    for i in users.positions(members.as_deref()) {
        let user = users.get(i);
        o.users += 1;
        o.active_users += i64::from(!user.churned);
        o.consented_users += i64::from(user.reachable());
        o.email_consented += i64::from(user.email_reachable);
        o.sms_consented += i64::from(user.sms_reachable);
        o.new_users_30d += i64::from(users.created_since(i, d30));
        o.new_users_12m += i64::from(users.created_since(i, m12));
    }
    o.churned_users = o.users - o.active_users;
    Ok(o)
}

// ---------------------------------------------------------------------------------------
// Dashboard: purchase activity

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentFilter {
    /// Users reachable on at least one channel.
    With,
    Without,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecencyFilter {
    New30d,
    New12m,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurchaseFilter {
    pub scope: Scope,
    pub consent: Option<ConsentFilter>,
    pub recency: Option<RecencyFilter>,
    pub channel: Option<String>,
    pub store: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Purchase activity of the orders that pass the filter (users' consent and recency as of
/// `now`), read from the order history; the users the filter keeps come from the user columns.
pub fn purchases(
    conn: &mut DbConn,
    history: &OrderHistory,
    users: &UserColumns,
    filter: &PurchaseFilter,
    now: NaiveDateTime,
) -> Result<PurchaseActivity> {
    let kept = if filter.consent.is_some() || filter.recency.is_some() || filter.scope != Scope::All {
        let members = scope_members(conn, filter.scope)?;
        let since = filter.recency.map(|recency| match recency {
            RecencyFilter::New30d => now - Duration::days(30),
            RecencyFilter::New12m => now.checked_sub_months(Months::new(12)).unwrap_or(now),
        });
        let keeps = |i: usize| {
            filter.consent.is_none_or(|c| users.get(i).reachable() == (c == ConsentFilter::With))
                && since.is_none_or(|since| users.created_since(i, since))
        };
        Some(users.positions(members.as_deref()).filter(|&i| keeps(i)).map(|i| users.ids()[i]).collect::<Vec<_>>())
    } else {
        None
    };
    let orders = OrderFilter {
        from: filter.from,
        to: filter.to,
        channel: filter.channel.as_deref(),
        store: filter.store.as_deref(),
    };
    Ok(history.purchases(kept.as_deref(), orders))
}

// ---------------------------------------------------------------------------------------
// Dashboard: RFM matrix, transitions, evolution; scoring matrix

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RfmMatrix {
    /// counts[r − 1][fm − 1].
    pub counts: [[i64; 5]; 5],
    pub scored: i64,
    pub unscored: i64,
}

impl RfmMatrix {
    pub fn segment_counts(&self) -> Vec<(RfmSegment, i64)> {
        let mut out: Vec<(RfmSegment, i64)> = RfmSegment::ALL.iter().map(|&s| (s, 0)).collect();
        for r in 1..=5u8 {
            for fm in 1..=5u8 {
                let segment = RfmSegment::from_scores(r, fm);
                out[segment as usize].1 += self.counts[usize::from(r - 1)][usize::from(fm - 1)];
            }
        }
        out
    }
}

/// The r × fm matrix of the users in scope as of `as_of` (another date than today, with the
/// order history it is recomputed from); `None` = the stored scores of the latest rescoring.
pub fn rfm_matrix(
    conn: &mut DbConn,
    users: &UserColumns,
    workspace_id: i64,
    scope: Scope,
    as_of: Option<(NaiveDate, &OrderHistory)>,
) -> Result<RfmMatrix> {
    let mut matrix = RfmMatrix::default();
    let mut count = |cell: Option<(u8, u8)>| match cell {
        Some((r, fm)) => {
            matrix.counts[usize::from(r.clamp(1, 5) - 1)][usize::from(fm.clamp(1, 5) - 1)] += 1;
            matrix.scored += 1;
        }
        None => matrix.unscored += 1,
    };
    match as_of {
        None => {
            let members = scope_members(conn, scope)?;
            for i in users.positions(members.as_deref()) {
                count(users.get(i).rfm.map(|(r, f, m)| (r, fm_score(f.clamp(1, 5), m.clamp(1, 5)))));
            }
        }
        Some((date, history)) => {
            let s = settings::get(conn, workspace_id)?;
            let scored = rfm_scores(conn, history, workspace_id, date, s.rfm_window_days, &s.rfm_scoring)?;
            let ids = scope_user_ids(conn, users, scope)?;
            for (_, score) in with_all_users(&ids, scored) {
                count(score.map(|s| (s.r_score, s.fm_score)));
            }
        }
    }
    Ok(matrix)
}

/// The transition matrix between two dates over the users in scope (all 81 cells).
pub fn rfm_transitions(
    conn: &mut DbConn,
    history: &OrderHistory,
    users: &UserColumns,
    workspace_id: i64,
    scope: Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<domain::rfm::TransitionCell>> {
    let ids = scope_user_ids(conn, users, scope)?;
    let s = settings::get(conn, workspace_id)?;
    let segments = per_date(&[from, to], |date| {
        let scored = computed_rfm(history, date, s.rfm_window_days, &s.rfm_scoring);
        with_all_users(&ids, scored).into_iter().map(|(_, score)| score.map(|s| s.segment)).collect::<Vec<_>>()
    });
    let [a, b] = <[Vec<Option<RfmSegment>>; 2]>::try_from(segments).expect("two dates");
    Ok(domain::rfm::transitions(a.into_iter().zip(b)))
}

/// The last day of each month from `from`'s month to `to`'s (the last one clamped to `to`).
pub fn month_ends(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut first = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    while first <= to {
        let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
        let end = (next - Duration::days(1)).min(to);
        out.push(end);
        if next == first {
            break;
        }
        first = next;
    }
    out
}

/// Per month end in `from..=to`: (date, users in `segment`, scored users) in scope.
pub fn rfm_evolution(
    conn: &mut DbConn,
    history: &OrderHistory,
    workspace_id: i64,
    scope: Scope,
    segment: Option<RfmSegment>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, i64)>> {
    // Every scored user is a user of the workspace: only a segment scope needs the ids.
    let ids = scope_members(conn, scope)?;
    let s = settings::get(conn, workspace_id)?;
    let dates = month_ends(from, to);
    let counts = per_date(&dates, |date| {
        let columns = history.rfm_columns(date, s.rfm_window_days);
        let segments = segments_of_columns(&columns.recency, &columns.frequency, &columns.monetary, &s.rfm_scoring);
        let in_scope = |id: &i64| ids.as_ref().is_none_or(|ids| ids.binary_search(id).is_ok());
        let (mut count, mut total) = (0, 0);
        for (id, scored) in columns.ids.iter().zip(segments) {
            if in_scope(id) {
                total += 1;
                count += i64::from(Some(scored) == segment);
            }
        }
        (count, total)
    });
    Ok(dates.into_iter().zip(counts).map(|(date, (count, total))| (date, count, total)).collect())
}

/// `f` of each date, in date order, on one thread per core. (Where the stored scores serve a
/// date they are equal to what the history gives, and reading them takes longer than
/// recomputing.)
fn per_date<T: Send>(dates: &[NaiveDate], f: impl Fn(NaiveDate) -> T + Sync) -> Vec<T> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, dates.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&date) = dates.get(i) else { break };
            mine.push((i, f(date)));
        }
        mine
    };
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for handle in handles {
            all.extend(handle.join().expect("a per-date worker panicked"));
        }
        all
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, value)| value).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScoringMatrix {
    /// counts[fit bucket − 1][engagement bucket − 1].
    pub counts: [[i64; 5]; 5],
    pub scored: i64,
    pub unscored: i64,
}

/// Users in scope bucketed by stored fit (rows) × engagement (columns).
pub fn scoring_matrix(conn: &mut DbConn, users: &UserColumns, scope: Scope) -> Result<ScoringMatrix> {
    let members = scope_members(conn, scope)?;
    let mut matrix = ScoringMatrix::default();
    for i in users.positions(members.as_deref()) {
        let user = users.get(i);
        match (user.fit, user.engagement) {
            (Some(fit), Some(engagement)) => {
                let b = |v: u8| usize::from(domain::scores::bucket(v.min(100)) - 1);
                matrix.counts[b(fit)][b(engagement)] += 1;
                matrix.scored += 1;
            }
            _ => matrix.unscored += 1,
        }
    }
    Ok(matrix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn month_ends_cover_the_range() {
        assert_eq!(
            month_ends(date(2024, 1, 15), date(2024, 3, 10)),
            vec![date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 10)]
        );
        assert_eq!(month_ends(date(2024, 5, 1), date(2024, 4, 1)), Vec::<NaiveDate>::new());
    }

    #[test]
    fn ascending_lookup_walks_once() {
        let sorted = [(2, 'a'), (5, 'b'), (6, 'c'), (9, 'd')];
        let mut lookup = ascending_lookup(&sorted);
        let found: Vec<Option<char>> = [1, 2, 3, 5, 6, 8, 9, 12].into_iter().map(&mut lookup).collect();
        assert_eq!(found, [None, Some('a'), None, Some('b'), Some('c'), None, Some('d'), None]);
    }

    #[test]
    fn all_users_are_listed_in_order() {
        let score = |r| RfmScore {
            recency_days: 0,
            frequency: 1,
            monetary: 1,
            r_score: r,
            f_score: 1,
            m_score: 1,
            fm_score: 1,
            segment: RfmSegment::Lost,
        };
        let merged = with_all_users(&[1, 2, 5, 7], vec![(2, score(2)), (3, score(3)), (7, score(5))]);
        let r: Vec<(i64, Option<u8>)> = merged.iter().map(|(id, s)| (*id, s.map(|s| s.r_score))).collect();
        assert_eq!(r, vec![(1, None), (2, Some(2)), (5, None), (7, Some(5))]);
    }
}
