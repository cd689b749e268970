//! A row buffer that formats numbers, money and timestamps without allocating, and hands the
//! bytes to the writer in large chunks.

use std::io::{self, Write};

const FLUSH_AT: usize = 64 * 1024;

pub(crate) struct Rows<W: Write> {
    out: W,
    buf: Vec<u8>,
    rows: u64,
    /// `YYYY-MM-DD` of the days from `first_day` on, precomputed for the common range.
    first_day: i64,
    dates: Vec<[u8; 10]>,
}

impl<W: Write> Rows<W> {
    /// Starts the output with its header row (not counted as a row).
    pub fn new(out: W, columns: &[&str]) -> Self {
        let mut buf = Vec::with_capacity(FLUSH_AT + 1024);
        buf.extend_from_slice(columns.join(",").as_bytes());
        buf.push(b'\n');
        Rows { out, buf, rows: 0, first_day: 0, dates: Vec::new() }
    }

    /// Precomputes the dates of timestamps between `first` and `last` (seconds); others are
    /// still written, only computed each time.
    pub fn with_dates(mut self, first: i64, last: i64) -> Self {
        self.first_day = first.div_euclid(86_400);
        let last_day = last.div_euclid(86_400).max(self.first_day);
        if last_day - self.first_day > 40_000 {
            return self; // a century: not worth the memory
        }
        self.dates = (self.first_day..=last_day).map(date_text).collect();
        self
    }

    pub fn str(&mut self, text: &str) -> &mut Self {
        self.buf.extend_from_slice(text.as_bytes());
        self
    }

    pub fn byte(&mut self, byte: u8) -> &mut Self {
        self.buf.push(byte);
        self
    }

    pub fn id(&mut self, id: &Id) -> &mut Self {
        self.buf.extend_from_slice(id.as_bytes());
        self
    }

    pub fn comma(&mut self) -> &mut Self {
        self.byte(b',')
    }

    pub fn uint(&mut self, value: u64) -> &mut Self {
        self.padded(value, 1)
    }

    /// `value` with leading zeros up to `width` digits.
    pub fn padded(&mut self, mut value: u64, width: usize) -> &mut Self {
        let mut digits = [b'0'; 20];
        let mut at = digits.len();
        while value > 0 {
            at -= 1;
            digits[at] = b'0' + (value % 10) as u8;
            value /= 10;
        }
        let at = at.min(digits.len() - width.clamp(1, digits.len()));
        self.buf.extend_from_slice(&digits[at..]);
        self
    }

    pub fn int(&mut self, value: i64) -> &mut Self {
        if value < 0 {
            self.buf.push(b'-');
        }
        self.uint(value.unsigned_abs())
    }

    /// Minor units as major units with two decimals, like `domain::money::format_major`.
    pub fn money(&mut self, minor: i64) -> &mut Self {
        let abs = minor.unsigned_abs();
        let mut text = [b'.'; 24];
        let cents = text.len() - 2;
        two_digits(&mut text[cents..], abs % 100);
        let (mut whole, mut at) = (abs / 100, cents - 1);
        loop {
            at -= 1;
            text[at] = b'0' + (whole % 10) as u8;
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if minor < 0 {
            at -= 1;
            text[at] = b'-';
        }
        self.buf.extend_from_slice(&text[at..]);
        self
    }

    /// Seconds since the Unix epoch as RFC 3339 UTC, `2025-03-04T10:22:00Z` (years 0–9999).
    pub fn timestamp(&mut self, secs: i64) -> &mut Self {
        let day = secs.div_euclid(86_400);
        let cached = usize::try_from(day - self.first_day).ok().and_then(|i| self.dates.get(i));
        let date = cached.copied().unwrap_or_else(|| date_text(day));
        let in_day = secs.rem_euclid(86_400) as u64;
        // Filled in place: one copy of a fixed size is much cheaper than many small ones.
        let mut text = *b"0000-00-00T00:00:00Z";
        text[..10].copy_from_slice(&date);
        two_digits(&mut text[11..], in_day / 3600);
        two_digits(&mut text[14..], in_day / 60 % 60);
        two_digits(&mut text[17..], in_day % 60);
        self.buf.extend_from_slice(&text);
        self
    }

    /// Lower-case ASCII letters and digits of `text`, accents dropped (for email addresses).
    pub fn ascii_slug(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            match c {
                'a'..='z' | '0'..='9' => self.buf.push(c as u8),
                'A'..='Z' => self.buf.push(c.to_ascii_lowercase() as u8),
                'ß' => self.buf.extend_from_slice(b"ss"),
                _ => {
                    if let Some(base) = fold_accent(c) {
                        self.buf.push(base);
                    }
                }
            }
        }
        self
    }

    /// Ends the current row; passes the buffer on once it is large.
    pub fn end_row(&mut self) -> io::Result<()> {
        self.buf.push(b'\n');
        self.rows += 1;
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes what is left, flushes the writer and returns the number of data rows.
    pub fn finish(mut self) -> io::Result<u64> {
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.rows)
    }
}

/// A decimal number kept as text, for ids written on every row: cheaper to copy than to format.
pub(crate) struct Id {
    text: [u8; 24],
    start: usize,
}

impl Id {
    /// `prefix` and `value` padded with zeros to `width` digits (at most 20).
    pub fn new(prefix: u8, mut value: u64, width: usize) -> Id {
        let mut text = [b'0'; 24];
        let mut at = text.len();
        while value > 0 {
            at -= 1;
            text[at] = b'0' + (value % 10) as u8;
            value /= 10;
        }
        let start = at.min(text.len() - width.clamp(1, 20)) - 1;
        text[start] = prefix;
        Id { text, start }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.text[self.start..]
    }

    /// Adds one to the number, keeping the prefix.
    pub fn increment(&mut self) {
        let mut at = self.text.len();
        loop {
            at -= 1;
            if at == self.start {
                // Every digit was a 9: the number grows by one digit.
                self.text[at - 1] = self.text[at];
                self.text[at] = b'1';
                self.start -= 1;
                return;
            }
            if self.text[at] == b'9' {
                self.text[at] = b'0';
            } else {
                self.text[at] += 1;
                return;
            }
        }
    }
}

fn two_digits(text: &mut [u8], value: u64) {
    text[0] = b'0' + (value / 10 % 10) as u8;
    text[1] = b'0' + (value % 10) as u8;
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (years 0–9999).
fn date_text(day: i64) -> [u8; 10] {
    let (year, month, day) = civil_from_days(day);
    let year = year.clamp(0, 9999) as u64;
    let mut text = *b"0000-00-00";
    two_digits(&mut text[0..], year / 100);
    two_digits(&mut text[2..], year % 100);
    two_digits(&mut text[5..], month);
    two_digits(&mut text[8..], day);
    text
}

fn fold_accent(c: char) -> Option<u8> {
    let base = match c.to_lowercase().next()? {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' | 'ć' => 'c',
        'ñ' | 'ń' => 'n',
        'ś' | 'š' => 's',
        'ł' => 'l',
        'ż' | 'ź' => 'z',
        _ => return None,
    };
    Some(base as u8)
}

/// Proleptic Gregorian (year, month, day) of a day number counted from 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u64, u64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(f: impl FnOnce(&mut Rows<&mut Vec<u8>>)) -> String {
        let mut out = Vec::new();
        // Dates of part of the tested range come from the table.
        let mut rows = Rows::new(&mut out, &["h"]).with_dates(0, 86_400 * 1000);
        f(&mut rows);
        rows.finish().unwrap();
        String::from_utf8(out).unwrap().trim_start_matches("h\n").to_owned()
    }

    #[test]
    fn money_matches_domain_formatting() {
        for minor in [0, 5, -5, 99, 100, 2933, -1230, 123_456_789, i64::MIN + 1] {
            let text = render(|r| {
                r.money(minor);
            });
            assert_eq!(text, domain::money::format_major(minor));
        }
    }

    #[test]
    fn integers_and_padding() {
        assert_eq!(
            render(|r| {
                r.uint(0).comma().uint(907).comma().padded(42, 6).comma().int(-17);
            }),
            "0,907,000042,-17"
        );
        assert_eq!(
            render(|r| {
                r.padded(1_234_567, 5);
            }),
            "1234567"
        );
    }

    #[test]
    fn ids_count_up() {
        let mut id = Id::new(b'O', 98, 3);
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push(String::from_utf8(id.as_bytes().to_vec()).unwrap());
            id.increment();
        }
        assert_eq!(seen, ["O098", "O099", "O100", "O101"]);
        let mut id = Id::new(b'O', 9999, 4);
        id.increment();
        assert_eq!(id.as_bytes(), b"O10000");
    }

    #[test]
    fn timestamps_match_chrono() {
        let mut secs = -86_400 * 800;
        while secs < 86_400 * 40_000 {
            let expected = chrono::DateTime::from_timestamp(secs, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            assert_eq!(
                render(|r| {
                    r.timestamp(secs);
                }),
                expected
            );
            secs += 7_919 * 41;
        }
    }

    #[test]
    fn slugs_are_lower_case_ascii() {
        assert_eq!(
            render(|r| {
                r.ascii_slug("Zoë de Vries-O'Brien Wiśniewski Søren Straße");
            }),
            "zoedevriesobrienwisniewskisorenstrasse"
        );
    }
}
