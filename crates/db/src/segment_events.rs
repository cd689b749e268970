//! Segment events in the store (docs/segment-events.md): each change of membership, of custom
//! segments (written by the refresh, `crate::segments`) and of RFM segments (written by the
//! engine's rescoring), in `segment_events`, in the transaction that changes it; read back as
//! a segment's events, its size per day, and a user's timeline.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};
use domain::rfm::RfmSegment;
use domain::segment_events::{EventType, SegmentRef, Trigger};

use crate::sql::{Count, Param, Query, date_of_day, day_of_date};
use crate::{DbConn, Result};

/// Rows per multi-row `INSERT` (6 parameters a row, under SQLite's 32766).
const INSERT_BATCH: usize = 5000;

/// Whether a refresh records its changes: always, except on a thread inside
/// `faults::without_history` (feature `test-support`), where a benchmark measures the refresh
/// without them.
pub(crate) fn recording() -> bool {
    #[cfg(feature = "test-support")]
    {
        !crate::faults::HISTORY_OFF.get()
    }
    #[cfg(not(feature = "test-support"))]
    {
        true
    }
}

/// `INSERT INTO segment_events (…) SELECT ` with the constant columns bound; the caller adds
/// the user id column and the `FROM`.
pub(crate) fn insert_select(
    workspace_id: i64,
    segment_id: i64,
    kind: EventType,
    at: NaiveDateTime,
    cause: Trigger,
) -> Query {
    let mut q =
        Query::new("INSERT INTO segment_events (workspace_id, segment_id, entered, at, cause, user_id) SELECT ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(", ")
        .bind(Param::I64(Some(segment_id)))
        .push(", ")
        .bind(Param::Bool(Some(kind == EventType::Entered)))
        .push(", ")
        .bind(Param::Ts(Some(at)))
        .push(", ")
        .bind(Param::text(cause.key()))
        .push(", ");
    q
}

/// Records events of one cause and time: (segment id, user id, type) each.
pub fn record(
    conn: &mut DbConn,
    workspace_id: i64,
    at: NaiveDateTime,
    cause: Trigger,
    events: &[(i64, i64, EventType)],
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let after = crate::webhooks::last_event_id(conn)?;
    let cause = cause.key();
    for batch in events.chunks(INSERT_BATCH) {
        let mut q =
            Query::new("INSERT INTO segment_events (workspace_id, segment_id, user_id, entered, at, cause) VALUES ");
        for (n, &(segment_id, user_id, kind)) in batch.iter().enumerate() {
            q.push(if n == 0 { "(" } else { ", (" });
            q.bind(Param::I64(Some(workspace_id)))
                .push(", ")
                .bind(Param::I64(Some(segment_id)))
                .push(", ")
                .bind(Param::I64(Some(user_id)))
                .push(", ")
                .bind(Param::Bool(Some(kind == EventType::Entered)))
                .push(", ")
                .bind(Param::Ts(Some(at)))
                .push(", ")
                .bind(Param::text(cause.clone()))
                .push(")");
        }
        q.execute(conn)?;
    }
    let mut moved: Vec<Moved> = Vec::new();
    for &(segment_id, _, kind) in events {
        let i = match moved.iter().position(|m| m.segment_id == segment_id) {
            Some(i) => i,
            None => {
                moved.push(Moved { segment_id, entered: 0, exited: 0 });
                moved.len() - 1
            }
        };
        match kind {
            EventType::Entered => moved[i].entered += 1,
            EventType::Exited => moved[i].exited += 1,
        }
    }
    recorded(conn, workspace_id, after, at, &moved)
}

/// How many users entered and exited one segment at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub segment_id: i64,
    pub entered: i64,
    pub exited: i64,
}

/// What follows the recording of the events of one instant `at` (those after the event id
/// `after`), in the same transaction: the day's counts, and the webhook messages.
pub(crate) fn recorded(
    conn: &mut DbConn,
    workspace_id: i64,
    after: i64,
    at: NaiveDateTime,
    moved: &[Moved],
) -> Result<()> {
    let day = day_of_date(at.date());
    let moved: Vec<&Moved> = moved.iter().filter(|m| m.entered > 0 || m.exited > 0).collect();
    for m in &moved {
        let mut first =
            Query::new("SELECT CAST(COALESCE(MIN(id), 0) AS BIGINT) AS n FROM segment_events WHERE workspace_id = ");
        first
            .bind(Param::I64(Some(workspace_id)))
            .push(" AND segment_id = ")
            .bind(Param::I64(Some(m.segment_id)))
            .push(" AND id > ")
            .bind(Param::I64(Some(after)));
        let first = first.load::<Count>(conn)?.first().map_or(0, |c| c.n);
        let mut q = Query::new(
            "INSERT INTO segment_days (workspace_id, segment_id, day, entered, exited, first_event) VALUES (",
        );
        q.bind(Param::I64(Some(workspace_id)))
            .push(", ")
            .bind(Param::I64(Some(m.segment_id)))
            .push(", ")
            .bind(Param::I64(Some(day)))
            .push(", ")
            .bind(Param::I64(Some(m.entered)))
            .push(", ")
            .bind(Param::I64(Some(m.exited)))
            .push(", ")
            .bind(Param::I64(Some(first)))
            // a day recorded before `first_event` existed keeps none: it gives no bound
            .push(
                ") ON CONFLICT (workspace_id, segment_id, day) DO UPDATE SET \
                 entered = segment_days.entered + excluded.entered, exited = segment_days.exited + excluded.exited, \
                 first_event = CASE WHEN excluded.first_event < segment_days.first_event \
                 THEN excluded.first_event ELSE segment_days.first_event END",
            );
        q.execute(conn)?;
    }
    let mut moves = Vec::new();
    for m in moved {
        if m.exited > 0 {
            moves.push((m.segment_id, EventType::Exited));
        }
        if m.entered > 0 {
            moves.push((m.segment_id, EventType::Entered));
        }
    }
    crate::webhooks::enqueue(conn, workspace_id, after, &moves)
}

/// The exits of a user who is being deleted, from every custom and RFM segment they are in
/// (call before the deletion).
pub fn record_deletion(conn: &mut DbConn, workspace_id: i64, user_id: i64, at: NaiveDateTime) -> Result<()> {
    let mut custom = Query::new("SELECT segment_id AS n FROM segment_members WHERE user_id = ");
    custom.bind(Param::I64(Some(user_id)));
    let mut events: Vec<(i64, i64, EventType)> =
        custom.load::<Count>(conn)?.into_iter().map(|c| (c.n, user_id, EventType::Exited)).collect();
    let mut rfm = Query::new("SELECT rfm_segment AS key FROM users WHERE id = ");
    rfm.bind(Param::I64(Some(user_id)));
    if let Some(segment) =
        rfm.load::<RfmKey>(conn)?.into_iter().find_map(|r| r.key.as_deref().and_then(RfmSegment::from_key))
    {
        events.push((segment.id(), user_id, EventType::Exited));
    }
    record(conn, workspace_id, at, Trigger::UserDeleted, &events)
}

#[derive(QueryableByName)]
struct RfmKey {
    #[diesel(sql_type = Nullable<Text>)]
    key: Option<String>,
}

/// The events of a custom segment that is deleted go with it.
pub fn forget_segment(conn: &mut DbConn, workspace_id: i64, segment_id: i64) -> Result<()> {
    for table in ["segment_events", "segment_days"] {
        let mut q = Query::new(format!("DELETE FROM {table} WHERE workspace_id = "));
        q.bind(Param::I64(Some(workspace_id))).push(" AND segment_id = ").bind(Param::I64(Some(segment_id)));
        q.execute(conn)?;
    }
    Ok(())
}

/// One event as read back.
#[derive(Debug, Clone, QueryableByName)]
pub struct EventRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub segment_id: i64,
    #[diesel(sql_type = BigInt)]
    pub user_id: i64,
    /// Null once the user is deleted.
    #[diesel(sql_type = Nullable<Text>)]
    pub external_id: Option<String>,
    #[diesel(sql_type = Bool)]
    pub entered: bool,
    #[diesel(sql_type = Timestamp)]
    pub at: NaiveDateTime,
    #[diesel(sql_type = Text)]
    pub cause: String,
}

impl EventRow {
    pub fn kind(&self) -> EventType {
        if self.entered { EventType::Entered } else { EventType::Exited }
    }
}

/// Which events of a segment to read: newest first, `limit` of them, before the event id
/// `before` (the cursor), of one type, at or after `since`.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub limit: i64,
    pub before: Option<i64>,
    pub kind: Option<EventType>,
    pub since: Option<NaiveDateTime>,
}

/// A page of a segment's events, newest first, and whether more follow.
pub fn events(
    conn: &mut DbConn,
    workspace_id: i64,
    segment: SegmentRef,
    query: &EventQuery,
) -> Result<(Vec<EventRow>, bool)> {
    let mut q = Query::new(
        "SELECT e.id, e.segment_id, e.user_id, u.external_id, e.entered, e.at, e.cause FROM segment_events e \
         LEFT JOIN users u ON u.id = e.user_id WHERE e.workspace_id = ",
    );
    q.bind(Param::I64(Some(workspace_id))).push(" AND e.segment_id = ").bind(Param::I64(Some(segment.id())));
    if let Some(before) = query.before {
        q.push(" AND e.id < ").bind(Param::I64(Some(before)));
    }
    if let Some(kind) = query.kind {
        q.push(" AND e.entered = ").bind(Param::Bool(Some(kind == EventType::Entered)));
    }
    if let Some(since) = query.since {
        match first_event_since(conn, workspace_id, segment, since.date())? {
            Some(Some(first)) => {
                q.push(" AND e.id >= ").bind(Param::I64(Some(first)));
            }
            Some(None) => {}
            None => return Ok((Vec::new(), false)),
        }
        q.push(" AND e.at >= ").bind(Param::Ts(Some(since)));
    }
    q.push(" ORDER BY e.id DESC LIMIT ").bind(Param::I64(Some(query.limit + 1)));
    let mut rows = q.load::<EventRow>(conn)?;
    let more = rows.len() as i64 > query.limit;
    rows.truncate(query.limit.max(0) as usize);
    Ok((rows, more))
}

#[derive(QueryableByName)]
struct FirstEvent {
    #[diesel(sql_type = BigInt)]
    days: i64,
    #[diesel(sql_type = BigInt)]
    known: i64,
    #[diesel(sql_type = BigInt)]
    first: i64,
}

/// The id of a segment's first event on `day` or later, from `segment_days`: `None` when it has
/// none (no day from then on has a change), `Some(None)` when a day from then on was recorded
/// before the days kept their first event (no bound known).
fn first_event_since(
    conn: &mut DbConn,
    workspace_id: i64,
    segment: SegmentRef,
    day: NaiveDate,
) -> Result<Option<Option<i64>>> {
    let mut q = Query::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS days, CAST(COUNT(first_event) AS BIGINT) AS known, \
         CAST(COALESCE(MIN(first_event), 0) AS BIGINT) AS first FROM segment_days WHERE workspace_id = ",
    );
    q.bind(Param::I64(Some(workspace_id)))
        .push(" AND segment_id = ")
        .bind(Param::I64(Some(segment.id())))
        .push(" AND day >= ")
        .bind(Param::I64(Some(day_of_date(day))));
    let Some(f) = q.load::<FirstEvent>(conn)?.into_iter().next() else { return Ok(None) };
    Ok(match (f.days, f.known) {
        (0, _) => None,
        (days, known) if known < days => Some(None),
        _ => Some(Some(f.first)),
    })
}

#[derive(QueryableByName)]
struct DayChanges {
    #[diesel(sql_type = BigInt)]
    day: i64,
    #[diesel(sql_type = BigInt)]
    entered: i64,
    #[diesel(sql_type = BigInt)]
    exited: i64,
}

/// A segment's entries and exits per day (UTC) from `from` on, days after any range included
/// (see `domain::segment_events::size_history`), as `segment_days` keeps them.
pub fn daily_changes(
    conn: &mut DbConn,
    workspace_id: i64,
    segment: SegmentRef,
    from: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, i64)>> {
    let first = day_of_date(from);
    let mut q = Query::new("SELECT day, entered, exited FROM segment_days WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(" AND segment_id = ")
        .bind(Param::I64(Some(segment.id())))
        .push(" AND day >= ")
        .bind(Param::I64(Some(first)));
    // a day out of the calendar's range cannot be stored; skipped rather than failing
    Ok(q.load::<DayChanges>(conn)?
        .into_iter()
        .filter_map(|d| Some((date_of_day(d.day)?, d.entered, d.exited)))
        .collect())
}

/// Members of a segment now: a custom segment's rows in `segment_members`, the users of an RFM
/// segment.
pub fn member_count(conn: &mut DbConn, workspace_id: i64, segment: SegmentRef) -> Result<i64> {
    let q = match segment {
        SegmentRef::Custom(id) => {
            let mut q = Query::new("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM segment_members WHERE segment_id = ");
            q.bind(Param::I64(Some(id)));
            q
        }
        SegmentRef::Rfm(rfm) => {
            let mut q = Query::new("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users WHERE workspace_id = ");
            q.bind(Param::I64(Some(workspace_id))).push(" AND rfm_segment = ").bind(Param::text(rfm.key()));
            q
        }
    };
    Ok(q.load::<Count>(conn)?.first().map_or(0, |c| c.n))
}

/// A user's latest segment events, newest first.
pub fn user_timeline(conn: &mut DbConn, workspace_id: i64, user_id: i64, limit: i64) -> Result<Vec<EventRow>> {
    let mut q = Query::new(
        "SELECT e.id, e.segment_id, e.user_id, CAST(NULL AS TEXT) AS external_id, e.entered, e.at, e.cause FROM segment_events e \
         WHERE e.user_id = ",
    );
    q.bind(Param::I64(Some(user_id)))
        .push(" AND e.workspace_id = ")
        .bind(Param::I64(Some(workspace_id)))
        .push(" ORDER BY e.id DESC LIMIT ")
        .bind(Param::I64(Some(limit)));
    Ok(q.load::<EventRow>(conn)?)
}
