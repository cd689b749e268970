//! The state of the workspace's scoring run (RFM, health, engagement, fit and segment
//! membership): a banner on every page while the latest run has failed, and a line in the
//! settings saying when the scores were computed.

use api_types::settings::{ScoringState, ScoringStatus};
use leptos::prelude::*;

use crate::api;
use crate::fetch::Fetch;
use crate::format;

/// Shown under the header of every page while the latest scoring run has failed: the scores
/// on screen are then those of the last run that succeeded.
#[component]
pub fn ScoringBanner() -> impl IntoView {
    let settings = Fetch::new(api::settings);
    move || {
        let status = settings.get().and_then(Result::ok).map(|s| s.scoring)?;
        (status.state == ScoringState::Failed).then(|| view! { <ScoringFailed status/> })
    }
}

#[component]
fn ScoringFailed(status: ScoringStatus) -> impl IntoView {
    let when = status.failed_at.as_ref().map(format::datetime).unwrap_or_default();
    let shown = match status.scored_at.as_ref() {
        Some(t) => format!("Scores and segments shown are from the last successful run, {}.", format::relative(t)),
        None => "No run has succeeded yet: users have no scores.".to_owned(),
    };
    let retry = status
        .next_retry_at
        .as_ref()
        .map(|t| format!("segmenta tries again at {} UTC.", format::datetime(t)))
        .unwrap_or_default();
    view! {
        <div class="alert alert-error alert-banner" role="alert" data-test="scoring-failed">
            <p class="alert-title">{format!("Scoring failed ({when} UTC, {} in a row)", status.failures)}</p>
            <p>{status.error.unwrap_or_default()}</p>
            <p>{shown} " " {retry}</p>
        </div>
    }
}

/// One line: when the stored scores were computed, or that a run is due or failed.
#[component]
pub fn ScoringLine(status: ScoringStatus) -> impl IntoView {
    let last = status.scored_at.as_ref().map_or_else(|| "never".to_owned(), format::relative);
    let text = match status.state {
        ScoringState::Current => format!("Scores are current (computed {last})."),
        ScoringState::Pending => format!("Rescoring is due; the scores shown were computed {last}."),
        ScoringState::Failed => format!(
            "The latest scoring run failed: {}. The scores shown were computed {last}.",
            status.error.as_deref().unwrap_or("unknown error")
        ),
    };
    view! { <p class="muted" data-test="scoring-line">{text}</p> }
}
