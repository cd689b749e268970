//! The eight RFM segments seen as segments: what `GET /segments/{id}` shows for an RFM
//! segment's id (−1 … −8). Their members are the users whose stored RFM segment it is; the
//! rescoring keeps them, so they have no refresh of their own.

use chrono::{Duration, NaiveDateTime};
use db::{DbConn, Result, settings};
use domain::rfm::RfmSegment;

use crate::user_columns::UserColumns;

/// An RFM segment's size and when the scoring last kept it.
#[derive(Debug, Clone, PartialEq)]
pub struct RfmSegmentSummary {
    pub segment: RfmSegment,
    /// Active (not churned) members.
    pub size: i64,
    /// Active members seen within the workspace's activity window.
    pub online: i64,
    /// Active members not seen within it.
    pub offline: i64,
    /// The latest successful rescoring.
    pub scored_at: Option<NaiveDateTime>,
    /// Why the latest rescoring failed, if it did.
    pub scoring_error: Option<String>,
    /// When the workspace was created.
    pub created_at: NaiveDateTime,
    /// When the settings that decide RFM membership last changed.
    pub updated_at: NaiveDateTime,
}

pub fn summary(
    conn: &mut DbConn,
    users: &UserColumns,
    workspace_id: i64,
    segment: RfmSegment,
    now: NaiveDateTime,
) -> Result<RfmSegmentSummary> {
    let s = settings::get(conn, workspace_id)?;
    let run = settings::scoring_run(conn, workspace_id)?;
    let created_at = settings::workspace_created_at(conn, workspace_id)?;
    let online_since = now - Duration::days(i64::from(s.activity_window_days));
    let (mut size, mut online) = (0, 0);
    for i in users.positions(None) {
        let user = users.get(i);
        if user.segment == Some(segment) && !user.churned {
            size += 1;
            online += i64::from(users.seen_since(i, online_since));
        }
    }
    Ok(RfmSegmentSummary {
        segment,
        size,
        online,
        offline: size - online,
        scored_at: run.scored_at,
        scoring_error: run.error,
        created_at,
        updated_at: s.updated_at.unwrap_or(created_at),
    })
}
