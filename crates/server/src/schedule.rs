//! Scheduled work: every workspace is rescored once a day (recency and the time-relative score
//! factors follow the calendar even without imports) and every custom segment is refreshed at
//! least once a day, so that conditions relative to today (`in_last_days`, behaviour windows,
//! activity) follow it too; a failed scoring run is retried with a growing delay. Replicas may
//! all run it: a workspace already rescored today is skipped, each segment is claimed in the
//! transaction that refreshes it, and one refreshed less than a day ago is skipped.

use std::thread::JoinHandle;
use std::time::Duration;

use crate::AppState;

/// How old a segment's membership may get.
pub const REFRESH_EVERY: chrono::Duration = chrono::Duration::hours(24);
/// How often the scheduler looks for due scoring runs (a failed run's first retry comes a
/// minute after it: `domain::scoring_run::FIRST_RETRY`) and stale segments.
pub const CHECK_EVERY: Duration = Duration::from_secs(60);

/// Starts the daily rescoring and segment refresh on a thread of its own (the work is blocking database
/// work; it never runs on the HTTP workers). Returns the thread's handle; it runs until the
/// process ends.
pub fn spawn_scheduler(state: AppState) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new().name("segment-scheduler".into()).spawn(move || {
        loop {
            match engine::refresh::rescore_stale(&state.db) {
                Ok(pass) => {
                    if !pass.rescored.is_empty() {
                        tracing::info!(workspaces = ?pass.rescored, "scheduled rescoring");
                    }
                    if !pass.failed.is_empty() {
                        tracing::warn!(workspaces = ?pass.failed, "scheduled rescoring failed; retried later");
                    }
                }
                Err(e) => tracing::error!(error = %e, "scheduled rescoring failed"),
            }
            match db::segments::refresh_stale(&state.db, REFRESH_EVERY) {
                Ok(0) => {}
                Ok(n) => tracing::info!(segments = n, "scheduled segment refresh"),
                Err(e) => tracing::error!(error = %e, "scheduled segment refresh failed"),
            }
            std::thread::sleep(CHECK_EVERY);
        }
    })
}
