//! The Users and Companies lists: search, condition trees, segment scoping, sort by a listed
//! column and keyset pagination; and the users export, which pages by id over the same
//! [`UserSelection`] as the list.
//!
//! Pages are ordered by `(sort value, id)` with NULL sort values taken as the smallest (first
//! ascending, last descending, on both backends), and continue after the `(value, id)` of the
//! previous page's last row — so rows inserted meanwhile neither repeat nor shift a page.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use domain::conditions::Group;
use domain::rfm::RfmSegment;
use serde::{Deserialize, Serialize};

use crate::compile::{self, Env};
use crate::people::{CompanyRow, UserRow};
use crate::schema::{companies, users};
use crate::sql::{Count, Dialect, Param, Query};
use crate::{DbConn, Result, filters};

/// The largest page.
pub const MAX_LIMIT: i64 = 200;
/// Up to this many matching rows, a first page counts them exactly by default.
pub const CHEAP_TOTAL: i64 = 1_000;

/// Whether a page comes with the number of matching rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Total {
    #[default]
    None,
    /// Counted, however many (one more pass over the matching rows).
    Exact,
    /// Counted when at most this many rows match (a pass over at most that many rows);
    /// `None` beyond.
    UpTo(i64),
}

/// A sort value as the cursor carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SortValue {
    #[serde(rename = "n")]
    Null,
    #[serde(rename = "i")]
    Int(i64),
    #[serde(rename = "t")]
    Ts(NaiveDateTime),
    #[serde(rename = "s")]
    Text(String),
}

impl SortValue {
    fn param(&self) -> Param {
        match self {
            SortValue::Null => Param::I64(None),
            SortValue::Int(i) => Param::I64(Some(*i)),
            SortValue::Ts(t) => Param::Ts(Some(*t)),
            SortValue::Text(s) => Param::text(s.as_str()),
        }
    }
}

/// Where the next page starts: after this row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub value: SortValue,
    pub id: i64,
}

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
    pub trees: Vec<Group>,
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
const USERS_COMPANY: &str = " LEFT JOIN companies c ON c.id = u.company_id";

/// What a statement over the selected users reads first, the others being conditions on it
/// (see [`SelectedUsers::body`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    Users,
    Members(i64),
    Search,
    /// A search's matches, each looked up in a segment's membership.
    SearchedMembers(i64),
}

/// ` FROM user_search` and, with `segment`, each match's membership of it: the matches in rowid
/// order, tested for membership by the membership's primary key before anything else about
/// them is read. Followed by `WHERE user_search MATCH <phrase>` (see [`match_phrase`]).
fn search_from(segment: Option<i64>) -> Query {
    let mut from = Query::new(" FROM user_search");
    if let Some(segment) = segment {
        from.push(" CROSS JOIN segment_members sm ON sm.segment_id = ").bind(Param::I64(Some(segment)));
        from.push(" AND sm.user_id = user_search.rowid");
    }
    from
}

/// ` user_search MATCH <phrase>`.
fn match_phrase(q: &mut Query, phrase: &str) {
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
    fn body(&self, ids: Option<(i64, i64)>, in_id_order: bool) -> Query {
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
    fn id_column(&self, in_id_order: bool) -> &'static str {
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
            match (dialect, trigram_phrase(text)) {
                (Dialect::Sqlite, Some(p)) => phrase = Some(p),
                (Dialect::Postgres, Some(_)) => search_users(&mut conditions, dialect, text),
                (_, None) => search_users_by_row(&mut conditions, dialect, workspace_id, text),
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

/// `%text%` for LIKE with `\` as the escape character.
fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// Whether `workspace_id` is the only workspace with users (two probes of the workspace index).
fn sole_workspace(conn: &mut DbConn, workspace_id: i64) -> Result<bool> {
    let workspace = || Param::I64(Some(workspace_id));
    let mut q = Query::new("SELECT CAST(NOT EXISTS (SELECT 1 FROM users WHERE workspace_id < ");
    q.bind(workspace()).push(") AND NOT EXISTS (SELECT 1 FROM users WHERE workspace_id > ");
    q.bind(workspace()).push(") AS BIGINT) AS n");
    Ok(q.load_cached::<Count>(conn)?.first().is_some_and(|c| c.n == 1))
}

/// `text` as an FTS5 phrase for the trigram indexes, which find any substring of three
/// characters or more (case folded); `None` when shorter.
fn trigram_phrase(text: &str) -> Option<String> {
    (text.chars().count() >= 3).then(|| format!("\"{}\"", text.replace('"', "\"\"")))
}

/// `(<columns> LIKE '%text%' OR …)`, case-insensitive: what the trigram indexes answer,
/// spelt out where they cannot (PostgreSQL's pg_trgm serves it as it is).
fn like_any(q: &mut Query, dialect: Dialect, text: &str, columns: &[&str]) {
    let pattern = like_pattern(text);
    q.push("(");
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            q.push(" OR ");
        }
        q.push(column)
            .push(" ")
            .push(dialect.ilike())
            .push(" ")
            .bind(Param::text(pattern.as_str()))
            .push(" ESCAPE '\\'");
    }
    q.push(")");
}

/// ` AND u.id IN (…)`: users whose name, email or external id contains `text`, or whose
/// company's name does, ignoring case, looked up by `LIKE` (which PostgreSQL's pg_trgm indexes
/// serve for three characters or more; on SQLite such a text is rather a phrase for the
/// trigram index `user_search`, see [`SelectedUsers::body`]).
fn search_users(q: &mut Query, dialect: Dialect, text: &str) {
    q.push(" AND u.id IN (SELECT id FROM users WHERE ");
    like_any(q, dialect, text, &["name", "email", "external_id"]);
    q.push(" UNION ALL SELECT su.id FROM users su JOIN companies sc ON sc.id = su.company_id WHERE ");
    like_any(q, dialect, text, &["sc.name"]);
    q.push(")");
}

/// ` AND (…)`: the same test as [`search_users`] for a text of one or two characters, which
/// has no trigram to look up and matches many users: each user's texts are tested as the list
/// reads them, so that a page stops at its last match instead of waiting for every match of a
/// one-letter search to be listed first. Each user's company is looked up only if some company
/// of the workspace matches (found once per statement): a rare text does not cost a lookup per
/// user.
fn search_users_by_row(q: &mut Query, dialect: Dialect, workspace_id: i64, text: &str) {
    q.push(" AND (");
    like_any(q, dialect, text, &["u.name", "u.email", "u.external_id"]);
    q.push(" OR EXISTS (SELECT 1 FROM companies WHERE workspace_id = ").bind(Param::I64(Some(workspace_id)));
    q.push(" AND ");
    like_any(q, dialect, text, &["name"]);
    q.push(") AND EXISTS (SELECT 1 FROM companies sc WHERE sc.id = u.company_id AND ");
    like_any(q, dialect, text, &["sc.name"]);
    q.push("))");
}

/// ` AND c.id IN (…)`: companies whose name or external id contains `text`, ignoring case.
fn search_companies(q: &mut Query, dialect: Dialect, text: &str) {
    q.push(" AND c.id IN (");
    match (dialect, trigram_phrase(text)) {
        (Dialect::Sqlite, Some(phrase)) => {
            q.push("SELECT rowid FROM company_search WHERE company_search MATCH ").bind(Param::text(phrase.as_str()));
        }
        _ => {
            q.push("SELECT id FROM companies WHERE ");
            like_any(q, dialect, text, &["name", "external_id"]);
        }
    }
    q.push(")");
}

/// `AND <rows after the cursor>` in the order `(v, id)` with NULLs smallest.
fn keyset(q: &mut Query, v: &Query, id: &str, desc: bool, after: &Cursor) {
    let cid = Param::I64(Some(after.id));
    let gt = if desc { "<" } else { ">" };
    if v.sql == id {
        // Sorted by id: one range, which an index (or the search index) serves as it is.
        q.push(" AND ").push(id).push(" ").push(gt).push(" ").bind(cid);
        return;
    }
    q.push(" AND ");
    match (&after.value, desc) {
        (SortValue::Null, false) => {
            q.push("((").append(v.clone()).push(" IS NULL AND ").push(id).push(" > ").bind(cid);
            q.push(") OR ").append(v.clone()).push(" IS NOT NULL)");
        }
        (SortValue::Null, true) => {
            q.push("(").append(v.clone()).push(" IS NULL AND ").push(id).push(" < ").bind(cid);
            q.push(")");
        }
        (value, desc) => {
            let cv = value.param();
            // `v >= cv` (or `<=`) first: a range an index on the column can serve.
            q.push("((").append(v.clone()).push(if desc { " <= " } else { " >= " }).bind(cv.clone());
            q.push(" AND (").append(v.clone()).push(" ").push(gt).push(" ").bind(cv);
            q.push(" OR ").push(id).push(" ").push(gt).push(" ").bind(cid).push("))");
            if desc {
                q.push(" OR ").append(v.clone()).push(" IS NULL");
            }
            q.push(")");
        }
    }
}

fn order_by(q: &mut Query, v: &Query, id: &str, desc: bool, dialect: Dialect) {
    let (dir, nulls) = match (desc, dialect) {
        (false, Dialect::Postgres) => (" ASC", " NULLS FIRST"),
        (true, Dialect::Postgres) => (" DESC", " NULLS LAST"),
        (false, Dialect::Sqlite) => (" ASC", ""),
        (true, Dialect::Sqlite) => (" DESC", ""),
    };
    q.push(" ORDER BY ").append(v.clone()).push(dir).push(nulls);
    // The id breaks ties, unless it is the sort itself (the search index serves a single
    // `ORDER BY rowid` only).
    if v.sql != id {
        q.push(", ").push(id).push(dir);
    }
}

/// The number of rows `FROM … WHERE …` (`body`, built only when a statement counts) selects,
/// as `total` asks; `cached`: the body
/// has one of a few shapes, keep the statement prepared. `page`: the rows of a first page
/// already read and whether more follow, which answers a bounded count of a short list.
/// `filtered`: the body tests each row (a search, a condition), so that it often selects fewer
/// rows than the bound and each costs more to read.
fn count(
    conn: &mut DbConn,
    body: impl FnOnce(&mut DbConn) -> Result<Query>,
    total: Total,
    cached: bool,
    page: Option<(usize, bool)>,
    filtered: bool,
) -> Result<Option<i64>> {
    let load = |q: Query, conn: &mut DbConn| -> Result<i64> {
        let rows = if cached { q.load_cached::<Count>(conn)? } else { q.load::<Count>(conn)? };
        Ok(rows.first().map_or(0, |c| c.n))
    };
    let exact = |body: &Query| {
        let mut q = Query::new("SELECT CAST(COUNT(*) AS BIGINT) AS n");
        q.append(body.clone());
        q
    };
    match (total, page) {
        (Total::None, _) => Ok(None),
        (Total::UpTo(max), Some((rows, false))) if rows as i64 <= max => Ok(Some(rows as i64)),
        (Total::Exact, _) => {
            let body = body(conn)?;
            Ok(Some(load(exact(&body), conn)?))
        }
        (Total::UpTo(max), _) if filtered => {
            let body = body(conn)?;
            // One pass over at most the bound and one row: the probe below, then the count,
            // would read a selection within the bound twice.
            let mut bounded = Query::new("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM (SELECT 1 AS one");
            bounded.append(body.clone()).push(" LIMIT ").bind(Param::I64(Some(max + 1))).push(") bounded");
            let n = load(bounded, conn)?;
            Ok((n <= max).then_some(n))
        }
        (Total::UpTo(max), _) => {
            let body = body(conn)?;
            // Whether a row lies beyond the bound: skipping rows costs SQLite less than
            // counting them in a subquery.
            let mut beyond = Query::new("SELECT CAST(CASE WHEN EXISTS (SELECT 1");
            beyond.append(body.clone()).push(" LIMIT 1 OFFSET ").bind(Param::I64(Some(max)));
            beyond.push(") THEN 1 ELSE 0 END AS BIGINT) AS n");
            if load(beyond, conn)? == 1 { Ok(None) } else { Ok(Some(load(exact(&body), conn)?)) }
        }
    }
}

fn limit_of(limit: i64) -> i64 {
    limit.clamp(1, MAX_LIMIT)
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
type ListedSqlType = (UserSqlType, Nullable<(BigInt, Text, Nullable<Text>)>);

/// Users with their companies, in the order of `ids`. The ids travel as one JSON array, so
/// that the statement is the same whatever their number and stays prepared.
pub fn users_by_id(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<ListedUser>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let listed = match Dialect::of(conn) {
        Dialect::Sqlite => "SELECT value FROM json_each(",
        Dialect::Postgres => "SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(",
    };
    let close = if Dialect::of(conn) == Dialect::Postgres { " AS json)))" } else { "))" };
    let mut q = Query::new(format!(
        "SELECT {USER_COLUMNS}c.id, c.external_id, c.name FROM users u{USERS_COMPANY} WHERE u.id IN ({listed}"
    ));
    let json = serde_json::to_string(ids).unwrap_or_default();
    q.bind(Param::text(json.as_str())).push(close);
    let mut by_id: HashMap<i64, ListedUser> =
        q.load_typed::<ListedSqlType, ListedUser>(conn)?.into_iter().map(|row| (row.0.id, row)).collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// One user of the export, with their stored RFM columns and purchase aggregates (the
/// export's RFM when `engine::analytics::stored_serve` says they are current, else joined by
/// the caller from `engine::analytics::rfm_scores`).
#[derive(Debug, Clone, QueryableByName)]
pub struct ExportRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub external_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub name: Option<String>,
    /// The company's name, else its external id.
    #[diesel(sql_type = Nullable<Text>)]
    pub company: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub health_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub engagement_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub fit_score: Option<i32>,
    /// The last purchase's date in days since 1970-01-01.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub last_purchase_day: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub purchases: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue: i64,
    #[diesel(sql_type = Nullable<Integer>)]
    pub r_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub f_score: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub m_score: Option<i32>,
}

impl ExportRow {
    /// The user's stored RFM as of `as_of` (see `engine::analytics::stored_rfm`).
    pub fn stored_rfm(&self, as_of: chrono::NaiveDate) -> Option<domain::rfm::RfmScore> {
        let last = crate::sql::date_of_day(self.last_purchase_day?)?;
        let stored = domain::rfm::StoredScore { r: self.r_score?, f: self.f_score?, m: self.m_score? };
        stored.with_values((as_of - last).num_days(), self.purchases, self.revenue)
    }
}

/// The selected users with an id from `first` to `last`, ascending: the export walks the
/// selection in such blocks, whatever order the list shows it in.
pub fn export_block(conn: &mut DbConn, selected: &SelectedUsers, first: i64, last: i64) -> Result<Vec<ExportRow>> {
    let mut q = Query::new(format!(
        "SELECT u.id, u.external_id, u.email, u.name, COALESCE(c.name, c.external_id) AS company, \
         u.health_score, u.engagement_score, u.fit_score, {} AS last_purchase_day, u.purchases, u.revenue, \
         u.r_score, u.f_score, u.m_score",
        crate::sql::day_number(Dialect::of(conn), "u.last_purchase_at")
    ));
    q.append(selected.body(Some((first, last)), true)).push(" ORDER BY ").push(selected.id_column(true));
    Ok(q.load::<ExportRow>(conn)?)
}

#[derive(QueryableByName)]
struct IdSpan {
    #[diesel(sql_type = Nullable<BigInt>)]
    lo: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    hi: Option<i64>,
}

/// The smallest and the largest id of the workspace's users (`None`: it has none).
pub fn user_id_span(conn: &mut DbConn, workspace_id: i64) -> Result<Option<(i64, i64)>> {
    // Two subqueries: SQLite answers a lone MIN or MAX from the index, not both at once.
    let mut q = Query::new("SELECT (SELECT MIN(id) FROM users WHERE workspace_id = ");
    q.bind(Param::I64(Some(workspace_id)))
        .push(") AS lo, (SELECT MAX(id) FROM users WHERE workspace_id = ")
        .bind(Param::I64(Some(workspace_id)))
        .push(") AS hi");
    Ok(q.load::<IdSpan>(conn)?.into_iter().next().and_then(|s| s.lo.zip(s.hi)))
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
