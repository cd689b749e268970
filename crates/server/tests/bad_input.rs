//! What a client gets wrong is a 4xx problem+json that says what, never a 5xx, and loses
//! nothing (on both backends): malformed JSON, a body of another type, invalid UTF-8 in a CSV,
//! a garbage cursor, a path id beyond 64 bits, an oversized body, an impossible date.

mod common;

use actix_web::http::StatusCode;
use common::*;

#[actix_web::test]
async fn each_kind_of_bad_input_is_a_4xx_that_names_it() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let t = Some(token.as_str());
        let label = db.label();

        // malformed JSON: 400
        let (status, body) =
            api.raw("POST", "/api/v1/segments", t, "application/json", b"{\"name\": \"x\",".to_vec()).await;
        assert_problem(status, &body, StatusCode::BAD_REQUEST);
        assert!(body["detail"].as_str().unwrap().contains("not valid JSON"), "{label}: {body}");

        // a body of another content type: 415, for JSON operations and for imports
        let (status, body) = api.raw("POST", "/api/v1/segments", t, "text/plain", b"name=x".to_vec()).await;
        assert_problem(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(body["code"], "unsupported_media_type");
        let (status, body) = api.raw("POST", "/api/v1/imports/users", t, "application/xml", b"<u/>".to_vec()).await;
        assert_problem(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE);

        // invalid UTF-8 in a CSV: 422 naming the row, and nothing written
        let mut csv = b"external_id,email\nu1,a@shop.test\nu2,".to_vec();
        csv.extend_from_slice(&[0xff, 0xfe, b'@', b'x', b'\n']);
        let (status, body) = api.raw("POST", "/api/v1/imports/users", t, "text/csv", csv).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["row"], 2, "{label}: {body}");
        let (_, page) = api.get("/api/v1/users?limit=1&total=true", &token).await;
        assert_eq!(page["total"], 0, "{label}: nothing of the rejected file was written");

        // a garbage cursor: 400 naming the parameter
        let (status, body) = api.get("/api/v1/users?cursor=%%%not-a-cursor", &token).await;
        assert!(status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY, "{label}: {body}");
        assert_problem(status, &body, status);
        let (status, body) = api.get("/api/v1/users?cursor=bm90LWEtY3Vyc29y", &token).await;
        assert!(status.is_client_error(), "{label}: {status} {body}");
        assert!(body["detail"].as_str().unwrap().contains("cursor"), "{label}: {body}");

        // a path id beyond 64 bits: 404 (or 400), never 500
        for path in ["/api/v1/users/99999999999999999999999", "/api/v1/segments/-99999999999999999999999"] {
            let (status, body) = api.get(path, &token).await;
            assert!(status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST, "{path}: {status} {body}");
            assert_problem(status, &body, status);
        }

        // an oversized JSON body: 413
        let big = format!("{{\"name\": \"{}\"}}", "x".repeat(2 << 20));
        let (status, body) = api.raw("POST", "/api/v1/segments", t, "application/json", big.into_bytes()).await;
        assert_problem(status, &body, StatusCode::PAYLOAD_TOO_LARGE);

        // an impossible date: 400 naming the parameter
        for path in ["/api/v1/metrics/rfm-matrix?as_of=2026-13-45", "/api/v1/users/export.csv?as_of=2026-02-30"] {
            let (status, body) = api.get(path, &token).await;
            assert!(status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
            assert_problem(status, &body, status);
            assert!(body["detail"].as_str().unwrap().contains("as_of"), "{path}: {body}");
        }
    }
}
