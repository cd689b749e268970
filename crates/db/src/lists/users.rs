//! The Users list: which users a selection holds (search, condition trees, segment), compiled
//! for one backend, and its pages in any listed sort order.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use domain::conditions::ConditionGroup;
use domain::rfm::RfmSegment;

use super::page::*;
use super::search::*;
use crate::compile::{self, Env};
use crate::people::UserRow;
use crate::schema::users;
use crate::sql::{Dialect, Param, Query};
use crate::{DbConn, Result, filters};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserSort {
    #[default]
    Id,
    Name,
    Email,
    ExternalId,
    LastSeenAt,
    CreatedAt,
    Revenue,
    Purchases,
    RfmSegment,
    HealthScore,
    EngagementScore,
    FitScore,
    Company,
}

impl UserSort {
    pub const ALL: [UserSort; 13] = [
        UserSort::Id,
        UserSort::Name,
        UserSort::Email,
        UserSort::ExternalId,
        UserSort::LastSeenAt,
        UserSort::CreatedAt,
        UserSort::Revenue,
        UserSort::Purchases,
        UserSort::RfmSegment,
        UserSort::HealthScore,
        UserSort::EngagementScore,
        UserSort::FitScore,
        UserSort::Company,
    ];

    pub fn key(self) -> &'static str {
        match self {
            UserSort::Id => "id",
            UserSort::Name => "name",
            UserSort::Email => "email",
            UserSort::ExternalId => "external_id",
            UserSort::LastSeenAt => "last_seen_at",
            UserSort::CreatedAt => "created_at",
            UserSort::Revenue => "revenue",
            UserSort::Purchases => "purchases",
            UserSort::RfmSegment => "rfm_segment",
            UserSort::HealthScore => "health_score",
            UserSort::EngagementScore => "engagement_score",
            UserSort::FitScore => "fit_score",
            UserSort::Company => "company",
        }
    }

    pub fn parse(key: &str) -> Option<UserSort> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The sort expression; RFM segments sort by rank, Champion first.
    fn sql(self) -> Query {
        let column = match self {
            UserSort::Id => "u.id",
            UserSort::Name => "u.name",
            UserSort::Email => "u.email",
            UserSort::ExternalId => "u.external_id",
            UserSort::LastSeenAt => "u.last_seen_at",
            UserSort::CreatedAt => "u.created_at",
            UserSort::Revenue => "u.revenue",
            UserSort::Purchases => "u.purchases",
            UserSort::HealthScore => "u.health_score",
            UserSort::EngagementScore => "u.engagement_score",
            UserSort::FitScore => "u.fit_score",
            UserSort::Company => "c.name",
            UserSort::RfmSegment => {
                let mut q = Query::new("(CASE u.rfm_segment");
                for (rank, s) in RfmSegment::ALL.iter().enumerate() {
                    q.push(" WHEN ").bind(Param::text(s.key())).push(" THEN ").bind(Param::I64(Some(rank as i64 + 1)));
                }
                q.push(" END)");
                return q;
            }
        };
        Query::new(column)
    }

    /// The row's sort value, for the cursor.
    fn value(self, u: &UserRow, company: Option<&CompanyName>) -> SortValue {
        let text = |s: &Option<String>| s.clone().map_or(SortValue::Null, SortValue::Text);
        let ts = |t: Option<NaiveDateTime>| t.map_or(SortValue::Null, SortValue::Ts);
        let int = |i: Option<i32>| i.map_or(SortValue::Null, |i| SortValue::Int(i64::from(i)));
        match self {
            UserSort::Id => SortValue::Int(u.id),
            UserSort::Name => text(&u.name),
            UserSort::Email => text(&u.email),
            UserSort::ExternalId => SortValue::Text(u.external_id.clone()),
            UserSort::LastSeenAt => ts(u.last_seen_at),
            UserSort::CreatedAt => ts(u.created_at),
            UserSort::Revenue => SortValue::Int(u.revenue),
            UserSort::Purchases => SortValue::Int(u.purchases),
            UserSort::RfmSegment => u
                .rfm_segment
                .as_deref()
                .and_then(|k| RfmSegment::ALL.iter().position(|s| s.key() == k))
                .map_or(SortValue::Null, |rank| SortValue::Int(rank as i64 + 1)),
            UserSort::HealthScore => int(u.health_score),
            UserSort::EngagementScore => int(u.engagement_score),
            UserSort::FitScore => int(u.fit_score),
            UserSort::Company => company.map_or(SortValue::Null, |c| text(&c.name)),
        }
    }
}

/// The company of a listed user: what a row shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct CompanyName {
    pub id: i64,
    pub external_id: String,
    pub name: Option<String>,
}

/// A listed user with their company.
pub type ListedUser = (UserRow, Option<CompanyName>);

/// Which users of a workspace: those matching a search, condition trees and a segment, all
/// optional. The Users list pages through them in any sort order, the users export by id.
#[derive(Debug, Clone, Default)]
pub struct UserSelection {
    /// Searched in name, email, external id and company name, ignoring case.
    pub search: Option<String>,
    /// Validated trees the users must all match (a custom filter, a draft tree).
    pub trees: Vec<ConditionGroup>,
    /// Only members of this segment.
    pub segment: Option<i64>,
}

/// A [`UserSelection`] compiled for one workspace and backend: its conditions besides the
/// workspace, to select columns from and page over (see [`SelectedUsers::body`]).
#[derive(Debug, Clone)]
pub struct SelectedUsers {
    dialect: Dialect,
    workspace_id: i64,
    /// Only members of this segment.
    segment: Option<i64>,
    /// On SQLite, a search of three characters or more as a phrase for the trigram index
    /// `user_search` (name, email, external id and company name of each user).
    phrase: Option<String>,
    /// ` AND …` for each other part of the selection.
    conditions: Query,
}

/// Each listed user's company (`c`), after `users u`.
pub(super) const USERS_COMPANY: &str = " LEFT JOIN companies c ON c.id = u.company_id";

/// What a statement over the selected users reads first, the others being conditions on it
/// (see [`SelectedUsers::body`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Driver {
    Users,
    Members(i64),
    Search,
    /// A search's matches, each looked up in a segment's membership.
    SearchedMembers(i64),
}

/// ` FROM user_search` and, with `segment`, each match's membership of it: the matches in rowid
/// order, tested for membership by the membership's primary key before anything else about
/// them is read. Followed by `WHERE user_search MATCH <phrase>` (see [`match_phrase`]).
pub(super) fn search_from(segment: Option<i64>) -> Query {
    let mut from = Query::new(" FROM user_search");
    if let Some(segment) = segment {
        from.push(" CROSS JOIN segment_members sm ON sm.segment_id = ").bind(Param::I64(Some(segment)));
        from.push(" AND sm.user_id = user_search.rowid");
    }
    from
}

/// ` user_search MATCH <phrase>`.
pub(super) fn match_phrase(q: &mut Query, phrase: &str) {
    q.push(" user_search MATCH ").bind(Param::text(phrase));
}

impl SelectedUsers {
    /// ` FROM … WHERE …` over the selected users (`u`, their company `c`); with `ids`, only
    /// users with an id in that range, read in id order.
    ///
    /// `in_id_order`: the statement reads the users in id order (or in no order, to count
    /// them). Then it is driven by what yields the users in id order without reading all of
    /// them first, so that it reads no further than the page, the bound of a count or the
    /// range needs, each of those users' rows looked up in turn (SQLite keeps a `CROSS JOIN`'s
    /// order):
    /// - on SQLite, a search's matches, from the trigram index (in rowid order), within a
    ///   segment each looked up in its membership first (a search within a 20 000-member
    ///   segment: 1.4 ms for a page, against 11 ms to list the 28 000 matches for the members
    ///   to be probed);
    /// - else a segment's members, from the membership's primary key;
    /// - else the workspace's users. With `ids`, these are read from the table in id order
    ///   rather than each looked up through the workspace's index (`+` keeps SQLite from using
    ///   an index on the column).
    ///
    /// In any other order the members and the matches are listed once per statement, for the
    /// planner to probe while it reads the users in that order.
    pub(super) fn body(&self, ids: Option<(i64, i64)>, in_id_order: bool) -> Query {
        self.body_joining(ids, in_id_order, USERS_COMPANY)
    }

    /// [`SelectedUsers::body`] with `join` after the users (the users' company, or nothing
    /// when the statement only counts: the conditions name companies in subqueries of their
    /// own, and a count that needs only the users' workspace and id reads them from an index).
    fn body_joining(&self, ids: Option<(i64, i64)>, in_id_order: bool, join: &str) -> Query {
        let workspace = Param::I64(Some(self.workspace_id));
        let cross = self.dialect.ordered_join();
        let driver = self.driver(in_id_order);
        let mut body = match driver {
            Driver::Members(segment) => {
                let mut b = Query::new(format!(
                    " FROM segment_members sm {cross} users u ON u.id = sm.user_id{join} WHERE sm.segment_id = "
                ));
                b.bind(Param::I64(Some(segment))).push(" AND u.workspace_id = ").bind(workspace);
                b
            }
            Driver::Search | Driver::SearchedMembers(_) => {
                let members_of = if let Driver::SearchedMembers(segment) = driver { Some(segment) } else { None };
                let mut b = search_from(members_of);
                b.push(&format!(" CROSS JOIN users u ON u.id = user_search.rowid{join} WHERE"));
                match_phrase(&mut b, self.phrase.as_deref().unwrap_or_default());
                b.push(" AND u.workspace_id = ").bind(workspace);
                b
            }
            Driver::Users => {
                let workspace_column = if ids.is_some() { "+u.workspace_id" } else { "u.workspace_id" };
                let mut b = Query::new(format!(" FROM users u{join} WHERE {workspace_column} = "));
                b.bind(workspace);
                b
            }
        };
        if let Some(segment) = self.segment
            && !matches!(driver, Driver::Members(_) | Driver::SearchedMembers(_))
        {
            body.push(" AND u.id IN (SELECT sm.user_id FROM segment_members sm WHERE sm.segment_id = ")
                .bind(Param::I64(Some(segment)))
                .push(")");
        }
        if let Some(phrase) = &self.phrase
            && !matches!(driver, Driver::Search | Driver::SearchedMembers(_))
        {
            // On the driver's id: SQLite then looks each match up in a segment's membership
            // (on `u.id` it tried every match against each member's user: 0.7 s for 20 000
            // members and 28 000 matches, against 11 ms).
            body.push(" AND ").push(self.id_column(in_id_order));
            body.push(" IN (SELECT rowid FROM user_search WHERE");
            match_phrase(&mut body, phrase);
            body.push(")");
        }
        if let Some((first, last)) = ids {
            let id = self.id_column(in_id_order);
            body.push(" AND ").push(id).push(" >= ").bind(Param::I64(Some(first)));
            body.push(" AND ").push(id).push(" <= ").bind(Param::I64(Some(last)));
        }
        body.append(self.conditions.clone());
        body
    }

    /// Whether the selection tests each user (a search, a condition) rather than taking every
    /// user of the workspace or of a segment.
    fn filtered(&self) -> bool {
        self.phrase.is_some() || !self.conditions.sql.is_empty()
    }

    fn driver(&self, in_id_order: bool) -> Driver {
        match (self.segment, &self.phrase) {
            (Some(segment), Some(_)) if in_id_order => Driver::SearchedMembers(segment),
            (Some(segment), None) if in_id_order => Driver::Members(segment),
            (None, Some(_)) if in_id_order => Driver::Search,
            _ => Driver::Users,
        }
    }

    /// ` FROM … WHERE …` to count the selected users: a segment's membership alone when
    /// nothing else narrows it down (its members are users of the segment's workspace, and a
    /// user's deletion deletes their memberships), so that the count reads no user rows; a
    /// search's matches within a segment, likewise, as members; a search's matches alone when
    /// the workspace is the only one with users; else [`SelectedUsers::body`] without the
    /// users' company.
    fn count_body(&self, conn: &mut DbConn) -> Result<Query> {
        let narrowed = !self.conditions.sql.is_empty();
        match (self.segment, &self.phrase) {
            (Some(segment), None) if !narrowed => {
                let mut b = Query::new(" FROM segment_members sm WHERE sm.segment_id = ");
                b.bind(Param::I64(Some(segment)));
                Ok(b)
            }
            (Some(segment), Some(phrase)) if !narrowed => {
                let mut b = search_from(Some(segment));
                b.push(" WHERE");
                match_phrase(&mut b, phrase);
                Ok(b)
            }
            (None, Some(phrase)) if !narrowed => {
                // The matches alone while the workspace holds every user; else each match's
                // workspace, checked. Asked here, once, rather than in the statement, where
                // SQLite tested it again for each match (70 µs of a 1 001-match count's 160).
                let mut b = search_from(None);
                b.push(" WHERE");
                match_phrase(&mut b, phrase);
                if !sole_workspace(conn, self.workspace_id)? {
                    b.push(" AND EXISTS (SELECT 1 FROM users u WHERE u.id = user_search.rowid AND u.workspace_id = ");
                    b.bind(Param::I64(Some(self.workspace_id))).push(")");
                }
                Ok(b)
            }
            _ => Ok(self.body_joining(None, true, "")),
        }
    }

    /// The users' id in [`SelectedUsers::body`] (equal to `u.id`; the driver's own when it
    /// yields the users in id order).
    pub(super) fn id_column(&self, in_id_order: bool) -> &'static str {
        match self.driver(in_id_order) {
            Driver::Members(_) => "sm.user_id",
            Driver::Search | Driver::SearchedMembers(_) => "user_search.rowid",
            Driver::Users => "u.id",
        }
    }
}

impl UserSelection {
    /// Compiles the selection. Conditions relative to now (`in_last_days`, activity) take the
    /// time of this call, so one compiled selection pages over a consistent set.
    pub fn compile(&self, conn: &mut DbConn, workspace_id: i64) -> Result<SelectedUsers> {
        let dialect = Dialect::of(conn);
        let mut conditions = Query::new("");
        let mut phrase = None;
        if let Some(text) = self.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            match trigram_phrase(text) {
                Some(p) if dialect.has_search_tables() => phrase = Some(p),
                Some(_) => search_users(&mut conditions, dialect, text),
                None => search_users_by_row(&mut conditions, dialect, workspace_id, text),
            }
        }
        if !self.trees.is_empty() {
            let env = filters::workspace_env(conn, workspace_id)?;
            let catalog = filters::property_context(conn, workspace_id)?;
            let env = Env {
                dialect,
                workspace_id,
                now: crate::now(),
                activity_window_days: env.activity_window_days,
                catalog: &catalog,
            };
            for tree in &self.trees {
                conditions.push(" AND ").append(compile::compile(tree, &env));
            }
        }
        Ok(SelectedUsers { dialect, workspace_id, segment: self.segment, phrase, conditions })
    }
}

/// A page request of the Users list.
#[derive(Debug, Clone, Default)]
pub struct UserListQuery {
    pub selection: UserSelection,
    pub sort: UserSort,
    pub desc: bool,
    pub after: Option<Cursor>,
    pub limit: i64,
    pub total: Total,
}

pub struct UserPage {
    pub rows: Vec<ListedUser>,
    pub next: Option<Cursor>,
    pub total: Option<i64>,
}

/// A page of the workspace's users.
pub fn users(conn: &mut DbConn, workspace_id: i64, query: &UserListQuery) -> Result<UserPage> {
    let dialect = Dialect::of(conn);
    let selected = query.selection.compile(conn, workspace_id)?;
    let cached = query.selection.trees.is_empty();
    let in_id_order = query.sort == UserSort::Id;
    let id = selected.id_column(in_id_order);
    let limit = limit_of(query.limit);
    let v = if in_id_order { Query::new(id) } else { query.sort.sql() };
    // ` AND <after the cursor> ORDER BY … LIMIT …`: one page more than the limit.
    let one_page = |q: &mut Query| {
        if let Some(after) = &query.after {
            keyset(q, &v, id, query.desc, after);
        }
        order_by(q, &v, id, query.desc, dialect);
        q.push(" LIMIT ").bind(Param::I64(Some(limit + 1)));
    };
    let mut page = Query::new(format!("SELECT {USER_COLUMNS}c.id, c.external_id, c.name"));
    if in_id_order {
        // The page's rows in one statement (the body joins each user's company).
        page.append(selected.body(None, true));
        one_page(&mut page);
    } else {
        // The page's ids in order, each with its sort value, then their rows: where the
        // matches must all be read before the first is known (a search or a segment sorted by
        // name, say), each match costs its sort value, not its whole row.
        let mut ids = Query::new("SELECT ");
        ids.append(v.clone()).push(" AS sort_value, ").push(id).push(" AS page_id");
        let join = if query.sort == UserSort::Company { USERS_COMPANY } else { "" };
        ids.append(selected.body_joining(None, false, join));
        one_page(&mut ids);
        page.push(" FROM (").append(ids);
        page.push(&format!(") p {} users u ON u.id = p.page_id{USERS_COMPANY}", dialect.ordered_join()));
        order_by(&mut page, &Query::new("p.sort_value"), "p.page_id", query.desc, dialect);
    }
    // Without condition trees a page has one of a few hundred shapes: kept prepared.
    let mut rows = if cached {
        page.load_typed::<ListedSqlType, ListedUser>(conn)?
    } else {
        page.load_typed_once::<ListedSqlType, ListedUser>(conn)?
    };
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let first_page = query.after.is_none().then_some((rows.len(), more));
    let total = count(conn, |c| selected.count_body(c), query.total, cached, first_page, selected.filtered())?;
    let next =
        more.then(|| rows.last().map(|(u, c)| Cursor { value: query.sort.value(u, c.as_ref()), id: u.id })).flatten();
    Ok(UserPage { rows, next, total })
}

/// [`USER_COLUMNS`] (the columns of [`UserRow`], of `users u`, each followed by a comma, for a
/// raw query) and [`UserSqlType`] (their SQL types, in order), from one list.
macro_rules! user_columns {
    ($($column:ident),*) => {
        const USER_COLUMNS: &str = concat!($("u.", stringify!($column), ", "),*);
        type UserSqlType = ($(<users::$column as diesel::Expression>::SqlType,)*);
    };
}
user_columns!(
    id,
    workspace_id,
    external_id,
    email,
    name,
    company_id,
    created_at,
    last_seen_at,
    churned_at,
    role,
    country,
    phone,
    acquisition_channel,
    client_type,
    payment_type,
    invoice_period,
    complaint_reason,
    email_consent,
    sms_consent,
    properties,
    first_purchase_at,
    last_purchase_at,
    purchases,
    revenue,
    r_score,
    f_score,
    m_score,
    rfm_segment,
    health_score,
    engagement_score,
    fit_score
);

/// The SQL types of a listed user's row: the user's columns, then the company's id, external
/// id and name (all NULL without a company).
pub(super) type ListedSqlType = (UserSqlType, Nullable<(BigInt, Text, Nullable<Text>)>);

/// Users with their companies, in the order of `ids`. The ids travel as one JSON array, so
/// that the statement is the same whatever their number and stays prepared.
pub fn users_by_id(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<ListedUser>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (listed, close) = Dialect::of(conn).json_ids();
    let mut q = Query::new(format!(
        "SELECT {USER_COLUMNS}c.id, c.external_id, c.name FROM users u{USERS_COMPANY} WHERE u.id IN ({listed}"
    ));
    let json = serde_json::to_string(ids).unwrap_or_default();
    q.bind(Param::text(json.as_str())).push(close);
    let mut by_id: HashMap<i64, ListedUser> =
        q.load_typed::<ListedSqlType, ListedUser>(conn)?.into_iter().map(|row| (row.0.id, row)).collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}
