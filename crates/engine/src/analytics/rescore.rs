//! The rescoring run: RFM and health/engagement/fit scores stored on every user, the moves
//! between RFM segments recorded as segment events.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime, Weekday};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Timestamp};
use domain::money::Minor;
use domain::rfm::{RfmInput, RfmScore, RfmSegment, score_all};
use domain::scores::{Metric, ScoreConfig, ScoreKind, evaluate};
use domain::segment_events::{EventType, Trigger};

use crate::history::OrderHistory;
use db::settings::{self, WorkspaceSettings};
use db::sql::{Dialect, Param, Query};
use db::{Db, DbConn, Result};

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

/// Rows per `UPDATE … FROM (VALUES …)` statement of the rescoring (9 parameters a row, under
/// SQLite's 32766).
const WRITE_BATCH: usize = 3000;
use super::common::*;
use super::rfm::*;

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
