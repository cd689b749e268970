//! The API's one error type, rendered as `application/problem+json` (RFC 9457). A 5xx body
//! never carries internal detail; that goes to the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use api_types::problem::{Problem, ProblemItem};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String, errors: Vec<ProblemItem> },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// A body of a content type the operation does not take.
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{detail}")]
    Unprocessable { detail: String, errors: Vec<ProblemItem> },
    /// An all-or-nothing import with bad rows: nothing was written.
    #[error("the import was rejected: {} bad row(s), nothing was written", .0.error_count)]
    ImportRejected(Box<api_types::imports::ImportReport>),
    /// Refused for now: `retry_after` seconds from now it may be tried again (`Retry-After`).
    #[error("{detail}")]
    TooManyRequests { detail: String, retry_after: u64 },
    /// Logged with its cause; the client sees a generic message.
    #[error("internal error")]
    Internal(String),
    #[error("the service is not ready")]
    Unavailable,
}

impl ApiError {
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::BadRequest { code: "bad_request", detail: detail.into(), errors: Vec::new() }
    }

    /// A 422 about one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = message.into();
        ApiError::Unprocessable {
            detail: format!("{field}: {message}"),
            errors: vec![ProblemItem { field: Some(field), row: None, column: None, message }],
        }
    }

    /// A 429: refused for `wait` (at least a second, as `Retry-After` counts whole seconds).
    pub fn too_many(detail: impl Into<String>, wait: std::time::Duration) -> Self {
        let retry_after = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        ApiError::TooManyRequests { detail: detail.into(), retry_after: retry_after.max(1) }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Unprocessable { .. } => "validation",
            ApiError::ImportRejected(_) => "import_rejected",
            ApiError::TooManyRequests { .. } => "rate_limited",
            ApiError::Internal(_) => "internal",
            ApiError::Unavailable => "unavailable",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let errors = match self {
            ApiError::BadRequest { errors, .. } | ApiError::Unprocessable { errors, .. } => errors.clone(),
            ApiError::ImportRejected(report) => report
                .errors
                .iter()
                .map(|e| ProblemItem {
                    field: None,
                    row: Some(e.row),
                    column: e.column.clone(),
                    message: e.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let report = match self {
            ApiError::ImportRejected(report) => Some((**report).clone()),
            _ => None,
        };
        Problem {
            type_: format!("/problems/{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            code: self.code().to_owned(),
            errors,
            report,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable { .. } | ApiError::ImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(%cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header(("WWW-Authenticate", "Bearer"));
            }
            ApiError::TooManyRequests { retry_after, .. } => {
                response.insert_header(("Retry-After", retry_after.to_string()));
            }
            _ => {}
        }
        response.content_type("application/problem+json").json(self.problem())
    }
}

impl From<db::Error> for ApiError {
    fn from(e: db::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error as Q};
        match e {
            db::Error::NotFound | db::Error::Query(Q::NotFound) => ApiError::NotFound,
            db::Error::Query(Q::DatabaseError(DatabaseErrorKind::UniqueViolation, info)) => {
                tracing::debug!(message = info.message(), "unique violation");
                ApiError::Conflict("a record with the same unique value already exists".into())
            }
            db::Error::Invalid { field, message } => ApiError::invalid(field, message),
            db::Error::Conflict(message) => ApiError::Conflict(message),
            db::Error::Pool(e) => {
                tracing::error!(error = %e, "database pool");
                ApiError::Unavailable
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::internal(e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
