//! The `/api/v1` routes. Every answer is JSON, errors included, nothing here is cached, and every
//! answer carries the server's clock (so the app can warn about its own).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use spor_core::Language;
use spor_core::access::DeviceRole;
use spor_core::aggregate::{MAX_SENDING_BYTES, Received, Sending};
use spor_core::ids::DeviceId;
use spor_core::protocol::api_route;
use spor_core::protocol::{
    API_PREFIX, ApiError as ProtocolError, DeviceInfo, Health, HealthStatus, OpenPairingCode,
    PROTOCOL_VERSION, PairRequest, PairResponse, PairingCodeRequest, PairingCodeResponse, SERVER_TIME_HEADER,
};
use spor_core::rules;
use spor_core::sync::{MAX_PUSH_BATCH, MutationResult, Outcome, PullResponse, PushRequest, PushResponse};
use spor_core::validation::Context;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use uuid::Uuid;

use crate::AppState;
use crate::auth::{self, ClientAddress, Device, Protocol};
use crate::error::ApiError;
use crate::storage::NewDevice;

/// The largest request body, in bytes: a full batch of survey responses fits many times over.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// The largest push from a volunteer's phone or a kiosk: they never send template versions (the
/// only large changes), and a full batch of check-ins or answers fits twice over.
pub const MAX_SMALL_PUSH_BYTES: usize = 2 * 1024 * 1024;

/// The largest push body a device with `role` may send.
pub fn push_body_limit(role: DeviceRole) -> usize {
    match role {
        DeviceRole::Coordinator => MAX_BODY_BYTES,
        DeviceRole::Volunteer | DeviceRole::Kiosk => MAX_SMALL_PUSH_BYTES,
    }
}
/// The longest a request may take; a slow client or a stuck database gets a JSON 503 instead of
/// holding a connection.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// Changes per pull unless the device asks for fewer.
pub const PULL_LIMIT: u32 = 1000;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route(api_route::HEALTH, get(health))
        .route(api_route::OPENAPI, get(openapi_document))
        .route(api_route::PAIR, post(pair))
        .route(
            api_route::PAIRING_CODES,
            post(create_pairing_code).get(open_pairing_codes),
        )
        .route(api_route::CANCEL_PAIRING_CODE, post(cancel_pairing_code))
        .route(api_route::DEVICES, get(devices))
        .route(api_route::REVOKE_DEVICE, post(revoke_device))
        .route(api_route::PUSH, post(push))
        .route(api_route::PULL, get(pull))
        .route(
            api_route::AGGREGATES,
            post(send_figures)
                .get(received_figures)
                .layer(DefaultBodyLimit::max(MAX_SENDING_BYTES)),
        )
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(time_limit))
        .layer(axum::middleware::map_response(no_store));
    Router::new()
        .nest(API_PREFIX, api)
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
    json_rejection_within(rejection, MAX_BODY_BYTES)
}

fn json_rejection_within(rejection: JsonRejection, limit: usize) -> ApiError {
    let status = rejection.status();
    let message = if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        format!("the request body is larger than the limit of {limit} bytes")
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

/// The API as an OpenAPI 3 document, generated from the handlers and the wire types below.
#[derive(OpenApi)]
#[openapi(
    info(title = "Spor API", description = "Pairing, devices and sync for the Spor app (DESIGN.md section 4)."),
    paths(health, pair, create_pairing_code, open_pairing_codes, cancel_pairing_code, devices, revoke_device, push, pull, send_figures, received_figures),
    modifiers(&BearerToken),
)]
pub struct ApiDocument;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("id.secret")
                    .build(),
            ),
        );
    }
}

async fn openapi_document(
    address: ClientAddress,
    State(state): State<AppState>,
) -> Result<Json<serde_json::Value>, ApiError> {
    address.limit(&state)?;
    Ok(Json(crate::contract::document(ApiDocument::openapi())))
}

#[utoipa::path(
    get,
    path = "/api/v1/health",
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
    )
)]
async fn health(address: ClientAddress, State(state): State<AppState>) -> Response {
    if let Err(limited) = address.limit(&state) {
        return limited.into_response();
    }
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

#[utoipa::path(
    post,
    path = "/api/v1/pair",
    params(("x-spor-protocol" = u32, Header, description = "The sync protocol version")),
    request_body = PairRequest,
    responses(
        (status = 200, description = "Paired: the device's token, shown once", body = PairResponse),
        (status = 400, description = "The code is unknown, used or expired; no protocol version; or a malformed body", body = ProtocolError),
        (status = 413, description = "A body over the limit of 4 MiB", body = ProtocolError),
        (status = 415, description = "The body is not JSON", body = ProtocolError),
        (status = 422, description = "A body of the wrong shape (unknown fields, wrong types)", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 429, description = "Too many pairing attempts from this address; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn pair(
    _protocol: Protocol,
    address: ClientAddress,
    State(state): State<AppState>,
    pairing: Result<ApiJson<PairRequest>, ApiError>,
) -> Result<Json<PairResponse>, ApiError> {
    // There is no device yet: attempts are limited per client address (malformed ones too), so
    // codes cannot be guessed quickly, and one client's guessing does not lock out everybody else.
    address.limit(&state)?;
    let ApiJson(pairing) = pairing?;
    let device = DeviceId(Uuid::now_v7());
    let token = auth::new_token(device);
    let name: String = pairing.device_name.trim().chars().take(80).collect();
    let paired = state
        .storage
        .redeem_pairing_code(
            &pairing.code,
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

#[utoipa::path(
    post,
    path = "/api/v1/pairing-codes",
    params(("x-spor-protocol" = u32, Header, description = "The sync protocol version")),
    request_body = PairingCodeRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, description = "A single-use code for another device", body = PairingCodeResponse),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 403, description = "Only coordinators create codes", body = ProtocolError),
        (status = 400, description = "No protocol version, or a malformed request", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 413, description = "A body over the limit of 4 MiB", body = ProtocolError),
        (status = 415, description = "The body is not JSON", body = ProtocolError),
        (status = 422, description = "A body of the wrong shape (unknown fields, wrong types)", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn create_pairing_code(
    device: Device,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PairingCodeRequest>,
) -> Result<Json<PairingCodeResponse>, ApiError> {
    if !device.role.manages_devices() {
        return Err(ApiError::Forbidden);
    }
    let expires_at = Utc::now() + state.settings.pairing_code_lifetime;
    let (code, stored) =
        auth::issue_pairing_code(device.organisation, request.role, expires_at, Some(device.id));
    state.storage.add_pairing_code(stored).await?;
    Ok(Json(PairingCodeResponse {
        link: state.settings.pairing_link(&code),
        code,
        role: request.role,
        expires_at,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/pairing-codes",
    params(("x-spor-protocol" = u32, Header, description = "The sync protocol version")),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The organisation's codes that could still pair, newest first (never the codes themselves)", body = Vec<OpenPairingCode>),
        (status = 403, description = "Only coordinators see the codes", body = ProtocolError),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 400, description = "No protocol version, or a malformed request", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn open_pairing_codes(
    device: Device,
    State(state): State<AppState>,
) -> Result<Json<Vec<OpenPairingCode>>, ApiError> {
    if !device.role.manages_devices() {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(
        state
            .storage
            .open_pairing_codes(device.organisation, Utc::now())
            .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/pairing-codes/{id}/cancel",
    params(
        ("id" = Uuid, Path, description = "The code to cancel (its id from the list)"),
        ("x-spor-protocol" = u32, Header, description = "The sync protocol version"),
    ),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Cancelled; the codes still open after it", body = Vec<OpenPairingCode>),
        (status = 403, description = "Only coordinators cancel codes", body = ProtocolError),
        (status = 404, description = "No such open code in this organisation", body = ProtocolError),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 400, description = "No protocol version, or a malformed request", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn cancel_pairing_code(
    device: Device,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<OpenPairingCode>>, ApiError> {
    if !device.role.manages_devices() {
        return Err(ApiError::Forbidden);
    }
    if !state.storage.cancel_pairing_code(device.organisation, id).await? {
        return Err(ApiError::UnknownPairingCode);
    }
    tracing::info!(by = %device.id, code = %id, "pairing code cancelled");
    Ok(Json(
        state
            .storage
            .open_pairing_codes(device.organisation, Utc::now())
            .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/devices",
    params(("x-spor-protocol" = u32, Header, description = "The sync protocol version")),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The organisation's devices", body = Vec<DeviceInfo>),
        (status = 403, description = "Only coordinators see the devices", body = ProtocolError),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 400, description = "No protocol version, or a malformed request", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn devices(device: Device, State(state): State<AppState>) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    if !device.role.manages_devices() {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(state.storage.devices(device.organisation).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/devices/{id}/revoke",
    params(
        ("id" = Uuid, Path, description = "The device to remove"),
        ("x-spor-protocol" = u32, Header, description = "The sync protocol version"),
    ),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Revoked; the devices after it", body = Vec<DeviceInfo>),
        (status = 403, description = "Only coordinators revoke devices", body = ProtocolError),
        (status = 404, description = "No such device in this organisation", body = ProtocolError),
        (status = 409, description = "A device cannot remove itself", body = ProtocolError),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 400, description = "No protocol version, or a malformed request", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn revoke_device(
    device: Device,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    if !device.role.manages_devices() {
        return Err(ApiError::Forbidden);
    }
    if DeviceId(id) == device.id {
        return Err(ApiError::RevokeSelf);
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

/// A push as it arrives: its mutations are counted before any of them is read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PushEnvelope {
    mutations: Vec<Box<serde_json::value::RawValue>>,
}

/// Reads a push body within its device role's limit, counts its mutations, and only then reads
/// them: a body too large for the role, or with too many mutations, is refused unread.
async fn push_request(device: &Device, request: Request) -> Result<PushRequest, ApiError> {
    let limit = push_body_limit(device.role);
    let request = request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    let Json(envelope) = Json::<PushEnvelope>::from_request(request, &())
        .await
        .map_err(|rejection| json_rejection_within(rejection, limit))?;
    let count = envelope.mutations.len();
    if count > MAX_PUSH_BATCH {
        return Err(ApiError::BatchTooLarge {
            max: MAX_PUSH_BATCH,
            count,
        });
    }
    let mutations = envelope
        .mutations
        .iter()
        .enumerate()
        .map(|(position, mutation)| {
            serde_json::from_str(mutation.get()).map_err(|error| ApiError::BadRequest {
                status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                message: format!("mutation {position} does not read as one: {error}"),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(PushRequest { mutations })
}

/// Admits each mutation by spor-core's rulebook (role, validity, patch fields, stamps); those
/// admitted go to the storage in one transaction. A refused mutation is answered with its reason
/// and never holds up the others.
#[utoipa::path(
    post,
    path = "/api/v1/sync/push",
    params(("x-spor-protocol" = u32, Header, description = "The sync protocol version")),
    request_body = PushRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, description = "One result per mutation, in order", body = PushResponse),
        (status = 400, description = "A malformed body, or no protocol version", body = ProtocolError),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 413, description = "Too many mutations, or a body over the role's limit (4 MiB for coordinators, 2 MiB otherwise)", body = ProtocolError),
        (status = 415, description = "The body is not JSON", body = ProtocolError),
        (status = 422, description = "A body of the wrong shape (unknown fields, wrong types)", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn push(
    device: Device,
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<PushResponse>, ApiError> {
    let request = push_request(&device, request).await?;
    let count = request.mutations.len();
    let now = Utc::now();
    let context = Context {
        today: now.date_naive(),
    };
    let now_ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    let sender = rules::Sender {
        role: device.role,
        device: device.id,
    };
    let mut refused = Vec::new();
    let mut accepted = Vec::with_capacity(count);
    for (position, mutation) in request.mutations.into_iter().enumerate() {
        match rules::admit(sender, &mutation.change, context, now_ms) {
            Err(reason) => refused.push((
                position,
                MutationResult {
                    id: mutation.id,
                    outcome: Outcome::Rejected { reason },
                },
            )),
            Ok(()) => accepted.push(mutation),
        }
    }
    let mut results = state
        .storage
        .push(device.organisation, device.id, accepted, now)
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

/// The answer to a member's figures: kept for the umbrella.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FiguresKept {
    pub received_at: chrono::DateTime<Utc>,
}

#[utoipa::path(
    post,
    path = "/api/v1/aggregates",
    params(("x-spor-protocol" = u32, Header, description = "The sync protocol version")),
    security(("device_token" = [])),
    request_body(
        content = Object,
        description = "spor_core::aggregate::Sending: `to` (the umbrella's organisation), `aggregate` (docs/aggregate.schema.json) and `consent` (`from`, `to`, `given_at`) for exactly the aggregate's period"
    ),
    responses(
        (status = 200, description = "Kept for the umbrella; a second sending of the same package and period replaces the first", body = FiguresKept),
        (status = 400, description = "No protocol version, or a malformed request", body = ProtocolError),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 403, description = "Only coordinators send figures", body = ProtocolError),
        (status = 404, description = "No such organisation on this server", body = ProtocolError),
        (status = 413, description = "Larger than 64 KiB", body = ProtocolError),
        (status = 422, description = "The figures break the rules, the consent is not for their period, or they are addressed to the sender", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn send_figures(
    device: Device,
    State(state): State<AppState>,
    body: Result<Json<Sending>, JsonRejection>,
) -> Result<Json<FiguresKept>, ApiError> {
    if !device.role.exchanges_figures() {
        return Err(ApiError::Forbidden);
    }
    let Json(sending) = body.map_err(|rejection| json_rejection_within(rejection, MAX_SENDING_BYTES))?;
    sending
        .check(device.organisation)
        .map_err(|problems| ApiError::BadRequest {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: problems
                .iter()
                .map(|problem| problem.message(Language::En))
                .collect::<Vec<_>>()
                .join(" "),
        })?;
    let now = Utc::now();
    let kept = state
        .storage
        .keep_figures(device.organisation, device.id, &sending, now)
        .await?;
    if !kept {
        return Err(ApiError::BadRequest {
            status: StatusCode::NOT_FOUND,
            message: "no such organisation on this server".into(),
        });
    }
    tracing::info!(device = %device.id, to = %sending.to, "figures kept for an umbrella");
    Ok(Json(FiguresKept { received_at: now }))
}

#[utoipa::path(
    get,
    path = "/api/v1/aggregates",
    params(("x-spor-protocol" = u32, Header, description = "The sync protocol version")),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The figures members sent this organisation (spor_core::aggregate::Received), oldest first", body = [Object]),
        (status = 400, description = "No protocol version", body = ProtocolError),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 403, description = "Only coordinators read the members' figures", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
async fn received_figures(
    device: Device,
    State(state): State<AppState>,
) -> Result<Json<Vec<Received>>, ApiError> {
    if !device.role.exchanges_figures() {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(state.storage.received_figures(device.organisation).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PullQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/api/v1/sync/pull",
    params(
        ("since" = Option<u64>, Query, description = "The cursor of the last pull; 0 or absent from the start"),
        ("limit" = Option<u32>, Query, description = "At most this many changes (1 to 1000)"),
        ("x-spor-protocol" = u32, Header, description = "The sync protocol version"),
    ),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The changes this device may see after the cursor", body = PullResponse),
        (status = 410, description = "The cursor is unknown here: pull again from 0", body = ProtocolError),
        (status = 426, description = "Another protocol version", body = ProtocolError),
        (status = 400, description = "No protocol version, or a malformed query", body = ProtocolError),
        (status = 401, description = "No valid token, or the device was revoked", body = ProtocolError),
        (status = 429, description = "Too many requests; see Retry-After", body = ProtocolError),
        (status = 503, description = "The database did not answer in time; nothing was changed, a retry is safe", body = ProtocolError),
    )
)]
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
        .pull(device.organisation, device.id, &topics, query.since, limit)
        .await?;
    Ok(Json(pulled))
}

async fn api_not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

async fn time_limit(request: Request, next: axum::middleware::Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::TimedOut {
            seconds: REQUEST_TIMEOUT.as_secs(),
        }
        .into_response(),
    }
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
