//! Segment metrics of docs/metrics.md, computed from totals the database sums over a
//! segment's active members. Ratios whose divisor is 0 are `None` (shown as "—"), never 0:
//! an empty segment has no average order value, rather than one of zero.

use serde::{Deserialize, Serialize};

use crate::money::{Minor, to_major};

pub use vocab::WorkspaceKind;

/// "orders" or "donations", for labels such as "Number of orders".
pub fn orders_label(kind: WorkspaceKind) -> &'static str {
    kind.key()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKey {
    Size,
    Contacts,
    Online,
    Offline,
    AvgHealthScore,
    TotalArr,
    Aof,
    Aov,
    Acv,
    TotalValue,
}

impl MetricKey {
    pub const ALL: [MetricKey; 10] = [
        MetricKey::Size,
        MetricKey::Contacts,
        MetricKey::Online,
        MetricKey::Offline,
        MetricKey::AvgHealthScore,
        MetricKey::TotalArr,
        MetricKey::Aof,
        MetricKey::Aov,
        MetricKey::Acv,
        MetricKey::TotalValue,
    ];

    pub fn key(self) -> &'static str {
        match self {
            MetricKey::Size => "size",
            MetricKey::Contacts => "contacts",
            MetricKey::Online => "online",
            MetricKey::Offline => "offline",
            MetricKey::AvgHealthScore => "avg_health_score",
            MetricKey::TotalArr => "total_arr",
            MetricKey::Aof => "aof",
            MetricKey::Aov => "aov",
            MetricKey::Acv => "acv",
            MetricKey::TotalValue => "total_value",
        }
    }

    pub fn from_key(key: &str) -> Option<MetricKey> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The short label of the Segments page table.
    pub fn label(self, kind: WorkspaceKind) -> &'static str {
        let donations = kind == WorkspaceKind::Donations;
        match self {
            MetricKey::Size => "Size",
            MetricKey::Contacts => "Contacts",
            MetricKey::Online => "Active users",
            MetricKey::Offline => "Offline users",
            MetricKey::AvgHealthScore => "Average health score",
            MetricKey::TotalArr => "Total ARR",
            MetricKey::Aof if donations => "ADF",
            MetricKey::Aof => "AOF",
            MetricKey::Aov if donations => "ADV",
            MetricKey::Aov => "AOV",
            MetricKey::Acv => "ACV",
            MetricKey::TotalValue => "Total value",
        }
    }

    /// A one-line explanation (tooltips, API docs).
    pub fn description(self, kind: WorkspaceKind) -> &'static str {
        let donations = kind == WorkspaceKind::Donations;
        match self {
            MetricKey::Size => "Active (not churned) members",
            MetricKey::Contacts => "Active members reachable on at least one channel",
            MetricKey::Online => "Active members seen within the activity window",
            MetricKey::Offline => "Active members not seen within the activity window",
            MetricKey::AvgHealthScore => "Mean health score of the scored members",
            MetricKey::TotalArr => "Annual recurring revenue of the members",
            MetricKey::Aof if donations => "Average donation frequency: donations ÷ size",
            MetricKey::Aof => "Average order frequency: orders ÷ size",
            MetricKey::Aov if donations => "Average donation value: revenue ÷ donations",
            MetricKey::Aov => "Average order value: revenue ÷ orders",
            MetricKey::Acv => "Average customer value: total value ÷ size",
            MetricKey::TotalValue => "Revenue, refunds netted",
        }
    }

    /// Whether the metric is money (minor units in [`SegmentMetrics`], major in the API).
    pub fn is_money(self) -> bool {
        matches!(self, MetricKey::TotalArr | MetricKey::Aov | MetricKey::Acv | MetricKey::TotalValue)
    }
}

/// Sums over a segment's active members and the period, as the database computes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SegmentTotals {
    pub size: i64,
    pub contacts: i64,
    pub online: i64,
    pub offline: i64,
    /// Sum of the health scores of members that have one.
    pub health_sum: i64,
    /// Members that have a health score (the divisor of the average).
    pub health_count: i64,
    pub purchases: i64,
    pub revenue: Minor,
    pub arr: Minor,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SegmentMetrics {
    pub size: i64,
    pub contacts: i64,
    pub online: i64,
    pub offline: i64,
    /// `health_sum / health_count`, unrounded; `None` when nobody is scored.
    pub avg_health_score: Option<f64>,
    pub total_arr: Minor,
    /// Purchases per member, unrounded; `None` for an empty segment.
    pub aof: Option<f64>,
    /// Revenue per purchase, rounded half away from zero to minor units.
    pub aov: Option<Minor>,
    /// Revenue per member, rounded half away from zero to minor units.
    pub acv: Option<Minor>,
    pub total_value: Minor,
}

pub fn segment_metrics(t: &SegmentTotals) -> SegmentMetrics {
    SegmentMetrics {
        size: t.size,
        contacts: t.contacts,
        online: t.online,
        offline: t.offline,
        avg_health_score: ratio(t.health_sum, t.health_count),
        total_arr: t.arr,
        aof: ratio(t.purchases, t.size),
        aov: div_round(t.revenue, t.purchases),
        acv: div_round(t.revenue, t.size),
        total_value: t.revenue,
    }
}

impl SegmentMetrics {
    /// The metric as a JSON-ready number: counts as they are, money in major units.
    pub fn value(&self, key: MetricKey) -> Option<f64> {
        match key {
            MetricKey::Size => Some(self.size as f64),
            MetricKey::Contacts => Some(self.contacts as f64),
            MetricKey::Online => Some(self.online as f64),
            MetricKey::Offline => Some(self.offline as f64),
            MetricKey::AvgHealthScore => self.avg_health_score,
            MetricKey::TotalArr => Some(to_major(self.total_arr)),
            MetricKey::Aof => self.aof,
            MetricKey::Aov => self.aov.map(to_major),
            MetricKey::Acv => self.acv.map(to_major),
            MetricKey::TotalValue => Some(to_major(self.total_value)),
        }
    }
}

fn ratio(numerator: i64, divisor: i64) -> Option<f64> {
    (divisor != 0).then(|| numerator as f64 / divisor as f64)
}

/// `numerator / divisor` rounded half away from zero, exact (no floating point).
fn div_round(numerator: i64, divisor: i64) -> Option<i64> {
    if divisor == 0 {
        return None;
    }
    let (n, d) = (i128::from(numerator), i128::from(divisor));
    let quotient = n / d;
    let remainder = n % d;
    let rounded =
        if 2 * remainder.abs() >= d.abs() { quotient + if (n < 0) == (d < 0) { 1 } else { -1 } } else { quotient };
    Some(rounded as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_workspace_kind() {
        use WorkspaceKind::*;
        assert_eq!(MetricKey::Aof.label(Orders), "AOF");
        assert_eq!(MetricKey::Aof.label(Donations), "ADF");
        assert_eq!(MetricKey::Aov.label(Orders), "AOV");
        assert_eq!(MetricKey::Aov.label(Donations), "ADV");
        assert_eq!(MetricKey::Acv.label(Donations), "ACV");
        assert_eq!(MetricKey::Online.label(Orders), "Active users");
        assert_eq!(orders_label(Orders), "orders");
        assert_eq!(orders_label(Donations), "donations");
        assert_eq!(WorkspaceKind::default(), Orders);
        assert_eq!(serde_json::to_value(Donations).unwrap(), "donations");
        for key in MetricKey::ALL {
            assert_eq!(MetricKey::from_key(key.key()), Some(key));
            assert_eq!(serde_json::to_value(key).unwrap(), key.key());
        }
    }

    #[test]
    fn metrics_from_totals() {
        let t = SegmentTotals {
            size: 4,
            contacts: 3,
            online: 1,
            offline: 3,
            health_sum: 210,
            health_count: 3,
            purchases: 6,
            revenue: 10_000,
            arr: 12_000_000,
        };
        let m = segment_metrics(&t);
        assert_eq!(m.aof, Some(1.5));
        // 100.00 / 6 = 16.666… → 16.67
        assert_eq!(m.aov, Some(1667));
        assert_eq!(m.acv, Some(2500));
        assert_eq!(m.avg_health_score, Some(70.0));
        assert_eq!(m.total_value, 10_000);
        assert_eq!(m.total_arr, 12_000_000);
        assert_eq!(m.value(MetricKey::Aov), Some(16.67));
        assert_eq!(m.value(MetricKey::TotalArr), Some(120_000.0));
        assert_eq!(m.value(MetricKey::Size), Some(4.0));
    }

    #[test]
    fn empty_divisors_give_none() {
        let m = segment_metrics(&SegmentTotals::default());
        assert_eq!((m.aof, m.aov, m.acv, m.avg_health_score), (None, None, None, None));
        assert_eq!(m.value(MetricKey::Aov), None);
        assert_eq!(m.value(MetricKey::TotalValue), Some(0.0));
        // Members but no purchases: frequency 0, no order value.
        let m = segment_metrics(&SegmentTotals { size: 2, revenue: -500, ..Default::default() });
        assert_eq!(m.aof, Some(0.0));
        assert_eq!(m.aov, None);
        assert_eq!(m.acv, Some(-250));
    }

    #[test]
    fn division_rounds_half_away_from_zero() {
        assert_eq!(div_round(5, 2), Some(3));
        assert_eq!(div_round(-5, 2), Some(-3));
        assert_eq!(div_round(7, 3), Some(2));
        assert_eq!(div_round(-7, 3), Some(-2));
        assert_eq!(div_round(8, 3), Some(3));
        assert_eq!(div_round(5, -2), Some(-3));
        assert_eq!(div_round(0, 5), Some(0));
        assert_eq!(div_round(i64::MAX, 1), Some(i64::MAX));
        assert_eq!(div_round(1, 0), None);
    }
}
