//! The one typed client of the segmenta REST API.
//!
//! Every call goes through [`request`]: JSON in and out, `application/problem+json` errors turned
//! into [`ApiError`], and a 401 answered by one token refresh and one retry, so an expired access
//! token never costs the operator the page they are on. Tokens live in `localStorage`.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use api_types::auth::{LoginRequest, Operator, RefreshRequest, SignupRequest, TokenResponse};
use api_types::problem::ProblemItem;
use api_types::users::{Company, User, UserDetail};
use api_types::{Page, Problem};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

const BASE: &str = "/api/v1";

/// A failed API call, ready to show: a message and what exactly was wrong, per field or row.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status; 0 when the server could not be reached.
    pub status: u16,
    /// Stable machine-readable code (`validation`, `not_found`, `network`, …).
    pub code: String,
    pub message: String,
    pub items: Vec<ProblemItem>,
}

impl ApiError {
    fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_owned(),
            message: message.into(),
            items: Vec::new(),
        }
    }

    fn network(err: JsValue) -> Self {
        let detail = err.as_string().or_else(|| {
            js_sys::Reflect::get(&err, &JsValue::from_str("message"))
                .ok()?
                .as_string()
        });
        let mut message =
            "Could not reach the server. Check your connection and try again.".to_owned();
        if let Some(detail) = detail {
            message.push_str(&format!(" ({detail})"));
        }
        ApiError::new(0, "network", message)
    }

    /// The message the server gave for one request field, if any.
    pub fn field(&self, name: &str) -> Option<String> {
        self.items
            .iter()
            .find(|i| i.field.as_deref() == Some(name))
            .map(|i| i.message.clone())
    }

    /// Items that name no field the form shows (`shown`): to list under the form's message.
    pub fn other_items(&self, shown: &[&str]) -> Vec<ProblemItem> {
        self.items
            .iter()
            .filter(|i| i.field.as_deref().is_none_or(|f| !shown.contains(&f)))
            .cloned()
            .collect()
    }

    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        let message = if p.detail.is_empty() {
            p.title
        } else {
            p.detail
        };
        ApiError {
            status: p.status,
            code: p.code,
            message,
            items: p.errors,
        }
    }
}

/// Access and refresh tokens in `localStorage`.
pub mod tokens {
    const ACCESS: &str = "segmenta.access_token";
    const REFRESH: &str = "segmenta.refresh_token";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn access() -> Option<String> {
        storage()?.get_item(ACCESS).ok().flatten()
    }

    pub fn refresh() -> Option<String> {
        storage()?.get_item(REFRESH).ok().flatten()
    }

    pub fn store(access: &str, refresh: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(ACCESS, access);
            let _ = s.set_item(REFRESH, refresh);
        }
    }

    pub fn clear() {
        if let Some(s) = storage() {
            let _ = s.remove_item(ACCESS);
            let _ = s.remove_item(REFRESH);
        }
    }

    pub fn present() -> bool {
        access().is_some() || refresh().is_some()
    }
}

type Refreshing = Shared<LocalBoxFuture<'static, bool>>;

thread_local! {
    /// Called once the session is gone for good (refresh refused or impossible).
    static ON_SIGNED_OUT: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
    /// The refresh in flight, shared by every request that got a 401 meanwhile: the server may
    /// rotate refresh tokens, so two parallel refreshes with the same token would sign us out.
    static REFRESHING: RefCell<Option<Refreshing>> = const { RefCell::new(None) };
}

/// Registers what to do when the session ends without the operator signing out.
pub fn on_signed_out(f: impl Fn() + 'static) {
    ON_SIGNED_OUT.with(|cell| *cell.borrow_mut() = Some(Rc::new(f)));
}

fn signed_out() {
    tokens::clear();
    if let Some(f) = ON_SIGNED_OUT.with(|cell| cell.borrow().clone()) {
        f();
    }
}

/// Refreshes the tokens once for everyone waiting; `true` when a new access token is stored.
async fn refresh_tokens() -> bool {
    let pending = REFRESHING.with(|cell| cell.borrow().clone());
    let fut = match pending {
        Some(fut) => fut,
        None => {
            let fut = async {
                let ok = match tokens::refresh() {
                    Some(refresh_token) => {
                        let body = RefreshRequest { refresh_token };
                        match call::<_, TokenResponse>("POST", "/auth/refresh", Some(&body), false)
                            .await
                        {
                            Ok(t) => {
                                tokens::store(&t.access_token, &t.refresh_token);
                                true
                            }
                            Err(_) => false,
                        }
                    }
                    None => false,
                };
                REFRESHING.with(|cell| *cell.borrow_mut() = None);
                ok
            }
            .boxed_local()
            .shared();
            REFRESHING.with(|cell| *cell.borrow_mut() = Some(fut.clone()));
            fut
        }
    };
    fut.await
}

async fn send(
    method: &str,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Result<Response, ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::new(0, "network", "No browser window."))?;
    let headers = Headers::new().map_err(ApiError::network)?;
    headers
        .set("Accept", "application/json")
        .map_err(ApiError::network)?;
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(ApiError::network)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(ApiError::network)?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let url = format!("{BASE}{path}");
    let resp = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(ApiError::network)?;
    resp.dyn_into::<Response>().map_err(ApiError::network)
}

async fn text(resp: &Response) -> Result<String, ApiError> {
    let promise = resp.text().map_err(ApiError::network)?;
    let value = JsFuture::from(promise).await.map_err(ApiError::network)?;
    Ok(value.as_string().unwrap_or_default())
}

/// Turns a response into `T`; an empty body (204) reads as JSON `null`.
async fn read<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    let status = resp.status();
    let body = text(&resp).await?;
    if (200..300).contains(&status) {
        let body = if body.trim().is_empty() {
            "null"
        } else {
            body.as_str()
        };
        return serde_json::from_str(body).map_err(|e| {
            ApiError::new(
                status,
                "decode",
                format!("The server sent an answer this page cannot read: {e}"),
            )
        });
    }
    match serde_json::from_str::<Problem>(&body) {
        Ok(problem) => Err(problem.into()),
        Err(_) => Err(ApiError::new(status, "http", default_message(status))),
    }
}

fn default_message(status: u16) -> String {
    match status {
        401 => "Your session has ended. Please sign in again.".into(),
        403 => "You are not allowed to do this.".into(),
        404 => "Not found.".into(),
        429 => "Too many requests. Wait a moment and try again.".into(),
        500..=599 => format!("The server failed ({status}). Try again in a moment."),
        _ => format!("The request failed ({status})."),
    }
}

/// Sends one request. With `auth`, a 401 triggers one refresh and one retry; if that fails too
/// the session is over and [`on_signed_out`]'s callback runs.
async fn call<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
    auth: bool,
) -> Result<T, ApiError> {
    let body = match body {
        Some(b) => {
            Some(serde_json::to_string(b).map_err(|e| ApiError::new(0, "encode", e.to_string()))?)
        }
        None => None,
    };
    let token = if auth { tokens::access() } else { None };
    let resp = send(method, path, body.as_deref(), token.as_deref()).await?;
    if !auth || resp.status() != 401 {
        return read(resp).await;
    }
    // Another request may have refreshed while this one was in flight.
    let current = tokens::access();
    let renewed = (current.is_some() && current != token) || refresh_tokens().await;
    if !renewed {
        signed_out();
        return read(resp).await;
    }
    let token = tokens::access();
    let resp = send(method, path, body.as_deref(), token.as_deref()).await?;
    if resp.status() == 401 {
        signed_out();
    }
    read(resp).await
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    call::<(), T>("GET", path, None, true).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    call("POST", path, Some(body), true).await
}

/// Builds `?a=1&b=2` from the pairs whose value is present and not empty.
pub fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            let v = (*v)?;
            (!v.is_empty()).then(|| format!("{k}={}", encode(v)))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

pub fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

// ---- auth ----------------------------------------------------------------------------------

pub async fn login(req: &LoginRequest) -> Result<TokenResponse, ApiError> {
    let t: TokenResponse = call("POST", "/auth/login", Some(req), false).await?;
    tokens::store(&t.access_token, &t.refresh_token);
    Ok(t)
}

pub async fn signup(req: &SignupRequest) -> Result<TokenResponse, ApiError> {
    let t: TokenResponse = call("POST", "/auth/signup", Some(req), false).await?;
    tokens::store(&t.access_token, &t.refresh_token);
    Ok(t)
}

/// Ends the session on the server (best effort) and forgets the tokens.
pub async fn logout() {
    if let Some(refresh_token) = tokens::refresh() {
        let body = RefreshRequest { refresh_token };
        let _ = call::<_, serde_json::Value>("POST", "/auth/logout", Some(&body), false).await;
    }
    tokens::clear();
}

pub async fn me() -> Result<Operator, ApiError> {
    get("/me").await
}

// ---- users and companies -------------------------------------------------------------------

/// Parameters of `GET /users`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsersQuery {
    pub q: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub segment: Option<String>,
    pub limit: Option<u32>,
}

pub async fn list_users(p: &UsersQuery) -> Result<Page<User>, ApiError> {
    let limit = p.limit.map(|l| l.to_string());
    let qs = query(&[
        ("q", p.q.as_deref()),
        ("sort", p.sort.as_deref()),
        ("cursor", p.cursor.as_deref()),
        ("segment", p.segment.as_deref()),
        ("limit", limit.as_deref()),
    ]);
    get(&format!("/users{qs}")).await
}

pub async fn user(id: i64) -> Result<UserDetail, ApiError> {
    get(&format!("/users/{id}")).await
}

pub async fn list_companies(
    q: Option<&str>,
    cursor: Option<&str>,
    limit: u32,
) -> Result<Page<Company>, ApiError> {
    let limit = limit.to_string();
    let qs = query(&[("q", q), ("cursor", cursor), ("limit", Some(&limit))]);
    get(&format!("/companies{qs}")).await
}

pub async fn company(id: i64) -> Result<Company, ApiError> {
    get(&format!("/companies/{id}")).await
}
