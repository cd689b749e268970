//! The dashboard's metrics: users overview, purchase activity, RFM matrix, transitions and
//! evolution, and the scoring matrix.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use domain::rfm::{RfmSegment, fm_score, segments_of_columns};

use crate::history::{OrderFilter, OrderHistory, PurchaseActivity};
use crate::user_columns::UserColumns;
use db::settings::{self};
use db::{DbConn, Result};

use super::rfm::*;
use super::scope::*;

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
    let members = scope_members(conn, users, scope)?;
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
        let members = scope_members(conn, users, filter.scope)?;
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
            let members = scope_members(conn, users, scope)?;
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

/// Per month end in `from..=to`: (date, users in `segment`, scored users) in scope (the
/// members of [`scope_members`], ascending; `None` for the workspace: every scored user is one
/// of its users).
pub fn rfm_evolution(
    conn: &mut DbConn,
    history: &OrderHistory,
    workspace_id: i64,
    ids: Option<&[i64]>,
    segment: Option<RfmSegment>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, i64)>> {
    let s = settings::get(conn, workspace_id)?;
    let dates = month_ends(from, to);
    let counts = per_date(&dates, |date| {
        let columns = history.rfm_columns(date, s.rfm_window_days);
        let segments = segments_of_columns(&columns.recency, &columns.frequency, &columns.monetary, &s.rfm_scoring);
        let in_scope = |id: &i64| ids.is_none_or(|ids| ids.binary_search(id).is_ok());
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
    let members = scope_members(conn, users, scope)?;
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
    use domain::rfm::RfmScore;

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
