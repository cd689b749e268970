//! Paging shared by the lists: page sizes, totals, sort values and keyset cursors, and the
//! `ORDER BY`, keyset and count clauses over them.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::sql::{Count, Dialect, Param, Query};
use crate::{DbConn, Result};

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

/// `AND <rows after the cursor>` in the order `(v, id)` with NULLs smallest.
pub(super) fn keyset(q: &mut Query, v: &Query, id: &str, desc: bool, after: &Cursor) {
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

pub(super) fn order_by(q: &mut Query, v: &Query, id: &str, desc: bool, dialect: Dialect) {
    let (dir, nulls) = dialect.order(desc);
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
pub(super) fn count(
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

pub(super) fn limit_of(limit: i64) -> i64 {
    limit.clamp(1, MAX_LIMIT)
}
