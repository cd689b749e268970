//! Crash safety (docs/deploy.md): a server killed with SIGKILL in the middle of a streamed
//! import of a million orders keeps nothing of that file, starts again on the same database,
//! and then takes the same import whole; on SQLite and on PostgreSQL.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use e2e::{Server, binary};
use serde_json::{Value, json};

/// A generated workspace's orders.csv (about a million rows) in `dir`.
fn million_orders(dir: &Path) -> std::path::PathBuf {
    let status = Command::new(binary())
        .args(["demo", "--users", "100000", "--out"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("segmenta demo runs");
    assert!(status.success());
    dir.join("orders.csv")
}

fn users_total(http: &reqwest::blocking::Client, server: &Server, token: &str) -> i64 {
    let page: Value =
        http.get(server.url("/api/v1/users?limit=1&total=true")).bearer_auth(token).send().unwrap().json().unwrap();
    page["total"].as_i64().unwrap_or_else(|| panic!("a total: {page}"))
}

fn sign_in(http: &reqwest::blocking::Client, server: &Server) -> String {
    let body = json!({"email": "crash@example.com", "password": "password123"});
    let tokens: Value = http.post(server.url("/api/v1/auth/login")).json(&body).send().unwrap().json().unwrap();
    tokens["access_token"].as_str().unwrap_or_else(|| panic!("signed in: {tokens}")).to_owned()
}

fn killed_mid_import_then_whole(database_args: &[&str], label: &str) {
    let data = tempfile::tempdir().unwrap();
    let orders = million_orders(data.path());
    let rows = std::fs::read_to_string(&orders).unwrap().lines().count() - 1;
    assert!(rows > 900_000, "{rows} rows");

    let mut server = Server::start(database_args);
    let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(600)).build().unwrap();
    let signup = json!({"workspace_name": "Crash", "email": "crash@example.com", "password": "password123"});
    assert!(http.post(server.url("/api/v1/auth/signup")).json(&signup).send().unwrap().status().is_success());
    let token = sign_in(&http, &server);

    // the import streams in on a thread of its own; the server is killed while it runs
    let started = Instant::now();
    let import = {
        let (url, token, file) = (server.url("/api/v1/imports/orders"), token.clone(), orders.clone());
        std::thread::spawn(move || {
            let body = reqwest::blocking::Body::new(std::fs::File::open(file).unwrap());
            let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(600)).build().unwrap();
            client.post(url).bearer_auth(token).header("content-type", "text/csv").body(body).send()
        })
    };
    std::thread::sleep(Duration::from_millis(1200));
    assert!(!import.is_finished(), "{label}: the import is still under way when the server is killed");
    server.kill_and_restart();
    let answer = import.join().unwrap();
    assert!(answer.is_err() || !answer.unwrap().status().is_success(), "{label}: the killed import did not answer");
    println!("{label}: killed {:?} into the import", started.elapsed());

    // nothing of the file: no user it would have created
    let token = sign_in(&http, &server);
    assert_eq!(users_total(&http, &server, &token), 0, "{label}: nothing of the killed import is visible");

    // the same import, sent again, completes
    let report: Value = http
        .post(server.url("/api/v1/imports/orders"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(std::fs::read(&orders).unwrap())
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(report["committed"], true, "{label}: {report}");
    assert_eq!(report["rows"].as_u64(), Some(rows as u64), "{label}");
    assert_eq!(report["imported"].as_u64(), Some(rows as u64), "{label}");
    let users = users_total(&http, &server, &token);
    assert_eq!(users, report["created_references"].as_i64().unwrap(), "{label}: every buyer, once");
    assert!(users > 50_000, "{label}: {users} users");
}

#[test]
fn a_server_killed_mid_import_on_sqlite_keeps_nothing_of_the_file() {
    killed_mid_import_then_whole(&[], "SQLite");
}

#[test]
fn a_server_killed_mid_import_on_postgres_keeps_nothing_of_the_file() {
    let name = format!("segmenta_e2e_crash_{}", std::process::id());
    let psql = |sql: &str| {
        let status = Command::new("psql")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c", sql])
            .status()
            .expect("psql runs");
        assert!(status.success(), "{sql}");
    };
    psql(&format!("DROP DATABASE IF EXISTS {name}"));
    psql(&format!("CREATE DATABASE {name}"));
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    killed_mid_import_then_whole(&["--database-url", &url], "PostgreSQL");
    psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}
