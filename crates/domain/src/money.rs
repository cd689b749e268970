//! Money as integer minor units (cents). Parsing accepts decimal strings with `.` as the
//! separator; formatting gives major units with two decimals.

use thiserror::Error;

/// An amount in minor units (1/100 of the currency unit).
pub type Minor = i64;

/// The largest amount an order, a gross amount or an ARR may have, either sign: 10 000 000 000.00
/// (10¹² minor units). Sums over a user's orders stay exact in 64 bits below 9 million orders
/// of that size each, and sums over a workspace (in memory) saturate rather than wrap.
pub const MAX_AMOUNT: Minor = 1_000_000_000_000;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum MoneyError {
    #[error("is not a decimal number with '.' as separator")]
    NotDecimal,
    #[error("is too large")]
    Overflow,
    #[error("is beyond 10000000000.00 either way, the largest amount stored")]
    OutOfRange,
}

/// Parses `"12"`, `"-3.5"`, `"29.33"`, `"+1.005"` into minor units. Digits past the second
/// decimal are rounded half away from zero, so `"1.005"` is 101.
pub fn parse_minor(text: &str) -> Result<Minor, MoneyError> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if (whole.is_empty() && frac.is_empty())
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(MoneyError::NotDecimal);
    }
    let mut value: i64 = 0;
    for b in whole.bytes() {
        value = value.checked_mul(10).and_then(|v| v.checked_add(i64::from(b - b'0'))).ok_or(MoneyError::Overflow)?;
    }
    let mut frac_bytes = frac.bytes();
    let mut cents: i64 = 0;
    for _ in 0..2 {
        cents = cents * 10 + frac_bytes.next().map_or(0, |b| i64::from(b - b'0'));
    }
    let round_up = frac_bytes.next().is_some_and(|b| b >= b'5');
    let mut minor =
        value.checked_mul(100).and_then(|v| v.checked_add(cents + i64::from(round_up))).ok_or(MoneyError::Overflow)?;
    if negative {
        minor = -minor;
    }
    Ok(minor)
}

/// [`parse_minor`] for an amount that is stored: at most [`MAX_AMOUNT`] either way.
pub fn parse_amount(text: &str) -> Result<Minor, MoneyError> {
    let minor = parse_minor(text)?;
    if minor.unsigned_abs() > MAX_AMOUNT.unsigned_abs() { Err(MoneyError::OutOfRange) } else { Ok(minor) }
}

/// Minor units as a JSON-friendly major-unit number (rounded to 2 decimals by construction).
pub fn to_major(minor: Minor) -> f64 {
    minor as f64 / 100.0
}

/// Minor units as the decimal text `"-12.30"`, exact (no floating point).
pub fn format_major(minor: Minor) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_strings() {
        assert_eq!(parse_minor("29.33"), Ok(2933));
        assert_eq!(parse_minor("12"), Ok(1200));
        assert_eq!(parse_minor("-3.5"), Ok(-350));
        assert_eq!(parse_minor(".5"), Ok(50));
        assert_eq!(parse_minor("1.005"), Ok(101));
        assert_eq!(parse_minor("-1.004"), Ok(-100));
        assert_eq!(parse_minor(" 0.00 "), Ok(0));
    }

    #[test]
    fn stored_amounts_are_bounded() {
        assert_eq!(parse_amount("10000000000.00"), Ok(MAX_AMOUNT));
        assert_eq!(parse_amount("-10000000000"), Ok(-MAX_AMOUNT));
        assert_eq!(parse_amount("10000000000.01"), Err(MoneyError::OutOfRange));
        assert_eq!(parse_amount("-99999999999999"), Err(MoneyError::OutOfRange));
        assert_eq!(parse_amount("99999999999999999999"), Err(MoneyError::Overflow));
    }

    #[test]
    fn rejects_what_is_not_a_decimal() {
        for bad in ["", "-", ".", "1,5", "abc", "1.2.3", "1e3", "--1"] {
            assert_eq!(parse_minor(bad), Err(MoneyError::NotDecimal), "{bad:?}");
        }
        assert_eq!(parse_minor("99999999999999999999"), Err(MoneyError::Overflow));
    }

    #[test]
    fn formats_exactly() {
        assert_eq!(format_major(2933), "29.33");
        assert_eq!(format_major(-5), "-0.05");
        assert_eq!(format_major(0), "0.00");
        assert_eq!(to_major(-1230), -12.3);
    }
}
