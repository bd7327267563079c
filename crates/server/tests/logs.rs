//! The server's own logs, from the real binary at debug level, after pairing, pushing a pseudonym and
//! survey answers and pulling them back: no token, no pairing code, no pseudonym, no answer in them.

use std::time::Duration;

use serde_json::json;

#[path = "support/server_process.rs"]
mod server_process;

use server_process::ServerProcess;

#[test]
fn logs_hold_no_tokens_codes_pseudonyms_or_answers() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data = tempfile::TempDir::new().unwrap();
    let server = ServerProcess::start(data.path(), "debug");
    let (url, code) = (server.url.clone(), server.first_code.clone().unwrap());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (token, second_code) = runtime.block_on(async {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        let api = |method: reqwest::Method, path: &str, token: Option<&str>| {
            let mut request = http.request(method, format!("{url}/api/v1{path}")).header("x-spor-protocol", "1");
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request
        };
        let paired: serde_json::Value = api(reqwest::Method::POST, "/pair", None)
            .json(&json!({"code": code, "device_name": "Telefon"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = paired["token"].as_str().unwrap().to_owned();
        let device = paired["device"].as_str().unwrap().to_owned();
        let stamp = json!({"wall_ms": 5, "counter": 0, "device": device});
        let push = json!({"mutations": [
            {"id": "0190a0b0-0000-7000-8000-000000000001", "change": {"type": "patch",
                "entity": {"kind": "participant", "id": "0190a0b0-0000-7000-8000-000000000002"},
                "fields": {"pseudonym": {"value": "Hemmelig-Søren", "stamp": stamp}}}},
            {"id": "0190a0b0-0000-7000-8000-000000000003", "change": {"type": "patch",
                "entity": {"kind": "reflection", "id": "0190a0b0-0000-7000-8000-000000000004"},
                "fields": {"text": {"value": "Svaret-ingen-maa-se", "stamp": stamp}}}},
            // A refused one too: its problem must not echo the value either.
            {"id": "0190a0b0-0000-7000-8000-000000000005", "change": {"type": "headcount", "event": {
                "id": "0190a0b0-0000-7000-8000-000000000006", "activity": "0190a0b0-0000-7000-8000-000000000007",
                "date": "2026-11-19", "role": "bruger", "delta": 7,
                "recorded_at": "2026-11-19T10:00:00Z", "recorded_by": device}}}
        ]});
        let pushed = api(reqwest::Method::POST, "/sync/push", Some(&token)).json(&push).send().await.unwrap();
        assert!(pushed.status().is_success());
        let created: serde_json::Value = api(reqwest::Method::POST, "/pairing-codes", Some(&token))
            .json(&json!({"role": "volunteer"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let pulled = api(reqwest::Method::GET, "/sync/pull", Some(&token)).send().await.unwrap();
        assert!(pulled.status().is_success());
        // A forged token is refused; it must not be logged either.
        let forged = api(reqwest::Method::GET, "/sync/pull", Some("0190a0b0-0000-7000-8000-000000000009.forged-secret"))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 401);
        (token, created["code"].as_str().unwrap().to_owned())
    });

    let (printed, logs) = server.output();
    assert!(logs.contains("push"), "the pushes are logged: {logs}");
    // The first coordinator's code is for the person at the terminal, never in the log.
    assert!(printed.contains(&code), "{printed}");
    assert!(
        !logs.contains(&code),
        "the first pairing code is in the log:\n{logs}"
    );
    let logs = printed.replace(&code, "") + &logs;
    let secret = token.split_once('.').unwrap().1;
    for (what, text) in [
        ("token secret", secret),
        ("created pairing code", second_code.as_str()),
        ("pseudonym", "Hemmelig-Søren"),
        ("reflection text", "Svaret-ingen-maa-se"),
        ("forged secret", "forged-secret"),
    ] {
        assert!(!logs.contains(text), "the {what} is in the logs:\n{logs}");
    }
}
