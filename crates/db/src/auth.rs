//! Workspaces, operators, refresh tokens and API keys.

use chrono::NaiveDateTime;
use diesel::prelude::*;

pub use vocab::{Role, Scope};

use crate::schema::{api_keys, operators, refresh_tokens, settings, workspaces};
use crate::{DbConn, Error, Result, on_backend};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = operators)]
pub struct OperatorRow {
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub name: Option<String>,
    pub password_hash: String,
    /// A stored role that is not one of the words is an error of the read.
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub active_segment_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = operators)]
pub struct NewOperator<'a> {
    pub workspace_id: i64,
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub password_hash: &'a str,
    #[diesel(serialize_as = String)]
    pub role: Role,
    pub created_at: NaiveDateTime,
}

/// What changes of an operator (absent fields stay).
#[derive(Debug, Default)]
pub struct OperatorUpdate {
    pub name: Option<Option<String>>,
    pub password_hash: Option<String>,
    pub role: Option<Role>,
}

#[derive(AsChangeset)]
#[diesel(table_name = operators)]
struct OperatorChanges {
    name: Option<Option<String>>,
    password_hash: Option<String>,
    role: Option<&'static str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub prefix: String,
    /// Also read from the role a key was created with before keys had scopes.
    #[diesel(deserialize_as = String)]
    pub scope: Scope,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Creates a workspace with default settings and its first admin.
pub fn create_workspace(conn: &mut DbConn, workspace_name: &str, admin: NewOperator<'_>) -> Result<(i64, OperatorRow)> {
    let now = crate::now();
    let workspace_id: i64 = on_backend!(conn, c => diesel::insert_into(workspaces::table)
        .values((workspaces::name.eq(workspace_name), workspaces::created_at.eq(now)))
        .returning(workspaces::id)
        .get_result(c))?;
    diesel::insert_into(settings::table)
        .values((settings::workspace_id.eq(workspace_id), settings::updated_at.eq(now)))
        .execute(conn)?;
    let operator = create_operator(conn, NewOperator { workspace_id, ..admin })?;
    Ok((workspace_id, operator))
}

pub fn workspace_name(conn: &mut DbConn, workspace_id: i64) -> Result<String> {
    Ok(workspaces::table.find(workspace_id).select(workspaces::name).first(conn)?)
}

pub fn workspace_ids(conn: &mut DbConn) -> Result<Vec<i64>> {
    Ok(workspaces::table.select(workspaces::id).order(workspaces::id).load(conn)?)
}

pub fn create_operator(conn: &mut DbConn, new: NewOperator<'_>) -> Result<OperatorRow> {
    let email = new.email.trim().to_lowercase();
    let exists: i64 = operators::table.filter(operators::email.eq(&email)).count().get_result(conn)?;
    if exists > 0 {
        return Err(Error::Conflict(format!("an operator with the email {email} already exists")));
    }
    let id: i64 = on_backend!(conn, c => diesel::insert_into(operators::table)
        .values(NewOperator { email: &email, ..new })
        .returning(operators::id)
        .get_result(c))?;
    operator(conn, id)
}

pub fn operator(conn: &mut DbConn, id: i64) -> Result<OperatorRow> {
    Ok(operators::table.find(id).select(OperatorRow::as_select()).first(conn)?)
}

/// An operator of this workspace (NotFound across workspaces).
pub fn operator_in(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<OperatorRow> {
    Ok(operators::table
        .find(id)
        .filter(operators::workspace_id.eq(workspace_id))
        .select(OperatorRow::as_select())
        .first(conn)?)
}

pub fn operator_by_email(conn: &mut DbConn, email: &str) -> Result<Option<OperatorRow>> {
    Ok(operators::table
        .filter(operators::email.eq(email.trim().to_lowercase()))
        .select(OperatorRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn operators_of(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<OperatorRow>> {
    Ok(operators::table
        .filter(operators::workspace_id.eq(workspace_id))
        .order(operators::id)
        .select(OperatorRow::as_select())
        .load(conn)?)
}

pub fn update_operator(conn: &mut DbConn, workspace_id: i64, id: i64, update: OperatorUpdate) -> Result<OperatorRow> {
    let current = operator_in(conn, workspace_id, id)?;
    if update.role.is_some_and(|r| r != Role::Admin) && current.role == Role::Admin {
        ensure_other_admin(conn, workspace_id, id)?;
    }
    if update.password_hash.is_some() {
        revoke_refresh_tokens(conn, id)?;
    }
    if update.name.is_some() || update.password_hash.is_some() || update.role.is_some() {
        let OperatorUpdate { name, password_hash, role } = update;
        let changes = OperatorChanges { name, password_hash, role: role.map(Role::key) };
        diesel::update(operators::table.find(id)).set(&changes).execute(conn)?;
    }
    operator(conn, id)
}

pub fn delete_operator(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<()> {
    let current = operator_in(conn, workspace_id, id)?;
    if current.role == Role::Admin {
        ensure_other_admin(conn, workspace_id, id)?;
    }
    diesel::delete(operators::table.find(id)).execute(conn)?;
    Ok(())
}

fn ensure_other_admin(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<()> {
    let others: i64 = operators::table
        .filter(operators::workspace_id.eq(workspace_id))
        .filter(operators::role.eq(Role::Admin.key()))
        .filter(operators::id.ne(id))
        .count()
        .get_result(conn)?;
    if others == 0 {
        return Err(Error::Conflict("a workspace keeps at least one admin".into()));
    }
    Ok(())
}

pub fn set_active_segment(conn: &mut DbConn, operator_id: i64, segment: Option<i64>) -> Result<()> {
    diesel::update(operators::table.find(operator_id)).set(operators::active_segment_id.eq(segment)).execute(conn)?;
    Ok(())
}

pub fn store_refresh_token(
    conn: &mut DbConn,
    operator_id: i64,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::operator_id.eq(operator_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::expires_at.eq(expires_at),
            refresh_tokens::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Revokes a live refresh token and returns its operator; `None` when unknown, expired or
/// already used (refresh tokens rotate: each is good once).
pub fn take_refresh_token(conn: &mut DbConn, token_hash: &str) -> Result<Option<i64>> {
    let now = crate::now();
    let operator: Option<i64> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .select(refresh_tokens::operator_id)
        .first(conn)
        .optional()?;
    if operator.is_some() {
        diesel::update(refresh_tokens::table.filter(refresh_tokens::token_hash.eq(token_hash)))
            .set(refresh_tokens::revoked_at.eq(now))
            .execute(conn)?;
    }
    Ok(operator)
}

/// Revokes every live refresh token of an operator (a new password ends their sessions).
pub fn revoke_refresh_tokens(conn: &mut DbConn, operator_id: i64) -> Result<usize> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::operator_id.eq(operator_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(crate::now()))
    .execute(conn)?)
}

pub fn create_api_key(
    conn: &mut DbConn,
    workspace_id: i64,
    name: &str,
    prefix: &str,
    key_hash: &str,
    scope: Scope,
    created_by: Option<i64>,
) -> Result<ApiKeyRow> {
    let id: i64 = on_backend!(conn, c => diesel::insert_into(api_keys::table)
        .values((
            api_keys::workspace_id.eq(workspace_id),
            api_keys::name.eq(name),
            api_keys::prefix.eq(prefix),
            api_keys::key_hash.eq(key_hash),
            api_keys::scope.eq(scope.key()),
            api_keys::created_by.eq(created_by),
            api_keys::created_at.eq(crate::now()),
        ))
        .returning(api_keys::id)
        .get_result(c))?;
    Ok(api_keys::table.find(id).select(ApiKeyRow::as_select()).first(conn)?)
}

pub fn api_keys_of(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<ApiKeyRow>> {
    Ok(api_keys::table
        .filter(api_keys::workspace_id.eq(workspace_id))
        .order(api_keys::id)
        .select(ApiKeyRow::as_select())
        .load(conn)?)
}

pub fn revoke_api_key(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<ApiKeyRow> {
    let updated = diesel::update(api_keys::table.find(id).filter(api_keys::workspace_id.eq(workspace_id)))
        .set(api_keys::revoked_at.eq(crate::now()))
        .execute(conn)?;
    if updated == 0 {
        return Err(Error::NotFound);
    }
    Ok(api_keys::table.find(id).select(ApiKeyRow::as_select()).first(conn)?)
}

/// The live (not revoked) key with this hash; records its use.
pub fn api_key_by_hash(conn: &mut DbConn, key_hash: &str) -> Result<Option<ApiKeyRow>> {
    let key = api_keys::table
        .filter(api_keys::key_hash.eq(key_hash))
        .filter(api_keys::revoked_at.is_null())
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()?;
    if let Some(k) = &key {
        diesel::update(api_keys::table.find(k.id)).set(api_keys::last_used_at.eq(crate::now())).execute(conn)?;
    }
    Ok(key)
}
