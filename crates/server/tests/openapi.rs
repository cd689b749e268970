//! The served OpenAPI document equals the checked-in `openapi/openapi.json`
//! (regenerate with `just openapi`).

mod common;

use common::*;

#[actix_web::test]
async fn served_document_matches_checked_in_file() {
    let db = TestDb::sqlite();
    let api = api(state(&db)).await;
    let (status, served) = api.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, actix_web::http::StatusCode::OK);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let checked_in: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("openapi/openapi.json exists")).expect("valid JSON");
    assert!(served == checked_in, "openapi/openapi.json is out of date: run `just openapi` and commit the result");
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(
        server::openapi::document_json(),
        std::fs::read_to_string(path).unwrap(),
        "byte-for-byte as `segmenta openapi` writes it"
    );
    // every operation documents its problem responses
    for (path, item) in served["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(!responses.is_empty(), "{method} {path} has responses");
        }
    }
}

/// The interactive docs show an example for every request body: on the media type itself or
/// on the schema it names.
#[test]
fn every_request_body_has_an_example() {
    let document: serde_json::Value = serde_json::from_str(&server::openapi::document_json()).unwrap();
    let schemas = &document["components"]["schemas"];
    let has_example = |value: &serde_json::Value| value.get("example").is_some() || value.get("examples").is_some();
    let mut missing = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(content) = op.get("requestBody").map(|body| &body["content"]) else { continue };
            for (media_type, media) in content.as_object().unwrap() {
                let schema = &media["schema"];
                let named = schema["$ref"].as_str().map(|r| &schemas[r.rsplit('/').next().unwrap()]);
                if !(has_example(media) || has_example(schema) || named.is_some_and(has_example)) {
                    missing.push(format!("{method} {path} ({media_type})"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "request bodies without an example: {missing:#?}");
}

#[actix_web::test]
async fn docs_ui_is_served_offline() {
    let db = TestDb::sqlite();
    let api = api(state(&db)).await;
    let (status, body) = api.call("GET", "/api/docs/", None, None).await;
    assert_eq!(status, actix_web::http::StatusCode::OK);
    assert!(body.as_str().unwrap().contains("swagger"), "{body}");
    let (status, _) = api.call("GET", "/api/docs/swagger-ui.css", None, None).await;
    assert_eq!(status, actix_web::http::StatusCode::OK);
    let (status, health) = api.call("GET", "/healthz", None, None).await;
    assert_eq!((status.as_u16(), health["status"].as_str()), (200, Some("ok")));
    let (status, _) = api.call("GET", "/readyz", None, None).await;
    assert_eq!(status.as_u16(), 200);
}

#[actix_web::test]
async fn app_files_are_revalidated_by_etag_and_compressed() {
    use actix_web::http::header;
    use actix_web::test;
    let db = TestDb::sqlite();
    let app = test::init_service(server::app(state(&db))).await;
    // style.css and index.html are checked in under frontend/dist, so always embedded.
    let first = test::call_service(&app, test::TestRequest::get().uri("/style.css").to_request()).await;
    assert_eq!(first.status().as_u16(), 200);
    let etag = first.headers().get(header::ETAG).expect("an ETag").to_str().unwrap().to_owned();
    let again = test::TestRequest::get().uri("/style.css").insert_header((header::IF_NONE_MATCH, etag.clone()));
    let again = test::call_service(&app, again.to_request()).await;
    assert_eq!(again.status().as_u16(), 304);
    assert!(test::read_body(again).await.is_empty());
    let stale = test::TestRequest::get().uri("/style.css").insert_header((header::IF_NONE_MATCH, "\"other\""));
    assert_eq!(test::call_service(&app, stale.to_request()).await.status().as_u16(), 200);
    // A client route gets index.html, revalidated the same way.
    let route = test::call_service(&app, test::TestRequest::get().uri("/users/42").to_request()).await;
    assert_eq!(route.status().as_u16(), 200);
    assert!(route.headers().get(header::ETAG).is_some());
    let gzip = test::TestRequest::get().uri("/style.css").insert_header((header::ACCEPT_ENCODING, "gzip"));
    let gzip = test::call_service(&app, gzip.to_request()).await;
    assert_eq!(gzip.headers().get(header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()), Some("gzip"));
}
