//! Saving with its refresh, and the refresh: the difference applied to the stored membership
//! with its events, segments refreshed after those they refer to, stale ones by the schedule.

use std::collections::BTreeSet;
use std::time::Instant;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use domain::segment_events::{EventType, Trigger};

use super::evaluation::*;
use super::rows::*;
use super::writes::*;
use crate::filters::Viewer;
use crate::schema::segments;
use crate::segment_events::Moved;
use crate::sql::{Param, Query, drop_temp_table, temp_table};
use crate::{Db, DbConn, Error, Result};

/// Creates (`id: None`) or changes a segment, then refreshes its membership (and that of the
/// segments depending on it). A failed refresh leaves the saved segment with its
/// `refresh_error`.
pub fn save(db: &Db, workspace_id: i64, viewer: Viewer, id: Option<i64>, draft: SegmentDraft) -> Result<SegmentRow> {
    let row = db.write(|c| match id {
        None => create(c, workspace_id, viewer, draft),
        Some(id) => update(c, workspace_id, viewer, id, draft),
    })?;
    refresh_saved(db, workspace_id, viewer, row.id)
}

/// A copy of a segment ("Copy of …"), refreshed.
pub fn save_copy(db: &Db, workspace_id: i64, viewer: Viewer, id: i64) -> Result<SegmentRow> {
    let row = db.write(|c| duplicate(c, workspace_id, viewer, id))?;
    refresh_saved(db, workspace_id, viewer, row.id)
}

pub(super) fn refresh_saved(db: &Db, workspace_id: i64, viewer: Viewer, id: i64) -> Result<SegmentRow> {
    match refresh(db, workspace_id, viewer, id, Trigger::Save) {
        Ok(row) => Ok(row),
        // Recorded on the segment by the refresh.
        Err(_) => db.read(|c| get(c, workspace_id, viewer, id)),
    }
}

/// Recomputes one segment's membership inside the caller's write transaction, recording who
/// entered and exited (`segment_events`, caused by `cause`).
///
/// The matching users go into `segment_refresh` with what the counts need, the difference with
/// the stored membership into `segment_moves` (`entered` 1 or 0); the events, the deletions
/// and the insertions are each written from the difference.
pub(super) fn refresh_in(
    conn: &mut DbConn,
    segment: &SegmentRow,
    now: NaiveDateTime,
    cause: Trigger,
) -> Result<Counts> {
    let ws = segment.workspace_id;
    let id = Param::I64(Some(segment.id));
    temp_table(conn, "segment_refresh", "active INTEGER NOT NULL, online INTEGER NOT NULL")?;
    temp_table(conn, "segment_moves", "entered INTEGER NOT NULL")?;
    let predicate = matching(conn, ws, &segment.tree()?, now)?;
    let pass = pass(conn, ws, &predicate, 1)?;
    // each member's counts are taken in the pass that finds them (a second visit of 100 000
    // users' rows to count them took longer than the whole difference with its events)
    let mut fill = Query::new(
        "INSERT INTO segment_refresh (user_id, active, online) SELECT u.id, \
         CASE WHEN u.churned_at IS NULL THEN 1 ELSE 0 END, \
         CASE WHEN u.churned_at IS NULL AND u.last_seen_at >= ",
    );
    fill.bind(Param::Ts(Some(online_since(conn, ws, now)?))).push(" THEN 1 ELSE 0 END");
    fill.append(pass_bodies(ws, &predicate, &pass).remove(0));
    fill.execute(conn)?;

    let mut exits = Query::new(
        "INSERT INTO segment_moves (user_id, entered) SELECT m.user_id, 0 FROM segment_members m WHERE m.segment_id = ",
    );
    exits.bind(id.clone()).push(" AND NOT EXISTS (SELECT 1 FROM segment_refresh r WHERE r.user_id = m.user_id)");
    let exited = exits.execute(conn)?;
    let mut entries = Query::new(
        "INSERT INTO segment_moves (user_id, entered) SELECT r.user_id, 1 FROM segment_refresh r \
         WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ",
    );
    entries.bind(id.clone()).push(" AND m.user_id = r.user_id)");
    let entered = entries.execute(conn)?;

    if crate::segment_events::recording() && exited + entered > 0 {
        let after = crate::webhooks::last_event_id(conn)?;
        for kind in [EventType::Exited, EventType::Entered] {
            let mut events = crate::segment_events::insert_select(ws, segment.id, kind, now, cause);
            events
                .push("user_id FROM segment_moves WHERE entered = ")
                .push(if kind == EventType::Entered { "1" } else { "0" })
                .push(" ORDER BY user_id");
            events.execute(conn)?;
        }
        let moved = Moved { segment_id: segment.id, entered: entered as i64, exited: exited as i64 };
        crate::segment_events::recorded(conn, ws, after, now, &[moved])?;
    }
    if exited > 0 {
        let mut gone = Query::new("DELETE FROM segment_members WHERE segment_id = ");
        gone.bind(id.clone()).push(" AND user_id IN (SELECT user_id FROM segment_moves WHERE entered = 0)");
        gone.execute(conn)?;
    }
    if entered > 0 {
        let mut enter = Query::new("INSERT INTO segment_members (segment_id, user_id, entered_at) SELECT ");
        enter
            .bind(id.clone())
            .push(", user_id, ")
            .bind(Param::Ts(Some(now)))
            .push(" FROM segment_moves WHERE entered = 1 ORDER BY user_id");
        enter.execute(conn)?;
    }
    let counts = Query::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total, CAST(COALESCE(SUM(active), 0) AS BIGINT) AS size, \
         CAST(COALESCE(SUM(online), 0) AS BIGINT) AS online FROM segment_refresh",
    )
    .load::<Counts>(conn)?
    .into_iter()
    .next()
    .unwrap_or_default();
    drop_temp_table(conn, "segment_refresh")?;
    drop_temp_table(conn, "segment_moves")?;
    Ok(counts)
}

pub(super) fn record(conn: &mut DbConn, id: i64, now: NaiveDateTime, counts: Counts, ms: i64) -> Result<()> {
    diesel::update(segments::table.find(id))
        .set((
            segments::size.eq(counts.size),
            segments::online.eq(counts.online),
            segments::offline.eq(counts.offline()),
            segments::refreshed_at.eq(Some(now)),
            segments::refresh_ms.eq(Some(ms)),
            segments::refresh_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Refreshes one segment in its own write transaction; a failure is recorded on the segment
/// (`refresh_error`, `refresh_ms`) and returned. With `stale_before`, a segment refreshed at
/// or after that instant (by another replica, say) is skipped: the check and the refresh
/// happen in the same transaction, which holds the segment's row.
pub(super) fn refresh_one(
    db: &Db,
    segment_id: i64,
    stale_before: Option<NaiveDateTime>,
    cause: Trigger,
) -> Result<bool> {
    let started = Instant::now();
    let now = crate::now();
    let result = db.write(|conn| {
        let mut claim = Query::new("UPDATE segments SET refreshed_at = ");
        claim.bind(Param::Ts(Some(now))).push(" WHERE id = ").bind(Param::I64(Some(segment_id)));
        if let Some(before) = stale_before {
            claim.push(" AND (refreshed_at IS NULL OR refreshed_at < ").bind(Param::Ts(Some(before))).push(")");
        }
        if claim.execute(conn)? == 0 {
            return Ok(false);
        }
        let segment: SegmentRow = segments::table.find(segment_id).select(SegmentRow::as_select()).first(conn)?;
        let counts = refresh_in(conn, &segment, now, cause)?;
        let ms = started.elapsed().as_millis() as i64;
        record(conn, segment_id, now, counts, ms)?;
        Ok(true)
    });
    if let Err(e) = &result {
        let ms = started.elapsed().as_millis() as i64;
        tracing::error!(segment_id, error = %e, "segment refresh failed");
        let message = match e {
            Error::Query(_) | Error::Pool(_) | Error::Connection(_) => {
                "the database could not evaluate the segment".to_string()
            }
            other => other.to_string(),
        };
        let _ = db.write(|conn| {
            diesel::update(segments::table.find(segment_id))
                .set((segments::refresh_ms.eq(Some(ms)), segments::refresh_error.eq(Some(message))))
                .execute(conn)?;
            Ok(())
        });
    }
    result
}

/// Segment ids in an order where every segment comes after the segments it refers to
/// (segments on a cycle, which saving prevents, come last).
pub(super) fn dependency_order(rows: &[SegmentRow]) -> Vec<i64> {
    let graph = reference_graph(rows);
    let mut done: BTreeSet<i64> = BTreeSet::new();
    let mut order = Vec::with_capacity(rows.len());
    let mut remaining: Vec<i64> = rows.iter().map(|r| r.id).collect();
    while !remaining.is_empty() {
        let (ready, blocked): (Vec<i64>, Vec<i64>) = remaining
            .iter()
            .partition(|id| graph[*id].iter().all(|r| done.contains(r) || !graph.contains_key(r) || r == *id));
        if ready.is_empty() {
            order.extend(blocked);
            break;
        }
        done.extend(ready.iter().copied());
        order.extend(ready);
        remaining = blocked;
    }
    order
}

/// Refreshes a segment and then every segment that depends on it, directly or not.
pub fn refresh(db: &Db, workspace_id: i64, viewer: Viewer, id: i64, cause: Trigger) -> Result<SegmentRow> {
    let rows = db.read(|c| {
        get(c, workspace_id, viewer, id)?;
        all_rows(c, workspace_id)
    })?;
    let graph = reference_graph(&rows);
    let mut affected = BTreeSet::from([id]);
    loop {
        let before = affected.len();
        for (s, refs) in &graph {
            if refs.iter().any(|r| affected.contains(r)) {
                affected.insert(*s);
            }
        }
        if affected.len() == before {
            break;
        }
    }
    for segment in dependency_order(&rows).into_iter().filter(|s| affected.contains(s)) {
        let result = refresh_one(db, segment, None, cause);
        if segment == id {
            result?;
        }
    }
    db.read(|c| get(c, workspace_id, viewer, id))
}

/// Refreshes every segment of the workspace (after its data changed). Failures are recorded
/// on their segments; the others still refresh.
pub fn refresh_workspace(db: &Db, workspace_id: i64, cause: Trigger) -> Result<()> {
    let rows = db.read(|c| all_rows(c, workspace_id))?;
    for id in dependency_order(&rows) {
        let _ = refresh_one(db, id, None, cause);
    }
    Ok(())
}

/// Refreshes the segments of every workspace last refreshed more than `max_age` ago (or
/// never). Safe to run on several replicas at once: each segment is claimed in the
/// transaction that refreshes it. Returns how many this call refreshed.
pub fn refresh_stale(db: &Db, max_age: Duration) -> Result<usize> {
    let mut refreshed = 0;
    for workspace_id in db.read(crate::auth::workspace_ids)? {
        let cutoff = crate::now() - max_age;
        let rows = db.read(|c| all_rows(c, workspace_id))?;
        let stale: BTreeSet<i64> =
            rows.iter().filter(|r| r.refreshed_at.is_none_or(|t| t < cutoff)).map(|r| r.id).collect();
        for id in dependency_order(&rows).into_iter().filter(|id| stale.contains(id)) {
            if let Ok(true) = refresh_one(db, id, Some(cutoff), Trigger::Schedule) {
                refreshed += 1;
            }
        }
    }
    Ok(refreshed)
}
