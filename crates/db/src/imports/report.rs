//! What an import answers: its mode and format, each bad row, the report, its errors.

use serde::{Deserialize, Serialize};

use crate::Error;

/// Row errors listed in a report; the count covers all of them.
pub const MAX_LISTED_ERRORS: usize = 1000;

pub use vocab::ImportMode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// One bad row: its 1-based number among the data rows (the header is not counted), the
/// column when one cell is at fault, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: u64,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: u64,
    /// Rows written (inserted or updated) — 0 when an all-or-nothing import was rejected.
    pub imported: u64,
    pub skipped: u64,
    /// Bare users (or companies, for a users import) created for unknown references.
    pub created_references: u64,
    pub committed: bool,
    pub error_count: u64,
    pub errors: Vec<RowError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Db(#[from] Error),
    /// The header does not fit the kind (missing required columns, duplicates).
    #[error("{0}")]
    Header(String),
    /// The body is not well-formed CSV/JSON at all.
    #[error("row {row}: {message}")]
    Syntax { row: u64, message: String },
    /// Reading the body failed (e.g. the body-size limit was hit).
    #[error("reading the body: {0}")]
    Io(std::io::Error),
    #[error("rejected")]
    Rejected(Box<ImportReport>),
    /// The reading thread's view of a writer that failed (the writer's error is reported).
    #[error("the import stopped")]
    WriterStopped,
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Db(Error::Query(e))
    }
}
