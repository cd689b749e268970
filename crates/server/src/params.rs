//! Query parameters and who is asking, as the route modules share them: page sizes and
//! totals, cursors of ids, dates, the viewer of segments, and which users a list or an export
//! selects ([`UserSelectionQuery`]).

use chrono::{Datelike, NaiveDate};
use db::DbConn;
use db::filters::Viewer;
use db::lists::{CHEAP_TOTAL, MAX_LIMIT, Total, UserSelection};
use domain::conditions::rfm_segment_tree;
use domain::segment_events::SegmentRef;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Auth;
use crate::{ApiError, ApiResult};

/// Page size when none is asked for.
const DEFAULT_LIMIT: i64 = 50;

/// Page size: from 1 to [`MAX_LIMIT`] (422 beyond).
pub fn page_limit(limit: Option<i64>) -> ApiResult<i64> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}"))),
    }
}

/// `total=true` counts exactly, `total=false` not at all; by default a first page counts
/// when at most [`CHEAP_TOTAL`] rows match.
pub fn total_mode(total: Option<bool>, first_page: bool) -> Total {
    match total {
        Some(true) => Total::Exact,
        Some(false) => Total::None,
        None if first_page => Total::UpTo(CHEAP_TOTAL),
        None => Total::None,
    }
}

/// A cursor that is the last id of the previous page (members, events, deliveries).
pub fn id_cursor(cursor: Option<&str>) -> ApiResult<Option<i64>> {
    match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        Some(text) => {
            text.parse().map(Some).map_err(|_| ApiError::invalid("cursor", "is not a cursor from a previous page"))
        }
        None => Ok(None),
    }
}

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A `YYYY-MM-DD` query parameter (years 1–9999).
pub fn parse_date(name: &str, value: Option<&str>) -> ApiResult<Option<NaiveDate>> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| (1..=9999).contains(&d.year()) && text.len() == 10)
        .map(Some)
        .ok_or_else(|| ApiError::invalid(name, format!("'{text}' is not a date (YYYY-MM-DD)")))
}

pub fn viewer(auth: &Auth) -> Viewer {
    Viewer { operator_id: auth.operator_id }
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
    /// Only members of this segment: a custom segment's id, or an RFM segment's (−1 Champion …
    /// −8 Lost).
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
    pub fn resolve(self, c: &mut DbConn, ws: i64, viewer: Viewer) -> db::Result<UserSelection> {
        let mut trees = Vec::new();
        if let Some(id) = parse_id("filter", "custom filter", self.filter.as_deref())? {
            let filter = db::filters::custom_filter(c, ws, id)
                .map_err(not_found_as("filter", || format!("{id} is not a custom filter of this workspace")))?;
            trees.push(db::filters::read_tree(&filter.conditions).map_err(|e| match e {
                db::Error::Conflict(why) => db::Error::Conflict(format!("custom filter {id}: {why}")),
                other => other,
            })?);
        }
        if let Some(text) = self.conditions.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let json = serde_json::from_str::<serde_json::Value>(text)
                .map_err(|e| db::Error::invalid("conditions", format!("is not JSON: {e}")))?;
            trees.push(db::filters::parse_tree(c, ws, viewer, &json)?);
        }
        let segment = match self.segment.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => None,
            Some(text) => match text.parse::<i64>().ok().and_then(SegmentRef::of_id) {
                Some(SegmentRef::Custom(id)) => {
                    db::segments::get(c, ws, viewer, id)
                        .map_err(not_found_as("segment", || format!("{id} is not a segment of this workspace")))?;
                    Some(id)
                }
                Some(SegmentRef::Rfm(rfm)) => {
                    trees.push(rfm_segment_tree(rfm));
                    None
                }
                None => return Err(db::Error::invalid("segment", format!("'{text}' is not a segment id"))),
            },
        };
        Ok(UserSelection { search: self.q, trees, segment })
    }
}
