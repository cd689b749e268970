//! Webhooks: endpoints that receive segment events (docs/webhooks.md), and their deliveries.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an endpoint can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum WebhookEventType {
    #[serde(rename = "segment.entered")]
    SegmentEntered,
    #[serde(rename = "segment.exited")]
    SegmentExited,
}

/// An endpoint. Its secret is shown only when created or rotated.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<WebhookEventType>,
    /// The segments it receives events of (custom ids, or −1 … −8 for RFM segments); null:
    /// every segment.
    pub segment_ids: Option<Vec<i64>>,
    /// Paused by an operator: messages wait until it is resumed.
    pub paused: bool,
    /// When it was disabled after failing for three days (resuming lifts it); null when active.
    #[serde(default, with = "crate::time::utc_opt")]
    pub disabled_at: Option<NaiveDateTime>,
    /// Since when every delivery to it has failed; null when the last one succeeded.
    #[serde(default, with = "crate::time::utc_opt")]
    pub failing_since: Option<NaiveDateTime>,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

/// A new endpoint, with its signing secret (`whsec_…`): shown this once, keep it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    pub secret: String,
}

/// Create an endpoint (`url` and `events` are required) or change one (absent fields stay;
/// `segment_ids: null` means every segment).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"url": "https://crm.example.com/hooks/segmenta", "events": ["segment.entered", "segment.exited"], "segment_ids": [3, -6], "description": "CRM sync"}))]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    /// An `http` or `https` URL on a public address.
    pub url: Option<String>,
    pub events: Option<Vec<WebhookEventType>>,
    #[serde(default, deserialize_with = "crate::present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<i64>>)]
    pub segment_ids: Option<Option<Vec<i64>>>,
    #[serde(default, deserialize_with = "crate::present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// `true` pauses, `false` resumes (also after it was disabled).
    pub paused: Option<bool>,
}

/// One message to an endpoint, and how its delivery went.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookDelivery {
    pub id: i64,
    /// The `webhook-id` header: the same on every attempt.
    pub msg_id: String,
    /// `segment.entered`, `segment.exited` or `webhook.test`.
    pub event_type: String,
    pub segment_id: Option<i64>,
    /// Users in the message.
    pub users: i64,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The HTTP status of the last attempt, if it got one.
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    /// When it is tried next (while pending).
    #[serde(default, with = "crate::time::utc_opt")]
    pub next_attempt_at: Option<NaiveDateTime>,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(default, with = "crate::time::utc_opt")]
    pub delivered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

/// A test message was queued.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookTest {
    pub delivery_id: i64,
}
