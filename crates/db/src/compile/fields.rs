//! Where each field of a condition reads its value: a column, a derived expression, a
//! behaviour window's subquery, a typed custom property.

use chrono::{Duration, NaiveDateTime};
use domain::conditions::{Behaviour, CompanyField, FieldRef, FieldType, RfmField, ScoreKind, UserField};
use domain::scores::EngagementLabel;

use super::env::*;
use crate::sql::{Dialect, Param, Query};

/// Where a field's value comes from, and how it compares.
pub(super) enum Source {
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

pub(super) const USER_TEXT: &[(UserField, &str)] = &[
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

pub(super) fn source(field: &FieldRef, env: &Env<'_>) -> Source {
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
pub(super) fn window(q: &mut Query, column: &str, days: u32, now: NaiveDateTime) {
    q.push(" AND ")
        .push(column)
        .push(" >= ")
        .bind(Param::Ts(Some(now - Duration::days(i64::from(days)))))
        .push(" AND ")
        .push(column)
        .push(" <= ")
        .bind(Param::Ts(Some(now)));
}

pub(super) fn behaviour(b: &Behaviour, env: &Env<'_>) -> Source {
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
pub(super) fn property(column: &str, name: &str, ty: Option<FieldType>, dialect: Dialect) -> Source {
    let Some(ty) = ty else { return Source::Null };
    let q = dialect.json_property(column, name, ty);
    match ty {
        FieldType::Number => Source::Number(q),
        FieldType::Money => Source::Number(q),
        FieldType::Boolean => Source::Bool(q),
        FieldType::Date => Source::Null,
        _ => Source::Text(q),
    }
}

pub(super) fn cost(source: &Source) -> u32 {
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
