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
    if matches {
        return response.finish();
    }
    response.content_type(content_type.to_owned()).body(file.data.into_owned())
}
