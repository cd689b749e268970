use actix_web::{HttpResponse, get, post, web};
use api_types::Problem;
use api_types::auth::{LoginRequest, Operator, RefreshRequest, SignupRequest, TokenResponse};
use db::auth::{NewOperator, OperatorRow};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{self as a, Auth};
use crate::body::Json;
use crate::views::operator_view;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(signup).service(login).service(refresh).service(logout).service(me);
}

/// Issues an access token and a fresh refresh token for an operator.
async fn tokens(state: &AppState, operator: OperatorRow) -> ApiResult<TokenResponse> {
    let access_token = a::issue_access_token(&state.config, operator.id, operator.workspace_id)?;
    let refresh_token = a::random_token();
    let hash = a::sha256_hex(&refresh_token);
    let expires = db::now() + chrono::Duration::seconds(state.config.refresh_ttl_secs);
    let (id, ws) = (operator.id, operator.workspace_id);
    let name = state
        .run(move |db| {
            Ok(db.write(|c| {
                db::auth::store_refresh_token(c, id, &hash, expires)?;
                db::auth::workspace_name(c, ws)
            })?)
        })
        .await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: state.config.access_ttl_secs,
        refresh_token,
        operator: operator_view(operator, name),
    })
}

/// Create a workspace and its first admin; answers like login.
#[utoipa::path(operation_id = "signup", tag = "auth", request_body = SignupRequest, responses(
    (status = 201, body = TokenResponse),
    (status = 403, description = "Sign-up is switched off", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid field", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/signup")]
async fn signup(state: web::Data<AppState>, body: Json<SignupRequest>) -> ApiResult<HttpResponse> {
    if !state.config.signup_enabled {
        return Err(ApiError::Forbidden("sign-up is disabled on this server".into()));
    }
    let body = body.into_inner();
    let workspace_name = body.workspace_name.trim().to_owned();
    if workspace_name.is_empty() {
        return Err(ApiError::invalid("workspace_name", "is required"));
    }
    a::check_email(&body.email)?;
    a::check_password(&body.password)?;
    let hash = a::hash_password(&body.password)?;
    let operator = state
        .run(move |db| {
            Ok(db.write(|c| {
                let admin = NewOperator {
                    workspace_id: 0,
                    email: &body.email,
                    name: body.name.as_deref(),
                    password_hash: &hash,
                    role: api_types::auth::Role::Admin,
                    created_at: db::now(),
                };
                db::auth::create_workspace(c, &workspace_name, admin).map(|(_, op)| op)
            })?)
        })
        .await?;
    Ok(HttpResponse::Created().json(tokens(&state, operator).await?))
}

/// Sign in with email and password.
#[utoipa::path(operation_id = "login", tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login")]
async fn login(state: web::Data<AppState>, body: Json<LoginRequest>) -> ApiResult<web::Json<TokenResponse>> {
    let LoginRequest { email, password } = body.into_inner();
    let operator = state.run(move |db| Ok(db.read(|c| db::auth::operator_by_email(c, &email))?)).await?;
    let verified = operator.filter(|op| a::verify_password(&password, &op.password_hash));
    let operator = verified.ok_or_else(|| ApiError::Unauthorized("wrong email or password".into()))?;
    Ok(web::Json(tokens(&state, operator).await?))
}

/// Trade a refresh token (good once) for new tokens.
#[utoipa::path(operation_id = "refreshToken", tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "Unknown, used or expired refresh token", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/refresh")]
async fn refresh(state: web::Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<web::Json<TokenResponse>> {
    let hash = a::sha256_hex(&body.refresh_token);
    let operator = state
        .run(move |db| {
            Ok(db.write(|c| match db::auth::take_refresh_token(c, &hash)? {
                Some(id) => db::auth::operator(c, id).map(Some),
                None => Ok(None),
            })?)
        })
        .await?
        .ok_or_else(|| ApiError::Unauthorized("unknown, used or expired refresh token".into()))?;
    Ok(web::Json(tokens(&state, operator).await?))
}

/// Sign out: the refresh token stops working.
#[utoipa::path(operation_id = "logout", tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    let hash = a::sha256_hex(&body.refresh_token);
    state.run(move |db| Ok(db.write(|c| db::auth::take_refresh_token(c, &hash))?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in operator, with the active segment.
#[utoipa::path(operation_id = "getMe", tag = "auth", security(("bearer" = ["read"])), responses(
    (status = 200, body = Operator),
    (status = 403, description = "Called with an API key", body = Problem, content_type = "application/problem+json"),
))]
#[get("/me")]
async fn me(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<Operator>> {
    let id = auth.operator()?;
    let (row, name) = state
        .run(move |db| {
            Ok(db.read(|c| {
                let row = db::auth::operator(c, id)?;
                let name = db::auth::workspace_name(c, row.workspace_id)?;
                Ok((row, name))
            })?)
        })
        .await?;
    Ok(web::Json(operator_view(row, name)))
}
