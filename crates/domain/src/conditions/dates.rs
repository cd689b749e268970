//! Date values and the date ranges of date operators.

use super::*;

// ---------------------------------------------------------------------------------------
// Dates

/// A date condition value: a whole UTC day or an instant (UTC, whole seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    Day(NaiveDate),
    Instant(NaiveDateTime),
}

impl DateValue {
    /// `YYYY-MM-DD` or RFC 3339 (`2024-05-01T10:00:00+02:00`, `…Z`).
    pub fn parse(text: &str) -> Option<DateValue> {
        if text.len() == 10 {
            return NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(DateValue::Day);
        }
        let instant = DateTime::parse_from_rfc3339(text).ok()?.naive_utc();
        Some(DateValue::Instant(instant.with_nanosecond(0)?))
    }

    /// The first instant the value covers.
    pub fn start(self) -> NaiveDateTime {
        match self {
            DateValue::Day(day) => day.and_time(chrono::NaiveTime::MIN),
            DateValue::Instant(t) => t,
        }
    }

    /// The bound just after the value: a day ends before the next midnight, an instant at
    /// itself.
    fn end_bound(self) -> Bound<NaiveDateTime> {
        match self {
            DateValue::Day(day) => match day.succ_opt() {
                Some(next) => Bound::Excluded(next.and_time(chrono::NaiveTime::MIN)),
                None => Bound::Unbounded,
            },
            DateValue::Instant(t) => Bound::Included(t),
        }
    }
}

/// The instants a positive date condition accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub lower: Bound<NaiveDateTime>,
    pub upper: Bound<NaiveDateTime>,
}

impl DateRange {
    pub fn contains(&self, t: NaiveDateTime) -> bool {
        let above = match self.lower {
            Bound::Included(lo) => t >= lo,
            Bound::Excluded(lo) => t > lo,
            Bound::Unbounded => true,
        };
        let below = match self.upper {
            Bound::Included(hi) => t <= hi,
            Bound::Excluded(hi) => t < hi,
            Bound::Unbounded => true,
        };
        above && below
    }
}

/// The range of a `before`, `after`, `between`, `in_last_days` or `not_in_last_days`
/// condition (for the negated operator, the range it excludes); `None` for another operator
/// or a malformed value.
pub fn date_range(op: Op, value: &Json, now: NaiveDateTime) -> Option<DateRange> {
    let range = match op.positive().0 {
        Op::Before => DateRange { lower: Bound::Unbounded, upper: Bound::Excluded(date(value).ok()?.start()) },
        Op::After => DateRange {
            lower: match date(value).ok()?.end_bound() {
                // After a whole day: from the next midnight on.
                Bound::Excluded(next) => Bound::Included(next),
                Bound::Included(t) => Bound::Excluded(t),
                Bound::Unbounded => return None,
            },
            upper: Bound::Unbounded,
        },
        Op::Between => {
            let [lo, hi] = pair(value).ok()?;
            DateRange { lower: Bound::Included(date(lo).ok()?.start()), upper: date(hi).ok()?.end_bound() }
        }
        Op::InLastDays => DateRange {
            lower: Bound::Included(now - Duration::days(i64::from(days(value).ok()?))),
            upper: Bound::Included(now),
        },
        _ => return None,
    };
    Some(range)
}

/// Major units to minor units as money conditions compare them: the number's shortest
/// decimal form rounded half away from zero at the second decimal, as
/// [`crate::money::parse_minor`] does (`1.005` → 101, although `1.005 × 100` is 100.49… in
/// binary floating point).
pub fn money_to_minor(major: f64) -> Minor {
    crate::money::parse_minor(&major.to_string()).unwrap_or((major * 100.0) as Minor)
}
