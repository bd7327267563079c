//! The `/api/v1` routes. Every answer is JSON, errors included, nothing here is cached, and every
//! answer carries the server's clock (so the app can warn about its own).

use std::time::Instant;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use spor_core::ids::DeviceId;
use spor_core::protocol::{
    DeviceInfo, Health, HealthStatus, PROTOCOL_VERSION, PairRequest, PairResponse, PairingCodeRequest,
    PairingCodeResponse, SERVER_TIME_HEADER,
};
use spor_core::sync::{
    MAX_PUSH_BATCH, MutationResult, Outcome, PullResponse, PushRequest, PushResponse, RejectReason,
};
use spor_core::validation::Context;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{self, Device, Protocol};
use crate::error::ApiError;
use crate::storage::{NewDevice, NewPairingCode};

/// The largest request body, in bytes: a full batch of survey responses fits many times over.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Changes per pull unless the device asks for fewer.
pub const PULL_LIMIT: u32 = 1000;
/// The rate-limit bucket all pairing attempts share.
const PAIRING_BUCKET: DeviceId = DeviceId(Uuid::nil());

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .route("/pair", post(pair))
        .route("/pairing-codes", post(create_pairing_code))
        .route("/devices", get(devices))
        .route("/devices/{id}/revoke", post(revoke_device))
        .route("/sync/push", post(push))
        .route("/sync/pull", get(pull))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(no_store));
    Router::new()
        .nest("/api/v1", api)
        .route("/api/{*rest}", get(api_not_found).fallback(api_not_found))
}

/// `Json` whose rejections (malformed, wrong types, unknown fields, too large) are JSON errors.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<ApiJson<T>, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let status = rejection.status();
    let message = if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        format!("the request body is larger than the limit of {MAX_BODY_BYTES} bytes")
    } else {
        rejection.body_text()
    };
    ApiError::BadRequest { status, message }
}

fn query_rejection(rejection: QueryRejection) -> ApiError {
    ApiError::BadRequest {
        status: rejection.status(),
        message: rejection.body_text(),
    }
}

async fn health(State(state): State<AppState>) -> Response {
    let database_answers = state.storage.ping().await;
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

async fn pair(
    _protocol: Protocol,
    State(state): State<AppState>,
    ApiJson(pairing): ApiJson<PairRequest>,
) -> Result<Json<PairResponse>, ApiError> {
    // There is no device yet: all pairing attempts share one bucket, so codes cannot be guessed quickly.
    state
        .limiter
        .check(PAIRING_BUCKET, Instant::now())
        .map_err(ApiError::rate_limited)?;
    let device = DeviceId(Uuid::now_v7());
    let token = auth::new_token(device);
    let name: String = pairing.device_name.trim().chars().take(80).collect();
    let paired = state
        .storage
        .redeem_pairing_code(
            &auth::pairing_code_hash(&pairing.code),
            NewDevice {
                id: device,
                name,
                secret_hash: token.secret_hash,
            },
            Utc::now(),
        )
        .await?
        .ok_or(ApiError::InvalidPairingCode)?;
    tracing::info!(%device, role = paired.role.as_str(), "device paired");
    Ok(Json(PairResponse {
        device,
        token: token.token,
        role: paired.role,
        organisation: paired.organisation,
        organisation_name: paired.organisation_name,
    }))
}

async fn create_pairing_code(
    device: Device,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PairingCodeRequest>,
) -> Result<Json<PairingCodeResponse>, ApiError> {
    if !device.role.manages_devices() {
        return Err(ApiError::Forbidden);
    }
    let code = auth::new_pairing_code();
    let expires_at = Utc::now() + state.settings.pairing_code_lifetime;
    state
        .storage
        .add_pairing_code(NewPairingCode {
            code_hash: auth::pairing_code_hash(&code),
            organisation: device.organisation,
            role: request.role,
            expires_at,
        })
        .await?;
    Ok(Json(PairingCodeResponse {
        link: state.settings.pairing_link(&code),
        code,
        role: request.role,
        expires_at,
    }))
}

async fn devices(device: Device, State(state): State<AppState>) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    if !device.role.manages_devices() {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(state.storage.devices(device.organisation).await?))
}

async fn revoke_device(
    device: Device,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    if !device.role.manages_devices() {
        return Err(ApiError::Forbidden);
    }
    let revoked = state
        .storage
        .revoke_device(device.organisation, DeviceId(id), Utc::now())
        .await?;
    if !revoked {
        return Err(ApiError::UnknownDevice);
    }
    tracing::info!(by = %device.id, revoked = %id, "device revoked");
    Ok(Json(state.storage.devices(device.organisation).await?))
}

/// Authorises and validates each mutation; those that pass go to the storage in one transaction.
/// A refused mutation is answered with its reason and never holds up the others.
async fn push(
    device: Device,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    let count = request.mutations.len();
    if count > MAX_PUSH_BATCH {
        return Err(ApiError::BatchTooLarge {
            max: MAX_PUSH_BATCH,
            count,
        });
    }
    let context = Context {
        today: Utc::now().date_naive(),
    };
    let mut refused = Vec::new();
    let mut accepted = Vec::with_capacity(count);
    for (position, mutation) in request.mutations.into_iter().enumerate() {
        let reason = if !device.role.may_push(&mutation.change) {
            Some(RejectReason::Forbidden)
        } else {
            mutation
                .change
                .validate(context)
                .err()
                .map(|problems| RejectReason::Invalid { problems })
        };
        match reason {
            Some(reason) => refused.push((
                position,
                MutationResult {
                    id: mutation.id,
                    outcome: Outcome::Rejected { reason },
                },
            )),
            None => accepted.push(mutation),
        }
    }
    let mut results = state
        .storage
        .push(device.organisation, device.id, accepted, Utc::now())
        .await?;
    for (position, result) in refused {
        results.insert(position, result);
    }
    let applied = results
        .iter()
        .filter(|result| result.outcome == Outcome::Applied)
        .count();
    tracing::info!(device = %device.id, mutations = count, applied, "push");
    Ok(Json(PushResponse { results }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PullQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u32>,
}

async fn pull(
    device: Device,
    State(state): State<AppState>,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(query) = query.map_err(query_rejection)?;
    let limit = query.limit.unwrap_or(PULL_LIMIT).clamp(1, PULL_LIMIT);
    let topics = device.role.pulled_topics();
    let pulled = state
        .storage
        .pull(device.organisation, &topics, query.since, limit)
        .await?;
    Ok(Json(pulled))
}

async fn api_not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed {
        method: method.to_string(),
        path: uri.path().to_owned(),
    }
}

async fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(now) = HeaderValue::from_str(&Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) {
        headers.insert(SERVER_TIME_HEADER, now);
    }
    response
}
