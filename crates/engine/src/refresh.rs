//! Derived data that follows a change of a workspace's data: rescoring (RFM as of today,
//! health/engagement/fit) and then segment membership. Called after imports and
//! settings changes (server and CLI alike), and by the schedule.
//!
//! A failure of that work is recorded on the workspace ([`db::settings::scoring_failed`]),
//! where the API and the app show it, and the schedule tries again ([`rescore_stale`]); the
//! change of data itself stays committed.

use chrono::NaiveDateTime;
use domain::scoring_run::ScoringRun;
use domain::segment_events::Trigger;

use db::{Db, Result};

/// Brings a workspace's derived data up to date. On failure the error is recorded on the
/// workspace as well as returned.
/// Segment events it causes are filed under `cause`.
pub fn after_data_change(db: &Db, workspace_id: i64, cause: Trigger) -> Result<()> {
    recorded(db, workspace_id, |db| {
        update_planner_statistics(db)?;
        crate::analytics::rescore(db, workspace_id, cause)?;
        db::segments::refresh_workspace(db, workspace_id, cause)?;
        // Read ahead, so that the first dashboard after the change does not wait for it.
        crate::order_history(db, workspace_id)?;
        Ok(())
    })
}

/// Runs `work`; records its failure on the workspace (in a transaction of its own, the work's
/// having been rolled back).
fn recorded(db: &Db, workspace_id: i64, work: impl FnOnce(&Db) -> Result<()>) -> Result<()> {
    let result = work(db);
    if let Err(e) = &result {
        let message = e.to_string();
        tracing::error!(workspace_id, error = %message, "scoring failed; the schedule retries it");
        if let Err(again) = db.write(|c| db::settings::scoring_failed(c, workspace_id, db::now(), &message)) {
            tracing::error!(workspace_id, error = %again, "recording the scoring failure failed");
        }
    }
    result
}

/// What one scheduled pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScheduledRescoring {
    pub rescored: Vec<i64>,
    /// Workspaces whose run failed (recorded on each, retried later).
    pub failed: Vec<i64>,
}

/// The scheduled run: rescores each workspace whose scoring is due (not as of today, or
/// failed and its retry time come: [`ScoringRun::due`]; recency and the time-relative score
/// factors follow the calendar even without imports), then refreshes its segments, whose
/// conditions may name the scores. A workspace that fails does not stop the others. Replicas
/// may all run it: a workspace already rescored is skipped inside the rescoring's transaction.
pub fn rescore_stale(db: &Db) -> Result<ScheduledRescoring> {
    let mut pass = ScheduledRescoring::default();
    for workspace_id in db.read(db::auth::workspace_ids)? {
        let now = db::now();
        if !db.read(|c| db::settings::scoring_run(c, workspace_id))?.due(now) {
            continue;
        }
        match recorded(db, workspace_id, |db| rescore_if_due(db, workspace_id, now)) {
            Ok(()) => pass.rescored.push(workspace_id),
            Err(_) => pass.failed.push(workspace_id),
        }
    }
    Ok(pass)
}

fn rescore_if_due(db: &Db, workspace_id: i64, now: NaiveDateTime) -> Result<()> {
    let history = crate::order_history(db, workspace_id)?;
    let done = db.write(|c| {
        if !db::settings::scoring_run(c, workspace_id)?.due(now) {
            return Ok(false);
        }
        crate::analytics::rescore_at(c, &history, workspace_id, now, Trigger::Schedule).map(|_| true)
    })?;
    if done {
        crate::user_columns(db, workspace_id)?;
        db::segments::refresh_workspace(db, workspace_id, Trigger::Schedule)?;
    }
    Ok(())
}

/// The workspace's scoring run as recorded.
pub fn scoring_run(db: &Db, workspace_id: i64) -> Result<ScoringRun> {
    db.read(|c| db::settings::scoring_run(c, workspace_id))
}

/// After a data change, SQLite's planner statistics (a sampled `ANALYZE`, a few ms even on
/// gigabytes), first, so that rescoring and the segment refresh already use them: without
/// them the planner may read a whole workspace through an index on another column, in that
/// column's order, up to ten times slower than in id order (measured: the users overview at
/// 1M users, 3.5 s against 0.35 s). PostgreSQL keeps its own statistics.
pub fn update_planner_statistics(db: &Db) -> Result<()> {
    if !db.url().is_sqlite() {
        return Ok(());
    }
    db.write(|c| {
        use diesel::connection::SimpleConnection;
        c.batch_execute("PRAGMA analysis_limit = 400; ANALYZE;")?;
        Ok(())
    })
}
