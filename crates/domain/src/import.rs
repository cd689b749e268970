//! Import rows (docs/data.md): the columns of each kind, and the parsing of one row's
//! cells into typed values, with a reason for every bad cell. Unknown columns become custom
//! properties. Storage is the db crate's business; this module only says what a row means.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::money::{self, Minor};

pub use vocab::ImportKind;

/// The columns of a kind of import (docs/data.md).
pub fn columns_of(kind: ImportKind) -> &'static [ColumnSpec] {
    match kind {
        ImportKind::Users => USER_COLUMNS,
        ImportKind::Companies => COMPANY_COLUMNS,
        ImportKind::Orders => ORDER_COLUMNS,
        ImportKind::Events => EVENT_COLUMNS,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Timestamp,
    Money,
    Integer,
    Boolean,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub ty: ColumnType,
    pub required: bool,
}

const fn col(name: &'static str, ty: ColumnType, required: bool) -> ColumnSpec {
    ColumnSpec { name, ty, required }
}

use ColumnType::{Boolean, Integer, Money, Text, Timestamp};

pub const USER_COLUMNS: &[ColumnSpec] = &[
    col("external_id", Text, true),
    col("email", Text, false),
    col("name", Text, false),
    col("company_id", Text, false),
    col("created_at", Timestamp, false),
    col("last_seen_at", Timestamp, false),
    col("churned_at", Timestamp, false),
    col("role", Text, false),
    col("country", Text, false),
    col("phone", Text, false),
    col("acquisition_channel", Text, false),
    col("client_type", Text, false),
    col("payment_type", Text, false),
    col("invoice_period", Text, false),
    col("complaint_reason", Text, false),
    col("email_consent", Boolean, false),
    col("sms_consent", Boolean, false),
];

pub const COMPANY_COLUMNS: &[ColumnSpec] = &[
    col("external_id", Text, true),
    col("name", Text, false),
    col("industry", Text, false),
    col("plan", Text, false),
    col("arr", Money, false),
    col("owner", Text, false),
    col("created_at", Timestamp, false),
];

pub const ORDER_COLUMNS: &[ColumnSpec] = &[
    col("order_id", Text, true),
    col("customer_id", Text, true),
    col("ordered_at", Timestamp, true),
    col("amount", Money, true),
    col("gross_amount", Money, false),
    col("quantity", Integer, false),
    col("channel", Text, false),
    col("store", Text, false),
    col("product", Text, false),
];

pub const EVENT_COLUMNS: &[ColumnSpec] =
    &[col("customer_id", Text, true), col("name", Text, true), col("occurred_at", Timestamp, true)];

/// A typed cell. `Null` is an empty cell: it clears the stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Timestamp(NaiveDateTime),
    Money(Minor),
    Integer(i64),
    Boolean(bool),
}

/// How a file's header maps onto the kind's columns.
#[derive(Debug, Clone)]
pub struct Layout {
    pub kind: ImportKind,
    /// Known columns present in the file: (position in the file, spec).
    pub columns: Vec<(usize, ColumnSpec)>,
    /// Extra columns kept as custom properties: (position, name).
    pub properties: Vec<(usize, String)>,
}

impl Layout {
    /// Builds the layout of a header; names are trimmed and matched case-insensitively.
    pub fn new(kind: ImportKind, header: &[&str]) -> Result<Layout, String> {
        let mut columns = Vec::new();
        let mut properties = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, raw) in header.iter().enumerate() {
            let name = raw.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            if name.is_empty() {
                return Err(format!("column {} has an empty name", i + 1));
            }
            if !seen.insert(name.clone()) {
                return Err(format!("column '{name}' appears twice"));
            }
            match columns_of(kind).iter().find(|c| c.name == name) {
                Some(spec) => columns.push((i, *spec)),
                None if kind.has_properties() => properties.push((i, name)),
                None => {}
            }
        }
        let missing: Vec<_> = columns_of(kind)
            .iter()
            .filter(|c| c.required && !columns.iter().any(|(_, s)| s.name == c.name))
            .map(|c| c.name)
            .collect();
        if !missing.is_empty() {
            return Err(format!("missing required column(s): {}", missing.join(", ")));
        }
        Ok(Layout { kind, columns, properties })
    }

    pub fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|(_, c)| c.name == name)
    }

    /// Index into [`ParsedRow::cells`] of a known column.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(_, c)| c.name == name)
    }
}

/// One bad cell (or a bad row when `column` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// One cell per `Layout::columns` entry, in that order.
    pub cells: Vec<Cell>,
    /// Custom properties (JSON null for an emptied cell).
    pub properties: Map<String, Value>,
}

impl ParsedRow {
    pub fn text(&self, layout: &Layout, name: &str) -> Option<&str> {
        match layout.index_of(name).map(|i| &self.cells[i]) {
            Some(Cell::Text(s)) => Some(s),
            _ => None,
        }
    }

    pub fn timestamp(&self, layout: &Layout, name: &str) -> Option<NaiveDateTime> {
        match layout.index_of(name).map(|i| &self.cells[i]) {
            Some(Cell::Timestamp(t)) => Some(*t),
            _ => None,
        }
    }
}

/// Parses one row's fields (in file order) against the layout.
pub fn parse_row(layout: &Layout, fields: &[&str]) -> Result<ParsedRow, Vec<CellError>> {
    let mut errors = Vec::new();
    let mut cells = Vec::with_capacity(layout.columns.len());
    for (pos, spec) in &layout.columns {
        let raw = fields.get(*pos).copied().unwrap_or("").trim();
        match parse_cell(spec, raw) {
            Ok(cell) => cells.push(cell),
            Err(message) => {
                errors.push(CellError { column: Some(spec.name.to_owned()), message });
                cells.push(Cell::Null);
            }
        }
    }
    let mut properties = Map::new();
    for (pos, name) in &layout.properties {
        let raw = fields.get(*pos).copied().unwrap_or("").trim();
        properties.insert(name.clone(), property_value(raw));
    }
    if errors.is_empty() { Ok(ParsedRow { cells, properties }) } else { Err(errors) }
}

fn parse_cell(spec: &ColumnSpec, raw: &str) -> Result<Cell, String> {
    if raw.is_empty() {
        return if spec.required { Err("is required".into()) } else { Ok(Cell::Null) };
    }
    match spec.ty {
        ColumnType::Text => Ok(Cell::Text(raw.to_owned())),
        ColumnType::Timestamp => parse_timestamp(raw)
            .map(Cell::Timestamp)
            .ok_or_else(|| format!("'{}' is not a date (YYYY-MM-DD or RFC 3339)", clip(raw))),
        ColumnType::Money => money::parse_amount(raw).map(Cell::Money).map_err(|e| format!("'{}' {e}", clip(raw))),
        ColumnType::Integer => {
            raw.parse::<i64>().map(Cell::Integer).map_err(|_| format!("'{}' is not a whole number", clip(raw)))
        }
        ColumnType::Boolean => parse_bool(raw)
            .map(Cell::Boolean)
            .ok_or_else(|| format!("'{}' is not a boolean (true/false, yes/no, 1/0)", clip(raw))),
    }
}

fn clip(raw: &str) -> String {
    raw.chars().take(40).collect()
}

/// `YYYY-MM-DD` (midnight UTC), RFC 3339 (converted to UTC), or `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn parse_timestamp(raw: &str) -> Option<NaiveDateTime> {
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(truncate_seconds(t.naive_utc()));
    }
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .map(truncate_seconds)
}

fn truncate_seconds(t: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    t.with_nanosecond(0).unwrap_or(t)
}

pub fn parse_bool(raw: &str) -> Option<bool> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" => Some(true),
        "false" | "f" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// A custom property's JSON value: numbers and booleans typed, empty = null, else text.
pub fn property_value(raw: &str) -> Value {
    if raw.is_empty() {
        return Value::Null;
    }
    if let Ok(i) = raw.parse::<i64>() {
        return Value::from(i);
    }
    if let Ok(f) = raw.parse::<f64>()
        && f.is_finite()
        && raw.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Value::from(f);
    }
    match raw {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => Value::String(raw.to_owned()),
    }
}

/// The property's type name for the filter catalog.
pub fn property_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::Number(_) => Some("number"),
        Value::Bool(_) => Some("boolean"),
        Value::String(_) => Some("text"),
        _ => None,
    }
}

/// A loose check that an address can receive mail: one `@`, something before it, a dot in the
/// domain, no spaces. Consent counts only with a valid address (docs/metrics.md, contacts).
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_maps_known_and_extra_columns() {
        let layout = Layout::new(ImportKind::Users, &["external_id", "Email", "plan_tier"]).unwrap();
        assert_eq!(layout.columns.len(), 2);
        assert_eq!(layout.properties, vec![(2, "plan_tier".to_owned())]);
        let err = Layout::new(ImportKind::Orders, &["order_id", "amount"]).unwrap_err();
        assert!(err.contains("customer_id") && err.contains("ordered_at"), "{err}");
        assert!(Layout::new(ImportKind::Users, &["external_id", "email", "EMAIL"]).is_err());
    }

    #[test]
    fn parses_cells_and_reports_each_bad_one() {
        let layout =
            Layout::new(ImportKind::Orders, &["order_id", "customer_id", "ordered_at", "amount", "quantity"]).unwrap();
        let row = parse_row(&layout, &["o1", "c1", "1997-01-01", "29.33", "2"]).unwrap();
        assert_eq!(row.cells[3], Cell::Money(2933));
        assert_eq!(row.cells[4], Cell::Integer(2));
        let errors = parse_row(&layout, &["o1", "", "yesterday", "1,5", "x"]).unwrap_err();
        let columns: Vec<_> = errors.iter().map(|e| e.column.clone().unwrap()).collect();
        assert_eq!(columns, ["customer_id", "ordered_at", "amount", "quantity"]);
    }

    #[test]
    fn parses_timestamps_to_utc() {
        let t = parse_timestamp("2025-03-04T10:22:00+02:00").unwrap();
        assert_eq!(t.to_string(), "2025-03-04 08:22:00");
        assert_eq!(parse_timestamp("1997-01-18").unwrap().to_string(), "1997-01-18 00:00:00");
        assert!(parse_timestamp("18/01/1997").is_none());
    }

    #[test]
    fn property_values_are_typed() {
        assert_eq!(property_value("42"), Value::from(42));
        assert_eq!(property_value("4.5"), Value::from(4.5));
        assert_eq!(property_value("true"), Value::Bool(true));
        assert_eq!(property_value("NaN"), Value::from("NaN"));
        assert_eq!(property_value(""), Value::Null);
    }

    #[test]
    fn email_validity() {
        assert!(is_valid_email("ann@example.com"));
        for bad in ["ann.example.com", "@example.com", "ann@example", "ann @x.com", "a@b@c.com"] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }
}
