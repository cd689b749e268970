//! The RFM model of docs/rfm.md: per-user recency, frequency and monetary inputs
//! (recomputable from order history as of any date), scores 1–5 by rank or by fixed
//! thresholds, the 5×5 segment grid and the transition matrix between two dates.

use std::fmt;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::money::Minor;

/// The eight built-in RFM segments, in the order the product lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RfmSegment {
    Champion,
    Loyalist,
    PotentialLoyalist,
    New,
    NeedAttention,
    AtRisk,
    Hibernating,
    Lost,
}

impl RfmSegment {
    pub const ALL: [RfmSegment; 8] = [
        RfmSegment::Champion,
        RfmSegment::Loyalist,
        RfmSegment::PotentialLoyalist,
        RfmSegment::New,
        RfmSegment::NeedAttention,
        RfmSegment::AtRisk,
        RfmSegment::Hibernating,
        RfmSegment::Lost,
    ];

    /// Its id where the API takes a segment id (events, history): −1 for Champion … −8 for
    /// Lost, in the order of [`RfmSegment::ALL`]; custom segments have positive ids.
    pub fn id(self) -> i64 {
        -1 - RfmSegment::ALL.iter().position(|s| *s == self).expect("every segment is in ALL") as i64
    }

    /// The RFM segment of an [`RfmSegment::id`].
    pub fn of_id(id: i64) -> Option<RfmSegment> {
        usize::try_from(-1 - id).ok().and_then(|i| RfmSegment::ALL.get(i).copied())
    }

    /// The stable key used in the API, exports and stored data.
    pub fn key(self) -> &'static str {
        match self {
            RfmSegment::Champion => "champion",
            RfmSegment::Loyalist => "loyalist",
            RfmSegment::PotentialLoyalist => "potential_loyalist",
            RfmSegment::New => "new",
            RfmSegment::NeedAttention => "need_attention",
            RfmSegment::AtRisk => "at_risk",
            RfmSegment::Hibernating => "hibernating",
            RfmSegment::Lost => "lost",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RfmSegment::Champion => "Champion",
            RfmSegment::Loyalist => "Loyalist",
            RfmSegment::PotentialLoyalist => "Potential Loyalist",
            RfmSegment::New => "New",
            RfmSegment::NeedAttention => "Need Attention",
            RfmSegment::AtRisk => "At Risk",
            RfmSegment::Hibernating => "Hibernating",
            RfmSegment::Lost => "Lost",
        }
    }

    /// The symbol shown next to a user; U+FE0E asks for the text (not emoji) presentation.
    pub fn symbol(self) -> &'static str {
        match self {
            RfmSegment::Champion => "\u{2665}\u{FE0E}",
            RfmSegment::Loyalist => "\u{263B}",
            RfmSegment::PotentialLoyalist => "[\u{263A}\u{FE0E}]",
            RfmSegment::New => "\u{2295}",
            RfmSegment::NeedAttention => "\u{203C}",
            RfmSegment::AtRisk => "\u{2639}\u{FE0E}",
            RfmSegment::Hibernating => "\u{263E}",
            RfmSegment::Lost => "\u{2296}",
        }
    }

    pub fn from_key(key: &str) -> Option<RfmSegment> {
        RfmSegment::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The segment grid: `r` selects the row, `fm` the column. Scores outside 1..=5 are
    /// clamped into it.
    pub fn from_scores(r: u8, fm: u8) -> RfmSegment {
        use RfmSegment::*;
        const GRID: [[RfmSegment; 5]; 5] = [
            // r = 1, fm = 1..=5
            [Lost, Lost, AtRisk, AtRisk, AtRisk],
            [Hibernating, Hibernating, AtRisk, AtRisk, AtRisk],
            [NeedAttention, NeedAttention, NeedAttention, Loyalist, Loyalist],
            [New, PotentialLoyalist, PotentialLoyalist, Loyalist, Loyalist],
            [New, PotentialLoyalist, PotentialLoyalist, Champion, Champion],
        ];
        GRID[usize::from(r.clamp(1, 5) - 1)][usize::from(fm.clamp(1, 5) - 1)]
    }
}

impl fmt::Display for RfmSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The key of an optional segment, `"none"` for users without one (the transition matrix's
/// extra row and column).
pub fn segment_key(segment: Option<RfmSegment>) -> &'static str {
    segment.map_or("none", RfmSegment::key)
}

/// Inverse of [`segment_key`]: `Some(None)` for `"none"`, `None` for an unknown key.
pub fn parse_segment_key(key: &str) -> Option<Option<RfmSegment>> {
    if key == "none" { Some(None) } else { RfmSegment::from_key(key).map(Some) }
}

/// Serde adapter for `Option<RfmSegment>` written as a key with `"none"` for `None`:
/// `#[serde(with = "domain::rfm::segment_or_none")]`.
pub mod segment_or_none {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::{RfmSegment, parse_segment_key, segment_key};

    pub fn serialize<S: Serializer>(value: &Option<RfmSegment>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(segment_key(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<RfmSegment>, D::Error> {
        let key = String::deserialize(deserializer)?;
        parse_segment_key(&key).ok_or_else(|| D::Error::custom(format!("unknown RFM segment {key:?}")))
    }
}

/// One user's RFM inputs as of a date; only users with at least one purchase in range have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmInput {
    pub last_purchase: NaiveDate,
    pub frequency: i64,
    pub monetary: Minor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmScore {
    pub recency_days: i64,
    pub frequency: i64,
    pub monetary: Minor,
    pub r_score: u8,
    pub f_score: u8,
    pub m_score: u8,
    pub fm_score: u8,
    pub segment: RfmSegment,
}

/// How a workspace turns RFM values into scores 1–5. Serialised as
/// `{"method": "ranked"}` or `{"method": "fixed", "recency_days": […], "frequency": […],
/// "monetary": […]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum RfmScoring {
    /// `score = 1 + floor(5 × W / N)` among the N scored users (docs/rfm.md).
    #[default]
    Ranked,
    Fixed(Thresholds),
}

/// Fixed score boundaries, each list strictly increasing:
/// - `recency_days`: upper bounds (inclusive) for R scores 5, 4, 3, 2; a user whose
///   `recency_days ≤ recency_days[0]` gets 5, else `≤ [1]` gets 4, …, beyond `[3]` gets 1.
/// - `frequency`: lower bounds (inclusive) for F scores 2, 3, 4, 5; a user with
///   `frequency ≥ frequency[3]` gets 5, …, below `frequency[0]` gets 1.
/// - `monetary`: the same for M, in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub recency_days: [i64; 4],
    pub frequency: [i64; 4],
    pub monetary: [Minor; 4],
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ThresholdsError {
    #[error("{field} must be strictly increasing")]
    NotIncreasing { field: &'static str },
    #[error("recency_days must not be negative")]
    NegativeRecency,
}

impl Thresholds {
    pub fn validate(&self) -> Result<(), ThresholdsError> {
        fn increasing(values: &[i64; 4]) -> bool {
            values.windows(2).all(|w| w[0] < w[1])
        }
        if self.recency_days[0] < 0 {
            return Err(ThresholdsError::NegativeRecency);
        }
        for (field, values) in
            [("recency_days", &self.recency_days), ("frequency", &self.frequency), ("monetary", &self.monetary)]
        {
            if !increasing(values) {
                return Err(ThresholdsError::NotIncreasing { field });
            }
        }
        Ok(())
    }

    fn r_score(&self, recency_days: i64) -> u8 {
        5 - count_u8(self.recency_days.iter().filter(|&&bound| recency_days > bound))
    }

    fn ascending_score(bounds: &[i64; 4], value: i64) -> u8 {
        1 + count_u8(bounds.iter().filter(|&&bound| value >= bound))
    }
}

fn count_u8<T>(items: impl Iterator<Item = T>) -> u8 {
    // At most 4 items.
    items.fold(0, |n, _| n + 1)
}

/// Scores every input as of `as_of`; the output is in input order.
///
/// Ranked scoring finds four order statistics per dimension (linear-time selection): O(N).
pub fn score_all(inputs: &[RfmInput], as_of: NaiveDate, scoring: &RfmScoring) -> Vec<RfmScore> {
    let recency: Vec<i64> = inputs.iter().map(|input| (as_of - input.last_purchase).num_days()).collect();
    let frequency: Vec<i64> = inputs.iter().map(|i| i.frequency).collect();
    let monetary: Vec<i64> = inputs.iter().map(|i| i.monetary).collect();
    let (r, f, m) = score_columns(&recency, &frequency, &monetary, scoring);
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let fm = fm_score(f[i], m[i]);
            RfmScore {
                recency_days: recency[i],
                frequency: input.frequency,
                monetary: input.monetary,
                r_score: r[i],
                f_score: f[i],
                m_score: m[i],
                fm_score: fm,
                segment: RfmSegment::from_scores(r[i], fm),
            }
        })
        .collect()
}

/// The segment of every user from their recency (days), frequency and monetary columns: what
/// [`score_all`] gives each, without the rest of the scores (for counts over many dates).
pub fn segments_of_columns(
    recency: &[i64],
    frequency: &[i64],
    monetary: &[i64],
    scoring: &RfmScoring,
) -> Vec<RfmSegment> {
    let (r, f, m) = score_columns(recency, frequency, monetary, scoring);
    r.iter().zip(f).zip(m).map(|((&r, f), m)| RfmSegment::from_scores(r, fm_score(f, m))).collect()
}

/// The r, f and m scores of every user from the three columns (of equal length), in order.
fn score_columns(
    recency: &[i64],
    frequency: &[i64],
    monetary: &[i64],
    scoring: &RfmScoring,
) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    debug_assert!(recency.len() == frequency.len() && frequency.len() == monetary.len());
    match scoring {
        RfmScoring::Ranked => {
            // Lower recency is better, so "worse" is larger: rank the negated values.
            let neg_recency: Vec<i64> = recency.iter().map(|&d| -d).collect();
            (ranked_scores(&neg_recency), ranked_scores(frequency), ranked_scores(monetary))
        }
        RfmScoring::Fixed(t) => (
            recency.iter().map(|&d| t.r_score(d)).collect(),
            frequency.iter().map(|&v| Thresholds::ascending_score(&t.frequency, v)).collect(),
            monetary.iter().map(|&v| Thresholds::ascending_score(&t.monetary, v)).collect(),
        ),
    }
}

/// The mean of F and M rounded half up: `floor((f + m + 1) / 2)`.
pub fn fm_score(f: u8, m: u8) -> u8 {
    (f + m).div_ceil(2)
}

/// `1 + floor(5 × W / N)` where W counts the values strictly smaller (higher is better).
///
/// Without sorting: `floor(5W/N)` counts the k in 1..=4 with `W ≥ ⌈kN/5⌉`, and W(v) ≥ p exactly
/// when the p-th smallest value is below v; so four order statistics (linear-time selection)
/// give every score.
fn ranked_scores(values: &[i64]) -> Vec<u8> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    // The p-th smallest for p = ⌈kN/5⌉, k = 1..=4, as 0-based positions (non-decreasing).
    let [i1, i2, i3, i4] = [1, 2, 3, 4].map(|k: usize| (k * n).div_ceil(5) - 1);
    let mut work = values.to_vec();
    // The middle one first; the others are then selected within the part on their side, which
    // holds exactly the values that rank there.
    let (below, &mut t2, above) = work.select_nth_unstable(i2);
    let t1 = if i1 < i2 { *below.select_nth_unstable(i1).1 } else { t2 };
    let (t3, t4) = if i3 > i2 {
        let (_, &mut t3, rest) = above.select_nth_unstable(i3 - i2 - 1);
        let t4 = if i4 > i3 { *rest.select_nth_unstable(i4 - i3 - 1).1 } else { t3 };
        (t3, t4)
    } else if i4 > i2 {
        (t2, *above.select_nth_unstable(i4 - i2 - 1).1)
    } else {
        (t2, t2)
    };
    let thresholds = [t1, t2, t3, t4];
    values.iter().map(|&v| 1 + thresholds.iter().filter(|&&t| t < v).count() as u8).collect()
}

/// One order line of a user's history, for [`aggregate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderLine {
    pub ordered_at: NaiveDateTime,
    pub amount: Minor,
}

/// Recomputes one user's RFM input as of `as_of` from their orders (in any order).
///
/// In range: `date(ordered_at) ≤ as_of` and, with a window, `date(ordered_at) > as_of −
/// window_days`. A purchase is an order with amount > 0; `frequency` counts purchases,
/// `monetary` sums every amount in range (refunds netted), `last_purchase` is the date of the
/// latest purchase. `None` when there is no purchase in range.
pub fn aggregate(
    orders: impl IntoIterator<Item = OrderLine>,
    as_of: NaiveDate,
    window_days: Option<u32>,
) -> Option<RfmInput> {
    let after = window_days.map(|days| as_of - Duration::days(i64::from(days)));
    let mut last_purchase: Option<NaiveDate> = None;
    let mut frequency = 0;
    let mut monetary: Minor = 0;
    for order in orders {
        let date = order.ordered_at.date();
        if date > as_of || after.is_some_and(|after| date <= after) {
            continue;
        }
        monetary = monetary.saturating_add(order.amount);
        if order.amount > 0 {
            frequency += 1;
            last_purchase = last_purchase.max(Some(date));
        }
    }
    last_purchase.map(|last_purchase| RfmInput { last_purchase, frequency, monetary })
}

/// One cell of the transition matrix: users in `from` at the first date and in `to` at the
/// second; `None` is the `none` row/column (serialised as `"none"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionCell {
    #[serde(with = "segment_or_none")]
    pub from: Option<RfmSegment>,
    #[serde(with = "segment_or_none")]
    pub to: Option<RfmSegment>,
    pub count: u64,
}

/// The rows and columns of the transition matrix in display order: the eight segments in
/// [`RfmSegment::ALL`] order, then `none`.
pub fn matrix_axis() -> [Option<RfmSegment>; 9] {
    let mut axis = [None; 9];
    for (slot, segment) in axis.iter_mut().zip(RfmSegment::ALL) {
        *slot = Some(segment);
    }
    axis
}

/// Counts `(segment at A, segment at B)` pairs into all 81 cells, row-major in
/// [`matrix_axis`] order (zero cells included).
pub fn transitions(pairs: impl IntoIterator<Item = (Option<RfmSegment>, Option<RfmSegment>)>) -> Vec<TransitionCell> {
    fn index(segment: Option<RfmSegment>) -> usize {
        segment.map_or(8, |s| s as usize)
    }
    let mut counts = [[0u64; 9]; 9];
    for (from, to) in pairs {
        counts[index(from)][index(to)] += 1;
    }
    let axis = matrix_axis();
    axis.iter()
        .flat_map(|&from| axis.iter().map(move |&to| (from, to)))
        .map(|(from, to)| TransitionCell { from, to, count: counts[index(from)][index(to)] })
        .collect()
}

/// The RFM scores the rescoring stores for a user (the stored segment is the grid's cell of
/// these, see [`RfmSegment::from_scores`]; stored by the rescoring).
#[derive(Debug, Clone, Copy)]
pub struct StoredScore {
    pub r: i32,
    pub f: i32,
    pub m: i32,
}

impl StoredScore {
    /// The full score with its values; `None` when the stored columns do not make one.
    pub fn with_values(self, recency_days: i64, frequency: i64, monetary: i64) -> Option<RfmScore> {
        let score = |v: i32| u8::try_from(v).ok().filter(|v| (1..=5).contains(v));
        let (r, f, m) = (score(self.r)?, score(self.f)?, score(self.m)?);
        let fm = fm_score(f, m);
        Some(RfmScore {
            recency_days,
            frequency,
            monetary,
            r_score: r,
            f_score: f,
            m_score: m,
            fm_score: fm,
            segment: RfmSegment::from_scores(r, fm),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        date(y, m, d).and_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn grid_matches_the_design_table() {
        use RfmSegment::*;
        let rows: [(u8, [RfmSegment; 5]); 5] = [
            (5, [New, PotentialLoyalist, PotentialLoyalist, Champion, Champion]),
            (4, [New, PotentialLoyalist, PotentialLoyalist, Loyalist, Loyalist]),
            (3, [NeedAttention, NeedAttention, NeedAttention, Loyalist, Loyalist]),
            (2, [Hibernating, Hibernating, AtRisk, AtRisk, AtRisk]),
            (1, [Lost, Lost, AtRisk, AtRisk, AtRisk]),
        ];
        for (r, cells) in rows {
            for (fm, expected) in (1..=5).zip(cells) {
                assert_eq!(RfmSegment::from_scores(r, fm), expected, "r={r} fm={fm}");
            }
        }
        assert_eq!(RfmSegment::from_scores(0, 9), RfmSegment::AtRisk);
    }

    #[test]
    fn keys_names_and_symbols() {
        let expected = [
            ("champion", "Champion", "♥︎"),
            ("loyalist", "Loyalist", "☻"),
            ("potential_loyalist", "Potential Loyalist", "[☺︎]"),
            ("new", "New", "⊕"),
            ("need_attention", "Need Attention", "‼"),
            ("at_risk", "At Risk", "☹︎"),
            ("hibernating", "Hibernating", "☾"),
            ("lost", "Lost", "⊖"),
        ];
        for (segment, (key, name, symbol)) in RfmSegment::ALL.into_iter().zip(expected) {
            assert_eq!(segment.key(), key);
            assert_eq!(segment.name(), name);
            assert_eq!(segment.symbol(), symbol);
            assert_eq!(RfmSegment::from_key(key), Some(segment));
            assert_eq!(serde_json::to_value(segment).unwrap(), key);
        }
        assert_eq!(RfmSegment::Champion.symbol().chars().count(), 2);
        assert!(RfmSegment::Champion.symbol().ends_with('\u{FE0E}'));
        assert_eq!(RfmSegment::from_key("Champion"), None);
        assert_eq!(parse_segment_key("none"), Some(None));
        assert_eq!(parse_segment_key("lost"), Some(Some(RfmSegment::Lost)));
        assert_eq!(parse_segment_key("x"), None);
    }

    #[test]
    fn fm_score_rounds_half_up() {
        assert_eq!(fm_score(1, 1), 1);
        assert_eq!(fm_score(1, 2), 2);
        assert_eq!(fm_score(4, 5), 5);
        assert_eq!(fm_score(2, 5), 4);
        assert_eq!(fm_score(3, 3), 3);
    }

    #[test]
    fn ranked_scores_follow_the_formula() {
        let as_of = date(2024, 1, 31);
        // Recency 30, 20, 10, 0, 0 days; frequency 1..=5; monetary equal for all.
        let inputs: Vec<RfmInput> = (0..5)
            .map(|i| RfmInput {
                last_purchase: as_of - Duration::days([30, 20, 10, 0, 0][i]),
                frequency: i as i64 + 1,
                monetary: 100,
            })
            .collect();
        let scores = score_all(&inputs, as_of, &RfmScoring::Ranked);
        let r: Vec<u8> = scores.iter().map(|s| s.r_score).collect();
        let f: Vec<u8> = scores.iter().map(|s| s.f_score).collect();
        let m: Vec<u8> = scores.iter().map(|s| s.m_score).collect();
        assert_eq!(r, [1, 2, 3, 4, 4]);
        assert_eq!(f, [1, 2, 3, 4, 5]);
        assert_eq!(m, [1, 1, 1, 1, 1]);
        assert_eq!(scores[4].fm_score, 3);
        assert_eq!(scores[4].segment, RfmSegment::PotentialLoyalist);
        assert_eq!(scores[0].recency_days, 30);
        assert_eq!(scores[0].segment, RfmSegment::Lost);
        assert!(score_all(&[], as_of, &RfmScoring::Ranked).is_empty());
    }

    #[test]
    fn a_single_user_scores_one() {
        let as_of = date(2024, 1, 31);
        let input = RfmInput { last_purchase: as_of, frequency: 9, monetary: 1 };
        let score = score_all(&[input], as_of, &RfmScoring::Ranked)[0];
        assert_eq!((score.r_score, score.f_score, score.m_score), (1, 1, 1));
        assert_eq!(score.segment, RfmSegment::Lost);
    }

    fn thresholds() -> Thresholds {
        Thresholds {
            recency_days: [30, 90, 180, 365],
            frequency: [2, 3, 5, 10],
            monetary: [5_000, 10_000, 50_000, 100_000],
        }
    }

    #[test]
    fn fixed_thresholds_are_inclusive_bounds() {
        let t = thresholds();
        assert_eq!(t.validate(), Ok(()));
        let r: Vec<u8> = [0, 30, 31, 90, 180, 181, 365, 366].into_iter().map(|d| t.r_score(d)).collect();
        assert_eq!(r, [5, 5, 4, 4, 3, 2, 2, 1]);
        let f: Vec<u8> =
            [1, 2, 3, 4, 5, 9, 10, 100].into_iter().map(|v| Thresholds::ascending_score(&t.frequency, v)).collect();
        assert_eq!(f, [1, 2, 3, 3, 4, 4, 5, 5]);
        let as_of = date(2024, 6, 30);
        let input = RfmInput { last_purchase: date(2024, 6, 1), frequency: 4, monetary: 60_000 };
        let score = score_all(&[input], as_of, &RfmScoring::Fixed(t))[0];
        assert_eq!((score.r_score, score.f_score, score.m_score, score.fm_score), (5, 3, 4, 4));
        assert_eq!(score.segment, RfmSegment::Champion);
    }

    #[test]
    fn thresholds_must_increase() {
        let mut t = thresholds();
        t.frequency = [2, 2, 5, 10];
        assert_eq!(t.validate(), Err(ThresholdsError::NotIncreasing { field: "frequency" }));
        let mut t = thresholds();
        t.recency_days = [-1, 90, 180, 365];
        assert_eq!(t.validate(), Err(ThresholdsError::NegativeRecency));
        let mut t = thresholds();
        t.monetary = [3, 2, 5, 10];
        assert_eq!(t.validate().unwrap_err().to_string(), "monetary must be strictly increasing");
    }

    #[test]
    fn scoring_serde_shapes() {
        assert_eq!(serde_json::to_value(RfmScoring::Ranked).unwrap(), serde_json::json!({"method": "ranked"}));
        let fixed = RfmScoring::Fixed(thresholds());
        let json = serde_json::to_value(&fixed).unwrap();
        assert_eq!(json["method"], "fixed");
        assert_eq!(json["frequency"], serde_json::json!([2, 3, 5, 10]));
        assert_eq!(serde_json::from_value::<RfmScoring>(json).unwrap(), fixed);
    }

    #[test]
    fn aggregate_applies_range_window_and_refunds() {
        let as_of = date(2024, 3, 31);
        let orders = [
            OrderLine { ordered_at: at(2023, 12, 1, 10), amount: 5_000 },
            OrderLine { ordered_at: at(2024, 3, 1, 10), amount: 10_000 },
            OrderLine { ordered_at: at(2024, 3, 5, 10), amount: -4_000 },
            OrderLine { ordered_at: at(2024, 3, 31, 23), amount: 0 },
            OrderLine { ordered_at: at(2024, 4, 1, 0), amount: 7_000 },
        ];
        assert_eq!(
            aggregate(orders, as_of, None),
            Some(RfmInput { last_purchase: date(2024, 3, 1), frequency: 2, monetary: 11_000 })
        );
        // Window of 31 days: after 2024-02-29, so December is out.
        assert_eq!(
            aggregate(orders, as_of, Some(31)),
            Some(RfmInput { last_purchase: date(2024, 3, 1), frequency: 1, monetary: 6_000 })
        );
        // The window's first day is exclusive: as_of − 30 = 2024-03-01 is out.
        assert_eq!(aggregate(orders, as_of, Some(30)), None, "only the refund and a zero order remain");
        assert_eq!(aggregate(orders, date(2023, 11, 30), None), None);
        assert_eq!(aggregate([], as_of, None), None);
        // Same-day purchase counts with recency 0.
        let input = aggregate(orders, date(2024, 3, 1), None).unwrap();
        let score = score_all(&[input], date(2024, 3, 1), &RfmScoring::Ranked)[0];
        assert_eq!(score.recency_days, 0);
    }

    #[test]
    fn transitions_cover_every_cell() {
        use RfmSegment::*;
        let cells =
            transitions([(None, Some(New)), (None, Some(New)), (Some(Champion), Some(AtRisk)), (Some(Lost), None)]);
        assert_eq!(cells.len(), 81);
        assert_eq!(cells.iter().map(|c| c.count).sum::<u64>(), 4);
        assert_eq!(cells[0].from, Some(Champion));
        assert_eq!(cells[0].to, Some(Champion));
        assert_eq!(cells[80].from, None);
        assert_eq!(cells[80].to, None);
        let count = |from, to| cells.iter().find(|c| c.from == from && c.to == to).unwrap().count;
        assert_eq!(count(None, Some(New)), 2);
        assert_eq!(count(Some(Champion), Some(AtRisk)), 1);
        assert_eq!(count(Some(Lost), None), 1);
        assert_eq!(count(None, None), 0);
        let json = serde_json::to_value(cells[8]).unwrap();
        assert_eq!(json, serde_json::json!({"from": "champion", "to": "none", "count": 0}));
        let back: TransitionCell = serde_json::from_value(json).unwrap();
        assert_eq!(back, cells[8]);
    }

    fn naive_score(values: &[i64], i: usize) -> u8 {
        let worse = values.iter().filter(|&&v| v < values[i]).count();
        (1 + 5 * worse / values.len()) as u8
    }

    fn inputs_strategy() -> impl Strategy<Value = Vec<RfmInput>> {
        prop::collection::vec((0i64..60, 1i64..8, -500i64..5_000), 1..60).prop_map(|rows| {
            rows.into_iter()
                .map(|(days, frequency, monetary)| RfmInput {
                    last_purchase: NaiveDate::from_ymd_opt(2024, 6, 30).unwrap() - Duration::days(days),
                    frequency,
                    monetary,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn ranked_scores_match_the_quadratic_definition(inputs in inputs_strategy()) {
            let as_of = date(2024, 6, 30);
            let scores = score_all(&inputs, as_of, &RfmScoring::Ranked);
            let neg_recency: Vec<i64> = scores.iter().map(|s| -s.recency_days).collect();
            let frequency: Vec<i64> = inputs.iter().map(|i| i.frequency).collect();
            let monetary: Vec<i64> = inputs.iter().map(|i| i.monetary).collect();
            for (i, s) in scores.iter().enumerate() {
                prop_assert_eq!(s.r_score, naive_score(&neg_recency, i));
                prop_assert_eq!(s.f_score, naive_score(&frequency, i));
                prop_assert_eq!(s.m_score, naive_score(&monetary, i));
                prop_assert!((1..=5).contains(&s.r_score));
                prop_assert!((1..=5).contains(&s.f_score));
                prop_assert!((1..=5).contains(&s.m_score));
                prop_assert_eq!(s.segment, RfmSegment::from_scores(s.r_score, s.fm_score));
            }
        }

        #[test]
        fn segments_of_columns_are_those_of_the_scores(inputs in inputs_strategy(), fixed in any::<bool>()) {
            let as_of = date(2024, 6, 30);
            let scoring = if fixed { RfmScoring::Fixed(thresholds()) } else { RfmScoring::Ranked };
            let scores = score_all(&inputs, as_of, &scoring);
            let recency: Vec<i64> = scores.iter().map(|s| s.recency_days).collect();
            let frequency: Vec<i64> = inputs.iter().map(|i| i.frequency).collect();
            let monetary: Vec<i64> = inputs.iter().map(|i| i.monetary).collect();
            let segments: Vec<RfmSegment> = scores.iter().map(|s| s.segment).collect();
            prop_assert_eq!(segments_of_columns(&recency, &frequency, &monetary, &scoring), segments);
        }

        #[test]
        fn ties_share_a_score(inputs in inputs_strategy()) {
            let scores = score_all(&inputs, date(2024, 6, 30), &RfmScoring::Ranked);
            for a in &scores {
                for b in &scores {
                    if a.recency_days == b.recency_days {
                        prop_assert_eq!(a.r_score, b.r_score);
                    }
                    if a.frequency == b.frequency {
                        prop_assert_eq!(a.f_score, b.f_score);
                    }
                    if a.monetary == b.monetary {
                        prop_assert_eq!(a.m_score, b.m_score);
                    }
                }
            }
        }

        #[test]
        fn improving_a_user_never_lowers_its_scores(
            inputs in inputs_strategy(),
            pick in any::<prop::sample::Index>(),
            fewer_days in 0i64..30,
            more_orders in 0i64..5,
            more_money in 0i64..3_000,
            fixed in any::<bool>(),
        ) {
            let as_of = date(2024, 6, 30);
            let scoring = if fixed { RfmScoring::Fixed(thresholds()) } else { RfmScoring::Ranked };
            let i = pick.index(inputs.len());
            let before = score_all(&inputs, as_of, &scoring)[i];
            let mut better = inputs.clone();
            let user = &mut better[i];
            user.last_purchase = (user.last_purchase + Duration::days(fewer_days)).min(as_of);
            user.frequency += more_orders;
            user.monetary += more_money;
            let after = score_all(&better, as_of, &scoring)[i];
            prop_assert!(after.r_score >= before.r_score);
            prop_assert!(after.f_score >= before.f_score);
            prop_assert!(after.m_score >= before.m_score);
        }
    }

    #[test]
    fn scores_a_million_users_quickly() {
        let as_of = date(2024, 6, 30);
        let inputs: Vec<RfmInput> = (0..1_000_000i64)
            .map(|i| RfmInput {
                last_purchase: as_of - Duration::days((i * 7919) % 730),
                frequency: 1 + (i * 31) % 40,
                monetary: (i * 104_729) % 1_000_000,
            })
            .collect();
        let started = std::time::Instant::now();
        let scores = score_all(&inputs, as_of, &RfmScoring::Ranked);
        assert_eq!(scores.len(), inputs.len());
        // Generous for an unoptimised build; a quadratic algorithm would take hours.
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        for s in [1u8, 5] {
            assert!(scores.iter().any(|x| x.f_score == s));
        }
    }
}
