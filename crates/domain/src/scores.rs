//! Health, engagement and fit scores (docs/metrics.md): a weighted mean of factors, each a
//! metric mapped linearly from `bad` (0) to `good` (100).
//!
//! Rules of [`evaluate`]:
//! - a factor's fraction is `(value − bad) / (good − bad)` clamped to `[0, 1]`, so it is 1 at
//!   or beyond `good` and 0 at or beyond `bad`, whichever of the two is larger;
//! - a factor whose input is missing (or not finite) contributes 0, unless it has
//!   `skip_missing`, in which case it is left out and the other weights are renormalised;
//! - the score is `round(100 × Σ wᵢ·fᵢ / Σ wᵢ)` over the factors taken into account, rounded
//!   half away from zero once at the end (not per factor);
//! - when no factor is taken into account (all skipped, or every remaining weight is 0) the
//!   score is 0 ([`try_evaluate`] returns `None` instead).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The largest window a metric may look back, in days (ten years).
pub const MAX_DAYS: u32 = 3650;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreConfig {
    pub factors: Vec<Factor>,
}

/// One factor, serialised flat: `{"metric": "events_in_last_days", "days": 30, "good": 50,
/// "bad": 0, "weight": 20}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    #[serde(flatten)]
    pub metric: Metric,
    pub good: f64,
    pub bad: f64,
    pub weight: f64,
    #[serde(default)]
    pub skip_missing: bool,
}

/// What a factor measures. Inputs are supplied by the caller of [`evaluate`]; money is in
/// major units and day counts are whole days.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "metric", rename_all = "snake_case")]
pub enum Metric {
    /// Days since `last_seen_at` (missing when never seen).
    DaysSinceLastSeen,
    /// Days since the last purchase (missing without purchases).
    DaysSinceLastPurchase,
    /// Events in the last `days` days, of one `name` or of any name when `None`.
    EventsInLastDays {
        days: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    RScore,
    FScore,
    MScore,
    /// Revenue (refunds netted) in the last `days` days, major units.
    RevenueInLastDays {
        days: u32,
    },
    PurchasesInLastDays {
        days: u32,
    },
    /// A numeric custom property of the user.
    UserProperty {
        name: String,
    },
    /// A numeric custom property of the user's company.
    CompanyProperty {
        name: String,
    },
    /// The company's ARR in major units.
    CompanyArr,
}

impl Metric {
    /// The look-back window of the metric, if it has one.
    pub fn days(&self) -> Option<u32> {
        match self {
            Metric::EventsInLastDays { days, .. }
            | Metric::RevenueInLastDays { days }
            | Metric::PurchasesInLastDays { days } => Some(*days),
            _ => None,
        }
    }
}

impl Factor {
    fn new(metric: Metric, good: f64, bad: f64, weight: f64) -> Factor {
        Factor { metric, good, bad, weight, skip_missing: false }
    }

    /// The factor's fraction in `[0, 1]` for a value (1 at or beyond `good`).
    pub fn fraction(&self, value: f64) -> f64 {
        let t = (value - self.bad) / (self.good - self.bad);
        if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) }
    }
}

impl ScoreConfig {
    /// Health: recency of last seen and purchase, recent usage, R and F scores, recent revenue.
    pub fn default_health() -> ScoreConfig {
        ScoreConfig {
            factors: vec![
                Factor::new(Metric::DaysSinceLastSeen, 1.0, 60.0, 25.0),
                Factor::new(Metric::EventsInLastDays { days: 30, name: None }, 50.0, 0.0, 20.0),
                Factor::new(Metric::RScore, 5.0, 1.0, 20.0),
                Factor::new(Metric::FScore, 5.0, 1.0, 15.0),
                Factor::new(Metric::RevenueInLastDays { days: 365 }, 1000.0, 0.0, 20.0),
            ],
        }
    }

    /// Engagement: product usage this week and month, and how recently the user was seen.
    pub fn default_engagement() -> ScoreConfig {
        ScoreConfig {
            factors: vec![
                Factor::new(Metric::EventsInLastDays { days: 7, name: None }, 10.0, 0.0, 40.0),
                Factor::new(Metric::EventsInLastDays { days: 30, name: None }, 40.0, 0.0, 35.0),
                Factor::new(Metric::DaysSinceLastSeen, 0.0, 30.0, 25.0),
            ],
        }
    }

    /// Fit: company ARR, and company size where the workspace imports an `employees` property.
    pub fn default_fit() -> ScoreConfig {
        ScoreConfig {
            factors: vec![
                Factor::new(Metric::CompanyArr, 50_000.0, 0.0, 70.0),
                Factor {
                    skip_missing: true,
                    ..Factor::new(Metric::CompanyProperty { name: "employees".into() }, 200.0, 1.0, 30.0)
                },
            ],
        }
    }
}

/// The three score configurations of a workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreSettings {
    pub health: ScoreConfig,
    pub engagement: ScoreConfig,
    pub fit: ScoreConfig,
}

impl Default for ScoreSettings {
    fn default() -> ScoreSettings {
        ScoreSettings {
            health: ScoreConfig::default_health(),
            engagement: ScoreConfig::default_engagement(),
            fit: ScoreConfig::default_fit(),
        }
    }
}

impl ScoreSettings {
    pub fn config(&self, kind: ScoreKind) -> &ScoreConfig {
        match kind {
            ScoreKind::Health => &self.health,
            ScoreKind::Engagement => &self.engagement,
            ScoreKind::Fit => &self.fit,
        }
    }

    pub fn validate(&self) -> Result<(), ScoreConfigError> {
        for (score, config) in [("health", &self.health), ("engagement", &self.engagement), ("fit", &self.fit)] {
            validate(config).map_err(|e| e.within(score))?;
        }
        Ok(())
    }
}

/// The score (0–100) of one user, see the module doc for the rules. `input` returns the
/// metric's value for the user, `None` when missing.
pub fn evaluate(config: &ScoreConfig, input: impl Fn(&Metric) -> Option<f64>) -> u8 {
    try_evaluate(config, input).unwrap_or(0)
}

/// Like [`evaluate`], but `None` when no factor could be taken into account.
pub fn try_evaluate(config: &ScoreConfig, input: impl Fn(&Metric) -> Option<f64>) -> Option<u8> {
    let mut weighted = 0.0;
    let mut total = 0.0;
    for factor in &config.factors {
        if !(factor.weight.is_finite() && factor.weight > 0.0) {
            continue;
        }
        let fraction = match input(&factor.metric).filter(|v| v.is_finite()) {
            Some(value) => factor.fraction(value),
            None if factor.skip_missing => continue,
            None => 0.0,
        };
        weighted += factor.weight * fraction;
        total += factor.weight;
    }
    if total > 0.0 { Some((100.0 * weighted / total).round().clamp(0.0, 100.0) as u8) } else { None }
}

/// What is wrong with a score configuration: `factors[2].weight: must be …`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{path}: {message}")]
pub struct ScoreConfigError {
    /// `factors[i].field`, `factors` for the configuration as a whole, prefixed by the score
    /// (`health.factors[0].good`) when validated through [`ScoreSettings::validate`].
    pub path: String,
    pub message: String,
}

impl ScoreConfigError {
    fn new(path: impl Into<String>, message: impl Into<String>) -> ScoreConfigError {
        ScoreConfigError { path: path.into(), message: message.into() }
    }

    fn within(self, prefix: &str) -> ScoreConfigError {
        ScoreConfigError { path: format!("{prefix}.{}", self.path), ..self }
    }
}

pub fn validate(config: &ScoreConfig) -> Result<(), ScoreConfigError> {
    for (i, factor) in config.factors.iter().enumerate() {
        let at = |field: &str| format!("factors[{i}].{field}");
        if !(factor.weight.is_finite() && factor.weight >= 0.0) {
            return Err(ScoreConfigError::new(at("weight"), "must be a finite number ≥ 0"));
        }
        for (field, value) in [("good", factor.good), ("bad", factor.bad)] {
            if !value.is_finite() {
                return Err(ScoreConfigError::new(at(field), "must be a finite number"));
            }
        }
        if factor.good == factor.bad {
            return Err(ScoreConfigError::new(at("good"), "must differ from bad"));
        }
        if let Some(days) = factor.metric.days()
            && !(1..=MAX_DAYS).contains(&days)
        {
            return Err(ScoreConfigError::new(at("days"), format!("must be between 1 and {MAX_DAYS}")));
        }
        let name = match &factor.metric {
            Metric::UserProperty { name } | Metric::CompanyProperty { name } => Some(name),
            Metric::EventsInLastDays { name, .. } => name.as_ref(),
            _ => None,
        };
        if name.is_some_and(|name| name.trim().is_empty()) {
            return Err(ScoreConfigError::new(at("name"), "must not be empty"));
        }
    }
    if !config.factors.iter().any(|f| f.weight > 0.0) {
        return Err(ScoreConfigError::new("factors", "at least one factor needs a weight > 0"));
    }
    Ok(())
}

/// The three scores every user has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreKind {
    Health,
    Engagement,
    Fit,
}

impl ScoreKind {
    pub const ALL: [ScoreKind; 3] = [ScoreKind::Health, ScoreKind::Engagement, ScoreKind::Fit];

    pub fn key(self) -> &'static str {
        match self {
            ScoreKind::Health => "health",
            ScoreKind::Engagement => "engagement",
            ScoreKind::Fit => "fit",
        }
    }

    pub fn from_key(key: &str) -> Option<ScoreKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ScoreKind::Health => "Health score",
            ScoreKind::Engagement => "Engagement score",
            ScoreKind::Fit => "Fit score",
        }
    }
}

/// Engagement label from the engagement score: `high` ≥ 67, `medium` ≥ 34, else `low`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngagementLabel {
    High,
    Medium,
    Low,
}

impl EngagementLabel {
    pub const ALL: [EngagementLabel; 3] = [EngagementLabel::High, EngagementLabel::Medium, EngagementLabel::Low];
    pub const HIGH_FROM: u8 = 67;
    pub const MEDIUM_FROM: u8 = 34;

    pub fn from_score(score: u8) -> EngagementLabel {
        if score >= Self::HIGH_FROM {
            EngagementLabel::High
        } else if score >= Self::MEDIUM_FROM {
            EngagementLabel::Medium
        } else {
            EngagementLabel::Low
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            EngagementLabel::High => "high",
            EngagementLabel::Medium => "medium",
            EngagementLabel::Low => "low",
        }
    }

    pub fn from_key(key: &str) -> Option<EngagementLabel> {
        Self::ALL.into_iter().find(|l| l.key() == key)
    }
}

/// The scoring-matrix bucket 1–5 of a score: 0–19 → 1, 20–39 → 2, 40–59 → 3, 60–79 → 4,
/// 80–100 → 5.
pub fn bucket(score: u8) -> u8 {
    (score / 20 + 1).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn config(factors: Vec<Factor>) -> ScoreConfig {
        ScoreConfig { factors }
    }

    fn single(good: f64, bad: f64) -> ScoreConfig {
        config(vec![Factor::new(Metric::RScore, good, bad, 1.0)])
    }

    #[test]
    fn a_factor_is_linear_between_bad_and_good() {
        let up = single(5.0, 1.0);
        let score = |c: &ScoreConfig, v: f64| evaluate(c, |_| Some(v));
        assert_eq!(score(&up, 1.0), 0);
        assert_eq!(score(&up, 0.0), 0);
        assert_eq!(score(&up, 2.0), 25);
        assert_eq!(score(&up, 3.0), 50);
        assert_eq!(score(&up, 5.0), 100);
        assert_eq!(score(&up, 9.0), 100);
        // good < bad: fewer days since last seen is better.
        let down = single(0.0, 30.0);
        assert_eq!(score(&down, 0.0), 100);
        assert_eq!(score(&down, -3.0), 100);
        assert_eq!(score(&down, 10.0), 67);
        assert_eq!(score(&down, 30.0), 0);
        assert_eq!(score(&down, 300.0), 0);
    }

    #[test]
    fn rounds_once_half_away_from_zero() {
        // 0.5% → 1 (half rounds up), 0.49% → 0.
        let c = single(200.0, 0.0);
        assert_eq!(evaluate(&c, |_| Some(1.0)), 1);
        assert_eq!(evaluate(&c, |_| Some(0.98)), 0);
        assert_eq!(evaluate(&c, |_| Some(199.0)), 100);
        assert_eq!(evaluate(&c, |_| Some(198.9)), 99);
    }

    #[test]
    fn weights_are_normalised() {
        let c = config(vec![
            Factor::new(Metric::RScore, 5.0, 1.0, 3.0),
            Factor::new(Metric::FScore, 5.0, 1.0, 1.0),
            Factor::new(Metric::MScore, 5.0, 1.0, 0.0),
        ]);
        let input = |m: &Metric| match m {
            Metric::RScore => Some(5.0),
            Metric::FScore => Some(1.0),
            _ => Some(1.0),
        };
        assert_eq!(evaluate(&c, input), 75);
        let doubled = config(c.factors.iter().map(|f| Factor { weight: f.weight * 2.0, ..f.clone() }).collect());
        assert_eq!(evaluate(&doubled, input), 75);
    }

    #[test]
    fn missing_inputs_score_zero_unless_skipped() {
        let mut c = config(vec![
            Factor::new(Metric::CompanyArr, 100.0, 0.0, 1.0),
            Factor::new(Metric::UserProperty { name: "seats".into() }, 10.0, 0.0, 1.0),
        ]);
        let input = |m: &Metric| match m {
            Metric::CompanyArr => Some(100.0),
            _ => None,
        };
        assert_eq!(evaluate(&c, input), 50);
        c.factors[1].skip_missing = true;
        assert_eq!(evaluate(&c, input), 100);
        assert_eq!(evaluate(&c, |_| Some(f64::NAN)), 0);
        c.factors[0].skip_missing = true;
        assert_eq!(try_evaluate(&c, |_| None), None);
        assert_eq!(evaluate(&c, |_| None), 0);
        // (5 / 100 + 5 / 10) / 2 = 27.5% rounds to 28.
        assert_eq!(try_evaluate(&c, |_| Some(5.0)), Some(28));
    }

    #[test]
    fn serde_shape_is_flat() {
        let json = serde_json::json!({
            "factors": [
                {"metric": "events_in_last_days", "days": 30, "good": 50, "bad": 0, "weight": 2},
                {"metric": "events_in_last_days", "days": 7, "name": "login",
                 "good": 5, "bad": 0, "weight": 1},
                {"metric": "company_property", "name": "employees", "good": 200, "bad": 1,
                 "weight": 1, "skip_missing": true},
                {"metric": "r_score", "good": 5, "bad": 1, "weight": 1}
            ]
        });
        let c: ScoreConfig = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(c.factors[0].metric, Metric::EventsInLastDays { days: 30, name: None });
        assert_eq!(c.factors[1].metric, Metric::EventsInLastDays { days: 7, name: Some("login".into()) });
        assert!(c.factors[2].skip_missing);
        assert!(!c.factors[3].skip_missing);
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["factors"][0]["metric"], "events_in_last_days");
        assert_eq!(back["factors"][0].get("name"), None);
        assert_eq!(back["factors"][3]["good"], 5.0);
        assert_eq!(serde_json::from_value::<ScoreConfig>(back).unwrap(), c);
        let settings = ScoreSettings::default();
        let text = serde_json::to_string(&settings).unwrap();
        assert_eq!(serde_json::from_str::<ScoreSettings>(&text).unwrap(), settings);
    }

    #[test]
    fn validation_names_factor_and_field() {
        let err = |c: &ScoreConfig| validate(c).unwrap_err().to_string();
        let mut c = ScoreConfig::default_health();
        assert_eq!(validate(&c), Ok(()));
        c.factors[2].weight = -1.0;
        assert_eq!(err(&c), "factors[2].weight: must be a finite number ≥ 0");
        c.factors[2].weight = f64::INFINITY;
        assert!(err(&c).starts_with("factors[2].weight"));
        let mut c = ScoreConfig::default_health();
        c.factors[1].bad = f64::NAN;
        assert_eq!(err(&c), "factors[1].bad: must be a finite number");
        c.factors[1].bad = c.factors[1].good;
        assert_eq!(err(&c), "factors[1].good: must differ from bad");
        let mut c = ScoreConfig::default_health();
        c.factors[1].metric = Metric::EventsInLastDays { days: 0, name: None };
        assert_eq!(err(&c), "factors[1].days: must be between 1 and 3650");
        c.factors[1].metric = Metric::EventsInLastDays { days: 3, name: Some(" ".into()) };
        assert_eq!(err(&c), "factors[1].name: must not be empty");
        let mut c = ScoreConfig::default_fit();
        c.factors[0].metric = Metric::UserProperty { name: String::new() };
        assert_eq!(err(&c), "factors[0].name: must not be empty");
        let mut c = ScoreConfig::default_fit();
        for f in &mut c.factors {
            f.weight = 0.0;
        }
        assert_eq!(err(&c), "factors: at least one factor needs a weight > 0");
        assert_eq!(err(&config(vec![])), "factors: at least one factor needs a weight > 0");
        let mut settings = ScoreSettings::default();
        assert_eq!(settings.validate(), Ok(()));
        settings.fit.factors[1].good = 1.0;
        assert_eq!(settings.validate().unwrap_err().to_string(), "fit.factors[1].good: must differ from bad");
    }

    #[test]
    fn defaults_are_sensible() {
        let health = ScoreConfig::default_health();
        // A perfect customer scores 100, a vanished one 0.
        let perfect = |m: &Metric| {
            Some(match m {
                Metric::DaysSinceLastSeen => 0.0,
                Metric::RScore | Metric::FScore => 5.0,
                _ => 1e9,
            })
        };
        assert_eq!(evaluate(&health, perfect), 100);
        assert_eq!(evaluate(&health, |_| None), 0);
        let engagement = ScoreConfig::default_engagement();
        assert_eq!(evaluate(&engagement, perfect), 100);
        // Fit without an `employees` property rests on ARR alone.
        let fit = ScoreConfig::default_fit();
        let arr_only = |m: &Metric| matches!(m, Metric::CompanyArr).then_some(25_000.0);
        assert_eq!(evaluate(&fit, arr_only), 50);
    }

    #[test]
    fn engagement_labels_and_buckets() {
        let labels: Vec<&str> =
            [0, 33, 34, 66, 67, 100].into_iter().map(|s| EngagementLabel::from_score(s).key()).collect();
        assert_eq!(labels, ["low", "low", "medium", "medium", "high", "high"]);
        assert_eq!(EngagementLabel::from_key("medium"), Some(EngagementLabel::Medium));
        let buckets: Vec<u8> = [0, 19, 20, 39, 40, 59, 60, 79, 80, 100, 255].into_iter().map(bucket).collect();
        assert_eq!(buckets, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]);
    }

    /// Factors reading `user_property` "0", "1", … so each has its own input.
    fn factors_strategy(max: usize) -> impl Strategy<Value = Vec<Factor>> {
        let factor = (-100.0f64..100.0, -100.0f64..100.0, 0.0f64..10.0, any::<bool>())
            .prop_filter("good must differ from bad", |(good, bad, _, _)| good != bad);
        prop::collection::vec(factor, 1..max).prop_map(|factors| {
            factors
                .into_iter()
                .enumerate()
                .map(|(i, (good, bad, weight, skip_missing))| Factor {
                    skip_missing,
                    ..Factor::new(Metric::UserProperty { name: i.to_string() }, good, bad, weight)
                })
                .collect()
        })
    }

    fn by_position(values: &[Option<f64>]) -> impl Fn(&Metric) -> Option<f64> + '_ {
        |metric| match metric {
            Metric::UserProperty { name } => values[name.parse::<usize>().unwrap()],
            _ => None,
        }
    }

    proptest! {
        #[test]
        fn score_stays_within_0_and_100(
            factors in factors_strategy(8),
            values in prop::collection::vec(prop::option::of(-1e6f64..1e6), 8),
        ) {
            let score = evaluate(&config(factors), by_position(&values));
            prop_assert!(score <= 100);
        }

        #[test]
        fn improving_one_input_never_lowers_the_score(
            factors in factors_strategy(8),
            values in prop::collection::vec(prop::option::of(-200.0f64..200.0), 8),
            pick in any::<prop::sample::Index>(),
            step in 0.0f64..300.0,
        ) {
            let c = config(factors);
            let i = pick.index(c.factors.len());
            let before = evaluate(&c, by_position(&values));
            let mut better = values.clone();
            if let Some(v) = better[i] {
                let toward_good = if c.factors[i].good > c.factors[i].bad { step } else { -step };
                better[i] = Some(v + toward_good);
            }
            prop_assert!(evaluate(&c, by_position(&better)) >= before);
        }

        #[test]
        fn a_missing_input_is_never_better_than_a_present_one(
            factors in factors_strategy(8),
            values in prop::collection::vec(prop::option::of(-200.0f64..200.0), 8),
            pick in any::<prop::sample::Index>(),
        ) {
            // Without skip_missing, missing scores like the worst value.
            let mut c = config(factors);
            for f in &mut c.factors {
                f.skip_missing = false;
            }
            let i = pick.index(c.factors.len());
            let mut missing = values.clone();
            missing[i] = None;
            prop_assert!(evaluate(&c, by_position(&missing)) <= evaluate(&c, by_position(&values)));
        }
    }
}
