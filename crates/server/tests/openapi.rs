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
