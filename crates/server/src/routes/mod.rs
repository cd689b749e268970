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
pub mod segments;
pub mod settings;
pub mod users;

use actix_web::{HttpRequest, web};
use api_types::problem::ProblemItem;
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
    segments::configure(cfg);
    filters::configure(cfg);
    metrics::configure(cfg);
    settings::configure(cfg);
}

/// Malformed JSON bodies become 400/422 problems naming what is wrong.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(1 << 20).error_handler(|err, _req: &HttpRequest| {
        use actix_web::error::JsonPayloadError;
        let api = match &err {
            JsonPayloadError::OverflowKnownLength { limit, .. } | JsonPayloadError::Overflow { limit } => {
                ApiError::PayloadTooLarge { limit: *limit }
            }
            JsonPayloadError::ContentType => ApiError::BadRequest {
                code: "unsupported_media_type",
                detail: "the body must be application/json".into(),
                errors: Vec::new(),
            },
            JsonPayloadError::Deserialize(e) if e.is_data() => {
                let message = e.to_string();
                let field = message.split('`').nth(1).filter(|_| message.contains("field")).map(str::to_owned);
                ApiError::Unprocessable {
                    detail: format!("the body does not fit the schema: {message}"),
                    errors: vec![ProblemItem { field, row: None, column: None, message }],
                }
            }
            other => ApiError::bad_request(format!("the body is not valid JSON: {other}")),
        };
        api.into()
    })
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
