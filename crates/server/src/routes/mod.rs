//! One module per resource; handlers extract, call one db/domain function, and map.

pub mod api_keys;
pub mod auth;
pub mod companies;
pub mod export;
pub mod filters;
pub mod health;
pub mod imports;
pub mod lists;
pub mod me;
pub mod metrics;
pub mod operators;
pub mod segment_events;
pub mod segments;
pub mod settings;
pub mod users;
pub mod webhooks;

use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::ApiError;

pub fn configure(cfg: &mut ServiceConfig) {
    auth::configure(cfg);
    operators::configure(cfg);
    api_keys::configure(cfg);
    imports::configure(cfg);
    me::configure(cfg);
    // Fixed paths under /users and /companies before the `{id}` ones.
    export::configure(cfg);
    lists::configure(cfg);
    users::configure(cfg);
    companies::configure(cfg);
    segment_events::configure(cfg);
    segments::configure(cfg);
    filters::configure(cfg);
    metrics::configure(cfg);
    settings::configure(cfg);
    webhooks::configure(cfg);
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        ApiError::BadRequest { code: "bad_query", detail: format!("invalid query string: {err}"), errors: Vec::new() }
            .into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into())
}
