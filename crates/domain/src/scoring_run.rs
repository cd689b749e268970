//! The state of a workspace's scoring run (RFM and the health/engagement/fit scores stored on
//! every user, then segment membership): whether the stored scores are current, due, or
//! failed, and when a failed run is tried again. A failure never leaves a workspace silently
//! unscored: it is recorded, shown, and retried with a growing delay.

use chrono::{Duration, NaiveDate, NaiveDateTime};

/// The first retry comes this long after a failure; each further failure doubles the delay...
pub const FIRST_RETRY: Duration = Duration::minutes(1);
/// ...up to this.
pub const LONGEST_RETRY: Duration = Duration::hours(1);

pub use vocab::ScoringState;

/// What is recorded of a workspace's scoring runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoringRun {
    /// The date the stored scores are as of, while no data changed since.
    pub scores_as_of: Option<NaiveDate>,
    /// When the last successful run ended.
    pub scored_at: Option<NaiveDateTime>,
    /// The error of the latest run, when it failed (cleared by a success).
    pub error: Option<String>,
    pub failed_at: Option<NaiveDateTime>,
    /// Failures in a row since the last success.
    pub failures: u32,
}

impl ScoringRun {
    pub fn state(&self, today: NaiveDate) -> ScoringState {
        if self.error.is_some() {
            ScoringState::Failed
        } else if self.scores_as_of == Some(today) {
            ScoringState::Current
        } else {
            ScoringState::Pending
        }
    }

    /// When a failed run is tried again: [`retry_delay`] after the failure.
    pub fn next_retry_at(&self) -> Option<NaiveDateTime> {
        self.error.as_ref()?;
        Some(self.failed_at? + retry_delay(self.failures))
    }

    /// Whether the schedule should run the scoring at `now`: it is not current, and a failed
    /// run's retry time has come.
    pub fn due(&self, now: NaiveDateTime) -> bool {
        match self.state(now.date()) {
            ScoringState::Current => false,
            ScoringState::Pending => true,
            ScoringState::Failed => self.next_retry_at().is_none_or(|at| at <= now),
        }
    }
}

/// The delay before retrying after `failures` failures in a row: [`FIRST_RETRY`], doubled for
/// each failure after the first, at most [`LONGEST_RETRY`].
pub fn retry_delay(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    (FIRST_RETRY * (1 << doublings)).min(LONGEST_RETRY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn retry_delay_doubles_up_to_an_hour() {
        let minutes: Vec<i64> = (0..10).map(|n| retry_delay(n).num_minutes()).collect();
        assert_eq!(minutes, [1, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(retry_delay(u32::MAX), LONGEST_RETRY);
    }

    #[test]
    fn state_follows_the_recorded_runs() {
        let now = at("2026-12-07 10:00");
        let today = now.date();
        let mut run = ScoringRun::default();
        assert_eq!(run.state(today), ScoringState::Pending, "never scored");
        assert!(run.due(now));

        run.scores_as_of = Some(today);
        run.scored_at = Some(now);
        assert_eq!(run.state(today), ScoringState::Current);
        assert!(!run.due(now));
        assert_eq!(run.next_retry_at(), None);

        run.scores_as_of = today.pred_opt();
        assert_eq!(run.state(today), ScoringState::Pending, "a new day began");

        run.scores_as_of = None;
        run.error = Some("integer overflow".into());
        run.failed_at = Some(now);
        run.failures = 3;
        assert_eq!(run.state(today), ScoringState::Failed);
        assert_eq!(run.next_retry_at(), Some(at("2026-12-07 10:04")));
        assert!(!run.due(at("2026-12-07 10:03")), "not before its retry time");
        assert!(run.due(at("2026-12-07 10:04")));
    }
}
