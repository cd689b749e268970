//! The generated clients, each in a whole scenario against the real binary: sign up, import
//! orders as JSON and as CSV, create and refresh a segment, page through the users to the end,
//! segment metrics and RFM transitions, the users export, and a 422 met as a typed problem.
//! `just client-tools` prepares the Python and TypeScript ones (the Python client installed in
//! target/py-tools, the TypeScript scenario compiled into target/ts-scenario); their scenarios
//! are in clients/scenarios/scenario.py and clients/typescript/scenario/scenario.ts. The Rust
//! client (crates/client) runs the same scenario here.

use std::path::PathBuf;
use std::process::Command;

use e2e::{Server, cdnow_path};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs a scenario program against a fresh server; fails with its output when it fails.
fn scenario(program: PathBuf, script: PathBuf) {
    assert!(program.exists(), "{} is missing: run `just client-tools`", program.display());
    let server = Server::start(&[]);
    let output = Command::new(&program)
        .arg(&script)
        .arg(&server.base)
        .arg(cdnow_path())
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}\n{stdout}\n{stderr}\nserver log:\n{}", script.display(), server.log());
    assert!(stdout.contains("passed, 0 failed"), "{stdout}");
}

#[test]
fn python_client_runs_the_scenario() {
    scenario(root().join("target/py-tools/bin/python"), root().join("clients/scenarios/scenario.py"));
}

#[test]
fn typescript_client_runs_the_scenario() {
    let node = which("node");
    scenario(node, root().join("target/ts-scenario/scenario/scenario.js"));
}

fn which(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(program)).find(|p| p.exists()))
        .unwrap_or_else(|| panic!("{program} is not on PATH"))
}

/// The Rust client (crates/client) in the same scenario.
#[test]
fn rust_client_runs_the_scenario() {
    use api_types::auth::SignupRequest;
    use api_types::imports::OrderRow;
    use api_types::segments::SegmentInput;
    use client::{
        Client, ExportUsersCsvQuery, GetRfmTransitionsQuery, GetSegmentMetricsQuery, ImportOrdersQuery, ListUsersQuery,
    };

    let server = Server::start(&[]);
    let anonymous = Client::new(&server.base);
    let tokens = anonymous
        .signup(&SignupRequest {
            workspace_name: "Rust scenario".into(),
            email: "rust@scenario.test".into(),
            password: "a-long-password".into(),
            name: None,
        })
        .expect("signup");
    let api = anonymous.with_token(tokens.access_token);

    let order = |id: &str, customer: &str, at: &str, amount: f64| OrderRow {
        order_id: id.into(),
        customer_id: customer.into(),
        ordered_at: at.into(),
        amount,
        ..OrderRow::default()
    };
    let rows = [
        order("rs-1", "rs-a", "2025-01-10", 120.5),
        order("rs-2", "rs-a", "2025-03-02T10:00:00Z", -20.5),
        order("rs-3", "rs-b", "2025-02-14", 35.0),
    ];
    let report = api.import_orders(&rows, &ImportOrdersQuery::default()).expect("JSON import");
    assert_eq!((report.rows, report.imported, report.committed), (3, 3, true));
    let report =
        api.import_orders_csv(std::fs::read(cdnow_path()).unwrap(), &ImportOrdersQuery::default()).expect("CSV import");
    assert!(report.committed && report.error_count == 0 && report.rows > 1000, "{report:?}");

    let conditions = serde_json::json!(
        {"match": "all", "conditions": [{"field": "behaviour.revenue_total", "op": "gte", "value": 100}]}
    );
    let input =
        SegmentInput { name: Some("Big spenders".into()), conditions: Some(conditions), ..SegmentInput::default() };
    let once = api.with_idempotency_key("rust-scenario-big-spenders");
    let segment = once.create_segment(&input).expect("segment created");
    assert!(segment.size >= 1);
    let again = once.create_segment(&input).expect("the same request, replayed");
    assert_eq!(again.id, segment.id, "a retry with the key gets the first answer, no second segment");
    let other = SegmentInput { name: Some("Other".into()), ..input.clone() };
    let error = once.create_segment(&other).expect_err("another request with the same key");
    assert_eq!(error.problem().map(|p| p.status), Some(422));
    assert_eq!(api.refresh_segment(segment.id).expect("refreshed").size, segment.size);

    let mut seen = std::collections::HashSet::new();
    let mut query = ListUsersQuery { limit: Some(200), ..ListUsersQuery::default() };
    loop {
        let page = api.list_users(&query).expect("a page of users");
        assert_eq!(page.has_more, page.next_cursor.is_some());
        for user in &page.items {
            assert!(seen.insert(user.id), "user {} listed twice", user.id);
        }
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert!(seen.len() > 1000);

    let metrics = api
        .get_segment_metrics(&GetSegmentMetricsQuery { as_of: Some("2025-06-30".into()), ..Default::default() })
        .expect("segment metrics");
    assert_eq!(metrics.rfm.len(), 8);
    let transitions = api
        .get_rfm_transitions(&GetRfmTransitionsQuery {
            from: Some("1997-06-30".into()),
            to: Some("1998-06-30".into()),
            ..Default::default()
        })
        .expect("transitions");
    assert!(transitions.cells.iter().map(|c| c.count).sum::<u64>() > 0);

    let csv = api
        .export_users_csv(&ExportUsersCsvQuery { as_of: Some("2025-06-30".into()), ..Default::default() })
        .expect("export");
    assert!(csv.lines().next().unwrap().split(',').any(|c| c == "rfm_segment"));
    assert_eq!(csv.lines().count(), seen.len() + 1);

    let broken = serde_json::json!(
        {"match": "all", "conditions": [{"field": "user.nonsense", "op": "eq", "value": 1}]}
    );
    let bad = SegmentInput { name: Some("Broken".into()), conditions: Some(broken), ..SegmentInput::default() };
    let error = api.create_segment(&bad).expect_err("an invalid tree is refused");
    let problem = error.problem().expect("a typed problem");
    assert_eq!(problem.status, 422, "{problem:?}");
    assert!(!problem.errors.is_empty());
}
