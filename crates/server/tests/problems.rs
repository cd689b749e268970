//! The problem bodies (RFC 9457) of the API's refusals, pinned as snapshots
//! (`tests/snapshots/`): one per kind of refusal, the same on both backends. A change of a
//! problem's wording, code or fields shows here as a diff to review (`cargo insta review`).

mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::{Value, json};

/// A refusal of the API: its status and body, pinned under `name`.
async fn pinned(name: &str, (status, body): (StatusCode, Value), expected: StatusCode) {
    assert_problem(status, &body, expected);
    insta::assert_json_snapshot!(name, json!({"status": status.as_u16(), "body": body}));
}

#[actix_web::test]
async fn each_refusal_has_a_stable_problem_body() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Problems", "problems@shop.test").await;
        let t = Some(token.as_str());
        use StatusCode as S;

        pinned("no_token", api.call("GET", "/api/v1/users", None, None).await, S::UNAUTHORIZED).await;
        pinned("bad_token", api.call("GET", "/api/v1/users", Some("nope"), None).await, S::UNAUTHORIZED).await;
        pinned("missing_segment", api.get("/api/v1/segments/999999", &token).await, S::NOT_FOUND).await;
        let no_name = json!({"conditions": {"match": "all", "conditions": []}});
        pinned(
            "segment_without_name",
            api.call("POST", "/api/v1/segments", t, Some(no_name)).await,
            S::UNPROCESSABLE_ENTITY,
        )
        .await;
        let unknown_field = json!({"name": "X", "conditions": {"match": "all", "conditions": [
            {"field": "user.shoe_size", "op": "eq", "value": 42}]}});
        pinned(
            "condition_on_an_unknown_field",
            api.call("POST", "/api/v1/segments", t, Some(unknown_field)).await,
            S::UNPROCESSABLE_ENTITY,
        )
        .await;
        let wrong_op = json!({"name": "X", "conditions": {"match": "all", "conditions": [
            {"field": "user.country", "op": "gte", "value": "DE"}]}});
        pinned(
            "operator_the_field_does_not_take",
            api.call("POST", "/api/v1/segments", t, Some(wrong_op)).await,
            S::UNPROCESSABLE_ENTITY,
        )
        .await;
        let malformed = api.raw("POST", "/api/v1/segments", t, "application/json", b"{\"name\": ".to_vec()).await;
        pinned("malformed_json", malformed, S::BAD_REQUEST).await;
        pinned("rfm_segment_changed", api.call("DELETE", "/api/v1/segments/-1", t, None).await, S::CONFLICT).await;
        pinned(
            "events_of_an_unknown_type",
            api.get("/api/v1/segments/-1/events?type=joined", &token).await,
            S::UNPROCESSABLE_ENTITY,
        )
        .await;
        let csv = "order_id,customer_id,ordered_at,amount\no1,c1,2026-01-01,12.50\no2,c2,yesterday,3\n";
        pinned("order_row_with_a_bad_date", api.import_csv(&token, "orders", csv).await, S::UNPROCESSABLE_ENTITY).await;
        let private = json!({"url": "http://127.0.0.1:9/hook", "events": ["segment.entered"]});
        pinned(
            "webhook_to_a_private_address",
            api.call("POST", "/api/v1/webhooks", t, Some(private)).await,
            S::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
}
