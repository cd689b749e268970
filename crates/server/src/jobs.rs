//! Background-style work on a thread of its own: derived data after a change of data
//! (see `db::refresh`).

use crate::{ApiResult, AppState};

/// Brings derived data of a workspace up to date after its data changed.
pub async fn after_data_change(state: &AppState, workspace_id: i64) -> ApiResult<()> {
    state.run_long("rescoring", move |db| Ok(db::refresh::after_data_change(db, workspace_id)?)).await
}
