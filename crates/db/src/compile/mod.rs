//! Condition trees (`domain::conditions`) compiled to a SQL boolean expression for SQLite and
//! PostgreSQL over `users u` (company fields are read through subqueries, no join needed).
//!
//! The expression agrees exactly with [`domain::conditions::evaluate`] (a property test in
//! `tests/compile_*.rs` checks it on both backends). How each rule of that module doc is kept:
//!
//! - **Values are bound**, never spliced: condition values, property keys, JSON paths, time
//!   bounds, even the constants of derived fields. The SQL text only holds column names and
//!   operators chosen by the compiler.
//! - **NULL.** A positive operator compiles to a predicate that is true, false or NULL (NULL
//!   only where the field is NULL). In a `WHERE` built from `AND`/`OR` only, NULL and false
//!   select the same rows, so positive predicates stay bare (and indexable); a negated
//!   operator is `NOT COALESCE(positive, FALSE)`, true on NULL.
//! - **Text.** `eq`/`in` use `=`/`IN`, exact on both backends (binary collation on SQLite, a
//!   deterministic one on PostgreSQL). `contains`/`starts_with`/`ends_with` fold ASCII letters
//!   only — SQLite's built-in `lower()` does exactly that; on PostgreSQL (whose `lower` folds
//!   all of Unicode) `translate` maps `A`–`Z` alone — and search with `instr`/`strpos`/
//!   `substr`/`right`, so `%` and `_` are plain characters. The needle is folded in Rust.
//! - **Numbers** compare as double precision; **money** columns hold minor units and compare
//!   with [`money_to_minor`] of the value.
//! - **Dates** compare with the bounds of [`date_range`], computed in Rust from `now`.
//! - **Custom properties** are typed by the catalog: a property declared `number` reads only
//!   JSON numbers, `text` only JSON strings, `boolean` only JSON booleans; any other stored
//!   kind counts as NULL.
//! - **Lists**: `behaviour.product` is `EXISTS` over the user's purchases (amount > 0) with a
//!   non-NULL product; `segment` is `u.id IN` the members of the listed segments (never
//!   NULL), `is_set` is `EXISTS` over the user's memberships.
//! - **Company fields** select the workspace's matching companies once per statement:
//!   `u.company_id IN (SELECT c.id FROM companies c WHERE …)` — NULL without a company, so a
//!   positive condition fails and a negated one holds, as on a joined NULL row.
//! - **Behaviour windows** are correlated subqueries on `orders (user_id, ordered_at)` and
//!   `events (user_id, occurred_at, name)`; a count compared so that only "at least one" or
//!   "none" matters becomes `EXISTS`/`NOT EXISTS`, other counts stop at the first row past
//!   the threshold.
//! - Within a group, cheap predicates are placed before subqueries (`AND`/`OR` commute).

mod conditions;
mod env;
mod expr;
mod fields;

use domain::conditions::ConditionGroup;

use crate::sql::Query;

use self::conditions::group;
pub use self::env::*;
use self::expr::Expr;

/// The tree as a SQL boolean expression; the empty root is `1=1`.
pub fn compile(tree: &ConditionGroup, env: &Env<'_>) -> Query {
    let expr = if tree.conditions.is_empty() { Expr::Const(true) } else { group(tree, env) };
    let mut q = Query::default();
    expr.render(&mut q);
    q
}

#[cfg(test)]
mod tests {
    use domain::conditions::CatalogContext;

    use super::*;
    use crate::sql::Dialect;
    use serde_json::json;

    fn env(catalog: &CatalogContext, dialect: Dialect) -> Env<'_> {
        Env {
            dialect,
            workspace_id: 1,
            now: chrono::NaiveDate::from_ymd_opt(2024, 6, 15).unwrap().and_hms_opt(12, 0, 0).unwrap(),
            activity_window_days: 30,
            catalog,
        }
    }

    fn sql(tree: serde_json::Value) -> Query {
        let catalog = CatalogContext::default();
        compile(&serde_json::from_value(tree).unwrap(), &env(&catalog, Dialect::Sqlite))
    }

    #[test]
    fn values_are_bound_and_cheap_predicates_come_first() {
        let q = sql(json!({"match": "all", "conditions": [
            {"field": "behaviour.purchases_last_30d", "op": "gte", "value": 2},
            {"field": "user.email", "op": "contains", "value": "'; DROP TABLE users; --"},
            {"field": "user.country", "op": "ne", "value": "DE"},
        ]}));
        assert!(!q.sql.contains("DROP"), "{}", q.sql);
        assert!(!q.sql.contains("DE"), "{}", q.sql);
        assert_eq!(q.sql.matches('?').count(), q.params.len(), "{}", q.sql);
        let country = q.sql.find("u.country").unwrap();
        let orders = q.sql.find("orders").unwrap();
        assert!(country < orders, "{}", q.sql);
        assert!(q.sql.contains("NOT COALESCE((u.country = ?), FALSE)"), "{}", q.sql);
    }

    #[test]
    fn company_conditions_of_a_group_select_their_companies_once() {
        let q = sql(json!({"match": "all", "conditions": [
            {"field": "company.plan", "op": "eq", "value": "pro"},
            {"field": "user.country", "op": "eq", "value": "DE"},
            {"field": "company.arr", "op": "gte", "value": 100},
            {"field": "company.industry", "op": "ne", "value": "retail"},
            {"match": "any", "conditions": [
                {"field": "company.plan", "op": "eq", "value": "free"},
                {"field": "company.owner", "op": "is_set"}
            ]}
        ]}));
        // The nested group's companies merge into its parent's; a negated condition keeps its own.
        assert_eq!(q.sql.matches("SELECT c.id FROM companies").count(), 2, "{}", q.sql);
        assert!(
            q.sql.contains(
                "u.company_id IN (SELECT c.id FROM companies c WHERE c.workspace_id = ? \
                 AND ((c.plan = ?) AND (c.arr >= ?) AND ((c.plan = ?) OR (c.owner IS NOT NULL))))"
            ),
            "{}",
            q.sql
        );
        assert!(
            q.sql.contains(
                "NOT COALESCE(u.company_id IN (SELECT c.id FROM companies c WHERE c.workspace_id = ? \
                 AND (c.industry = ?)), FALSE)"
            ),
            "{}",
            q.sql
        );
        assert_eq!(q.sql.matches('?').count(), q.params.len(), "{}", q.sql);
    }

    #[test]
    fn constants_fold_and_counts_use_exists() {
        assert_eq!(sql(json!({"match": "any", "conditions": []})).sql, "1=1");
        let q = sql(json!({"match": "all", "conditions": [{"match": "any", "conditions": [
            {"field": "user.nope", "op": "eq", "value": "x"}]}]}));
        assert_eq!(q.sql, "1=0");
        let q = sql(json!({"conditions": [
            {"field": "behaviour.events.login.count_last_30d", "op": "gt", "value": 0}]}));
        assert!(q.sql.starts_with("EXISTS (SELECT 1 FROM events"), "{}", q.sql);
        let q = sql(json!({"conditions": [
            {"field": "behaviour.events.login.count_last_30d", "op": "ne", "value": 0}]}));
        assert!(q.sql.starts_with("EXISTS (SELECT 1 FROM events"), "{}", q.sql);
        let q = sql(json!({"conditions": [
            {"field": "behaviour.events.login.count_last_30d", "op": "gte", "value": 3}]}));
        assert!(q.sql.starts_with("((SELECT COUNT(*) FROM (SELECT 1 FROM events"), "{}", q.sql);
        assert!(q.sql.contains(" LIMIT ?) AS capped)"), "{}", q.sql);
        // Purchases in a window ask the maintained aggregates first.
        let q = sql(json!({"conditions": [
            {"field": "behaviour.purchases_last_30d", "op": "gte", "value": 1}]}));
        assert!(q.sql.starts_with("(u.last_purchase_at >= ?"), "{}", q.sql);
        let q = sql(json!({"conditions": [
            {"field": "behaviour.purchases_last_30d", "op": "eq", "value": 0}]}));
        assert!(q.sql.starts_with("NOT COALESCE((u.last_purchase_at >= ?"), "{}", q.sql);
    }
}
