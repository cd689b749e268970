//! The browser app, embedded at build time from `frontend/dist` (built by `just build`).
//! Unknown non-API paths get `index.html`, so client-side routes survive a reload.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

use crate::ApiError;

#[derive(RustEmbed)]
#[folder = "../../frontend/dist"]
#[allow_missing = true]
struct Assets;

/// The app's pages run only the app's own script and wasm (`'wasm-unsafe-eval'` lets the
/// browser compile it; no inline script, no other origin), talk only to this origin, and are
/// framed by no one. Inline style attributes stay allowed: the app's views set some (bar widths
/// of the charts); they cannot run code.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn serve(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let path = req.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return Err(ApiError::NotFound);
    }
    if let Some(file) = Assets::get(path).filter(|_| !path.is_empty()) {
        let cache = if path.starts_with("pkg/") { "no-cache" } else { "public, max-age=3600" };
        let content_type = file.metadata.mimetype().to_owned();
        return Ok(respond(&req, file, &content_type, cache));
    }
    match Assets::get("index.html") {
        Some(index) => Ok(respond(&req, index, "text/html; charset=utf-8", "no-cache")),
        None => Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(
            "<!doctype html><title>segmenta</title><p>The browser app is not built into this \
             binary. Build it with <code>just build</code>; the API is at \
             <a href=\"/api/docs/\">/api/docs/</a>.</p>",
        )),
    }
}

/// The file with an `ETag` of its content: a browser that revalidates (`no-cache`) with
/// `If-None-Match` gets `304 Not Modified` instead of the file again (the wasm is 1.5 MB).
fn respond(req: &HttpRequest, file: rust_embed::EmbeddedFile, content_type: &str, cache: &str) -> HttpResponse {
    let hash = file.metadata.sha256_hash();
    let etag = format!("\"{}\"", hash[..16].iter().map(|b| format!("{b:02x}")).collect::<String>());
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    let mut response = if matches { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response.insert_header((header::CACHE_CONTROL, cache.to_owned())).insert_header((header::ETAG, etag));
    if content_type.starts_with("text/html") {
        response
            .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"));
    }
    if matches {
        return response.finish();
    }
    response.content_type(content_type.to_owned()).body(file.data.into_owned())
}
