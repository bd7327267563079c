//! The server speaking HTTPS itself, from certificate files, for deployments without a reverse proxy.

use std::net::{IpAddr, Ipv4Addr};

use spor_server::db::Database;
use spor_server::error::ServeError;
use spor_server::rate_limit::RateLimit;
use spor_server::{AppState, Settings, TlsFiles, bind, router, serve_on};
use tempfile::TempDir;

fn certificate(dir: &TempDir) -> (TlsFiles, reqwest::Certificate) {
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let files = TlsFiles {
        certificate: dir.path().join("cert.pem"),
        key: dir.path().join("key.pem"),
    };
    std::fs::write(&files.certificate, generated.cert.pem()).unwrap();
    std::fs::write(&files.key, generated.signing_key.serialize_pem()).unwrap();
    let trusted = reqwest::Certificate::from_pem(generated.cert.pem().as_bytes()).unwrap();
    (files, trusted)
}

#[tokio::test]
async fn the_server_answers_https_with_its_certificate() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = TempDir::new().unwrap();
    let (files, trusted) = certificate(&dir);
    let db = Database::open_in(&dir.path().join("data")).await.unwrap();
    let listener = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let url = format!("https://localhost:{port}");
    let app = router(AppState::new(db, Settings::new(&url), RateLimit::default()), None);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        serve_on(listener, app, Some(&files), async {
            let _ = stopped.await;
        })
        .await
    });

    // The name resolves to loopback only: the test never leaves 127.0.0.1.
    let client = reqwest::Client::builder()
        .add_root_certificate(trusted)
        .resolve("localhost", ([127, 0, 0, 1], port).into())
        .build()
        .unwrap();
    let answer = client.get(format!("{url}/api/v1/health")).send().await.unwrap();
    // Having seen HTTPS, a browser keeps to it for this address.
    assert_eq!(
        answer.headers()["strict-transport-security"],
        spor_server::security::STRICT_TRANSPORT_SECURITY
    );
    let health: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(health["status"], "ok");

    // A client that does not trust the certificate gets no answer.
    let untrusting = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .resolve("localhost", ([127, 0, 0, 1], port).into())
        .build()
        .unwrap();
    assert!(
        untrusting
            .get(format!("{url}/api/v1/health"))
            .send()
            .await
            .is_err()
    );

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_missing_certificate_is_named_in_the_error() {
    let dir = TempDir::new().unwrap();
    let db = Database::open_in(dir.path()).await.unwrap();
    let listener = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).await.unwrap();
    let app = router(
        AppState::new(db, Settings::new("https://localhost"), RateLimit::default()),
        None,
    );
    let files = TlsFiles {
        certificate: dir.path().join("missing.pem"),
        key: dir.path().join("missing-key.pem"),
    };
    let error = serve_on(listener, app, Some(&files), std::future::ready(()))
        .await
        .unwrap_err();
    assert!(matches!(error, ServeError::Tls { .. }));
    assert!(error.to_string().contains("missing.pem"), "{error}");
}
