//! The users export's rows: blocks of the selected users by id.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use super::users::*;
use crate::sql::{Dialect, Param, Query};
use crate::{DbConn, Result};

/// One user of the export, with their stored RFM columns and purchase aggregates (the
/// export's RFM when `engine::analytics::stored_serve` says they are current, else joined by
/// the caller from `engine::analytics::rfm_scores`).
#[derive(Debug, Clone, QueryableByName)]
pub struct ExportRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub external_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub name: Option<String>,
    /// The company's name, else its external id.
    #[diesel(sql_type = Nullable<Text>)]
    pub company: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub health_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub engagement_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub fit_score: Option<i32>,
    /// The last purchase's date in days since 1970-01-01.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub last_purchase_day: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub purchases: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue: i64,
    #[diesel(sql_type = Nullable<Integer>)]
    pub r_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub f_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub m_score: Option<i32>,
}

impl ExportRow {
    /// The user's stored RFM as of `as_of` (see `engine::analytics::stored_rfm`).
    pub fn stored_rfm(&self, as_of: chrono::NaiveDate) -> Option<domain::rfm::RfmScore> {
        let last = crate::sql::date_of_day(self.last_purchase_day?)?;
        let stored = domain::rfm::StoredScore { r: self.r_score?, f: self.f_score?, m: self.m_score? };
        stored.with_values((as_of - last).num_days(), self.purchases, self.revenue)
    }
}

/// The selected users with an id from `first` to `last`, ascending: the export walks the
/// selection in such blocks, whatever order the list shows it in.
pub fn export_block(conn: &mut DbConn, selected: &SelectedUsers, first: i64, last: i64) -> Result<Vec<ExportRow>> {
    let mut q = Query::new(format!(
        "SELECT u.id, u.external_id, u.email, u.name, COALESCE(c.name, c.external_id) AS company, \
         u.health_score, u.engagement_score, u.fit_score, {} AS last_purchase_day, u.purchases, u.revenue, \
         u.r_score, u.f_score, u.m_score",
        crate::sql::day_number(Dialect::of(conn), "u.last_purchase_at")
    ));
    q.append(selected.body(Some((first, last)), true)).push(" ORDER BY ").push(selected.id_column(true));
    Ok(q.load::<ExportRow>(conn)?)
}

#[derive(QueryableByName)]
pub(super) struct IdSpan {
    #[diesel(sql_type = Nullable<BigInt>)]
    lo: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    hi: Option<i64>,
}

/// The smallest and the largest id of the workspace's users (`None`: it has none).
pub fn user_id_span(conn: &mut DbConn, workspace_id: i64) -> Result<Option<(i64, i64)>> {
    // Two subqueries: SQLite answers a lone MIN or MAX from the index, not both at once.
    let mut q = Query::new("SELECT (SELECT MIN(id) FROM users WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(") AS lo, (SELECT MAX(id) FROM users WHERE workspace_id = ")
        .bind(Param::I64(Some(workspace_id)))
        .push(") AS hi");
    Ok(q.load::<IdSpan>(conn)?.into_iter().next().and_then(|s| s.lo.zip(s.hi)))
}
