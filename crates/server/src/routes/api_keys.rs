use actix_web::{HttpResponse, delete, get, post, web};
use api_types::Page;
use api_types::auth::{ApiKey, CreateApiKey, CreatedApiKey, Scope};
use db::auth::ApiKeyRow;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{self as a, Auth};
use crate::body::Json;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(revoke);
}

fn view(row: ApiKeyRow) -> ApiKey {
    ApiKey {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        scope: row.scope,
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
    }
}

/// API keys of the workspace (admins only); the secrets themselves are never shown again.
#[utoipa::path(operation_id = "listApiKeys", tag = "api-keys", security(("bearer" = ["admin"])), responses(
    (status = 200, body = Page<ApiKey>),
))]
#[get("/api-keys")]
async fn list(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<Page<ApiKey>>> {
    auth.require(Scope::Admin)?;
    let ws = auth.workspace_id;
    let rows = state.run(move |db| Ok(db.read(|c| db::auth::api_keys_of(c, ws))?)).await?;
    Ok(web::Json(Page::whole(rows.into_iter().map(view).collect())))
}

/// Create an API key (admins only). The key is in this response only; store it now.
#[utoipa::path(operation_id = "createApiKey", tag = "api-keys", security(("bearer" = ["admin"])), request_body = CreateApiKey, responses(
    (status = 201, body = CreatedApiKey),
))]
#[post("/api-keys")]
async fn create(state: web::Data<AppState>, auth: Auth, body: Json<CreateApiKey>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Admin)?;
    let body = body.into_inner();
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::invalid("name", "is required"));
    }
    let key = format!("{}{}", a::API_KEY_PREFIX, a::random_token());
    let prefix: String = key.chars().take(a::API_KEY_PREFIX.len() + 6).collect();
    let hash = a::sha256_hex(&key);
    let (ws, by) = (auth.workspace_id, auth.operator_id);
    let row = state
        .run(move |db| Ok(db.write(|c| db::auth::create_api_key(c, ws, &name, &prefix, &hash, body.scope, by))?))
        .await?;
    Ok(HttpResponse::Created().json(CreatedApiKey { api_key: view(row), key }))
}

/// Revoke an API key (admins only); it stops working at once.
#[utoipa::path(operation_id = "revokeApiKey", tag = "api-keys", security(("bearer" = ["admin"])), responses(
    (status = 200, body = ApiKey),
))]
#[delete("/api-keys/{id}")]
async fn revoke(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<web::Json<ApiKey>> {
    auth.require(Scope::Admin)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let row = state.run(move |db| Ok(db.write(|c| db::auth::revoke_api_key(c, ws, id))?)).await?;
    Ok(web::Json(view(row)))
}
