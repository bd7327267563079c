use std::net::IpAddr;
use std::path::PathBuf;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use spor_core::protocol::{self, ErrorCode};
use thiserror::Error;

use crate::storage::{PullError, StorageError};

/// Why the server could not start or keep running.
#[derive(Debug, Error)]
pub enum ServeError {
    #[error(
        "port {port} on {addr} is already in use. Start Spor on another port with --port <PORT> \
         (or SPOR_PORT=<PORT>), e.g. --port {next}",
        next = port.wrapping_add(1)
    )]
    PortInUse { addr: IpAddr, port: u16 },
    #[error("could not listen on {addr}:{port}: {source}")]
    Bind {
        addr: IpAddr,
        port: u16,
        source: std::io::Error,
    },
    #[error(
        "could not create the data directory {path}: {source}. Choose another with --data-dir or SPOR_DATA_DIR"
    )]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("there is no organisation {0} on this server; `spor-server orgs` lists them")]
    UnknownOrganisation(uuid::Uuid),
    #[error("could not open the database {location}: {source}")]
    Database { location: String, source: sqlx::Error },
    #[error("could not bring the database {location} up to date: {source}")]
    Migrate {
        location: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error(
        "the built app is missing: {path} could not be read ({source}). Build it with `cargo xtask serve` or `trunk build`"
    )]
    AppShell { path: PathBuf, source: std::io::Error },
    #[error(
        "could not use the TLS certificate {certificate} with the key {key}: {source}. Both must be PEM files"
    )]
    Tls {
        certificate: PathBuf,
        key: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Storage(StorageError),
    #[error("{0}")]
    Io(std::io::Error),
}

/// An API error: a status and a JSON body (`spor_core::protocol::ApiError`), never a bare 500 page.
/// Messages never contain tokens, pseudonyms or answers.
#[derive(Debug, Error)]
pub enum ApiError {
    #[error("no API route at {0}")]
    NotFound(String),
    #[error("{path} does not answer {method}")]
    MethodNotAllowed { method: String, path: String },
    #[error("the database does not answer")]
    DatabaseUnavailable,
    #[error("the request names no protocol version; send the {header} header", header = protocol::PROTOCOL_HEADER)]
    MissingProtocol,
    #[error("this server speaks sync protocol {version}; update the app", version = protocol::PROTOCOL_VERSION)]
    UnsupportedProtocol,
    #[error("a valid device token is needed (Authorization: Bearer)")]
    Unauthorized,
    #[error("this device was removed from the organisation by a coordinator")]
    DeviceRevoked,
    #[error("this device's role may not do this")]
    Forbidden,
    #[error("the pairing code is unknown, used or expired; ask a coordinator for a new one")]
    InvalidPairingCode,
    #[error("no such device in this organisation")]
    UnknownDevice,
    #[error("no open pairing code with this id in this organisation")]
    UnknownPairingCode,
    #[error("a device cannot remove itself; another coordinator's device can")]
    RevokeSelf,
    #[error("{message}")]
    BadRequest { status: StatusCode, message: String },
    #[error("a push carries at most {max} mutations; this one carried {count}")]
    BatchTooLarge { max: usize, count: usize },
    #[error("the cursor {since} is unknown here; pull again from 0")]
    CursorGone { since: u64 },
    #[error("the request took longer than {seconds} s; try again (a retry is safe)")]
    TimedOut { seconds: u64 },
    #[error("too many requests from this device; try again in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error("the server could not store or read data; nothing was changed, try again")]
    Storage(#[from] StorageError),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ApiError::MethodNotAllowed { .. } => {
                (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed)
            }
            ApiError::DatabaseUnavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::DatabaseUnavailable)
            }
            ApiError::MissingProtocol => (StatusCode::BAD_REQUEST, ErrorCode::MissingProtocol),
            ApiError::UnsupportedProtocol => (StatusCode::UPGRADE_REQUIRED, ErrorCode::UnsupportedProtocol),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            ApiError::DeviceRevoked => (StatusCode::UNAUTHORIZED, ErrorCode::DeviceRevoked),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            ApiError::InvalidPairingCode => (StatusCode::BAD_REQUEST, ErrorCode::InvalidPairingCode),
            ApiError::UnknownDevice => (StatusCode::NOT_FOUND, ErrorCode::UnknownDevice),
            ApiError::UnknownPairingCode => (StatusCode::NOT_FOUND, ErrorCode::UnknownPairingCode),
            ApiError::RevokeSelf => (StatusCode::CONFLICT, ErrorCode::RevokeSelf),
            ApiError::BadRequest { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => {
                (*status, ErrorCode::PayloadTooLarge)
            }
            ApiError::BadRequest { status, .. } => (*status, ErrorCode::BadRequest),
            ApiError::BatchTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BatchTooLarge),
            ApiError::CursorGone { .. } => (StatusCode::GONE, ErrorCode::CursorGone),
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            ApiError::TimedOut { .. } => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::TimedOut),
            ApiError::Storage(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::StorageFailed),
        }
    }
}

impl ApiError {
    /// For `map_err` on a rate limiter's answer: the wait, rounded up to whole seconds.
    pub fn rate_limited(wait: std::time::Duration) -> ApiError {
        ApiError::RateLimited {
            retry_after: wait.as_secs_f64().ceil().max(1.0) as u64,
        }
    }
}

impl From<PullError> for ApiError {
    fn from(error: PullError) -> ApiError {
        match error {
            PullError::CursorGone { since } => ApiError::CursorGone { since },
            PullError::Storage(error) => ApiError::Storage(error),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Storage(error) = &self {
            tracing::error!(%error, "storage failed");
        }
        let body = protocol::ApiError {
            error: code.as_str().to_owned(),
            message: self.to_string(),
        };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::RateLimited { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}
