//! Test fixtures: a fresh database per test on each backend (SQLite in a temp folder; a
//! throwaway PostgreSQL database, dropped afterwards), the real app factory, and helpers to
//! sign up and call the API.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use actix_service::ServiceExt;
use actix_service::boxed::BoxService;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::test;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use serde_json::{Value, json};

/// The PostgreSQL server tests use (trust auth); `SEGMENTA_TEST_PG` overrides it.
pub fn pg_admin_url() -> String {
    std::env::var("SEGMENTA_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub enum TestDb {
    Sqlite { url: String, _dir: tempfile::TempDir },
    Postgres { url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = dir.path().join("test.db").to_string_lossy().into_owned();
        TestDb::Sqlite { url, _dir: dir }
    }

    pub fn postgres() -> TestDb {
        let name = format!(
            "segmenta_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            chrono::Utc::now().timestamp_subsec_nanos()
        );
        let mut admin = diesel::PgConnection::establish(&pg_admin_url())
            .expect("PostgreSQL must run at 127.0.0.1:5432 (see README)");
        admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create test database");
        let base = pg_admin_url();
        let url = format!("{}/{name}", &base[..base.rfind('/').expect("url has a path")]);
        TestDb::Postgres { url, name }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            TestDb::Sqlite { .. } => "sqlite",
            TestDb::Postgres { .. } => "postgres",
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { name, .. } = self
            && let Ok(mut admin) = diesel::PgConnection::establish(&pg_admin_url())
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Both backends, each with a fresh database.
pub fn backends() -> Vec<TestDb> {
    vec![TestDb::sqlite(), TestDb::postgres()]
}

pub fn state(db: &TestDb) -> server::AppState {
    state_with(db, server::Config::default())
}

pub fn state_with(db: &TestDb, config: server::Config) -> server::AppState {
    server::AppState::new(db::Db::open(db.url()).expect("open test database"), config)
}

/// The real app on a test database, called in process: JSON calls, raw bodies, sign-up and
/// imports (one type whatever the app's body types, so helpers take `&TestApp`).
pub struct TestApp {
    pub service: BoxService<actix_http::Request, ServiceResponse, actix_web::Error>,
}

impl TestApp {
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = test::TestRequest::default().method(method.parse().expect("method")).uri(path);
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        if let Some(b) = body {
            req = req.set_json(b);
        }
        let resp = test::call_service(&self.service, req.to_request()).await;
        let status = resp.status();
        let bytes = test::read_body(resp).await;
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let mut req = test::TestRequest::default()
            .method(method.parse().expect("method"))
            .uri(path)
            .insert_header(("Content-Type", content_type.to_owned()));
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        let resp = test::call_service(&self.service, req.set_payload(body).to_request()).await;
        let status = resp.status();
        let bytes = test::read_body(resp).await;
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call("GET", path, Some(token), None).await
    }

    /// Signs up a new workspace; returns the admin's access token.
    pub async fn signup(&self, workspace: &str, email: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                "/api/v1/auth/signup",
                None,
                Some(json!({"workspace_name": workspace, "email": email, "password": "password123"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["access_token"].as_str().expect("token").to_owned()
    }

    pub async fn import_csv(&self, token: &str, kind: &str, csv: &str) -> (StatusCode, Value) {
        self.raw("POST", &format!("/api/v1/imports/{kind}"), Some(token), "text/csv", csv.as_bytes().to_vec()).await
    }
}

/// The app on `state`.
pub async fn api(state: server::AppState) -> TestApp {
    let app = test::init_service(server::app(state)).await;
    TestApp { service: actix_service::boxed::service(app.map(ServiceResponse::map_into_boxed_body)) }
}

pub fn cdnow_csv() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/cdnow_sample_orders.csv"))
        .expect("testdata/cdnow_sample_orders.csv")
}

pub fn assert_problem(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
    assert!(
        body["type"].is_string() && body["code"].is_string() && body["detail"].is_string(),
        "not a problem: {body}"
    );
}
