//! Segment metrics (docs/metrics.md): the eight RFM segments' sizes, values and activity.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use domain::metrics::SegmentTotals;
use domain::money::Minor;
use domain::rfm::RfmSegment;

use crate::history::OrderHistory;
use crate::user_columns::UserColumns;
use db::settings::{self};
use db::sql::Query;
use db::{DbConn, Result};

use super::common::*;
use super::rfm::*;
use super::scope::*;

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
    let members = scope_members(conn, users, scope)?;

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
