//! A typed client of the segmenta REST API, for scripts and tests: one method per operation of
//! `openapi/openapi.json` (generated into `operations/`, a file per tag, by `scripts/gen-rust-client.py`), the
//! request and response types of `api-types`, and every error answer as a typed
//! [`api_types::Problem`].
//!
//! ```no_run
//! use api_types::auth::LoginRequest;
//! use client::{Client, ListUsersQuery};
//!
//! let anonymous = Client::new("http://127.0.0.1:8080");
//! let tokens = anonymous.login(&LoginRequest { email: "me@shop.example".into(), password: "a-long-password".into() })?;
//! let api = anonymous.with_token(tokens.access_token);
//! let page = api.list_users(&ListUsersQuery { limit: Some(100), ..ListUsersQuery::default() })?;
//! println!("{} users on the first page", page.items.len());
//! # Ok::<(), client::Error>(())
//! ```

mod operations;

pub use operations::*;
use reqwest::Method;
use reqwest::blocking::Response;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A connection to one segmenta server, with or without a bearer token (an access token or an
/// API key).
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    idempotency_key: Option<String>,
    http: reqwest::blocking::Client,
}

/// What can go wrong with a call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with an error: its problem+json body.
    #[error("{} {}: {}", .0.status, .0.code, .0.detail)]
    Problem(Box<api_types::Problem>),
    /// An answer that is neither what the operation returns nor a problem.
    #[error("unexpected answer {status}: {body}")]
    Unexpected { status: u16, body: String },
    #[error("request failed: {0}")]
    Transport(#[from] reqwest::Error),
    #[error("body: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// The problem the server answered with, if it did.
    pub fn problem(&self) -> Option<&api_types::Problem> {
        match self {
            Error::Problem(p) => Some(p),
            _ => None,
        }
    }
}

/// The body of a request.
pub(crate) enum Body {
    None,
    Json(serde_json::Value),
    Csv(reqwest::blocking::Body),
}

impl Client {
    /// A client of the server at `base` (`http://127.0.0.1:8080`), without a token.
    pub fn new(base: impl Into<String>) -> Client {
        let http = reqwest::blocking::Client::builder()
            // Imports answer after the rescoring that follows them.
            .timeout(None)
            .build()
            .expect("a reqwest client builds");
        Client { base: base.into().trim_end_matches('/').to_owned(), token: None, idempotency_key: None, http }
    }

    /// The same client, sending `token` (an access token or an API key) as its bearer.
    pub fn with_token(&self, token: impl Into<String>) -> Client {
        Client { token: Some(token.into()), ..self.clone() }
    }

    /// The same client, sending `key` as the `Idempotency-Key` of its POSTs: a retry of a call
    /// with the same key and request gets the first answer again instead of doing the work
    /// twice (for 24 hours); the same key with another request is a 422 problem.
    ///
    /// ```no_run
    /// # let api = client::Client::new("http://127.0.0.1:8080").with_token("sgk_…");
    /// let orders = std::fs::read("orders.csv")?;
    /// let import = api.with_idempotency_key("orders-2026-12-07");
    /// let query = client::ImportOrdersQuery::default();
    /// // A retry after a dropped connection does not import the file twice.
    /// let report = import.import_orders_csv(orders.clone(), &query).or_else(|_| import.import_orders_csv(orders, &query))?;
    /// println!("{} rows", report.rows);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_idempotency_key(&self, key: impl Into<String>) -> Client {
        Client { idempotency_key: Some(key.into()), ..self.clone() }
    }

    pub(crate) fn send<Q: Serialize + ?Sized>(
        &self,
        method: Method,
        path: String,
        query: Option<&Q>,
        body: Body,
    ) -> Result<Response, Error> {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(key) = self.idempotency_key.as_ref().filter(|_| method == Method::POST) {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(query) = query {
            request = request.query(query);
        }
        request = match body {
            Body::None => request,
            Body::Json(value) => request.json(&value),
            Body::Csv(csv) => request.header(reqwest::header::CONTENT_TYPE, "text/csv").body(csv),
        };
        let response = request.send()?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let text = response.text()?;
        match serde_json::from_str::<api_types::Problem>(&text) {
            Ok(problem) => Err(Error::Problem(Box::new(problem))),
            Err(_) => Err(Error::Unexpected { status, body: text }),
        }
    }

    pub(crate) fn json<T: DeserializeOwned>(&self, response: Response) -> Result<T, Error> {
        let status = response.status().as_u16();
        let text = response.text()?;
        serde_json::from_str(&text).map_err(|_| Error::Unexpected { status, body: text })
    }

    pub(crate) fn text(&self, response: Response) -> Result<String, Error> {
        Ok(response.text()?)
    }

    pub(crate) fn empty(&self, _response: Response) -> Result<(), Error> {
        Ok(())
    }
}
