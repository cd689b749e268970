//! Workspace settings: kind, activity window, RFM look-back window and scoring, and the
//! health/engagement/fit score configuration.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How RFM values become scores 1–5: `ranked` (by rank among the scored users,
/// docs/rfm.md) or `fixed` thresholds. For `fixed`, each list has four strictly increasing
/// bounds: `recency_days` are upper bounds (inclusive) for R = 5, 4, 3, 2; `frequency` and
/// `monetary` (major units) are lower bounds (inclusive) for F/M = 2, 3, 4, 5.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RfmScoring {
    pub method: ScoringMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recency_days: Option<[i64; 4]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<[i64; 4]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monetary: Option<[f64; 4]>,
}

/// `GET /settings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    pub kind: WorkspaceKind,
    /// A user is online when seen within this many days.
    pub activity_window_days: u32,
    /// RFM counts only orders of the last this many days; `null`: all history.
    pub rfm_window_days: Option<u32>,
    pub rfm_scoring: RfmScoring,
    #[serde(default, with = "crate::time::utc_opt")]
    pub updated_at: Option<NaiveDateTime>,
    /// The state of the scoring run that keeps every user's RFM, scores and segments current.
    pub scoring: ScoringStatus,
}

/// Whether the users' stored scores (RFM, health, engagement, fit) and segment membership are
/// current. Every import, settings change and new day starts a scoring run; one that fails is
/// recorded here and retried (after 1 minute, then doubling up to an hour), and the scores of
/// the last successful run stay in place meanwhile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScoringStatus {
    pub state: ScoringState,
    /// The date the stored scores are as of (`null` when data changed since the last run).
    pub scores_as_of: Option<NaiveDate>,
    /// When the last successful run ended (`null`: never).
    #[serde(default, with = "crate::time::utc_opt")]
    pub scored_at: Option<NaiveDateTime>,
    /// Why the latest run failed (only in state `failed`).
    pub error: Option<String>,
    #[serde(default, with = "crate::time::utc_opt")]
    pub failed_at: Option<NaiveDateTime>,
    /// Failed runs in a row since the last success.
    pub failures: u32,
    /// When a failed run is tried again.
    #[serde(default, with = "crate::time::utc_opt")]
    pub next_retry_at: Option<NaiveDateTime>,
}

pub use vocab::ScoringState;

/// `PUT /settings`: absent fields stay as they are; `rfm_window_days: null` removes the
/// window. Every change rescores the workspace.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "orders", "activity_window_days": 30, "rfm_window_days": 730, "rfm_scoring": {"method": "ranked"}}))]
pub struct SettingsInput {
    #[schema(value_type = Option<WorkspaceKind>)]
    pub kind: Option<String>,
    pub activity_window_days: Option<u32>,
    #[serde(default, deserialize_with = "crate::present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<u32>)]
    pub rfm_window_days: Option<Option<u32>>,
    pub rfm_scoring: Option<RfmScoring>,
}

/// One factor of a score: a metric mapped linearly from `bad` (0) to `good` (100), weighted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// One of the keys of `ScoreSettings.metrics`.
    pub metric: String,
    /// The look-back window of `events_in_last_days`, `revenue_in_last_days`,
    /// `purchases_in_last_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The event name (`events_in_last_days`, optional) or property name
    /// (`user_property`, `company_property`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub good: f64,
    pub bad: f64,
    pub weight: f64,
    /// Leave the factor out (rather than score it 0) for users missing its input.
    #[serde(default)]
    pub skip_missing: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreConfig {
    pub factors: Vec<Factor>,
}

/// A metric a factor can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FactorMetric {
    pub key: String,
    pub label: String,
    /// Whether the factor needs `days`.
    pub takes_days: bool,
    /// Whether the factor takes `name` (required for properties).
    pub takes_name: bool,
}

/// `GET/PUT /settings/scores`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"health": {"factors": [{"metric": "days_since_last_seen", "good": 3, "bad": 60, "weight": 2}, {"metric": "r_score", "good": 5, "bad": 1, "weight": 1}]}, "engagement": {"factors": [{"metric": "events_in_last_days", "days": 30, "good": 40, "bad": 0, "weight": 1}]}, "fit": {"factors": [{"metric": "company_arr", "good": 50000, "bad": 0, "weight": 1}]}}))]
pub struct ScoreSettings {
    pub health: ScoreConfig,
    pub engagement: ScoreConfig,
    pub fit: ScoreConfig,
    /// The metrics factors can use (ignored on `PUT`).
    #[serde(default)]
    pub metrics: Vec<FactorMetric>,
}

pub use vocab::WorkspaceKind;

/// How RFM values become scores 1–5: by rank among the scored users, or by fixed thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScoringMethod {
    Ranked,
    Fixed,
}
