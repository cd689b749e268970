//! Condition trees, the filter catalog (`GET /filters`) and custom filters.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// How a group combines its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Every item holds (an empty nested `all` holds).
    #[default]
    All,
    /// At least one item holds (an empty nested `any` does not).
    Any,
}

/// A group of conditions and nested groups. The root group may be empty: it matches every
/// user. Groups nest at most `max_depth` levels (the root is level 1) and a tree holds at
/// most `max_conditions` conditions (see the catalog).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ConditionGroup {
    #[serde(rename = "match", default)]
    pub match_: MatchKind,
    #[serde(default)]
    pub conditions: Vec<ConditionNode>,
}

/// A condition (`field`, `op`, `value`) or a nested group (`match`, `conditions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ConditionNode {
    Condition(Condition),
    #[schema(no_recursion)]
    Group(ConditionGroup),
}

/// One condition. `value` depends on the operator: a string, number or segment id for
/// `eq`/`ne`/comparisons; an array for `in`/`not_in`; `[from, to]` for `between`; a number of
/// days for `in_last_days`/`not_in_last_days`; dates as `YYYY-MM-DD` or RFC 3339; absent for
/// `is_set`, `is_not_set`, `is_true`, `is_false`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Condition {
    /// A field key of the catalog, e.g. `user.country`, `company.arr`,
    /// `behaviour.purchases_last_90d`, `behaviour.events.login.count_last_30d`,
    /// `user.properties.plan_tier`, `rfm.segment`, `score.health`, `segment`.
    pub field: String,
    /// Which operators fit which field type: the catalog's `operators` of the field.
    pub op: Op,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub value: Value,
}

/// A field conditions may use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilterField {
    pub key: String,
    pub label: String,
    #[schema(value_type = FieldGroup)]
    pub group: String,
    #[serde(rename = "type")]
    #[schema(value_type = FieldType)]
    pub type_: String,
    /// The operators that apply to the field's type.
    pub operators: Vec<Op>,
    /// For `enum` and `segment` fields: the values accepted (segment ids as text). For
    /// `text` fields: values seen in the data, as suggestions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Display labels of `values` (segment names, RFM segment names with their symbols).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_labels: Option<Vec<String>>,
}

/// `GET /filters`: the default filters (every field) and the workspace's custom filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilterCatalog {
    pub fields: Vec<FilterField>,
    pub custom_filters: Vec<CustomFilter>,
    /// Levels of nested groups allowed, the root included.
    pub max_depth: u32,
    /// Conditions allowed in one tree.
    pub max_conditions: u32,
    /// Behaviour windows the catalog lists; any number of days from 1 to
    /// `max_window_days` works in a field key (`behaviour.purchases_last_14d`).
    pub windows: Vec<u32>,
    pub max_window_days: u32,
}

/// A saved, named condition tree offered in the Users page's filter menu.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomFilter {
    pub id: i64,
    pub name: String,
    pub conditions: ConditionGroup,
    /// The operator who created it.
    pub owner_id: Option<i64>,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

/// Create (name and conditions required) or change (absent fields stay) a custom filter.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "German customers", "conditions": {"match": "all", "conditions": [{"field": "user.country", "op": "eq", "value": "DE"}]}}))]
pub struct CustomFilterInput {
    pub name: Option<String>,
    /// The tree; validated against the catalog (422 naming the bad condition's path).
    #[schema(value_type = Option<ConditionGroup>)]
    pub conditions: Option<Value>,
}

/// A condition's operator. By field type: text `eq ne contains not_contains starts_with
/// ends_with in not_in is_set is_not_set`; number and money `eq ne gt gte lt lte between
/// is_set is_not_set`; date `before after between in_last_days not_in_last_days is_set
/// is_not_set`; boolean `is_true is_false`; enum and segment membership `eq ne in not_in
/// is_set is_not_set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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

    /// Its name on the wire (`in_last_days`).
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

    pub fn parse(key: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.key() == key)
    }

    /// Operators that take no value (`is_set`, `is_true`, …).
    pub fn takes_no_value(self) -> bool {
        matches!(self, Op::IsSet | Op::IsNotSet | Op::IsTrue | Op::IsFalse)
    }

    /// Operators whose value is a list (`in`, `not_in`).
    pub fn takes_list(self) -> bool {
        matches!(self, Op::In | Op::NotIn)
    }

    /// Operators whose value is a number of days (`in_last_days`, `not_in_last_days`).
    pub fn takes_days(self) -> bool {
        matches!(self, Op::InLastDays | Op::NotInLastDays)
    }
}

/// Where a catalog field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldGroup {
    User,
    Company,
    Property,
    Behaviour,
    Score,
    Segment,
}

/// The type of a catalog field, which decides its operators and values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Number,
    Money,
    Date,
    Boolean,
    Enum,
    Segment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operator_key_is_its_name_on_the_wire() {
        for op in Op::ALL {
            assert_eq!(serde_json::to_value(op).unwrap(), op.key());
            assert_eq!(Op::parse(op.key()), Some(op));
        }
        assert_eq!(Op::parse("like"), None);
    }
}
