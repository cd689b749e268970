use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::Page;
use api_types::Problem;
use api_types::auth::{CreateOperator, Operator, Scope, UpdateOperator};
use db::auth::{NewOperator, OperatorUpdate};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{self as a, Auth};
use crate::body::Json;
use crate::views::operator_view;
use crate::{ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(update).service(remove);
}

/// Operators of the workspace (admins only).
#[utoipa::path(operation_id = "listOperators", tag = "operators", security(("bearer" = ["admin"])), responses(
    (status = 200, body = Page<Operator>),
))]
#[get("/operators")]
async fn list(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<Page<Operator>>> {
    auth.require(Scope::Admin)?;
    let ws = auth.workspace_id;
    let (rows, name) = state
        .run(move |db| Ok(db.read(|c| Ok((db::auth::operators_of(c, ws)?, db::auth::workspace_name(c, ws)?)))?))
        .await?;
    Ok(web::Json(Page::whole(rows.into_iter().map(|r| operator_view(r, name.clone())).collect())))
}

/// Invite an operator with a password and a role (admins only).
#[utoipa::path(operation_id = "createOperator", tag = "operators", security(("bearer" = ["admin"])), request_body = CreateOperator, responses(
    (status = 201, body = Operator),
))]
#[post("/operators")]
async fn create(state: web::Data<AppState>, auth: Auth, body: Json<CreateOperator>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Admin)?;
    let body = body.into_inner();
    a::check_email(&body.email)?;
    a::check_password(&body.password)?;
    let hash = a::hash_password(&body.password)?;
    let ws = auth.workspace_id;
    let (row, name) = state
        .run(move |db| {
            Ok(db.write(|c| {
                let row = db::auth::create_operator(
                    c,
                    NewOperator {
                        workspace_id: ws,
                        email: &body.email,
                        name: body.name.as_deref(),
                        password_hash: &hash,
                        role: body.role,
                        created_at: db::now(),
                    },
                )?;
                Ok((row, db::auth::workspace_name(c, ws)?))
            })?)
        })
        .await?;
    Ok(HttpResponse::Created().json(operator_view(row, name)))
}

/// Change an operator's role, name or password (admins only).
#[utoipa::path(operation_id = "updateOperator", tag = "operators", security(("bearer" = ["admin"])), request_body = UpdateOperator, responses(
    (status = 200, body = Operator),
    (status = 409, description = "Would leave no admin", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/operators/{id}")]
async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    body: Json<UpdateOperator>,
) -> ApiResult<web::Json<Operator>> {
    auth.require(Scope::Admin)?;
    let body = body.into_inner();
    let password_hash = match &body.password {
        Some(p) => {
            a::check_password(p)?;
            Some(a::hash_password(p)?)
        }
        None => None,
    };
    let update = OperatorUpdate { name: body.name.map(Some), password_hash, role: body.role };
    let (ws, id) = (auth.workspace_id, id.into_inner());
    let (row, name) = state
        .run(move |db| {
            Ok(db.write(|c| Ok((db::auth::update_operator(c, ws, id, update)?, db::auth::workspace_name(c, ws)?)))?)
        })
        .await?;
    state.operators.forget(id);
    Ok(web::Json(operator_view(row, name)))
}

/// Remove an operator (admins only; the last admin stays).
#[utoipa::path(operation_id = "deleteOperator", tag = "operators", security(("bearer" = ["admin"])), responses(
    (status = 204, description = "Removed"),
))]
#[delete("/operators/{id}")]
async fn remove(state: web::Data<AppState>, auth: Auth, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require(Scope::Admin)?;
    let (ws, id) = (auth.workspace_id, id.into_inner());
    state.run(move |db| Ok(db.write(|c| db::auth::delete_operator(c, ws, id))?)).await?;
    state.operators.forget(id);
    Ok(HttpResponse::NoContent().finish())
}
