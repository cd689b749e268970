//! The filter catalog in the browser (fields by key, operators by type) and the one-line
//! description of a condition for filter chips.

use std::sync::Arc;

use api_types::filters::{Condition, ConditionNode, FieldGroup, FieldType, FilterCatalog, FilterField, MatchKind, Op};
use serde_json::Value;

/// The filter catalog indexed by field key; cheap to clone.
#[derive(Clone)]
pub struct Catalog(pub(super) Arc<CatalogInner>);

impl PartialEq for Catalog {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

pub(super) struct CatalogInner {
    pub(super) fields: Vec<FilterField>,
    pub(super) max_depth: usize,
    pub(super) max_conditions: usize,
}

/// A field group's heading in the field picker (which lists the groups in `FieldGroup::ALL` order).
pub(super) fn group_label(group: FieldGroup) -> &'static str {
    match group {
        FieldGroup::User => "User",
        FieldGroup::Company => "Company",
        FieldGroup::Property => "Custom properties",
        FieldGroup::Behaviour => "Behaviour",
        FieldGroup::Score => "Scores and RFM",
        FieldGroup::Segment => "Segments",
    }
}

impl Catalog {
    pub fn new(c: &FilterCatalog) -> Self {
        Catalog(Arc::new(CatalogInner {
            fields: c.fields.clone(),
            max_depth: c.max_depth.max(1) as usize,
            max_conditions: c.max_conditions.max(1) as usize,
        }))
    }

    /// A field by key (a scan: a few hundred fields at most, and a map's hashing code is not
    /// worth its size in the app).
    pub fn field(&self, key: &str) -> Option<&FilterField> {
        self.0.fields.iter().find(|f| f.key == key)
    }

    pub fn max_depth(&self) -> usize {
        self.0.max_depth
    }

    pub fn max_conditions(&self) -> usize {
        self.0.max_conditions
    }

    pub(super) fn type_of(&self, key: &str) -> FieldType {
        self.field(key).map_or(FieldType::Text, |f| f.type_)
    }

    /// Whether the field's value is picked from its listed values (enum, segment).
    pub(super) fn picks(&self, key: &str) -> bool {
        self.field(key).is_some_and(|f| matches!(f.type_, FieldType::Enum | FieldType::Segment) && f.values.is_some())
    }

    /// The display label of one of a field's values.
    pub fn value_label(&self, key: &str, value: &str) -> String {
        self.field(key)
            .and_then(|f| {
                let i = f.values.as_ref()?.iter().position(|v| v == value)?;
                f.value_labels.as_ref()?.get(i).cloned()
            })
            .unwrap_or_else(|| value.to_owned())
    }
}

pub fn op_label(op: Op) -> &'static str {
    match op {
        Op::Eq => "is",
        Op::Ne => "is not",
        Op::Contains => "contains",
        Op::NotContains => "does not contain",
        Op::StartsWith => "starts with",
        Op::EndsWith => "ends with",
        Op::In => "is one of",
        Op::NotIn => "is none of",
        Op::IsSet => "is set",
        Op::IsNotSet => "is not set",
        Op::Gt => "is more than",
        Op::Gte => "is at least",
        Op::Lt => "is less than",
        Op::Lte => "is at most",
        Op::Between => "is between",
        Op::Before => "is before",
        Op::After => "is after",
        Op::InLastDays => "in the last",
        Op::NotInLastDays => "not in the last",
        Op::IsTrue => "is true",
        Op::IsFalse => "is false",
    }
}

/// A JSON value as the text an input shows.
pub(super) fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// One line for a condition: `Country is one of NL, BE`, `Last seen at in the last 30 days`.
pub fn describe(c: &Condition, cat: &Catalog) -> String {
    let label = cat.field(&c.field).map(|f| f.label.clone()).unwrap_or_else(|| c.field.clone());
    let value = |v: &Value| cat.value_label(&c.field, &as_text(v));
    let shown = match &c.value {
        Value::Null => String::new(),
        Value::Array(items) => {
            let sep = if c.op == Op::Between { " and " } else { ", " };
            items.iter().map(value).collect::<Vec<_>>().join(sep)
        }
        v => value(v),
    };
    let days = if c.op.takes_days() { " days" } else { "" };
    format!("{label} {} {shown}{days}", op_label(c.op)).trim_end().to_owned()
}

/// One line for a node of a tree.
pub fn describe_node(n: &ConditionNode, cat: &Catalog) -> String {
    match n {
        ConditionNode::Condition(c) => describe(c, cat),
        ConditionNode::Group(g) => {
            let parts: Vec<String> = g.conditions.iter().map(|n| describe_node(n, cat)).collect();
            let sep = match g.r#match {
                MatchKind::All => " and ",
                MatchKind::Any => " or ",
            };
            format!("({})", parts.join(sep))
        }
    }
}
