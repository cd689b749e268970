//! A segment as stored (definition, counts of its last refresh), its draft, and the reads.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::conditions::{ConditionGroup, referenced_segments};
pub use domain::segments::Visibility;

use crate::filters::{Viewer, read_tree, stored_tree};
use crate::schema::segments;
use crate::{DbConn, Error, Result};

/// Users sampled by a preview.
pub const PREVIEW_SAMPLE: i64 = 20;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = segments)]
pub struct SegmentRow {
    pub id: i64,
    pub workspace_id: i64,
    pub owner_id: Option<i64>,
    pub name: String,
    pub description: Option<String>,
    #[diesel(deserialize_as = String)]
    pub visibility: Visibility,
    pub show_on_user_page: bool,
    pub position: i64,
    pub conditions: String,
    pub size: i64,
    pub online: i64,
    pub offline: i64,
    pub refreshed_at: Option<NaiveDateTime>,
    pub refresh_ms: Option<i64>,
    pub refresh_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl SegmentRow {
    /// Its tree; a conflict when the stored text cannot be read (see [`read_tree`]).
    pub fn tree(&self) -> Result<ConditionGroup> {
        read_tree(&self.conditions)
    }

    pub(super) fn visible_to(&self, viewer: Viewer) -> bool {
        self.visibility != Visibility::Private || (viewer.operator_id.is_some() && self.owner_id == viewer.operator_id)
    }
}

/// What a create or an update sets; `None` keeps the current value (or the default on
/// create). An empty description clears it.
#[derive(Debug, Clone, Default)]
pub struct SegmentDraft {
    pub name: Option<String>,
    pub description: Option<String>,
    pub visibility: Option<Visibility>,
    pub show_on_user_page: Option<bool>,
    /// The tree as sent; parsed and validated for the viewer on save.
    pub conditions: Option<serde_json::Value>,
}

/// Segments the viewer sees, in list order; `search` matches names ignoring case.
pub fn list(conn: &mut DbConn, workspace_id: i64, viewer: Viewer, search: Option<&str>) -> Result<Vec<SegmentRow>> {
    let rows: Vec<SegmentRow> = segments::table
        .filter(segments::workspace_id.eq(workspace_id))
        .order((segments::position, segments::id))
        .select(SegmentRow::as_select())
        .load(conn)?;
    let needle = search.map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
    Ok(rows
        .into_iter()
        .filter(|s| s.visible_to(viewer))
        .filter(|s| needle.as_ref().is_none_or(|n| s.name.to_lowercase().contains(n.as_str())))
        .collect())
}

/// One segment the viewer may see (NotFound otherwise, and across workspaces).
/// A custom segment's name, whoever may see it (for messages to the workspace's webhooks).
pub fn name(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<Option<String>> {
    Ok(segments::table
        .find(id)
        .filter(segments::workspace_id.eq(workspace_id))
        .select(segments::name)
        .first(conn)
        .optional()?)
}

pub fn get(conn: &mut DbConn, workspace_id: i64, viewer: Viewer, id: i64) -> Result<SegmentRow> {
    let row: SegmentRow = segments::table
        .find(id)
        .filter(segments::workspace_id.eq(workspace_id))
        .select(SegmentRow::as_select())
        .first(conn)?;
    if row.visible_to(viewer) { Ok(row) } else { Err(Error::NotFound) }
}

pub(super) fn all_rows(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<SegmentRow>> {
    Ok(segments::table
        .filter(segments::workspace_id.eq(workspace_id))
        .order((segments::position, segments::id))
        .select(SegmentRow::as_select())
        .load(conn)?)
}

/// The segments each segment refers to, from the stored trees.
pub(super) fn reference_graph(rows: &[SegmentRow]) -> BTreeMap<i64, Vec<i64>> {
    rows.iter().map(|s| (s.id, referenced_segments(&stored_tree(&s.conditions)))).collect()
}
