//! The Users and Companies lists: search, condition trees, segment scoping, sort by a listed
//! column and keyset pagination; and the users export, which pages by id over the same
//! [`UserSelection`] as the list.
//!
//! Pages are ordered by `(sort value, id)` with NULL sort values taken as the smallest (first
//! ascending, last descending, on both backends), and continue after the `(value, id)` of the
//! previous page's last row — so rows inserted meanwhile neither repeat nor shift a page.

mod companies;
mod export;
mod page;
mod search;
mod users;

pub use companies::*;
pub use export::*;
pub use page::*;
pub use users::*;
