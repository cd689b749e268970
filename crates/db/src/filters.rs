//! The filter catalog's context read from the database (properties, event names, products,
//! visible segments, values seen), condition trees checked against it, and custom filters:
//! named condition trees saved by a workspace.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use domain::conditions::{
    self, Behaviour, CatalogContext, ConditionError, ConditionGroup, FieldRef, FieldType, PropertyDef, SegmentRef,
};
use domain::metrics::WorkspaceKind;
use domain::segments::Visibility;
use serde_json::Value as Json;

use crate::schema::{custom_filters, property_keys, segments};
use crate::sql::{Param, Query};
use crate::{DbConn, Error, Result, on_backend};

/// Rows sampled (newest first) for the values the catalog suggests for text fields.
const VALUE_SAMPLE_ROWS: i64 = 20_000;
/// Values suggested per field.
const MAX_SUGGESTED_VALUES: usize = 100;
/// Orders sampled (newest first) for the product list of the catalog.
const PRODUCT_SAMPLE_ROWS: i64 = 100_000;
/// Event names and products listed at most.
const MAX_NAMES: i64 = 500;

/// Who is asking: an operator sees public segments and their own private ones; an API key
/// (no operator) sees public ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Viewer {
    pub operator_id: Option<i64>,
}

/// The per-workspace settings conditions depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkspaceEnv {
    pub kind: WorkspaceKind,
    pub activity_window_days: i64,
}

#[derive(QueryableByName)]
struct SettingsRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Integer)]
    activity_window_days: i32,
}

pub fn workspace_env(conn: &mut DbConn, workspace_id: i64) -> Result<WorkspaceEnv> {
    let mut q = Query::new("SELECT kind, activity_window_days FROM settings WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)));
    let row = q.load::<SettingsRow>(conn)?.into_iter().next();
    let kind = match &row {
        // a stored kind that is not one of the words is an error of the read, never a default
        Some(r) => WorkspaceKind::try_from(r.kind.clone())
            .map_err(|e| diesel::result::Error::DeserializationError(e.into()))?,
        None => WorkspaceKind::default(),
    };
    Ok(WorkspaceEnv { kind, activity_window_days: row.map_or(30, |r| i64::from(r.activity_window_days)) })
}

fn property_type(value_type: &str) -> FieldType {
    match value_type {
        "number" => FieldType::Number,
        "boolean" => FieldType::Boolean,
        _ => FieldType::Text,
    }
}

fn properties(conn: &mut DbConn, workspace_id: i64) -> Result<(Vec<PropertyDef>, Vec<PropertyDef>)> {
    let rows: Vec<(String, String, String)> = property_keys::table
        .filter(property_keys::workspace_id.eq(workspace_id))
        .order((property_keys::entity, property_keys::name))
        .select((property_keys::entity, property_keys::name, property_keys::value_type))
        .load(conn)?;
    let (mut user, mut company) = (Vec::new(), Vec::new());
    for (entity, name, value_type) in rows {
        let def = PropertyDef { name, ty: property_type(&value_type) };
        if entity == "company" {
            company.push(def);
        } else {
            user.push(def);
        }
    }
    Ok((user, company))
}

/// Segments the viewer may see and refer to, in list order.
pub fn visible_segments(conn: &mut DbConn, workspace_id: i64, viewer: Viewer) -> Result<Vec<SegmentRef>> {
    let mut q = segments::table.filter(segments::workspace_id.eq(workspace_id)).into_boxed();
    q = match viewer.operator_id {
        Some(op) => q.filter(segments::visibility.eq(Visibility::Public.key()).or(segments::owner_id.eq(op))),
        None => q.filter(segments::visibility.eq(Visibility::Public.key())),
    };
    let rows: Vec<(i64, String)> =
        q.order((segments::position, segments::id)).select((segments::id, segments::name)).load(conn)?;
    Ok(rows.into_iter().map(|(id, name)| SegmentRef { id, name }).collect())
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

/// Distinct event names of the workspace, walking the `(workspace_id, name, …)` index one
/// name at a time instead of reading every event.
fn event_names(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<String>> {
    let mut q = Query::new("WITH RECURSIVE n(name) AS (SELECT MIN(name) FROM events WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(" UNION ALL SELECT (SELECT MIN(e.name) FROM events e WHERE e.workspace_id = ")
        .bind(Param::I64(Some(workspace_id)))
        .push(
            " AND e.name > n.name) FROM n WHERE n.name IS NOT NULL) \
               SELECT name FROM n WHERE name IS NOT NULL LIMIT ",
        )
        .bind(Param::I64(Some(MAX_NAMES)));
    Ok(q.load::<Name>(conn)?.into_iter().filter_map(|n| n.name).collect())
}

fn event_exists(conn: &mut DbConn, workspace_id: i64, name: &str) -> Result<bool> {
    let mut q = Query::new("SELECT name FROM events WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id))).push(" AND name = ").bind(Param::text(name)).push(" LIMIT 1");
    Ok(!q.load::<Name>(conn)?.is_empty())
}

/// Products of the workspace's most recent orders (a full scan of a large order history
/// would make the catalog slow; an older product is still accepted in conditions).
fn products(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<String>> {
    let mut q = Query::new("SELECT DISTINCT s.product AS name FROM (SELECT product FROM orders WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(" ORDER BY id DESC LIMIT ")
        .bind(Param::I64(Some(PRODUCT_SAMPLE_ROWS)))
        .push(") s WHERE s.product IS NOT NULL ORDER BY s.product LIMIT ")
        .bind(Param::I64(Some(MAX_NAMES)));
    Ok(q.load::<Name>(conn)?.into_iter().filter_map(|n| n.name).collect())
}

/// Text columns whose values the catalog suggests: (field key, table alias, column).
const SUGGESTED: &[(&str, &str)] = &[
    ("user.role", "role"),
    ("user.country", "country"),
    ("user.acquisition_channel", "acquisition_channel"),
    ("user.client_type", "client_type"),
    ("user.payment_type", "payment_type"),
    ("user.invoice_period", "invoice_period"),
    ("user.complaint_reason", "complaint_reason"),
];
const SUGGESTED_COMPANY: &[(&str, &str)] =
    &[("company.industry", "industry"), ("company.plan", "plan"), ("company.owner", "owner")];

#[derive(QueryableByName)]
struct Cell {
    #[diesel(sql_type = BigInt)]
    col: i64,
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

/// Values seen in enum-like text columns, from the newest rows.
fn suggested_values(conn: &mut DbConn, workspace_id: i64) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for (table, columns) in [("users", SUGGESTED), ("companies", SUGGESTED_COMPANY)] {
        // One scan of the sample, one output row per (column, distinct value).
        let mut q = Query::new("WITH s AS (SELECT * FROM ");
        q.push(table)
            .push(" WHERE workspace_id = ")
            .bind(Param::I64(Some(workspace_id)))
            .push(" ORDER BY id DESC LIMIT ")
            .bind(Param::I64(Some(VALUE_SAMPLE_ROWS)))
            .push(") ");
        for (i, (_, column)) in columns.iter().enumerate() {
            if i > 0 {
                q.push(" UNION ");
            }
            q.push("SELECT CAST(")
                .bind(Param::I64(Some(i as i64)))
                .push(" AS BIGINT) AS col, ")
                .push(column)
                .push(" AS value FROM s WHERE ")
                .push(column)
                .push(" IS NOT NULL");
        }
        let mut seen: Vec<BTreeSet<String>> = vec![BTreeSet::new(); columns.len()];
        for cell in q.load::<Cell>(conn)? {
            if let (Some(set), Some(value)) = (seen.get_mut(cell.col as usize), cell.value) {
                set.insert(value);
            }
        }
        for ((key, _), values) in columns.iter().zip(seen) {
            if !values.is_empty() {
                out.insert((*key).to_string(), values.into_iter().take(MAX_SUGGESTED_VALUES).collect());
            }
        }
    }
    Ok(out)
}

/// Everything the catalog lists for this viewer.
pub fn catalog_context(conn: &mut DbConn, workspace_id: i64, viewer: Viewer) -> Result<CatalogContext> {
    let env = workspace_env(conn, workspace_id)?;
    let (user_properties, company_properties) = properties(conn, workspace_id)?;
    Ok(CatalogContext {
        kind: env.kind,
        user_properties,
        company_properties,
        event_names: event_names(conn, workspace_id)?,
        products: products(conn, workspace_id)?,
        segments: visible_segments(conn, workspace_id, viewer)?,
        values: suggested_values(conn, workspace_id)?,
    })
}

/// What validating `tree` needs, and no more: properties, the events it names that exist,
/// visible segments. Products are left open (an unknown product matches nobody).
pub fn validation_context(
    conn: &mut DbConn,
    workspace_id: i64,
    viewer: Viewer,
    tree: &ConditionGroup,
) -> Result<CatalogContext> {
    let env = workspace_env(conn, workspace_id)?;
    let (user_properties, company_properties) = properties(conn, workspace_id)?;
    let mut event_names = Vec::new();
    for (_, c) in tree.walk() {
        if let Some(FieldRef::Behaviour(Behaviour::EventCountLastDays { name, .. })) = FieldRef::parse(&c.field)
            && !event_names.contains(&name)
            && event_exists(conn, workspace_id, &name)?
        {
            event_names.push(name);
        }
    }
    Ok(CatalogContext {
        kind: env.kind,
        user_properties,
        company_properties,
        event_names,
        products: Vec::new(),
        segments: visible_segments(conn, workspace_id, viewer)?,
        values: BTreeMap::new(),
    })
}

/// The workspace's kind and property types: what compiling a stored tree needs.
pub fn property_context(conn: &mut DbConn, workspace_id: i64) -> Result<CatalogContext> {
    let env = workspace_env(conn, workspace_id)?;
    let (user_properties, company_properties) = properties(conn, workspace_id)?;
    Ok(CatalogContext { kind: env.kind, user_properties, company_properties, ..CatalogContext::default() })
}

/// A condition error as a field error: the path of the bad condition, `conditions` for the
/// root.
pub fn invalid_tree(e: ConditionError) -> Error {
    let field = if e.path.is_empty() { "conditions".to_string() } else { e.path };
    Error::invalid(field, e.message)
}

/// Parses and validates a tree sent by `viewer`; errors name the condition's path.
pub fn parse_tree(conn: &mut DbConn, workspace_id: i64, viewer: Viewer, json: &Json) -> Result<ConditionGroup> {
    let tree = ConditionGroup::from_json(json).map_err(invalid_tree)?;
    let ctx = validation_context(conn, workspace_id, viewer, &tree)?;
    conditions::validate(&tree, &ctx).map_err(invalid_tree)?;
    Ok(tree)
}

/// A stored tree, or a conflict that says it cannot be read (written by another version, or
/// edited by hand): what evaluates one, which must not take it for another tree.
pub fn read_tree(text: &str) -> Result<ConditionGroup> {
    serde_json::from_str(text).map_err(|e| {
        tracing::error!(error = %e, "unreadable stored condition tree");
        Error::Conflict(format!("its stored conditions cannot be read ({e}); save new conditions to repair it"))
    })
}

/// A stored tree where only what it refers to matters (the segments it names): an unreadable
/// one matches nobody and names nothing.
pub fn stored_tree(text: &str) -> ConditionGroup {
    serde_json::from_str(text).unwrap_or_else(|e| {
        tracing::error!(error = %e, "unreadable stored condition tree");
        ConditionGroup {
            r#match: conditions::MatchKind::Any,
            conditions: vec![conditions::ConditionNode::Group(ConditionGroup {
                r#match: conditions::MatchKind::Any,
                conditions: Vec::new(),
            })],
        }
    })
}

pub fn tree_text(tree: &ConditionGroup) -> String {
    serde_json::to_string(tree).unwrap_or_else(|_| "{}".into())
}

// ---------------------------------------------------------------------------------------
// Custom filters

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = custom_filters)]
pub struct CustomFilterRow {
    pub id: i64,
    pub workspace_id: i64,
    pub owner_id: Option<i64>,
    pub name: String,
    pub conditions: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn custom_filters(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<CustomFilterRow>> {
    Ok(custom_filters::table
        .filter(custom_filters::workspace_id.eq(workspace_id))
        .order((custom_filters::name, custom_filters::id))
        .select(CustomFilterRow::as_select())
        .load(conn)?)
}

pub fn custom_filter(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<CustomFilterRow> {
    Ok(custom_filters::table
        .find(id)
        .filter(custom_filters::workspace_id.eq(workspace_id))
        .select(CustomFilterRow::as_select())
        .first(conn)?)
}

/// Names are required, at most 200 characters, and unique in the workspace ignoring case.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "is required"));
    }
    if name.chars().count() > 200 {
        return Err(Error::invalid("name", "must be at most 200 characters"));
    }
    Ok(name.to_string())
}

fn ensure_unique_filter_name(conn: &mut DbConn, workspace_id: i64, name: &str, except: Option<i64>) -> Result<()> {
    let mut q = Query::new("SELECT id AS n FROM custom_filters WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(" AND lower(name) = lower(")
        .bind(Param::text(name))
        .push(") AND id <> ")
        .bind(Param::I64(Some(except.unwrap_or(-1))));
    if q.load::<crate::sql::Count>(conn)?.is_empty() {
        Ok(())
    } else {
        Err(Error::Conflict(format!("a custom filter named '{name}' exists")))
    }
}

pub fn create_custom_filter(
    conn: &mut DbConn,
    workspace_id: i64,
    owner_id: Option<i64>,
    name: &str,
    tree: &ConditionGroup,
) -> Result<CustomFilterRow> {
    let name = check_name(name)?;
    ensure_unique_filter_name(conn, workspace_id, &name, None)?;
    let now = crate::now();
    let id: i64 = on_backend!(conn, c => diesel::insert_into(custom_filters::table)
        .values((
            custom_filters::workspace_id.eq(workspace_id),
            custom_filters::owner_id.eq(owner_id),
            custom_filters::name.eq(&name),
            custom_filters::conditions.eq(tree_text(tree)),
            custom_filters::created_at.eq(now),
            custom_filters::updated_at.eq(now),
        ))
        .returning(custom_filters::id)
        .get_result(c))?;
    custom_filter(conn, workspace_id, id)
}

pub fn update_custom_filter(
    conn: &mut DbConn,
    workspace_id: i64,
    id: i64,
    name: Option<&str>,
    tree: Option<&ConditionGroup>,
) -> Result<CustomFilterRow> {
    custom_filter(conn, workspace_id, id)?;
    let name = name.map(check_name).transpose()?;
    if let Some(name) = &name {
        ensure_unique_filter_name(conn, workspace_id, name, Some(id))?;
    }
    diesel::update(custom_filters::table.find(id))
        .set((
            name.map(|n| custom_filters::name.eq(n)),
            tree.map(|t| custom_filters::conditions.eq(tree_text(t))),
            custom_filters::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    custom_filter(conn, workspace_id, id)
}

pub fn delete_custom_filter(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<()> {
    let n = diesel::delete(custom_filters::table.find(id).filter(custom_filters::workspace_id.eq(workspace_id)))
        .execute(conn)?;
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}
