use std::net::IpAddr;
use std::path::PathBuf;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use spor_core::protocol;
use thiserror::Error;

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
    #[error("could not open the database {path}: {source}")]
    Database { path: PathBuf, source: sqlx::Error },
    #[error("could not bring the database {path} up to date: {source}")]
    Migrate {
        path: PathBuf,
        source: sqlx::migrate::MigrateError,
    },
    #[error(
        "the built app is missing: {path} could not be read ({source}). Build it with `cargo xtask serve` or `trunk build`"
    )]
    AppShell { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Io(std::io::Error),
}

/// An API error: a status and a JSON body (`spor_core::protocol::ApiError`), never a bare 500 page.
#[derive(Debug, Error)]
pub enum ApiError {
    #[error("no API route at {0}")]
    NotFound(String),
    #[error("the database does not answer")]
    DatabaseUnavailable,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::DatabaseUnavailable => (StatusCode::SERVICE_UNAVAILABLE, "database_unavailable"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let body = protocol::ApiError {
            error: code.to_owned(),
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}
