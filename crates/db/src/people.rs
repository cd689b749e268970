//! Users and companies: single-record reads and writes, and the user's 360 view. Bulk data
//! comes in through [`crate::imports`].

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Map, Value};

use crate::schema::{companies, events, orders, segment_members, segments, users};
use crate::sql::StoredTime;
use crate::{DbConn, Error, Result, on_backend};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = companies)]
pub struct CompanyRow {
    pub id: i64,
    pub workspace_id: i64,
    pub external_id: String,
    pub name: Option<String>,
    pub industry: Option<String>,
    pub plan: Option<String>,
    pub arr: Option<i64>,
    pub owner: Option<String>,
    #[diesel(deserialize_as = StoredTime)]
    pub created_at: Option<NaiveDateTime>,
    pub properties: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub workspace_id: i64,
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub company_id: Option<i64>,
    #[diesel(deserialize_as = StoredTime)]
    pub created_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = StoredTime)]
    pub last_seen_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = StoredTime)]
    pub churned_at: Option<NaiveDateTime>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub acquisition_channel: Option<String>,
    pub client_type: Option<String>,
    pub payment_type: Option<String>,
    pub invoice_period: Option<String>,
    pub complaint_reason: Option<String>,
    pub email_consent: Option<bool>,
    pub sms_consent: Option<bool>,
    pub properties: String,
    #[diesel(deserialize_as = StoredTime)]
    pub first_purchase_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = StoredTime)]
    pub last_purchase_at: Option<NaiveDateTime>,
    pub purchases: i64,
    pub revenue: i64,
    pub r_score: Option<i32>,
    pub f_score: Option<i32>,
    pub m_score: Option<i32>,
    pub rfm_segment: Option<String>,
    pub health_score: Option<i32>,
    pub engagement_score: Option<i32>,
    pub fit_score: Option<i32>,
}

/// Fields of a user to write; `None` leaves a field as it is.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub email: Option<Option<String>>,
    pub name: Option<Option<String>>,
    pub company_id: Option<Option<i64>>,
    pub created_at: Option<Option<NaiveDateTime>>,
    pub last_seen_at: Option<Option<NaiveDateTime>>,
    pub churned_at: Option<Option<NaiveDateTime>>,
    pub role: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub acquisition_channel: Option<Option<String>>,
    pub client_type: Option<Option<String>>,
    pub payment_type: Option<Option<String>>,
    pub invoice_period: Option<Option<String>>,
    pub complaint_reason: Option<Option<String>>,
    pub email_consent: Option<Option<bool>>,
    pub sms_consent: Option<Option<bool>>,
    pub properties: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = companies)]
pub struct CompanyChanges {
    pub name: Option<Option<String>>,
    pub industry: Option<Option<String>>,
    pub plan: Option<Option<String>>,
    pub arr: Option<Option<i64>>,
    pub owner: Option<Option<String>>,
    pub created_at: Option<Option<NaiveDateTime>>,
    pub properties: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub struct OrderRow {
    pub id: i64,
    pub order_id: String,
    pub ordered_at: NaiveDateTime,
    pub amount: i64,
    pub gross_amount: Option<i64>,
    pub quantity: Option<i64>,
    pub channel: Option<String>,
    pub store: Option<String>,
    pub product: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: i64,
    pub name: String,
    pub occurred_at: NaiveDateTime,
}

pub struct UserDetail {
    pub user: UserRow,
    pub company: Option<CompanyRow>,
    pub segments: Vec<(i64, String, NaiveDateTime)>,
    pub orders: Vec<OrderRow>,
    pub events: Vec<EventRow>,
}

/// Merges `patch` into the JSON object text `current`; null values remove keys.
pub fn merge_properties(current: &str, patch: &Map<String, Value>) -> String {
    let mut map: Map<String, Value> = serde_json::from_str(current).unwrap_or_default();
    for (k, v) in patch {
        if v.is_null() {
            map.remove(k);
        } else {
            map.insert(k.clone(), v.clone());
        }
    }
    Value::Object(map).to_string()
}

pub fn user(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<UserRow> {
    Ok(users::table.find(id).filter(users::workspace_id.eq(workspace_id)).select(UserRow::as_select()).first(conn)?)
}

pub fn user_detail(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<UserDetail> {
    let user = user(conn, workspace_id, id)?;
    let company = match user.company_id {
        Some(c) => companies::table.find(c).select(CompanyRow::as_select()).first(conn).optional()?,
        None => None,
    };
    let segments = segment_members::table
        .inner_join(segments::table)
        .filter(segment_members::user_id.eq(id))
        .order(segments::position)
        .select((segments::id, segments::name, segment_members::entered_at))
        .load(conn)?;
    let orders = orders::table
        .filter(orders::user_id.eq(id))
        .order((orders::ordered_at.desc(), orders::id.desc()))
        .limit(100)
        .select(OrderRow::as_select())
        .load(conn)?;
    let events = events::table
        .filter(events::user_id.eq(id))
        .order((events::occurred_at.desc(), events::id.desc()))
        .limit(100)
        .select(EventRow::as_select())
        .load(conn)?;
    Ok(UserDetail { user, company, segments, orders, events })
}

/// The id of the workspace's company with this external id, created bare when unknown.
pub fn company_id_for(conn: &mut DbConn, workspace_id: i64, external_id: &str) -> Result<i64> {
    let existing = companies::table
        .filter(companies::workspace_id.eq(workspace_id))
        .filter(companies::external_id.eq(external_id))
        .select(companies::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    Ok(on_backend!(conn, c => diesel::insert_into(companies::table)
        .values((
            companies::workspace_id.eq(workspace_id),
            companies::external_id.eq(external_id),
            companies::updated_at.eq(crate::now()),
        ))
        .returning(companies::id)
        .get_result(c))?)
}

pub fn create_user(conn: &mut DbConn, workspace_id: i64, external_id: &str, changes: UserChanges) -> Result<UserRow> {
    let id: i64 = on_backend!(conn, c => diesel::insert_into(users::table)
        .values((
            users::workspace_id.eq(workspace_id),
            users::external_id.eq(external_id),
            users::updated_at.eq(crate::now()),
        ))
        .returning(users::id)
        .get_result(c))?;
    update_user(conn, workspace_id, id, changes, None)
}

/// Applies changes; `properties` (a patch) is merged into what is stored.
pub fn update_user(
    conn: &mut DbConn,
    workspace_id: i64,
    id: i64,
    mut changes: UserChanges,
    properties: Option<&Map<String, Value>>,
) -> Result<UserRow> {
    let current = user(conn, workspace_id, id)?;
    if let Some(patch) = properties {
        changes.properties = Some(merge_properties(&current.properties, patch));
    }
    changes.updated_at = Some(crate::now());
    diesel::update(users::table.find(id)).set(&changes).execute(conn)?;
    crate::settings::users_changed(conn, workspace_id)?;
    user(conn, workspace_id, id)
}

pub fn delete_user(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<()> {
    user(conn, workspace_id, id)?;
    crate::segment_events::record_deletion(conn, workspace_id, id, crate::now())?;
    let n = diesel::delete(users::table.find(id).filter(users::workspace_id.eq(workspace_id))).execute(conn)?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    // The user's orders and events went with them.
    crate::settings::data_changed(conn, workspace_id)
}

pub fn company(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<CompanyRow> {
    Ok(companies::table
        .find(id)
        .filter(companies::workspace_id.eq(workspace_id))
        .select(CompanyRow::as_select())
        .first(conn)?)
}

pub fn company_user_count(conn: &mut DbConn, company_id: i64) -> Result<i64> {
    Ok(users::table.filter(users::company_id.eq(company_id)).count().get_result(conn)?)
}

pub fn create_company(
    conn: &mut DbConn,
    workspace_id: i64,
    external_id: &str,
    changes: CompanyChanges,
    properties: Option<&Map<String, Value>>,
) -> Result<CompanyRow> {
    let exists: i64 = companies::table
        .filter(companies::workspace_id.eq(workspace_id))
        .filter(companies::external_id.eq(external_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(Error::Conflict(format!("a company with external_id '{external_id}' exists")));
    }
    let id = company_id_for(conn, workspace_id, external_id)?;
    update_company(conn, workspace_id, id, changes, properties)
}

pub fn update_company(
    conn: &mut DbConn,
    workspace_id: i64,
    id: i64,
    mut changes: CompanyChanges,
    properties: Option<&Map<String, Value>>,
) -> Result<CompanyRow> {
    let current = company(conn, workspace_id, id)?;
    if let Some(patch) = properties {
        changes.properties = Some(merge_properties(&current.properties, patch));
    }
    changes.updated_at = Some(crate::now());
    diesel::update(companies::table.find(id)).set(&changes).execute(conn)?;
    company(conn, workspace_id, id)
}

pub fn delete_company(conn: &mut DbConn, workspace_id: i64, id: i64) -> Result<()> {
    let n = diesel::delete(companies::table.find(id).filter(companies::workspace_id.eq(workspace_id))).execute(conn)?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    // Its users lost their company.
    crate::settings::users_changed(conn, workspace_id)
}

pub fn user_exists(conn: &mut DbConn, workspace_id: i64, external_id: &str) -> Result<bool> {
    let n: i64 = users::table
        .filter(users::workspace_id.eq(workspace_id))
        .filter(users::external_id.eq(external_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
