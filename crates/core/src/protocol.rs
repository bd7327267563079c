//! Wire types shared by the server and the app (DESIGN.md section 4). Nothing here is declared twice.

use serde::{Deserialize, Serialize};

/// The sync protocol version this build speaks. Every request carries it in [`PROTOCOL_HEADER`];
/// a server that no longer speaks it answers 426 and the app offers an update.
pub const PROTOCOL_VERSION: u32 = 1;

/// The request header that carries [`PROTOCOL_VERSION`].
pub const PROTOCOL_HEADER: &str = "x-spor-protocol";

/// `GET /api/v1/health`: whether the server and its database answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: HealthStatus,
    /// The server's package version.
    pub version: String,
    /// The newest protocol version the server speaks.
    pub protocol: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    /// The server runs but its database does not answer.
    DatabaseUnavailable,
}

/// The body of every error the API answers with, so the app can show a clear message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// A stable, machine-readable code, e.g. `not_found`.
    pub error: String,
    /// A short English explanation for developers and logs; the app shows its own translated text.
    pub message: String,
}

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
