//! The reference evaluator (feature `test-support`): what a tree selects, record by record,
//! which the SQL compiler is checked against.

use super::*;

// ---------------------------------------------------------------------------------------
// Evaluation

/// A field's value for one user, as the record supplies it to [`evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// Numbers; money in major units.
    Number(f64),
    /// UTC.
    Date(NaiveDateTime),
    Bool(bool),
    /// `behaviour.product` (product names) and `segment` (segment ids as decimal strings).
    List(Vec<String>),
}

/// Whether the record matches the tree; see the module doc for the rules.
pub fn evaluate(tree: &ConditionGroup, record: &impl Fn(&FieldRef) -> Option<Value>, now: NaiveDateTime) -> bool {
    tree.conditions.is_empty() || evaluate_group(tree, record, now)
}

pub(super) fn evaluate_group(
    group: &ConditionGroup,
    record: &impl Fn(&FieldRef) -> Option<Value>,
    now: NaiveDateTime,
) -> bool {
    let holds = |node: &ConditionNode| match node {
        ConditionNode::Group(g) => evaluate_group(g, record, now),
        ConditionNode::Condition(c) => evaluate_condition(c, record, now),
    };
    match group.r#match {
        MatchKind::All => group.conditions.iter().all(holds),
        MatchKind::Any => group.conditions.iter().any(holds),
    }
}

/// One condition against one record (the module doc's rules; malformed conditions are
/// false).
pub fn evaluate_condition(c: &Condition, record: &impl Fn(&FieldRef) -> Option<Value>, now: NaiveDateTime) -> bool {
    let (op, negated) = c.op.positive();
    let Some(field) = FieldRef::parse(&c.field) else {
        return false;
    };
    let Some(operand) = Operand::parse(op, &c.value, now) else {
        return false;
    };
    let holds = record(&field).is_some_and(|value| test(op, &operand, &value, field.is_money()));
    holds != negated
}

/// A positive operator against a present value.
pub(super) fn test(op: Op, operand: &Operand, value: &Value, money: bool) -> bool {
    let cmp = |a: f64, b: f64| -> Option<std::cmp::Ordering> {
        if money { Some(money_to_minor(a).cmp(&money_to_minor(b))) } else { a.partial_cmp(&b) }
    };
    use std::cmp::Ordering::*;
    match (op, operand, value) {
        (Op::IsSet, _, Value::List(items)) => !items.is_empty(),
        (Op::IsSet, _, Value::Number(n)) => n.is_finite(),
        (Op::IsSet, _, _) => true,
        (Op::IsTrue, _, Value::Bool(b)) => *b,
        (Op::Eq, Operand::Text(x), Value::Text(s)) => s == x,
        (Op::Eq, Operand::Text(x), Value::List(items)) => items.contains(x),
        (Op::Eq, Operand::Number(x), Value::Number(n)) => cmp(*n, *x) == Some(Equal),
        (Op::Eq, Operand::Number(x), Value::List(items)) => {
            x.fract() == 0.0 && items.iter().any(|item| item.parse::<f64>().ok() == Some(*x))
        }
        (Op::Contains, Operand::Text(x), Value::Text(s)) => s.to_ascii_lowercase().contains(&x.to_ascii_lowercase()),
        (Op::StartsWith, Operand::Text(x), Value::Text(s)) => {
            s.to_ascii_lowercase().starts_with(&x.to_ascii_lowercase())
        }
        (Op::EndsWith, Operand::Text(x), Value::Text(s)) => s.to_ascii_lowercase().ends_with(&x.to_ascii_lowercase()),
        (Op::In, Operand::Keys(keys), Value::Text(s)) => keys.contains(s),
        (Op::In, Operand::Keys(keys), Value::List(items)) => items.iter().any(|item| keys.contains(item)),
        (Op::Gt, Operand::Number(x), Value::Number(n)) => cmp(*n, *x) == Some(Greater),
        (Op::Gte, Operand::Number(x), Value::Number(n)) => {
            matches!(cmp(*n, *x), Some(Greater | Equal))
        }
        (Op::Lt, Operand::Number(x), Value::Number(n)) => cmp(*n, *x) == Some(Less),
        (Op::Lte, Operand::Number(x), Value::Number(n)) => {
            matches!(cmp(*n, *x), Some(Less | Equal))
        }
        (Op::Between, Operand::NumberRange(lo, hi), Value::Number(n)) => {
            matches!(cmp(*n, *lo), Some(Greater | Equal)) && matches!(cmp(*n, *hi), Some(Less | Equal))
        }
        (_, Operand::Dates(range), Value::Date(t)) => range.contains(*t),
        _ => false,
    }
}
