//! Trust (docs/security.md), on both backends: failed sign-ins are throttled per account and
//! per client address, also across replicas; every caller has a request budget stated in
//! `RateLimit` headers; every answer carries the security headers, the app's pages a strict
//! content security policy.

mod common;

use actix_web::http::StatusCode;
use actix_web::test;
use common::*;
use serde_json::{Value, json};

/// A sign-in from `address`: its status, `Retry-After` and body.
async fn sign_in(api: &TestApp, address: &str, email: &str, password: &str) -> (StatusCode, Option<u64>, Value) {
    let req = test::TestRequest::post()
        .uri("/api/v1/auth/login")
        .peer_addr(address.parse().expect("a socket address"))
        .set_json(json!({"email": email, "password": password}))
        .to_request();
    let resp = test::call_service(&api.service, req).await;
    let status = resp.status();
    let retry_after = resp.headers().get("Retry-After").map(|v| v.to_str().unwrap().parse().expect("whole seconds"));
    let body = serde_json::from_slice(&test::read_body(resp).await).unwrap_or(Value::Null);
    (status, retry_after, body)
}

#[actix_web::test]
async fn wrong_passwords_are_refused_past_five_a_minute_even_the_right_one_and_on_every_replica() {
    for db in backends() {
        let (one, other) = (api(state(&db)).await, api(state(&db)).await);
        one.signup("Shop", "owner@shop.test").await;
        for attempt in 1..=5 {
            let (status, retry, body) = sign_in(&one, "10.0.0.1:5000", "owner@shop.test", "guess").await;
            assert_eq!((status, retry), (StatusCode::UNAUTHORIZED, None), "attempt {attempt}: {body}");
        }
        for attempt in 6..=25 {
            let (status, retry, body) = sign_in(&one, "10.0.0.1:5000", "owner@shop.test", "guess").await;
            assert_problem(status, &body, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(body["code"], "rate_limited", "attempt {attempt}");
            assert!(retry.is_some_and(|s| (1..=60).contains(&s)), "attempt {attempt}: Retry-After {retry:?}");
        }
        // the right password does not get through, from another address or on another replica
        let (status, retry, _) = sign_in(&one, "10.0.0.2:5000", "owner@shop.test", "password123").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}", db.label());
        assert!(retry.is_some());
        let (status, _, _) = sign_in(&other, "10.0.0.3:5000", "OWNER@shop.test ", "password123").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the other replica refuses too ({})", db.label());
    }
}

#[actix_web::test]
async fn a_correct_password_forgets_the_accounts_failures() {
    for db in backends() {
        let api = api(state(&db)).await;
        api.signup("Shop", "owner@shop.test").await;
        for round in 0..3 {
            for _ in 0..4 {
                let (status, _, _) = sign_in(&api, "10.0.1.1:5000", "owner@shop.test", "typo").await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "round {round}");
            }
            let (status, _, body) = sign_in(&api, "10.0.2.1:5000", "owner@shop.test", "password123").await;
            assert_eq!(status, StatusCode::OK, "round {round}: {body}");
        }
    }
}

#[actix_web::test]
async fn a_client_address_is_limited_across_accounts() {
    for db in backends() {
        let config = server::Config { sign_in_failures_per_minute: 2, ..server::Config::default() };
        let api = api(state_with(&db, config)).await;
        api.signup("Shop", "owner@shop.test").await;
        // an address may fail four times the account's allowance, over any accounts
        for i in 0..8 {
            let (status, _, _) = sign_in(&api, "192.0.2.7:4000", &format!("nobody{i}@shop.test"), "x").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "failure {i}");
        }
        let (status, _, _) = sign_in(&api, "192.0.2.7:4001", "owner@shop.test", "password123").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the address is refused ({})", db.label());
        let (status, _, _) = sign_in(&api, "198.51.100.1:4000", "owner@shop.test", "password123").await;
        assert_eq!(status, StatusCode::OK, "another address is not ({})", db.label());
    }
}

/// A GET of `path` with `token`: its status, `RateLimit-Policy`, `RateLimit` and `Retry-After`.
async fn budgeted(api: &TestApp, path: &str, token: &str) -> (StatusCode, [Option<String>; 3]) {
    let req =
        test::TestRequest::get().uri(path).insert_header(("Authorization", format!("Bearer {token}"))).to_request();
    let resp = test::call_service(&api.service, req).await;
    let header = |name: &str| resp.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    (resp.status(), [header("RateLimit-Policy"), header("RateLimit"), header("Retry-After")])
}

#[actix_web::test]
async fn every_caller_spends_its_own_budget_and_gets_429_past_it() {
    for db in backends() {
        let config = server::Config { requests_per_minute: 3, ..server::Config::default() };
        let api = api(state_with(&db, config)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        for left in [2, 1, 0] {
            let (status, [policy, limit, retry]) = budgeted(&api, "/api/v1/me", &token).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(policy.as_deref(), Some("\"default\";q=3;w=60"));
            let limit = limit.unwrap();
            assert!(limit.starts_with(&format!("\"default\";r={left};t=")), "{limit}");
            assert_eq!(retry, None);
        }
        let (status, [_, limit, retry]) = budgeted(&api, "/api/v1/settings", &token).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}", db.label());
        assert!(limit.unwrap().starts_with("\"default\";r=0;t="));
        let retry: u64 = retry.expect("Retry-After").parse().unwrap();
        assert!((1..=20).contains(&retry), "a request refills in 20 s: {retry}");

        // another operator has a budget of its own
        let other = api.signup("Other shop", "other@shop.test").await;
        assert_eq!(budgeted(&api, "/api/v1/me", &other).await.0, StatusCode::OK);
        // calls without credentials spend nothing
        let (status, [policy, ..]) = budgeted(&api, "/api/v1/me", "not-a-token").await;
        assert_eq!((status, policy), (StatusCode::UNAUTHORIZED, None));
    }
}

#[actix_web::test]
async fn every_answer_carries_the_security_headers_and_the_pages_a_strict_policy() {
    let db = TestDb::sqlite();
    let api = api(state(&db)).await;
    for path in ["/healthz", "/api/v1/me", "/api/v1/openapi.json", "/", "/users?segment=1"] {
        let resp = test::call_service(&api.service, test::TestRequest::get().uri(path).to_request()).await;
        let header = |name: &str| resp.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(header("X-Content-Type-Options").as_deref(), Some("nosniff"), "{path}");
        assert_eq!(header("Referrer-Policy").as_deref(), Some("same-origin"), "{path}");
        let page = header("Content-Type").is_some_and(|t| t.starts_with("text/html"));
        if page {
            let policy = header("Content-Security-Policy").expect("a page has a policy");
            assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"), "{policy}");
            assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
            assert!(!policy.contains("http"), "no other origin: {policy}");
            assert_eq!(header("X-Frame-Options").as_deref(), Some("DENY"));
        }
        assert_eq!(page, path == "/" || path.starts_with("/users"), "{path}");
    }
}

/// A POST of `body` with the session cookie `cookie`: its status, body, and the cookie it sets.
async fn with_cookie(
    api: &TestApp,
    path: &str,
    cookie: Option<&str>,
    body: Value,
) -> (StatusCode, Value, Option<String>) {
    let mut req = test::TestRequest::post().uri(path).set_json(body);
    if let Some(value) = cookie {
        req = req.cookie(actix_web::cookie::Cookie::new("segmenta_refresh", value.to_owned()));
    }
    let resp = test::call_service(&api.service, req.to_request()).await;
    let status = resp.status();
    let set = resp.headers().get("Set-Cookie").map(|v| v.to_str().unwrap().to_owned());
    let body = serde_json::from_slice(&test::read_body(resp).await).unwrap_or(Value::Null);
    (status, body, set)
}

/// The value of a `Set-Cookie: segmenta_refresh=…; …` header.
fn cookie_value(set: &str) -> String {
    set.split(';').next().unwrap().trim().strip_prefix("segmenta_refresh=").expect("the session cookie").to_owned()
}

#[actix_web::test]
async fn the_browsers_refresh_token_is_an_httponly_cookie_that_rotates_and_logout_removes() {
    for db in backends() {
        let api = api(state(&db)).await;
        api.signup("Shop", "owner@shop.test").await;
        let login = json!({"email": "owner@shop.test", "password": "password123"});
        let (status, body, set) = with_cookie(&api, "/api/v1/auth/login", None, login).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let set = set.expect("sign-in sets the session cookie");
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age=2592000"] {
            assert!(set.contains(attribute), "{attribute} in {set}");
        }
        assert!(!set.contains("Secure"), "not over plain HTTP: {set}");
        let first = cookie_value(&set);
        assert_eq!(body["refresh_token"], first.as_str(), "the same token as in the body, for API clients");

        // the browser renews with `{}` and its cookie; each cookie is good once
        let (status, body, set) = with_cookie(&api, "/api/v1/auth/refresh", Some(&first), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["access_token"].is_string());
        let second = cookie_value(&set.expect("a new cookie"));
        assert_ne!(second, first);
        let (status, _, _) = with_cookie(&api, "/api/v1/auth/refresh", Some(&first), json!({})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", db.label());
        let (status, _, _) = with_cookie(&api, "/api/v1/auth/refresh", None, json!({})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // logout revokes the cookie's token and removes the cookie
        let (status, _, set) = with_cookie(&api, "/api/v1/auth/logout", Some(&second), json!({})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let set = set.expect("logout removes the cookie");
        assert!(set.starts_with("segmenta_refresh=;") && set.contains("Max-Age=0"), "{set}");
        let (status, _, _) = with_cookie(&api, "/api/v1/auth/refresh", Some(&second), json!({})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", db.label());
    }
}

#[actix_web::test]
async fn a_new_password_ends_the_operators_sessions() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let login = json!({"email": "owner@shop.test", "password": "password123"});
        let (_, body, _) = with_cookie(&api, "/api/v1/auth/login", None, login).await;
        let refresh = body["refresh_token"].as_str().unwrap().to_owned();
        let id = body["operator"]["id"].as_i64().unwrap();
        let change = json!({"password": "a-brand-new-password"});
        let (status, body) = api.call("PATCH", &format!("/api/v1/operators/{id}"), Some(&token), Some(change)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let renew = json!({"refresh_token": refresh});
        let (status, _, _) = with_cookie(&api, "/api/v1/auth/refresh", None, renew).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "the old session is over ({})", db.label());
        let login = json!({"email": "owner@shop.test", "password": "a-brand-new-password"});
        assert_eq!(with_cookie(&api, "/api/v1/auth/login", None, login).await.0, StatusCode::OK);
    }
}
