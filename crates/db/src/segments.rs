//! Custom segments: definitions (name unique per workspace ignoring case, visibility,
//! position, condition tree), membership kept in `segment_members` with enter/exit rows in
//! `segment_history`, and the counts of the last refresh.
//!
//! A refresh evaluates the compiled tree in the database into a temporary table, then applies
//! the difference to the stored membership (exits first, then entries), all in one write
//! transaction per segment. Segments that refer to other segments are refreshed after them;
//! membership cycles are rejected when a tree is saved.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use domain::conditions::{Group, referenced_segments};
use domain::segment_events::{EventType, Trigger};

use crate::compile::{self, Env};
use crate::filters::{self, Viewer, stored_tree, tree_text};
use crate::schema::{custom_filters, operators, segments};
use crate::sql::{Count, Dialect, Param, Query};
use crate::{Db, DbConn, Error, Result, on_backend};

/// Users sampled by a preview.
pub const PREVIEW_SAMPLE: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    #[default]
    Public,
    Private,
}

impl Visibility {
    pub fn key(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
        }
    }

    pub fn parse(key: &str) -> Option<Visibility> {
        match key {
            "public" => Some(Visibility::Public),
            "private" => Some(Visibility::Private),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = segments)]
pub struct SegmentRow {
    pub id: i64,
    pub workspace_id: i64,
    pub owner_id: Option<i64>,
    pub name: String,
    pub description: Option<String>,
    pub visibility: String,
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
    pub fn tree(&self) -> Group {
        stored_tree(&self.conditions)
    }

    fn visible_to(&self, viewer: Viewer) -> bool {
        self.visibility != Visibility::Private.key()
            || (viewer.operator_id.is_some() && self.owner_id == viewer.operator_id)
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

// ---------------------------------------------------------------------------------------
// Reads

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

fn all_rows(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<SegmentRow>> {
    Ok(segments::table
        .filter(segments::workspace_id.eq(workspace_id))
        .order((segments::position, segments::id))
        .select(SegmentRow::as_select())
        .load(conn)?)
}

// ---------------------------------------------------------------------------------------
// Writes

fn ensure_unique_name(conn: &mut DbConn, workspace_id: i64, name: &str, except: Option<i64>) -> Result<()> {
    if name_taken(conn, workspace_id, name, except)? {
        Err(Error::Conflict(format!("a segment named '{name}' exists")))
    } else {
        Ok(())
    }
}

fn name_taken(conn: &mut DbConn, workspace_id: i64, name: &str, except: Option<i64>) -> Result<bool> {
    let mut q = Query::new("SELECT id AS n FROM segments WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(" AND lower(name) = lower(")
        .bind(Param::text(name))
        .push(") AND id <> ")
        .bind(Param::I64(Some(except.unwrap_or(-1))));
    Ok(!q.load::<Count>(conn)?.is_empty())
}

fn clean_description(d: Option<String>) -> Option<String> {
    d.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The segments each segment refers to, from the stored trees.
fn reference_graph(rows: &[SegmentRow]) -> BTreeMap<i64, Vec<i64>> {
    rows.iter().map(|s| (s.id, referenced_segments(&s.tree()))).collect()
}

/// Rejects a tree for segment `id` whose `segment` conditions lead back to `id`.
fn check_cycles(conn: &mut DbConn, workspace_id: i64, id: i64, tree: &Group) -> Result<()> {
    let rows = all_rows(conn, workspace_id)?;
    let names: HashMap<i64, String> = rows.iter().map(|s| (s.id, s.name.clone())).collect();
    let mut graph = reference_graph(&rows);
    graph.insert(id, referenced_segments(tree));
    // A path from one of the tree's references back to `id`, if any.
    let path_back = |start: i64| -> Option<Vec<i64>> {
        let mut stack = vec![(start, vec![start])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            if node == id {
                return Some(path);
            }
            if !seen.insert(node) {
                continue;
            }
            for next in graph.get(&node).into_iter().flatten() {
                let mut p = path.clone();
                p.push(*next);
                stack.push((*next, p));
            }
        }
        None
    };
    for (path, c) in tree.walk() {
        if c.field != "segment" {
            continue;
        }
        let ids = referenced_segments(&Group {
            r#match: domain::conditions::Match::All,
            conditions: vec![domain::conditions::Node::Condition(c.clone())],
        });
        for start in ids {
            if let Some(cycle) = path_back(start) {
                let mut chain = vec![names.get(&id).cloned().unwrap_or_else(|| "this segment".into())];
                chain.extend(cycle.iter().map(|s| names.get(s).cloned().unwrap_or_else(|| s.to_string())));
                return Err(Error::invalid(path, format!("membership cycle: {}", chain.join(" → "))));
            }
        }
    }
    Ok(())
}

fn next_position(conn: &mut DbConn, workspace_id: i64) -> Result<i64> {
    let max: Option<i64> = segments::table
        .filter(segments::workspace_id.eq(workspace_id))
        .select(diesel::dsl::max(segments::position))
        .first(conn)?;
    Ok(max.map_or(0, |m| m + 1))
}

/// Creates a segment owned by the viewer (membership is empty until refreshed).
pub fn create(conn: &mut DbConn, workspace_id: i64, viewer: Viewer, draft: SegmentDraft) -> Result<SegmentRow> {
    let name = filters::check_name(draft.name.as_deref().unwrap_or(""))?;
    ensure_unique_name(conn, workspace_id, &name, None)?;
    let visibility = draft.visibility.unwrap_or_default();
    if visibility == Visibility::Private && viewer.operator_id.is_none() {
        return Err(Error::invalid("visibility", "a private segment needs a signed-in operator as its owner"));
    }
    let tree = match &draft.conditions {
        Some(json) => filters::parse_tree(conn, workspace_id, viewer, json)?,
        None => Group::everyone(),
    };
    let position = next_position(conn, workspace_id)?;
    let now = crate::now();
    let id: i64 = on_backend!(conn, c => diesel::insert_into(segments::table)
        .values((
            segments::workspace_id.eq(workspace_id),
            segments::owner_id.eq(viewer.operator_id),
            segments::name.eq(&name),
            segments::description.eq(clean_description(draft.description.clone())),
            segments::visibility.eq(visibility.key()),
            segments::show_on_user_page.eq(draft.show_on_user_page.unwrap_or(false)),
            segments::position.eq(position),
            segments::conditions.eq(tree_text(&tree)),
            segments::created_at.eq(now),
            segments::updated_at.eq(now),
        ))
        .returning(segments::id)
        .get_result(c))?;
    get(conn, workspace_id, viewer, id)
}

/// Changes a segment the viewer sees. Only its owner may make it private.
pub fn update(
    conn: &mut DbConn,
    workspace_id: i64,
    viewer: Viewer,
    id: i64,
    draft: SegmentDraft,
) -> Result<SegmentRow> {
    let current = get(conn, workspace_id, viewer, id)?;
    let name = draft.name.as_deref().map(filters::check_name).transpose()?;
    if let Some(name) = &name {
        ensure_unique_name(conn, workspace_id, name, Some(id))?;
    }
    let mut owner = current.owner_id;
    if draft.visibility == Some(Visibility::Private) && current.visibility != Visibility::Private.key() {
        match (current.owner_id, viewer.operator_id) {
            (_, None) => {
                return Err(Error::invalid("visibility", "a private segment needs a signed-in operator as its owner"));
            }
            (Some(o), Some(me)) if o != me => {
                return Err(Error::invalid("visibility", "only the segment's owner can make it private"));
            }
            (_, me) => owner = me,
        }
        // Operators who had it active can no longer see it.
        diesel::update(
            operators::table.filter(operators::active_segment_id.eq(id)).filter(operators::id.nullable().ne(owner)),
        )
        .set(operators::active_segment_id.eq(None::<i64>))
        .execute(conn)?;
    }
    let tree = match &draft.conditions {
        Some(json) => Some(filters::parse_tree(conn, workspace_id, viewer, json)?),
        None => None,
    };
    if let Some(tree) = &tree {
        check_cycles(conn, workspace_id, id, tree)?;
    }
    diesel::update(segments::table.find(id))
        .set((
            name.map(|n| segments::name.eq(n)),
            draft.description.map(|d| segments::description.eq(clean_description(Some(d)))),
            draft.visibility.map(|v| segments::visibility.eq(v.key())),
            draft.show_on_user_page.map(|b| segments::show_on_user_page.eq(b)),
            tree.as_ref().map(|t| segments::conditions.eq(tree_text(t))),
            segments::owner_id.eq(owner),
            segments::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    get(conn, workspace_id, viewer, id)
}

/// Deletes a segment the viewer sees, unless another segment or a custom filter refers to
/// it (409 naming them). Operators who had it active are unset.
pub fn delete(conn: &mut DbConn, workspace_id: i64, viewer: Viewer, id: i64) -> Result<()> {
    get(conn, workspace_id, viewer, id)?;
    let mut users: Vec<String> = all_rows(conn, workspace_id)?
        .into_iter()
        .filter(|s| s.id != id && referenced_segments(&s.tree()).contains(&id))
        .map(|s| format!("segment '{}'", s.name))
        .collect();
    let filters: Vec<(String, String)> = custom_filters::table
        .filter(custom_filters::workspace_id.eq(workspace_id))
        .select((custom_filters::name, custom_filters::conditions))
        .load(conn)?;
    users.extend(
        filters
            .into_iter()
            .filter(|(_, text)| referenced_segments(&stored_tree(text)).contains(&id))
            .map(|(name, _)| format!("custom filter '{name}'")),
    );
    if !users.is_empty() {
        return Err(Error::Conflict(format!("the segment is used by {}", users.join(", "))));
    }
    diesel::update(operators::table.filter(operators::active_segment_id.eq(id)))
        .set(operators::active_segment_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(segments::table.find(id)).execute(conn)?;
    crate::segment_events::forget_segment(conn, workspace_id, id)
}

/// A copy named "Copy of …" (numbered when taken), owned by the viewer, placed last.
pub fn duplicate(conn: &mut DbConn, workspace_id: i64, viewer: Viewer, id: i64) -> Result<SegmentRow> {
    let source = get(conn, workspace_id, viewer, id)?;
    let base = format!("Copy of {}", source.name);
    let mut name = base.clone();
    let mut n = 2;
    while name_taken(conn, workspace_id, &name, None)? {
        name = format!("{base} ({n})");
        n += 1;
    }
    let visibility = match viewer.operator_id {
        Some(_) => Visibility::parse(&source.visibility).unwrap_or_default(),
        None => Visibility::Public,
    };
    let position = next_position(conn, workspace_id)?;
    let now = crate::now();
    let id: i64 = on_backend!(conn, c => diesel::insert_into(segments::table)
        .values((
            segments::workspace_id.eq(workspace_id),
            segments::owner_id.eq(viewer.operator_id),
            segments::name.eq(&name),
            segments::description.eq(&source.description),
            segments::visibility.eq(visibility.key()),
            segments::show_on_user_page.eq(source.show_on_user_page),
            segments::position.eq(position),
            segments::conditions.eq(&source.conditions),
            segments::created_at.eq(now),
            segments::updated_at.eq(now),
        ))
        .returning(segments::id)
        .get_result(c))?;
    get(conn, workspace_id, viewer, id)
}

/// Creates (`id: None`) or changes a segment, then refreshes its membership (and that of the
/// segments depending on it). A failed refresh leaves the saved segment with its
/// `refresh_error`.
pub fn save(db: &Db, workspace_id: i64, viewer: Viewer, id: Option<i64>, draft: SegmentDraft) -> Result<SegmentRow> {
    let row = db.write(|c| match id {
        None => create(c, workspace_id, viewer, draft),
        Some(id) => update(c, workspace_id, viewer, id, draft),
    })?;
    refresh_saved(db, workspace_id, viewer, row.id)
}

/// A copy of a segment ("Copy of …"), refreshed.
pub fn save_copy(db: &Db, workspace_id: i64, viewer: Viewer, id: i64) -> Result<SegmentRow> {
    let row = db.write(|c| duplicate(c, workspace_id, viewer, id))?;
    refresh_saved(db, workspace_id, viewer, row.id)
}

fn refresh_saved(db: &Db, workspace_id: i64, viewer: Viewer, id: i64) -> Result<SegmentRow> {
    match refresh(db, workspace_id, viewer, id, Trigger::Save) {
        Ok(row) => Ok(row),
        // Recorded on the segment by the refresh.
        Err(_) => db.read(|c| get(c, workspace_id, viewer, id)),
    }
}

/// Puts the listed segments in this order, keeping the places of the others: the listed
/// segments take their own positions, sorted, in the new order.
pub fn reorder(conn: &mut DbConn, workspace_id: i64, viewer: Viewer, ids: &[i64]) -> Result<Vec<SegmentRow>> {
    let rows = all_rows(conn, workspace_id)?;
    // Distinct positions first (older rows may share one).
    for (i, row) in rows.iter().enumerate() {
        if row.position != i as i64 {
            diesel::update(segments::table.find(row.id)).set(segments::position.eq(i as i64)).execute(conn)?;
        }
    }
    let position: HashMap<i64, i64> = rows.iter().enumerate().map(|(i, r)| (r.id, i as i64)).collect();
    let mut seen = BTreeSet::new();
    for (i, id) in ids.iter().enumerate() {
        let visible = rows.iter().any(|r| r.id == *id && r.visible_to(viewer));
        if !visible {
            return Err(Error::invalid(format!("ids[{i}]"), format!("unknown segment {id}")));
        }
        if !seen.insert(*id) {
            return Err(Error::invalid(format!("ids[{i}]"), format!("segment {id} is listed twice")));
        }
    }
    let mut slots: Vec<i64> = ids.iter().map(|id| position[id]).collect();
    slots.sort_unstable();
    for (id, slot) in ids.iter().zip(slots) {
        diesel::update(segments::table.find(*id)).set(segments::position.eq(slot)).execute(conn)?;
    }
    list(conn, workspace_id, viewer, None)
}

// ---------------------------------------------------------------------------------------
// Evaluation

/// `FROM users u WHERE u.workspace_id = ? AND (<tree>)`.
pub fn matching_users(conn: &mut DbConn, workspace_id: i64, tree: &Group, now: NaiveDateTime) -> Result<Query> {
    Ok(from_where(workspace_id, matching(conn, workspace_id, tree, now)?))
}

/// The compiled tree, a predicate on `u`.
fn matching(conn: &mut DbConn, workspace_id: i64, tree: &Group, now: NaiveDateTime) -> Result<Query> {
    let env = filters::workspace_env(conn, workspace_id)?;
    let catalog = filters::property_context(conn, workspace_id)?;
    let env = Env {
        dialect: Dialect::of(conn),
        workspace_id,
        now,
        activity_window_days: env.activity_window_days,
        catalog: &catalog,
    };
    Ok(compile::compile(tree, &env))
}

fn from_where(workspace_id: i64, predicate: Query) -> Query {
    let mut q = Query::new(" FROM users u WHERE u.workspace_id = ");
    q.bind(Param::I64(Some(workspace_id))).push(" AND (").append(predicate).push(")");
    q
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, QueryableByName)]
pub struct Counts {
    /// Matching users, churned ones included.
    #[diesel(sql_type = BigInt)]
    pub total: i64,
    /// Active (not churned) matching users.
    #[diesel(sql_type = BigInt)]
    pub size: i64,
    /// Active ones seen within the activity window.
    #[diesel(sql_type = BigInt)]
    pub online: i64,
}

impl Counts {
    pub fn offline(&self) -> i64 {
        self.size - self.online
    }
}

fn counts_select(online_since: NaiveDateTime) -> Query {
    let mut q = Query::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total, \
         CAST(COALESCE(SUM(CASE WHEN u.churned_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS size, \
         CAST(COALESCE(SUM(CASE WHEN u.churned_at IS NULL AND u.last_seen_at >= ",
    );
    q.bind(Param::Ts(Some(online_since))).push(" THEN 1 ELSE 0 END), 0) AS BIGINT) AS online");
    q
}

/// Users seen at or after this instant are online (the activity window of docs/metrics.md).
pub fn online_since(conn: &mut DbConn, workspace_id: i64, now: NaiveDateTime) -> Result<NaiveDateTime> {
    let env = filters::workspace_env(conn, workspace_id)?;
    Ok(now - Duration::days(env.activity_window_days))
}

/// Workspaces larger than this (in id span) are counted in parallel id ranges on SQLite.
const PARALLEL_SPAN: i64 = 200_000;

/// How a statement reads the workspace's users that match a predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pass {
    /// As the planner chooses: through an index that narrows the users down, or on PostgreSQL
    /// (which plans and parallelises full passes itself).
    Planned,
    /// Every user of the workspace, read from the table in id order over these id ranges
    /// (see [`pass`]).
    Whole(Vec<(i64, i64)>),
}

#[derive(QueryableByName)]
struct PlanStep {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

/// How to read the workspace's users matching `predicate`, in up to `parts` id ranges.
///
/// When SQLite's plan reads every user of the workspace anyway (it scans `u`, or searches it
/// by the workspace alone), the rows are read from the table in id order instead: the
/// workspace's index would cost a lookup of each row, and the sampled statistics (ANALYZE
/// with an analysis limit) make the planner take that index for a narrow one. The workspace's
/// id span bounds the read; users of another workspace inside it are read and skipped.
fn pass(conn: &mut DbConn, workspace_id: i64, predicate: &Query, parts: i64) -> Result<Pass> {
    if Dialect::of(conn) != Dialect::Sqlite {
        return Ok(Pass::Planned);
    }
    let mut plan = Query::new("EXPLAIN QUERY PLAN SELECT u.id");
    plan.append(from_where(workspace_id, predicate.clone()));
    let whole = plan.load::<PlanStep>(conn)?.iter().any(|step| {
        let d = step.detail.as_str();
        d == "SCAN u" || d.starts_with("SCAN u ") || (d.starts_with("SEARCH u ") && d.ends_with(" (workspace_id=?)"))
    });
    let span = crate::lists::user_id_span(conn, workspace_id)?;
    let (true, Some((lo, hi))) = (whole, span) else { return Ok(Pass::Planned) };
    let parts = if hi - lo < PARALLEL_SPAN { 1 } else { parts.max(1) };
    let step = (hi - lo) / parts + 1;
    Ok(Pass::Whole((0..parts).map(|i| (lo + i * step, (lo + (i + 1) * step - 1).min(hi))).collect()))
}

/// ` FROM users u WHERE …` for each part of `pass`.
fn pass_bodies(workspace_id: i64, predicate: &Query, pass: &Pass) -> Vec<Query> {
    match pass {
        Pass::Planned => vec![from_where(workspace_id, predicate.clone())],
        Pass::Whole(ranges) => ranges
            .iter()
            .map(|&(first, last)| {
                let mut q = Query::new(" FROM users u NOT INDEXED WHERE u.workspace_id = ");
                q.bind(Param::I64(Some(workspace_id)))
                    .push(" AND u.id >= ")
                    .bind(Param::I64(Some(first)))
                    .push(" AND u.id <= ")
                    .bind(Param::I64(Some(last)))
                    .push(" AND (")
                    .append(predicate.clone())
                    .push(")");
                q
            })
            .collect(),
    }
}

/// The whole of `pass` as one range (for a statement that runs on one connection).
fn in_one(pass: Pass) -> Pass {
    match pass {
        Pass::Whole(ranges) => match (ranges.first(), ranges.last()) {
            (Some(&(first, _)), Some(&(_, last))) => Pass::Whole(vec![(first, last)]),
            _ => Pass::Whole(ranges),
        },
        planned => planned,
    }
}

/// Counts and the first users (by id) matching a draft tree, without saving anything. SQLite
/// has no parallel scans of its own, so a whole pass over a large workspace is counted in id
/// ranges on several pooled connections at once.
pub fn preview(db: &Db, workspace_id: i64, tree: &Group, sample: i64) -> Result<(Counts, Vec<i64>)> {
    let now = crate::now();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4) as i64;
    let (predicate, since, pass) = db.read(|c| {
        let predicate = matching(c, workspace_id, tree, now)?;
        let pass = pass(c, workspace_id, &predicate, cores)?;
        Ok((predicate, online_since(c, workspace_id, now)?, pass))
    })?;
    let count = |body: Query| -> Result<Counts> {
        let mut q = counts_select(since);
        q.append(body);
        db.read(|c| Ok(q.load::<Counts>(c)?.into_iter().next().unwrap_or_default()))
    };
    let mut bodies = pass_bodies(workspace_id, &predicate, &pass);
    let counts = if bodies.len() == 1 {
        count(bodies.remove(0))?
    } else {
        std::thread::scope(|scope| {
            let parts: Vec<_> = bodies.into_iter().map(|body| scope.spawn(move || count(body))).collect();
            parts.into_iter().try_fold(Counts::default(), |sum, part| {
                let part = part.join().map_err(|_| Error::Migration("a preview thread panicked".into()))??;
                Ok::<_, Error>(Counts {
                    total: sum.total + part.total,
                    size: sum.size + part.size,
                    online: sum.online + part.online,
                })
            })
        })?
    };
    let mut ids = Query::new("SELECT u.id AS n");
    ids.append(pass_bodies(workspace_id, &predicate, &in_one(pass)).remove(0));
    ids.push(" ORDER BY u.id LIMIT ").bind(Param::I64(Some(sample)));
    let ids = db.read(|c| Ok(ids.load::<Count>(c)?.into_iter().map(|c| c.n).collect()))?;
    Ok((counts, ids))
}

/// `POST /segments/preview`: validates a draft tree for the viewer, counts it and loads the
/// sample users with their companies.
pub fn preview_draft(
    db: &Db,
    workspace_id: i64,
    viewer: Viewer,
    json: &serde_json::Value,
) -> Result<(Counts, Vec<crate::lists::ListedUser>)> {
    let tree = db.read(|c| filters::parse_tree(c, workspace_id, viewer, json))?;
    let (counts, ids) = preview(db, workspace_id, &tree, PREVIEW_SAMPLE)?;
    Ok((counts, db.read(|c| crate::lists::users_by_id(c, &ids))?))
}

// ---------------------------------------------------------------------------------------
// Refresh

/// Recomputes one segment's membership inside the caller's write transaction, recording who
/// entered and exited (`segment_events`, caused by `cause`).
fn refresh_in(conn: &mut DbConn, segment: &SegmentRow, now: NaiveDateTime, cause: Trigger) -> Result<Counts> {
    let ws = segment.workspace_id;
    let id = Param::I64(Some(segment.id));
    let at = Param::Ts(Some(now));
    match Dialect::of(conn) {
        Dialect::Sqlite => {
            Query::new("DROP TABLE IF EXISTS temp.segment_refresh").execute(conn)?;
            Query::new("CREATE TEMP TABLE segment_refresh (user_id INTEGER PRIMARY KEY)").execute(conn)?;
        }
        Dialect::Postgres => {
            Query::new("DROP TABLE IF EXISTS pg_temp.segment_refresh").execute(conn)?;
            Query::new("CREATE TEMP TABLE segment_refresh (user_id BIGINT PRIMARY KEY) ON COMMIT DROP")
                .execute(conn)?;
        }
    }
    let predicate = matching(conn, ws, &segment.tree(), now)?;
    let pass = pass(conn, ws, &predicate, 1)?;
    let mut fill = Query::new("INSERT INTO segment_refresh (user_id) SELECT u.id");
    fill.append(pass_bodies(ws, &predicate, &pass).remove(0));
    fill.execute(conn)?;

    let mut exits = Query::new("UPDATE segment_history SET exited_at = ");
    exits.bind(at.clone()).push(" WHERE segment_id = ").bind(id.clone()).push(
        " AND exited_at IS NULL AND NOT EXISTS \
             (SELECT 1 FROM segment_refresh r WHERE r.user_id = segment_history.user_id)",
    );
    exits.execute(conn)?;
    let after = crate::webhooks::last_event_id(conn)?;
    let mut exited = crate::segment_events::insert_select(ws, segment.id, EventType::Exited, now, cause);
    exited
        .push("m.user_id FROM segment_members m WHERE m.segment_id = ")
        .bind(id.clone())
        .push(" AND NOT EXISTS (SELECT 1 FROM segment_refresh r WHERE r.user_id = m.user_id)");
    exited.execute(conn)?;
    let mut entered = crate::segment_events::insert_select(ws, segment.id, EventType::Entered, now, cause);
    entered
        .push(
            "r.user_id FROM segment_refresh r WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ",
        )
        .bind(id.clone())
        .push(" AND m.user_id = r.user_id)");
    entered.execute(conn)?;
    crate::segment_events::recorded(
        conn,
        ws,
        after,
        &[(segment.id, EventType::Exited), (segment.id, EventType::Entered)],
    )?;
    let mut gone = Query::new("DELETE FROM segment_members WHERE segment_id = ");
    gone.bind(id.clone())
        .push(" AND NOT EXISTS (SELECT 1 FROM segment_refresh r WHERE r.user_id = segment_members.user_id)");
    gone.execute(conn)?;
    for table in ["segment_history", "segment_members"] {
        let mut enter = Query::new("INSERT INTO ");
        enter
            .push(table)
            .push(" (segment_id, user_id, entered_at) SELECT ")
            .bind(id.clone())
            .push(", r.user_id, ")
            .bind(at.clone())
            .push(" FROM segment_refresh r WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ")
            .bind(id.clone())
            .push(" AND m.user_id = r.user_id)");
        enter.execute(conn)?;
    }
    let mut counts = counts_select(online_since(conn, ws, now)?);
    counts.push(" FROM segment_refresh r JOIN users u ON u.id = r.user_id");
    let counts = counts.load::<Counts>(conn)?.into_iter().next().unwrap_or_default();
    if Dialect::of(conn) == Dialect::Sqlite {
        Query::new("DROP TABLE IF EXISTS temp.segment_refresh").execute(conn)?;
    }
    Ok(counts)
}

fn record(conn: &mut DbConn, id: i64, now: NaiveDateTime, counts: Counts, ms: i64) -> Result<()> {
    diesel::update(segments::table.find(id))
        .set((
            segments::size.eq(counts.size),
            segments::online.eq(counts.online),
            segments::offline.eq(counts.offline()),
            segments::refreshed_at.eq(Some(now)),
            segments::refresh_ms.eq(Some(ms)),
            segments::refresh_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Refreshes one segment in its own write transaction; a failure is recorded on the segment
/// (`refresh_error`, `refresh_ms`) and returned. With `stale_before`, a segment refreshed at
/// or after that instant (by another replica, say) is skipped: the check and the refresh
/// happen in the same transaction, which holds the segment's row.
fn refresh_one(db: &Db, segment_id: i64, stale_before: Option<NaiveDateTime>, cause: Trigger) -> Result<bool> {
    let started = Instant::now();
    let now = crate::now();
    let result = db.write(|conn| {
        let mut claim = Query::new("UPDATE segments SET refreshed_at = ");
        claim.bind(Param::Ts(Some(now))).push(" WHERE id = ").bind(Param::I64(Some(segment_id)));
        if let Some(before) = stale_before {
            claim.push(" AND (refreshed_at IS NULL OR refreshed_at < ").bind(Param::Ts(Some(before))).push(")");
        }
        if claim.execute(conn)? == 0 {
            return Ok(false);
        }
        let segment: SegmentRow = segments::table.find(segment_id).select(SegmentRow::as_select()).first(conn)?;
        let counts = refresh_in(conn, &segment, now, cause)?;
        let ms = started.elapsed().as_millis() as i64;
        record(conn, segment_id, now, counts, ms)?;
        Ok(true)
    });
    if let Err(e) = &result {
        let ms = started.elapsed().as_millis() as i64;
        tracing::error!(segment_id, error = %e, "segment refresh failed");
        let message = match e {
            Error::Query(_) | Error::Pool(_) | Error::Connection(_) => {
                "the database could not evaluate the segment".to_string()
            }
            other => other.to_string(),
        };
        let _ = db.write(|conn| {
            diesel::update(segments::table.find(segment_id))
                .set((segments::refresh_ms.eq(Some(ms)), segments::refresh_error.eq(Some(message))))
                .execute(conn)?;
            Ok(())
        });
    }
    result
}

/// Segment ids in an order where every segment comes after the segments it refers to
/// (segments on a cycle, which saving prevents, come last).
fn dependency_order(rows: &[SegmentRow]) -> Vec<i64> {
    let graph = reference_graph(rows);
    let mut done: BTreeSet<i64> = BTreeSet::new();
    let mut order = Vec::with_capacity(rows.len());
    let mut remaining: Vec<i64> = rows.iter().map(|r| r.id).collect();
    while !remaining.is_empty() {
        let (ready, blocked): (Vec<i64>, Vec<i64>) = remaining
            .iter()
            .partition(|id| graph[*id].iter().all(|r| done.contains(r) || !graph.contains_key(r) || r == *id));
        if ready.is_empty() {
            order.extend(blocked);
            break;
        }
        done.extend(ready.iter().copied());
        order.extend(ready);
        remaining = blocked;
    }
    order
}

/// Refreshes a segment and then every segment that depends on it, directly or not.
pub fn refresh(db: &Db, workspace_id: i64, viewer: Viewer, id: i64, cause: Trigger) -> Result<SegmentRow> {
    let rows = db.read(|c| {
        get(c, workspace_id, viewer, id)?;
        all_rows(c, workspace_id)
    })?;
    let graph = reference_graph(&rows);
    let mut affected = BTreeSet::from([id]);
    loop {
        let before = affected.len();
        for (s, refs) in &graph {
            if refs.iter().any(|r| affected.contains(r)) {
                affected.insert(*s);
            }
        }
        if affected.len() == before {
            break;
        }
    }
    for segment in dependency_order(&rows).into_iter().filter(|s| affected.contains(s)) {
        let result = refresh_one(db, segment, None, cause);
        if segment == id {
            result?;
        }
    }
    db.read(|c| get(c, workspace_id, viewer, id))
}

/// Refreshes every segment of the workspace (after its data changed). Failures are recorded
/// on their segments; the others still refresh.
pub fn refresh_workspace(db: &Db, workspace_id: i64, cause: Trigger) -> Result<()> {
    let rows = db.read(|c| all_rows(c, workspace_id))?;
    for id in dependency_order(&rows) {
        let _ = refresh_one(db, id, None, cause);
    }
    Ok(())
}

/// Refreshes the segments of every workspace last refreshed more than `max_age` ago (or
/// never). Safe to run on several replicas at once: each segment is claimed in the
/// transaction that refreshes it. Returns how many this call refreshed.
pub fn refresh_stale(db: &Db, max_age: Duration) -> Result<usize> {
    let mut refreshed = 0;
    for workspace_id in db.read(crate::auth::workspace_ids)? {
        let cutoff = crate::now() - max_age;
        let rows = db.read(|c| all_rows(c, workspace_id))?;
        let stale: BTreeSet<i64> =
            rows.iter().filter(|r| r.refreshed_at.is_none_or(|t| t < cutoff)).map(|r| r.id).collect();
        for id in dependency_order(&rows).into_iter().filter(|id| stale.contains(id)) {
            if let Ok(true) = refresh_one(db, id, Some(cutoff), Trigger::Schedule) {
                refreshed += 1;
            }
        }
    }
    Ok(refreshed)
}
