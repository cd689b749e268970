use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, get, post, web};
use api_types::Problem;
use api_types::auth::{LoginRequest, Operator, RefreshRequest, SignupRequest, TokenResponse};
use db::auth::{NewOperator, OperatorRow};
use db::sign_in::Policy;
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
async fn signup(state: web::Data<AppState>, req: HttpRequest, body: Json<SignupRequest>) -> ApiResult<HttpResponse> {
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
    Ok(session(HttpResponse::Created(), &req, &state, tokens(&state, operator).await?))
}

/// Sign in with email and password. Failed sign-ins are limited per account and per client
/// address; past the limit every attempt, a correct one too, is refused with 429 and
/// `Retry-After` for a while that grows with each further failure.
#[utoipa::path(operation_id = "login", tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many failed sign-ins for this account or address; `Retry-After` says when to try again", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login")]
async fn login(state: web::Data<AppState>, req: HttpRequest, body: Json<LoginRequest>) -> ApiResult<HttpResponse> {
    let LoginRequest { email, password } = body.into_inner();
    let throttles = sign_in_throttles(&state.config, &req, &email);
    let keys: Vec<String> = throttles.iter().map(|(key, _)| key.clone()).collect();
    let now = db::now();
    let (refused, operator) = state
        .run(move |db| {
            Ok(db.read(|c| Ok((db::sign_in::refused(c, &keys, now)?, db::auth::operator_by_email(c, &email)?)))?)
        })
        .await?;
    if let Some(wait) = refused {
        let wait = wait.to_std().unwrap_or_default();
        return Err(ApiError::too_many("too many failed sign-ins; try again later", wait));
    }
    let verified = operator.filter(|op| a::verify_password(&password, &op.password_hash));
    let Some(operator) = verified else {
        state
            .run(move |db| {
                Ok(db.write(|c| {
                    for (key, policy) in &throttles {
                        db::sign_in::record_failure(c, key, policy, now)?;
                    }
                    db::sign_in::prune(c, &throttles[0].1, now).map(drop)
                })?)
            })
            .await?;
        return Err(ApiError::Unauthorized("wrong email or password".into()));
    };
    let account = throttles[0].0.clone();
    state.run(move |db| Ok(db.write(|c| db::sign_in::forget(c, &account))?)).await?;
    Ok(session(HttpResponse::Ok(), &req, &state, tokens(&state, operator).await?))
}

/// The keys a sign-in's failures count against, the account first, each with its policy: the
/// account's, and four times as many for the client address (several people behind one).
fn sign_in_throttles(config: &crate::Config, req: &HttpRequest, email: &str) -> Vec<(String, Policy)> {
    let allowed = config.sign_in_failures_per_minute;
    let mut keys = vec![(db::sign_in::account_key(email), Policy::per_minute(allowed))];
    let info = req.connection_info();
    let address = if config.trust_forwarded { info.realip_remote_addr() } else { info.peer_addr() };
    if let Some(address) = address {
        keys.push((db::sign_in::address_key(address), Policy::per_minute(allowed.saturating_mul(4))));
    }
    keys
}

/// Trade a refresh token (good once) for new tokens: the body's, else the session cookie's.
#[utoipa::path(operation_id = "refreshToken", tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "Unknown, used or expired refresh token", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/refresh")]
async fn refresh(state: web::Data<AppState>, req: HttpRequest, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    let token = refresh_token(&req, body.into_inner())
        .ok_or_else(|| ApiError::Unauthorized("no refresh token (in the body or the session cookie)".into()))?;
    let hash = a::sha256_hex(&token);
    let operator = state
        .run(move |db| {
            Ok(db.write(|c| match db::auth::take_refresh_token(c, &hash)? {
                Some(id) => db::auth::operator(c, id).map(Some),
                None => Ok(None),
            })?)
        })
        .await?
        .ok_or_else(|| ApiError::Unauthorized("unknown, used or expired refresh token".into()))?;
    Ok(session(HttpResponse::Ok(), &req, &state, tokens(&state, operator).await?))
}

/// Sign out: the refresh token (the body's, else the session cookie's) stops working, and the
/// cookie is removed.
#[utoipa::path(operation_id = "logout", tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, req: HttpRequest, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    if let Some(token) = refresh_token(&req, body.into_inner()) {
        let hash = a::sha256_hex(&token);
        state.run(move |db| Ok(db.write(|c| db::auth::take_refresh_token(c, &hash))?)).await?;
    }
    let mut removal = session_cookie(&req, String::new(), 0);
    removal.make_removal();
    Ok(HttpResponse::NoContent().cookie(removal).finish())
}

/// The cookie that keeps the browser's refresh token: sent back only to the auth endpoints,
/// over HTTPS only when the app is served over HTTPS, and never readable by scripts.
const REFRESH_COOKIE: &str = "segmenta_refresh";

fn session_cookie(req: &HttpRequest, token: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token)
        .path("/api/v1/auth")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(req.connection_info().scheme() == "https")
        .max_age(actix_web::cookie::time::Duration::seconds(max_age_secs))
        .finish()
}

/// The tokens as the answer's body, the refresh token also as the session cookie.
fn session(
    mut response: HttpResponseBuilder,
    req: &HttpRequest,
    state: &AppState,
    tokens: TokenResponse,
) -> HttpResponse {
    let cookie = session_cookie(req, tokens.refresh_token.clone(), state.config.refresh_ttl_secs);
    response.cookie(cookie).json(tokens)
}

/// The refresh token of a request: its body's, else its session cookie's.
fn refresh_token(req: &HttpRequest, body: RefreshRequest) -> Option<String> {
    body.refresh_token.filter(|t| !t.is_empty()).or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()))
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
