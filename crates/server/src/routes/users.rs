use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::auth::Scope;
use std::collections::HashMap;

use api_types::segment_events::TimelineEntry;
use api_types::users::{CompanyRef, Event, Order, Rfm, SegmentMembership, User, UserDetail, UserInput};
use db::people::UserChanges;
use domain::money::to_major;
use domain::rfm::RfmSegment;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::body::Json;
use crate::params::viewer;
use crate::views::{company_ref, company_view, event_type, segment_ref, user_view};
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create).service(get_one).service(update).service(remove);
}

/// Turns the input into column changes, resolving the company external id.
fn changes(conn: &mut db::DbConn, ws: i64, input: &UserInput) -> db::Result<UserChanges> {
    let company_id = match input.company_id.as_deref().map(str::trim) {
        Some("") => Some(None),
        Some(ext) => Some(Some(db::people::company_id_for(conn, ws, ext)?)),
        None => None,
    };
    let text = |v: &Option<String>| v.as_ref().map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty()));
    Ok(UserChanges {
        email: text(&input.email),
        name: text(&input.name),
        company_id,
        created_at: input.created_at.map(Some),
        last_seen_at: input.last_seen_at.map(Some),
        churned_at: input.churned_at.map(Some),
        role: text(&input.role),
        country: text(&input.country),
        phone: text(&input.phone),
        acquisition_channel: text(&input.acquisition_channel),
        client_type: text(&input.client_type),
        payment_type: text(&input.payment_type),
        invoice_period: text(&input.invoice_period),
        complaint_reason: text(&input.complaint_reason),
        email_consent: input.email_consent.map(Some),
        sms_consent: input.sms_consent.map(Some),
        properties: None,
        updated_at: None,
    })
}

/// Create a user (`external_id` required and unique in the workspace).
#[utoipa::path(operation_id = "createUser", tag = "users", security(("bearer" = ["write"])), request_body = UserInput, responses(
    (status = 201, body = User),
))]
#[post("/users")]
async fn create(state: web::Data<AppState>, auth: Auth, body: Json<UserInput>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let input = body.into_inner();
    let external_id = input.external_id.as_deref().map(str::trim).unwrap_or_default().to_owned();
    if external_id.is_empty() {
        return Err(ApiError::invalid("external_id", "is required"));
    }
    let ws = auth.workspace_id;
    let (user, company) = state
        .run(move |db| {
            Ok(db.write(|c| {
                if db::people::user_exists(c, ws, &external_id)? {
                    return Err(db::Error::Conflict(format!("a user with external_id '{external_id}' exists")));
                }
                let ch = changes(c, ws, &input)?;
                let row = db::people::create_user(c, ws, &external_id, ch)?;
                let row = match &input.properties {
                    Some(p) => db::people::update_user(c, ws, row.id, UserChanges::default(), Some(p))?,
                    None => row,
                };
                let company = row.company_id.map(|id| db::people::company(c, ws, id)).transpose()?;
                Ok((row, company))
            })?)
        })
        .await?;
    Ok(HttpResponse::Created().json(user_view(user, company.as_ref().map(company_ref))))
}

/// Entries of a user's segment timeline shown on their page.
const TIMELINE: i64 = 100;

/// The 360 view of a user: profile, company, scores, RFM, segments, orders, events.
#[utoipa::path(operation_id = "getUser", tag = "users", security(("bearer" = ["read"])), responses(
    (status = 200, body = UserDetail),
))]
#[get("/users/{id}")]
async fn get_one(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<web::Json<UserDetail>> {
    let (ws, id, viewer) = (auth.workspace_id, id.into_inner(), viewer(&auth));
    let today = chrono::Utc::now().date_naive();
    let (detail, rfm, timeline) = state
        .run(move |db| {
            Ok(db.read(|c| {
                let detail = db::people::user_detail(c, ws, id)?;
                let rfm = engine::analytics::user_rfm(c, ws, id, today)?;
                // entries of the segments the caller sees, named
                let names: HashMap<i64, String> =
                    db::segments::list(c, ws, viewer, None)?.into_iter().map(|s| (s.id, s.name)).collect();
                let timeline: Vec<TimelineEntry> = db::segment_events::user_timeline(c, ws, id, TIMELINE)?
                    .into_iter()
                    .filter_map(|e| {
                        let name = match RfmSegment::of_id(e.segment_id) {
                            Some(rfm) => rfm.name().to_owned(),
                            None => names.get(&e.segment_id)?.clone(),
                        };
                        Some(TimelineEntry {
                            segment_id: e.segment_id,
                            segment_name: name,
                            kind: event_type(e.kind()),
                            at: e.at,
                            trigger: e.cause,
                        })
                    })
                    .collect();
                Ok((detail, rfm, timeline))
            })?)
        })
        .await?;
    let company = detail.company.map(company_view);
    let company_ref =
        company.as_ref().map(|c| CompanyRef { id: c.id, external_id: c.external_id.clone(), name: c.name.clone() });
    Ok(web::Json(UserDetail {
        user: user_view(detail.user, company_ref),
        company,
        rfm: rfm.map(|r| Rfm {
            recency_days: r.recency_days,
            frequency: r.frequency,
            monetary: to_major(r.monetary),
            r_score: r.r_score,
            f_score: r.f_score,
            m_score: r.m_score,
            fm_score: r.fm_score,
            segment: segment_ref(Some(r.segment.key())).expect("a known key"),
        }),
        segments: detail
            .segments
            .into_iter()
            .map(|(id, name, entered_at)| SegmentMembership { id, name, entered_at })
            .collect(),
        segment_timeline: timeline,
        orders: detail
            .orders
            .into_iter()
            .map(|o| Order {
                id: o.id,
                order_id: o.order_id,
                ordered_at: o.ordered_at,
                amount: to_major(o.amount),
                gross_amount: o.gross_amount.map(to_major),
                quantity: o.quantity,
                channel: o.channel,
                store: o.store,
                product: o.product,
            })
            .collect(),
        events: detail
            .events
            .into_iter()
            .map(|e| Event { id: e.id, name: e.name, occurred_at: e.occurred_at })
            .collect(),
    }))
}

/// Change a user's fields; absent fields stay, `properties` is merged (null removes a key).
#[utoipa::path(operation_id = "updateUser", tag = "users", security(("bearer" = ["write"])), request_body = UserInput, responses(
    (status = 200, body = User),
))]
#[patch("/users/{id}")]
async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    body: Json<UserInput>,
) -> ApiResult<web::Json<User>> {
    auth.require(Scope::Write)?;
    let input = body.into_inner();
    if input.external_id.is_some() {
        return Err(ApiError::invalid("external_id", "cannot be changed"));
    }
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let (user, company) = state
        .run(move |db| {
            Ok(db.write(|c| {
                db::people::user(c, ws, id)?;
                let ch = changes(c, ws, &input)?;
                let row = db::people::update_user(c, ws, id, ch, input.properties.as_ref())?;
                let company = row.company_id.map(|id| db::people::company(c, ws, id)).transpose()?;
                Ok((row, company))
            })?)
        })
        .await?;
    Ok(web::Json(user_view(user, company.as_ref().map(company_ref))))
}

/// Delete a user with their orders, events and memberships.
#[utoipa::path(operation_id = "deleteUser", tag = "users", security(("bearer" = ["write"])), responses(
    (status = 204, description = "Deleted"),
))]
#[delete("/users/{id}")]
async fn remove(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    state.run(move |db| Ok(db.write(|c| db::people::delete_user(c, ws, id))?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
