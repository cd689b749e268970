use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"workspace_name": "Shop", "email": "me@shop.example", "password": "a-long-password"}))]
pub struct SignupRequest {
    pub workspace_name: String,
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"email": "me@shop.example", "password": "a-long-password"}))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The refresh token to trade or revoke. The browser app sends `{}`: its refresh token is the
/// `HttpOnly` cookie that sign-in set, which scripts cannot read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"refresh_token": "rt_3kq8…"}))]
pub struct RefreshRequest {
    /// Absent: the `segmenta_refresh` cookie's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// Tokens returned by signup, login and refresh.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: i64,
    pub refresh_token: String,
    pub operator: Operator,
}

pub use vocab::{Role, Scope};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Operator {
    pub id: i64,
    pub workspace_id: i64,
    pub workspace_name: String,
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
    pub active_segment_id: Option<i64>,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"email": "grace@shop.example", "password": "another-long-password", "role": "editor", "name": "Grace"}))]
pub struct CreateOperator {
    pub email: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"role": "viewer"}))]
pub struct UpdateOperator {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "warehouse sync", "scope": "write"}))]
pub struct CreateApiKey {
    pub name: String,
    /// What the key may do; `write` when left out. (`role` with `viewer`, `editor` or `admin`
    /// is read as the scope of that role.)
    #[serde(default = "default_key_scope", alias = "role")]
    pub scope: Scope,
}

fn default_key_scope() -> Scope {
    Scope::Write
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    pub scope: Scope,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(default, with = "crate::time::utc_opt")]
    pub last_used_at: Option<NaiveDateTime>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub revoked_at: Option<NaiveDateTime>,
}

/// A new key: `key` is shown this once and stored only as a hash.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub api_key: ApiKey,
    pub key: String,
}
