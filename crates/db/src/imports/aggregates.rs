//! The purchase aggregates kept on each user (purchases, revenue, first and last order, …),
//! recomputed from the orders after an import.

use crate::sql::{Param, Query, push_list};
use crate::{DbConn, Error};

/// Users per `UPDATE … WHERE id IN (…)`, well under the backends' bound parameters.
const USERS_PER_STATEMENT: usize = 1000;

/// Recomputes first/last purchase, purchases and revenue of these users (or of every user of
/// the workspace) from their orders, one correlated lookup per user on `orders_user_date`.
pub fn refresh_purchase_aggregates(conn: &mut DbConn, workspace_id: i64, users: Option<&[i64]>) -> Result<(), Error> {
    const SET: &str = "UPDATE users SET (first_purchase_at, last_purchase_at, purchases, revenue) = (\
        SELECT MIN(CASE WHEN o.amount > 0 THEN o.ordered_at END), \
        MAX(CASE WHEN o.amount > 0 THEN o.ordered_at END), \
        COUNT(CASE WHEN o.amount > 0 THEN 1 END), \
        COALESCE(SUM(o.amount), 0) FROM orders o WHERE o.user_id = users.id) WHERE ";
    match users {
        None => {
            let mut q = Query::new(SET);
            q.push("workspace_id = ").bind(Param::I64(Some(workspace_id)));
            q.execute(conn)?;
        }
        Some(users) => {
            for chunk in users.chunks(USERS_PER_STATEMENT) {
                let mut q = Query::new(SET);
                q.push("id IN (");
                push_list(&mut q, chunk.iter().map(|u| Param::I64(Some(*u))));
                q.push(")");
                q.execute(conn)?;
            }
        }
    }
    Ok(())
}
