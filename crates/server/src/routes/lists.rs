//! `GET /users` and `GET /companies`: search, condition trees, saved filters, segment scope,
//! sort by any listed column, keyset cursors. [`UserSelectionQuery`] (which users) is shared
//! with the users export.

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, get, web};
use api_types::users::{Company, CompanyRef, User};
use api_types::{Page, Problem};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use db::DbConn;
use db::filters::Viewer;
use db::lists::{
    CHEAP_TOTAL, CompanyListQuery, CompanySort, Cursor, MAX_LIMIT, Total, UserListQuery, UserSelection, UserSort,
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::companies::company_view;
use super::users::user_view;
use crate::auth::Auth;
use crate::{ApiError, ApiResult, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users).service(list_companies);
}

/// Page size when none is asked for.
const DEFAULT_LIMIT: i64 = 50;

/// Page size: from 1 to [`MAX_LIMIT`] (422 beyond).
pub(crate) fn page_limit(limit: Option<i64>) -> ApiResult<i64> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}"))),
    }
}

/// `total=true` counts exactly, `total=false` not at all; by default a first page counts
/// when at most [`CHEAP_TOTAL`] rows match.
pub(crate) fn total_mode(total: Option<bool>, first_page: bool) -> Total {
    match total {
        Some(true) => Total::Exact,
        Some(false) => Total::None,
        None if first_page => Total::UpTo(CHEAP_TOTAL),
        None => Total::None,
    }
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

/// Which users: the parameters the Users list and the users export share.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UserSelectionQuery {
    /// Search in name, email, external id and company name, ignoring case.
    q: Option<String>,
    /// Only users matching this custom filter (its id).
    #[param(value_type = Option<i64>)]
    filter: Option<String>,
    /// Only users matching this condition tree: URL-encoded JSON
    /// `{"match": "all"|"any", "conditions": [...]}`.
    conditions: Option<String>,
    /// Only members of this custom segment (its id).
    segment: Option<String>,
}

/// A positive id in a parameter, or a 422 naming it.
fn parse_id(field: &str, what: &str, value: Option<&str>) -> db::Result<Option<i64>> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(Some)
        .ok_or_else(|| db::Error::invalid(field, format!("'{text}' is not a {what} id")))
}

/// `NotFound` as a 422 naming the parameter that pointed at nothing.
fn not_found_as(field: &'static str, message: impl FnOnce() -> String) -> impl FnOnce(db::Error) -> db::Error {
    move |e| match e {
        db::Error::NotFound | db::Error::Query(diesel::result::Error::NotFound) => db::Error::invalid(field, message()),
        other => other,
    }
}

impl UserSelectionQuery {
    /// The users these parameters select for `viewer`: the custom filter's tree, the
    /// condition tree validated, the segment checked visible to them. Each mistake is a 422
    /// naming its parameter (the condition's path for a bad tree).
    pub(crate) fn resolve(self, c: &mut DbConn, ws: i64, viewer: Viewer) -> db::Result<UserSelection> {
        let mut trees = Vec::new();
        if let Some(id) = parse_id("filter", "custom filter", self.filter.as_deref())? {
            let filter = db::filters::custom_filter(c, ws, id)
                .map_err(not_found_as("filter", || format!("{id} is not a custom filter of this workspace")))?;
            trees.push(db::filters::stored_tree(&filter.conditions));
        }
        if let Some(text) = self.conditions.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let json = serde_json::from_str::<serde_json::Value>(text)
                .map_err(|e| db::Error::invalid("conditions", format!("is not JSON: {e}")))?;
            trees.push(db::filters::parse_tree(c, ws, viewer, &json)?);
        }
        let segment = parse_id("segment", "segment", self.segment.as_deref())?;
        if let Some(id) = segment {
            db::segments::get(c, ws, viewer, id)
                .map_err(not_found_as("segment", || format!("{id} is not a segment of this workspace")))?;
        }
        Ok(UserSelection { search: self.q, trees, segment })
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
            let items: Vec<User> = page
                .rows
                .into_iter()
                .map(|(u, c)| {
                    user_view(u, c.map(|c| CompanyRef { id: c.id, external_id: c.external_id, name: c.name }))
                })
                .collect();
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
