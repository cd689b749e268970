//! What a tree is compiled against: backend, workspace, the instant, the activity window.

use chrono::{Duration, NaiveDateTime};
use domain::conditions::CatalogContext;

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
