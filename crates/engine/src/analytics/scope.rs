//! Which users a metric covers: the workspace, a custom segment, or an RFM segment.

use diesel::sql_types::BigInt;
use domain::rfm::RfmSegment;
use domain::segments::Visibility;

use crate::user_columns::UserColumns;
use db::sql::{Count, Param, Query};
use db::{DbConn, Error, Result};

use super::common::*;

/// Which users a metric covers: the workspace, the members of a custom segment, or the users
/// whose stored RFM segment is one of the eight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    All,
    Segment(i64),
    Rfm(RfmSegment),
}

/// Checks that a custom segment exists in the workspace and is visible to the operator
/// (public, or private and theirs); `Error::NotFound` otherwise.
pub fn check_segment(conn: &mut DbConn, workspace_id: i64, segment_id: i64, operator_id: Option<i64>) -> Result<()> {
    let mut q = Query::new("SELECT id AS n FROM segments WHERE id = ");
    q.bind(int(segment_id)).push(" AND workspace_id = ").bind(int(workspace_id));
    q.push(" AND (visibility <> ").bind(Param::text(Visibility::Private.key()));
    q.push(" OR owner_id = ").bind(Param::I64(operator_id)).push(")");
    if q.load::<Count>(conn)?.is_empty() { Err(Error::NotFound) } else { Ok(()) }
}

/// The members of a segment scope, ascending (`None` for the whole workspace): what the
/// passes over [`UserColumns`] keep to. An RFM segment's members are read from the columns.
pub fn scope_members(conn: &mut DbConn, users: &UserColumns, scope: Scope) -> Result<Option<Vec<i64>>> {
    match scope {
        Scope::All => Ok(None),
        Scope::Rfm(segment) => Ok(Some(users.members_of(segment))),
        Scope::Segment(id) => {
            let mut q = Query::new("SELECT user_id FROM segment_members WHERE segment_id = ");
            q.bind(int(id)).push(" ORDER BY user_id");
            Ok(Some(q.load_typed::<(BigInt,), (i64,)>(conn)?.into_iter().map(|(id,)| id).collect()))
        }
    }
}

/// Ids of the users in scope, ascending.
pub fn scope_user_ids(conn: &mut DbConn, users: &UserColumns, scope: Scope) -> Result<Vec<i64>> {
    let members = scope_members(conn, users, scope)?;
    Ok(users.positions(members.as_deref()).map(|i| users.ids()[i]).collect())
}

/// Ids of the workspace's users, ascending.
pub(super) fn workspace_user_ids(conn: &mut DbConn, workspace_id: i64) -> Result<Vec<i64>> {
    let mut q = Query::new("SELECT id FROM users WHERE workspace_id = ");
    q.bind(int(workspace_id)).push(" ORDER BY id");
    Ok(q.load_typed::<(BigInt,), (i64,)>(conn)?.into_iter().map(|(id,)| id).collect())
}
