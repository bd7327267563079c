//! The server's HTTP surface, driven through the real router with a real SQLite file and a small
//! built app written to a temporary directory.

use std::net::{IpAddr, Ipv4Addr};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use spor_server::db::Database;
use spor_server::rate_limit::RateLimit;
use spor_server::static_files::AppShell;
use spor_server::storage::Storage;
use spor_server::{AppState, Settings, bind, router};
use tempfile::TempDir;
use tower::ServiceExt;

const LOADER: &str = "import init from '/spor-0123456789abcdef.js'; await init();";

struct Fixture {
    app: axum::Router,
    /// The built app and the data directory, removed when the fixture drops.
    dirs: (TempDir, TempDir),
}

async fn fixture() -> Fixture {
    let dist = TempDir::new().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        format!(
            "<!doctype html><html lang=\"da\"><head><script type=\"module\">{LOADER}</script></head></html>"
        ),
    )
    .unwrap();
    std::fs::write(dist.path().join("sw.js"), "// worker").unwrap();
    std::fs::write(dist.path().join("manifest.webmanifest"), "{}").unwrap();
    std::fs::write(dist.path().join("spor-0123456789abcdef.js"), "export default 1").unwrap();
    std::fs::create_dir(dist.path().join("icons")).unwrap();
    std::fs::write(dist.path().join("icons/icon-192.png"), [0x89, b'P', b'N', b'G']).unwrap();

    let data = TempDir::new().unwrap();
    let db = Database::open_in(data.path()).await.unwrap();
    let shell = AppShell::load(dist.path()).unwrap();
    Fixture {
        app: router(
            AppState::new(db, Settings::new("http://127.0.0.1:8080"), RateLimit::default()),
            Some(shell),
        ),
        dirs: (dist, data),
    }
}

async fn get(fixture: &Fixture, path: &str) -> axum::response::Response {
    request(fixture, Method::GET, path).await
}

async fn request(fixture: &Fixture, method: Method, path: &str) -> axum::response::Response {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap();
    fixture.app.clone().oneshot(request).await.unwrap()
}

async fn body_text(response: axum::response::Response) -> String {
    String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

fn header_of(response: &axum::response::Response, name: header::HeaderName) -> &str {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn health_reports_ok_with_the_protocol_version_and_is_never_cached() {
    let fixture = fixture().await;
    let response = get(&fixture, "/api/v1/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store");
    let health: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["protocol"], spor_core::protocol::PROTOCOL_VERSION);
}

#[tokio::test]
async fn unknown_api_paths_answer_json_404_for_any_method() {
    let fixture = fixture().await;
    for (method, path) in [
        (Method::GET, "/api/v1/nothing-here"),
        (Method::POST, "/api/v1/sync/nope"),
        (Method::GET, "/api/v2/health"),
        (Method::DELETE, "/api/whatever"),
    ] {
        let response = request(&fixture, method.clone(), path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
        assert!(header_of(&response, header::CONTENT_TYPE).starts_with("application/json"));
        let body: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(body["error"], "not_found", "{method} {path}");
    }
}

#[tokio::test]
async fn app_shell_files_are_revalidated_and_hashed_assets_cached_for_a_year() {
    let fixture = fixture().await;
    for path in [
        "/",
        "/index.html",
        "/sw.js",
        "/manifest.webmanifest",
        "/icons/icon-192.png",
    ] {
        let response = get(&fixture, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-cache", "{path}");
    }
    let response = get(&fixture, "/spor-0123456789abcdef.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn deep_links_get_the_app_and_missing_files_a_404() {
    let fixture = fixture().await;
    let response = get(&fixture, "/trends").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header_of(&response, header::CONTENT_TYPE).starts_with("text/html"));
    assert!(body_text(response).await.contains(LOADER));

    let response = get(&fixture, "/spor-ffffffffffffffff.js").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn csp_allows_the_loader_by_hash_and_wasm_but_no_inline_or_remote_code() {
    let fixture = fixture().await;
    let digest = Sha256::digest(LOADER.as_bytes());
    let loader_hash = format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    // Every kind of answer: the app shell, static files, every API route (refused ones included),
    // unknown paths and wrong methods.
    let requests = [
        (Method::GET, "/"),
        (Method::GET, "/trends"),
        (Method::GET, "/sw.js"),
        (Method::GET, "/manifest.webmanifest"),
        (Method::GET, "/spor-0123456789abcdef.js"),
        (Method::GET, "/icons/icon-192.png"),
        (Method::GET, "/api/v1/health"),
        (Method::GET, "/api/v1/openapi.json"),
        (Method::GET, "/api/v1/missing"),
        (Method::POST, "/api/v1/pair"),
        (Method::POST, "/api/v1/pairing-codes"),
        (Method::GET, "/api/v1/devices"),
        (
            Method::POST,
            "/api/v1/devices/00000000-0000-0000-0000-000000000000/revoke",
        ),
        (Method::POST, "/api/v1/sync/push"),
        (Method::GET, "/api/v1/sync/pull"),
        (Method::DELETE, "/api/v1/sync/push"),
    ];
    for (method, path) in requests {
        let response = request(&fixture, method, path).await;
        let csp = header_of(&response, header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains(&loader_hash), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(!csp.contains("http"), "no remote origin may be allowed: {csp}");
        assert_eq!(header_of(&response, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header_of(&response, header::REFERRER_POLICY), "no-referrer");
        assert_eq!(header_of(&response, header::X_FRAME_OPTIONS), "DENY");
    }
}

#[tokio::test]
async fn a_busy_port_names_the_port_and_the_flag_to_change_it() {
    let localhost = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let taken = bind(localhost, 0).await.unwrap();
    let port = taken.local_addr().unwrap().port();
    let message = bind(localhost, port).await.unwrap_err().to_string();
    assert!(message.contains(&format!("port {port}")), "{message}");
    assert!(message.contains("--port"), "{message}");
    assert!(message.contains("SPOR_PORT"), "{message}");
}

#[tokio::test]
async fn the_database_survives_a_restart_in_the_same_data_directory() {
    let data = TempDir::new().unwrap();
    let first = Database::open_in(data.path()).await.unwrap();
    assert!(first.ping().await);
    first.close().await;
    let second = Database::open_in(data.path()).await.unwrap();
    assert!(second.ping().await);
    assert!(data.path().join(spor_server::db::DATABASE_FILE).exists());
}

#[tokio::test]
async fn a_worker_replaced_within_the_same_second_is_not_answered_not_modified() {
    let fixture = fixture().await;
    let first = get(&fixture, "/sw.js").await;
    let etag = header_of(&first, header::ETAG).to_owned();
    assert!(!etag.is_empty(), "revalidated files carry an ETag");
    assert!(first.headers().get(header::LAST_MODIFIED).is_none());

    let revalidate = |etag: &str| {
        Request::builder()
            .uri("/sw.js")
            .header(header::IF_NONE_MATCH, etag)
            .body(Body::empty())
            .unwrap()
    };
    let unchanged = fixture.app.clone().oneshot(revalidate(&etag)).await.unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header_of(&unchanged, header::CACHE_CONTROL), "no-cache");

    std::fs::write(fixture.dirs.0.path().join("sw.js"), "// the next release").unwrap();
    let changed = fixture.app.clone().oneshot(revalidate(&etag)).await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(header_of(&changed, header::ETAG), etag);
    assert_eq!(body_text(changed).await, "// the next release");
}

/// Writes `name` with brotli and gzip copies beside it, as the build does.
fn write_with_copies(dist: &std::path::Path, name: &str, content: &str) {
    use std::io::Write;
    std::fs::write(dist.join(name), content).unwrap();
    let mut br = Vec::new();
    brotli::CompressorWriter::new(&mut br, 4096, 11, 22)
        .write_all(content.as_bytes())
        .unwrap();
    std::fs::write(dist.join(format!("{name}.br")), br).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(content.as_bytes()).unwrap();
    std::fs::write(dist.join(format!("{name}.gz")), gz.finish().unwrap()).unwrap();
}

async fn get_encoded(fixture: &Fixture, path: &str, accept: Option<&str>) -> axum::response::Response {
    let mut request = Request::builder().uri(path);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    fixture
        .app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

fn decoded(encoding: &str, bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    match encoding {
        "br" => brotli::Decompressor::new(bytes, 4096)
            .read_to_string(&mut text)
            .unwrap(),
        "gzip" => flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .unwrap(),
        _ => return String::from_utf8(bytes.to_vec()).unwrap(),
    };
    text
}

#[tokio::test]
async fn each_encoding_is_served_with_its_headers_and_bytes_that_decompress_to_the_file() {
    let built = fixture().await;
    let dist = built.dirs.0.path().to_owned();
    let dist = dist.as_path();
    let script = "export const spor = 'Torsdagscafé';\n".repeat(200);
    // A 15-digit hash: Trunk drops a leading zero about one build in 16.
    let hashed = "spor-123456789abcdef.js";
    write_with_copies(dist, hashed, &script);
    write_with_copies(dist, "sw.js", &"// worker\n".repeat(100));
    write_with_copies(
        dist,
        "index.html",
        &std::fs::read_to_string(dist.join("index.html")).unwrap(),
    );
    // The shell is read at start: load it again now that its copies exist.
    let data = TempDir::new().unwrap();
    let app = router(
        AppState::new(
            Database::open_in(data.path()).await.unwrap(),
            Settings::new("http://127.0.0.1:8080"),
            RateLimit::default(),
        ),
        Some(AppShell::load(dist).unwrap()),
    );
    let fixture = Fixture {
        app,
        dirs: (built.dirs.0, data),
    };

    for (path, file) in [
        (format!("/{hashed}"), hashed),
        ("/sw.js".to_owned(), "sw.js"),
        ("/".to_owned(), "index.html"),
    ] {
        let original = std::fs::read_to_string(dist.join(file)).unwrap();
        let mut etags = Vec::new();
        for (accept, encoding) in [
            (Some("gzip, deflate, br"), "br"),
            (Some("gzip"), "gzip"),
            (Some("br;q=0, gzip"), "gzip"),
            (None, ""),
        ] {
            let response = get_encoded(&fixture, &path, accept).await;
            assert_eq!(response.status(), StatusCode::OK, "{path} {accept:?}");
            assert_eq!(
                header_of(&response, header::CONTENT_ENCODING),
                encoding,
                "{path} {accept:?}"
            );
            assert_eq!(header_of(&response, header::VARY), "accept-encoding", "{path}");
            etags.push(header_of(&response, header::ETAG).to_owned());
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            assert_eq!(decoded(encoding, &bytes), original, "{path} {accept:?}");
        }
        if file == "sw.js" {
            assert_ne!(etags[0], etags[3], "each encoding has its own ETag");
        }
    }
    let response = get_encoded(&fixture, &format!("/{hashed}"), Some("br")).await;
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable",
        "a hash of any length is immutable"
    );

    // A worker replaced after the build: its older copies are not served, the new file is.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(dist.join("sw.js"), "// the next release").unwrap();
    let response = get_encoded(&fixture, "/sw.js", Some("gzip, deflate, br")).await;
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "");
    assert_eq!(body_text(response).await, "// the next release");
}

#[tokio::test]
async fn the_database_and_its_backups_are_readable_by_the_servers_user_only() {
    use std::os::unix::fs::PermissionsExt;
    let data = TempDir::new().unwrap();
    let db = Database::open_in(data.path()).await.unwrap();
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data.path().join(spor_server::db::DATABASE_FILE)), 0o600);
    let backup = data.path().join("copy.sqlite3");
    db.backup_to(&backup).await.unwrap();
    assert_eq!(mode(&backup), 0o600);
    assert!(
        std::fs::metadata(&backup).unwrap().len() > 0,
        "the copy holds the database"
    );
}
