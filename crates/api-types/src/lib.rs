//! Request and response types of the segmenta REST API, shared by the server and the SPA.
//! serde + utoipa only (no diesel), so the crate builds for `wasm32-unknown-unknown`.
//! Money is always a JSON number in major units with two decimals.

pub mod auth;
pub mod filters;
pub mod imports;
pub mod metrics;
pub mod problem;
pub mod segment_events;
pub mod segments;
pub mod settings;
pub mod time;
pub mod users;
pub mod webhooks;

pub use problem::Problem;

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// A page of a list: every list of the API has this shape. Lists that are always whole (the
/// segments, operators, API keys, custom filters of a workspace) come as one page.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Whether a next page exists (`next_cursor` is set).
    pub has_more: bool,
    /// Total rows matching, when cheap to know.
    pub total: Option<i64>,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, next_cursor: Option<String>, total: Option<i64>) -> Self {
        Page { items, has_more: next_cursor.is_some(), next_cursor, total }
    }

    /// A whole list as its only page.
    pub fn whole(items: Vec<T>) -> Self {
        let total = i64::try_from(items.len()).ok();
        Page { items, next_cursor: None, has_more: false, total }
    }
}

/// `{"status": "ok"}` of the health endpoints.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
}

/// For a field where `null` says something (clear it) and absence says nothing: present, even
/// as `null`, becomes `Some`.
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
