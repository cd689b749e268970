//! `Idempotency-Key` on POST requests, on both backends: a retry with the same key and request
//! gets the first answer without doing the work again; the same key with another request is a
//! 422; keys belong to their caller; imports are replayed too.

mod common;

use actix_web::http::StatusCode;
use actix_web::test;
use common::*;
use serde_json::{Value, json};

/// A POST with an `Idempotency-Key`: its status, body and whether it was a replay.
macro_rules! post_keyed {
    ($api:expr, $path:expr, $token:expr, $key:expr, $content_type:expr, $body:expr) => {{
        let req = test::TestRequest::post()
            .uri($path)
            .insert_header(("Authorization", format!("Bearer {}", $token)))
            .insert_header(("Idempotency-Key", $key))
            .insert_header(("Content-Type", $content_type))
            .set_payload($body)
            .to_request();
        let resp = test::call_service(&$api.service, req).await;
        let status = resp.status();
        let replayed = resp.headers().get("idempotent-replayed").is_some();
        let bytes = test::read_body(resp).await;
        (status, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null), replayed)
    }};
}

fn segment(name: &str) -> Vec<u8> {
    json!({"name": name, "conditions": {"match": "all", "conditions": []}}).to_string().into_bytes()
}

/// The same key and body: one segment, the first answer twice (the second marked a replay).
#[actix_web::test]
async fn a_retry_with_the_same_key_gets_the_first_answer() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let json = "application/json";
        let (s1, first, r1) = post_keyed!(api, "/api/v1/segments", &token, "k-1", json, segment("VIP"));
        let (s2, second, r2) = post_keyed!(api, "/api/v1/segments", &token, "k-1", json, segment("VIP"));
        assert_eq!((s1, r1), (StatusCode::CREATED, false), "{} {first}", db.label());
        assert_eq!((s2, r2), (StatusCode::CREATED, true), "{} {second}", db.label());
        assert_eq!(first, second, "the same answer");
        let (_, list) = api.get("/api/v1/segments", &token).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "created once");

        // The same key with another body: 422 naming the header, nothing created.
        let (s3, problem, _) = post_keyed!(api, "/api/v1/segments", &token, "k-1", json, segment("Other"));
        assert_eq!(s3, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
        // The same key on another path is another request too.
        let id = first["id"].as_i64().unwrap();
        let clone = format!("/api/v1/segments/{id}/clone");
        let (s4, _, _) = post_keyed!(api, &clone, &token, "k-1", json, Vec::new());
        assert_eq!(s4, StatusCode::UNPROCESSABLE_ENTITY);

        // A new key runs: cloning twice with one key makes one copy, with two keys two.
        let (a, c1, _) = post_keyed!(api, &clone, &token, "c-1", json, Vec::new());
        let (_, c2, replayed) = post_keyed!(api, &clone, &token, "c-1", json, Vec::new());
        assert_eq!((a, replayed, c1["id"].clone()), (StatusCode::CREATED, true, c2["id"].clone()));
        let (_, c3, _) = post_keyed!(api, &clone, &token, "c-2", json, Vec::new());
        assert_ne!(c3["id"], c1["id"]);
        let (_, list) = api.get("/api/v1/segments", &token).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 3);
    }
}

/// Keys are per caller: another operator's request with the same key runs.
#[actix_web::test]
async fn keys_belong_to_their_caller() {
    for db in backends() {
        let api = api(state(&db)).await;
        let admin = api.signup("Shop", "owner@shop.test").await;
        let (status, _) =
            api.call("POST", "/api/v1/api-keys", Some(&admin), Some(json!({"name": "etl", "role": "editor"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, key) =
            api.call("POST", "/api/v1/api-keys", Some(&admin), Some(json!({"name": "etl2", "role": "editor"}))).await;
        let secret = key["key"].as_str().unwrap().to_owned();
        let json = "application/json";
        let (s1, a, _) = post_keyed!(api, "/api/v1/segments", &admin, "same", json, segment("A"));
        let (s2, b, replayed) = post_keyed!(api, "/api/v1/segments", &secret, "same", json, segment("B"));
        assert_eq!((s1, s2, replayed), (StatusCode::CREATED, StatusCode::CREATED, false), "{} {a} {b}", db.label());
        assert_ne!(a["id"], b["id"]);
    }
}

/// An import retried with its key is answered from the first run's report, without reading
/// the rows into the workspace again; a bad key is a 422.
#[actix_web::test]
async fn an_import_is_replayed_by_its_key() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let csv = "order_id,customer_id,ordered_at,amount\n1,a,2024-06-03,10\n2,b,2024-06-04,20\n";
        let path = "/api/v1/imports/orders";
        let (s1, first, r1) = post_keyed!(api, path, &token, "import-1", "text/csv", csv.as_bytes().to_vec());
        let (s2, second, r2) = post_keyed!(api, path, &token, "import-1", "text/csv", csv.as_bytes().to_vec());
        assert_eq!((s1, r1, s2, r2), (StatusCode::OK, false, StatusCode::OK, true), "{} {first}", db.label());
        assert_eq!(first, second);
        assert_eq!(first["created_references"], 2);
        // Without the key the same file runs again (and, being an upsert, creates nothing new).
        let (_, again) = api.import_csv(&token, "orders", csv).await;
        assert_eq!(again["created_references"], 0);

        let long = "x".repeat(256);
        let (status, problem, _) = post_keyed!(api, path, &token, long.as_str(), "text/csv", csv.as_bytes().to_vec());
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    }
}
