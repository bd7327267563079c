//! Device tokens and pairing codes.
//!
//! A token is `id.secret`: the device id (to find the device) and a 256-bit random secret, of which
//! the server keeps only the SHA-256 and compares it in constant time. A secret that long needs no
//! slow hash: it cannot be guessed, only stolen. Pairing codes are short enough to type, so they
//! are single-use, expire, and are looked up by hash.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use spor_core::access::DeviceRole;
use spor_core::ids::{DeviceId, OrganisationId};
use spor_core::protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiError;
use crate::storage::NewPairingCode;

/// Crockford's base 32: no I, L, O or U; a typed O counts as 0 and I or L as 1.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH: usize = 8;

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes
}

pub fn hash(secret: &[u8]) -> Vec<u8> {
    Sha256::digest(secret).to_vec()
}

/// A new device token: the text to hand to the device once, and the hash to store.
pub struct NewToken {
    pub token: String,
    pub secret_hash: Vec<u8>,
}

pub fn new_token(device: DeviceId) -> NewToken {
    let secret = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    NewToken {
        secret_hash: hash(secret.as_bytes()),
        token: format!("{}.{secret}", device.0),
    }
}

/// Splits `id.secret`; `None` for anything else.
pub fn parse_token(token: &str) -> Option<(DeviceId, &str)> {
    let (id, secret) = token.split_once('.')?;
    let id = Uuid::parse_str(id).ok()?;
    (!secret.is_empty()).then_some((DeviceId(id), secret))
}

pub fn secret_matches(secret: &str, stored_hash: &[u8]) -> bool {
    hash(secret.as_bytes()).ct_eq(stored_hash).into()
}

/// What a new pairing code looks like, as a regular expression (for the API document).
pub const PAIRING_CODE_PATTERN: &str = "^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$";

/// A new pairing code, shown as `ABCD-EFGH`.
fn new_pairing_code() -> String {
    let bytes = random_bytes::<CODE_LENGTH>();
    let letters: String = bytes
        .iter()
        .map(|byte| CODE_ALPHABET[usize::from(byte % 32)] as char)
        .collect();
    format!("{}-{}", &letters[..4], &letters[4..])
}

/// A new pairing code for `organisation`: the code to show once, and what is stored of it (a hash
/// with a salt of its own, so a copy of the database does not give its codes away to a table of
/// all 40-bit hashes).
pub fn issue_pairing_code(
    organisation: OrganisationId,
    role: DeviceRole,
    expires_at: DateTime<Utc>,
    created_by: Option<DeviceId>,
) -> (String, NewPairingCode) {
    let code = new_pairing_code();
    let salt = random_bytes::<16>().to_vec();
    let stored = NewPairingCode {
        id: Uuid::now_v7(),
        code_hash: pairing_code_hash(&code, Some(&salt)),
        salt,
        organisation,
        role,
        expires_at,
        created_by,
    };
    (code, stored)
}

/// Whether `typed` is the code stored as `stored_hash` with `salt` (none for codes stored before
/// codes had salts).
pub fn pairing_code_matches(typed: &str, salt: Option<&[u8]>, stored_hash: &[u8]) -> bool {
    pairing_code_hash(typed, salt).ct_eq(stored_hash).into()
}

/// The hash a pairing code is stored by: case, spaces, dashes and the look-alikes O/0 and I/L/1
/// do not matter.
fn pairing_code_hash(code: &str, salt: Option<&[u8]>) -> Vec<u8> {
    let normalised: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    match salt {
        Some(salt) => hash(&[salt, normalised.as_bytes()].concat()),
        None => hash(normalised.as_bytes()),
    }
}

/// How often a device's "last seen" is written: a write on every request would queue each
/// device's requests behind every other's on SQLite's one writer.
pub const LAST_SEEN_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// When each device's "last seen" was last written, in memory.
#[derive(Debug, Default)]
pub struct LastSeen(std::sync::Mutex<std::collections::HashMap<DeviceId, Instant>>);

impl LastSeen {
    /// Whether `device`'s "last seen" is due to be written at `now` (and, if so, marks it written).
    pub fn is_due(&self, device: DeviceId, now: Instant) -> bool {
        let mut written = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let due = written
            .get(&device)
            .is_none_or(|last| now.saturating_duration_since(*last) >= LAST_SEEN_EVERY);
        if due {
            written.insert(device, now);
        }
        due
    }
}

/// A request in a protocol version this server speaks: others are answered 426, none 400.
#[derive(Debug, Clone, Copy)]
pub struct Protocol;

impl<S: Send + Sync> FromRequestParts<S> for Protocol {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Protocol, ApiError> {
        let Some(value) = parts.headers.get(PROTOCOL_HEADER) else {
            return Err(ApiError::MissingProtocol);
        };
        match value
            .to_str()
            .ok()
            .and_then(|text| text.trim().parse::<u32>().ok())
        {
            Some(PROTOCOL_VERSION) => Ok(Protocol),
            _ => Err(ApiError::UnsupportedProtocol),
        }
    }
}

/// The address a request came from: the peer's or, when the peer is a reverse proxy on this
/// machine, the first address of its `X-Forwarded-For`. Unknown (a server built without connection
/// info) is the unspecified address, one bucket for all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<ClientAddress, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        let forwarded = || {
            parts
                .headers
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .split(',')
                .next()?
                .trim()
                .parse::<IpAddr>()
                .ok()
        };
        Ok(ClientAddress(match peer {
            Some(peer) if peer.is_loopback() => forwarded().unwrap_or(peer),
            Some(peer) => peer,
            None => IpAddr::from([0, 0, 0, 0]),
        }))
    }
}

impl ClientAddress {
    /// Takes one request from this address's bucket: for requests that name no device.
    pub fn limit(self, state: &AppState) -> Result<(), ApiError> {
        state
            .address_limiter
            .check(self.0, Instant::now())
            .map_err(ApiError::rate_limited)
    }
}

/// An authenticated, unrevoked device speaking this protocol: the extractor every sync and device
/// route takes, so no handler can forget the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    pub id: DeviceId,
    pub organisation: OrganisationId,
    pub role: DeviceRole,
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Device, ApiError> {
        Protocol::from_request_parts(parts, state).await?;
        let Ok(address) = ClientAddress::from_request_parts(parts, state).await;
        // A token that is no device's counts against its client's address, never against the
        // devices that share that address (phones on one hall's network).
        let unauthorized = || address.limit(state).and(Err(ApiError::Unauthorized));
        let Some((id, secret)) = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .and_then(|token| parse_token(token.trim()))
        else {
            return unauthorized();
        };
        let Some(record) = state.storage.device(id).await? else {
            return unauthorized();
        };
        if !secret_matches(secret, &record.secret_hash) {
            return unauthorized();
        }
        if record.revoked {
            return Err(ApiError::DeviceRevoked);
        }
        state
            .limiter
            .check(id, Instant::now())
            .map_err(ApiError::rate_limited)?;
        if state.last_seen.is_due(id, Instant::now()) {
            state.storage.touch_device(id, chrono::Utc::now()).await?;
        }
        Ok(Device {
            id,
            organisation: record.organisation,
            role: record.role,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_the_device_id_and_a_secret_whose_hash_matches() {
        let device = DeviceId(Uuid::now_v7());
        let token = new_token(device);
        let (id, secret) = parse_token(&token.token).unwrap();
        assert_eq!(id, device);
        assert_eq!(
            URL_SAFE_NO_PAD.decode(secret).unwrap().len(),
            32,
            "256 random bits"
        );
        assert!(secret_matches(secret, &token.secret_hash));
        assert!(!secret_matches("guess", &token.secret_hash));
        assert_ne!(new_token(device).token, token.token);
    }

    #[test]
    fn last_seen_is_written_at_most_once_a_minute_per_device() {
        let seen = LastSeen::default();
        let (one, other) = (DeviceId(Uuid::from_u128(1)), DeviceId(Uuid::from_u128(2)));
        let start = Instant::now();
        assert!(seen.is_due(one, start));
        assert!(!seen.is_due(one, start + std::time::Duration::from_secs(59)));
        assert!(seen.is_due(other, start + std::time::Duration::from_secs(1)));
        assert!(seen.is_due(one, start + LAST_SEEN_EVERY));
    }

    #[test]
    fn malformed_tokens_are_not_parsed() {
        for token in [
            "",
            ".",
            "not-a-uuid.secret",
            "0190f0a0-0000-7000-8000-000000000000.",
            "secret",
        ] {
            assert_eq!(parse_token(token), None, "{token:?}");
        }
    }

    #[test]
    fn pairing_codes_are_short_and_typed_forgivingly() {
        let code = new_pairing_code();
        assert_eq!(code.len(), 9);
        assert!(
            code.chars()
                .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8)))
        );
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(pairing_code_hash(&typed, None), pairing_code_hash(&code, None));
        assert_eq!(
            pairing_code_hash("O1ab-cdef", None),
            pairing_code_hash("0LAB CDEF", None)
        );
        assert_ne!(
            pairing_code_hash(&new_pairing_code(), None),
            pairing_code_hash(&code, None)
        );
    }

    #[test]
    fn a_code_is_stored_with_a_salt_of_its_own_and_matches_only_itself() {
        let organisation = OrganisationId(Uuid::now_v7());
        let expires_at = Utc::now();
        let (code, stored) = issue_pairing_code(organisation, DeviceRole::Volunteer, expires_at, None);
        let (other_code, other) = issue_pairing_code(organisation, DeviceRole::Volunteer, expires_at, None);
        assert_ne!(stored.salt, other.salt);
        assert_ne!(
            stored.code_hash,
            pairing_code_hash(&code, None),
            "the hash is salted"
        );
        let typed = code.to_lowercase().replace('-', " ");
        assert!(pairing_code_matches(
            &typed,
            Some(&stored.salt),
            &stored.code_hash
        ));
        assert!(!pairing_code_matches(
            &other_code,
            Some(&stored.salt),
            &stored.code_hash
        ));
        // A code stored before codes had salts still pairs.
        assert!(pairing_code_matches(&code, None, &pairing_code_hash(&code, None)));
    }
}
