//! Custom segments: definitions, membership counts, preview, reorder, the active segment.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::filters::ConditionGroup;
use crate::users::User;

pub use vocab::Visibility;

/// A custom segment, kept by its conditions, or one of the eight RFM segments, kept by the
/// scoring (read-only, ids −1 … −8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    #[default]
    Custom,
    Rfm,
}

/// A segment with the counts of its last refresh: a custom segment, or an RFM segment (its
/// id −1 … −8; its conditions `rfm.segment eq <key>`; `refreshed_at` the latest rescoring).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Segment {
    pub id: i64,
    #[serde(default)]
    pub kind: SegmentKind,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Visibility,
    /// Shown on the user 360 page of its members.
    pub show_on_user_page: bool,
    /// Place in the list (ascending).
    pub position: i64,
    /// The operator who created it (a private segment is visible to them alone).
    pub owner_id: Option<i64>,
    pub conditions: ConditionGroup,
    /// Active (not churned) members.
    pub size: i64,
    /// Active members seen within the workspace's activity window.
    pub online: i64,
    /// Active members not seen within it.
    pub offline: i64,
    /// When membership was last computed.
    #[serde(default, with = "crate::time::utc_opt")]
    pub refreshed_at: Option<NaiveDateTime>,
    /// How long the last refresh took, in milliseconds.
    pub refresh_ms: Option<i64>,
    /// Why the last refresh failed; null when it succeeded.
    pub refresh_error: Option<String>,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

/// Create (only `name` is required; no conditions means every user) or change (absent fields
/// stay; an empty `description` clears it) a segment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Lapsing big spenders", "description": "Spent over 500, not seen for 60 days", "visibility": "public", "conditions": {"match": "all", "conditions": [{"field": "behaviour.revenue_total", "op": "gt", "value": 500}, {"field": "user.last_seen_at", "op": "not_in_last_days", "value": 60}]}}))]
pub struct SegmentInput {
    /// Unique in the workspace, ignoring case.
    pub name: Option<String>,
    pub description: Option<String>,
    pub visibility: Option<Visibility>,
    pub show_on_user_page: Option<bool>,
    /// The tree; validated against the catalog (422 naming the bad condition's path;
    /// membership cycles through `segment` conditions are rejected).
    #[schema(value_type = Option<ConditionGroup>)]
    pub conditions: Option<Value>,
}

/// `PUT /segments/order`: segment ids in their new order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"ids": [12, 7, 9]}))]
pub struct SegmentOrder {
    pub ids: Vec<i64>,
}

/// `POST /segments/preview`: a draft tree.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"conditions": {"match": "any", "conditions": [{"field": "rfm.segment", "op": "in", "value": ["at_risk", "hibernating"]}]}}))]
pub struct PreviewRequest {
    #[schema(value_type = ConditionGroup)]
    #[serde(default)]
    pub conditions: Value,
}

/// What a draft tree would select now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SegmentPreview {
    /// Active (not churned) users matching.
    pub size: i64,
    pub online: i64,
    pub offline: i64,
    /// Matching users, churned ones included.
    pub total: i64,
    /// The first matching users (by id), at most 20.
    pub sample: Vec<User>,
}

/// `PUT /me/active-segment`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"segment_id": 12}))]
pub struct ActiveSegmentInput {
    pub segment_id: i64,
}
