//! How numbers, money and times read in the app.

use chrono::{DateTime, NaiveDateTime, TimeDelta};

/// Now, in UTC, from the browser clock.
pub fn now() -> NaiveDateTime {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

/// `2025-03-04 14:22` (times are UTC).
pub fn datetime(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

pub fn date(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%d").to_string()
}

pub fn opt_datetime(t: Option<&NaiveDateTime>) -> String {
    t.map(datetime).unwrap_or_else(|| "—".into())
}

pub fn opt_date(t: Option<&NaiveDateTime>) -> String {
    t.map(date).unwrap_or_else(|| "—".into())
}

/// `just now`, `5 min ago`, `3 h ago`, `yesterday`, `12 days ago`, `4 months ago`, `2 years ago`.
pub fn relative(t: &NaiveDateTime) -> String {
    relative_to(t, &now())
}

fn relative_to(t: &NaiveDateTime, now: &NaiveDateTime) -> String {
    let d: TimeDelta = *now - *t;
    if d < TimeDelta::zero() {
        return datetime(t);
    }
    let mins = d.num_minutes();
    let hours = d.num_hours();
    let days = d.num_days();
    match () {
        _ if mins < 1 => "just now".into(),
        _ if mins < 60 => format!("{mins} min ago"),
        _ if hours < 24 => format!("{hours} h ago"),
        _ if days < 2 => "yesterday".into(),
        _ if days < 60 => format!("{days} days ago"),
        _ if days < 730 => format!("{} months ago", days / 30),
        _ => format!("{} years ago", days / 365),
    }
}

/// `12,345` — thousands separated by commas.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Money in major units: `1,234.50`, `-40.00`.
pub fn money(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", int((cents / 100) as i64), cents % 100)
}

pub fn opt_str(s: Option<&String>) -> String {
    match s {
        Some(s) if !s.is_empty() => s.clone(),
        _ => "—".into(),
    }
}

pub fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "—",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_and_money() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(-1234567), "-1,234,567");
        assert_eq!(money(1234.5), "1,234.50");
        assert_eq!(money(-40.0), "-40.00");
        assert_eq!(money(0.005), "0.01");
    }

    #[test]
    fn relative_times() {
        let now = chrono::NaiveDate::from_ymd_opt(2025, 3, 10)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let ago = |d: TimeDelta| relative_to(&(now - d), &now);
        assert_eq!(ago(TimeDelta::seconds(20)), "just now");
        assert_eq!(ago(TimeDelta::minutes(5)), "5 min ago");
        assert_eq!(ago(TimeDelta::hours(3)), "3 h ago");
        assert_eq!(ago(TimeDelta::hours(30)), "yesterday");
        assert_eq!(ago(TimeDelta::days(12)), "12 days ago");
        assert_eq!(ago(TimeDelta::days(120)), "4 months ago");
        assert_eq!(ago(TimeDelta::days(800)), "2 years ago");
    }
}
