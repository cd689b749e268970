//! Webhooks (admins; docs/webhooks.md): endpoints that receive segment events, their secrets,
//! a test message and the deliveries.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::Page;
use api_types::auth::Scope;
use api_types::webhooks::{
    CreatedWebhook, DeliveryStatus, Webhook, WebhookDelivery, WebhookEventType, WebhookInput, WebhookTest,
};
use db::webhooks::{DeliveryRow, WebhookChanges, WebhookRow};
use domain::segment_events::SegmentRef;
use domain::webhooks::WebhookEvent;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::body::Json;
use crate::params::{id_cursor, page_limit};
use crate::webhooks::{Refused, check_url, new_secret};
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(rotate)
        .service(test)
        .service(deliveries);
}

fn event_type(event: WebhookEvent) -> WebhookEventType {
    match event {
        WebhookEvent::SegmentEntered => WebhookEventType::SegmentEntered,
        WebhookEvent::SegmentExited => WebhookEventType::SegmentExited,
    }
}

fn event(kind: WebhookEventType) -> WebhookEvent {
    match kind {
        WebhookEventType::SegmentEntered => WebhookEvent::SegmentEntered,
        WebhookEventType::SegmentExited => WebhookEvent::SegmentExited,
    }
}

fn view(row: WebhookRow) -> Webhook {
    Webhook {
        id: row.id,
        events: row.events().into_iter().map(event_type).collect(),
        segment_ids: row.segment_ids(),
        url: row.url,
        description: row.description,
        paused: row.paused,
        disabled_at: row.disabled_at,
        failing_since: row.failing_since,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn delivery_view(row: DeliveryRow) -> WebhookDelivery {
    let status = match row.status.as_str() {
        "delivered" => DeliveryStatus::Delivered,
        "failed" => DeliveryStatus::Failed,
        _ => DeliveryStatus::Pending,
    };
    WebhookDelivery {
        id: row.id,
        msg_id: row.msg_id,
        event_type: row.event_type,
        segment_id: row.segment_id,
        users: row.users,
        status,
        attempts: row.attempts,
        last_status: row.last_status,
        last_error: row.last_error,
        next_attempt_at: (status == DeliveryStatus::Pending).then_some(row.next_attempt_at),
        created_at: row.created_at,
        delivered_at: row.delivered_at,
    }
}

/// Checks an input and turns it into changes: the URL (scheme, public address), events (at
/// least one), segments (of the workspace, or RFM ids).
async fn changes(
    state: &AppState,
    workspace_id: i64,
    input: WebhookInput,
    creating: bool,
) -> ApiResult<WebhookChanges> {
    let url = match input.url {
        Some(url) => {
            check_url(&url, state.config.webhooks_allow_private)
                .await
                .map_err(|Refused(why)| ApiError::invalid("url", why))?;
            Some(url.trim().to_owned())
        }
        None if creating => return Err(ApiError::invalid("url", "is required")),
        None => None,
    };
    let events = match input.events {
        Some(events) if events.is_empty() => return Err(ApiError::invalid("events", "needs at least one event type")),
        Some(mut events) => {
            events.sort_by_key(|e| event(*e));
            events.dedup();
            Some(events.into_iter().map(event).collect())
        }
        None if creating => return Err(ApiError::invalid("events", "is required")),
        None => None,
    };
    if let Some(Some(ids)) = &input.segment_ids {
        let ids = ids.clone();
        state
            .run(move |db| {
                db.read(|c| {
                    for (i, id) in ids.iter().enumerate() {
                        let known = match SegmentRef::of_id(*id) {
                            Some(SegmentRef::Rfm(_)) => true,
                            Some(SegmentRef::Custom(id)) => db::segments::name(c, workspace_id, id)?.is_some(),
                            None => false,
                        };
                        if !known {
                            return Err(db::Error::invalid(format!("segment_ids[{i}]"), format!("no segment {id}")));
                        }
                    }
                    Ok(())
                })
                .map_err(ApiError::from)
            })
            .await?;
    }
    let description = input.description.map(|d| d.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()));
    Ok(WebhookChanges { url, description, events, segment_ids: input.segment_ids, paused: input.paused })
}

/// The workspace's webhook endpoints.
#[utoipa::path(operation_id = "listWebhooks", tag = "webhooks", security(("bearer" = ["admin"])), responses(
    (status = 200, body = Page<Webhook>),
))]
#[get("/webhooks")]
async fn list(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<Page<Webhook>>> {
    auth.require(Scope::Admin)?;
    let ws = auth.workspace_id;
    let rows = state.run(move |db| Ok(db.read(|c| db::webhooks::list(c, ws))?)).await?;
    Ok(web::Json(Page::whole(rows.into_iter().map(view).collect())))
}

/// Add an endpoint. Its signing secret is in this answer only.
#[utoipa::path(operation_id = "createWebhook", tag = "webhooks", security(("bearer" = ["admin"])), request_body = WebhookInput, responses(
    (status = 201, body = CreatedWebhook),
))]
#[post("/webhooks")]
async fn create(state: web::Data<AppState>, auth: Auth, body: Json<WebhookInput>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Admin)?;
    let ws = auth.workspace_id;
    let new = changes(&state, ws, body.into_inner(), true).await?;
    let secret = new_secret();
    let kept = secret.clone();
    let row = state.run(move |db| Ok(db.write(|c| db::webhooks::create(c, ws, &kept, new))?)).await?;
    Ok(HttpResponse::Created().json(CreatedWebhook { webhook: view(row), secret }))
}

#[utoipa::path(operation_id = "getWebhook", tag = "webhooks", security(("bearer" = ["admin"])), responses(
    (status = 200, body = Webhook),
))]
#[get("/webhooks/{id}")]
async fn get_one(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<web::Json<Webhook>> {
    auth.require(Scope::Admin)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let row = state.run(move |db| Ok(db.read(|c| db::webhooks::get(c, ws, id))?)).await?;
    Ok(web::Json(view(row)))
}

/// Change an endpoint: URL, events, segments, description; `paused` pauses or resumes it
/// (resuming also lifts a disabling).
#[utoipa::path(operation_id = "updateWebhook", tag = "webhooks", security(("bearer" = ["admin"])), request_body = WebhookInput, responses(
    (status = 200, body = Webhook),
))]
#[patch("/webhooks/{id}")]
async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    body: Json<WebhookInput>,
) -> ApiResult<web::Json<Webhook>> {
    auth.require(Scope::Admin)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    state.run(move |db| Ok(db.read(|c| db::webhooks::get(c, ws, id))?)).await?;
    let changes = changes(&state, ws, body.into_inner(), false).await?;
    let row = state.run(move |db| Ok(db.write(|c| db::webhooks::update(c, ws, id, changes))?)).await?;
    Ok(web::Json(view(row)))
}

/// Remove an endpoint and its undelivered messages.
#[utoipa::path(operation_id = "deleteWebhook", tag = "webhooks", security(("bearer" = ["admin"])), responses(
    (status = 204, description = "Removed"),
))]
#[delete("/webhooks/{id}")]
async fn remove(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Admin)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    state.run(move |db| Ok(db.write(|c| db::webhooks::delete(c, ws, id))?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A new signing secret for the endpoint, in this answer only; the old one stops at once.
#[utoipa::path(operation_id = "rotateWebhookSecret", tag = "webhooks", security(("bearer" = ["admin"])), responses(
    (status = 200, body = CreatedWebhook),
))]
#[post("/webhooks/{id}/rotate-secret")]
async fn rotate(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<web::Json<CreatedWebhook>> {
    auth.require(Scope::Admin)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let secret = new_secret();
    let kept = secret.clone();
    let row = state.run(move |db| Ok(db.write(|c| db::webhooks::set_secret(c, ws, id, &kept))?)).await?;
    Ok(web::Json(CreatedWebhook { webhook: view(row), secret }))
}

/// Queue a test message (`webhook.test`) to the endpoint; see it in its deliveries.
#[utoipa::path(operation_id = "testWebhook", tag = "webhooks", security(("bearer" = ["admin"])), responses(
    (status = 202, body = WebhookTest),
))]
#[post("/webhooks/{id}/test")]
async fn test(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Admin)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let body = serde_json::json!({
        "type": "webhook.test",
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {"webhook": {"id": id}},
    })
    .to_string();
    let delivery_id = state.run(move |db| Ok(db.write(|c| db::webhooks::enqueue_test(c, ws, id, body))?)).await?;
    Ok(HttpResponse::Accepted().json(WebhookTest { delivery_id }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeliveriesQuery {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
}

/// The endpoint's messages, newest first: event, status, attempts, last error, next retry.
#[utoipa::path(operation_id = "listWebhookDeliveries", tag = "webhooks", security(("bearer" = ["admin"])), params(DeliveriesQuery), responses(
    (status = 200, body = Page<WebhookDelivery>),
))]
#[get("/webhooks/{id}/deliveries")]
async fn deliveries(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    query: web::Query<DeliveriesQuery>,
) -> ApiResult<web::Json<Page<WebhookDelivery>>> {
    auth.require(Scope::Admin)?;
    let before = id_cursor(query.cursor.as_deref())?;
    let limit = page_limit(query.limit)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let (rows, more) =
        state.run(move |db| Ok(db.read(|c| db::webhooks::deliveries_of(c, ws, id, before, limit))?)).await?;
    let next = more.then(|| rows.last().map(|r| r.id.to_string())).flatten();
    Ok(web::Json(Page::new(rows.into_iter().map(delivery_view).collect(), next, None)))
}
