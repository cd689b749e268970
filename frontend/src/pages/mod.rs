//! One module per page (or pair of closely related pages).

pub mod auth;
pub mod builder;
pub mod dashboard;
pub mod not_found;
pub mod scoring;
pub mod segments;
pub mod settings;
pub mod user;
pub mod users;
pub mod webhooks;
