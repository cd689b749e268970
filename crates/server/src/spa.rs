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
        return Ok(HttpResponse::Ok()
            .content_type(file.metadata.mimetype())
            .insert_header((header::CACHE_CONTROL, cache))
            .body(file.data.into_owned()));
    }
    match Assets::get("index.html") {
        Some(index) => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(index.data.into_owned())),
        None => Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(
            "<!doctype html><title>segmenta</title><p>The browser app is not built into this \
             binary. Build it with <code>just build</code>; the API is at \
             <a href=\"/api/docs/\">/api/docs/</a>.</p>",
        )),
    }
}
