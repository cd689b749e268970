//! The Companies list: search, sort by a listed column, pages with each company's users.

use std::collections::HashMap;

use diesel::prelude::*;

use super::page::*;
use super::search::*;
use crate::people::CompanyRow;
use crate::schema::{companies, users};
use crate::sql::{Count, Dialect, Param, Query};
use crate::{DbConn, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompanySort {
    #[default]
    Id,
    Name,
    ExternalId,
    Industry,
    Plan,
    Arr,
    CreatedAt,
}

impl CompanySort {
    pub const ALL: [CompanySort; 7] = [
        CompanySort::Id,
        CompanySort::Name,
        CompanySort::ExternalId,
        CompanySort::Industry,
        CompanySort::Plan,
        CompanySort::Arr,
        CompanySort::CreatedAt,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CompanySort::Id => "id",
            CompanySort::Name => "name",
            CompanySort::ExternalId => "external_id",
            CompanySort::Industry => "industry",
            CompanySort::Plan => "plan",
            CompanySort::Arr => "arr",
            CompanySort::CreatedAt => "created_at",
        }
    }

    pub fn parse(key: &str) -> Option<CompanySort> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    fn sql(self) -> Query {
        Query::new(match self {
            CompanySort::Id => "c.id",
            CompanySort::Name => "c.name",
            CompanySort::ExternalId => "c.external_id",
            CompanySort::Industry => "c.industry",
            CompanySort::Plan => "c.plan",
            CompanySort::Arr => "c.arr",
            CompanySort::CreatedAt => "c.created_at",
        })
    }

    fn value(self, c: &CompanyRow) -> SortValue {
        let text = |s: &Option<String>| s.clone().map_or(SortValue::Null, SortValue::Text);
        match self {
            CompanySort::Id => SortValue::Int(c.id),
            CompanySort::Name => text(&c.name),
            CompanySort::ExternalId => SortValue::Text(c.external_id.clone()),
            CompanySort::Industry => text(&c.industry),
            CompanySort::Plan => text(&c.plan),
            CompanySort::Arr => c.arr.map_or(SortValue::Null, SortValue::Int),
            CompanySort::CreatedAt => c.created_at.map_or(SortValue::Null, SortValue::Ts),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CompanyListQuery {
    /// Searched in name and external id, ignoring case.
    pub search: Option<String>,
    pub sort: CompanySort,
    pub desc: bool,
    pub after: Option<Cursor>,
    pub limit: i64,
    pub total: Total,
}

pub struct CompanyPage {
    /// Each company with its number of users.
    pub rows: Vec<(CompanyRow, i64)>,
    pub next: Option<Cursor>,
    pub total: Option<i64>,
}

/// A page of the workspace's companies.
pub fn companies(conn: &mut DbConn, workspace_id: i64, query: &CompanyListQuery) -> Result<CompanyPage> {
    let dialect = Dialect::of(conn);
    let mut body = Query::new(" FROM companies c WHERE c.workspace_id = ");
    body.bind(Param::I64(Some(workspace_id)));
    if let Some(text) = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        search_companies(&mut body, dialect, text);
    }
    let limit = limit_of(query.limit);
    let v = query.sort.sql();
    let mut page = Query::new("SELECT c.id AS n");
    page.append(body.clone());
    if let Some(after) = &query.after {
        keyset(&mut page, &v, "c.id", query.desc, after);
    }
    order_by(&mut page, &v, "c.id", query.desc, dialect);
    page.push(" LIMIT ").bind(Param::I64(Some(limit + 1)));
    let mut ids: Vec<i64> = page.load::<Count>(conn)?.into_iter().map(|c| c.n).collect();
    let more = ids.len() as i64 > limit;
    ids.truncate(limit as usize);
    let first_page = query.after.is_none().then_some((ids.len(), more));
    let total = count(conn, |_| Ok(body.clone()), query.total, true, first_page, false)?;
    let found: Vec<CompanyRow> =
        companies::table.filter(companies::id.eq_any(&ids)).select(CompanyRow::as_select()).load(conn)?;
    let counts: Vec<(Option<i64>, i64)> = users::table
        .filter(users::company_id.eq_any(&ids))
        .group_by(users::company_id)
        .select((users::company_id, diesel::dsl::count_star()))
        .load(conn)?;
    let counts: HashMap<i64, i64> = counts.into_iter().filter_map(|(c, n)| c.map(|c| (c, n))).collect();
    let mut by_id: HashMap<i64, CompanyRow> = found.into_iter().map(|c| (c.id, c)).collect();
    let rows: Vec<(CompanyRow, i64)> = ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|c| {
            let n = counts.get(&c.id).copied().unwrap_or(0);
            (c, n)
        })
        .collect();
    let next = more.then(|| rows.last().map(|(c, _)| Cursor { value: query.sort.value(c), id: c.id })).flatten();
    Ok(CompanyPage { rows, next, total })
}
