//! A tree evaluated in the database: the matching users, their counts, a preview with a sample;
//! large workspaces read in parallel passes over id ranges.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use domain::conditions::ConditionGroup;

use super::rows::*;
use crate::compile::{self, Env};
use crate::filters::{self, Viewer};
use crate::sql::{Count, Dialect, Param, Query};
use crate::{Db, DbConn, Error, Result};

/// `FROM users u WHERE u.workspace_id = ? AND (<tree>)`.
pub fn matching_users(
    conn: &mut DbConn,
    workspace_id: i64,
    tree: &ConditionGroup,
    now: NaiveDateTime,
) -> Result<Query> {
    Ok(from_where(workspace_id, matching(conn, workspace_id, tree, now)?))
}

/// The compiled tree, a predicate on `u`.
pub(super) fn matching(
    conn: &mut DbConn,
    workspace_id: i64,
    tree: &ConditionGroup,
    now: NaiveDateTime,
) -> Result<Query> {
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

pub(super) fn from_where(workspace_id: i64, predicate: Query) -> Query {
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

pub(super) fn counts_select(online_since: NaiveDateTime) -> Query {
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
pub(super) const PARALLEL_SPAN: i64 = 200_000;

/// How a statement reads the workspace's users that match a predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Pass {
    /// As the planner chooses: through an index that narrows the users down, or on PostgreSQL
    /// (which plans and parallelises full passes itself).
    Planned,
    /// Every user of the workspace, read from the table in id order over these id ranges
    /// (see [`pass`]).
    Whole(Vec<(i64, i64)>),
}

#[derive(QueryableByName)]
pub(super) struct PlanStep {
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
pub(super) fn pass(conn: &mut DbConn, workspace_id: i64, predicate: &Query, parts: i64) -> Result<Pass> {
    if !Dialect::of(conn).passes_by_hand() {
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
pub(super) fn pass_bodies(workspace_id: i64, predicate: &Query, pass: &Pass) -> Vec<Query> {
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
pub(super) fn in_one(pass: Pass) -> Pass {
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
pub fn preview(db: &Db, workspace_id: i64, tree: &ConditionGroup, sample: i64) -> Result<(Counts, Vec<i64>)> {
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
