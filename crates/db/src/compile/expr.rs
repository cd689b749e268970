//! Boolean expressions over compiled conditions: constants folded, company conditions of a
//! group merged into one subquery, cheap predicates first.

use crate::sql::{Param, Query};

pub(super) enum Expr {
    Const(bool),
    /// A predicate and its rough cost (1 for a column comparison, more for JSON and
    /// subqueries), used to put cheap predicates first.
    Sql(Query, u32),
    /// `u.company_id IN (SELECT c.id FROM companies c WHERE <workspace> AND <predicate on c>)`:
    /// the companies that satisfy a condition, selected once per statement, instead of a
    /// join evaluated per user. True when the user's company is one of them, false for a
    /// company that is not, NULL without a company, as the condition on a joined row. The
    /// company conditions of one group merge into one such set (AND or OR of their
    /// predicates), so that a statement selects it and each user probes it once.
    Company(i64, Query),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// The cost of a company condition: a probe of the selected companies.
pub(super) const COMPANY_COST: u32 = 2;

impl Expr {
    fn cost(&self) -> u32 {
        match self {
            Expr::Const(_) => 0,
            Expr::Sql(_, cost) => *cost,
            Expr::Company(..) => COMPANY_COST,
            Expr::And(items) | Expr::Or(items) => items.iter().map(Expr::cost).sum(),
        }
    }

    /// `AND`/`OR` of `items`, folding constants and merging company conditions.
    pub(super) fn combine(all: bool, items: Vec<Expr>) -> Expr {
        let mut kept = Vec::with_capacity(items.len());
        let mut companies: Option<(i64, Vec<Query>)> = None;
        for item in items {
            match item {
                // `all`: true is neutral, false absorbs; `any`: the reverse.
                Expr::Const(b) if b == all => {}
                Expr::Const(b) => return Expr::Const(b),
                Expr::Company(workspace_id, predicate) => {
                    companies.get_or_insert_with(|| (workspace_id, Vec::new())).1.push(predicate);
                }
                other => kept.push(other),
            }
        }
        if let Some((workspace_id, predicates)) = companies {
            let mut merged = Query::new("(");
            for (i, predicate) in predicates.into_iter().enumerate() {
                if i > 0 {
                    merged.push(if all { " AND " } else { " OR " });
                }
                merged.append(predicate);
            }
            merged.push(")");
            kept.push(Expr::Company(workspace_id, merged));
        }
        match kept.len() {
            0 => Expr::Const(all),
            1 => kept.pop().unwrap_or(Expr::Const(all)),
            _ => {
                kept.sort_by_key(Expr::cost);
                if all { Expr::And(kept) } else { Expr::Or(kept) }
            }
        }
    }

    pub(super) fn render(&self, q: &mut Query) {
        match self {
            Expr::Const(true) => {
                q.push("1=1");
            }
            Expr::Const(false) => {
                q.push("1=0");
            }
            Expr::Sql(sql, _) => {
                q.append(sql.clone());
            }
            Expr::Company(workspace_id, predicate) => {
                q.push("u.company_id IN (SELECT c.id FROM companies c WHERE c.workspace_id = ")
                    .bind(Param::I64(Some(*workspace_id)))
                    .push(" AND ")
                    .append(predicate.clone())
                    .push(")");
            }
            Expr::And(items) | Expr::Or(items) => {
                let joiner = if matches!(self, Expr::And(_)) { " AND " } else { " OR " };
                q.push("(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        q.push(joiner);
                    }
                    item.render(q);
                }
                q.push(")");
            }
        }
    }
}
