//! Derived data that follows a change of a workspace's data: rescoring (RFM as of today,
//! health/engagement/fit) and then segment membership. Called after imports, single-record
//! writes and settings changes (server and CLI alike), and by the daily schedule.

use crate::{Db, Result};

/// Brings a workspace's derived data up to date.
pub fn after_data_change(db: &Db, workspace_id: i64) -> Result<()> {
    crate::analytics::rescore(db, workspace_id)?;
    crate::segments::refresh_workspace(db, workspace_id)?;
    Ok(())
}
