//! Imports: the rows each kind takes (as a JSON array; CSV has the same columns) and the
//! report of an import.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::settings::ScoringStatus;

pub use vocab::{ImportKind, ImportMode};

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub mode: ImportMode,
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
    /// 1-based data row number (the header row is not counted; in a JSON array, the
    /// element's position from 1).
    pub row: u64,
    /// The column (CSV) or key (JSON) at fault, when one is.
    pub column: Option<String>,
    pub message: String,
}

// The rows of each kind. The server reads any JSON value of a key as the text of a CSV cell
// (a number, a boolean, or a string of one), so these types say what is meant; dates are
// `YYYY-MM-DD` or RFC 3339 (UTC without an offset); money is a decimal number of major units.
// A key that is absent leaves the stored value as it is on an update; `null` clears it. Keys
// not listed become custom properties.

/// One user (upserted by `external_id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"external_id": "u-1001", "email": "ada@example.com", "name": "Ada Lovelace",
    "company_id": "c-17", "created_at": "2025-03-04", "country": "GB", "email_consent": true, "plan_tier": "gold"}))]
pub struct UserRow {
    pub external_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The `external_id` of the user's company (a bare company is created when unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub churned_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquisition_channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_consent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_consent: Option<bool>,
    /// Custom properties.
    #[serde(flatten)]
    pub properties: Map<String, Value>,
}

/// One company (upserted by `external_id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"external_id": "c-17", "name": "Analytical Engines Ltd", "industry": "Manufacturing",
    "plan": "pro", "arr": 48000.0, "owner": "Grace", "created_at": "2024-01-15", "employees": 120}))]
pub struct CompanyRow {
    pub external_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// Annual recurring revenue, major units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arr: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Custom properties.
    #[serde(flatten)]
    pub properties: Map<String, Value>,
}

/// One order line (upserted by `order_id`): a purchase, or a refund with a negative amount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"order_id": "o-5001", "customer_id": "u-1001", "ordered_at": "2025-11-02T14:05:00Z",
    "amount": 29.33, "gross_amount": 34.5, "quantity": 2, "channel": "web", "product": "Box set"}))]
pub struct OrderRow {
    pub order_id: String,
    /// The `external_id` of the user (a bare user is created when unknown).
    pub customer_id: String,
    pub ordered_at: String,
    /// Paid, major units; negative for a refund.
    pub amount: f64,
    /// Before discount, major units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_amount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
}

/// One product-usage event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"customer_id": "u-1001", "name": "login", "occurred_at": "2025-11-02T14:00:00Z"}))]
pub struct EventRow {
    /// The `external_id` of the user (a bare user is created when unknown).
    pub customer_id: String,
    pub name: String,
    pub occurred_at: String,
}

/// A CSV file with a header row naming the columns of its kind.
#[derive(Debug, Clone, ToSchema)]
#[schema(format = Binary)]
pub struct CsvFile(pub String);
