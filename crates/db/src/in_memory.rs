//! Workspace data held in memory at a version, for whoever reads it often (the engine's order
//! history and user columns): [`Db::in_memory`](crate::Db::in_memory) gives the copy of a
//! workspace that is still current, or reads it anew. The store keeps the copies; what they
//! hold and how they are read is the kind's own ([`InMemory`]).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::{DbConn, Pool, Result};

/// A kind of workspace data read into memory at a version.
pub trait InMemory: Sized + Send + Sync + 'static {
    /// What it is, for the log.
    const WHAT: &'static str;
    /// The workspace's current version of this data (a copy at another is stale).
    fn current_version(conn: &mut DbConn, workspace_id: i64) -> Result<i64>;
    /// Reads the workspace's data, filed under `version` (read by the caller before).
    fn build(conn: &mut DbConn, workspace_id: i64, version: i64) -> Result<Self>;
    fn version(&self) -> i64;
    /// Rows held (orders, users), for the log.
    fn rows(&self) -> usize;
    fn heap_bytes(&self) -> usize;
}

/// The copies of every kind, one [`Copies`] per kind.
#[derive(Default)]
pub(crate) struct Kinds {
    kinds: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Kinds {
    pub(crate) fn of<T: InMemory>(&self) -> Arc<Copies<T>> {
        let mut kinds = self.kinds.lock().unwrap_or_else(|poison| poison.into_inner());
        let copies = kinds.entry(TypeId::of::<T>()).or_insert_with(|| Arc::new(Copies::<T>::default())).clone();
        copies.downcast::<Copies<T>>().expect("filed under its own type")
    }
}

/// In-memory copies of each workspace's data of one kind. A workspace's slot lock is held
/// while its copy is built, so that concurrent requests wait for one build instead of each
/// making their own.
pub(crate) struct Copies<T> {
    slots: Mutex<HashMap<i64, Slot<T>>>,
}

/// One workspace's copy, if read.
type Slot<T> = Arc<Mutex<Option<Arc<T>>>>;

impl<T> Default for Copies<T> {
    fn default() -> Self {
        Copies { slots: Mutex::default() }
    }
}

impl<T: InMemory> Copies<T> {
    /// The workspace's copy at its current version: the one held when still current, else
    /// read anew (the stale one dropped first).
    pub(crate) fn get(&self, pool: &Pool, workspace_id: i64) -> Result<Arc<T>> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|poison| poison.into_inner());
            slots.entry(workspace_id).or_default().clone()
        };
        let mut conn = pool.get()?;
        let version = T::current_version(&mut conn, workspace_id)?;
        let mut held = slot.lock().unwrap_or_else(|poison| poison.into_inner());
        if let Some(copy) = held.as_ref().filter(|copy| copy.version() == version) {
            return Ok(copy.clone());
        }
        *held = None;
        let started = std::time::Instant::now();
        let copy = Arc::new(T::build(&mut conn, workspace_id, version)?);
        tracing::info!(
            what = T::WHAT,
            workspace_id,
            version,
            rows = copy.rows(),
            mib = copy.heap_bytes() >> 20,
            took_ms = started.elapsed().as_millis() as u64,
            "read into memory"
        );
        *held = Some(copy.clone());
        Ok(copy)
    }
}
