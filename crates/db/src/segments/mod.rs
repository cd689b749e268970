//! Custom segments: definitions (name unique per workspace ignoring case, visibility,
//! position, condition tree), membership kept in `segment_members` with each entry and exit
//! recorded as a segment event (`crate::segment_events`), and the counts of the last refresh.
//!
//! A refresh evaluates the compiled tree in the database into a temporary table, then applies
//! the difference to the stored membership (exits first, then entries), all in one write
//! transaction per segment. Segments that refer to other segments are refreshed after them;
//! membership cycles are rejected when a tree is saved.

mod evaluation;
mod refresh;
mod rows;
mod writes;

pub use evaluation::*;
pub use refresh::*;
pub use rows::*;
pub use writes::*;
