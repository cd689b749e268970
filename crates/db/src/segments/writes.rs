//! Creating, changing, copying, deleting and reordering segments (names unique ignoring case;
//! trees that would make a membership cycle refused).

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use domain::conditions::{ConditionGroup, referenced_segments};

use super::rows::*;
use crate::filters::{self, Viewer, stored_tree, tree_text};
use crate::schema::{custom_filters, operators, segments};
use crate::sql::{Count, Param, Query};
use crate::{DbConn, Error, Result, on_backend};

pub(super) fn ensure_unique_name(conn: &mut DbConn, workspace_id: i64, name: &str, except: Option<i64>) -> Result<()> {
    if name_taken(conn, workspace_id, name, except)? {
        Err(Error::Conflict(format!("a segment named '{name}' exists")))
    } else {
        Ok(())
    }
}

pub(super) fn name_taken(conn: &mut DbConn, workspace_id: i64, name: &str, except: Option<i64>) -> Result<bool> {
    let mut q = Query::new("SELECT id AS n FROM segments WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(" AND lower(name) = lower(")
        .bind(Param::text(name))
        .push(") AND id <> ")
        .bind(Param::I64(Some(except.unwrap_or(-1))));
    Ok(!q.load::<Count>(conn)?.is_empty())
}

pub(super) fn clean_description(d: Option<String>) -> Option<String> {
    d.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Rejects a tree for segment `id` whose `segment` conditions lead back to `id`.
pub(super) fn check_cycles(conn: &mut DbConn, workspace_id: i64, id: i64, tree: &ConditionGroup) -> Result<()> {
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
        let ids = referenced_segments(&ConditionGroup {
            r#match: domain::conditions::MatchKind::All,
            conditions: vec![domain::conditions::ConditionNode::Condition(c.clone())],
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

pub(super) fn next_position(conn: &mut DbConn, workspace_id: i64) -> Result<i64> {
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
        None => ConditionGroup::default(),
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
    if draft.visibility == Some(Visibility::Private) && current.visibility != Visibility::Private {
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
        .filter(|s| s.id != id && referenced_segments(&stored_tree(&s.conditions)).contains(&id))
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
        Some(_) => source.visibility,
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
