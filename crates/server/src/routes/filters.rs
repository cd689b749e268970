//! The filter catalog and custom filters (saved, named condition trees).

use actix_web::{HttpResponse, delete, get, post, put, web};
use api_types::Page;
use api_types::Problem;
use api_types::auth::Scope;
use api_types::filters::{CustomFilter, CustomFilterInput, FilterCatalog, FilterField};
use db::filters::CustomFilterRow;
use domain::conditions::{self, FieldDef};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::body::Json;
use crate::params::viewer;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(catalog)
        .service(list_custom)
        .service(create_custom)
        .service(get_custom)
        .service(update_custom)
        .service(delete_custom);
}

fn field_view(def: FieldDef) -> FilterField {
    FilterField {
        operators: def.ty.ops().to_vec(),
        type_: def.ty,
        group: def.group,
        key: def.key,
        label: def.label,
        values: def.values,
        value_labels: def.value_labels,
    }
}

pub(crate) fn custom_view(row: CustomFilterRow) -> CustomFilter {
    CustomFilter {
        id: row.id,
        conditions: crate::views::stored_conditions(&row.conditions).0,
        name: row.name,
        owner_id: row.owner_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// The filter catalog: every field a condition may use (user, company, custom properties
/// discovered in imports, behaviour, scores, membership of the segments the caller sees)
/// with its type, operators and values, and the workspace's custom filters.
#[utoipa::path(operation_id = "getFilterCatalog", tag = "filters", security(("bearer" = ["read"])), responses(
    (status = 200, body = FilterCatalog),
))]
#[get("/filters")]
async fn catalog(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<FilterCatalog>> {
    let (ws, viewer) = (auth.workspace_id, viewer(&auth));
    let (ctx, custom) = state
        .run(move |db| {
            Ok(db.read(|c| Ok((db::filters::catalog_context(c, ws, viewer)?, db::filters::custom_filters(c, ws)?)))?)
        })
        .await?;
    Ok(web::Json(FilterCatalog {
        fields: conditions::catalog(&ctx).into_iter().map(field_view).collect(),
        custom_filters: custom.into_iter().map(custom_view).collect(),
        max_depth: conditions::MAX_DEPTH as u32,
        max_conditions: conditions::MAX_CONDITIONS as u32,
        windows: conditions::CATALOG_WINDOWS.to_vec(),
        max_window_days: conditions::MAX_WINDOW_DAYS,
    }))
}

/// The workspace's custom filters, by name.
#[utoipa::path(operation_id = "listCustomFilters", tag = "filters", security(("bearer" = ["read"])), responses(
    (status = 200, body = Page<CustomFilter>),
))]
#[get("/filters/custom")]
async fn list_custom(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<Page<CustomFilter>>> {
    let ws = auth.workspace_id;
    let rows = state.run(move |db| Ok(db.read(|c| db::filters::custom_filters(c, ws))?)).await?;
    Ok(web::Json(Page::whole(rows.into_iter().map(custom_view).collect())))
}

/// Save a custom filter (`name` unique in the workspace ignoring case; `conditions` required).
#[utoipa::path(operation_id = "createCustomFilter", tag = "filters", security(("bearer" = ["write"])), request_body = CustomFilterInput, responses(
    (status = 201, body = CustomFilter),
    (status = 422, description = "A missing name or tree, or a tree that does not validate (`errors[].field` names the condition's path)",
        body = Problem, content_type = "application/problem+json"),
))]
#[post("/filters/custom")]
async fn create_custom(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<CustomFilterInput>,
) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let input = body.into_inner();
    let name = input.name.unwrap_or_default();
    let json = input.conditions.ok_or_else(|| ApiError::invalid("conditions", "is required"))?;
    let (ws, viewer) = (auth.workspace_id, viewer(&auth));
    let row = state
        .run(move |db| {
            Ok(db.write(|c| {
                db::filters::check_name(&name)?;
                let tree = db::filters::parse_tree(c, ws, viewer, &json)?;
                db::filters::create_custom_filter(c, ws, viewer.operator_id, &name, &tree)
            })?)
        })
        .await?;
    Ok(HttpResponse::Created().json(custom_view(row)))
}

/// One custom filter.
#[utoipa::path(operation_id = "getCustomFilter", tag = "filters", security(("bearer" = ["read"])), responses(
    (status = 200, body = CustomFilter),
))]
#[get("/filters/custom/{id}")]
async fn get_custom(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<web::Json<CustomFilter>> {
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let row = state.run(move |db| Ok(db.read(|c| db::filters::custom_filter(c, ws, id))?)).await?;
    Ok(web::Json(custom_view(row)))
}

/// Rename a custom filter or replace its tree (absent fields stay).
#[utoipa::path(operation_id = "updateCustomFilter", tag = "filters", security(("bearer" = ["write"])), request_body = CustomFilterInput, responses(
    (status = 200, body = CustomFilter),
))]
#[put("/filters/custom/{id}")]
async fn update_custom(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    body: Json<CustomFilterInput>,
) -> ApiResult<web::Json<CustomFilter>> {
    auth.require(Scope::Write)?;
    let input = body.into_inner();
    let (ws, viewer, id) = (auth.workspace_id, viewer(&auth), id.into_inner());
    let row = state
        .run(move |db| {
            Ok(db.write(|c| {
                db::filters::custom_filter(c, ws, id)?;
                let tree = match &input.conditions {
                    Some(json) => Some(db::filters::parse_tree(c, ws, viewer, json)?),
                    None => None,
                };
                db::filters::update_custom_filter(c, ws, id, input.name.as_deref(), tree.as_ref())
            })?)
        })
        .await?;
    Ok(web::Json(custom_view(row)))
}

/// Delete a custom filter.
#[utoipa::path(operation_id = "deleteCustomFilter", tag = "filters", security(("bearer" = ["write"])), responses(
    (status = 204, description = "Deleted"),
))]
#[delete("/filters/custom/{id}")]
async fn delete_custom(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    state.run(move |db| Ok(db.write(|c| db::filters::delete_custom_filter(c, ws, id))?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
