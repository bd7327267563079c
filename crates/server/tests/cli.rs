//! The operator's commands, as the real binary runs them: `init`, `orgs` and `pairing-code` let the
//! person who runs the server let a new coordinator in when every coordinator's phone was lost or
//! revoked, without touching the database by hand.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use serde_json::json;

#[path = "support/server_process.rs"]
mod server_process;

use server_process::ServerProcess;

fn spor_server(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spor-server"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("SPOR_LOG", "debug")
        .output()
        .expect("the server binary runs")
}

fn printed(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The code a command printed ("... enter the code ABCD-EFGH under ...").
fn code_in(text: &str) -> String {
    text.split("enter the code ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        .to_owned()
}

#[test]
fn an_operator_lists_the_organisations_and_issues_a_coordinator_code_that_pairs() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data = tempfile::TempDir::new().unwrap();
    let created = spor_server(data.path(), &["init", "--org", "Café Nord"]);
    assert!(created.status.success(), "{created:?}");

    let listed = spor_server(data.path(), &["orgs"]);
    assert!(listed.status.success(), "{listed:?}");
    let line = printed(&listed);
    let (id, name) = line.trim().split_once("  ").expect("id and name");
    assert_eq!(name, "Café Nord");

    let issued = spor_server(
        data.path(),
        &["pairing-code", "--org", id, "--role", "coordinator"],
    );
    assert!(issued.status.success(), "{issued:?}");
    let code = code_in(&printed(&issued));
    assert!(
        !String::from_utf8_lossy(&issued.stderr).contains(&code),
        "the code goes to the terminal, not the log"
    );

    let unknown = spor_server(
        data.path(),
        &["pairing-code", "--org", "0190f0a0-0000-7000-8000-000000000001"],
    );
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("spor-server orgs"),
        "{unknown:?}"
    );

    let server = ServerProcess::start(data.path(), "info");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let paired: serde_json::Value = runtime.block_on(async {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
            .post(format!("{}/api/v1/pair", server.url))
            .header("x-spor-protocol", "1")
            .json(&json!({"code": code, "device_name": "Ny koordinator"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(paired["role"], "coordinator", "{paired}");
    assert_eq!(paired["organisation"], id);
    assert_eq!(paired["organisation_name"], "Café Nord");
}
