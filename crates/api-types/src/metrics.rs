//! Segment metrics (Segments page) and dashboard metrics. Money is in major units with two
//! decimals; ratios are unrounded; a ratio whose divisor is 0 is `null`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::users::RfmSegmentRef;

/// A metric's stable key and its label for the workspace kind (orders or donations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MetricDef {
    /// `size`, `contacts`, `online`, `offline`, `avg_health_score`, `total_arr`, `aof`,
    /// `aov`, `acv`, `total_value`.
    pub key: String,
    /// E.g. `AOF` for orders, `ADF` for donations.
    pub label: String,
    pub description: String,
    /// Whether the value is money (major units).
    pub money: bool,
}

/// The metrics of docs/metrics.md over a set of active members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SegmentMetricValues {
    /// Active (not churned) members.
    pub size: i64,
    /// Active members reachable on at least one channel (consent and a valid address).
    pub contacts: i64,
    /// Active members seen within the activity window.
    pub online: i64,
    pub offline: i64,
    /// Mean health score of the members that have one.
    pub avg_health_score: Option<f64>,
    /// Companies' ARR counted once per company; for members without one, their revenue in
    /// the 365 days before `as_of`.
    pub total_arr: f64,
    /// Purchases (donations) per member.
    pub aof: Option<f64>,
    /// Revenue per purchase.
    pub aov: Option<f64>,
    /// Revenue per member.
    pub acv: Option<f64>,
    /// Revenue in the period, refunds netted.
    pub total_value: f64,
    /// Purchases in the period.
    pub purchases: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RfmSegmentMetrics {
    pub segment: RfmSegmentRef,
    pub metrics: SegmentMetricValues,
}

/// `GET /metrics/segments`: the eight RFM segments, the users without one, and the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SegmentMetricsReport {
    /// RFM membership and the activity window are as of this date.
    pub as_of: NaiveDate,
    /// The period of purchases and revenue (`null`: from the beginning).
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// The segment the metrics are restricted to, if any (a custom segment's id, or an RFM
    /// segment's, −1 … −8).
    pub segment: Option<i64>,
    pub kind: crate::settings::WorkspaceKind,
    /// Keys and labels of the metrics, in display order.
    pub definitions: Vec<MetricDef>,
    /// In the product's order: champion, loyalist, …, lost.
    pub rfm: Vec<RfmSegmentMetrics>,
    /// Members without an RFM segment (no purchase in range).
    pub unscored: SegmentMetricValues,
    /// Every member in scope.
    pub total: SegmentMetricValues,
}

/// Users per consent channel (consent counts only with a valid address / a phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentCounts {
    pub email: i64,
    pub sms: i64,
}

/// `GET /metrics/overview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Overview {
    pub users: i64,
    pub active_users: i64,
    pub churned_users: i64,
    /// Users reachable on at least one channel.
    pub consented_users: i64,
    pub consent: ConsentCounts,
    /// Users created in the last 30 days.
    pub new_users_30d: i64,
    /// Users created in the last 12 months.
    pub new_users_12m: i64,
    pub segment: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MonthRevenue {
    /// `YYYY-MM`.
    pub month: String,
    pub purchases: i64,
    pub revenue: f64,
}

/// `GET /metrics/purchases`: the orders that pass the filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PurchaseActivity {
    /// Orders with an amount > 0.
    pub purchases: i64,
    /// Users with at least one purchase.
    pub buyers: i64,
    /// Sum of all amounts, refunds netted.
    pub revenue: f64,
    pub refunds: i64,
    /// Sum of the refunds (negative).
    pub refunded: f64,
    /// Revenue per purchase.
    pub aov: Option<f64>,
    /// Items per purchase, over the purchases that have a quantity.
    pub items_per_purchase: Option<f64>,
    /// Gross − paid over the purchases that have a gross amount.
    pub discount: f64,
    /// Discount ÷ gross of those purchases.
    pub discount_rate: Option<f64>,
    /// Months with orders, ascending.
    pub revenue_by_month: Vec<MonthRevenue>,
    /// Labels for the workspace kind: `purchases` is "Orders" or "Donations".
    pub purchases_label: String,
    pub aov_label: String,
}

/// One cell of the r × fm grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RfmMatrixCell {
    pub r: u8,
    pub fm: u8,
    /// The RFM segment key of the cell.
    pub segment: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RfmSegmentCount {
    pub segment: RfmSegmentRef,
    pub count: i64,
}

/// `GET /metrics/rfm-matrix`: the 25 cells (r = 5..1 rows, fm = 1..5 columns) and the
/// eight segments' counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RfmMatrix {
    pub as_of: NaiveDate,
    pub cells: Vec<RfmMatrixCell>,
    pub segments: Vec<RfmSegmentCount>,
    pub scored: i64,
    pub unscored: i64,
}

/// One cell of the transition matrix; keys are RFM segment keys or `none`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransitionCell {
    pub from: String,
    pub to: String,
    pub count: u64,
}

/// `GET /metrics/rfm-transitions`: users in segment `from` as of the first date and `to`
/// as of the second; all 81 cells (eight segments and `none`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RfmTransitions {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub cells: Vec<TransitionCell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EvolutionPoint {
    /// `YYYY-MM`.
    pub month: String,
    /// The date the count is as of: the month's last day (or `to`).
    pub as_of: NaiveDate,
    pub count: i64,
    /// Users with any RFM segment that day.
    pub scored: i64,
}

/// `GET /metrics/rfm-evolution`: one segment's size at each month end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RfmEvolution {
    /// The segment key (or `none`).
    pub segment_key: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub points: Vec<EvolutionPoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScoringMatrixCell {
    /// Fit bucket 1–5 (row).
    pub fit: u8,
    /// Engagement bucket 1–5 (column).
    pub engagement: u8,
    /// Score ranges of the cell, inclusive, for a link to its users.
    pub fit_min: u8,
    pub fit_max: u8,
    pub engagement_min: u8,
    pub engagement_max: u8,
    pub count: i64,
}

/// `GET /metrics/scoring-matrix`: fit (rows 5..1) × engagement (columns 1..5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScoringMatrix {
    pub cells: Vec<ScoringMatrixCell>,
    pub scored: i64,
    pub unscored: i64,
}
