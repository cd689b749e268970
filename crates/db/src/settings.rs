//! A workspace's settings (one row of `settings`): kind, activity window, RFM look-back window
//! and scoring method, and the health/engagement/fit configuration. The JSON documents are
//! validated by the domain crate before they are stored; what is stored and cannot be read
//! (an older shape, a hand edit) falls back to the defaults rather than failing every page.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::metrics::WorkspaceKind;
use domain::rfm::RfmScoring;
use domain::scores::{MAX_DAYS, ScoreSettings};
use domain::scoring_run::ScoringRun;

use crate::schema::settings;
use crate::{DbConn, Error, Result};

/// The activity window when a workspace has not set one (docs/metrics.md).
pub const DEFAULT_ACTIVITY_WINDOW_DAYS: u32 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceSettings {
    pub kind: WorkspaceKind,
    /// A user is online when seen within this many days.
    pub activity_window_days: u32,
    /// RFM counts only orders of the last this many days (none: all history).
    pub rfm_window_days: Option<u32>,
    pub rfm_scoring: RfmScoring,
    pub scores: ScoreSettings,
    pub updated_at: Option<NaiveDateTime>,
    /// The date as of which the users' stored scores were computed, while no data changed
    /// since (see [`scores_computed`] and [`data_changed`]).
    pub scores_as_of: Option<NaiveDate>,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        WorkspaceSettings {
            kind: WorkspaceKind::Orders,
            activity_window_days: DEFAULT_ACTIVITY_WINDOW_DAYS,
            rfm_window_days: None,
            rfm_scoring: RfmScoring::Ranked,
            scores: ScoreSettings::default(),
            updated_at: None,
            scores_as_of: None,
        }
    }
}

/// What `PUT /settings` may change; `None` leaves a value as it is. `rfm_window_days:
/// Some(None)` removes the look-back window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeneralChanges {
    pub kind: Option<WorkspaceKind>,
    pub activity_window_days: Option<u32>,
    pub rfm_window_days: Option<Option<u32>>,
    pub rfm_scoring: Option<RfmScoring>,
}

#[derive(Queryable)]
struct Row {
    #[diesel(deserialize_as = String)]
    kind: WorkspaceKind,
    activity_window_days: i32,
    rfm_window_days: Option<i32>,
    rfm_scoring: String,
    scores: String,
    updated_at: NaiveDateTime,
    scores_as_of: Option<NaiveDate>,
}

/// `{"method": "ranked"}`, `{"method": "fixed", …}`, or the bare `"ranked"` of the column's
/// default.
fn parse_scoring(text: &str) -> RfmScoring {
    serde_json::from_str(text).unwrap_or_default()
}

/// `'{}'` (the column's default) and anything unreadable mean the default configuration.
fn parse_scores(text: &str) -> ScoreSettings {
    serde_json::from_str(text).unwrap_or_default()
}

fn to_u32(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

/// The workspace's settings (defaults when it has no row).
pub fn get(conn: &mut DbConn, workspace_id: i64) -> Result<WorkspaceSettings> {
    let row: Option<Row> = settings::table
        .find(workspace_id)
        .select((
            settings::kind,
            settings::activity_window_days,
            settings::rfm_window_days,
            settings::rfm_scoring,
            settings::scores,
            settings::updated_at,
            settings::scores_as_of,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map_or_else(WorkspaceSettings::default, |row| WorkspaceSettings {
        kind: row.kind,
        activity_window_days: to_u32(row.activity_window_days).max(1),
        rfm_window_days: row.rfm_window_days.map(to_u32).filter(|&d| d > 0),
        rfm_scoring: parse_scoring(&row.rfm_scoring),
        scores: parse_scores(&row.scores),
        updated_at: Some(row.updated_at),
        scores_as_of: row.scores_as_of,
    }))
}

fn check_days(field: &str, days: u32) -> Result<()> {
    if (1..=MAX_DAYS).contains(&days) {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("must be between 1 and {MAX_DAYS} days")))
    }
}

/// Validates and stores the general settings; returns them as stored.
pub fn update_general(conn: &mut DbConn, workspace_id: i64, changes: &GeneralChanges) -> Result<WorkspaceSettings> {
    let mut current = get(conn, workspace_id)?;
    if let Some(days) = changes.activity_window_days {
        check_days("activity_window_days", days)?;
        current.activity_window_days = days;
    }
    if let Some(window) = changes.rfm_window_days {
        if let Some(days) = window {
            check_days("rfm_window_days", days)?;
        }
        current.rfm_window_days = window;
    }
    if let Some(scoring) = &changes.rfm_scoring {
        if let RfmScoring::Fixed(thresholds) = scoring {
            thresholds.validate().map_err(|e| {
                let field = match e {
                    domain::rfm::ThresholdsError::NotIncreasing { field } => field,
                    domain::rfm::ThresholdsError::NegativeRecency => "recency_days",
                };
                Error::invalid(format!("rfm_scoring.{field}"), e.to_string())
            })?;
        }
        current.rfm_scoring = scoring.clone();
    }
    if let Some(kind) = changes.kind {
        current.kind = kind;
    }
    store(conn, workspace_id, &current)
}

/// Validates and stores the score configuration.
pub fn update_scores(conn: &mut DbConn, workspace_id: i64, scores: &ScoreSettings) -> Result<WorkspaceSettings> {
    scores.validate().map_err(|e| Error::invalid(e.path, e.message))?;
    let mut current = get(conn, workspace_id)?;
    current.scores = scores.clone();
    store(conn, workspace_id, &current)
}

/// Holds the workspace's settings row until the caller's transaction ends (a no-op update,
/// which locks the row on both backends): writers of derived data that read before they write
/// (the rescoring) take turns per workspace, each reading what the one before committed.
pub fn hold(conn: &mut DbConn, workspace_id: i64) -> Result<()> {
    diesel::update(settings::table.find(workspace_id))
        .set(settings::workspace_id.eq(settings::workspace_id))
        .execute(conn)?;
    Ok(())
}

/// Records that the stored scores are those as of `as_of`, computed at `at` (the rescoring's
/// last step, in its transaction): the scoring run is current and any failure is cleared.
pub fn scores_computed(conn: &mut DbConn, workspace_id: i64, as_of: NaiveDate, at: NaiveDateTime) -> Result<()> {
    diesel::update(settings::table.find(workspace_id))
        .set((
            settings::scores_as_of.eq(Some(as_of)),
            settings::scored_at.eq(Some(at)),
            settings::scoring_error.eq(None::<String>),
            settings::scoring_failed_at.eq(None::<NaiveDateTime>),
            settings::scoring_failures.eq(0),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that a scoring run (or the segment refresh after it) failed at `at` with `error`
/// (in a transaction of its own: the run's was rolled back). The schedule retries it.
pub fn scoring_failed(conn: &mut DbConn, workspace_id: i64, at: NaiveDateTime, error: &str) -> Result<()> {
    diesel::update(settings::table.find(workspace_id))
        .set((
            settings::scoring_error.eq(Some(error)),
            settings::scoring_failed_at.eq(Some(at)),
            settings::scoring_failures.eq(settings::scoring_failures + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// What is recorded of the workspace's scoring runs.
/// When the workspace was created.
pub fn workspace_created_at(conn: &mut DbConn, workspace_id: i64) -> Result<NaiveDateTime> {
    Ok(crate::schema::workspaces::table.find(workspace_id).select(crate::schema::workspaces::created_at).first(conn)?)
}

pub fn scoring_run(conn: &mut DbConn, workspace_id: i64) -> Result<ScoringRun> {
    type Row = (Option<NaiveDate>, Option<NaiveDateTime>, Option<String>, Option<NaiveDateTime>, i64);
    let row: Option<Row> = settings::table
        .find(workspace_id)
        .select((
            settings::scores_as_of,
            settings::scored_at,
            settings::scoring_error,
            settings::scoring_failed_at,
            settings::scoring_failures,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map_or_else(ScoringRun::default, |(scores_as_of, scored_at, error, failed_at, failures)| ScoringRun {
        scores_as_of,
        scored_at,
        error,
        failed_at,
        failures: u32::try_from(failures).unwrap_or(u32::MAX),
    }))
}

/// Records that the workspace's data changed (in the transaction of the change): its stored
/// scores are no longer current until the next rescoring, and its data and users versions move
/// on.
pub fn data_changed(conn: &mut DbConn, workspace_id: i64) -> Result<()> {
    diesel::update(settings::table.find(workspace_id))
        .set((
            settings::scores_as_of.eq(None::<NaiveDate>),
            settings::data_version.eq(settings::data_version + 1),
            settings::users_version.eq(settings::users_version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that some of the workspace's users changed (in the transaction of the change)
/// without other data changing: a user written through the API, a rescoring's new scores.
pub fn users_changed(conn: &mut DbConn, workspace_id: i64) -> Result<()> {
    diesel::update(settings::table.find(workspace_id))
        .set(settings::users_version.eq(settings::users_version + 1))
        .execute(conn)?;
    Ok(())
}

/// The workspace's data version: it moves on with every [`data_changed`].
pub fn data_version(conn: &mut DbConn, workspace_id: i64) -> Result<i64> {
    Ok(settings::table.find(workspace_id).select(settings::data_version).first::<i64>(conn).optional()?.unwrap_or(0))
}

/// The workspace's users version: it moves on with every [`data_changed`] and
/// [`users_changed`].
pub fn users_version(conn: &mut DbConn, workspace_id: i64) -> Result<i64> {
    Ok(settings::table.find(workspace_id).select(settings::users_version).first::<i64>(conn).optional()?.unwrap_or(0))
}

/// The time of the workspace's latest order (see [`orders_imported`]).
pub fn latest_order_at(conn: &mut DbConn, workspace_id: i64) -> Result<Option<NaiveDateTime>> {
    Ok(settings::table
        .find(workspace_id)
        .select(settings::latest_order_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}

/// Records orders imported up to `latest` (in the import's transaction): the workspace's
/// latest order time only ever moves forward, so it may stay later than the latest order if
/// a re-import moves that order back, which only makes RFM recompute what it could have read.
pub fn orders_imported(conn: &mut DbConn, workspace_id: i64, latest: NaiveDateTime) -> Result<()> {
    let current = latest_order_at(conn, workspace_id)?;
    if current.is_none_or(|c| c < latest) {
        diesel::update(settings::table.find(workspace_id))
            .set(settings::latest_order_at.eq(Some(latest)))
            .execute(conn)?;
    }
    Ok(())
}

/// Stores the settings; the stored scores are stale until the rescoring that follows.
fn store(conn: &mut DbConn, workspace_id: i64, s: &WorkspaceSettings) -> Result<WorkspaceSettings> {
    let now = crate::now();
    let to_i32 = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let scoring = serde_json::to_string(&s.rfm_scoring).expect("scoring serialises");
    let scores = serde_json::to_string(&s.scores).expect("scores serialise");
    let values = (
        settings::kind.eq(s.kind.key()),
        settings::activity_window_days.eq(to_i32(s.activity_window_days)),
        settings::rfm_window_days.eq(s.rfm_window_days.map(to_i32)),
        settings::rfm_scoring.eq(&scoring),
        settings::scores.eq(&scores),
        settings::updated_at.eq(now),
        settings::scores_as_of.eq(None::<NaiveDate>),
    );
    let updated = diesel::update(settings::table.find(workspace_id)).set(values).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(settings::table).values((settings::workspace_id.eq(workspace_id), values)).execute(conn)?;
    }
    get(conn, workspace_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_defaults_read_as_defaults() {
        assert_eq!(parse_scoring("\"ranked\""), RfmScoring::Ranked);
        assert_eq!(parse_scoring("{\"method\":\"ranked\"}"), RfmScoring::Ranked);
        assert_eq!(parse_scores("{}"), ScoreSettings::default());
    }
}
