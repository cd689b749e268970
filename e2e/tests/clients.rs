//! The generated clients, each in a whole scenario against the real binary: sign up, import
//! orders as JSON and as CSV, create and refresh a segment, page through the users to the end,
//! segment metrics and RFM transitions, the users export, and a 422 met as a typed problem.
//! `just client-tools` prepares them (the Python client installed in target/py-tools, the
//! TypeScript scenario compiled into target/ts-scenario); the scenarios are in
//! clients/scenarios/scenario.py and clients/typescript/scenario/scenario.ts.

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
