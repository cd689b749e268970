use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::auth::Scope;
use api_types::users::{Company, CompanyInput};
use db::people::CompanyChanges;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::body::Json;
use crate::views::company_view;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create).service(get_one).service(update).service(remove);
}

fn changes(input: &CompanyInput) -> ApiResult<CompanyChanges> {
    let text = |v: &Option<String>| v.as_ref().map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty()));
    let arr = match input.arr {
        Some(a) if !a.is_finite() || a.abs() > 1e15 => return Err(ApiError::invalid("arr", "is not a valid amount")),
        Some(a) => Some(Some((a * 100.0).round() as i64)),
        None => None,
    };
    Ok(CompanyChanges {
        name: text(&input.name),
        industry: text(&input.industry),
        plan: text(&input.plan),
        arr,
        owner: text(&input.owner),
        created_at: input.created_at.map(Some),
        properties: None,
        updated_at: None,
    })
}

/// Create a company (`external_id` required and unique in the workspace).
#[utoipa::path(operation_id = "createCompany", tag = "companies", security(("bearer" = ["write"])), request_body = CompanyInput, responses(
    (status = 201, body = Company),
))]
#[post("/companies")]
async fn create(state: web::Data<AppState>, auth: Auth, body: Json<CompanyInput>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let input = body.into_inner();
    let external_id = input.external_id.as_deref().map(str::trim).unwrap_or_default().to_owned();
    if external_id.is_empty() {
        return Err(ApiError::invalid("external_id", "is required"));
    }
    let ch = changes(&input)?;
    let ws = auth.workspace_id;
    let row = state
        .run(
            move |db| Ok(db.write(|c| db::people::create_company(c, ws, &external_id, ch, input.properties.as_ref()))?),
        )
        .await?;
    Ok(HttpResponse::Created().json(company_view(row)))
}

/// A company with its number of users.
#[utoipa::path(operation_id = "getCompany", tag = "companies", security(("bearer" = ["read"])), responses(
    (status = 200, body = Company),
))]
#[get("/companies/{id}")]
async fn get_one(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<web::Json<Company>> {
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let (row, users) = state
        .run(move |db| {
            Ok(db.read(|c| {
                let row = db::people::company(c, ws, id)?;
                Ok((row, db::people::company_user_count(c, id)?))
            })?)
        })
        .await?;
    Ok(web::Json(Company { users: Some(users), ..company_view(row) }))
}

/// Change a company's fields; absent fields stay, `properties` is merged.
#[utoipa::path(operation_id = "updateCompany", tag = "companies", security(("bearer" = ["write"])), request_body = CompanyInput, responses(
    (status = 200, body = Company),
))]
#[patch("/companies/{id}")]
async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    body: Json<CompanyInput>,
) -> ApiResult<web::Json<Company>> {
    auth.require(Scope::Write)?;
    let input = body.into_inner();
    if input.external_id.is_some() {
        return Err(ApiError::invalid("external_id", "cannot be changed"));
    }
    let ch = changes(&input)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let row = state
        .run(move |db| Ok(db.write(|c| db::people::update_company(c, ws, id, ch, input.properties.as_ref()))?))
        .await?;
    Ok(web::Json(company_view(row)))
}

/// Delete a company; its users stay, without company.
#[utoipa::path(operation_id = "deleteCompany", tag = "companies", security(("bearer" = ["write"])), responses(
    (status = 204, description = "Deleted"),
))]
#[delete("/companies/{id}")]
async fn remove(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Write)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    state.run(move |db| Ok(db.write(|c| db::people::delete_company(c, ws, id))?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
