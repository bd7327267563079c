//! Where the server keeps its data, behind one trait so the routes do not depend on how it is kept
//! ([`crate::db::Database`]: SQLite or PostgreSQL).
//!
//! Everything the routes can decide from a request alone (authorisation, validation) is decided
//! before the storage is called; the storage makes the decisions that need stored state
//! (idempotency, natural-key dedupe, last-writer-wins per field) inside one transaction.

use std::path::Path;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use spor_core::access::{DeviceRole, Topic};
use spor_core::aggregate::{Received, Sending};
use spor_core::ids::{DeviceId, OrganisationId};
use spor_core::protocol::{DeviceInfo, OpenPairingCode};
use spor_core::sync::{Mutation, MutationResult, PullResponse};
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Error)]
pub enum StorageError {
    #[error("the database failed: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value does not read back (never expected; the server wrote it).
    #[error("a stored {0} is unreadable")]
    Corrupt(&'static str),
    #[error(
        "a PostgreSQL database is backed up with PostgreSQL's own tools, e.g. \
         `pg_dump --format=custom --file=spor.dump <database URL>`"
    )]
    BackupWithPgDump,
    #[error("could not create the backup file: {0}")]
    BackupFile(std::io::Error),
}

/// The answer to a pull whose cursor the server does not know (from another server, or older than
/// what it keeps): the device starts again from 0 and keeps its outbox.
#[derive(Debug, Error)]
pub enum PullError {
    #[error("the cursor {since} is unknown here; pull again from 0")]
    CursorGone { since: u64 },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A device as authentication needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    pub id: DeviceId,
    pub organisation: OrganisationId,
    pub role: DeviceRole,
    /// SHA-256 of the token's secret.
    pub secret_hash: Vec<u8>,
    pub revoked: bool,
}

/// A pairing code to store (hashed) until it is used or expires.
#[derive(Debug, Clone)]
pub struct NewPairingCode {
    /// How a coordinator names the code to cancel it (never the code, nor its hash).
    pub id: Uuid,
    pub code_hash: Vec<u8>,
    pub salt: Vec<u8>,
    pub organisation: OrganisationId,
    pub role: DeviceRole,
    pub expires_at: DateTime<Utc>,
    /// The device that made the code; none for the server operator's codes.
    pub created_by: Option<DeviceId>,
}

/// A device being paired.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub id: DeviceId,
    pub name: String,
    pub secret_hash: Vec<u8>,
}

/// What a redeemed pairing code gave the new device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paired {
    pub organisation: OrganisationId,
    pub organisation_name: String,
    pub role: DeviceRole,
}

#[async_trait]
pub trait Storage: Send + Sync + 'static {
    /// True when the database answers.
    async fn ping(&self) -> bool;

    async fn organisations(&self) -> Result<Vec<(OrganisationId, String)>, StorageError>;

    /// An organisation's name and the privacy notice it wrote, if it wrote one; `None` when this
    /// server holds no such organisation.
    async fn privacy_notice(
        &self,
        organisation: OrganisationId,
    ) -> Result<Option<(String, Option<String>)>, StorageError>;

    async fn create_organisation(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<OrganisationId, StorageError>;

    async fn add_pairing_code(&self, code: NewPairingCode) -> Result<(), StorageError>;

    /// Uses the code (once, before it expires) to pair `device`; `None` when the code is unknown,
    /// used or expired, which the caller does not tell apart (no oracle for guessing codes). A used
    /// code is deleted, and so is every expired one.
    async fn redeem_pairing_code(
        &self,
        typed_code: &str,
        device: NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Option<Paired>, StorageError>;

    /// The organisation's pairing codes that could still pair at `now`, newest first.
    async fn open_pairing_codes(
        &self,
        organisation: OrganisationId,
        now: DateTime<Utc>,
    ) -> Result<Vec<OpenPairingCode>, StorageError>;

    /// Deletes a pairing code of `organisation` before it is used; false when it has no such code.
    async fn cancel_pairing_code(&self, organisation: OrganisationId, id: Uuid)
    -> Result<bool, StorageError>;

    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>, StorageError>;

    async fn touch_device(&self, id: DeviceId, now: DateTime<Utc>) -> Result<(), StorageError>;

    async fn devices(&self, organisation: OrganisationId) -> Result<Vec<DeviceInfo>, StorageError>;

    /// Revokes a device of `organisation`; false when it has no such device.
    async fn revoke_device(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError>;

    /// Applies already authorised and validated mutations in one transaction, idempotently per
    /// mutation id, answering one result per mutation in order.
    async fn push(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        mutations: Vec<Mutation>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MutationResult>, StorageError>;

    /// Keeps a member's figures for its umbrella (checked by spor-core before), replacing an
    /// earlier sending of the same package and period; false when the umbrella is not here.
    async fn keep_figures(
        &self,
        from: OrganisationId,
        by: DeviceId,
        sending: &Sending,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError>;

    /// The figures members sent `to`, oldest first.
    async fn received_figures(&self, to: OrganisationId) -> Result<Vec<Received>, StorageError>;

    /// Changes of `topics` after `since`, at most `limit`, leaving out those `device` pushed itself
    /// (it has them already).
    async fn pull(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        topics: &[Topic],
        since: u64,
        limit: u32,
    ) -> Result<PullResponse, PullError>;

    /// A consistent copy of the whole database at `target`, taken while the server runs.
    async fn backup_to(&self, target: &Path) -> Result<(), StorageError>;

    async fn close(&self);
}
