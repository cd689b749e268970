//! The condition tree of custom segments and filters (docs/conditions.md), as the API reads
//! and writes it and as the domain validates and the SQL compiler takes it: one type.
//!
//! A group is `{"match": "all"|"any", "conditions": [...]}`; each item is a condition
//! `{"field": KEY, "op": OP, "value": JSON}` (an object with a `field`, `op` or `value` key)
//! or a nested group. Unknown keys are rejected; a missing `match` means `all`, a missing
//! `value` means `null`. Reading a tree names the path of what is wrong
//! (`conditions[1].conditions[0].op`); what the fields and values may be is the domain's
//! validation.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use strum::{EnumString, IntoStaticStr, VariantArray};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::words;

/// How a group combines its items.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray,
)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConditionGroup {
    #[serde(rename = "match", default)]
    pub r#match: MatchKind,
    #[serde(default)]
    pub conditions: Vec<ConditionNode>,
}

/// A condition (`field`, `op`, `value`) or a nested group (`match`, `conditions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(untagged)]
pub enum ConditionNode {
    Condition(Condition),
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    Group(ConditionGroup),
}

/// One condition. `value` depends on the operator: a string, number or segment id for
/// `eq`/`ne`/comparisons; an array for `in`/`not_in`; `[from, to]` for `between`; a number of
/// days for `in_last_days`/`not_in_last_days`; dates as `YYYY-MM-DD` or RFC 3339; absent for
/// `is_set`, `is_not_set`, `is_true`, `is_false`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
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

/// A condition's operator. By field type: text `eq ne contains not_contains starts_with
/// ends_with in not_in is_set is_not_set`; number and money `eq ne gt gte lt lte between
/// is_set is_not_set`; date `before after between in_last_days not_in_last_days is_set
/// is_not_set`; boolean `is_true is_false`; enum and segment membership `eq ne in not_in
/// is_set is_not_set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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

/// Where a catalog field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FieldGroup {
    User,
    Company,
    Property,
    Behaviour,
    Score,
    Segment,
}

/// The type of a catalog field, which decides its operators and values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FieldType {
    Text,
    Number,
    Money,
    Date,
    Boolean,
    Enum,
    Segment,
}

words!(MatchKind, Op, FieldGroup, FieldType);

impl Op {
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

    /// Operators that take no value (absent or `null`): `is_set`, `is_true`, …
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

impl FieldType {
    /// The operators of docs/conditions.md for this type.
    pub fn ops(self) -> &'static [Op] {
        use Op::*;
        match self {
            FieldType::Text => &[Eq, Ne, Contains, NotContains, StartsWith, EndsWith, In, NotIn, IsSet, IsNotSet],
            FieldType::Number | FieldType::Money => &[Eq, Ne, Gt, Gte, Lt, Lte, Between, IsSet, IsNotSet],
            FieldType::Date => &[Before, After, Between, InLastDays, NotInLastDays, IsSet, IsNotSet],
            FieldType::Boolean => &[IsTrue, IsFalse],
            FieldType::Enum | FieldType::Segment => &[Eq, Ne, In, NotIn, IsSet, IsNotSet],
        }
    }
}

/// Why a tree was rejected; `path` locates the item (`conditions[2].conditions[0]`, or `""`
/// for the root group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    pub path: String,
    pub message: String,
}

impl ConditionError {
    pub fn new(path: &str, message: impl Into<String>) -> ConditionError {
        ConditionError { path: path.to_string(), message: message.into() }
    }
}

impl std::fmt::Display for ConditionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.path.is_empty() { "(root)" } else { &self.path };
        write!(f, "{at}: {}", self.message)
    }
}

impl std::error::Error for ConditionError {}

impl ConditionGroup {
    /// Reads a tree from JSON, with errors naming the path of the offending item
    /// (`conditions[1].conditions[0]`). Serde deserialisation goes through this too.
    pub fn from_json(json: &Value) -> Result<ConditionGroup, ConditionError> {
        parse_group(json, "")
    }

    /// Conditions in the tree, at every level.
    pub fn condition_count(&self) -> usize {
        self.conditions
            .iter()
            .map(|node| match node {
                ConditionNode::Group(group) => group.condition_count(),
                ConditionNode::Condition(_) => 1,
            })
            .sum()
    }

    /// Levels of groups: 1 for a flat tree.
    pub fn depth(&self) -> usize {
        1 + self
            .conditions
            .iter()
            .map(|node| match node {
                ConditionNode::Group(group) => group.depth(),
                ConditionNode::Condition(_) => 0,
            })
            .max()
            .unwrap_or(0)
    }

    /// Every condition with its path, depth first.
    pub fn walk(&self) -> Vec<(String, &Condition)> {
        fn go<'a>(group: &'a ConditionGroup, prefix: &str, out: &mut Vec<(String, &'a Condition)>) {
            for (i, node) in group.conditions.iter().enumerate() {
                let path = child_path(prefix, i);
                match node {
                    ConditionNode::Group(g) => go(g, &path, out),
                    ConditionNode::Condition(c) => out.push((path, c)),
                }
            }
        }
        let mut out = Vec::new();
        go(self, "", &mut out);
        out
    }
}

/// The path of item `i` of the group at `prefix`.
pub fn child_path(prefix: &str, i: usize) -> String {
    if prefix.is_empty() { format!("conditions[{i}]") } else { format!("{prefix}.conditions[{i}]") }
}

fn parse_group(json: &Value, path: &str) -> Result<ConditionGroup, ConditionError> {
    let Some(object) = json.as_object() else {
        return Err(ConditionError::new(path, "must be a group {\"match\": \"all\"|\"any\", \"conditions\": [...]}"));
    };
    if let Some(key) = object.keys().find(|k| *k != "match" && *k != "conditions") {
        return Err(ConditionError::new(path, format!("unknown key {key:?} in a group")));
    }
    let r#match = match object.get("match") {
        None => MatchKind::All,
        Some(m) => {
            MatchKind::deserialize(m).map_err(|_| ConditionError::new(path, "match must be \"all\" or \"any\""))?
        }
    };
    let items = match object.get("conditions") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ConditionError::new(path, "conditions must be an array")),
    };
    let conditions =
        items.iter().enumerate().map(|(i, item)| parse_node(item, &child_path(path, i))).collect::<Result<_, _>>()?;
    Ok(ConditionGroup { r#match, conditions })
}

/// The keys of a condition; an object with one of them is a condition, and may have no other.
/// Checked here rather than by `#[serde(deny_unknown_fields)]` on [`Condition`], which would
/// also write `additionalProperties: false` into the OpenAPI document and change the clients.
const CONDITION_KEYS: [&str; 3] = ["field", "op", "value"];

fn parse_node(json: &Value, path: &str) -> Result<ConditionNode, ConditionError> {
    match json.as_object() {
        Some(object) if CONDITION_KEYS.iter().any(|k| object.contains_key(*k)) => {
            if let Some(key) = object.keys().find(|k| !CONDITION_KEYS.contains(&k.as_str())) {
                let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                let message = format!("unknown field `{key}`, expected one of `field`, `op`, `value`");
                return Err(ConditionError::new(&at, message));
            }
            serde_path_to_error::deserialize(json).map(ConditionNode::Condition).map_err(|e| {
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
        Some(_) => parse_group(json, path).map(ConditionNode::Group),
        None => Err(ConditionError::new(
            path,
            "must be a condition {\"field\", \"op\", \"value\"} or a group {\"match\", \"conditions\"}",
        )),
    }
}

impl<'de> Deserialize<'de> for ConditionGroup {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ConditionGroup, D::Error> {
        let json = Value::deserialize(deserializer)?;
        ConditionGroup::from_json(&json).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for ConditionNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ConditionNode, D::Error> {
        let json = Value::deserialize(deserializer)?;
        parse_node(&json, "").map_err(D::Error::custom)
    }
}
