//! Conditions and groups compiled: each operator on its field's value, negations true on NULL.

use chrono::NaiveDateTime;
use domain::conditions::{Condition, ConditionGroup, ConditionNode, FieldRef, MatchKind, Op, Operand, money_to_minor};
use std::ops::Bound;

use super::env::*;
use super::expr::*;
use super::fields::*;
use crate::sql::{Dialect, Param, Query};

pub(super) fn group(g: &ConditionGroup, env: &Env<'_>) -> Expr {
    let items = g
        .conditions
        .iter()
        .map(|node| match node {
            ConditionNode::Group(inner) => group(inner, env),
            ConditionNode::Condition(c) => condition(c, env),
        })
        .collect();
    Expr::combine(g.r#match == MatchKind::All, items)
}

pub(super) fn condition(c: &Condition, env: &Env<'_>) -> Expr {
    let (op, negated) = c.op.positive();
    let Some(field) = FieldRef::parse(&c.field) else {
        return Expr::Const(false);
    };
    let Some(operand) = Operand::parse(op, &c.value, env.now) else {
        return Expr::Const(false);
    };
    let source = source(&field, env);
    let cost = cost(&source);
    let positive = positive(op, &operand, source, env.dialect);
    if let (FieldRef::Company(_) | FieldRef::CompanyProperty(_), Positive::Sql(q)) = (&field, &positive) {
        let company = Expr::Company(env.workspace_id, q.clone());
        if !negated {
            return company;
        }
        let mut n = Query::new("NOT COALESCE(");
        company.render(&mut n);
        n.push(", FALSE)");
        return Expr::Sql(n, COMPANY_COST);
    }
    match positive {
        Positive::Const(b) => Expr::Const(b != negated),
        Positive::Sql(q) if negated => {
            let mut n = Query::new("NOT COALESCE(");
            n.append(q).push(", FALSE)");
            Expr::Sql(n, cost)
        }
        Positive::Sql(q) => Expr::Sql(q, cost),
        // Exists and its negation are never NULL.
        Positive::Exists(q, exists) => {
            let mut e =
                Query::new(if exists != negated { "EXISTS (SELECT 1 FROM " } else { "NOT EXISTS (SELECT 1 FROM " });
            e.append(q).push(")");
            Expr::Sql(e, cost)
        }
    }
}

/// A positive operator on a source: a constant (the combination never holds), a predicate
/// that may be NULL, or `[NOT] EXISTS (SELECT 1 FROM <from_where>)`.
pub(super) enum Positive {
    Const(bool),
    Sql(Query),
    Exists(Query, bool),
}

pub(super) fn wrap(parts: impl FnOnce(&mut Query)) -> Positive {
    let mut q = Query::new("(");
    parts(&mut q);
    q.push(")");
    Positive::Sql(q)
}

pub(super) fn compare(v: Query, sql_op: &str, p: Param) -> Positive {
    wrap(|q| {
        q.append(v).push(" ").push(sql_op).push(" ").bind(p);
    })
}

pub(super) fn range(v: Query, lo: Bound<Param>, hi: Bound<Param>) -> Positive {
    let mut parts: Vec<(&str, Param)> = Vec::new();
    match lo {
        Bound::Included(p) => parts.push((">=", p)),
        Bound::Excluded(p) => parts.push((">", p)),
        Bound::Unbounded => {}
    }
    match hi {
        Bound::Included(p) => parts.push(("<=", p)),
        Bound::Excluded(p) => parts.push(("<", p)),
        Bound::Unbounded => {}
    }
    if parts.is_empty() {
        return compare_null(v, false);
    }
    wrap(|q| {
        for (i, (sql_op, p)) in parts.into_iter().enumerate() {
            if i > 0 {
                q.push(" AND ");
            }
            q.append(v.clone()).push(" ").push(sql_op).push(" ").bind(p);
        }
    })
}

/// `v IS NOT NULL` (or `IS NULL`).
pub(super) fn compare_null(v: Query, is_null: bool) -> Positive {
    wrap(|q| {
        q.append(v).push(if is_null { " IS NULL" } else { " IS NOT NULL" });
    })
}

pub(super) fn in_list(v: Query, params: Vec<Param>) -> Positive {
    if params.is_empty() {
        return Positive::Const(false);
    }
    wrap(|q| {
        q.append(v).push(" IN (");
        for (i, p) in params.into_iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(p);
        }
        q.push(")");
    })
}

pub(super) fn text_search(op: Op, v: Query, needle: &str, dialect: Dialect) -> Positive {
    let needle = needle.to_ascii_lowercase();
    let folded = dialect.fold(v);
    let find = dialect.position();
    wrap(|q| match op {
        Op::Contains | Op::StartsWith => {
            q.push(find).append(folded).push(", ").bind(Param::text(needle)).push(if op == Op::Contains {
                ") > 0"
            } else {
                ") = 1"
            });
        }
        _ => {
            dialect.last_chars(q, folded, needle.chars().count() as i64);
            q.push(" = ").bind(Param::text(needle));
        }
    })
}

/// Numbers: `f64` compare, or minor units for money.
pub(super) fn number_param(x: f64, money: bool) -> Param {
    if money { Param::I64(Some(money_to_minor(x))) } else { Param::F64(Some(x)) }
}

pub(super) fn sql_cmp(op: Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Gt => ">",
        Op::Gte => ">=",
        Op::Lt => "<",
        _ => "<=",
    }
}

/// A count compared with `x` where only zero versus non-zero matters: `Some(true)` when the
/// comparison means "at least one", `Some(false)` for "none".
pub(super) fn count_shortcut(op: Op, x: f64) -> Option<bool> {
    match op {
        Op::Gt if (0.0..1.0).contains(&x) => Some(true),
        Op::Gte if x > 0.0 && x <= 1.0 => Some(true),
        Op::Eq if x == 0.0 => Some(false),
        Op::Lt if x > 0.0 && x <= 1.0 => Some(false),
        Op::Lte if (0.0..1.0).contains(&x) => Some(false),
        _ => None,
    }
}

/// Counting stops at `cap` rows: a count compared with thresholds below `cap` compares the
/// same way once capped (`floor(x) + 1` rows decide `count > x`, `count >= x`, `count = x`,
/// …). `None` when the threshold is too large to be worth capping.
pub(super) fn count_cap(x: f64) -> Option<i64> {
    (x.is_finite() && x < 1.0e9).then(|| x.max(0.0).floor() as i64 + 1)
}

pub(super) fn count_expr(from_where: Query, cap: Option<i64>) -> Query {
    let mut q = Query::new("(SELECT COUNT(*) FROM ");
    match cap {
        Some(cap) => {
            q.push("(SELECT 1 FROM ")
                .append(from_where)
                .push(" LIMIT ")
                .bind(Param::I64(Some(cap)))
                .push(") AS capped)");
        }
        None => {
            q.append(from_where).push(")");
        }
    }
    q
}

pub(super) fn positive(op: Op, operand: &Operand, source: Source, dialect: Dialect) -> Positive {
    use Operand as O;
    match source {
        Source::Null => Positive::Const(false),
        Source::Text(v) => match (op, operand) {
            (Op::IsSet, _) => compare_null(v, false),
            (Op::Eq, O::Text(x)) => compare(v, "=", Param::text(x.as_str())),
            (Op::In, O::Keys(keys)) => in_list(v, keys.iter().map(|k| Param::text(k.as_str())).collect()),
            (Op::Contains | Op::StartsWith | Op::EndsWith, O::Text(x)) => text_search(op, v, x, dialect),
            _ => Positive::Const(false),
        },
        Source::Number(v) => number(op, operand, v, false),
        Source::Money(v) => number(op, operand, v, true),
        Source::Count(from_where, any) => match (op, operand) {
            (Op::IsSet, _) => Positive::Const(true),
            (Op::Eq | Op::Gt | Op::Gte | Op::Lt | Op::Lte, O::Number(x)) => match (count_shortcut(op, *x), any) {
                (Some(true), Some(any)) => Positive::Sql(any),
                (Some(false), Some(any)) => {
                    let mut none = Query::new("NOT COALESCE(");
                    none.append(any).push(", FALSE)");
                    Positive::Sql(none)
                }
                (Some(exists), None) => Positive::Exists(from_where, exists),
                (None, _) => number(op, operand, count_expr(from_where, count_cap(*x)), false),
            },
            (Op::Between, O::NumberRange(_, hi)) => number(op, operand, count_expr(from_where, count_cap(*hi)), false),
            _ => Positive::Const(false),
        },
        Source::Date(v) => match (op, operand) {
            (Op::IsSet, _) => compare_null(v, false),
            (_, O::Dates(r)) => {
                let ts = |b: Bound<NaiveDateTime>| match b {
                    Bound::Included(t) => Bound::Included(Param::Ts(Some(t))),
                    Bound::Excluded(t) => Bound::Excluded(Param::Ts(Some(t))),
                    Bound::Unbounded => Bound::Unbounded,
                };
                range(v, ts(r.lower), ts(r.upper))
            }
            _ => Positive::Const(false),
        },
        Source::Bool(v) => match op {
            Op::IsSet => compare_null(v, false),
            Op::IsTrue => wrap(|q| {
                q.append(v).push(" IS TRUE");
            }),
            _ => Positive::Const(false),
        },
        Source::Products => {
            let from = || Query::new("orders o WHERE o.user_id = u.id AND o.amount > 0 AND o.product");
            match (op, operand) {
                (Op::IsSet, _) => {
                    let mut q = from();
                    q.push(" IS NOT NULL");
                    Positive::Exists(q, true)
                }
                (Op::Eq, O::Text(x)) => {
                    let mut q = from();
                    q.push(" = ").bind(Param::text(x.as_str()));
                    Positive::Exists(q, true)
                }
                (Op::In, O::Keys(keys)) => {
                    let mut q = from();
                    q.push(" IN (");
                    for (i, k) in keys.iter().enumerate() {
                        if i > 0 {
                            q.push(", ");
                        }
                        q.bind(Param::text(k.as_str()));
                    }
                    q.push(")");
                    Positive::Exists(q, true)
                }
                _ => Positive::Const(false),
            }
        }
        Source::Segments => {
            let from = || Query::new("segment_members m WHERE m.user_id = u.id");
            // Ids as the record lists them: canonical decimal text.
            let id_of = |text: &str| text.parse::<i64>().ok().filter(|id| id.to_string() == text);
            let ids: Vec<i64> = match (op, operand) {
                (Op::IsSet, _) => return Positive::Exists(from(), true),
                (Op::Eq, O::Number(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => vec![*x as i64],
                (Op::Eq, O::Text(x)) => id_of(x).into_iter().collect(),
                (Op::In, O::Keys(keys)) => keys.iter().filter_map(|k| id_of(k)).collect(),
                _ => Vec::new(),
            };
            if ids.is_empty() {
                return Positive::Const(false);
            }
            // The members, read once per statement from the membership's primary key.
            let mut q = Query::new("(u.id IN (SELECT m.user_id FROM segment_members m WHERE m.segment_id IN (");
            for (i, id) in ids.into_iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(Param::I64(Some(id)));
            }
            q.push(")))");
            Positive::Sql(q)
        }
    }
}

pub(super) fn number(op: Op, operand: &Operand, v: Query, money: bool) -> Positive {
    match (op, operand) {
        (Op::IsSet, _) => compare_null(v, false),
        (Op::Eq | Op::Gt | Op::Gte | Op::Lt | Op::Lte, Operand::Number(x)) => {
            compare(v, sql_cmp(op), number_param(*x, money))
        }
        (Op::Between, Operand::NumberRange(lo, hi)) => {
            range(v, Bound::Included(number_param(*lo, money)), Bound::Included(number_param(*hi, money)))
        }
        _ => Positive::Const(false),
    }
}
