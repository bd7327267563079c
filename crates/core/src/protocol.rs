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
