//! Condition trees of custom segments and filters (docs/conditions.md): their JSON shape,
//! the field catalog, validation, and an in-memory evaluation that is the reference for the
//! SQL compiler in `db` (a property test compares the two).
//!
//! # Shape
//! A group is `{"match": "all"|"any", "conditions": [...]}`; each item is a condition
//! `{"field": KEY, "op": OP, "value": JSON}` (an object with a `field`, `op` or `value` key)
//! or a nested group.
//! Unknown keys are rejected; a missing `match` means `all`, a missing `value` means `null`.
//!
//! # Limits
//! Groups nest at most [`MAX_DEPTH`] = 5 levels (the root is level 1), a tree holds at most
//! [`MAX_CONDITIONS`] = 100 conditions (groups not counted), `in`/`not_in` lists at most
//! [`MAX_LIST`] values. Only the root group may be empty; an empty root matches everyone
//! whatever its `match`.
//!
//! # Semantics of evaluation
//! The record supplies each field's value or `None` (NULL). A value of the wrong kind for
//! the field (e.g. a text where a number is expected) counts as `None`.
//!
//! - **NULL.** Every operator is either *positive* or the negation of one:
//!   `ne = ¬eq`, `not_contains = ¬contains`, `not_in = ¬in`, `not_in_last_days =
//!   ¬in_last_days`, `is_false = ¬is_true`, `is_not_set = ¬is_set` ([`Op::positive`]).
//!   A positive operator is false on NULL; its negation is therefore true on NULL.
//!   In SQL: `negative = NOT COALESCE(positive, FALSE)`.
//! - **Text.** `eq`, `ne`, `in`, `not_in` compare exactly (case-sensitive, no trimming).
//!   `contains`, `starts_with`, `ends_with` fold ASCII letters only (`A`–`Z` ≡ `a`–`z`; `É`
//!   and `é` differ), with no wildcards: `%` and `_` are literal characters. `is_set` is
//!   "not NULL" (an empty string is set).
//! - **Numbers** compare as `f64`; `between [lo, hi]` is inclusive at both ends.
//! - **Money** values are major units on both sides (the record supplies major units too)
//!   and compare after rounding each side to whole minor units, half away from zero on the
//!   number's decimal form ([`money_to_minor`]: `12.345` → 1235); in SQL compare the stored
//!   minor-unit integer with `money_to_minor(value)`.
//! - **Dates.** Condition values are `YYYY-MM-DD` (a whole UTC day) or RFC 3339 (an instant,
//!   converted to UTC, fractions of a second dropped); record values are UTC and compared as
//!   they are. `before D` = earlier than the start of D; `after D` = later than D (a day:
//!   from the next midnight on; an instant: strictly later); `between [A, B]` = from the start
//!   of A to the end of B inclusive (a day B: until the next midnight, exclusive);
//!   `in_last_days N` = from `now − N×24h` to `now`, both inclusive. [`date_range`] gives the
//!   exact bounds to render in SQL.
//! - **Booleans.** `is_true` = true; `is_false` = false or NULL.
//! - **Lists** (`behaviour.product`: the distinct products of the user's purchases;
//!   `segment`: the ids of the custom segments the user belongs to, as decimal strings):
//!   `eq x` = x is in the list, `in [..]` = the lists share a value, `is_set` = the list is
//!   not empty; NULL is the empty list. Segment ids in conditions are JSON integers.
//! - **Groups.** `all` is true when every item is (an empty `all` is true), `any` when one is
//!   (an empty `any` is false), except the empty root, which matches everyone.
//! - [`evaluate`] expects a validated tree. A condition whose value does not fit its
//!   operator (e.g. `between` without two bounds) or whose field key does not parse matches
//!   nobody, whatever its operator.
//!
//! # What the record supplies (the lead's SQL must agree)
//! Counts and sums of behaviour are never NULL (0 when nothing happened).
//! `behaviour.purchases_total` / `revenue_total`: all the user's purchases (amount > 0) /
//! all amounts (refunds netted). `behaviour.purchases_last_Nd` / `revenue_last_Nd` /
//! `events.X.count_last_Nd`: the same over `ordered_at`/`occurred_at` in `[now − N days,
//! now]`. `first_purchase_at` / `last_purchase_at`: NULL without purchases.
//! `user.activity`: `churned` when `churned_at` is set, else `online` when `last_seen_at` is
//! within the workspace's activity window, else `offline`. `user.engagement_label`: from the
//! engagement score ([`crate::scores::EngagementLabel`]), NULL when unscored.
//! `user.preferred_purchase_day`: `monday`…`sunday`, NULL without purchases. `rfm.segment`:
//! the segment key, NULL when unscored.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::metrics::WorkspaceKind;
use crate::money::Minor;
use crate::rfm::RfmSegment;
use crate::scores::{EngagementLabel, MAX_DAYS};

pub use crate::scores::ScoreKind;

/// Groups nest at most this many levels; the root group is level 1.
pub const MAX_DEPTH: usize = 5;
/// Conditions (leaves, not groups) in one tree.
pub const MAX_CONDITIONS: usize = 100;
/// Values in one `in`/`not_in` list.
pub const MAX_LIST: usize = 1000;
/// The largest `N` of `in_last_days` and of `behaviour.*_last_<N>d` fields.
pub const MAX_WINDOW_DAYS: u32 = MAX_DAYS;
/// The windows the catalog lists for behaviour fields (any 1..=3650 is accepted).
pub const CATALOG_WINDOWS: [u32; 3] = [30, 90, 365];

// ---------------------------------------------------------------------------------------
// Shape: the tree is the wire's, defined once in `vocab`

pub use vocab::{
    Condition, ConditionError, ConditionGroup, ConditionNode, FieldGroup, FieldType, MatchKind, Op, child_path,
};

/// The members of an RFM segment, `rfm.segment eq <key>`: the conditions the API shows for
/// the segment and the tree its lists and metrics read.
pub fn rfm_segment_tree(segment: RfmSegment) -> ConditionGroup {
    let condition = Condition { field: "rfm.segment".into(), op: Op::Eq, value: Json::from(segment.key()) };
    ConditionGroup { r#match: MatchKind::All, conditions: vec![ConditionNode::Condition(condition)] }
}

mod catalog;
mod dates;
#[cfg(any(test, feature = "test-support"))]
mod eval;
mod fields;
mod operand;
#[cfg(test)]
mod tests;
mod validate;

pub use catalog::*;
pub use dates::*;
#[cfg(any(test, feature = "test-support"))]
pub use eval::*;
pub use fields::*;
pub use operand::*;
pub use validate::*;
