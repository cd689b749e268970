//! Timestamps written to JSON as chrono writes them (`2026-11-23T07:18:07`, a fraction only
//! when there is one), without going through `fmt::Debug`: a Users list page writes five per
//! user, and chrono's formatter was a twentieth of the page's time.

use chrono::{Datelike, NaiveDateTime, Timelike};
use serde::{Serialize, Serializer};

/// `#[serde(serialize_with = "crate::time::optional")]` for an `Option<NaiveDateTime>`.
pub fn optional<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => match plain(t) {
            Some(text) => s.serialize_str(std::str::from_utf8(&text).unwrap_or_default()),
            None => t.serialize(s),
        },
        None => s.serialize_none(),
    }
}

/// `YYYY-MM-DDTHH:MM:SS` for a whole second of the years 0 to 9999 (chrono's form for them);
/// `None` for anything else.
fn plain(t: &NaiveDateTime) -> Option<[u8; 19]> {
    let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
    if t.nanosecond() != 0 {
        return None;
    }
    let mut out = *b"0000-00-00T00:00:00";
    let mut put = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, year);
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    Some(out)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate};

    #[derive(serde::Serialize)]
    struct Wrapped(#[serde(serialize_with = "super::optional")] Option<chrono::NaiveDateTime>);

    #[test]
    fn writes_what_chrono_writes() {
        let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let mut times: Vec<_> = [(0, 0, 0, 0), (7, 5, 9, 0), (23, 59, 59, 0), (7, 5, 9, 120_000_000), (7, 5, 9, 1)]
            .into_iter()
            .map(|(h, m, s, n)| day.and_hms_nano_opt(h, m, s, n).unwrap())
            .collect();
        times.push(NaiveDate::from_ymd_opt(0, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap());
        times.push(NaiveDate::from_ymd_opt(-1, 12, 31).unwrap().and_hms_opt(0, 0, 0).unwrap());
        times.push(NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap());
        // Every seventh day from 1422 to 2024, at a second that moves with the day.
        for d in (-200_000i64..20_000).step_by(7) {
            let t = DateTime::from_timestamp(d * 86_400 + (d.rem_euclid(86_400)), 0).unwrap().naive_utc();
            times.push(t);
        }
        for t in times {
            assert_eq!(serde_json::to_string(&Wrapped(Some(t))).unwrap(), serde_json::to_string(&t).unwrap(), "{t:?}");
        }
        assert_eq!(serde_json::to_string(&Wrapped(None)).unwrap(), "null");
    }
}
