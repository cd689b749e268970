//! A workspace's users held in memory, column by column and ascending by id: what the
//! dashboard counts (users overview, segment metrics, the purchase filters on consent and
//! recency, the RFM and scoring matrices) read instead of passing over a million rows of the
//! users table for every request.
//!
//! Kept by the store (`db::Db::in_memory`) until the workspace's users version moves: every import and
//! deletion ([`db::settings::data_changed`]), every user written through the API and every
//! rescoring that changed a score move it (see [`db::settings::users_changed`]). As with the
//! order history, the version is read before the rows, so the columns are never older than the
//! version they are filed under.

use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Nullable, Text};
use domain::rfm::RfmSegment;

use db::sql::{Dialect, Param, Query};
use db::{DbConn, Result};

/// Users read per statement while building.
const BLOCK_USERS: i64 = 200_000;

/// A missing time or score in their columns.
const NO_TIME: i64 = i64::MIN;
const NO_SCORE: i8 = -1;

const CHURNED: u8 = 1;
const EMAIL_REACHABLE: u8 = 2;
const SMS_REACHABLE: u8 = 4;

#[derive(Debug, Default)]
pub struct UserColumns {
    version: i64,
    /// The workspace's users, ascending.
    ids: Vec<i64>,
    /// Seconds since 1970 (UTC), `NO_TIME` when unknown.
    created: Vec<i64>,
    last_seen: Vec<i64>,
    /// `CHURNED | EMAIL_REACHABLE | SMS_REACHABLE` bits.
    flags: Vec<u8>,
    /// 0 without a company (ids start at 1).
    company: Vec<i64>,
    /// Stored scores 0–100 and r/f/m 1–5; `NO_SCORE` when not scored.
    health: Vec<i8>,
    engagement: Vec<i8>,
    fit: Vec<i8>,
    r: Vec<i8>,
    f: Vec<i8>,
    m: Vec<i8>,
    /// The stored RFM segment of each user.
    segment: Vec<Option<RfmSegment>>,
}

/// One user as the columns hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserFacts {
    pub id: i64,
    pub created: Option<NaiveDateTime>,
    pub last_seen: Option<NaiveDateTime>,
    pub churned: bool,
    pub email_reachable: bool,
    pub sms_reachable: bool,
    pub company_id: Option<i64>,
    pub health: Option<u8>,
    pub engagement: Option<u8>,
    pub fit: Option<u8>,
    /// Stored (r, f, m) scores, when all three are set.
    pub rfm: Option<(u8, u8, u8)>,
    pub segment: Option<RfmSegment>,
}

impl UserFacts {
    /// Reachable on at least one channel (consent and a valid address for it).
    pub fn reachable(&self) -> bool {
        self.email_reachable || self.sms_reachable
    }
}

/// Seconds since 1970 of a time (the columns' unit).
pub(crate) fn seconds(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

fn time_of(seconds: i64) -> Option<NaiveDateTime> {
    (seconds != NO_TIME).then(|| chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.naive_utc())).flatten()
}

fn score_of(v: i8) -> Option<u8> {
    u8::try_from(v).ok()
}

impl UserColumns {
    /// Reads the workspace's users, filed under `version` (read by the caller before).
    pub fn build(conn: &mut DbConn, workspace_id: i64, version: i64) -> Result<UserColumns> {
        type Row = (i64, Option<i64>, Option<i64>, i64, Option<i64>, i64, Option<i64>, Option<String>);
        type RowSql = (
            BigInt,
            Nullable<BigInt>,
            Nullable<BigInt>,
            BigInt,
            Nullable<BigInt>,
            BigInt,
            Nullable<BigInt>,
            Nullable<Text>,
        );
        let dialect = Dialect::of(conn);
        let workspace = Param::I64(Some(workspace_id));
        let Some((first, last)) = db::lists::user_id_span(conn, workspace_id)? else {
            return Ok(UserColumns { version, ..UserColumns::default() });
        };

        // Three scores in one number and r/f/m in another (NULL unless all three are set):
        // fewer columns to decode per row.
        let select = format!(
            "SELECT id, {created}, {seen}, CAST(CASE WHEN churned_at IS NULL THEN 0 ELSE {CHURNED} END AS BIGINT), \
             company_id, CAST((COALESCE(health_score, -1) + 1) * 1000000 \
             + (COALESCE(engagement_score, -1) + 1) * 1000 + COALESCE(fit_score, -1) + 1 AS BIGINT), \
             CAST(r_score * 100 + f_score * 10 + m_score AS BIGINT), rfm_segment \
             FROM users WHERE id >= ",
            created = dialect.epoch_seconds("created_at"),
            seen = dialect.epoch_seconds("last_seen_at"),
        );
        let mut out = UserColumns { version, ..UserColumns::default() };
        let score = |v: i64| i8::try_from(v - 1).ok().filter(|s| (0..=100).contains(s)).unwrap_or(NO_SCORE);
        let mut start = first;
        while start <= last {
            let end = start.saturating_add(BLOCK_USERS);
            let mut q = Query::new(&select);
            q.bind(Param::I64(Some(start))).push(" AND id < ").bind(Param::I64(Some(end)));
            // As in the order history: the id range, not the workspace index, drives the pass.
            q.push(&dialect.and_unindexed("workspace_id")).bind(workspace.clone()).push(" ORDER BY id");
            for (id, created, seen, flags, company, scores, rfm, segment) in q.load_typed::<RowSql, Row>(conn)? {
                out.ids.push(id);
                out.created.push(created.unwrap_or(NO_TIME));
                out.last_seen.push(seen.unwrap_or(NO_TIME));
                out.flags.push(u8::try_from(flags).unwrap_or(0));
                out.company.push(company.unwrap_or(0));
                out.health.push(score(scores / 1_000_000));
                out.engagement.push(score(scores / 1000 % 1000));
                out.fit.push(score(scores % 1000));
                let digit = |d: i64| rfm.map_or(NO_SCORE, |v| i8::try_from(v / d % 10).unwrap_or(NO_SCORE));
                out.r.push(digit(100));
                out.f.push(digit(10));
                out.m.push(digit(1));
                out.segment.push(segment.as_deref().and_then(RfmSegment::from_key));
            }
            start = end;
        }

        // Reachability from the index that holds it (evaluating the generated columns row by row
        // would match every address again).
        for (column, bit) in [("email_reachable", EMAIL_REACHABLE), ("sms_reachable", SMS_REACHABLE)] {
            let from = dialect.indexed_by("users", "users_reach");
            let mut q = Query::new(format!("SELECT id FROM {from} WHERE workspace_id = "));
            q.bind(workspace.clone()).push(&format!(" AND {column}"));
            let ids: Vec<i64> = q.load_typed::<(BigInt,), (i64,)>(conn)?.into_iter().map(|(id,)| id).collect();
            let reachable: Vec<usize> = out.positions(Some(&ids)).collect();
            for i in reachable {
                out.flags[i] |= bit;
            }
        }
        Ok(out)
    }

    /// The users version these columns were read at.
    pub fn version(&self) -> i64 {
        self.version
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Approximate bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.ids.len() * (8 * 4 + 1 + 6 + std::mem::size_of::<Option<RfmSegment>>())
    }

    /// The workspace's user ids, ascending.
    pub fn ids(&self) -> &[i64] {
        &self.ids
    }

    /// The user at position `i` (in id order).
    pub fn get(&self, i: usize) -> UserFacts {
        let flags = self.flags[i];
        let rfm = match (score_of(self.r[i]), score_of(self.f[i]), score_of(self.m[i])) {
            (Some(r), Some(f), Some(m)) => Some((r, f, m)),
            _ => None,
        };
        UserFacts {
            id: self.ids[i],
            created: time_of(self.created[i]),
            last_seen: time_of(self.last_seen[i]),
            churned: flags & CHURNED != 0,
            email_reachable: flags & EMAIL_REACHABLE != 0,
            sms_reachable: flags & SMS_REACHABLE != 0,
            company_id: (self.company[i] != 0).then_some(self.company[i]),
            health: score_of(self.health[i]),
            engagement: score_of(self.engagement[i]),
            fit: score_of(self.fit[i]),
            rfm,
            segment: self.segment[i],
        }
    }

    /// Whether the user at position `i` was created at or after `since`.
    pub fn created_since(&self, i: usize, since: NaiveDateTime) -> bool {
        self.created[i] != NO_TIME && self.created[i] >= seconds(since)
    }

    /// Whether the user at position `i` was seen at or after `since`.
    pub fn seen_since(&self, i: usize, since: NaiveDateTime) -> bool {
        self.last_seen[i] != NO_TIME && self.last_seen[i] >= seconds(since)
    }

    /// Ids of the users whose stored RFM segment is `segment`, ascending.
    pub fn members_of(&self, segment: RfmSegment) -> Vec<i64> {
        self.segment.iter().zip(&self.ids).filter(|(s, _)| **s == Some(segment)).map(|(_, id)| *id).collect()
    }

    /// Positions of the users in scope: all (ascending), or those of `members` in their order
    /// (ids of other workspaces are skipped).
    pub fn positions<'a>(&'a self, members: Option<&'a [i64]>) -> Box<dyn Iterator<Item = usize> + 'a> {
        match members {
            None => Box::new(0..self.ids.len()),
            Some(members) => Box::new(members.iter().filter_map(|id| self.ids.binary_search(id).ok())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_seconds() {
        let t = chrono::NaiveDate::from_ymd_opt(1969, 12, 31).unwrap().and_hms_opt(23, 59, 59).unwrap();
        assert_eq!(time_of(seconds(t)), Some(t));
        assert_eq!(time_of(NO_TIME), None);
    }
}
