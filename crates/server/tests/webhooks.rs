//! Webhooks (docs/webhooks.md) on SQLite and PostgreSQL: a receiver on loopback gets signed
//! messages for exactly the users who moved, also when it was down at first; bad endpoints are
//! refused.

mod common;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// What a receiver got: the three headers and the body.
#[derive(Debug, Clone)]
struct Hit {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

type Hits = Arc<Mutex<Vec<Hit>>>;

/// A receiver on `127.0.0.1:port` (on a thread of its own) that keeps every POST and answers 204.
fn receiver(port: u16) -> Hits {
    let hits: Hits = Arc::default();
    let kept = hits.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let hits = web::Data::new(kept);
            HttpServer::new(move || {
                App::new().app_data(hits.clone()).route(
                    "/hook",
                    web::post().to(|req: HttpRequest, body: String, hits: web::Data<Hits>| async move {
                        let header = |name: &str| {
                            req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
                        };
                        let hit = Hit {
                            id: header("webhook-id"),
                            timestamp: header("webhook-timestamp"),
                            signature: header("webhook-signature"),
                            body,
                        };
                        hits.lock().unwrap().push(hit);
                        HttpResponse::NoContent().finish()
                    }),
                )
            })
            .workers(1)
            .bind(("127.0.0.1", port))
            .expect("bind the receiver")
            .run()
            .await
            .expect("the receiver runs");
        });
    });
    hits
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Checks the signature as a receiver would, with its own HMAC over `{id}.{timestamp}.{body}`.
fn signed(hit: &Hit, secret: &str) -> bool {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", hit.id, hit.timestamp, hit.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    hit.signature.split(' ').any(|s| s == expected)
}

/// Waits until `hits` holds a message of `kind`; returns it.
fn wait_for(hits: &Hits, kind: &str) -> Hit {
    let start = Instant::now();
    loop {
        if let Some(hit) = hits.lock().unwrap().iter().find(|h| h.body.contains(&format!("\"type\":\"{kind}\""))) {
            return hit.clone();
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no {kind} message within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn users_of(hit: &Hit) -> BTreeSet<String> {
    let body: Value = serde_json::from_str(&hit.body).unwrap();
    body["data"]["users"].as_array().unwrap().iter().map(|u| u["external_id"].as_str().unwrap().to_owned()).collect()
}

fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[actix_web::test]
async fn a_receiver_gets_signed_events_of_exactly_the_users_who_moved_also_after_being_down() {
    for db in backends() {
        let config = server::Config { webhooks_allow_private: true, ..server::Config::default() };
        let state = state_with(&db, config);
        let deliveries = server::webhooks::spawn_deliveries(state.clone()).unwrap();
        let api = api(state).await;
        let token = api.signup("Hooks", "hooks@shop.test").await;
        let orders = format!(
            "order_id,customer_id,ordered_at,amount\no1,a,{},150\no2,b,{},20\no3,c,{},300\n",
            days_ago(3),
            days_ago(4),
            days_ago(5)
        );
        assert_eq!(api.import_csv(&token, "orders", &orders).await.0, StatusCode::OK);

        // an endpoint whose receiver is down (nothing listens on its port yet)
        let port = free_port();
        let (status, hook) = api
            .call(
                "POST",
                "/api/v1/webhooks",
                Some(&token),
                Some(json!({"url": format!("http://127.0.0.1:{port}/hook"), "events": ["segment.entered", "segment.exited"], "description": "test"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{hook}");
        let secret = hook["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("whsec_"));
        let id = hook["id"].as_i64().unwrap();
        let (_, listed) = api.get("/api/v1/webhooks", &token).await;
        assert!(!listed.to_string().contains(&secret), "the secret is shown once");

        // a and c enter a segment: the message waits for the receiver
        let segment = json!({"name": "Big", "conditions": {"match": "all", "conditions": [
            {"field": "behaviour.revenue_total", "op": "gte", "value": 100}]}});
        let (status, created) = api.call("POST", "/api/v1/segments", Some(&token), Some(segment)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let segment_id = created["id"].as_i64().unwrap();
        let start = Instant::now();
        let failed_once = loop {
            let (_, page) = api.get(&format!("/api/v1/webhooks/{id}/deliveries"), &token).await;
            let first = page["items"][0].clone();
            if first["attempts"].as_i64().unwrap_or(0) >= 1 {
                break first;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no attempt: {page}");
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(failed_once["status"], "pending", "{failed_once}");
        assert!(failed_once["last_error"].is_string() && failed_once["next_attempt_at"].is_string(), "{failed_once}");

        // the receiver comes up and gets it on the retry
        let hits = receiver(port);
        let hit = wait_for(&hits, "segment.entered");
        assert!(signed(&hit, &secret), "{} {hit:?}", db.label());
        assert_eq!(hit.id, failed_once["msg_id"].as_str().unwrap(), "the id is the same on every attempt");
        assert_eq!(users_of(&hit), BTreeSet::from(["a".to_owned(), "c".to_owned()]));
        let body: Value = serde_json::from_str(&hit.body).unwrap();
        assert_eq!(body["data"]["segment"], json!({"id": segment_id, "name": "Big"}));
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
        let age = chrono::Utc::now().timestamp() - hit.timestamp.parse::<i64>().unwrap();
        assert!((0..60).contains(&age), "webhook-timestamp is the send time: {age}");

        // a leaves when the threshold rises: one exit, of a alone
        let change = json!({"conditions": {"match": "all", "conditions": [
            {"field": "behaviour.revenue_total", "op": "gte", "value": 200}]}});
        let (status, _) = api.call("PUT", &format!("/api/v1/segments/{segment_id}"), Some(&token), Some(change)).await;
        assert_eq!(status, StatusCode::OK);
        let exit = wait_for(&hits, "segment.exited");
        assert!(signed(&exit, &secret));
        assert_eq!(users_of(&exit), BTreeSet::from(["a".to_owned()]));

        // a test message, and the deliveries as the API shows them
        let (status, test) = api.call("POST", &format!("/api/v1/webhooks/{id}/test"), Some(&token), None).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{test}");
        assert!(signed(&wait_for(&hits, "webhook.test"), &secret));
        // (the receiver has the message before the sender records its answer)
        let start = Instant::now();
        loop {
            let (_, page) = api.get(&format!("/api/v1/webhooks/{id}/deliveries"), &token).await;
            let statuses: Vec<&str> =
                page["items"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
            if statuses == ["delivered"; 3] {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "{page}");
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(hits.lock().unwrap().len(), 3, "each message once");

        // rotating the secret: the next message is signed with the new one
        let (_, rotated) = api.call("POST", &format!("/api/v1/webhooks/{id}/rotate-secret"), Some(&token), None).await;
        let new_secret = rotated["secret"].as_str().unwrap().to_owned();
        assert_ne!(new_secret, secret);
        hits.lock().unwrap().clear();
        api.call("POST", &format!("/api/v1/webhooks/{id}/test"), Some(&token), None).await;
        let hit = wait_for(&hits, "webhook.test");
        assert!(signed(&hit, &new_secret) && !signed(&hit, &secret));
        // no sender left on the database the test drops
        deliveries.stop();
    }
}

#[actix_web::test]
async fn endpoints_are_checked() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Checks", "checks@shop.test").await;
        let hook = |body: Value| {
            let (api, token) = (&api, &token);
            async move { api.call("POST", "/api/v1/webhooks", Some(token), Some(body)).await }
        };
        for (body, field) in [
            (json!({"url": "ftp://example.com/x", "events": ["segment.entered"]}), "url"),
            (json!({"url": "http://127.0.0.1:8080/hook", "events": ["segment.entered"]}), "url"),
            (json!({"url": "http://169.254.169.254/latest", "events": ["segment.entered"]}), "url"),
            (json!({"url": "http://10.0.0.7/hook", "events": ["segment.entered"]}), "url"),
            (json!({"events": ["segment.entered"]}), "url"),
            (json!({"url": "http://93.184.216.34/hook", "events": []}), "events"),
            (json!({"url": "http://93.184.216.34/hook", "events": ["segment.moved"]}), "events[0]"),
            (
                json!({"url": "http://93.184.216.34/hook", "events": ["segment.entered"], "segment_ids": [-1, 4242]}),
                "segment_ids[1]",
            ),
        ] {
            let (status, problem) = hook(body.clone()).await;
            assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(problem["errors"][0]["field"], field, "{body} {problem}");
        }
        let (status, created) =
            hook(json!({"url": "http://93.184.216.34/hook", "events": ["segment.exited"], "segment_ids": [-6]})).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_i64().unwrap();
        // pausing and resuming; the scope: admins only
        let (status, paused) =
            api.call("PATCH", &format!("/api/v1/webhooks/{id}"), Some(&token), Some(json!({"paused": true}))).await;
        assert_eq!((status, paused["paused"].as_bool()), (StatusCode::OK, Some(true)), "{paused}");
        let (_, key) =
            api.call("POST", "/api/v1/api-keys", Some(&token), Some(json!({"name": "w", "scope": "write"}))).await;
        let (status, body) = api.get("/api/v1/webhooks", key["key"].as_str().unwrap()).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        let (status, _) = api.call("DELETE", &format!("/api/v1/webhooks/{id}"), Some(&token), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(api.get(&format!("/api/v1/webhooks/{id}"), &token).await.0, StatusCode::NOT_FOUND);
    }
}

/// Two replicas on one PostgreSQL database, each with its own pool and sender: every message
/// is delivered once (the outbox's rows are claimed with `FOR UPDATE SKIP LOCKED`), the users
/// of a large move spread over messages of at most 1 000.
#[actix_web::test]
async fn two_replicas_deliver_each_message_once() {
    let db = TestDb::postgres();
    let config = server::Config { webhooks_allow_private: true, ..server::Config::default() };
    let (one, two) = (state_with(&db, config.clone()), state_with(&db, config));
    let senders =
        [server::webhooks::spawn_deliveries(one.clone()).unwrap(), server::webhooks::spawn_deliveries(two).unwrap()];
    let api = api(one).await;
    let token = api.signup("Replicas", "replicas@shop.test").await;
    let port = free_port();
    let hits = receiver(port);
    let (status, hook) = api
        .call(
            "POST",
            "/api/v1/webhooks",
            Some(&token),
            Some(json!({"url": format!("http://127.0.0.1:{port}/hook"), "events": ["segment.entered"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    let id = hook["id"].as_i64().unwrap();

    let mut users = String::from("external_id,country\n");
    for n in 0..2500 {
        users.push_str(&format!("u{n},DE\n"));
    }
    assert_eq!(api.import_csv(&token, "users", &users).await.0, StatusCode::OK);
    let german = json!({"name": "German", "conditions": {"match": "all", "conditions": [
        {"field": "user.country", "op": "eq", "value": "DE"}]}});
    let (status, _) = api.call("POST", "/api/v1/segments", Some(&token), Some(german)).await;
    assert_eq!(status, StatusCode::CREATED);
    const TESTS: usize = 200;
    for _ in 0..TESTS {
        let (status, _) = api.call("POST", &format!("/api/v1/webhooks/{id}/test"), Some(&token), None).await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }

    let expected = TESTS + 3;
    let start = Instant::now();
    while hits.lock().unwrap().len() < expected {
        assert!(start.elapsed() < Duration::from_secs(60), "{} of {expected} messages", hits.lock().unwrap().len());
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    // time for a second delivery of any message to arrive
    actix_web::rt::time::sleep(Duration::from_secs(3)).await;
    let hits = hits.lock().unwrap().clone();
    let ids: BTreeSet<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!((hits.len(), ids.len()), (expected, expected), "each message once");
    let moves: Vec<&Hit> = hits.iter().filter(|h| h.body.contains("\"type\":\"segment.entered\"")).collect();
    let mut entered = BTreeSet::new();
    for hit in &moves {
        let users = users_of(hit);
        assert!(users.len() <= 1000, "{}", users.len());
        assert!(users.iter().all(|u| entered.insert(u.clone())), "a user in two messages");
    }
    assert_eq!((moves.len(), entered.len()), (3, 2500));
    // no sender left on the database the test drops
    senders.into_iter().for_each(server::webhooks::Deliveries::stop);
}
