//! Background-style work on a thread of its own: derived data after a change of data
//! (see `engine::refresh`), and the view of its state.

use api_types::settings::ScoringStatus;
use chrono::NaiveDateTime;
use domain::scoring_run::ScoringRun;
use domain::segment_events::Trigger;

use crate::{ApiResult, AppState};

/// Brings derived data of a workspace up to date after its data changed; returns the state of
/// the scoring run as it ended. A failed run is not the request's error: the change it follows
/// is committed, and the failure is recorded, logged and retried (`engine::refresh`), and shown in
/// the status.
/// Segment events it causes are filed under `cause`.
pub async fn after_data_change(state: &AppState, workspace_id: i64, cause: Trigger) -> ApiResult<ScoringStatus> {
    state
        .run_long("rescoring", move |db| {
            // A failure is recorded on the workspace and logged by `engine::refresh`; it is read
            // back below with the rest of the run's state.
            engine::refresh::after_data_change(db, workspace_id, cause).ok();
            Ok(scoring_status(&engine::refresh::scoring_run(db, workspace_id)?, db::now()))
        })
        .await
}

/// A workspace's scoring run as the API shows it, at `now`.
pub fn scoring_status(run: &ScoringRun, now: NaiveDateTime) -> ScoringStatus {
    ScoringStatus {
        state: run.state(now.date()),
        scores_as_of: run.scores_as_of,
        scored_at: run.scored_at,
        error: run.error.clone(),
        failed_at: run.failed_at,
        failures: run.failures,
        next_retry_at: run.next_retry_at(),
    }
}
