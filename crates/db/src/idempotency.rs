//! Answers to requests sent with an `Idempotency-Key`, per workspace and caller, kept for
//! [`KEPT`]: the first request claims its key, and its answer is stored once it is done, so
//! that a retry with the same key gets that answer (see `server::idempotency`).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::idempotency_keys as keys;
use crate::sql::{Param, Query};
use crate::{DbConn, Result};

/// How long an answer is kept for replay.
pub const KEPT: Duration = Duration::hours(24);

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Answer {
    /// What the request was: a hash of its method, path, query and body.
    pub request_hash: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new (or its answer expired): this request is its first; store its answer with
    /// [`complete`], or [`release`] the key.
    New,
    /// A first request with this key is still under way.
    InProgress,
    /// The key's first request is done: its answer.
    Done(Answer),
}

/// Claims `key` for `principal` (`operator:7`, `key:3`) of the workspace at `now`.
pub fn claim(conn: &mut DbConn, workspace_id: i64, principal: &str, key: &str, now: NaiveDateTime) -> Result<Claim> {
    let this = keys::table.find((workspace_id, principal, key));
    diesel::delete(this.filter(keys::created_at.lt(now - KEPT))).execute(conn)?;
    // Both backends take `ON CONFLICT DO NOTHING`; the multi-backend connection's DSL does not.
    let mut insert =
        Query::new("INSERT INTO idempotency_keys (workspace_id, principal, idempotency_key, created_at) VALUES (");
    insert.bind(Param::I64(Some(workspace_id))).push(", ").bind(Param::text(principal)).push(", ");
    insert.bind(Param::text(key)).push(", ").bind(Param::Ts(Some(now))).push(") ON CONFLICT DO NOTHING");
    let inserted = insert.execute(conn)?;
    if inserted == 1 {
        return Ok(Claim::New);
    }
    type Row = (Option<String>, Option<i32>, Option<String>, Option<String>);
    let (hash, status, content_type, body): Row =
        this.select((keys::request_hash, keys::status, keys::content_type, keys::body)).first(conn)?;
    Ok(match (hash, status) {
        (Some(request_hash), Some(status)) => Claim::Done(Answer {
            request_hash,
            status: u16::try_from(status).unwrap_or(500),
            content_type,
            body: body.unwrap_or_default(),
        }),
        _ => Claim::InProgress,
    })
}

/// Stores the answer to the request that claimed `key`.
pub fn complete(conn: &mut DbConn, workspace_id: i64, principal: &str, key: &str, answer: &Answer) -> Result<()> {
    diesel::update(keys::table.find((workspace_id, principal, key)))
        .set((
            keys::request_hash.eq(&answer.request_hash),
            keys::status.eq(i32::from(answer.status)),
            keys::content_type.eq(&answer.content_type),
            keys::body.eq(&answer.body),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives `key` up without an answer (the request failed on the server's side, or did not read
/// its whole body): a retry runs anew.
pub fn release(conn: &mut DbConn, workspace_id: i64, principal: &str, key: &str) -> Result<()> {
    diesel::delete(keys::table.find((workspace_id, principal, key))).execute(conn)?;
    Ok(())
}
