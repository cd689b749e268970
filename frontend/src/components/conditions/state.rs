//! The editable, reactive copy of a condition tree: values kept as text, turned into JSON of
//! the right kind only when the tree is sent.

use std::sync::atomic::{AtomicU64, Ordering};

use api_types::filters::{Condition, ConditionGroup, ConditionNode, FieldType, MatchKind, Op};
use leptos::prelude::*;
use serde_json::Value;

use super::catalog::*;

pub(super) fn next_key() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

pub(super) fn number(text: &str) -> Value {
    let t = text.trim();
    if let Ok(i) = t.parse::<i64>() {
        return i.into();
    }
    t.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        // Sent as typed: the server names the condition whose value is not a number.
        .unwrap_or_else(|| Value::String(t.to_owned()))
}

pub(super) fn scalar(ty: FieldType, text: &str) -> Value {
    match ty {
        FieldType::Number | FieldType::Money => number(text),
        FieldType::Segment => {
            text.trim().parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(text.trim().to_owned()))
        }
        FieldType::Date => Value::String(text.trim().to_owned()),
        _ => Value::String(text.to_owned()),
    }
}

/// One condition being edited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CondState {
    pub key: u64,
    pub field: RwSignal<String>,
    /// `None` until one is chosen.
    pub op: RwSignal<Option<Op>>,
    /// The value, or the first bound of `between`, or a comma-separated list of text values.
    pub v1: RwSignal<String>,
    /// The second bound of `between`.
    pub v2: RwSignal<String>,
    /// The picked values of `in`/`not_in` on enum and segment fields.
    pub list: RwSignal<Vec<String>>,
}

impl CondState {
    pub fn empty() -> Self {
        CondState {
            key: next_key(),
            field: RwSignal::new(String::new()),
            op: RwSignal::new(None),
            v1: RwSignal::new(String::new()),
            v2: RwSignal::new(String::new()),
            list: RwSignal::new(Vec::new()),
        }
    }

    pub fn from_api(c: &Condition, cat: &Catalog) -> Self {
        let s = CondState::empty();
        s.field.set(c.field.clone());
        s.op.set(Some(c.op));
        let items: Vec<String> = match &c.value {
            Value::Array(items) => items.iter().map(as_text).collect(),
            _ => Vec::new(),
        };
        if c.op.takes_list() {
            if cat.picks(&c.field) {
                s.list.set(items);
            } else {
                s.v1.set(items.join(", "));
            }
        } else if c.op == Op::Between {
            s.v1.set(items.first().cloned().unwrap_or_default());
            s.v2.set(items.get(1).cloned().unwrap_or_default());
        } else {
            s.v1.set(as_text(&c.value));
        }
        s
    }

    /// The condition as the API takes it (reads the signals: tracked); `None` while its
    /// operator is not chosen.
    pub fn to_api(&self, cat: &Catalog) -> Option<Condition> {
        let field = self.field.get();
        let op = self.op.get()?;
        let ty = cat.type_of(&field);
        let v1 = self.v1.get();
        let value = if op.takes_no_value() {
            Value::Null
        } else if op.takes_list() {
            let items: Vec<Value> = if cat.picks(&field) {
                self.list.get().iter().map(|v| scalar(ty, v)).collect()
            } else {
                v1.split(',').map(str::trim).filter(|v| !v.is_empty()).map(|v| scalar(ty, v)).collect()
            };
            Value::Array(items)
        } else if op == Op::Between {
            Value::Array(vec![scalar(ty, &v1), scalar(ty, &self.v2.get())])
        } else if op.takes_days() {
            number(&v1)
        } else {
            scalar(ty, &v1)
        };
        Some(Condition { field, op, value })
    }

    /// Field, operator and value(s) are all filled in (tracked).
    pub fn is_complete(&self, cat: &Catalog) -> bool {
        let field = self.field.get();
        let Some(op) = self.op.get() else { return false };
        if field.is_empty() {
            return false;
        }
        let filled = |s: RwSignal<String>| s.with(|v| !v.trim().is_empty());
        if op.takes_no_value() {
            true
        } else if op.takes_list() {
            if cat.picks(&field) {
                self.list.with(|l| !l.is_empty())
            } else {
                self.v1.with(|v| v.split(',').any(|x| !x.trim().is_empty()))
            }
        } else if op == Op::Between {
            filled(self.v1) && filled(self.v2)
        } else {
            filled(self.v1)
        }
    }
}

/// A group being edited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupState {
    pub key: u64,
    pub match_: RwSignal<MatchKind>,
    pub items: RwSignal<Vec<NodeState>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeState {
    Cond(CondState),
    Group(GroupState),
}

impl NodeState {
    pub(super) fn key(&self) -> u64 {
        match self {
            NodeState::Cond(c) => c.key,
            NodeState::Group(g) => g.key,
        }
    }
}

impl GroupState {
    pub fn new(match_: MatchKind, items: Vec<NodeState>) -> Self {
        GroupState { key: next_key(), match_: RwSignal::new(match_), items: RwSignal::new(items) }
    }

    pub fn from_api(g: &ConditionGroup, cat: &Catalog) -> Self {
        let items = g
            .conditions
            .iter()
            .map(|n| match n {
                ConditionNode::Condition(c) => NodeState::Cond(CondState::from_api(c, cat)),
                ConditionNode::Group(g) => NodeState::Group(GroupState::from_api(g, cat)),
            })
            .collect();
        GroupState::new(g.r#match, items)
    }

    /// The tree as the API takes it (tracked), without the conditions whose operator is not
    /// chosen yet (the tree is not complete then, and is neither previewed nor saved).
    pub fn to_api(&self, cat: &Catalog) -> ConditionGroup {
        ConditionGroup {
            r#match: self.match_.get(),
            conditions: self
                .items
                .get()
                .iter()
                .filter_map(|n| match n {
                    NodeState::Cond(c) => c.to_api(cat).map(ConditionNode::Condition),
                    NodeState::Group(g) => Some(ConditionNode::Group(g.to_api(cat))),
                })
                .collect(),
        }
    }

    /// Conditions at every level (tracked).
    pub fn count(&self) -> usize {
        self.items.with(|items| {
            items
                .iter()
                .map(|n| match n {
                    NodeState::Cond(_) => 1,
                    NodeState::Group(g) => g.count(),
                })
                .sum()
        })
    }

    /// Paths of the conditions without a field, under the group at `prefix` (untracked).
    pub fn unfinished(&self, prefix: &str) -> Vec<String> {
        self.items.with_untracked(|items| {
            items
                .iter()
                .enumerate()
                .flat_map(|(i, n)| {
                    let path = child_path(prefix, i);
                    match n {
                        NodeState::Cond(c) if c.field.with_untracked(String::is_empty) => vec![path],
                        NodeState::Cond(_) => Vec::new(),
                        NodeState::Group(g) => g.unfinished(&path),
                    }
                })
                .collect()
        })
    }

    /// Every condition is filled in (tracked).
    pub fn is_complete(&self, cat: &Catalog) -> bool {
        self.items.get().iter().all(|n| match n {
            NodeState::Cond(c) => c.is_complete(cat),
            NodeState::Group(g) => g.is_complete(cat),
        })
    }
}

/// The API's path of item `i` of the group at `prefix` (`""` is the root).
pub fn child_path(prefix: &str, i: usize) -> String {
    if prefix.is_empty() { format!("conditions[{i}]") } else { format!("{prefix}.conditions[{i}]") }
}
