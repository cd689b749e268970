//! Timestamps on the wire: RFC 3339 in UTC with a `Z` (`2026-11-23T07:18:07Z`, a fraction only
//! when there is one), as the OpenAPI document's `date-time` says, while the code and the
//! database keep UTC as `NaiveDateTime`. Read back: RFC 3339 with any offset (converted to
//! UTC), or without one (taken as UTC).
//!
//! `#[serde(with = "crate::time::utc")]` on a `NaiveDateTime`, `#[serde(default, with =
//! "crate::time::utc_opt")]` on an `Option<NaiveDateTime>`. The whole-second case is written
//! by hand, without going through `fmt::Debug`: a Users list page writes five per user, and
//! chrono's formatter was a twentieth of the page's time.

use chrono::{DateTime, Datelike, NaiveDateTime, SecondsFormat, Timelike};
use serde::{Deserialize, Deserializer, Serializer};

pub mod utc {
    use super::*;

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        match plain(t) {
            Some(text) => s.serialize_str(std::str::from_utf8(&text).unwrap_or_default()),
            None => s.serialize_str(&t.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse(&text).ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not an RFC 3339 date-time")))
    }
}

pub mod utc_opt {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => utc::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "utc")] NaiveDateTime);
        Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(t)| t))
    }
}

/// RFC 3339 with an offset (as UTC), or the same without one (taken as UTC).
fn parse(text: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.naive_utc())
        .or_else(|_| text.parse::<NaiveDateTime>())
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a whole second of the years 0 to 9999; `None` for anything else.
fn plain(t: &NaiveDateTime) -> Option<[u8; 20]> {
    let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
    if t.nanosecond() != 0 {
        return None;
    }
    let mut out = *b"0000-00-00T00:00:00Z";
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
    use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Wrapped(#[serde(with = "super::utc_opt")] Option<NaiveDateTime>);

    #[test]
    fn writes_rfc3339_in_utc_and_reads_it_back() {
        let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let mut times: Vec<_> = [(0, 0, 0, 0), (7, 5, 9, 0), (23, 59, 59, 0), (7, 5, 9, 120_000_000), (7, 5, 9, 1)]
            .into_iter()
            .map(|(h, m, s, n)| day.and_hms_nano_opt(h, m, s, n).unwrap())
            .collect();
        times.push(NaiveDate::from_ymd_opt(0, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap());
        // Every seventh day from 1422 to 2024, at a second that moves with the day.
        for d in (-200_000i64..20_000).step_by(7) {
            times.push(DateTime::from_timestamp(d * 86_400 + (d.rem_euclid(86_400)), 0).unwrap().naive_utc());
        }
        for t in times {
            let text = serde_json::to_string(&Wrapped(Some(t))).unwrap();
            let expected = t.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true);
            assert_eq!(text, format!("\"{expected}\""), "{t:?}");
            assert!(text.ends_with("Z\""), "{text}");
            assert_eq!(serde_json::from_str::<Wrapped>(&text).unwrap(), Wrapped(Some(t)));
        }
        assert_eq!(serde_json::to_string(&Wrapped(None)).unwrap(), "null");
    }

    #[test]
    fn reads_offsets_as_utc_and_naive_times_as_utc() {
        let read = |text: &str| serde_json::from_str::<Wrapped>(text).map(|w| w.0.map(|t| t.to_string()));
        assert_eq!(read("\"2026-12-07T10:00:00+02:00\"").unwrap().as_deref(), Some("2026-12-07 08:00:00"));
        assert_eq!(read("\"2026-12-07T10:00:00\"").unwrap().as_deref(), Some("2026-12-07 10:00:00"));
        assert_eq!(read("null").unwrap(), None);
        assert!(read("\"yesterday\"").is_err());
    }
}
