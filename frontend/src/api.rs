//! The one typed client of the segmenta REST API.
//!
//! Every call goes through [`request`]: JSON in and out, `application/problem+json` errors turned
//! into [`ApiError`], and a 401 answered by one token refresh and one retry, so an expired access
//! token never costs the operator the page they are on. The access token lives in memory, the
//! refresh token in an `HttpOnly` cookie (see [`tokens`]).

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use api_types::auth::{
    ApiKey, CreateApiKey, CreateOperator, CreatedApiKey, LoginRequest, Operator, RefreshRequest, SignupRequest,
    TokenResponse, UpdateOperator,
};
use api_types::filters::{CustomFilter, CustomFilterInput, FilterCatalog};
use api_types::metrics::{
    Overview, PurchaseActivity, RfmEvolution, RfmMatrix, RfmTransitions, ScoringMatrix, SegmentMetricsReport,
};
use api_types::problem::ProblemItem;
use api_types::segment_events::{SegmentEvent, SegmentHistory};
use api_types::segments::{ActiveSegmentInput, PreviewRequest, Segment, SegmentInput, SegmentOrder, SegmentPreview};
use api_types::settings::{ScoreSettings, Settings, SettingsInput};
use api_types::users::{Company, User, UserDetail};
use api_types::webhooks::{Webhook, WebhookDelivery, WebhookInput, WebhookTest};
use api_types::{Page, Problem};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Headers, HtmlAnchorElement, RequestInit, Response, Url};

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
        ApiError { status, code: code.to_owned(), message: message.into(), items: Vec::new() }
    }

    fn network(err: JsValue) -> Self {
        let detail =
            err.as_string().or_else(|| js_sys::Reflect::get(&err, &JsValue::from_str("message")).ok()?.as_string());
        let mut message = "Could not reach the server. Check your connection and try again.".to_owned();
        if let Some(detail) = detail {
            message.push_str(&format!(" ({detail})"));
        }
        ApiError::new(0, "network", message)
    }

    /// The message the server gave for one request field, if any.
    pub fn field(&self, name: &str) -> Option<String> {
        self.items.iter().find(|i| i.field.as_deref() == Some(name)).map(|i| i.message.clone())
    }

    /// Items that name no field the form shows (`shown`): to list under the form's message.
    pub fn other_items(&self, shown: &[&str]) -> Vec<ProblemItem> {
        self.items.iter().filter(|i| i.field.as_deref().is_none_or(|f| !shown.contains(&f))).cloned().collect()
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
        let message = if p.detail.is_empty() { p.title } else { p.detail };
        ApiError { status: p.status, code: p.code, message, items: p.errors }
    }
}

/// The access token, in memory only. The refresh token is the `HttpOnly` session cookie that
/// sign-in sets, which no script can read (docs/security.md); a flag in `localStorage` (no
/// secret) remembers that a session may exist, so that a reload renews it instead of showing the
/// sign-in form.
pub mod tokens {
    use std::cell::RefCell;

    const SESSION: &str = "segmenta.session";
    /// Where versions before the session cookie kept the tokens; removed when seen.
    const OLD: [&str; 2] = ["segmenta.access_token", "segmenta.refresh_token"];

    thread_local! {
        static ACCESS: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn access() -> Option<String> {
        ACCESS.with(|a| a.borrow().clone())
    }

    pub fn store(access: &str) {
        ACCESS.with(|a| *a.borrow_mut() = Some(access.to_owned()));
        if let Some(s) = storage() {
            let _ = s.set_item(SESSION, "1");
            for key in OLD {
                let _ = s.remove_item(key);
            }
        }
    }

    pub fn clear() {
        ACCESS.with(|a| *a.borrow_mut() = None);
        if let Some(s) = storage() {
            for key in OLD.into_iter().chain([SESSION]) {
                let _ = s.remove_item(key);
            }
        }
    }

    /// A session may exist: a token in memory, or one to renew from the cookie.
    pub fn present() -> bool {
        access().is_some() || storage().and_then(|s| s.get_item(SESSION).ok().flatten()).is_some()
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
                // the refresh token is the session cookie, which the browser sends itself
                let body = RefreshRequest::default();
                let ok = match call::<_, TokenResponse>("POST", "/auth/refresh", Some(&body), false).await {
                    Ok(t) => {
                        tokens::store(&t.access_token);
                        true
                    }
                    Err(_) => false,
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

async fn send(method: &str, path: &str, body: Option<&str>, token: Option<&str>) -> Result<Response, ApiError> {
    let window = web_sys::window().ok_or_else(|| ApiError::new(0, "network", "No browser window."))?;
    let headers = Headers::new().map_err(ApiError::network)?;
    headers.set("Accept", "application/json").map_err(ApiError::network)?;
    if let Some(token) = token {
        headers.set("Authorization", &format!("Bearer {token}")).map_err(ApiError::network)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").map_err(ApiError::network)?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let url = format!("{BASE}{path}");
    let resp = JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await.map_err(ApiError::network)?;
    resp.dyn_into::<Response>().map_err(ApiError::network)
}

async fn text(resp: &Response) -> Result<String, ApiError> {
    let promise = resp.text().map_err(ApiError::network)?;
    let value = JsFuture::from(promise).await.map_err(ApiError::network)?;
    Ok(value.as_string().unwrap_or_default())
}

/// Turns a status and body into `T`; an empty body (204) reads as JSON `null`.
fn decode<T: DeserializeOwned>((status, body): (u16, String)) -> Result<T, ApiError> {
    if !(200..300).contains(&status) {
        return Err(problem(status, &body));
    }
    let body = if body.trim().is_empty() { "null" } else { body.as_str() };
    serde_json::from_str(body)
        .map_err(|e| ApiError::new(status, "decode", format!("The server sent an answer this page cannot read: {e}")))
}

/// The error of a failed response: its problem+json, or a message for the status.
fn problem(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<Problem>(body) {
        Ok(problem) => problem.into(),
        Err(_) => ApiError::new(status, "http", default_message(status)),
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
async fn respond(method: &str, path: &str, body: Option<&str>, auth: bool) -> Result<Response, ApiError> {
    // after a reload the access token is gone: renew it from the session cookie first
    if auth && tokens::access().is_none() && tokens::present() {
        refresh_tokens().await;
    }
    let token = if auth { tokens::access() } else { None };
    let resp = send(method, path, body, token.as_deref()).await?;
    if !auth || resp.status() != 401 {
        return Ok(resp);
    }
    // Another request may have refreshed while this one was in flight.
    let current = tokens::access();
    let renewed = (current.is_some() && current != token) || refresh_tokens().await;
    if !renewed {
        signed_out();
        return Ok(resp);
    }
    let token = tokens::access();
    let resp = send(method, path, body, token.as_deref()).await?;
    if resp.status() == 401 {
        signed_out();
    }
    Ok(resp)
}

/// One request with its body read: boxed, so every typed call shares this one state machine
/// instead of carrying its own copy (it matters for the size of the app).
fn exchange(
    method: &'static str,
    path: String,
    body: Option<String>,
    auth: bool,
) -> LocalBoxFuture<'static, Result<(u16, String), ApiError>> {
    Box::pin(async move {
        let resp = respond(method, &path, body.as_deref(), auth).await?;
        let status = resp.status();
        Ok((status, text(&resp).await?))
    })
}

async fn call<B: Serialize, T: DeserializeOwned>(
    method: &'static str,
    path: &str,
    body: Option<&B>,
    auth: bool,
) -> Result<T, ApiError> {
    let body = match body {
        Some(b) => Some(serde_json::to_string(b).map_err(|e| ApiError::new(0, "encode", e.to_string()))?),
        None => None,
    };
    decode(exchange(method, path.to_owned(), body, auth).await?)
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    call::<(), T>("GET", path, None, true).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    call("POST", path, Some(body), true).await
}

pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    call("PUT", path, Some(body), true).await
}

pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    call("PATCH", path, Some(body), true).await
}

pub async fn delete<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    call::<(), T>("DELETE", path, None, true).await
}

/// Fetches a file with the session's token and hands it to the browser as a download (a plain
/// link could not carry the `Authorization` header).
pub async fn download(path: &str, fallback_name: &str) -> Result<(), ApiError> {
    let resp = respond("GET", path, None, true).await?;
    if !resp.ok() {
        let status = resp.status();
        return Err(problem(status, &text(&resp).await?));
    }
    let name = resp
        .headers()
        .get("Content-Disposition")
        .ok()
        .flatten()
        .and_then(|d| {
            let (_, rest) = d.split_once("filename=\"")?;
            rest.split('"').next().map(str::to_owned)
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| fallback_name.to_owned());
    let promise = resp.blob().map_err(ApiError::network)?;
    let blob: Blob = JsFuture::from(promise).await.map_err(ApiError::network)?.dyn_into().map_err(ApiError::network)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(ApiError::network)?;
    let saved = save_as(&url, &name);
    // The browser has taken the file once the click is handled; free the blob afterwards.
    leptos::leptos_dom::helpers::set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    saved.map_err(ApiError::network)
}

fn save_as(url: &str, name: &str) -> Result<(), JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("no document"))?;
    let body = document.body().ok_or_else(|| JsValue::from_str("no body"))?;
    let a: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(url);
    a.set_download(name);
    a.set_hidden(true);
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    Ok(())
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
    if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
}

pub fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

// ---- auth ----------------------------------------------------------------------------------

pub async fn login(req: &LoginRequest) -> Result<TokenResponse, ApiError> {
    let t: TokenResponse = call("POST", "/auth/login", Some(req), false).await?;
    tokens::store(&t.access_token);
    Ok(t)
}

pub async fn signup(req: &SignupRequest) -> Result<TokenResponse, ApiError> {
    let t: TokenResponse = call("POST", "/auth/signup", Some(req), false).await?;
    tokens::store(&t.access_token);
    Ok(t)
}

/// Ends the session on the server (best effort: it revokes the cookie's refresh token and
/// removes the cookie) and forgets the access token.
pub async fn logout() {
    let _ = call::<_, serde_json::Value>("POST", "/auth/logout", Some(&RefreshRequest::default()), false).await;
    tokens::clear();
}

pub async fn me() -> Result<Operator, ApiError> {
    get("/me").await
}

// ---- users and companies -------------------------------------------------------------------

/// Which users `GET /users` lists and `GET /users/export.csv` exports: all of the workspace
/// when every part is empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserSelection {
    pub q: Option<String>,
    /// A custom segment's id.
    pub segment: Option<String>,
    /// A custom filter's id.
    pub filter: Option<String>,
    /// A condition tree as JSON.
    pub conditions: Option<String>,
}

impl UserSelection {
    /// The members of one custom segment.
    pub fn segment(id: i64) -> UserSelection {
        UserSelection { segment: Some(id.to_string()), ..UserSelection::default() }
    }

    /// The query pairs, for [`query`] (empty values are left out there).
    fn pairs(&self) -> [(&'static str, Option<&str>); 4] {
        [
            ("q", self.q.as_deref().map(str::trim)),
            ("segment", self.segment.as_deref()),
            ("filter", self.filter.as_deref()),
            ("conditions", self.conditions.as_deref()),
        ]
    }

    /// Whether it selects every user (nothing to narrow them down).
    pub fn is_all(&self) -> bool {
        self.pairs().iter().all(|(_, v)| v.is_none_or(str::is_empty))
    }
}

/// Parameters of `GET /users`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsersQuery {
    pub selection: UserSelection,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

pub async fn list_users(p: &UsersQuery) -> Result<Page<User>, ApiError> {
    let limit = p.limit.map(|l| l.to_string());
    let mut pairs = p.selection.pairs().to_vec();
    pairs.extend([("sort", p.sort.as_deref()), ("cursor", p.cursor.as_deref()), ("limit", limit.as_deref())]);
    get(&format!("/users{}", query(&pairs))).await
}

pub async fn user(id: i64) -> Result<UserDetail, ApiError> {
    get(&format!("/users/{id}")).await
}

pub async fn list_companies(q: Option<&str>, cursor: Option<&str>, limit: u32) -> Result<Page<Company>, ApiError> {
    let limit = limit.to_string();
    let qs = query(&[("q", q), ("cursor", cursor), ("limit", Some(&limit))]);
    get(&format!("/companies{qs}")).await
}

pub async fn company(id: i64) -> Result<Company, ApiError> {
    get(&format!("/companies/{id}")).await
}

// ---- the active segment ----------------------------------------------------------------------
//
// Every list and metric call takes `scope`: the operator's active segment, sent as `segment=`.

fn scope_param(scope: Option<i64>) -> Option<String> {
    scope.map(|id| id.to_string())
}

/// Sets (`Some`) or unsets the active segment; the operator as it is now.
pub async fn set_active_segment(id: Option<i64>) -> Result<Operator, ApiError> {
    match id {
        Some(segment_id) => put("/me/active-segment", &ActiveSegmentInput { segment_id }).await,
        None => delete("/me/active-segment").await,
    }
}

// ---- segments -------------------------------------------------------------------------------

pub async fn segments(q: Option<&str>) -> Result<Vec<Segment>, ApiError> {
    get::<Page<Segment>>(&format!("/segments{}", query(&[("q", q)]))).await.map(|p| p.items)
}

pub async fn segment(id: i64) -> Result<Segment, ApiError> {
    get(&format!("/segments/{id}")).await
}

/// The segment's size per day over the last 30 days.
pub async fn segment_history(id: i64) -> Result<SegmentHistory, ApiError> {
    get(&format!("/segments/{id}/history")).await
}

/// The segment's latest entries and exits.
pub async fn segment_events(id: i64, limit: u32) -> Result<Page<SegmentEvent>, ApiError> {
    get(&format!("/segments/{id}/events?limit={limit}")).await
}

pub async fn save_segment(id: Option<i64>, input: &SegmentInput) -> Result<Segment, ApiError> {
    match id {
        Some(id) => put(&format!("/segments/{id}"), input).await,
        None => post("/segments", input).await,
    }
}

pub async fn delete_segment(id: i64) -> Result<(), ApiError> {
    delete(&format!("/segments/{id}")).await
}

pub async fn clone_segment(id: i64) -> Result<Segment, ApiError> {
    post(&format!("/segments/{id}/clone"), &()).await
}

pub async fn refresh_segment(id: i64) -> Result<Segment, ApiError> {
    post(&format!("/segments/{id}/refresh"), &()).await
}

pub async fn reorder_segments(ids: Vec<i64>) -> Result<Vec<Segment>, ApiError> {
    put::<_, Page<Segment>>("/segments/order", &SegmentOrder { ids }).await.map(|p| p.items)
}

pub async fn preview_segment(conditions: Value) -> Result<SegmentPreview, ApiError> {
    post("/segments/preview", &PreviewRequest { conditions }).await
}

// ---- filters --------------------------------------------------------------------------------

pub async fn catalog() -> Result<FilterCatalog, ApiError> {
    get("/filters").await
}

pub async fn create_custom_filter(input: &CustomFilterInput) -> Result<CustomFilter, ApiError> {
    post("/filters/custom", input).await
}

pub async fn delete_custom_filter(id: i64) -> Result<(), ApiError> {
    delete(&format!("/filters/custom/{id}")).await
}

// ---- metrics --------------------------------------------------------------------------------

pub async fn overview(scope: Option<i64>) -> Result<Overview, ApiError> {
    let s = scope_param(scope);
    get(&format!("/metrics/overview{}", query(&[("segment", s.as_deref())]))).await
}

/// The four filters of the purchase activity tab; empty means "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PurchaseFilters {
    pub consent: String,
    pub recency: String,
    pub channel: String,
    pub store: String,
}

pub async fn purchases(f: &PurchaseFilters, scope: Option<i64>) -> Result<PurchaseActivity, ApiError> {
    let s = scope_param(scope);
    let qs = query(&[
        ("consent", Some(&f.consent)),
        ("recency", Some(&f.recency)),
        ("channel", Some(&f.channel)),
        ("store", Some(f.store.trim())),
        ("segment", s.as_deref()),
    ]);
    get(&format!("/metrics/purchases{qs}")).await
}

/// Metrics of the RFM segments over purchases since `from` (all history without).
pub async fn segment_metrics(from: Option<&str>, scope: Option<i64>) -> Result<SegmentMetricsReport, ApiError> {
    let s = scope_param(scope);
    let qs = query(&[("from", from), ("segment", s.as_deref())]);
    get(&format!("/metrics/segments{qs}")).await
}

pub async fn rfm_matrix(scope: Option<i64>) -> Result<RfmMatrix, ApiError> {
    let s = scope_param(scope);
    get(&format!("/metrics/rfm-matrix{}", query(&[("segment", s.as_deref())]))).await
}

pub async fn rfm_transitions(from: &str, to: &str, scope: Option<i64>) -> Result<RfmTransitions, ApiError> {
    let s = scope_param(scope);
    let qs = query(&[("from", Some(from)), ("to", Some(to)), ("segment", s.as_deref())]);
    get(&format!("/metrics/rfm-transitions{qs}")).await
}

pub async fn rfm_evolution(key: &str, scope: Option<i64>) -> Result<RfmEvolution, ApiError> {
    let s = scope_param(scope);
    let qs = query(&[("segment_key", Some(key)), ("segment", s.as_deref())]);
    get(&format!("/metrics/rfm-evolution{qs}")).await
}

pub async fn scoring_matrix(scope: Option<i64>) -> Result<ScoringMatrix, ApiError> {
    let s = scope_param(scope);
    get(&format!("/metrics/scoring-matrix{}", query(&[("segment", s.as_deref())]))).await
}

// ---- exports --------------------------------------------------------------------------------

/// `GET /users/export.csv` of the users `selection` picks (as the Users list shows them), RFM
/// as of today.
pub async fn export_users(selection: &UserSelection) -> Result<(), ApiError> {
    let path = format!("/users/export.csv{}", query(&selection.pairs()));
    let name = match selection.segment.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => format!("segment-{id}-users.csv"),
        None => "users.csv".to_owned(),
    };
    download(&path, &name).await
}

pub async fn export_segments() -> Result<(), ApiError> {
    download("/segments/export.csv", "segments.csv").await
}

// ---- settings -------------------------------------------------------------------------------

pub async fn settings() -> Result<Settings, ApiError> {
    get("/settings").await
}

pub async fn update_settings(input: &SettingsInput) -> Result<Settings, ApiError> {
    put("/settings", input).await
}

pub async fn score_settings() -> Result<ScoreSettings, ApiError> {
    get("/settings/scores").await
}

pub async fn update_score_settings(input: &ScoreSettings) -> Result<ScoreSettings, ApiError> {
    put("/settings/scores", input).await
}

// ---- operators and API keys (admins) ----------------------------------------------------------

pub async fn operators() -> Result<Vec<Operator>, ApiError> {
    get::<Page<Operator>>("/operators").await.map(|p| p.items)
}

pub async fn create_operator(input: &CreateOperator) -> Result<Operator, ApiError> {
    post("/operators", input).await
}

pub async fn update_operator(id: i64, input: &UpdateOperator) -> Result<Operator, ApiError> {
    patch(&format!("/operators/{id}"), input).await
}

pub async fn delete_operator(id: i64) -> Result<(), ApiError> {
    delete(&format!("/operators/{id}")).await
}

pub async fn webhooks() -> Result<Vec<Webhook>, ApiError> {
    get::<Page<Webhook>>("/webhooks").await.map(|p| p.items)
}

/// What the app reads of a new endpoint (`CreatedWebhook` without the rest).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NewWebhook {
    pub url: String,
    pub secret: String,
}

pub async fn create_webhook(input: &WebhookInput) -> Result<NewWebhook, ApiError> {
    post("/webhooks", input).await
}

pub async fn update_webhook(id: i64, input: &WebhookInput) -> Result<Webhook, ApiError> {
    patch(&format!("/webhooks/{id}"), input).await
}

pub async fn delete_webhook(id: i64) -> Result<(), ApiError> {
    delete(&format!("/webhooks/{id}")).await
}

pub async fn test_webhook(id: i64) -> Result<WebhookTest, ApiError> {
    post(&format!("/webhooks/{id}/test"), &()).await
}

pub async fn webhook_deliveries(id: i64) -> Result<Vec<WebhookDelivery>, ApiError> {
    get::<Page<WebhookDelivery>>(&format!("/webhooks/{id}/deliveries?limit=10")).await.map(|p| p.items)
}

pub async fn api_keys() -> Result<Vec<ApiKey>, ApiError> {
    get::<Page<ApiKey>>("/api-keys").await.map(|p| p.items)
}

pub async fn create_api_key(input: &CreateApiKey) -> Result<CreatedApiKey, ApiError> {
    post("/api-keys", input).await
}

pub async fn revoke_api_key(id: i64) -> Result<ApiKey, ApiError> {
    delete(&format!("/api-keys/{id}")).await
}
