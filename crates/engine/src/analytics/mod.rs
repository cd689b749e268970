//! Analytics over a workspace's data (docs/rfm.md, docs/metrics.md): RFM as of any date, the
//! rescoring run that stores RFM and health/engagement/fit scores on every user, segment
//! metrics, and the dashboard metrics.
//!
//! How it scales: requests read the workspace's orders and users from in-memory copies
//! ([`OrderHistory`], [`UserColumns`]), which the database fills in one pass after a change;
//! the rescoring's queries return compact per-user tuples (one row per user at most, never one
//! per order). Ranking, scoring and per-segment sums happen in Rust, in O(N) or O(N log N).
//!
//! Date conventions (the same as `domain::rfm::aggregate`): an order belongs to day
//! `date(ordered_at)` (UTC); "as of D" includes every order of day D; a window of N days
//! before D is the days D−N+1 ..= D; a period `from..=to` includes both days.

mod common;
mod dashboard;
mod metrics;
mod rescore;
mod rfm;
mod scope;

pub use common::{day_after, day_start};
pub use dashboard::*;
pub use metrics::*;
pub use rescore::*;
pub use rfm::*;
pub use scope::*;
