//! Segment events in the store (docs/segment-events.md): each change of membership, of custom
//! segments (written by the refresh, `crate::segments`) and of RFM segments (written by the
//! engine's rescoring), in `segment_events`, in the transaction that changes it; read back as
//! a segment's events, its size per day, and a user's timeline.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};
use domain::rfm::RfmSegment;
use domain::segment_events::{EventType, SegmentRef, Trigger};

use crate::sql::{Count, Param, Query, date_of_day, day_number};
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
    let mut moves: Vec<(i64, EventType)> = events.iter().map(|&(segment, _, kind)| (segment, kind)).collect();
    moves.sort_by_key(|&(segment, kind)| (segment, kind == EventType::Entered));
    moves.dedup();
    recorded(conn, workspace_id, after, &moves)
}

/// What follows the recording of events (those after the event id `after`, of these segments
/// and types), in the same transaction: the counts per day, and the webhook messages.
pub fn recorded(conn: &mut DbConn, workspace_id: i64, after: i64, moves: &[(i64, EventType)]) -> Result<()> {
    let mut segments: Vec<i64> = moves.iter().map(|&(segment, _)| segment).collect();
    segments.dedup();
    let day = day_number(crate::sql::Dialect::of(conn), "at");
    for segment in segments {
        let mut q = Query::new(format!(
            "INSERT INTO segment_days (workspace_id, segment_id, day, entered, exited) \
             SELECT workspace_id, segment_id, {day}, CAST(SUM(CASE WHEN entered THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN entered THEN 0 ELSE 1 END) AS BIGINT) FROM segment_events WHERE workspace_id = "
        ));
        q.bind(Param::I64(Some(workspace_id)))
            .push(" AND segment_id = ")
            .bind(Param::I64(Some(segment)))
            .push(" AND id > ")
            .bind(Param::I64(Some(after)))
            .push(&format!(
                " GROUP BY workspace_id, segment_id, {day} ON CONFLICT (workspace_id, segment_id, day) DO UPDATE SET \
                 entered = segment_days.entered + excluded.entered, exited = segment_days.exited + excluded.exited"
            ));
        q.execute(conn)?;
    }
    crate::webhooks::enqueue(conn, workspace_id, after, moves)
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
        q.push(" AND e.at >= ").bind(Param::Ts(Some(since)));
    }
    q.push(" ORDER BY e.id DESC LIMIT ").bind(Param::I64(Some(query.limit + 1)));
    let mut rows = q.load::<EventRow>(conn)?;
    let more = rows.len() as i64 > query.limit;
    rows.truncate(query.limit.max(0) as usize);
    Ok((rows, more))
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
    let first = (from - NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch")).num_days();
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
