//! The API keeps to its own OpenAPI document: schemathesis (pinned in clients/requirements.txt,
//! installed by `just client-tools`) generates requests for every operation, as an admin of a
//! workspace that holds the CDNOW sample, and checks that each answer's status, media type and
//! body are the ones the document declares, and that none is a server error.

use std::path::PathBuf;
use std::process::Command;

use e2e::{Server, cdnow_path};
use serde_json::{Value, json};

#[test]
fn every_answer_keeps_to_the_document() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let schemathesis = root.join("target/py-tools/bin/schemathesis");
    assert!(schemathesis.exists(), "{} is missing: run `just client-tools`", schemathesis.display());
    let server = Server::start(&[]);
    let http = reqwest::blocking::Client::new();
    let tokens: Value = http
        .post(server.url("/api/v1/auth/signup"))
        .json(&json!({"workspace_name": "Conformance", "email": "st@example.com", "password": "password123"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let token = tokens["access_token"].as_str().expect("a token").to_owned();
    let imported = http
        .post(server.url("/api/v1/imports/orders"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(std::fs::read(cdnow_path()).unwrap())
        .send()
        .unwrap();
    assert!(imported.status().is_success());

    let work = tempfile::tempdir().unwrap();
    let output = Command::new(&schemathesis)
        .current_dir(work.path())
        .args(["run", root.join("openapi/openapi.json").to_str().unwrap(), "--url", &server.base])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance",
        ])
        .args(["--max-examples", "10", "--workers", "1", "--seed", "1", "--no-color"])
        .output()
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found answers that break the document:\n{stdout}\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        server.log()
    );
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("openapi/openapi.json")).unwrap()).unwrap();
    let operations: usize =
        document["paths"].as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum();
    assert!(stdout.contains(&format!("Tested: {operations}")), "all {operations} operations tested:\n{stdout}");
}
