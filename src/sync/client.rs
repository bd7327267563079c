//! The HTTP side of sync: the spor-server API, spoken with `fetch` from the page's own origin (the
//! server serves the app, and the content security policy allows only that origin).

use serde::Serialize;
use serde::de::DeserializeOwned;
use spor_core::access::DeviceRole;
use spor_core::aggregate::{Received, Sending};
use spor_core::ids::DeviceId;
use spor_core::protocol::{
    API_PREFIX, ApiError, DeviceInfo, ErrorCode, OpenPairingCode, PROTOCOL_HEADER, PROTOCOL_VERSION,
    PairRequest, PairResponse, PairingCodeRequest, PairingCodeResponse, SERVER_TIME_HEADER, api_route,
};
use spor_core::sync::{PullResponse, PushResponse};
use thiserror::Error;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The full path of an API route without parameters.
fn api(route: &str) -> String {
    format!("{API_PREFIX}{route}")
}

/// How long one request may take before it counts as a network failure.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Why talking to the server failed. Every variant but `Refused` leaves the outbox as it was.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SyncError {
    #[error("no connection to the server")]
    Network,
    #[error("the server failed ({status}); it will be tried again")]
    Server { status: u16 },
    /// A coordinator removed this device from the organisation.
    #[error("this device was removed from the organisation")]
    Revoked,
    /// The device token is not accepted (e.g. the server's data was reset).
    #[error("the server does not recognise this device")]
    Unauthorized,
    /// The server speaks a newer protocol: the app must update first.
    #[error("the server needs a newer version of the app")]
    UpdateRequired,
    /// The server no longer knows the pull cursor: pull again from the start.
    #[error("the server asks to pull again from the start")]
    CursorGone,
    #[error("the pairing code is unknown, used or expired")]
    InvalidCode,
    #[error("the server refused the request: {message}")]
    Refused { status: u16, message: String },
    #[error("the server's answer could not be read")]
    BadAnswer,
    #[error("the device's storage failed: {0}")]
    Store(#[from] crate::store::StoreError),
}

/// An answer and the server's clock when it sent it.
pub struct Answer<T> {
    pub body: T,
    pub server_time: Option<chrono::DateTime<chrono::Utc>>,
}

/// A request body serialised before it is sent, as a `Blob` of UTF-8 JSON: a sync prepares the
/// next push while the one before is on the wire, and the browser uploads a blob without copying
/// it through the page again (a byte array body took a third longer to reach the server).
pub struct JsonBody(web_sys::Blob);

impl JsonBody {
    pub fn new<B: Serialize>(body: &B) -> JsonBody {
        let json = serde_json::to_vec(body).expect("wire types always serialise");
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(json.as_slice()));
        JsonBody(web_sys::Blob::new_with_u8_array_sequence(&parts).expect("bytes always make a blob"))
    }

    /// A `PushRequest` around a JSON array of mutations: the browser joins the parts.
    pub fn push_request(mutations_json: &js_sys::JsString) -> JsonBody {
        let parts = js_sys::Array::of3(&"{\"mutations\":".into(), mutations_json, &"}".into());
        JsonBody(web_sys::Blob::new_with_str_sequence(&parts).expect("strings always make a blob"))
    }

    /// The body as the server receives it.
    pub async fn text(&self) -> Option<String> {
        JsFuture::from(self.0.text()).await.ok()?.as_string()
    }
}

/// The API of the server that served this page, with this device's token.
#[derive(Clone)]
pub struct ServerClient {
    token: Option<String>,
}

impl ServerClient {
    pub fn paired(token: &str) -> ServerClient {
        ServerClient {
            token: Some(token.to_owned()),
        }
    }

    pub fn unpaired() -> ServerClient {
        ServerClient { token: None }
    }

    pub async fn pair(&self, code: &str, device_name: &str) -> Result<PairResponse, SyncError> {
        let request = PairRequest {
            code: code.to_owned(),
            device_name: device_name.to_owned(),
        };
        self.send("POST", &api(api_route::PAIR), Some(&JsonBody::new(&request)))
            .await
            .map(|answer| answer.body)
    }

    /// A pairing code for another device (coordinators only).
    pub async fn create_pairing_code(&self, role: DeviceRole) -> Result<PairingCodeResponse, SyncError> {
        self.send(
            "POST",
            &api(api_route::PAIRING_CODES),
            Some(&JsonBody::new(&PairingCodeRequest { role })),
        )
        .await
        .map(|answer| answer.body)
    }

    /// The organisation's pairing codes not used yet (coordinators only).
    pub async fn open_pairing_codes(&self) -> Result<Vec<OpenPairingCode>, SyncError> {
        self.send("GET", &api(api_route::PAIRING_CODES), None)
            .await
            .map(|answer| answer.body)
    }

    /// Cancels an unused pairing code; answers the codes still open (coordinators only).
    pub async fn cancel_pairing_code(&self, id: uuid::Uuid) -> Result<Vec<OpenPairingCode>, SyncError> {
        self.send(
            "POST",
            &api_route::with_id(api_route::CANCEL_PAIRING_CODE, id),
            None,
        )
        .await
        .map(|answer| answer.body)
    }

    /// The organisation's devices (coordinators only).
    pub async fn devices(&self) -> Result<Vec<DeviceInfo>, SyncError> {
        self.send("GET", &api(api_route::DEVICES), None)
            .await
            .map(|answer| answer.body)
    }

    /// Removes a device from the organisation; answers the device list after it (coordinators only).
    pub async fn revoke(&self, device: DeviceId) -> Result<Vec<DeviceInfo>, SyncError> {
        self.send(
            "POST",
            &api_route::with_id(api_route::REVOKE_DEVICE, device.0),
            None,
        )
        .await
        .map(|answer| answer.body)
    }

    /// Sends the organisation's figures to its umbrella on this server (coordinators only).
    pub async fn send_figures(&self, sending: &Sending) -> Result<(), SyncError> {
        self.send::<serde::de::IgnoredAny>("POST", &api(api_route::AGGREGATES), Some(&JsonBody::new(sending)))
            .await
            .map(drop)
    }

    /// The figures members sent this organisation (coordinators only).
    pub async fn received_figures(&self) -> Result<Vec<Received>, SyncError> {
        self.send("GET", &api(api_route::AGGREGATES), None)
            .await
            .map(|answer| answer.body)
    }

    /// Sends a `PushRequest` serialised beforehand.
    pub async fn push(&self, push: &JsonBody) -> Result<Answer<PushResponse>, SyncError> {
        self.send("POST", &api(api_route::PUSH), Some(push)).await
    }

    pub async fn pull(&self, since: u64) -> Result<Answer<PullResponse>, SyncError> {
        self.send("GET", &format!("{}?since={since}", api(api_route::PULL)), None)
            .await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<&JsonBody>,
    ) -> Result<Answer<T>, SyncError> {
        let window = web_sys::window().ok_or(SyncError::Network)?;
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        let headers = web_sys::Headers::new().map_err(|_| SyncError::Network)?;
        headers
            .set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
            .map_err(|_| SyncError::Network)?;
        if let Some(token) = &self.token {
            headers
                .set("authorization", &format!("Bearer {token}"))
                .map_err(|_| SyncError::Network)?;
        }
        if let Some(body) = body {
            headers
                .set("content-type", "application/json")
                .map_err(|_| SyncError::Network)?;
            init.set_body(&body.0);
        }
        init.set_headers(&headers);
        let abort = web_sys::AbortController::new().map_err(|_| SyncError::Network)?;
        init.set_signal(Some(&abort.signal()));
        let timer = leptos::prelude::set_timeout_with_handle(move || abort.abort(), TIMEOUT).ok();
        let response = JsFuture::from(window.fetch_with_str_and_init(path, &init)).await;
        if let Some(timer) = timer {
            timer.clear();
        }
        let response: web_sys::Response = response
            .map_err(|_| SyncError::Network)?
            .dyn_into()
            .map_err(|_| SyncError::Network)?;
        let status = response.status();
        let server_time = response
            .headers()
            .get(SERVER_TIME_HEADER)
            .ok()
            .flatten()
            .and_then(|text| chrono::DateTime::parse_from_rfc3339(&text).ok())
            .map(|time| time.with_timezone(&chrono::Utc));
        // The answer's bytes as they came, parsed in place: no detour through a JavaScript string.
        let bytes = match response.array_buffer() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        if (200..300).contains(&status) {
            let body = serde_json::from_slice(&bytes).map_err(|_| SyncError::BadAnswer)?;
            return Ok(Answer { body, server_time });
        }
        let error: Option<ApiError> = serde_json::from_slice(&bytes).ok();
        // `None`: not our server's answer (a captive portal or a proxy's error page); `Some(None)`:
        // a code this version does not know.
        let code = error.as_ref().map(|error| ErrorCode::parse(&error.error));
        Err(match (status, code) {
            (401, Some(Some(ErrorCode::DeviceRevoked))) => SyncError::Revoked,
            (401, _) => SyncError::Unauthorized,
            (426, _) => SyncError::UpdateRequired,
            (410, _) => SyncError::CursorGone,
            (400, Some(Some(ErrorCode::InvalidPairingCode))) => SyncError::InvalidCode,
            (500.., _) | (408, _) | (429, _) => SyncError::Server { status },
            (_, None) => SyncError::Server { status },
            _ => SyncError::Refused {
                status,
                message: error.map(|error| error.message).unwrap_or_default(),
            },
        })
    }
}
