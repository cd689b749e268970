//! Condition trees, the filter catalog (`GET /filters`) and custom filters.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

pub use vocab::{Condition, ConditionGroup, ConditionNode, FieldGroup, FieldType, MatchKind, Op};

/// A field conditions may use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilterField {
    pub key: String,
    pub label: String,
    pub group: FieldGroup,
    #[serde(rename = "type")]
    pub type_: FieldType,
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
