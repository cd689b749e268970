//! `GET /users` and `GET /companies`: search, condition trees, saved filters, segment scope,
//! sort by any listed column, keyset cursors. [`UserSelectionQuery`] (which users) is shared
//! with the users export.

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, get, web};
use api_types::users::{Company, User};
use api_types::{Page, Problem};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use db::filters::Viewer;
use db::lists::{CompanyListQuery, CompanySort, Cursor, UserListQuery, UserSort};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::params::{UserSelectionQuery, page_limit, total_mode};
use crate::views::{company_name_ref, company_view, user_view};
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users).service(list_companies);
}

/// What a cursor carries: the sort it belongs to and the last row's (value, id).
#[derive(Serialize, Deserialize)]
struct CursorToken {
    sort: String,
    desc: bool,
    after: Cursor,
}

fn encode_cursor(sort: &str, desc: bool, after: Cursor) -> String {
    let token = CursorToken { sort: sort.to_owned(), desc, after };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).unwrap_or_default())
}

fn decode_cursor(cursor: Option<&str>, sort: &str, desc: bool) -> ApiResult<Option<Cursor>> {
    let Some(text) = cursor.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let bad = || ApiError::invalid("cursor", "is not a cursor from a previous page");
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let token: CursorToken = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if token.sort != sort || token.desc != desc {
        return Err(ApiError::invalid("cursor", "belongs to another sort order; start again without a cursor"));
    }
    Ok(Some(token.after))
}

/// `name` or `-name` (descending) into a sort key known to `parse`.
fn parse_sort<T>(sort: Option<&str>, parse: impl Fn(&str) -> Option<T>, keys: &[&str]) -> ApiResult<(T, bool, String)>
where
    T: Default,
{
    let Some(text) = sort.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((T::default(), false, "id".into()));
    };
    let (key, desc) = match text.strip_prefix('-') {
        Some(key) => (key, true),
        None => (text.strip_prefix('+').unwrap_or(text), false),
    };
    match parse(key) {
        Some(sort) => Ok((sort, desc, key.to_owned())),
        None => {
            Err(ApiError::invalid("sort", format!("'{key}' is not a sort column; use one of: {}", keys.join(", "))))
        }
    }
}

/// How the Users list sorts and pages (which users: [`UserSelectionQuery`]).
#[derive(Debug, Deserialize, IntoParams)]
pub struct UsersQuery {
    /// `id` (default), `name`, `email`, `external_id`, `last_seen_at`, `created_at`, `revenue`,
    /// `purchases`, `rfm_segment`, `health_score`, `engagement_score`, `fit_score` or `company`;
    /// `-` in front for descending. Empty values sort first ascending, last descending.
    sort: Option<String>,
    /// `next_cursor` of the previous page (same `sort`).
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// `true`: count the matching users exactly (a pass over all of them); `false`: do not.
    /// By default the first page counts them when at most 1 000 match; `total` is null
    /// otherwise.
    total: Option<bool>,
}

/// Users of the workspace: search, filters, segment scope, sort, cursor pagination. Each row
/// carries its RFM segment (key, name, symbol), last product usage (`last_seen_at`) and
/// company. `total` (the number of matching users) comes with a first page when at most
/// 1 000 match, or always with `total=true`.
#[utoipa::path(operation_id = "listUsers", tag = "users", security(("bearer" = ["read"])), params(UserSelectionQuery, UsersQuery), responses(
    (status = 200, body = Page<User>),
    (status = 422, description = "A bad parameter, or a condition tree that does not validate (`errors[].field` names the condition's path)",
        body = Problem, content_type = "application/problem+json"),
))]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    auth: Auth,
    selection: web::Query<UserSelectionQuery>,
    query: web::Query<UsersQuery>,
) -> ApiResult<HttpResponse> {
    let (selection, query) = (selection.into_inner(), query.into_inner());
    let keys: Vec<&str> = UserSort::ALL.iter().map(|s| s.key()).collect();
    let (sort, desc, sort_key) = parse_sort(query.sort.as_deref(), UserSort::parse, &keys)?;
    let after = decode_cursor(query.cursor.as_deref(), &sort_key, desc)?;
    let limit = page_limit(query.limit)?;
    let (ws, viewer) = (auth.workspace_id, Viewer { operator_id: auth.operator_id });
    let total = total_mode(query.total, after.is_none());
    // The page is turned into JSON on the thread that read it: its many small strings are
    // freed where they were allocated, and the event loop only sends bytes.
    let body = state
        .run(move |db| {
            let page = db.read(|c| {
                let selection = selection.resolve(c, ws, viewer)?;
                let list = UserListQuery { selection, sort, desc, after, limit, total };
                db::lists::users(c, ws, &list)
            })?;
            let next_cursor = page.next.map(|cursor| encode_cursor(&sort_key, desc, cursor));
            let items: Vec<User> = page.rows.into_iter().map(|(u, c)| user_view(u, c.map(company_name_ref))).collect();
            // About 800 bytes a user: one allocation rather than a dozen doublings.
            let mut body = Vec::with_capacity(1024 * (items.len() + 1));
            serde_json::to_writer(&mut body, &Page::new(items, next_cursor, page.total))
                .map_err(|e| ApiError::internal(format!("serialising the page: {e}")))?;
            Ok(body)
        })
        .await?;
    Ok(HttpResponse::Ok().content_type(ContentType::json()).body(body))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CompaniesQuery {
    /// Search in name and external id, ignoring case.
    q: Option<String>,
    /// `id` (default), `name`, `external_id`, `industry`, `plan`, `arr` or `created_at`; `-`
    /// in front for descending.
    sort: Option<String>,
    /// `next_cursor` of the previous page (same `sort`).
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// As for users: `true` exact, `false` none, by default on a first page up to 1 000.
    total: Option<bool>,
}

/// Companies of the workspace with their number of users: search, sort, cursor pagination.
/// `total` as for users.
#[utoipa::path(operation_id = "listCompanies", tag = "companies", security(("bearer" = ["read"])), params(CompaniesQuery), responses(
    (status = 200, body = Page<Company>),
))]
#[get("/companies")]
async fn list_companies(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<CompaniesQuery>,
) -> ApiResult<web::Json<Page<Company>>> {
    let query = query.into_inner();
    let keys: Vec<&str> = CompanySort::ALL.iter().map(|s| s.key()).collect();
    let (sort, desc, sort_key) = parse_sort(query.sort.as_deref(), CompanySort::parse, &keys)?;
    let after = decode_cursor(query.cursor.as_deref(), &sort_key, desc)?;
    let limit = page_limit(query.limit)?;
    let ws = auth.workspace_id;
    let total = total_mode(query.total, after.is_none());
    let list = CompanyListQuery { search: query.q, sort, desc, after, limit, total };
    let page = state.run(move |db| Ok(db.read(|c| db::lists::companies(c, ws, &list))?)).await?;
    let next_cursor = page.next.map(|cursor| encode_cursor(&sort_key, desc, cursor));
    let items = page.rows.into_iter().map(|(c, users)| Company { users: Some(users), ..company_view(c) }).collect();
    Ok(web::Json(Page::new(items, next_cursor, page.total)))
}
