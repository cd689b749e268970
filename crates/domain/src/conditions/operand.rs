//! A condition's value made ready for comparison, shared with the SQL compiler.

use super::*;

/// A condition value made ready for comparison — shared with the SQL compiler (db crate), so
/// that both read a condition's value the same way.
pub enum Operand {
    None,
    Text(String),
    Number(f64),
    /// `in` lists: strings, and integers as decimal strings (segment ids).
    Keys(Vec<String>),
    NumberRange(f64, f64),
    Dates(DateRange),
}

/// Strings as they are, integers as decimal text: how list and enum values compare.
pub(super) fn key_of(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(_) => v.as_i64().map(|i| i.to_string()),
        _ => None,
    }
}

impl Operand {
    /// The operand of a positive operator (see [`Op::positive`]); `None` when the value does
    /// not fit the operator (such a condition matches nobody).
    pub fn parse(op: Op, v: &Json, now: NaiveDateTime) -> Option<Operand> {
        Some(match op {
            Op::IsSet | Op::IsTrue if v.is_null() => Operand::None,
            Op::Eq => match v {
                Json::String(s) => Operand::Text(s.clone()),
                Json::Number(_) => Operand::Number(v.as_f64()?),
                _ => return None,
            },
            Op::Contains | Op::StartsWith | Op::EndsWith => {
                Operand::Text(v.as_str().filter(|s| !s.is_empty())?.to_string())
            }
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => Operand::Number(v.as_f64()?),
            Op::In => {
                let items = v.as_array().filter(|items| !items.is_empty())?;
                Operand::Keys(items.iter().map(key_of).collect::<Option<_>>()?)
            }
            Op::Between => {
                let [lo, hi] = pair(v).ok()?;
                match (lo.as_f64(), hi.as_f64()) {
                    (Some(lo), Some(hi)) => Operand::NumberRange(lo, hi),
                    _ => Operand::Dates(date_range(op, v, now)?),
                }
            }
            Op::Before | Op::After | Op::InLastDays => Operand::Dates(date_range(op, v, now)?),
            _ => return None,
        })
    }
}
