use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// RFM placement of a user as of a date (docs/rfm.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Rfm {
    pub recency_days: i64,
    pub frequency: i64,
    /// Revenue in range, major units.
    pub monetary: f64,
    pub r_score: u8,
    pub f_score: u8,
    pub m_score: u8,
    pub fm_score: u8,
    pub segment: RfmSegmentRef,
}

/// An RFM segment: stable key, display name and symbol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RfmSegmentRef {
    pub key: String,
    pub name: String,
    pub symbol: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Company {
    pub id: i64,
    pub external_id: String,
    pub name: Option<String>,
    pub industry: Option<String>,
    pub plan: Option<String>,
    /// Annual recurring revenue, major units.
    pub arr: Option<f64>,
    pub owner: Option<String>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub created_at: Option<NaiveDateTime>,
    pub properties: Map<String, Value>,
    pub users: Option<i64>,
}

/// Create or update a company; absent fields are left as they are on update.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"external_id": "c-17", "name": "Analytical Engines Ltd", "plan": "pro", "arr": 48000.0, "properties": {"employees": 120}}))]
pub struct CompanyInput {
    pub external_id: Option<String>,
    pub name: Option<String>,
    pub industry: Option<String>,
    pub plan: Option<String>,
    pub arr: Option<f64>,
    pub owner: Option<String>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub created_at: Option<NaiveDateTime>,
    pub properties: Option<Map<String, Value>>,
}

/// A user as listed and as the head of the 360 view.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub company: Option<CompanyRef>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub created_at: Option<NaiveDateTime>,
    /// Last product usage: latest event or login.
    #[serde(default, with = "crate::time::utc_opt")]
    pub last_seen_at: Option<NaiveDateTime>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub churned_at: Option<NaiveDateTime>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub acquisition_channel: Option<String>,
    pub client_type: Option<String>,
    pub payment_type: Option<String>,
    pub invoice_period: Option<String>,
    pub complaint_reason: Option<String>,
    pub email_consent: Option<bool>,
    pub sms_consent: Option<bool>,
    pub properties: Map<String, Value>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub first_purchase_at: Option<NaiveDateTime>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub last_purchase_at: Option<NaiveDateTime>,
    pub purchases: i64,
    /// All-time revenue (refunds netted), major units.
    pub revenue: f64,
    /// RFM segment as of the latest scoring (today).
    pub rfm_segment: Option<RfmSegmentRef>,
    pub health_score: Option<i32>,
    pub engagement_score: Option<i32>,
    pub fit_score: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanyRef {
    pub id: i64,
    pub external_id: String,
    pub name: Option<String>,
}

/// Create or update a user; absent fields are left as they are on update.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"external_id": "u-1001", "email": "ada@example.com", "name": "Ada Lovelace", "company_id": "c-17", "country": "GB", "email_consent": true, "properties": {"plan_tier": "gold"}}))]
pub struct UserInput {
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// External id of the company (created bare when unknown).
    pub company_id: Option<String>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub created_at: Option<NaiveDateTime>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub last_seen_at: Option<NaiveDateTime>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub churned_at: Option<NaiveDateTime>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub acquisition_channel: Option<String>,
    pub client_type: Option<String>,
    pub payment_type: Option<String>,
    pub invoice_period: Option<String>,
    pub complaint_reason: Option<String>,
    pub email_consent: Option<bool>,
    pub sms_consent: Option<bool>,
    pub properties: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Order {
    pub id: i64,
    pub order_id: String,
    #[serde(with = "crate::time::utc")]
    pub ordered_at: NaiveDateTime,
    pub amount: f64,
    pub gross_amount: Option<f64>,
    pub quantity: Option<i64>,
    pub channel: Option<String>,
    pub store: Option<String>,
    pub product: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Event {
    pub id: i64,
    pub name: String,
    #[serde(with = "crate::time::utc")]
    pub occurred_at: NaiveDateTime,
}

/// The 360 view of one user.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserDetail {
    pub user: User,
    pub company: Option<Company>,
    /// RFM as of today (null when the user has no purchase in range).
    pub rfm: Option<Rfm>,
    /// Custom segments the user is a member of.
    pub segments: Vec<SegmentMembership>,
    /// The user's latest entries into and exits from segments, custom and RFM, newest first (at
    /// most 100).
    pub segment_timeline: Vec<crate::segment_events::TimelineEntry>,
    /// Latest orders first (at most 100).
    pub orders: Vec<Order>,
    /// Latest events first (at most 100).
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SegmentMembership {
    pub id: i64,
    pub name: String,
    #[serde(with = "crate::time::utc")]
    pub entered_at: NaiveDateTime,
}
