//! Segment events (docs/segment-events.md) through the API, on SQLite and PostgreSQL: every
//! change of membership of custom and RFM segments is recorded with its cause, and read back
//! as events, a daily history and a user's timeline.

mod common;

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use chrono::{Duration, Utc};
use common::*;
use serde_json::{Value, json};

fn days_ago(days: i64) -> String {
    (Utc::now() - Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn orders(rows: &[(&str, &str, i64, &str)]) -> String {
    let mut csv = "order_id,customer_id,ordered_at,amount\n".to_owned();
    for (order, customer, days, amount) in rows {
        csv.push_str(&format!("{order},{customer},{},{amount}\n", days_ago(*days)));
    }
    csv
}

/// The external ids of events of one type among `events`.
fn who(events: &Value, kind: &str) -> BTreeSet<String> {
    events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == kind)
        .map(|e| e["external_id"].as_str().unwrap_or("(deleted)").to_owned())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

fn big_spenders(min: i64) -> Value {
    json!({"name": "Big spenders", "conditions": {"match": "all", "conditions": [
        {"field": "behaviour.revenue_total", "op": "gte", "value": min}
    ]}})
}

#[actix_web::test]
async fn custom_segment_events_follow_each_change_with_its_cause() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Events", "events@shop.test").await;
        let (status, body) = api
            .import_csv(
                &token,
                "orders",
                &orders(&[("o1", "a", 3, "150"), ("o2", "b", 4, "20"), ("o3", "c", 5, "300")]),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // saving: a and c enter
        let saved_from = days_ago(0);
        let (status, segment) = api.call("POST", "/api/v1/segments", Some(&token), Some(big_spenders(100))).await;
        assert_eq!(status, StatusCode::CREATED, "{segment}");
        let id = segment["id"].as_i64().unwrap();
        let (_, events) = api.get(&format!("/api/v1/segments/{id}/events"), &token).await;
        assert_eq!(who(&events, "entered"), set(&["a", "c"]), "{} {events}", db.label());
        assert!(events["items"].as_array().unwrap().iter().all(|e| e["trigger"] == "save" && e["segment_id"] == id));

        // an import: b now spends enough and enters; nobody else moves
        let (status, _) = api.import_csv(&token, "orders", &orders(&[("o4", "b", 1, "90")])).await;
        assert_eq!(status, StatusCode::OK);
        let (_, events) = api.get(&format!("/api/v1/segments/{id}/events?since={saved_from}"), &token).await;
        let latest = &events["items"][0];
        assert_eq!((latest["external_id"].as_str(), latest["type"].as_str()), (Some("b"), Some("entered")));
        assert_eq!(latest["trigger"], "import:orders");
        assert_eq!(events["items"].as_array().unwrap().len(), 3, "{events}");

        // a change of definition: a and b leave (the threshold rises), c stays
        let (status, body) =
            api.call("PUT", &format!("/api/v1/segments/{id}"), Some(&token), Some(big_spenders(200))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, exits) = api.get(&format!("/api/v1/segments/{id}/events?type=exited"), &token).await;
        assert_eq!(who(&exits, "exited"), set(&["a", "b"]));
        assert!(who(&exits, "entered").is_empty());
        // an on-demand refresh with nothing changed records nothing
        let (status, _) = api.call("POST", &format!("/api/v1/segments/{id}/refresh"), Some(&token), None).await;
        assert_eq!(status, StatusCode::OK);
        let (_, all) = api.get(&format!("/api/v1/segments/{id}/events?limit=200"), &token).await;
        assert_eq!(all["items"].as_array().unwrap().len(), 5);
        assert_eq!(all["has_more"], false);

        // paging: two at a time, newest first, each event once
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/segments/{id}/events?limit=2&cursor={c}"),
                None => format!("/api/v1/segments/{id}/events?limit=2"),
            };
            let (status, page) = api.get(&path, &token).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            seen.extend(page["items"].as_array().unwrap().iter().cloned());
            assert_eq!(page["has_more"], page["next_cursor"].is_string());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen, *all["items"].as_array().unwrap());

        // history: one point a day, the last one the size now, today's moves counted
        let (status, history) = api.get(&format!("/api/v1/segments/{id}/history"), &token).await;
        assert_eq!(status, StatusCode::OK, "{history}");
        let points = history["points"].as_array().unwrap();
        assert_eq!(points.len(), 30);
        let today = points.last().unwrap();
        assert_eq!(today["size"], 1, "c alone: {history}");
        assert_eq!((today["entered"].as_i64(), today["exited"].as_i64()), (Some(3), Some(2)));
        assert_eq!(points[points.len() - 2]["size"], 0, "nobody before today");

        // deleting a member records their exit
        let (_, members) = api.get(&format!("/api/v1/segments/{id}/members"), &token).await;
        let c = members["items"][0]["id"].as_i64().unwrap();
        let (_, before) = api.get(&format!("/api/v1/users/{c}"), &token).await;
        let timeline = before["segment_timeline"].as_array().unwrap();
        assert!(timeline.iter().any(|e| e["segment_id"] == id && e["segment_name"] == "Big spenders"), "{before}");
        assert!(timeline.iter().any(|e| e["segment_id"].as_i64().unwrap() < 0), "RFM entries too: {before}");
        let (status, _) = api.call("DELETE", &format!("/api/v1/users/{c}"), Some(&token), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, events) = api.get(&format!("/api/v1/segments/{id}/events?limit=1"), &token).await;
        let exit = &events["items"][0];
        assert_eq!((exit["user_id"].as_i64(), exit["type"].as_str()), (Some(c), Some("exited")));
        assert_eq!((exit["trigger"].as_str(), exit["external_id"].is_null()), (Some("user_deleted"), true));
    }
}

#[actix_web::test]
async fn rfm_segments_have_ids_and_events() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Rfm", "rfm@shop.test").await;
        let (status, _) = api.import_csv(&token, "orders", &cdnow_csv()).await;
        assert_eq!(status, StatusCode::OK);
        let (_, matrix) = api.get("/api/v1/metrics/segments", &token).await;
        let mut entered = 0;
        for n in 1..=8 {
            let (status, history) = api.get(&format!("/api/v1/segments/-{n}/history"), &token).await;
            assert_eq!(status, StatusCode::OK, "{history}");
            let today = history["points"].as_array().unwrap().last().unwrap().clone();
            // every scored user entered their segment with the import that scored them
            assert_eq!(today["size"], today["entered"], "segment -{n}: {today}");
            entered += today["entered"].as_i64().unwrap();
            let (_, events) = api.get(&format!("/api/v1/segments/-{n}/events?limit=1"), &token).await;
            if today["size"].as_i64().unwrap() > 0 {
                assert_eq!(events["items"][0]["trigger"], "import:orders", "{events}");
                assert_eq!(events["items"][0]["segment_id"], -n);
            }
        }
        // an RFM segment's id goes where a segment id goes: the users list, members, the export
        let (_, champions) = api.get("/api/v1/segments/-1/history", &token).await;
        let size = champions["points"].as_array().unwrap().last().unwrap()["size"].as_i64().unwrap();
        assert!(size > 0);
        let (status, listed) = api.get("/api/v1/users?segment=-1&total=true&limit=1", &token).await;
        assert_eq!((status, listed["total"].as_i64()), (StatusCode::OK, Some(size)), "{listed}");
        let (_, members) = api.get("/api/v1/segments/-1/members?total=true&limit=1", &token).await;
        assert_eq!(members["total"].as_i64(), Some(size), "{members}");
        let (status, csv) = api.get("/api/v1/users/export.csv?segment=-1", &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(csv.as_str().unwrap().lines().count() as i64, size + 1);
        let (status, body) = api.get("/api/v1/users?segment=-9", &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "segment");
        // … the segment itself (read-only), and the metrics' scope
        let (status, segment) = api.get("/api/v1/segments/-1", &token).await;
        assert_eq!(status, StatusCode::OK, "{segment}");
        assert_eq!((segment["kind"].as_str(), segment["name"].as_str()), (Some("rfm"), Some("Champion")));
        assert_eq!(segment["conditions"]["conditions"][0]["value"], "champion");
        assert!(segment["refreshed_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{segment}");
        // the orders' bare users are all active
        assert_eq!(segment["size"].as_i64(), Some(size), "{segment}");
        assert_eq!(segment["online"].as_i64().unwrap() + segment["offline"].as_i64().unwrap(), size);
        for (method, path) in [
            ("PUT", "/api/v1/segments/-1"),
            ("DELETE", "/api/v1/segments/-1"),
            ("POST", "/api/v1/segments/-1/clone"),
            ("POST", "/api/v1/segments/-1/refresh"),
        ] {
            let (status, body) = api.call(method, path, Some(&token), Some(json!({"name": "Mine"}))).await;
            assert_problem(status, &body, StatusCode::CONFLICT);
            assert!(body["detail"].as_str().unwrap().contains("RFM segment"), "{method} {path}: {body}");
        }
        let (status, body) = api.get("/api/v1/segments/-9", &token).await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
        let (status, scoped) = api.get("/api/v1/metrics/segments?segment=-1", &token).await;
        assert_eq!((status, scoped["segment"].as_i64()), (StatusCode::OK, Some(-1)), "{scoped}");
        let inside: Vec<_> = scoped["rfm"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["metrics"]["size"].as_i64().unwrap() > 0)
            .map(|s| s["segment"]["key"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(inside, ["champion"], "only Champions within the Champion scope: {scoped}");
        let (status, overview) = api.get("/api/v1/metrics/overview?segment=-1", &token).await;
        assert_eq!((status, overview["users"].as_i64()), (StatusCode::OK, Some(size)), "{overview}");
        let (status, body) = api.get("/api/v1/metrics/overview?segment=-9", &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "segment");
        let scored: i64 =
            matrix["rfm"].as_array().unwrap().iter().map(|s| s["metrics"]["size"].as_i64().unwrap()).sum();
        assert!(entered > 1000, "{entered}");
        assert_eq!(scored, entered, "every member of an RFM segment entered it once");
        // a rescoring that changes nothing records nothing
        let (status, _) = api.call("PUT", "/api/v1/settings", Some(&token), Some(json!({}))).await;
        assert_eq!(status, StatusCode::OK);
        let (_, champions) = api.get("/api/v1/segments/-1/events?type=exited", &token).await;
        assert!(champions["items"].as_array().unwrap().is_empty(), "{champions}");
    }
}

#[actix_web::test]
async fn events_refuse_bad_input_and_hidden_segments() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Bad", "bad@shop.test").await;
        let (_, segment) = api.call("POST", "/api/v1/segments", Some(&token), Some(big_spenders(1))).await;
        let id = segment["id"].as_i64().unwrap();
        for (query, field) in
            [("type=joined", "type"), ("cursor=abc", "cursor"), ("since=yesterday", "since"), ("limit=0", "limit")]
        {
            let (status, body) = api.get(&format!("/api/v1/segments/{id}/events?{query}"), &token).await;
            assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body["errors"][0]["field"], field, "{body}");
        }
        for query in ["from=2026-02-30", "from=2026-03-02&to=2026-03-01", "from=2020-01-01&to=2026-01-01"] {
            let (status, body) = api.get(&format!("/api/v1/segments/{id}/history?{query}"), &token).await;
            assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        }
        for missing in ["0", "-9", "999999"] {
            let (status, body) = api.get(&format!("/api/v1/segments/{missing}/events"), &token).await;
            assert_problem(status, &body, StatusCode::NOT_FOUND);
        }
        // another workspace sees neither the segment nor its events
        let other = api.signup("Other", "other@shop.test").await;
        let (status, body) = api.get(&format!("/api/v1/segments/{id}/history"), &other).await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
    }
}
