//! Authentication: argon2id passwords, short-lived HS256 access tokens, rotating refresh
//! tokens and API keys (both stored only as SHA-256 hashes), and the [`Auth`] extractor that
//! every protected handler takes. Scopes: admin > write > read (an operator's role gives one:
//! admin, editor, viewer).

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use api_types::auth::{Role, Scope};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::limits::{Caller, Spent};
use crate::{ApiError, ApiResult, AppState, Config};

/// Prefix of every API key, so a bearer value can be told from a JWT at a glance.
pub const API_KEY_PREFIX: &str = "sgk_";

pub fn hash_password(password: &str) -> ApiResult<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(ApiError::internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Rules for a new password, reported on the `password` field.
pub fn check_password(password: &str) -> ApiResult<()> {
    if password.chars().count() < 8 {
        return Err(ApiError::invalid("password", "must be at least 8 characters"));
    }
    if password.len() > 1024 {
        return Err(ApiError::invalid("password", "must be at most 1024 bytes"));
    }
    Ok(())
}

pub fn check_email(email: &str) -> ApiResult<()> {
    if !domain::import::is_valid_email(email.trim()) {
        return Err(ApiError::invalid("email", "is not a valid email address"));
    }
    Ok(())
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// Operator id.
    sub: String,
    /// Workspace id.
    ws: i64,
    iat: i64,
    exp: i64,
}

pub fn issue_access_token(config: &Config, operator_id: i64, workspace_id: i64) -> ApiResult<String> {
    let now = chrono::Utc::now().timestamp();
    let claims = Claims { sub: operator_id.to_string(), ws: workspace_id, iat: now, exp: now + config.access_ttl_secs };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(config.jwt_secret.as_bytes()),
    )
    .map_err(ApiError::internal)
}

/// The operator id of a valid access token. Only HS256 with our secret is accepted: a wrong
/// signature, `alg: none`, another algorithm or an expired token is refused.
fn verify_access_token(config: &Config, token: &str) -> Option<(i64, i64)> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let data =
        jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(config.jwt_secret.as_bytes()), &validation)
            .ok()?;
    Some((data.claims.sub.parse().ok()?, data.claims.ws))
}

/// A random secret of 32 bytes, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who is calling: an operator (signed in) or an API key, always within one workspace.
#[derive(Debug, Clone)]
pub struct Auth {
    pub workspace_id: i64,
    /// The operator, for a signed-in person; `None` for an API key.
    pub operator_id: Option<i64>,
    /// The API key, for a key.
    pub api_key_id: Option<i64>,
    /// What the caller may do: the key's scope, or the scope of the operator's role.
    pub scope: Scope,
}

impl Auth {
    /// Who is calling, as text: `operator:7` or `key:3`.
    pub fn principal(&self) -> String {
        match (self.operator_id, self.api_key_id) {
            (Some(operator), _) => format!("operator:{operator}"),
            (None, Some(key)) => format!("key:{key}"),
            (None, None) => "unknown".to_owned(),
        }
    }

    /// Refuses a caller without `scope` (403). Each operation's handler calls this with the
    /// scope its document's security requirement names (a test compares the two).
    pub fn require(&self, scope: Scope) -> ApiResult<()> {
        if self.scope >= scope {
            return Ok(());
        }
        let who = if self.api_key_id.is_some() { "this API key" } else { "this operator's role" };
        Err(ApiError::Forbidden(format!("this needs the {} scope; {who} has {}", scope.key(), self.scope.key())))
    }

    /// The signed-in operator; API keys have none.
    pub fn operator(&self) -> ApiResult<i64> {
        self.operator_id.ok_or_else(|| ApiError::Forbidden("this needs a signed-in operator, not an API key".into()))
    }
}

/// How long an operator's workspace and role, once read, authenticate requests without being
/// read again. A change made through this server is forgotten at once ([`Operators::forget`]);
/// any change, also one made by another process (the CLI, another replica), counts within
/// this time.
const OPERATOR_TTL: Duration = Duration::from_secs(5);

/// Operators as recently read (workspace, role), so that authenticating a request does not
/// wait for a pooled connection and a blocking thread before the handler waits for its own.
#[derive(Debug, Default)]
pub struct Operators {
    seen: RwLock<HashMap<i64, (Instant, i64, Role)>>,
}

impl Operators {
    fn get(&self, id: i64) -> Option<(i64, Role)> {
        let seen = self.seen.read().unwrap_or_else(|poison| poison.into_inner());
        seen.get(&id).filter(|(at, ..)| at.elapsed() < OPERATOR_TTL).map(|&(_, ws, role)| (ws, role))
    }

    fn put(&self, id: i64, workspace_id: i64, role: Role) {
        let mut seen = self.seen.write().unwrap_or_else(|poison| poison.into_inner());
        let now = Instant::now();
        seen.retain(|_, (at, ..)| now.duration_since(*at) < OPERATOR_TTL);
        seen.insert(id, (now, workspace_id, role));
    }

    /// Drops what is known of an operator that was changed or deleted.
    pub fn forget(&self, id: i64) {
        self.seen.write().unwrap_or_else(|poison| poison.into_inner()).remove(&id);
    }
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Auth, ApiError>>;

    /// Authenticates the caller, then spends one request of its budget (see [`crate::limits`]).
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(|v| v.trim().to_owned());
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("app state missing"))?;
            let auth = authenticate(&state, bearer).await?;
            spend_budget(&state, &req, &auth)?;
            Ok(auth)
        })
    }
}

/// One request of the caller's budget; what is left goes to the answer's headers.
fn spend_budget(state: &AppState, req: &HttpRequest, auth: &Auth) -> ApiResult<()> {
    let caller = match (auth.operator_id, auth.api_key_id) {
        (Some(operator), _) => Caller::Operator(operator),
        (None, Some(key)) => Caller::ApiKey(key),
        (None, None) => return Ok(()),
    };
    match state.budgets.spend(caller) {
        Spent::Unlimited => Ok(()),
        Spent::Within(budget) => {
            req.extensions_mut().insert(budget);
            Ok(())
        }
        Spent::Over(budget, wait) => {
            req.extensions_mut().insert(budget);
            let detail = format!("this caller's budget of {} requests a minute is spent", budget.quota);
            Err(ApiError::too_many(detail, wait))
        }
    }
}

/// Who the bearer token says is calling.
async fn authenticate(state: &AppState, bearer: Option<String>) -> ApiResult<Auth> {
    let token = bearer.ok_or_else(|| ApiError::Unauthorized("missing bearer token".into()))?;
    if token.starts_with(API_KEY_PREFIX) {
        let hash = sha256_hex(&token);
        let key = state.run(move |db| Ok(db.write(|c| db::auth::api_key_by_hash(c, &hash))?)).await?;
        let key = key.ok_or_else(|| ApiError::Unauthorized("unknown or revoked API key".into()))?;
        let scope = key.scope;
        return Ok(Auth { workspace_id: key.workspace_id, operator_id: None, api_key_id: Some(key.id), scope });
    }
    let (operator_id, workspace_id) = verify_access_token(&state.config, &token)
        .ok_or_else(|| ApiError::Unauthorized("invalid or expired access token".into()))?;
    let (operator_workspace, role) = match state.operators.get(operator_id) {
        Some(known) => known,
        None => {
            let operator = state.run(move |db| Ok(db.read(|c| db::auth::operator(c, operator_id))?)).await.map_err(
                |e| match e {
                    ApiError::NotFound => ApiError::Unauthorized("the operator no longer exists".into()),
                    other => other,
                },
            )?;
            let role = operator.role;
            state.operators.put(operator_id, operator.workspace_id, role);
            (operator.workspace_id, role)
        }
    };
    if operator_workspace != workspace_id {
        return Err(ApiError::Unauthorized("invalid access token".into()));
    }
    Ok(Auth { workspace_id, operator_id: Some(operator_id), api_key_id: None, scope: role.scope() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
    }

    #[test]
    fn access_tokens_round_trip_and_refuse_tampering() {
        let config = Config::default();
        let token = issue_access_token(&config, 7, 3).unwrap();
        assert_eq!(verify_access_token(&config, &token), Some((7, 3)));
        let other = Config { jwt_secret: "another".into(), ..Config::default() };
        assert_eq!(verify_access_token(&other, &token), None);
        // alg: none with the same claims
        let parts: Vec<&str> = token.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(verify_access_token(&config, &format!("{none_header}.{}.", parts[1])), None);
        let expired = Config { access_ttl_secs: -10, ..Config::default() };
        let old = issue_access_token(&expired, 7, 3).unwrap();
        assert_eq!(verify_access_token(&config, &old), None);
    }
}
