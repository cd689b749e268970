//! The fixtures of `db::testing`.

pub use db::testing::*;
