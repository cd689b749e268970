use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::settings::ScoringStatus;

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    /// `users`, `companies`, `orders` or `events`.
    pub kind: String,
    /// `all_or_nothing` or `skip_invalid`.
    pub mode: String,
    /// Data rows read (header not counted).
    pub rows: u64,
    /// Rows written; 0 when an all-or-nothing import was rejected.
    pub imported: u64,
    /// Rows not written.
    pub skipped: u64,
    /// Bare users (orders, events) or companies (users) created for unknown references.
    pub created_references: u64,
    /// Whether anything was written.
    pub committed: bool,
    /// Number of row errors (all of them; `errors` lists the first 1000).
    pub error_count: u64,
    pub errors: Vec<RowError>,
    /// The scoring run that follows a committed import (RFM, scores, segment membership), as
    /// it ended: `current`, or `failed` with its error (the rows stay imported; the run is
    /// retried). Absent when the import was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<ScoringStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RowError {
    /// 1-based data row number (the header row is not counted).
    pub row: u64,
    pub column: Option<String>,
    pub message: String,
}
