//! Custom segments: CRUD, clone, refresh, reorder, preview, members, and the Segments table
//! as CSV.

use actix_web::{HttpResponse, delete, get, post, put, web};
use api_types::auth::Scope;
use api_types::segments::{
    PreviewRequest, Segment, SegmentInput, SegmentKind, SegmentOrder, SegmentPreview, Visibility,
};
use api_types::users::User;
use api_types::{Page, Problem};
use db::filters::Viewer;
use db::lists::{UserListQuery, UserSelection};
use db::segments::{SegmentDraft, SegmentRow};
use domain::conditions::rfm_segment_tree;
use domain::csv_safe::neutralise;
use domain::metrics::segment_metrics;
use domain::money::format_major;
use domain::segment_events::{SegmentRef, Trigger};
use engine::rfm_segments::RfmSegmentSummary;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::body::Json;
use crate::csv_stream::{CsvSink, csv_download};
use crate::params::{id_cursor, page_limit, total_mode, viewer};
use crate::views::{company_name_ref, stored_conditions, user_view};
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    // Fixed paths before `{id}`.
    cfg.service(list)
        .service(create)
        .service(export)
        .service(reorder)
        .service(preview)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(clone)
        .service(refresh)
        .service(members);
}

pub(crate) fn segment_view(row: SegmentRow) -> Segment {
    let (conditions, unreadable) = stored_conditions(&row.conditions);
    Segment {
        id: row.id,
        kind: SegmentKind::Custom,
        conditions,
        name: row.name,
        description: row.description,
        visibility: row.visibility,
        show_on_user_page: row.show_on_user_page,
        position: row.position,
        owner_id: row.owner_id,
        size: row.size,
        online: row.online,
        offline: row.offline,
        refreshed_at: row.refreshed_at,
        refresh_ms: row.refresh_ms,
        refresh_error: unreadable.or(row.refresh_error),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn draft(input: SegmentInput) -> SegmentDraft {
    SegmentDraft {
        name: input.name,
        description: input.description,
        visibility: input.visibility,
        show_on_user_page: input.show_on_user_page,
        conditions: input.conditions,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only segments whose name contains this, ignoring case.
    q: Option<String>,
}

/// Custom segments the caller sees (public ones and their own private ones), in list order.
#[utoipa::path(operation_id = "listSegments", tag = "segments", security(("bearer" = ["read"])), params(ListQuery), responses(
    (status = 200, body = Page<Segment>),
))]
#[get("/segments")]
async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Page<Segment>>> {
    let (ws, viewer, q) = (auth.workspace_id, viewer(&auth), query.into_inner().q);
    let rows = state.run(move |db| Ok(db.read(|c| db::segments::list(c, ws, viewer, q.as_deref()))?)).await?;
    Ok(web::Json(Page::whole(rows.into_iter().map(segment_view).collect())))
}

/// Create a segment; its membership is computed before the response (`size` = active
/// members). Only `name` is required.
#[utoipa::path(operation_id = "createSegment", tag = "segments", security(("bearer" = ["write"])), request_body = SegmentInput, responses(
    (status = 201, body = Segment),
    (status = 409, description = "The name is taken (ignoring case)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A missing name, or a tree that does not validate (`errors[].field` names the condition's path)",
        body = Problem, content_type = "application/problem+json"),
))]
#[post("/segments")]
async fn create(state: web::Data<AppState>, auth: Auth, body: Json<SegmentInput>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let (ws, viewer, input) = (auth.workspace_id, viewer(&auth), body.into_inner());
    let row = state.run(move |db| Ok(db::segments::save(db, ws, viewer, None, draft(input))?)).await?;
    Ok(HttpResponse::Created().json(segment_view(row)))
}

/// An RFM segment as a segment: read-only, its conditions the tree that selects it.
fn rfm_segment_view(summary: RfmSegmentSummary) -> Segment {
    Segment {
        id: summary.segment.id(),
        kind: SegmentKind::Rfm,
        name: summary.segment.name().to_owned(),
        description: Some(format!("Users whose RFM segment is {} (kept by the scoring).", summary.segment.name())),
        visibility: Visibility::Public,
        show_on_user_page: true,
        position: 0,
        owner_id: None,
        conditions: rfm_segment_tree(summary.segment),
        size: summary.size,
        online: summary.online,
        offline: summary.offline,
        refreshed_at: summary.scored_at,
        refresh_ms: None,
        refresh_error: summary.scoring_error,
        created_at: summary.created_at,
        updated_at: summary.updated_at,
    }
}

/// The answer to a change asked of an RFM segment's id.
fn rfm_segments_are_read_only(id: i64) -> ApiResult<i64> {
    match SegmentRef::of_id(id) {
        Some(SegmentRef::Rfm(segment)) => Err(ApiError::Conflict(format!(
            "{} is an RFM segment: the scoring keeps it, it cannot be changed, deleted, cloned or refreshed (a custom \
             segment with the condition rfm.segment eq {} selects the same users)",
            segment.name(),
            segment.key()
        ))),
        _ => Ok(id),
    }
}

/// One segment (404 when private to another operator, or in another workspace); an RFM
/// segment's id (−1 … −8) gives that RFM segment.
#[utoipa::path(operation_id = "getSegment", tag = "segments", security(("bearer" = ["read"])), responses(
    (status = 200, body = Segment),
))]
#[get("/segments/{id}")]
async fn get_one(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<web::Json<Segment>> {
    let (ws, viewer, id) = (auth.workspace_id, viewer(&auth), id.into_inner());
    match SegmentRef::of_id(id).ok_or(ApiError::NotFound)? {
        SegmentRef::Custom(id) => {
            let row = state.run(move |db| Ok(db.read(|c| db::segments::get(c, ws, viewer, id))?)).await?;
            Ok(web::Json(segment_view(row)))
        }
        SegmentRef::Rfm(segment) => {
            let summary = state
                .run(move |db| {
                    let users = engine::user_columns(db, ws)?;
                    let now = chrono::Utc::now().naive_utc();
                    Ok(db.read(|c| engine::rfm_segments::summary(c, &users, ws, segment, now))?)
                })
                .await?;
            Ok(web::Json(rfm_segment_view(summary)))
        }
    }
}

/// Change a segment (absent fields stay) and recompute its membership (409 for an RFM segment).
#[utoipa::path(operation_id = "updateSegment", tag = "segments", security(("bearer" = ["write"])), request_body = SegmentInput, responses(
    (status = 200, body = Segment),
))]
#[put("/segments/{id}")]
async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    body: Json<SegmentInput>,
) -> ApiResult<web::Json<Segment>> {
    auth.require(Scope::Write)?;
    let id = rfm_segments_are_read_only(id.into_inner())?;
    let (ws, viewer, input) = (auth.workspace_id, viewer(&auth), body.into_inner());
    let row = state.run(move |db| Ok(db::segments::save(db, ws, viewer, Some(id), draft(input))?)).await?;
    Ok(web::Json(segment_view(row)))
}

/// Delete a segment with its membership and history (409 while another segment or a custom
/// filter refers to it, and for an RFM segment).
#[utoipa::path(operation_id = "deleteSegment", tag = "segments", security(("bearer" = ["write"])), responses(
    (status = 204, description = "Deleted"),
))]
#[delete("/segments/{id}")]
async fn remove(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let id = rfm_segments_are_read_only(id.into_inner())?;
    let (ws, viewer) = (auth.workspace_id, viewer(&auth));
    state.run(move |db| Ok(db.write(|c| db::segments::delete(c, ws, viewer, id))?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Copy a segment as "Copy of …" (numbered when that name is taken), owned by the caller.
#[utoipa::path(operation_id = "cloneSegment", tag = "segments", security(("bearer" = ["write"])), responses(
    (status = 201, body = Segment),
))]
#[post("/segments/{id}/clone")]
async fn clone(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let id = rfm_segments_are_read_only(id.into_inner())?;
    let (ws, viewer) = (auth.workspace_id, viewer(&auth));
    let row = state.run(move |db| Ok(db::segments::save_copy(db, ws, viewer, id)?)).await?;
    Ok(HttpResponse::Created().json(segment_view(row)))
}

/// Recompute a segment's membership now (and that of segments built on it). A failure is
/// reported in `refresh_error`.
#[utoipa::path(operation_id = "refreshSegment", tag = "segments", security(("bearer" = ["write"])), responses(
    (status = 200, body = Segment),
))]
#[post("/segments/{id}/refresh")]
async fn refresh(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<web::Json<Segment>> {
    auth.require(Scope::Write)?;
    let id = rfm_segments_are_read_only(id.into_inner())?;
    let (ws, viewer) = (auth.workspace_id, viewer(&auth));
    let row = state
        .run(move |db| match db::segments::refresh(db, ws, viewer, id, Trigger::Refresh) {
            Ok(row) => Ok(row),
            Err(db::Error::NotFound | db::Error::Query(diesel::result::Error::NotFound)) => Err(ApiError::NotFound),
            // Recorded on the segment.
            Err(_) => Ok(db.read(|c| db::segments::get(c, ws, viewer, id))?),
        })
        .await?;
    Ok(web::Json(segment_view(row)))
}

/// Put segments in a new order: the listed ones take their own places, sorted, in the order
/// given; the others keep theirs. Returns the list in its new order.
#[utoipa::path(operation_id = "reorderSegments", tag = "segments", security(("bearer" = ["write"])), request_body = SegmentOrder, responses(
    (status = 200, body = Page<Segment>),
    (status = 422, description = "An unknown or repeated id (`errors[].field` is `ids[i]`)", body = Problem,
        content_type = "application/problem+json"),
))]
#[put("/segments/order")]
async fn reorder(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<SegmentOrder>,
) -> ApiResult<web::Json<Page<Segment>>> {
    auth.require(Scope::Write)?;
    let (ws, viewer, ids) = (auth.workspace_id, viewer(&auth), body.into_inner().ids);
    let rows = state.run(move |db| Ok(db.write(|c| db::segments::reorder(c, ws, viewer, &ids))?)).await?;
    Ok(web::Json(Page::whole(rows.into_iter().map(segment_view).collect())))
}

/// What a draft tree selects now: counts and the first 20 users. Nothing is saved.
#[utoipa::path(operation_id = "previewSegment", tag = "segments", security(("bearer" = ["read"])), request_body = PreviewRequest, responses(
    (status = 200, body = SegmentPreview),
))]
#[post("/segments/preview")]
async fn preview(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<PreviewRequest>,
) -> ApiResult<web::Json<SegmentPreview>> {
    let (ws, viewer, json) = (auth.workspace_id, viewer(&auth), body.into_inner().conditions);
    let json = if json.is_null() { serde_json::json!({}) } else { json };
    let (counts, sample) = state.run(move |db| Ok(db::segments::preview_draft(db, ws, viewer, &json)?)).await?;
    Ok(web::Json(SegmentPreview {
        size: counts.size,
        online: counts.online,
        offline: counts.offline(),
        total: counts.total,
        sample: sample.into_iter().map(|(u, c)| user_view(u, c.map(company_name_ref))).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MembersQuery {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// `true`: count the members exactly; `false`: do not. By default the first page counts
    /// them when at most 1 000.
    total: Option<bool>,
}

/// The segment's members (churned ones included), by id, with cursor pagination; `total` on
/// the first page (see `total`). Custom segments by their id, RFM segments by −1 (Champion) …
/// −8 (Lost).
#[utoipa::path(operation_id = "listSegmentMembers", tag = "segments", security(("bearer" = ["read"])), params(MembersQuery), responses(
    (status = 200, body = Page<User>),
))]
#[get("/segments/{id}/members")]
async fn members(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    query: web::Query<MembersQuery>,
) -> ApiResult<web::Json<Page<User>>> {
    let query = query.into_inner();
    // Members are listed by id: the cursor is the last id.
    let after =
        id_cursor(query.cursor.as_deref())?.map(|id| db::lists::Cursor { value: db::lists::SortValue::Int(id), id });
    let limit = page_limit(query.limit)?;
    let (ws, viewer, id) = (auth.workspace_id, viewer(&auth), id.into_inner());
    let page = state
        .run(move |db| {
            Ok(db.read(|c| {
                let selection = match SegmentRef::of_id(id).ok_or(db::Error::NotFound)? {
                    SegmentRef::Custom(id) => {
                        db::segments::get(c, ws, viewer, id)?;
                        UserSelection { segment: Some(id), ..UserSelection::default() }
                    }
                    SegmentRef::Rfm(rfm) => {
                        UserSelection { trees: vec![rfm_segment_tree(rfm)], ..UserSelection::default() }
                    }
                };
                let total = total_mode(query.total, after.is_none());
                let members = UserListQuery { selection, after, limit, total, ..UserListQuery::default() };
                db::lists::users(c, ws, &members)
            })?)
        })
        .await?;
    Ok(web::Json(Page::new(
        page.rows.into_iter().map(|(u, c)| user_view(u, c.map(company_name_ref))).collect(),
        page.next.map(|c| c.id.to_string()),
        page.total,
    )))
}

// ---------------------------------------------------------------------------------------
// Export

const EXPORT_COLUMNS: &[&str] = &[
    "id",
    "name",
    "description",
    "visibility",
    "show_on_user_page",
    "position",
    "size",
    "online",
    "offline",
    "contacts",
    "avg_health_score",
    "total_arr",
    "aof",
    "aov",
    "acv",
    "total_value",
    "refreshed_at",
    "refresh_ms",
    "refresh_error",
];

/// One CSV row of a segment with its metrics over its active members (all history).
fn export_row(row: &SegmentRow, totals: &domain::metrics::SegmentTotals) -> Vec<String> {
    let m = segment_metrics(totals);
    let ratio = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    let money = |v: Option<i64>| v.map(format_major).unwrap_or_default();
    let text = |s: &str| neutralise(s).into_owned();
    vec![
        row.id.to_string(),
        text(&row.name),
        text(row.description.as_deref().unwrap_or("")),
        row.visibility.key().to_owned(),
        row.show_on_user_page.to_string(),
        row.position.to_string(),
        row.size.to_string(),
        row.online.to_string(),
        row.offline.to_string(),
        m.contacts.to_string(),
        ratio(m.avg_health_score),
        format_major(m.total_arr),
        ratio(m.aof),
        money(m.aov),
        money(m.acv),
        format_major(m.total_value),
        row.refreshed_at.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()).unwrap_or_default(),
        row.refresh_ms.map(|v| v.to_string()).unwrap_or_default(),
        text(row.refresh_error.as_deref().unwrap_or("")),
    ]
}

fn produce(db: &db::Db, ws: i64, viewer: Viewer, sink: &CsvSink) -> db::Result<()> {
    if !sink.rows(|w| w.write_record(EXPORT_COLUMNS))? {
        return Ok(());
    }
    let rows = db.read(|c| db::segments::list(c, ws, viewer, None))?;
    let (history, users) = (engine::order_history(db, ws)?, engine::user_columns(db, ws)?);
    let today = chrono::Utc::now().date_naive();
    for row in rows {
        let window = engine::analytics::MetricsWindow::new(today, None, None, db::now());
        let scope = engine::analytics::Scope::Segment(row.id);
        let report = db.read(|c| engine::analytics::segment_metrics(c, &history, &users, ws, scope, window))?;
        if !sink.rows(|w| w.write_record(export_row(&row, &report.total)))? {
            break;
        }
    }
    Ok(())
}

/// The Segments table as CSV, streamed: each custom segment the caller sees with its counts
/// and the metrics of docs/metrics.md over its active members (all history, money in major
/// units). Text cells that a spreadsheet would run as a formula are prefixed with `'`.
#[utoipa::path(operation_id = "exportSegmentsCsv", tag = "segments", security(("bearer" = ["read"])), responses(
    (status = 200, description = "CSV with a header row", content_type = "text/csv", body = String),
))]
#[get("/segments/export.csv")]
async fn export(state: web::Data<AppState>, auth: Auth) -> ApiResult<HttpResponse> {
    let (ws, viewer) = (auth.workspace_id, viewer(&auth));
    csv_download(&state, "segments export", "segments.csv", move |db, sink| produce(db, ws, viewer, sink))
}
