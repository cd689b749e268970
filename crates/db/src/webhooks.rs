//! Webhooks in the store (docs/webhooks.md): endpoints, and the outbox of their messages
//! (`webhook_deliveries`), written in the transaction that records the segment events and
//! claimed by one replica at a time for delivery.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use domain::segment_events::EventType;
use domain::webhooks::{MAX_USERS, WebhookEvent};

use crate::schema::{webhook_deliveries as deliveries, webhooks};
use crate::sql::{Count, Dialect, Param, Query};
use crate::{DbConn, Error, Result, on_backend};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: i64,
    pub workspace_id: i64,
    pub url: String,
    pub description: Option<String>,
    pub events: String,
    pub segment_ids: Option<String>,
    pub secret: String,
    pub paused: bool,
    pub failing_since: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl WebhookRow {
    pub fn events(&self) -> Vec<WebhookEvent> {
        self.events.split(',').filter_map(WebhookEvent::parse).collect()
    }

    /// The segments it is limited to; `None`: every segment.
    pub fn segment_ids(&self) -> Option<Vec<i64>> {
        self.segment_ids.as_ref().map(|ids| ids.split(',').filter_map(|id| id.parse().ok()).collect())
    }

    fn wants(&self, segment_id: i64, event: WebhookEvent) -> bool {
        self.events().contains(&event) && self.segment_ids().is_none_or(|ids| ids.contains(&segment_id))
    }
}

/// A new endpoint or a change of one (`None`: unchanged).
#[derive(Debug, Clone, Default)]
pub struct WebhookChanges {
    pub url: Option<String>,
    pub description: Option<Option<String>>,
    pub events: Option<Vec<WebhookEvent>>,
    /// `Some(None)`: every segment.
    pub segment_ids: Option<Option<Vec<i64>>>,
    pub paused: Option<bool>,
}

fn join<T: ToString>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

pub fn create(conn: &mut DbConn, workspace_id: i64, secret: &str, new: WebhookChanges) -> Result<WebhookRow> {
    let now = crate::now();
    let events: Vec<&str> = new.events.unwrap_or_default().iter().map(|e| e.key()).collect();
    let id: i64 = on_backend!(conn, c => diesel::insert_into(webhooks::table)
        .values((
            webhooks::workspace_id.eq(workspace_id),
            webhooks::url.eq(new.url.unwrap_or_default()),
            webhooks::description.eq(new.description.flatten()),
            webhooks::events.eq(events.join(",")),
            webhooks::segment_ids.eq(new.segment_ids.flatten().map(|ids| join(&ids))),
            webhooks::secret.eq(secret),
            webhooks::paused.eq(new.paused.unwrap_or(false)),
            webhooks::created_at.eq(now),
            webhooks::updated_at.eq(now),
        ))
        .returning(webhooks::id)
        .get_result(c))?;
    get(conn, workspace_id, id)
}

pub fn list(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<WebhookRow>> {
    Ok(webhooks::table
        .filter(webhooks::workspace_id.eq(workspace_id))
        .order(webhooks::id)
        .select(WebhookRow::as_select())
        .load(conn)?)
}

pub fn get(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<WebhookRow> {
    webhooks::table
        .find(id)
        .filter(webhooks::workspace_id.eq(workspace_id))
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)
}

/// Applies `changes`; resuming (`paused: false`) also lifts a disabling.
pub fn update(conn: &mut DbConn, workspace_id: i64, id: i64, changes: WebhookChanges) -> Result<WebhookRow> {
    let row = get(conn, workspace_id, id)?;
    let url = changes.url.unwrap_or(row.url);
    let description = changes.description.unwrap_or(row.description);
    let events = match changes.events {
        Some(events) => events.iter().map(|e| e.key()).collect::<Vec<_>>().join(","),
        None => row.events,
    };
    let segment_ids = match changes.segment_ids {
        Some(ids) => ids.map(|ids| join(&ids)),
        None => row.segment_ids,
    };
    let paused = changes.paused.unwrap_or(row.paused);
    let resumed = changes.paused == Some(false);
    diesel::update(webhooks::table.find(id))
        .set((
            webhooks::url.eq(url),
            webhooks::description.eq(description),
            webhooks::events.eq(events),
            webhooks::segment_ids.eq(segment_ids),
            webhooks::paused.eq(paused),
            webhooks::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    if resumed {
        diesel::update(webhooks::table.find(id))
            .set((webhooks::disabled_at.eq(None::<NaiveDateTime>), webhooks::failing_since.eq(None::<NaiveDateTime>)))
            .execute(conn)?;
    }
    get(conn, workspace_id, id)
}

pub fn set_secret(conn: &mut DbConn, workspace_id: i64, id: i64, secret: &str) -> Result<WebhookRow> {
    get(conn, workspace_id, id)?;
    diesel::update(webhooks::table.find(id))
        .set((webhooks::secret.eq(secret), webhooks::updated_at.eq(crate::now())))
        .execute(conn)?;
    get(conn, workspace_id, id)
}

pub fn delete(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<()> {
    get(conn, workspace_id, id)?;
    diesel::delete(deliveries::table.filter(deliveries::webhook_id.eq(id))).execute(conn)?;
    diesel::delete(webhooks::table.find(id)).execute(conn)?;
    Ok(())
}

/// The highest segment event id now (events recorded after it are > it).
pub fn last_event_id(conn: &mut DbConn) -> Result<i64> {
    let q = Query::new("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM segment_events");
    Ok(q.load::<Count>(conn)?.first().map_or(0, |c| c.n))
}

/// Writes the messages of the events recorded after `after` for `(segment, type)` pairs, one
/// per subscribed endpoint and up to [`MAX_USERS`] users each, into the outbox.
pub fn enqueue(conn: &mut DbConn, workspace_id: i64, after: i64, moves: &[(i64, EventType)]) -> Result<()> {
    let hooks = list(conn, workspace_id)?;
    if hooks.is_empty() {
        return Ok(());
    }
    let now = crate::now();
    for &(segment_id, kind) in moves {
        let event = WebhookEvent::of(kind);
        let wanted: Vec<&WebhookRow> = hooks.iter().filter(|h| h.wants(segment_id, event)).collect();
        if wanted.is_empty() {
            continue;
        }
        let mut q = Query::new("SELECT id AS n FROM segment_events WHERE workspace_id = ");
        q.bind(Param::I64(Some(workspace_id)))
            .push(" AND segment_id = ")
            .bind(Param::I64(Some(segment_id)))
            .push(" AND entered = ")
            .bind(Param::Bool(Some(kind == EventType::Entered)))
            .push(" AND id > ")
            .bind(Param::I64(Some(after)))
            .push(" ORDER BY id");
        let ids: Vec<i64> = q.load::<Count>(conn)?.into_iter().map(|c| c.n).collect();
        for chunk in ids.chunks(MAX_USERS) {
            let (first, last) = (chunk[0], chunk[chunk.len() - 1]);
            for hook in &wanted {
                insert(conn, hook, event.key(), Some((segment_id, first, last, chunk.len())), None, now)?;
            }
        }
    }
    Ok(())
}

/// A message to `hook`: of segment events, or with a ready body (a test message).
fn insert(
    conn: &mut DbConn,
    hook: &WebhookRow,
    event_type: &str,
    events: Option<(i64, i64, i64, usize)>,
    payload: Option<String>,
    now: NaiveDateTime,
) -> Result<i64> {
    let msg_id = format!("msg_{}", random_id());
    let id: i64 = on_backend!(conn, c => diesel::insert_into(deliveries::table)
        .values((
            deliveries::webhook_id.eq(hook.id),
            deliveries::workspace_id.eq(hook.workspace_id),
            deliveries::msg_id.eq(&msg_id),
            deliveries::event_type.eq(event_type),
            deliveries::segment_id.eq(events.map(|e| e.0)),
            deliveries::first_event_id.eq(events.map(|e| e.1)),
            deliveries::last_event_id.eq(events.map(|e| e.2)),
            deliveries::users.eq(events.map_or(0, |e| e.3 as i64)),
            deliveries::payload.eq(payload),
            deliveries::status.eq("pending"),
            deliveries::next_attempt_at.eq(now),
            deliveries::created_at.eq(now),
        ))
        .returning(deliveries::id)
        .get_result(c))?;
    Ok(id)
}

/// 16 random bytes in hex (a message id).
fn random_id() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A test message with a ready body.
pub fn enqueue_test(conn: &mut DbConn, workspace_id: i64, id: i64, body: String) -> Result<i64> {
    let hook = get(conn, workspace_id, id)?;
    insert(conn, &hook, "webhook.test", None, Some(body), crate::now())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = deliveries)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: i64,
    pub workspace_id: i64,
    pub msg_id: String,
    pub event_type: String,
    pub segment_id: Option<i64>,
    pub first_event_id: Option<i64>,
    pub last_event_id: Option<i64>,
    pub users: i64,
    pub payload: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// A page of an endpoint's messages, newest first, before the delivery id `before`.
pub fn deliveries_of(
    conn: &mut DbConn,
    workspace_id: i64,
    id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<(Vec<DeliveryRow>, bool)> {
    get(conn, workspace_id, id)?;
    let mut q = deliveries::table.filter(deliveries::webhook_id.eq(id)).into_boxed();
    if let Some(before) = before {
        q = q.filter(deliveries::id.lt(before));
    }
    let mut rows: Vec<DeliveryRow> =
        q.order(deliveries::id.desc()).limit(limit + 1).select(DeliveryRow::as_select()).load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// Claims up to `limit` messages due now for `lease`, on PostgreSQL skipping those another
/// replica holds (`FOR UPDATE SKIP LOCKED`): each is tried by one replica at a time, and
/// again after the lease if that replica died.
pub fn claim_due(conn: &mut DbConn, now: NaiveDateTime, lease: Duration, limit: i64) -> Result<Vec<i64>> {
    let mut due = Query::new("SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ");
    due.bind(Param::Ts(Some(now)))
        .push(" AND (claimed_until IS NULL OR claimed_until < ")
        .bind(Param::Ts(Some(now)))
        .push(") ORDER BY next_attempt_at, id LIMIT ")
        .bind(Param::I64(Some(limit)));
    due.push(Dialect::of(conn).skip_locked());
    let mut q = Query::new("UPDATE webhook_deliveries SET claimed_until = ");
    q.bind(Param::Ts(Some(now + lease))).push(" WHERE id IN (").append(due).push(") RETURNING id AS n");
    Ok(q.load::<Count>(conn)?.into_iter().map(|c| c.n).collect())
}

pub fn delivery(conn: &mut DbConn, id: i64) -> Result<(DeliveryRow, WebhookRow)> {
    let delivery: DeliveryRow = deliveries::table.find(id).select(DeliveryRow::as_select()).first(conn)?;
    let hook = get(conn, delivery.workspace_id, delivery.webhook_id)?;
    Ok((delivery, hook))
}

#[derive(QueryableByName)]
pub struct EventUser {
    #[diesel(sql_type = BigInt)]
    pub user_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub external_id: Option<String>,
}

/// The users of a message's events, and the name of its segment (custom: its name; RFM: the
/// caller names it).
pub fn message_users(conn: &mut DbConn, d: &DeliveryRow) -> Result<Vec<EventUser>> {
    let (Some(segment), Some(first), Some(last)) = (d.segment_id, d.first_event_id, d.last_event_id) else {
        return Ok(Vec::new());
    };
    let mut q = Query::new(
        "SELECT e.user_id, u.external_id FROM segment_events e LEFT JOIN users u ON u.id = e.user_id \
         WHERE e.workspace_id = ",
    );
    q.bind(Param::I64(Some(d.workspace_id)))
        .push(" AND e.segment_id = ")
        .bind(Param::I64(Some(segment)))
        .push(" AND e.entered = ")
        .bind(Param::Bool(Some(d.event_type == WebhookEvent::SegmentEntered.key())))
        .push(" AND e.id >= ")
        .bind(Param::I64(Some(first)))
        .push(" AND e.id <= ")
        .bind(Param::I64(Some(last)))
        .push(" ORDER BY e.id");
    Ok(q.load::<EventUser>(conn)?)
}

/// Keeps the body a message is first sent with, so that every retry sends the same.
pub fn keep_payload(conn: &mut DbConn, id: i64, payload: &str) -> Result<()> {
    diesel::update(deliveries::table.find(id)).set(deliveries::payload.eq(payload)).execute(conn)?;
    Ok(())
}

/// How an attempt went.
#[derive(Debug, Clone)]
pub enum Outcome {
    Delivered {
        status: i32,
    },
    /// Failed; tried again at `retry_at`, or given up when `None`.
    Failed {
        status: Option<i32>,
        error: String,
        retry_at: Option<NaiveDateTime>,
    },
    /// Not attempted (the endpoint is paused or disabled): tried again at this time.
    Held {
        retry_at: NaiveDateTime,
    },
}

/// Records an attempt and its effect on the endpoint: a success clears its failing streak; a
/// failure starts one, and disables the endpoint once it has lasted `disable_after`.
pub fn record_attempt(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
    outcome: Outcome,
    disable_after: Duration,
) -> Result<()> {
    let d: DeliveryRow = deliveries::table.find(id).select(DeliveryRow::as_select()).first(conn)?;
    let target = deliveries::table.find(id);
    match outcome {
        Outcome::Delivered { status } => {
            diesel::update(target)
                .set((
                    deliveries::status.eq("delivered"),
                    deliveries::attempts.eq(d.attempts + 1),
                    deliveries::last_status.eq(Some(status)),
                    deliveries::last_error.eq(None::<String>),
                    deliveries::delivered_at.eq(Some(now)),
                    deliveries::claimed_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            diesel::update(webhooks::table.find(d.webhook_id))
                .set(webhooks::failing_since.eq(None::<NaiveDateTime>))
                .execute(conn)?;
        }
        Outcome::Failed { status, error, retry_at } => {
            diesel::update(target)
                .set((
                    deliveries::status.eq(if retry_at.is_some() { "pending" } else { "failed" }),
                    deliveries::attempts.eq(d.attempts + 1),
                    deliveries::last_status.eq(status),
                    deliveries::last_error.eq(Some(error)),
                    deliveries::next_attempt_at.eq(retry_at.unwrap_or(d.next_attempt_at)),
                    deliveries::claimed_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            let hook: WebhookRow = webhooks::table.find(d.webhook_id).select(WebhookRow::as_select()).first(conn)?;
            match hook.failing_since {
                None => {
                    diesel::update(webhooks::table.find(hook.id))
                        .set(webhooks::failing_since.eq(Some(now)))
                        .execute(conn)?;
                }
                Some(since) if now - since >= disable_after && hook.disabled_at.is_none() => {
                    diesel::update(webhooks::table.find(hook.id))
                        .set(webhooks::disabled_at.eq(Some(now)))
                        .execute(conn)?;
                }
                Some(_) => {}
            }
        }
        Outcome::Held { retry_at } => {
            diesel::update(target)
                .set((deliveries::next_attempt_at.eq(retry_at), deliveries::claimed_until.eq(None::<NaiveDateTime>)))
                .execute(conn)?;
        }
    }
    Ok(())
}
