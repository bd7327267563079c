//! Generated hostile input to every API route (proptest): whatever the body, headers or query,
//! the server answers without a 5xx or a panic, and a refused request changes nothing stored.

use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use proptest::prelude::*;
use spor_server::db::Database;
use spor_server::rate_limit::RateLimit;
use spor_server::storage::Storage;
use spor_server::{AppState, Settings, create_organisation, router};
use tempfile::TempDir;
use tower::ServiceExt;

struct Target {
    app: axum::Router,
    db: Database,
    token: String,
    _data: TempDir,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn target() -> Target {
    let data = TempDir::new().unwrap();
    let db = Database::open_in(data.path()).await.unwrap();
    let (_, code) = create_organisation(&db, "Café Nord").await.unwrap();
    // Generous limits: this test is about content, not floods.
    let limits = RateLimit {
        burst: 1_000_000,
        per_second: 1_000_000.0,
    };
    let app = router(
        AppState::new(db.clone(), Settings::new("http://127.0.0.1:8080"), limits),
        None,
    );
    let response = app
        .clone()
        .oneshot(
            Request::post("/api/v1/pair")
                .header("x-spor-protocol", "1")
                .header("content-type", "application/json")
                .body(Body::from(format!(r#"{{"code": "{code}"}}"#)))
                .unwrap(),
        )
        .await
        .unwrap();
    let paired: serde_json::Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    Target {
        app,
        db,
        token: paired["token"].as_str().unwrap().to_owned(),
        _data: data,
    }
}

/// Everything a coordinator can read back: the pull log and the device list.
async fn stored(target: &Target) -> (usize, usize) {
    let pulled = target
        .db
        .pull(
            target.db.organisations().await.unwrap()[0].0,
            // No device pushed as the nil id: everything comes back.
            spor_core::ids::DeviceId(uuid::Uuid::nil()),
            &spor_core::access::Topic::ALL,
            0,
            100_000,
        )
        .await
        .unwrap();
    let organisation = target.db.organisations().await.unwrap()[0].0;
    (
        pulled.changes.len(),
        target.db.devices(organisation).await.unwrap().len(),
    )
}

fn routes() -> impl Strategy<Value = (Method, &'static str)> {
    prop_oneof![
        Just((Method::POST, "/api/v1/sync/push")),
        Just((Method::GET, "/api/v1/sync/pull")),
        Just((Method::POST, "/api/v1/pair")),
        Just((Method::POST, "/api/v1/pairing-codes")),
        Just((Method::GET, "/api/v1/devices")),
        Just((
            Method::POST,
            "/api/v1/devices/00000000-0000-0000-0000-000000000000/revoke"
        )),
        Just((Method::GET, "/api/v1/health")),
        Just((Method::PUT, "/api/v1/sync/push")),
    ]
}

/// Bodies from noise to almost-valid pushes with mangled values.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let json_like = prop_oneof![
        Just(r#"{"mutations": []}"#.to_owned()),
        "[a-z\"{}\\[\\]:,0-9 -]{0,200}",
        any::<i64>().prop_map(|n| format!(r#"{{"mutations": [{{"id": "{n}", "change": {{"type": "check_in"}}}}]}}"#)),
        ".{0,40}".prop_map(|text| format!(
            r#"{{"mutations": [{{"id": "0190f0a0-0000-7000-8000-000000000001", "change": {{"type": "headcount", "event": {{"id": "0190f0a0-0000-7000-8000-000000000002", "activity": "0190f0a0-0000-7000-8000-000000000003", "date": "{text}", "role": "bruger", "delta": 1, "recorded_at": "2026-11-25T10:00:00Z", "recorded_by": "0190f0a0-0000-7000-8000-000000000004"}}}}}}]}}"#
        )),
        "[A-Z0-9-]{0,12}".prop_map(|code| format!(r#"{{"code": "{code}"}}"#)),
        Just(r#"{"role": "admin"}"#.to_owned()),
    ]
    .prop_map(String::into_bytes);
    prop_oneof![json_like, proptest::collection::vec(any::<u8>(), 0..300)]
}

fn queries() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z=&0-9%-]{0,40}".prop_map(|q| format!("?{q}")),
        any::<i64>().prop_map(|n| format!("?since={n}&limit={n}")),
    ]
}

#[derive(Debug, Clone)]
enum Auth {
    None,
    Valid,
    Garbage(String),
}

fn auths() -> impl Strategy<Value = Auth> {
    prop_oneof![
        Just(Auth::None),
        Just(Auth::Valid),
        "[ -~]{0,80}".prop_map(Auth::Garbage),
    ]
}

/// 300 cases in `cargo xtask test`; `cargo xtask soak` sets PROPTEST_CASES for many more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(300)
}

#[test]
fn no_input_gets_a_server_error_or_changes_anything_when_refused() {
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let inputs = (
        routes(),
        queries(),
        bodies(),
        auths(),
        prop_oneof![
            Just(Some("1".to_owned())),
            Just(None),
            "[ -~]{0,6}".prop_map(Some)
        ],
        prop_oneof![Just("application/json"), Just("text/plain")],
    );
    let (accepted, refused) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let outcome = proptest::test_runner::TestRunner::new(config).run(
        &inputs,
        |((method, path), query, body, auth, protocol, content_type)| {
            runtime().block_on(async {
                let target = target().await;
                let before = stored(&target).await;
                let mut request = Request::builder()
                    .method(method)
                    .uri(format!("{path}{query}"))
                    .header("content-type", content_type);
                if let Some(protocol) = &protocol {
                    request = request.header("x-spor-protocol", protocol.as_str());
                }
                match &auth {
                    Auth::None => {}
                    Auth::Valid => {
                        request = request.header("authorization", format!("Bearer {}", target.token))
                    }
                    Auth::Garbage(text) => request = request.header("authorization", text.as_str()),
                }
                let response = target
                    .app
                    .clone()
                    .oneshot(request.body(Body::from(body)).unwrap())
                    .await
                    .unwrap();
                let status = response.status();
                prop_assert!(!status.is_server_error(), "{status}");
                if status.is_success() {
                    accepted.set(accepted.get() + 1);
                } else {
                    refused.set(refused.get() + 1);
                    let bytes = response.into_body().collect().await.unwrap().to_bytes();
                    let error: Result<spor_core::protocol::ApiError, _> = serde_json::from_slice(&bytes);
                    prop_assert!(
                        error.is_ok(),
                        "a JSON error, got {:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                    prop_assert_eq!(stored(&target).await, before);
                }
                Ok(())
            })
        },
    );
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    if let Some(out) = std::env::var_os("SPOR_RELIABILITY_OUT") {
        std::fs::create_dir_all(&out).unwrap();
        let figures = serde_json::json!({
            "cases": accepted.get() + refused.get(),
            "accepted": accepted.get(),
            "refused": refused.get(),
        });
        std::fs::write(
            std::path::Path::new(&out).join("hostile-input.json"),
            figures.to_string(),
        )
        .unwrap();
    }
}
