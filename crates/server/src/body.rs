//! [`Json`]: the JSON body of a request, read like `actix_web::web::Json` but with the path of a
//! value that does not fit its type (`rules[2].op`), so a 422 names the field rather than only
//! the line and column.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use api_types::problem::ProblemItem;
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::ApiError;

/// The largest JSON body taken (imports stream theirs and have their own limit).
pub const LIMIT: usize = 1 << 20;

/// A request body of `application/json` (or `…+json`) read into `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|mime| mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON));
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType("the body must be application/json".into()));
            }
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::bad_request(format!("the body could not be read: {e}")))?;
                if body.len() + chunk.len() > LIMIT {
                    return Err(ApiError::PayloadTooLarge { limit: LIMIT });
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(Json)
        })
    }
}

/// `T` from JSON text, or the problem that names where it does not fit.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let error = e.into_inner();
        if !error.is_data() {
            return ApiError::bad_request(format!("the body is not valid JSON: {error}"));
        }
        let message = error.to_string();
        let field = field(&path, &message);
        ApiError::Unprocessable {
            detail: match &field {
                Some(field) => format!("{field}: {message}"),
                None => format!("the body does not fit the schema: {message}"),
            },
            errors: vec![ProblemItem { field, row: None, column: None, message }],
        }
    })?;
    deserializer.end().map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    Ok(value)
}

/// The field a deserialisation error is about: the path where it stopped (an unknown field's
/// own), and for a missing field that field's name within it.
fn field(path: &str, message: &str) -> Option<String> {
    let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    match (path, missing) {
        (".", None) => None,
        (".", Some(name)) => Some(name.to_owned()),
        (path, Some(name)) => Some(format!("{path}.{name}")),
        (path, None) => Some(path.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rule {
        op: api_types::auth::Scope,
        value: i64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        rules: Vec<Rule>,
    }

    fn problem(body: &str) -> (Option<String>, String) {
        match parse::<Body>(body.as_bytes()) {
            Err(ApiError::Unprocessable { errors, detail }) => (errors[0].field.clone(), detail),
            Err(ApiError::BadRequest { detail, .. }) => (None, format!("400 {detail}")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn problems_name_the_field() {
        assert_eq!(problem(r#"{"name": 3, "rules": []}"#).0.as_deref(), Some("name"));
        assert_eq!(problem(r#"{"rules": []}"#).0.as_deref(), Some("name"));
        let (field, detail) =
            problem(r#"{"name": "a", "rules": [{"op": "read", "value": 1}, {"op": "x", "value": 1}]}"#);
        assert_eq!(field.as_deref(), Some("rules[1].op"));
        assert!(detail.starts_with("rules[1].op: unknown variant `x`"), "{detail}");
        assert_eq!(problem(r#"{"name": "a", "rules": [{"op": "read"}]}"#).0.as_deref(), Some("rules[0].value"));
        assert_eq!(
            problem(r#"{"name": "a", "rules": [{"op": "read", "value": 1, "v": 2}]}"#).0.as_deref(),
            Some("rules[0].v")
        );
        assert!(problem(r#"{"name": "a", "rules": []} x"#).1.starts_with("400"));
        assert!(problem(r#"{"name": "a""#).1.starts_with("400"));
        assert!(parse::<Body>(br#"{"name": "a", "rules": []}"#).is_ok());
    }
}
