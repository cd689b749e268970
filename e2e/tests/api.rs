//! The API contract (docs/api.md), exercised over HTTP against the real binary.

use e2e::{Server, cdnow_path};
use reqwest::blocking::Client;
use serde_json::{Value, json};

fn signup(client: &Client, server: &Server) -> String {
    let resp = client
        .post(server.url("/api/v1/auth/signup"))
        .json(&json!({"workspace_name": "E2E", "email": "e2e@example.com", "password": "password123"}))
        .send()
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().unwrap());
    let body: Value = resp.json().unwrap();
    assert_eq!(body["token_type"], "Bearer");
    body["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn contract_signup_login_import_openapi() {
    let server = Server::start(&[]);
    let client = Client::new();
    let token = signup(&client, &server);

    let login: Value = client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"email": "e2e@example.com", "password": "password123"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(login["token_type"], "Bearer");
    assert!(login["expires_in"].as_i64().unwrap() > 0);

    let csv = std::fs::read(cdnow_path()).unwrap();
    let resp = client
        .post(server.url("/api/v1/imports/orders"))
        .bearer_auth(&token)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200);
    let report: Value = resp.json().unwrap();
    assert_eq!(report["rows"], 6919);
    assert_eq!(report["error_count"], 0);

    let served: Value = client.get(server.url("/api/v1/openapi.json")).send().unwrap().json().unwrap();
    let checked_in: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(served, checked_in);

    let docs = client.get(server.url("/api/docs/")).send().unwrap();
    assert_eq!(docs.status(), 200);
    // the SPA is served at / and for client-side routes
    for path in ["/", "/users", "/segments/new"] {
        let page = client.get(server.url(path)).send().unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert!(page.text().unwrap().contains("<html"), "{path}");
    }
}
