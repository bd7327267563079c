//! Serving the built app (Trunk's `dist`): the app shell with the right caching, compressed.
//!
//! The build writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text and wasm file
//! (`cargo xtask`'s compress step); each answer is the best copy the browser accepts
//! (`Content-Encoding`, `Vary: Accept-Encoding`), or the plain file. An ETag is a hash of the bytes
//! sent, so each encoding has its own.
//!
//! `index.html`, `sw.js`, the manifest and every unhashed file are revalidated on each load
//! (`no-cache`, with an `ETag` from their content), so a release reaches users on their next visit; files with a content hash in their
//! name never change and are cached for a year. Paths without a file extension are app routes
//! (deep links such as `/trends`): they get `index.html` and the app's router takes over.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

use crate::error::ServeError;

const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// The built app: its directory and its `index.html` (with its compressed copies, where the
/// build wrote them), read once at start.
#[derive(Clone)]
pub struct AppShell {
    dist: PathBuf,
    index_html: Arc<str>,
    index_br: Option<Arc<[u8]>>,
    index_gz: Option<Arc<[u8]>>,
}

impl AppShell {
    pub fn load(dist: &Path) -> Result<AppShell, ServeError> {
        let index_path = dist.join("index.html");
        let index_html = std::fs::read_to_string(&index_path).map_err(|source| ServeError::AppShell {
            path: index_path,
            source,
        })?;
        let copy = |suffix: &str| {
            std::fs::read(dist.join(format!("index.html.{suffix}")))
                .ok()
                .map(Arc::from)
        };
        Ok(AppShell {
            dist: dist.to_owned(),
            index_html: index_html.into(),
            index_br: copy("br"),
            index_gz: copy("gz"),
        })
    }

    /// CSP source expressions (`'sha256-…'`) for the inline scripts of `index.html`: Trunk's loader
    /// is an inline module script, allowed by its hash rather than by `'unsafe-inline'`.
    pub fn inline_script_hashes(&self) -> Vec<String> {
        inline_scripts(&self.index_html)
            .map(|script| {
                let digest = Sha256::digest(script.as_bytes());
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect()
    }
}

/// The contents of `<script>` elements without a `src` attribute.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let (content, _) = after.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(content)
    })
}

pub fn router(shell: AppShell) -> Router {
    let files = ServeDir::new(&shell.dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(app_route.with_state(shell.clone()));
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .with_state(shell.clone())
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(shell, fresh_copies_only))
        .layer(middleware::from_fn(cache_control))
}

/// A compressed copy older than its file (the file was replaced after the build, by hand or by a
/// partial deploy) would serve the old content: then the request is answered with the plain file.
async fn fresh_copies_only(State(shell): State<AppShell>, mut request: Request, next: Next) -> Response {
    let relative = request.uri().path().trim_start_matches('/');
    if !relative.is_empty() && !relative.contains("..") {
        let file = shell.dist.join(relative);
        let modified = |path: &Path| std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
        if let Some(original) = modified(&file) {
            let stale = ["br", "gz"].into_iter().any(|suffix| {
                let copy = PathBuf::from(format!("{}.{suffix}", file.display()));
                modified(&copy).is_some_and(|copied| copied < original)
            });
            if stale {
                request.headers_mut().remove(header::ACCEPT_ENCODING);
            }
        }
    }
    next.run(request).await
}

async fn index(State(shell): State<AppShell>, headers: axum::http::HeaderMap) -> Response {
    html_response(&shell, &headers)
}

/// A path that is not a file: an app route gets `index.html`, a missing file a plain 404.
async fn app_route(State(shell): State<AppShell>, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    let last_segment = uri.path().rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        (StatusCode::NOT_FOUND, "Not found").into_response()
    } else {
        html_response(&shell, &headers)
    }
}

/// `index.html` in the best encoding the browser accepts.
fn html_response(shell: &AppShell, headers: &axum::http::HeaderMap) -> Response {
    let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    let accepted = |encoding: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|offer| {
                let mut parts = offer.split(';');
                parts.next().is_some_and(|name| name.trim() == encoding)
                    && parts.all(|parameter| parameter.trim() != "q=0")
            })
    };
    let compressed = [("br", &shell.index_br), ("gzip", &shell.index_gz)]
        .into_iter()
        .find_map(|(encoding, copy)| {
            copy.as_ref()
                .filter(|_| accepted(encoding))
                .map(|bytes| (encoding, bytes))
        });
    match compressed {
        Some((encoding, bytes)) => (
            html,
            [(header::CONTENT_ENCODING, encoding)],
            Body::from(bytes.to_vec()),
        )
            .into_response(),
        None => (html, Body::from(shell.index_html.to_string())).into_response(),
    }
}

async fn cache_control(request: Request, next: Next) -> Response {
    let mut response = if is_hashed_asset(request.uri().path()) {
        let mut response = next.run(request).await;
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_MODIFIED {
            response.headers_mut().insert(header::CACHE_CONTROL, IMMUTABLE);
        }
        response
    } else {
        revalidated_by_content(request, next).await
    };
    // Every file may be answered in another encoding: caches keep one copy per encoding.
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// The largest unhashed file whose body is hashed for its ETag; the shell files are a few KB.
const MAX_REVALIDATED_BYTES: usize = 4 * 1024 * 1024;

/// Unhashed files are validated by a hash of their content (`ETag`), not by their modification time:
/// that has one-second resolution, so a `sw.js` replaced within the second it was fetched would be
/// answered "not modified" and the new release missed.
async fn revalidated_by_content(mut request: Request, next: Next) -> Response {
    let if_none_match = request.headers_mut().remove(header::IF_NONE_MATCH);
    request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_REVALIDATED_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "The file could not be read").into_response();
    };
    let digest = Sha256::digest(&bytes);
    let etag = format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
    );
    let etag = HeaderValue::from_str(&etag).expect("base64 is a valid header value");
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.insert(header::CACHE_CONTROL, REVALIDATE);
    parts.headers.insert(header::ETAG, etag.clone());
    if if_none_match.is_some_and(|candidates| etag_matches(&candidates, &etag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn etag_matches(candidates: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(candidates) = candidates.to_str() else {
        return false;
    };
    let etag = etag.to_str().unwrap_or_default();
    candidates
        .split(',')
        .map(|candidate| candidate.trim().trim_start_matches("W/"))
        .any(|candidate| candidate == etag || candidate == "*")
}

/// Trunk's hashed names: `spor-1a2b3c4d5e6f7a8b.js`, `spor-1a2b3c4d5e6f7a8b_bg.wasm`, `main-….css`.
/// Trunk writes a 64-bit hash in hex without leading zeros, so one build in 16 has a 15-digit hash,
/// one in 256 a 14-digit one: any length from 8 digits counts (a shorter one is one build in four
/// billion, and is then only revalidated, never wrong).
pub fn is_hashed_asset(path: &str) -> bool {
    let file_name = path.rsplit('/').next().unwrap_or_default();
    let stem = file_name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash)) => {
            !name.is_empty() && (8..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed_asset("/spor-4f0e8cf1a2b3c4d5.js"));
        assert!(is_hashed_asset("/spor-4f0e8cf1a2b3c4d5_bg.wasm"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(
            is_hashed_asset("/spor-f0e8cf1a2b3c4d5.js"),
            "a hash with its leading zero dropped"
        );
        assert!(is_hashed_asset("/spor-8cf1a2b3c4d5_bg.wasm"));
    }

    #[test]
    fn stable_names_are_not_hashed() {
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
        assert!(!is_hashed_asset("/icons/icon-192.png"));
        assert!(!is_hashed_asset("/service-worker.js"));
        assert!(!is_hashed_asset("/"));
    }

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<head><script src="/x.js"></script><script type="module">init()</script></head>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), vec!["init()"]);
    }
}
