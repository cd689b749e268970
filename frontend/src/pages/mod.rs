//! One module per page (or pair of closely related pages).

pub mod auth;
pub mod placeholder;
pub mod user;
pub mod users;
