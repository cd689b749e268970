//! The API contract (docs/api.md), exercised over HTTP against the real binary with the Rust
//! client; the scope test walks the served document itself, so it sends its requests by hand.

use api_types::auth::{CreateApiKey, LoginRequest, Scope, SignupRequest};
use client::{Client, ImportOrdersQuery};
use e2e::{Server, cdnow_path};
use serde_json::Value;

fn signup(server: &Server) -> Client {
    let anonymous = Client::new(server.url(""));
    let tokens = anonymous
        .signup(&SignupRequest {
            workspace_name: "E2E".into(),
            email: "e2e@example.com".into(),
            password: "password123".into(),
            name: None,
        })
        .unwrap();
    assert_eq!(tokens.token_type, "Bearer");
    anonymous.with_token(tokens.access_token)
}

#[test]
fn contract_signup_login_import_openapi() {
    let server = Server::start(&[]);
    let api = signup(&server);

    let login = Client::new(server.url(""))
        .login(&LoginRequest { email: "e2e@example.com".into(), password: "password123".into() })
        .unwrap();
    assert_eq!(login.token_type, "Bearer");
    assert!(login.expires_in > 0);

    let csv = std::fs::read(cdnow_path()).unwrap();
    let report = api.import_orders_csv(csv, &ImportOrdersQuery::default()).unwrap();
    assert_eq!(report.rows, 6919);
    assert_eq!(report.error_count, 0);

    let http = reqwest::blocking::Client::new();
    let served: Value = http.get(server.url("/api/v1/openapi.json")).send().unwrap().json().unwrap();
    let checked_in: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(served, checked_in);

    let docs = http.get(server.url("/api/docs/")).send().unwrap();
    assert_eq!(docs.status(), 200);
    // the SPA is served at / and for client-side routes
    for path in ["/", "/users", "/segments/new"] {
        let page = http.get(server.url(path)).send().unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert!(page.text().unwrap().contains("<html"), "{path}");
    }
}

/// Every operation's security requirement names the scope it needs, and the server holds to
/// it: a key of the scope below gets a 403 problem naming the scope; a key of that scope is
/// let through (an operation for signed-in operators only excepted).
#[test]
fn each_operation_needs_the_scope_its_document_names() {
    let server = Server::start(&[]);
    let api = signup(&server);
    let key =
        |scope: Scope| api.create_api_key(&CreateApiKey { name: format!("{} key", scope.key()), scope }).unwrap().key;
    let keys: Vec<(Scope, String)> = Scope::ALL.iter().copied().map(|scope| (scope, key(scope))).collect();
    let key_of = |scope: Scope| &keys.iter().find(|(s, _)| *s == scope).unwrap().1;

    let http = reqwest::blocking::Client::new();
    let document: Value = http.get(server.url("/api/v1/openapi.json")).send().unwrap().json().unwrap();
    let send = |verb: &str, path: &str, operation: &Value, key: &str| {
        // ids that do not exist: nothing is changed, and a caller with the scope gets a 404
        let path = path.split('/').map(|part| if part.starts_with('{') { "999999" } else { part }).collect::<Vec<_>>();
        let url = server.url(&path.join("/"));
        let mut request = http.request(verb.to_uppercase().parse().unwrap(), url).bearer_auth(key);
        // the example of the body's schema, or a CSV header for an import
        let content = &operation["requestBody"]["content"];
        let schema = content["application/json"]["schema"]["$ref"].as_str().and_then(|r| r.rsplit('/').next());
        if content.get("text/csv").is_some() {
            request = request.header("Content-Type", "text/csv").body("external_id\n");
        } else if let Some(schema) = schema {
            let example = &document["components"]["schemas"][schema]["example"];
            assert!(!example.is_null(), "{schema} has an example");
            request = request.json(example);
        }
        let response = request.send().unwrap();
        let status = response.status().as_u16();
        (status, response.text().unwrap())
    };

    let mut checked = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (verb, operation) in item.as_object().unwrap() {
            let Some(requirement) = operation.get("security") else { continue };
            let scopes = requirement[0]["bearer"].as_array().expect("a bearer requirement");
            assert_eq!(scopes.len(), 1, "{verb} {path} names one scope");
            let needed = Scope::ALL.iter().copied().find(|s| s.key() == scopes[0]).expect("a known scope");
            let id = operation["operationId"].as_str().unwrap();
            if let Some(below) = Scope::ALL.iter().copied().rev().find(|s| *s < needed) {
                let (status, body) = send(verb, path, operation, key_of(below));
                assert_eq!(status, 403, "{id} with a {} key: {body}", below.key());
                assert!(body.contains(&format!("the {} scope", needed.key())), "{id}: {body}");
            }
            let (status, body) = send(verb, path, operation, key_of(needed));
            assert!(
                status != 403 || body.contains("signed-in operator"),
                "{id} with a {} key: {status} {body}",
                needed.key()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} operations checked");
}
