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

use chrono::{Duration, NaiveDateTime};
use domain::conditions::{
    Behaviour, CatalogContext, CompanyField, Condition, FieldRef, FieldType, Group, Match, Node, Op, Operand, RfmField,
    ScoreKind, UserField, money_to_minor,
};
use domain::scores::EngagementLabel;
use std::ops::Bound;

use crate::sql::{Dialect, Param, Query};

/// What a tree is compiled against.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub dialect: Dialect,
    /// The workspace whose users are selected (company conditions select its companies).
    pub workspace_id: i64,
    /// The instant `in_last_days` and behaviour windows end at.
    pub now: NaiveDateTime,
    /// The workspace's activity window: a user seen at or after `now − days` is online.
    pub activity_window_days: i64,
    /// Types of custom properties (a property it does not know reads as NULL).
    pub catalog: &'a CatalogContext,
}

impl Env<'_> {
    /// Users seen at or after this instant are online (unless churned).
    pub fn online_since(&self) -> NaiveDateTime {
        self.now - Duration::days(self.activity_window_days)
    }
}

/// The tree as a SQL boolean expression; the empty root is `1=1`.
pub fn compile(tree: &Group, env: &Env<'_>) -> Query {
    let expr = if tree.conditions.is_empty() { Expr::Const(true) } else { group(tree, env) };
    let mut q = Query::default();
    expr.render(&mut q);
    q
}

/// The SQL of `user.activity`: `churned`, `online` or `offline` (never NULL).
pub fn activity_sql(env: &Env<'_>) -> Query {
    let mut q = Query::new("(CASE WHEN u.churned_at IS NOT NULL THEN ");
    q.bind(Param::text("churned"))
        .push(" WHEN u.last_seen_at >= ")
        .bind(Param::Ts(Some(env.online_since())))
        .push(" THEN ")
        .bind(Param::text("online"))
        .push(" ELSE ")
        .bind(Param::text("offline"))
        .push(" END)");
    q
}

// ---------------------------------------------------------------------------------------
// Boolean expressions

enum Expr {
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
const COMPANY_COST: u32 = 2;

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
    fn combine(all: bool, items: Vec<Expr>) -> Expr {
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

    fn render(&self, q: &mut Query) {
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

fn group(g: &Group, env: &Env<'_>) -> Expr {
    let items = g
        .conditions
        .iter()
        .map(|node| match node {
            Node::Group(inner) => group(inner, env),
            Node::Condition(c) => condition(c, env),
        })
        .collect();
    Expr::combine(g.r#match == Match::All, items)
}

// ---------------------------------------------------------------------------------------
// Fields

/// Where a field's value comes from, and how it compares.
enum Source {
    Text(Query),
    Number(Query),
    /// A count of matching rows: `SELECT COUNT(*) FROM <from_where>` correlated on `u`, and
    /// optionally a cheaper predicate equivalent to "at least one" (NULL counting as false).
    Count(Query, Option<Query>),
    /// Minor units.
    Money(Query),
    Date(Query),
    /// A boolean expression (NULL when missing).
    Bool(Query),
    Products,
    Segments,
    /// Always NULL (a property the catalog does not know).
    Null,
}

const USER_TEXT: &[(UserField, &str)] = &[
    (UserField::ExternalId, "u.external_id"),
    (UserField::Email, "u.email"),
    (UserField::Name, "u.name"),
    (UserField::Role, "u.role"),
    (UserField::Country, "u.country"),
    (UserField::Phone, "u.phone"),
    (UserField::AcquisitionChannel, "u.acquisition_channel"),
    (UserField::ClientType, "u.client_type"),
    (UserField::PaymentType, "u.payment_type"),
    (UserField::InvoicePeriod, "u.invoice_period"),
    (UserField::ComplaintReason, "u.complaint_reason"),
    (UserField::PreferredPurchaseDay, "u.preferred_day"),
];

fn source(field: &FieldRef, env: &Env<'_>) -> Source {
    let col = |sql: &str| Query::new(sql);
    match field {
        FieldRef::User(f) => match f {
            UserField::CreatedAt => Source::Date(col("u.created_at")),
            UserField::LastSeenAt => Source::Date(col("u.last_seen_at")),
            UserField::ChurnedAt => Source::Date(col("u.churned_at")),
            UserField::EmailConsent => Source::Bool(col("u.email_consent")),
            UserField::SmsConsent => Source::Bool(col("u.sms_consent")),
            UserField::Activity => Source::Text(activity_sql(env)),
            UserField::EngagementLabel => {
                let mut q = Query::new("(CASE WHEN u.engagement_score >= ");
                q.bind(Param::I64(Some(i64::from(EngagementLabel::HIGH_FROM))))
                    .push(" THEN ")
                    .bind(Param::text(EngagementLabel::High.key()))
                    .push(" WHEN u.engagement_score >= ")
                    .bind(Param::I64(Some(i64::from(EngagementLabel::MEDIUM_FROM))))
                    .push(" THEN ")
                    .bind(Param::text(EngagementLabel::Medium.key()))
                    .push(" WHEN u.engagement_score IS NOT NULL THEN ")
                    .bind(Param::text(EngagementLabel::Low.key()))
                    .push(" END)");
                Source::Text(q)
            }
            text => match USER_TEXT.iter().find(|(f, _)| f == text) {
                Some((_, column)) => Source::Text(col(column)),
                None => Source::Null,
            },
        },
        FieldRef::Company(f) => match f {
            CompanyField::ExternalId => Source::Text(col("c.external_id")),
            CompanyField::Name => Source::Text(col("c.name")),
            CompanyField::Industry => Source::Text(col("c.industry")),
            CompanyField::Plan => Source::Text(col("c.plan")),
            CompanyField::Owner => Source::Text(col("c.owner")),
            CompanyField::Arr => Source::Money(col("c.arr")),
            CompanyField::CreatedAt => Source::Date(col("c.created_at")),
        },
        FieldRef::UserProperty(name) => property("u.properties", name, env.catalog.user_property(name), env.dialect),
        FieldRef::CompanyProperty(name) => {
            property("c.properties", name, env.catalog.company_property(name), env.dialect)
        }
        FieldRef::Rfm(f) => match f {
            RfmField::Segment => Source::Text(col("u.rfm_segment")),
            RfmField::RScore => Source::Number(col("u.r_score")),
            RfmField::FScore => Source::Number(col("u.f_score")),
            RfmField::MScore => Source::Number(col("u.m_score")),
        },
        FieldRef::Score(kind) => Source::Number(col(match kind {
            ScoreKind::Health => "u.health_score",
            ScoreKind::Engagement => "u.engagement_score",
            ScoreKind::Fit => "u.fit_score",
        })),
        FieldRef::Behaviour(b) => behaviour(b, env),
        FieldRef::Segment => Source::Segments,
    }
}

/// `[now − days, now]` as two bound parameters after `column >= ` and `column <= `.
fn window(q: &mut Query, column: &str, days: u32, now: NaiveDateTime) {
    q.push(" AND ")
        .push(column)
        .push(" >= ")
        .bind(Param::Ts(Some(now - Duration::days(i64::from(days)))))
        .push(" AND ")
        .push(column)
        .push(" <= ")
        .bind(Param::Ts(Some(now)));
}

fn behaviour(b: &Behaviour, env: &Env<'_>) -> Source {
    let purchases_in = |days: u32| {
        let mut q = Query::new("orders o WHERE o.user_id = u.id AND o.amount > 0");
        window(&mut q, "o.ordered_at", days, env.now);
        q
    };
    match b {
        Behaviour::PurchasesTotal => Source::Number(Query::new("u.purchases")),
        Behaviour::RevenueTotal => Source::Money(Query::new("u.revenue")),
        Behaviour::FirstPurchaseAt => Source::Date(Query::new("u.first_purchase_at")),
        Behaviour::LastPurchaseAt => Source::Date(Query::new("u.last_purchase_at")),
        Behaviour::PurchasesLastDays(days) => {
            // The purchase aggregates the importer keeps answer "any purchase in the window"
            // for most users: none when the last purchase is older than the window, one when
            // it falls inside; only a last purchase after `now` needs the orders.
            let mut any = Query::new("(u.last_purchase_at >= ");
            any.bind(Param::Ts(Some(env.now - Duration::days(i64::from(*days)))))
                .push(" AND (u.last_purchase_at <= ")
                .bind(Param::Ts(Some(env.now)))
                .push(" OR EXISTS (SELECT 1 FROM ")
                .append(purchases_in(*days))
                .push(")))");
            Source::Count(purchases_in(*days), Some(any))
        }
        Behaviour::RevenueLastDays(days) => {
            // Refunds are netted: every order in the window, whatever its sign.
            let mut q = Query::new("(SELECT COALESCE(SUM(o.amount), 0) FROM orders o WHERE o.user_id = u.id");
            window(&mut q, "o.ordered_at", *days, env.now);
            q.push(")");
            Source::Money(q)
        }
        Behaviour::EventCountLastDays { name, days } => {
            let mut q = Query::new("events e WHERE e.user_id = u.id AND e.name = ");
            q.bind(Param::text(name.as_str()));
            window(&mut q, "e.occurred_at", *days, env.now);
            Source::Count(q, None)
        }
        Behaviour::Product => Source::Products,
    }
}

/// A custom property read from the JSON text column, as its declared type.
fn property(column: &str, name: &str, ty: Option<FieldType>, dialect: Dialect) -> Source {
    let Some(ty) = ty else { return Source::Null };
    let mut q = Query::default();
    match dialect {
        Dialect::Sqlite => {
            // A quoted path label; SQLite's path syntax has no escape for '"'.
            let path = format!("$.\"{}\"", name.replace('"', ""));
            let kind_test = match ty {
                FieldType::Number | FieldType::Money => "IN ('integer', 'real')",
                FieldType::Boolean => "IN ('true', 'false')",
                _ => "= 'text'",
            };
            q.push("(CASE WHEN json_type(")
                .push(column)
                .push(", ")
                .bind(Param::text(path.as_str()))
                .push(") ")
                .push(kind_test)
                .push(" THEN json_extract(")
                .push(column)
                .push(", ")
                .bind(Param::text(path))
                .push(") END)");
        }
        Dialect::Postgres => {
            let (kind, cast) = match ty {
                FieldType::Number | FieldType::Money => ("number", "::double precision"),
                FieldType::Boolean => ("boolean", "::boolean"),
                _ => ("string", ""),
            };
            q.push("(CASE WHEN jsonb_typeof((")
                .push(column)
                .push(")::jsonb -> ")
                .bind(Param::text(name))
                .push(") = ")
                .bind(Param::text(kind))
                .push(" THEN ((")
                .push(column)
                .push(")::jsonb ->> ")
                .bind(Param::text(name))
                .push(")")
                .push(cast)
                .push(" END)");
        }
    }
    match ty {
        FieldType::Number => Source::Number(q),
        FieldType::Money => Source::Number(q),
        FieldType::Boolean => Source::Bool(q),
        FieldType::Date => Source::Null,
        _ => Source::Text(q),
    }
}

fn cost(source: &Source) -> u32 {
    match source {
        Source::Text(q) | Source::Number(q) | Source::Money(q) | Source::Date(q) | Source::Bool(q) => {
            if q.sql.contains("SELECT") {
                20
            } else if q.sql.contains("json") {
                4
            } else {
                1
            }
        }
        Source::Count(_, Some(_)) => 3,
        Source::Count(_, None) => 20,
        Source::Products => 10,
        Source::Segments => 3,
        Source::Null => 0,
    }
}

// ---------------------------------------------------------------------------------------
// Conditions

fn condition(c: &Condition, env: &Env<'_>) -> Expr {
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
enum Positive {
    Const(bool),
    Sql(Query),
    Exists(Query, bool),
}

fn wrap(parts: impl FnOnce(&mut Query)) -> Positive {
    let mut q = Query::new("(");
    parts(&mut q);
    q.push(")");
    Positive::Sql(q)
}

fn compare(v: Query, sql_op: &str, p: Param) -> Positive {
    wrap(|q| {
        q.append(v).push(" ").push(sql_op).push(" ").bind(p);
    })
}

fn range(v: Query, lo: Bound<Param>, hi: Bound<Param>) -> Positive {
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
fn compare_null(v: Query, is_null: bool) -> Positive {
    wrap(|q| {
        q.append(v).push(if is_null { " IS NULL" } else { " IS NOT NULL" });
    })
}

fn in_list(v: Query, params: Vec<Param>) -> Positive {
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

/// ASCII-only lower case of a text expression.
fn fold(v: Query, dialect: Dialect) -> Query {
    let mut q = Query::new(match dialect {
        Dialect::Sqlite => "lower(",
        Dialect::Postgres => "translate(",
    });
    q.append(v);
    if dialect == Dialect::Postgres {
        q.push(", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'");
    }
    q.push(")");
    q
}

fn text_search(op: Op, v: Query, needle: &str, dialect: Dialect) -> Positive {
    let needle = needle.to_ascii_lowercase();
    let folded = fold(v, dialect);
    let find = match dialect {
        Dialect::Sqlite => "instr(",
        Dialect::Postgres => "strpos(",
    };
    wrap(|q| match op {
        Op::Contains | Op::StartsWith => {
            q.push(find).append(folded).push(", ").bind(Param::text(needle)).push(if op == Op::Contains {
                ") > 0"
            } else {
                ") = 1"
            });
        }
        _ => {
            let chars = needle.chars().count() as i64;
            match dialect {
                Dialect::Sqlite => {
                    q.push("substr(").append(folded).push(", -").bind(Param::I64(Some(chars))).push(")");
                }
                Dialect::Postgres => {
                    q.push("right(").append(folded).push(", CAST(").bind(Param::I64(Some(chars))).push(" AS INTEGER))");
                }
            }
            q.push(" = ").bind(Param::text(needle));
        }
    })
}

/// Numbers: `f64` compare, or minor units for money.
fn number_param(x: f64, money: bool) -> Param {
    if money { Param::I64(Some(money_to_minor(x))) } else { Param::F64(Some(x)) }
}

fn sql_cmp(op: Op) -> &'static str {
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
fn count_shortcut(op: Op, x: f64) -> Option<bool> {
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
fn count_cap(x: f64) -> Option<i64> {
    (x.is_finite() && x < 1.0e9).then(|| x.max(0.0).floor() as i64 + 1)
}

fn count_expr(from_where: Query, cap: Option<i64>) -> Query {
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

fn positive(op: Op, operand: &Operand, source: Source, dialect: Dialect) -> Positive {
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

fn number(op: Op, operand: &Operand, v: Query, money: bool) -> Positive {
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

#[cfg(test)]
mod tests {
    use super::*;
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
