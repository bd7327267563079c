//! Security headers on every response, API and app alike.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use axum::response::Response;

/// Allows the app's own files and wasm, the inline loader scripts named by hash, and nothing remote.
pub fn content_security_policy(inline_script_hashes: Vec<String>) -> HeaderValue {
    let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    script_src.extend(inline_script_hashes);
    let policy = format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        script_src.join(" ")
    );
    HeaderValue::from_str(&policy).expect("a CSP built from ASCII parts is a valid header value")
}

pub fn with_security_headers(router: Router, content_security_policy: HeaderValue) -> Router {
    router.layer(middleware::map_response(move |mut response: Response| {
        let content_security_policy = content_security_policy.clone();
        async move {
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_SECURITY_POLICY, content_security_policy);
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            headers.insert(
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            );
            response
        }
    }))
}

/// How long a browser that saw Spor over HTTPS keeps to HTTPS for its address: a year, so a phone on
/// a hostile network is not talked down to plain HTTP (sent only when the server speaks TLS itself;
/// behind a reverse proxy, the proxy sets it).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

pub fn with_strict_transport(router: Router) -> Router {
    router.layer(middleware::map_response(|mut response: Response| async move {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
        response
    }))
}
