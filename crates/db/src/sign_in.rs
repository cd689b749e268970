//! Failed sign-ins per key, kept in the database so that every replica refuses the same
//! guesser (the policy is `domain::sign_in`; docs/security.md).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

pub use domain::sign_in::{Failures, Policy};

use crate::schema::sign_in_failures as failures;
use crate::sql::{Param, Query};
use crate::{DbConn, Result};

/// The key of an account's failures (the email as typed, trimmed and lower-cased).
pub fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

/// The key of a client address's failures.
pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// How long an attempt at `now` is still refused: the longest block among `keys`.
pub fn refused(conn: &mut DbConn, keys: &[String], now: NaiveDateTime) -> Result<Option<Duration>> {
    let blocks: Vec<Option<NaiveDateTime>> = failures::table
        .filter(failures::throttle_key.eq_any(keys))
        .filter(failures::blocked_until.gt(now))
        .select(failures::blocked_until)
        .load(conn)?;
    Ok(blocks.into_iter().flatten().max().map(|until| until - now))
}

/// Counts a failure of `key` at `now`; in a write transaction (the row is locked first, so
/// that failures on several replicas at once each count).
pub fn record_failure(conn: &mut DbConn, key: &str, policy: &Policy, now: NaiveDateTime) -> Result<Failures> {
    // Creates the row, or locks it (PostgreSQL) until the transaction ends; SQLite's writers
    // take turns anyway.
    let mut lock = Query::new("INSERT INTO sign_in_failures (throttle_key, failures, since) VALUES (");
    lock.bind(Param::text(key)).push(", 0, ").bind(Param::Ts(Some(now)));
    lock.push(") ON CONFLICT (throttle_key) DO UPDATE SET throttle_key = excluded.throttle_key");
    lock.execute(conn)?;
    let (count, since, blocked_until): (i32, NaiveDateTime, Option<NaiveDateTime>) =
        failures::table.find(key).select((failures::failures, failures::since, failures::blocked_until)).first(conn)?;
    let before = (count > 0).then(|| Failures { count: u32::try_from(count).unwrap_or(0), since, blocked_until });
    let after = domain::sign_in::after_failure(before, now, policy);
    diesel::update(failures::table.find(key))
        .set((
            failures::failures.eq(i32::try_from(after.count).unwrap_or(i32::MAX)),
            failures::since.eq(after.since),
            failures::blocked_until.eq(after.blocked_until),
        ))
        .execute(conn)?;
    Ok(after)
}

/// Forgets `key`'s failures (an account after a correct password).
pub fn forget(conn: &mut DbConn, key: &str) -> Result<()> {
    diesel::delete(failures::table.find(key)).execute(conn)?;
    Ok(())
}

/// Deletes the records no block or window needs any more (older than the longest block and a
/// window since their latest failure or block).
pub fn prune(conn: &mut DbConn, policy: &Policy, now: NaiveDateTime) -> Result<usize> {
    let before = now - policy.longest_block - policy.window;
    Ok(diesel::delete(failures::table.filter(failures::since.lt(before))).execute(conn)?)
}
