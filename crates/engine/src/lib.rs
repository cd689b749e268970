//! segmenta's analytics engine, over the store (`db`): each workspace's orders and users held
//! in memory ([`history`], [`user_columns`]), RFM as of any date, the rescoring run and the
//! segment and dashboard metrics ([`analytics`]), and the work that follows a change of data
//! ([`refresh`]). The store keeps and reads the data; the engine computes from it.

pub mod analytics;
pub mod history;
pub mod refresh;
pub mod rfm_segments;
pub mod user_columns;

use std::sync::Arc;

use db::{Db, DbConn, InMemory, Result};

use crate::history::OrderHistory;
use crate::user_columns::UserColumns;

/// The workspace's order history at its current data version: the one in memory when it is
/// still current, else read anew.
pub fn order_history(db: &Db, workspace_id: i64) -> Result<Arc<OrderHistory>> {
    db.in_memory::<OrderHistory>(workspace_id)
}

/// The workspace's user columns at its current users version: the ones in memory when still
/// current, else read anew.
pub fn user_columns(db: &Db, workspace_id: i64) -> Result<Arc<UserColumns>> {
    db.in_memory::<UserColumns>(workspace_id)
}

impl InMemory for OrderHistory {
    const WHAT: &'static str = "order history";
    fn current_version(conn: &mut DbConn, workspace_id: i64) -> Result<i64> {
        db::settings::data_version(conn, workspace_id)
    }
    fn build(conn: &mut DbConn, workspace_id: i64, version: i64) -> Result<Self> {
        OrderHistory::build(conn, workspace_id, version)
    }
    fn version(&self) -> i64 {
        self.version()
    }
    fn rows(&self) -> usize {
        self.order_count()
    }
    fn heap_bytes(&self) -> usize {
        self.heap_bytes()
    }
}

impl InMemory for UserColumns {
    const WHAT: &'static str = "user columns";
    fn current_version(conn: &mut DbConn, workspace_id: i64) -> Result<i64> {
        db::settings::users_version(conn, workspace_id)
    }
    fn build(conn: &mut DbConn, workspace_id: i64, version: i64) -> Result<Self> {
        UserColumns::build(conn, workspace_id, version)
    }
    fn version(&self) -> i64 {
        self.version()
    }
    fn rows(&self) -> usize {
        self.len()
    }
    fn heap_bytes(&self) -> usize {
        self.heap_bytes()
    }
}
