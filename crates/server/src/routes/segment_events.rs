//! Segment events (docs/segment-events.md): who entered and exited a segment, and its size per
//! day. A segment id is a custom segment's (visible to the caller) or an RFM segment's (−1 …
//! −8).

use actix_web::{get, web};
use api_types::Page;
use api_types::segment_events::{HistoryPoint, SegmentEvent, SegmentEventType, SegmentHistory};
use chrono::{Days, NaiveTime};
use db::filters::Viewer;
use db::segment_events::{EventQuery, EventRow};
use domain::segment_events::{EventType, SegmentRef, size_history};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::params::{id_cursor, page_limit, parse_date, today, viewer};
use crate::views::event_type;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(events).service(history);
}

/// The longest history one request answers, in days.
const MAX_HISTORY_DAYS: i64 = 3 * 366;

/// The segment an id names, if the caller may see it: a custom segment of the workspace
/// visible to them, or an RFM segment; 404 otherwise.
fn visible(conn: &mut db::DbConn, workspace_id: i64, viewer: Viewer, id: i64) -> db::Result<SegmentRef> {
    let segment = SegmentRef::of_id(id).ok_or(db::Error::NotFound)?;
    if let SegmentRef::Custom(id) = segment {
        db::segments::get(conn, workspace_id, viewer, id)?;
    }
    Ok(segment)
}

fn event_view(row: EventRow) -> SegmentEvent {
    SegmentEvent {
        segment_id: row.segment_id,
        user_id: row.user_id,
        kind: event_type(row.kind()),
        external_id: row.external_id,
        at: row.at,
        trigger: row.cause,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EventsQuery {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// Only entries or only exits.
    #[param(value_type = Option<SegmentEventType>)]
    r#type: Option<String>,
    /// Only events at or after this date (`YYYY-MM-DD`, UTC) or instant (RFC 3339).
    since: Option<String>,
}

/// Who entered and exited the segment, newest first, with cursor pagination. Custom segments by
/// their id; the eight RFM segments by −1 (Champion) … −8 (Lost).
#[utoipa::path(operation_id = "listSegmentEvents", tag = "segments", security(("bearer" = ["read"])), params(EventsQuery), responses(
    (status = 200, body = Page<SegmentEvent>),
))]
#[get("/segments/{id}/events")]
async fn events(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    query: web::Query<EventsQuery>,
) -> ApiResult<web::Json<Page<SegmentEvent>>> {
    let query = query.into_inner();
    let before = id_cursor(query.cursor.as_deref())?;
    let kind = match query.r#type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => {
            Some(EventType::parse(text).ok_or_else(|| ApiError::invalid("type", "must be entered or exited"))?)
        }
        None => None,
    };
    let since = match query.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) if text.len() == 10 => parse_date("since", Some(text))?.map(|d| d.and_time(NaiveTime::MIN)),
        Some(text) => Some(
            chrono::DateTime::parse_from_rfc3339(text)
                .map_err(|_| ApiError::invalid("since", format!("'{text}' is not a date or an RFC 3339 instant")))?
                .naive_utc(),
        ),
        None => None,
    };
    let limit = page_limit(query.limit)?;
    let (ws, viewer, id) = (auth.workspace_id, viewer(&auth), id.into_inner());
    let (rows, more) = state
        .run(move |db| {
            Ok(db.read(|c| {
                let segment = visible(c, ws, viewer, id)?;
                db::segment_events::events(c, ws, segment, &EventQuery { limit, before, kind, since })
            })?)
        })
        .await?;
    let next = more.then(|| rows.last().map(|r| r.id.to_string())).flatten();
    Ok(web::Json(Page::new(rows.into_iter().map(event_view).collect(), next, None)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// First day (`YYYY-MM-DD`, UTC); by default 29 days before `to`.
    from: Option<String>,
    /// Last day; by default today. At most 1 098 days after `from`.
    to: Option<String>,
}

/// The segment's members at the end of each day from `from` to `to`, with the day's entries
/// and exits; the point of today is its member count now.
#[utoipa::path(operation_id = "getSegmentHistory", tag = "segments", security(("bearer" = ["read"])), params(HistoryQuery), responses(
    (status = 200, body = SegmentHistory),
))]
#[get("/segments/{id}/history")]
async fn history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> ApiResult<web::Json<SegmentHistory>> {
    let to = parse_date("to", query.to.as_deref())?.unwrap_or_else(today);
    let from =
        parse_date("from", query.from.as_deref())?.unwrap_or_else(|| to.checked_sub_days(Days::new(29)).unwrap_or(to));
    if from > to {
        return Err(ApiError::invalid("from", "must not be after to"));
    }
    if (to - from).num_days() >= MAX_HISTORY_DAYS {
        return Err(ApiError::invalid("from", format!("the range is at most {MAX_HISTORY_DAYS} days")));
    }
    let (ws, viewer, id) = (auth.workspace_id, viewer(&auth), id.into_inner());
    let (current, changes) = state
        .run(move |db| {
            Ok(db.read(|c| {
                let segment = visible(c, ws, viewer, id)?;
                let current = db::segment_events::member_count(c, ws, segment)?;
                Ok((current, db::segment_events::daily_changes(c, ws, segment, from)?))
            })?)
        })
        .await?;
    let points = size_history(current, from, to, &changes)
        .into_iter()
        .map(|p| HistoryPoint { date: p.date, size: p.size, entered: p.entered, exited: p.exited })
        .collect();
    Ok(web::Json(SegmentHistory { points }))
}
