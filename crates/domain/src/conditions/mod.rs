//! Condition trees of custom segments and filters (docs/conditions.md): their JSON shape,
//! the field catalog, validation, and an in-memory evaluation that is the reference for the
//! SQL compiler in `db` (a property test compares the two).
//!
//! # Shape
//! A group is `{"match": "all"|"any", "conditions": [...]}`; each item is a condition
//! `{"field": KEY, "op": OP, "value": JSON}` (an object with a `field`, `op` or `value` key)
//! or a nested group.
//! Unknown keys are rejected; a missing `match` means `all`, a missing `value` means `null`.
//!
//! # Limits
//! Groups nest at most [`MAX_DEPTH`] = 5 levels (the root is level 1), a tree holds at most
//! [`MAX_CONDITIONS`] = 100 conditions (groups not counted), `in`/`not_in` lists at most
//! [`MAX_LIST`] values. Only the root group may be empty; an empty root matches everyone
//! whatever its `match`.
//!
//! # Semantics of evaluation
//! The record supplies each field's value or `None` (NULL). A value of the wrong kind for
//! the field (e.g. a text where a number is expected) counts as `None`.
//!
//! - **NULL.** Every operator is either *positive* or the negation of one:
//!   `ne = ¬eq`, `not_contains = ¬contains`, `not_in = ¬in`, `not_in_last_days =
//!   ¬in_last_days`, `is_false = ¬is_true`, `is_not_set = ¬is_set` ([`Op::positive`]).
//!   A positive operator is false on NULL; its negation is therefore true on NULL.
//!   In SQL: `negative = NOT COALESCE(positive, FALSE)`.
//! - **Text.** `eq`, `ne`, `in`, `not_in` compare exactly (case-sensitive, no trimming).
//!   `contains`, `starts_with`, `ends_with` fold ASCII letters only (`A`–`Z` ≡ `a`–`z`; `É`
//!   and `é` differ), with no wildcards: `%` and `_` are literal characters. `is_set` is
//!   "not NULL" (an empty string is set).
//! - **Numbers** compare as `f64`; `between [lo, hi]` is inclusive at both ends.
//! - **Money** values are major units on both sides (the record supplies major units too)
//!   and compare after rounding each side to whole minor units, half away from zero on the
//!   number's decimal form ([`money_to_minor`]: `12.345` → 1235); in SQL compare the stored
//!   minor-unit integer with `money_to_minor(value)`.
//! - **Dates.** Condition values are `YYYY-MM-DD` (a whole UTC day) or RFC 3339 (an instant,
//!   converted to UTC, fractions of a second dropped); record values are UTC and compared as
//!   they are. `before D` = earlier than the start of D; `after D` = later than D (a day:
//!   from the next midnight on; an instant: strictly later); `between [A, B]` = from the start
//!   of A to the end of B inclusive (a day B: until the next midnight, exclusive);
//!   `in_last_days N` = from `now − N×24h` to `now`, both inclusive. [`date_range`] gives the
//!   exact bounds to render in SQL.
//! - **Booleans.** `is_true` = true; `is_false` = false or NULL.
//! - **Lists** (`behaviour.product`: the distinct products of the user's purchases;
//!   `segment`: the ids of the custom segments the user belongs to, as decimal strings):
//!   `eq x` = x is in the list, `in [..]` = the lists share a value, `is_set` = the list is
//!   not empty; NULL is the empty list. Segment ids in conditions are JSON integers.
//! - **Groups.** `all` is true when every item is (an empty `all` is true), `any` when one is
//!   (an empty `any` is false), except the empty root, which matches everyone.
//! - [`evaluate`] expects a validated tree. A condition whose value does not fit its
//!   operator (e.g. `between` without two bounds) or whose field key does not parse matches
//!   nobody, whatever its operator.
//!
//! # What the record supplies (the lead's SQL must agree)
//! Counts and sums of behaviour are never NULL (0 when nothing happened).
//! `behaviour.purchases_total` / `revenue_total`: all the user's purchases (amount > 0) /
//! all amounts (refunds netted). `behaviour.purchases_last_Nd` / `revenue_last_Nd` /
//! `events.X.count_last_Nd`: the same over `ordered_at`/`occurred_at` in `[now − N days,
//! now]`. `first_purchase_at` / `last_purchase_at`: NULL without purchases.
//! `user.activity`: `churned` when `churned_at` is set, else `online` when `last_seen_at` is
//! within the workspace's activity window, else `offline`. `user.engagement_label`: from the
//! engagement score ([`crate::scores::EngagementLabel`]), NULL when unscored.
//! `user.preferred_purchase_day`: `monday`…`sunday`, NULL without purchases. `rfm.segment`:
//! the segment key, NULL when unscored.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Timelike};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value as Json;

use crate::metrics::WorkspaceKind;
use crate::money::Minor;
use crate::rfm::RfmSegment;
use crate::scores::{EngagementLabel, MAX_DAYS};

pub use crate::scores::ScoreKind;

/// Groups nest at most this many levels; the root group is level 1.
pub const MAX_DEPTH: usize = 5;
/// Conditions (leaves, not groups) in one tree.
pub const MAX_CONDITIONS: usize = 100;
/// Values in one `in`/`not_in` list.
pub const MAX_LIST: usize = 1000;
/// The largest `N` of `in_last_days` and of `behaviour.*_last_<N>d` fields.
pub const MAX_WINDOW_DAYS: u32 = MAX_DAYS;
/// The windows the catalog lists for behaviour fields (any 1..=3650 is accepted).
pub const CATALOG_WINDOWS: [u32; 3] = [30, 90, 365];

// ---------------------------------------------------------------------------------------
// Shape

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    #[default]
    All,
    Any,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Group {
    pub r#match: Match,
    pub conditions: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Node {
    Group(Group),
    Condition(Condition),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    #[serde(default, skip_serializing_if = "Json::is_null")]
    pub value: Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    In,
    NotIn,
    IsSet,
    IsNotSet,
    Gt,
    Gte,
    Lt,
    Lte,
    Between,
    Before,
    After,
    InLastDays,
    NotInLastDays,
    IsTrue,
    IsFalse,
}

impl Op {
    pub const ALL: [Op; 21] = [
        Op::Eq,
        Op::Ne,
        Op::Contains,
        Op::NotContains,
        Op::StartsWith,
        Op::EndsWith,
        Op::In,
        Op::NotIn,
        Op::IsSet,
        Op::IsNotSet,
        Op::Gt,
        Op::Gte,
        Op::Lt,
        Op::Lte,
        Op::Between,
        Op::Before,
        Op::After,
        Op::InLastDays,
        Op::NotInLastDays,
        Op::IsTrue,
        Op::IsFalse,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Contains => "contains",
            Op::NotContains => "not_contains",
            Op::StartsWith => "starts_with",
            Op::EndsWith => "ends_with",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::IsSet => "is_set",
            Op::IsNotSet => "is_not_set",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::Between => "between",
            Op::Before => "before",
            Op::After => "after",
            Op::InLastDays => "in_last_days",
            Op::NotInLastDays => "not_in_last_days",
            Op::IsTrue => "is_true",
            Op::IsFalse => "is_false",
        }
    }

    /// The positive operator this one is, and whether it is negated: `ne` is `(eq, true)`,
    /// `gt` is `(gt, false)`. A negated operator is exactly `¬positive`, so true on NULL.
    pub fn positive(self) -> (Op, bool) {
        match self {
            Op::Ne => (Op::Eq, true),
            Op::NotContains => (Op::Contains, true),
            Op::NotIn => (Op::In, true),
            Op::NotInLastDays => (Op::InLastDays, true),
            Op::IsFalse => (Op::IsTrue, true),
            Op::IsNotSet => (Op::IsSet, true),
            op => (op, false),
        }
    }

    /// Operators that take no value (absent or `null`).
    pub fn takes_no_value(self) -> bool {
        matches!(self, Op::IsSet | Op::IsNotSet | Op::IsTrue | Op::IsFalse)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Group {
    /// The empty root: matches everyone.
    pub fn everyone() -> Group {
        Group::default()
    }

    /// The members of an RFM segment, `rfm.segment eq <key>`: the conditions the API shows for
    /// the segment and the tree its lists and metrics read.
    pub fn rfm_segment(segment: RfmSegment) -> Group {
        let condition = Condition { field: "rfm.segment".into(), op: Op::Eq, value: Json::from(segment.key()) };
        Group { r#match: Match::All, conditions: vec![Node::Condition(condition)] }
    }

    /// Parses a tree from JSON, with errors naming the path of the offending item
    /// (`conditions[1].conditions[0]`). Serde deserialisation goes through this too.
    pub fn from_json(json: &Json) -> Result<Group, ConditionError> {
        parse_group(json, "")
    }

    /// Conditions in the tree, at every level.
    pub fn condition_count(&self) -> usize {
        self.conditions
            .iter()
            .map(|node| match node {
                Node::Group(group) => group.condition_count(),
                Node::Condition(_) => 1,
            })
            .sum()
    }

    /// Levels of groups: 1 for a flat tree.
    pub fn depth(&self) -> usize {
        1 + self
            .conditions
            .iter()
            .map(|node| match node {
                Node::Group(group) => group.depth(),
                Node::Condition(_) => 0,
            })
            .max()
            .unwrap_or(0)
    }

    /// Every condition with its path, depth first.
    pub fn walk(&self) -> Vec<(String, &Condition)> {
        fn go<'a>(group: &'a Group, prefix: &str, out: &mut Vec<(String, &'a Condition)>) {
            for (i, node) in group.conditions.iter().enumerate() {
                let path = child_path(prefix, i);
                match node {
                    Node::Group(g) => go(g, &path, out),
                    Node::Condition(c) => out.push((path, c)),
                }
            }
        }
        let mut out = Vec::new();
        go(self, "", &mut out);
        out
    }
}

fn child_path(prefix: &str, i: usize) -> String {
    if prefix.is_empty() { format!("conditions[{i}]") } else { format!("{prefix}.conditions[{i}]") }
}

fn parse_group(json: &Json, path: &str) -> Result<Group, ConditionError> {
    let Some(object) = json.as_object() else {
        return Err(ConditionError::new(path, "must be a group {\"match\": \"all\"|\"any\", \"conditions\": [...]}"));
    };
    if let Some(key) = object.keys().find(|k| *k != "match" && *k != "conditions") {
        return Err(ConditionError::new(path, format!("unknown key {key:?} in a group")));
    }
    let r#match = match object.get("match") {
        None => Match::All,
        Some(m) => Match::deserialize(m).map_err(|_| ConditionError::new(path, "match must be \"all\" or \"any\""))?,
    };
    let items = match object.get("conditions") {
        None | Some(Json::Null) => &Vec::new(),
        Some(Json::Array(items)) => items,
        Some(_) => return Err(ConditionError::new(path, "conditions must be an array")),
    };
    let conditions =
        items.iter().enumerate().map(|(i, item)| parse_node(item, &child_path(path, i))).collect::<Result<_, _>>()?;
    Ok(Group { r#match, conditions })
}

fn parse_node(json: &Json, path: &str) -> Result<Node, ConditionError> {
    match json.as_object() {
        Some(object) if ["field", "op", "value"].iter().any(|k| object.contains_key(*k)) => {
            serde_path_to_error::deserialize(json).map(Node::Condition).map_err(|e| {
                // the value within the condition, as in `conditions[1].op`
                let within = e.path().to_string();
                let at = match (path, within.as_str()) {
                    (path, ".") => path.to_owned(),
                    ("", within) => within.to_owned(),
                    (path, within) => format!("{path}.{within}"),
                };
                ConditionError::new(&at, e.into_inner().to_string())
            })
        }
        Some(_) => parse_group(json, path).map(Node::Group),
        None => Err(ConditionError::new(
            path,
            "must be a condition {\"field\", \"op\", \"value\"} or a group {\"match\", \"conditions\"}",
        )),
    }
}

impl<'de> Deserialize<'de> for Group {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Group, D::Error> {
        let json = Json::deserialize(deserializer)?;
        Group::from_json(&json).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        let json = Json::deserialize(deserializer)?;
        parse_node(&json, "").map_err(D::Error::custom)
    }
}

mod catalog;
mod dates;
#[cfg(any(test, feature = "test-support"))]
mod eval;
mod fields;
mod operand;
#[cfg(test)]
mod tests;
mod validate;

pub use catalog::*;
pub use dates::*;
#[cfg(any(test, feature = "test-support"))]
pub use eval::*;
pub use fields::*;
pub use operand::*;
pub use validate::*;
