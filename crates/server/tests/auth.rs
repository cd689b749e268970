//! Auth and tenancy on both backends: signup/login/refresh/logout, roles, API keys, token
//! tampering, and 404 for every id-taking endpoint across workspaces.

mod common;

use actix_web::http::StatusCode;
use base64::Engine as _;
use common::*;
use serde_json::json;

#[actix_web::test]
async fn signup_login_refresh_logout() {
    for db in backends() {
        let api = api(state(&db)).await;
        let (status, body) = api
            .call(
                "POST",
                "/api/v1/auth/signup",
                None,
                Some(json!({"workspace_name": "Acme", "email": "Admin@Acme.test", "password": "password123"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["token_type"], "Bearer");
        assert!(body["expires_in"].as_i64().unwrap() > 0);
        assert_eq!(body["operator"]["role"], "admin");
        assert_eq!(body["operator"]["email"], "admin@acme.test");

        let (status, body) = api
            .call(
                "POST",
                "/api/v1/auth/signup",
                None,
                Some(json!({"workspace_name": "Other", "email": "admin@acme.test", "password": "password123"})),
            )
            .await;
        assert_problem(status, &body, StatusCode::CONFLICT);
        let (status, body) = api
            .call(
                "POST",
                "/api/v1/auth/signup",
                None,
                Some(json!({"workspace_name": "X", "email": "not-an-email", "password": "password123"})),
            )
            .await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "email");
        let (status, body) = api
            .call(
                "POST",
                "/api/v1/auth/signup",
                None,
                Some(json!({"workspace_name": "X", "email": "x@y.test", "password": "short"})),
            )
            .await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "password");
        let (status, body) = api.call("POST", "/api/v1/auth/signup", None, Some(json!({"email": "x@y.test"}))).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);

        let (status, body) = api
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"email": "admin@acme.test", "password": "wrong-password"})),
            )
            .await;
        assert_problem(status, &body, StatusCode::UNAUTHORIZED);
        let (status, login) = api
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"email": "admin@acme.test", "password": "password123"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{login}");
        let access = login["access_token"].as_str().unwrap();
        let refresh = login["refresh_token"].as_str().unwrap();
        let (status, me) = api.get("/api/v1/me", access).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(me["workspace_name"], "Acme");

        let (status, renewed) =
            api.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh}))).await;
        assert_eq!(status, StatusCode::OK, "{renewed}");
        // a refresh token is good once
        let (status, _) = api.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh}))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", db.label());
        let newer = renewed["refresh_token"].as_str().unwrap();
        let (status, _) = api.call("POST", "/api/v1/auth/logout", None, Some(json!({"refresh_token": newer}))).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = api.call("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": newer}))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

#[actix_web::test]
async fn signup_can_be_switched_off() {
    let db = TestDb::sqlite();
    let api = api(state_with(&db, server::Config { signup_enabled: false, ..server::Config::default() })).await;
    let (status, body) = api
        .call(
            "POST",
            "/api/v1/auth/signup",
            None,
            Some(json!({"workspace_name": "A", "email": "a@b.test", "password": "password123"})),
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn bad_tokens_get_401() {
    let db = TestDb::sqlite();
    let config = server::Config::default();
    let api = api(state_with(&db, config.clone())).await;
    let token = api.signup("Acme", "admin@acme.test").await;
    let (status, _) = api.get("/api/v1/me", &token).await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = api.call("GET", "/api/v1/me", None, None).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
    let parts: Vec<&str> = token.split('.').collect();
    // wrong signature
    let forged = format!("{}.{}.{}", parts[0], parts[1], "AAAA");
    assert_eq!(api.get("/api/v1/me", &forged).await.0, StatusCode::UNAUTHORIZED);
    // alg: none
    let none = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    assert_eq!(api.get("/api/v1/me", &format!("{none}.{}.", parts[1])).await.0, StatusCode::UNAUTHORIZED);
    // signed with another secret
    let other = server::Config { jwt_secret: "not-the-server-secret".into(), ..config.clone() };
    let foreign = server::auth::issue_access_token(&other, 1, 1).unwrap();
    assert_eq!(api.get("/api/v1/me", &foreign).await.0, StatusCode::UNAUTHORIZED);
    // expired
    let expired_cfg = server::Config { access_ttl_secs: -60, ..config };
    let expired = server::auth::issue_access_token(&expired_cfg, 1, 1).unwrap();
    assert_eq!(api.get("/api/v1/me", &expired).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(api.get("/api/v1/me", "garbage").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(api.get("/api/v1/me", "sgk_unknownkey").await.0, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn roles_and_api_keys() {
    for db in backends() {
        let api = api(state(&db)).await;
        let admin = api.signup("Acme", "admin@acme.test").await;
        for (email, role) in [("ed@acme.test", "editor"), ("vi@acme.test", "viewer")] {
            let (status, body) = api
                .call(
                    "POST",
                    "/api/v1/operators",
                    Some(&admin),
                    Some(json!({"email": email, "password": "password123", "role": role})),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        let login = |email: &'static str| {
            let api = &api;
            async move {
                let (_, body) = api
                    .call("POST", "/api/v1/auth/login", None, Some(json!({"email": email, "password": "password123"})))
                    .await;
                body["access_token"].as_str().unwrap().to_owned()
            }
        };
        let editor = login("ed@acme.test").await;
        let viewer = login("vi@acme.test").await;

        let user = json!({"external_id": "u1", "name": "Ann"});
        let (status, body) = api.call("POST", "/api/v1/users", Some(&viewer), Some(user.clone())).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        let (status, body) = api.import_csv(&viewer, "users", "external_id\nu9\n").await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        let (status, created) = api.call("POST", "/api/v1/users", Some(&editor), Some(user.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let (status, _) = api.call("POST", "/api/v1/users", Some(&editor), Some(user)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = api.get(&format!("/api/v1/users/{}", created["id"]), &viewer).await;
        assert_eq!(status, StatusCode::OK, "viewers read");
        let (status, body) = api.get("/api/v1/operators", &editor).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        let (status, body) = api.call("POST", "/api/v1/api-keys", Some(&editor), Some(json!({"name": "ci"}))).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);

        // API keys: shown once, work as bearer, respect their role, revocable.
        let (status, key) =
            api.call("POST", "/api/v1/api-keys", Some(&admin), Some(json!({"name": "etl", "role": "editor"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{key}");
        assert_eq!(key["scope"], "write", "a role is read as the scope of that role");
        let secret = key["key"].as_str().unwrap().to_owned();
        let (_, keys) = api.get("/api/v1/api-keys", &admin).await;
        assert!(keys["items"][0].get("key").is_none(), "the secret is never listed again");
        assert!(!keys.to_string().contains(&secret));
        let (status, r) = api.import_csv(&secret, "users", "external_id,name\nu2,Bob\n").await;
        assert_eq!(status, StatusCode::OK, "{r}");
        let (status, _) = api.get("/api/v1/operators", &secret).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "an editor key is not admin");
        // scopes: read < write < admin, each answered with a 403 naming what is missing
        let (status, reader) =
            api.call("POST", "/api/v1/api-keys", Some(&admin), Some(json!({"name": "bi", "scope": "read"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{reader}");
        assert_eq!(reader["scope"], "read");
        let reader = reader["key"].as_str().unwrap().to_owned();
        assert_eq!(api.get("/api/v1/users", &reader).await.0, StatusCode::OK);
        let (status, body) = api.import_csv(&reader, "users", "external_id\nu3\n").await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        assert!(body["detail"].as_str().unwrap().contains("write scope"), "{body}");
        let (status, body) = api.get("/api/v1/operators", &secret).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        assert!(body["detail"].as_str().unwrap().contains("admin scope"), "{body}");
        let (status, admin_key) =
            api.call("POST", "/api/v1/api-keys", Some(&admin), Some(json!({"name": "ops", "scope": "admin"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{admin_key}");
        let (status, _) = api.get("/api/v1/operators", admin_key["key"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK, "an admin key manages the workspace");
        let (status, body) =
            api.call("POST", "/api/v1/api-keys", Some(&admin), Some(json!({"name": "x", "scope": "root"}))).await;
        assert!(status.is_client_error() && body.to_string().contains("scope"), "{status} {body}");
        let (status, _) = api.call("DELETE", &format!("/api/v1/api-keys/{}", key["id"]), Some(&admin), None).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = api.get("/api/v1/users", &secret).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", db.label());

        // the last admin cannot be demoted or removed
        let (_, me) = api.get("/api/v1/me", &admin).await;
        let (status, _) = api
            .call("PATCH", &format!("/api/v1/operators/{}", me["id"]), Some(&admin), Some(json!({"role": "viewer"})))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = api.call("DELETE", &format!("/api/v1/operators/{}", me["id"]), Some(&admin), None).await;
        assert_eq!(status, StatusCode::CONFLICT);

        // A role change or a removal counts from the next request, though the operator was
        // just authenticated (and is remembered for a few seconds).
        let (_, operators) = api.get("/api/v1/operators", &admin).await;
        let id_of = |email: &str| {
            operators["items"].as_array().unwrap().iter().find(|o| o["email"] == email).unwrap()["id"].clone()
        };
        let (status, _) = api.get("/api/v1/me", &editor).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = api
            .call(
                "PATCH",
                &format!("/api/v1/operators/{}", id_of("ed@acme.test")),
                Some(&admin),
                Some(json!({"role": "viewer"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = api.call("POST", "/api/v1/users", Some(&editor), Some(json!({"external_id": "u3"}))).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        let (status, _) = api.get("/api/v1/me", &viewer).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) =
            api.call("DELETE", &format!("/api/v1/operators/{}", id_of("vi@acme.test")), Some(&admin), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) = api.get("/api/v1/me", &viewer).await;
        assert_problem(status, &body, StatusCode::UNAUTHORIZED);
    }
}

#[actix_web::test]
async fn every_id_endpoint_is_404_across_workspaces() {
    for db in backends() {
        let api = api(state(&db)).await;
        let a = api.signup("A", "a@a.test").await;
        let b = api.signup("B", "b@b.test").await;
        let (_, user) =
            api.call("POST", "/api/v1/users", Some(&a), Some(json!({"external_id": "u1", "company_id": "c1"}))).await;
        let company = user["company"]["id"].clone();
        let (_, op) = api
            .call(
                "POST",
                "/api/v1/operators",
                Some(&a),
                Some(json!({"email": "x@a.test", "password": "password123", "role": "viewer"})),
            )
            .await;
        let (_, key) = api.call("POST", "/api/v1/api-keys", Some(&a), Some(json!({"name": "k"}))).await;
        let user = user["id"].clone();
        let calls = [
            ("GET", format!("/api/v1/users/{user}"), None),
            ("PATCH", format!("/api/v1/users/{user}"), Some(json!({"name": "x"}))),
            ("DELETE", format!("/api/v1/users/{user}"), None),
            ("GET", format!("/api/v1/companies/{company}"), None),
            ("PATCH", format!("/api/v1/companies/{company}"), Some(json!({"name": "x"}))),
            ("DELETE", format!("/api/v1/companies/{company}"), None),
            ("PATCH", format!("/api/v1/operators/{}", op["id"]), Some(json!({"role": "admin"}))),
            ("DELETE", format!("/api/v1/operators/{}", op["id"]), None),
            ("DELETE", format!("/api/v1/api-keys/{}", key["id"]), None),
        ];
        for (method, path, body) in calls {
            let (status, problem) = api.call(method, &path, Some(&b), body).await;
            assert_problem(status, &problem, StatusCode::NOT_FOUND);
            let _ = method;
        }
        let (_, page) = api.get("/api/v1/users", &b).await;
        assert_eq!(page["total"], 0, "{}", db.label());
        // and they are still there for A
        let (status, _) = api.get(&format!("/api/v1/users/{user}"), &a).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[actix_web::test]
async fn client_mistakes_are_problems_not_500s() {
    let db = TestDb::sqlite();
    let api = api(state(&db)).await;
    let token = api.signup("A", "a@a.test").await;
    let (status, body) =
        api.raw("POST", "/api/v1/users", Some(&token), "application/json", b"{not json".to_vec()).await;
    assert_problem(status, &body, StatusCode::BAD_REQUEST);
    let (status, body) = api.call("POST", "/api/v1/users", Some(&token), Some(json!({"external_id": 5}))).await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = api.get("/api/v1/users/not-a-number", &token).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = api.get("/api/v1/users?limit=100000", &token).await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = api.get("/api/v1/users?cursor=zzz", &token).await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = api.get("/api/v1/nothing-here", &token).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
}
