//! How numbers, money and times read in the app.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike};

/// Now, in UTC, from the browser clock.
pub fn now() -> NaiveDateTime {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).map(|d| d.naive_utc()).unwrap_or_default()
}

// Dates are written by hand: chrono's strftime machinery is a sizeable part of the app.

/// `2025-03-04 14:22` (times are UTC).
pub fn datetime(t: &NaiveDateTime) -> String {
    format!("{} {:02}:{:02}", date(t), t.hour(), t.minute())
}

/// `2025-03-04T14:22:00Z`, for `<time datetime=…>`.
pub fn iso(t: &NaiveDateTime) -> String {
    format!("{}T{:02}:{:02}:{:02}Z", date(t), t.hour(), t.minute(), t.second())
}

pub fn date(t: &NaiveDateTime) -> String {
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

/// `2025-03-04` as a date; `None` for anything else.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
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

/// A ratio with two decimals (`1.25`), a dash when there is none.
pub fn ratio(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            let s = format!("{:.2}", v.abs());
            let (whole, frac) = s.split_once('.').unwrap_or((&s, "00"));
            let sign = if v < 0.0 && s != "0.00" { "-" } else { "" };
            format!("{sign}{}.{frac}", int(whole.parse().unwrap_or(0)))
        }
        _ => "—".into(),
    }
}

/// A share as a percentage with one decimal: `12.5%`.
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 { "—".into() } else { format!("{:.1}%", part as f64 * 100.0 / whole as f64) }
}

/// Today's date (UTC), from the browser clock.
pub fn today() -> chrono::NaiveDate {
    now().date()
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
        assert_eq!(ratio(Some(1234.567)), "1,234.57");
        assert_eq!(ratio(None), "—");
        assert_eq!(percent(1, 8), "12.5%");
        let t = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap().and_hms_opt(14, 2, 5).unwrap();
        assert_eq!(datetime(&t), "2025-03-04 14:02");
        assert_eq!(iso(&t), "2025-03-04T14:02:05Z");
        assert_eq!(parse_date("2025-03-04"), Some(t.date()));
        assert_eq!(parse_date("2025-13-04"), None);
    }

    #[test]
    fn relative_times() {
        let now = chrono::NaiveDate::from_ymd_opt(2025, 3, 10).unwrap().and_hms_opt(12, 0, 0).unwrap();
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
