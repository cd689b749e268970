//! Segment events: who entered or exited a segment and when (docs/segment-events.md), a
//! segment's size over time, and a user's timeline.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which way a user crossed a segment's boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SegmentEventType {
    Entered,
    Exited,
}

/// A user entering or exiting a segment (custom or RFM: RFM segments have the ids −1 Champion …
/// −8 Lost).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SegmentEvent {
    pub segment_id: i64,
    pub user_id: i64,
    /// The user's external id; null once the user is deleted.
    pub external_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: SegmentEventType,
    #[serde(with = "crate::time::utc")]
    pub at: NaiveDateTime,
    /// What changed the membership: `save`, `refresh`, `import:users|companies|orders|events`,
    /// `settings`, `schedule` or `user_deleted`.
    pub trigger: String,
}

/// A segment's size over time, one point a day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SegmentHistory {
    pub points: Vec<HistoryPoint>,
}

/// Members at the end of a day (UTC), and the day's entries and exits. The last point of a
/// history that reaches today is the segment's member count now.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct HistoryPoint {
    pub date: NaiveDate,
    pub size: i64,
    pub entered: i64,
    pub exited: i64,
}

/// An entry into or exit from a segment, on a user's timeline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TimelineEntry {
    /// A custom segment's id, or an RFM segment's (−1 Champion … −8 Lost).
    pub segment_id: i64,
    pub segment_name: String,
    #[serde(rename = "type")]
    pub kind: SegmentEventType,
    #[serde(with = "crate::time::utc")]
    pub at: NaiveDateTime,
    /// What changed the membership (see `SegmentEvent.trigger`).
    pub trigger: String,
}
