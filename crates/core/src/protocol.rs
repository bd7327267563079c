//! Wire types shared by the server and the app (DESIGN.md section 4). Nothing here is declared twice.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::access::DeviceRole;
use crate::ids::{DeviceId, OrganisationId};

/// The sync protocol version this build speaks. Every request carries it in [`PROTOCOL_HEADER`];
/// a server that no longer speaks it answers 426 and the app offers an update.
pub const PROTOCOL_VERSION: u32 = 1;

/// The request header that carries [`PROTOCOL_VERSION`].
pub const PROTOCOL_HEADER: &str = "x-spor-protocol";

/// `GET /api/v1/health`: whether the server and its database answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: HealthStatus,
    /// The server's package version.
    pub version: String,
    /// The newest protocol version the server speaks.
    pub protocol: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    /// The server runs but its database does not answer.
    DatabaseUnavailable,
}

/// The stable, machine-readable codes of the API's error answers (`ApiError::error`): one list
/// for the server that sends them and the app that reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    NotFound,
    MethodNotAllowed,
    DatabaseUnavailable,
    MissingProtocol,
    UnsupportedProtocol,
    Unauthorized,
    DeviceRevoked,
    Forbidden,
    InvalidPairingCode,
    UnknownDevice,
    UnknownPairingCode,
    RevokeSelf,
    PayloadTooLarge,
    BadRequest,
    BatchTooLarge,
    CursorGone,
    RateLimited,
    TimedOut,
    StorageFailed,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 19] = [
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::DatabaseUnavailable,
        ErrorCode::MissingProtocol,
        ErrorCode::UnsupportedProtocol,
        ErrorCode::Unauthorized,
        ErrorCode::DeviceRevoked,
        ErrorCode::Forbidden,
        ErrorCode::InvalidPairingCode,
        ErrorCode::UnknownDevice,
        ErrorCode::UnknownPairingCode,
        ErrorCode::RevokeSelf,
        ErrorCode::PayloadTooLarge,
        ErrorCode::BadRequest,
        ErrorCode::BatchTooLarge,
        ErrorCode::CursorGone,
        ErrorCode::RateLimited,
        ErrorCode::TimedOut,
        ErrorCode::StorageFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::DatabaseUnavailable => "database_unavailable",
            ErrorCode::MissingProtocol => "missing_protocol",
            ErrorCode::UnsupportedProtocol => "unsupported_protocol",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::DeviceRevoked => "device_revoked",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::InvalidPairingCode => "invalid_pairing_code",
            ErrorCode::UnknownDevice => "unknown_device",
            ErrorCode::UnknownPairingCode => "unknown_pairing_code",
            ErrorCode::RevokeSelf => "revoke_self",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::BatchTooLarge => "batch_too_large",
            ErrorCode::CursorGone => "cursor_gone",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::TimedOut => "timed_out",
            ErrorCode::StorageFailed => "storage_failed",
        }
    }

    /// The code an answer names; `None` for one this version does not know (a newer server's).
    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|code| code.as_str() == text)
    }
}

/// Where the API lives: the server nests its routes (`api_route`) under it, the app prefixes them.
pub const API_PREFIX: &str = "/api/v1";

/// The API's routes below [`API_PREFIX`], written once for the server's router and the app's client.
/// `{id}` stands for a path parameter.
pub mod api_route {
    pub const HEALTH: &str = "/health";
    pub const OPENAPI: &str = "/openapi.json";
    pub const PAIR: &str = "/pair";
    pub const PAIRING_CODES: &str = "/pairing-codes";
    pub const CANCEL_PAIRING_CODE: &str = "/pairing-codes/{id}/cancel";
    pub const DEVICES: &str = "/devices";
    pub const REVOKE_DEVICE: &str = "/devices/{id}/revoke";
    pub const PUSH: &str = "/sync/push";
    pub const PULL: &str = "/sync/pull";
    /// A member's figures for its umbrella: sent (POST) and, by the umbrella, read (GET).
    pub const AGGREGATES: &str = "/aggregates";

    /// The full path of `route` with `{id}` filled in, as a client requests it.
    pub fn with_id(route: &str, id: impl std::fmt::Display) -> String {
        format!("{}{}", super::API_PREFIX, route.replace("{id}", &id.to_string()))
    }
}

/// The body of every error the API answers with, so the app can show a clear message.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// A stable, machine-readable code, e.g. `not_found`.
    pub error: String,
    /// A short English explanation for developers and logs; the app shows its own translated text.
    pub message: String,
}

/// `POST /api/v1/pair`: trade a one-time pairing code for a device token.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairRequest {
    pub code: String,
    /// A name the coordinator will recognise in the device list, e.g. "Telefon i caféen".
    #[serde(default)]
    pub device_name: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairResponse {
    pub device: DeviceId,
    /// `id.secret`, sent as `Authorization: Bearer`; the server keeps only a hash of the secret.
    pub token: String,
    pub role: DeviceRole,
    pub organisation: OrganisationId,
    pub organisation_name: String,
}

/// `POST /api/v1/pairing-codes` (coordinators): a code for another device.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairingCodeRequest {
    pub role: DeviceRole,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairingCodeResponse {
    /// Short, single-use, expiring; typed in by hand or opened from the link.
    pub code: String,
    /// The pairing link (the QR code's content).
    pub link: String,
    pub role: DeviceRole,
    pub expires_at: DateTime<Utc>,
}

/// One paired device, as a coordinator sees it in `GET /api/v1/devices`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    pub id: DeviceId,
    pub name: String,
    pub role: DeviceRole,
    pub paired_at: DateTime<Utc>,
    #[serde(default)]
    pub last_seen_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/pairing-codes` (coordinators): a pairing code not used yet, so a coordinator can
/// see what could still pair and cancel it. The code itself is never shown again.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenPairingCode {
    pub id: uuid::Uuid,
    pub role: DeviceRole,
    pub expires_at: DateTime<Utc>,
    /// The name of the device that made it; none when the server's operator made it.
    #[serde(default)]
    pub made_by: Option<String>,
}

/// The server's clock, sent as the `x-spor-server-time` header (RFC 3339) on every API answer, so
/// the app can warn when its own clock is more than a day off.
pub const SERVER_TIME_HEADER: &str = "x-spor-server-time";

#[cfg(test)]
mod tests {
    #[test]
    fn every_error_code_reads_back_as_itself_and_no_two_share_a_name() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        assert_eq!(ErrorCode::parse("newer_than_this_app"), None);
        assert_eq!(
            api_route::with_id(api_route::REVOKE_DEVICE, 7),
            "/api/v1/devices/7/revoke"
        );
    }

    use super::*;

    #[test]
    fn health_json_has_stable_field_names() {
        let health = Health {
            status: HealthStatus::Ok,
            version: "0.1.0".into(),
            protocol: PROTOCOL_VERSION,
        };
        let json = serde_json::to_value(&health).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"status": "ok", "version": "0.1.0", "protocol": 1})
        );
        assert_eq!(serde_json::from_value::<Health>(json).unwrap(), health);
    }
}
