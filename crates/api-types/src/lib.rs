//! Request and response types of the segmenta REST API, shared by the server and the SPA.
//! serde + utoipa only (no diesel), so the crate builds for `wasm32-unknown-unknown`.
//! Money is always a JSON number in major units with two decimals.

pub mod auth;
pub mod filters;
pub mod imports;
pub mod metrics;
pub mod problem;
pub mod segments;
pub mod settings;
pub mod time;
pub mod users;

pub use problem::Problem;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A page of a cursor-paginated list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Total rows matching, when cheap to know.
    pub total: Option<i64>,
}

/// `{"status": "ok"}` of the health endpoints.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
}
