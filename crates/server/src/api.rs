//! The `/api/v1` routes. Every answer is JSON, errors included, and nothing here is cached.

use axum::extract::State;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use spor_core::protocol::{Health, HealthStatus, PROTOCOL_VERSION};

use crate::AppState;
use crate::error::ApiError;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .fallback(api_not_found)
        .with_state(state)
        .layer(axum::middleware::map_response(no_store));
    Router::new()
        .nest("/api/v1", api)
        .route("/api/{*rest}", get(api_not_found).fallback(api_not_found))
}

async fn health(State(state): State<AppState>) -> Response {
    let database_answers = state.db.ping().await;
    let health = Health {
        status: if database_answers {
            HealthStatus::Ok
        } else {
            HealthStatus::DatabaseUnavailable
        },
        version: env!("CARGO_PKG_VERSION").to_owned(),
        protocol: PROTOCOL_VERSION,
    };
    if database_answers {
        Json(health).into_response()
    } else {
        (
            ApiError::DatabaseUnavailable.into_response().status(),
            Json(health),
        )
            .into_response()
    }
}

async fn api_not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
