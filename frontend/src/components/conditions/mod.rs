//! Condition trees in the browser: an editable, reactive copy of a `ConditionGroup`, the
//! editor of one condition (field, operator, value by type) and of a group (all/any, nested
//! groups), and one-line descriptions for filter chips.
//!
//! Values are edited as text and turned into JSON of the right kind (number, segment id,
//! list, pair) only when the tree is sent, so a half-typed number is never lost.

mod catalog;
mod editor;
mod state;

pub use catalog::*;
pub use editor::*;
pub use state::*;
