//! Sync as the app lives it: when to sync (start, back online, page visible, 2 s after a local
//! write, every 60 s while something waits, "Sync now"), retries with backoff after failures, and
//! a status the header and Settings show. One sync at a time, also across tabs.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use gloo_storage::Storage as _;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use spor_core::access::DeviceRole;
use spor_core::sync::backoff_ms;

use crate::store::{self, ServerLink};
use crate::sync::{ServerClient, SyncError, SyncReport, sync_once, tab_lock};

/// How long after a local write sync starts: taps in a burst go in one push.
const AFTER_WRITE: Duration = Duration::from_secs(2);
/// How often to try again while changes wait (besides the backoff after failures).
const WHILE_WAITING: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq)]
pub enum SyncStatus {
    /// Not paired with a server: everything stays on this device (and in its backups).
    Unpaired,
    Idle,
    Syncing,
    /// The last sync failed; it is tried again later (everything unsent stays queued).
    Failed(SyncError),
    /// A coordinator removed this device: sync has stopped and the data is to be deleted.
    Revoked,
}

#[derive(Default)]
struct Scheduler {
    running: bool,
    /// A sync was asked for while one ran: run again when it ends.
    again: bool,
    /// Failed syncs in a row, for the backoff.
    failures: u32,
    retry: Option<TimeoutHandle>,
    after_write: Option<TimeoutHandle>,
}

#[derive(Clone, Copy)]
pub struct SyncContext {
    status: RwSignal<SyncStatus>,
    pending: RwSignal<u32>,
    last_synced: RwSignal<Option<DateTime<Utc>>>,
    link: RwSignal<Option<ServerLink>>,
    /// Whether the pairing has been read from storage: until then the role is not known.
    link_known: RwSignal<bool>,
    pulled_changes: RwSignal<u64>,
    clock_offset: RwSignal<Option<TimeDelta>>,
    scheduler: StoredValue<Scheduler, LocalStorage>,
}

impl SyncContext {
    pub fn status(self) -> ReadSignal<SyncStatus> {
        self.status.read_only()
    }

    /// Changes waiting for the server.
    pub fn pending(self) -> ReadSignal<u32> {
        self.pending.read_only()
    }

    pub fn last_synced(self) -> ReadSignal<Option<DateTime<Utc>>> {
        self.last_synced.read_only()
    }

    pub fn link(self) -> ReadSignal<Option<ServerLink>> {
        self.link.read_only()
    }

    /// Whether the pairing (and so this device's role) has been read from storage.
    pub fn link_known(self) -> ReadSignal<bool> {
        self.link_known.read_only()
    }

    /// Whether this device's role allows `rule` (spor-core's `DeviceRole` rules); a device used
    /// alone, paired with no server, may do everything.
    pub fn role_allows(self, rule: fn(DeviceRole) -> bool) -> Signal<bool> {
        let link = self.link;
        Signal::derive(move || link.with(|link| link.as_ref().is_none_or(|link| rule(link.role))))
    }

    /// Moves each time pulled changes changed data here: pages that show stored data track it.
    pub fn pulled_changes(self) -> ReadSignal<u64> {
        self.pulled_changes.read_only()
    }

    /// The server's clock minus this device's, when they differ by more than a day.
    pub fn clock_offset(self) -> ReadSignal<Option<TimeDelta>> {
        self.clock_offset.read_only()
    }

    /// Syncs now (the button, coming online, page visible), whatever the backoff says.
    pub fn sync_now(self) {
        self.scheduler.update_value(|scheduler| {
            if let Some(retry) = scheduler.retry.take() {
                retry.clear();
            }
        });
        self.run();
    }

    fn run(self) {
        let paired = self.link.with_untracked(Option::is_some);
        let revoked = self
            .status
            .with_untracked(|status| *status == SyncStatus::Revoked);
        if !paired || revoked || !window().navigator().on_line() {
            return;
        }
        let busy = self.scheduler.try_update_value(|scheduler| {
            if scheduler.running {
                scheduler.again = true;
            }
            std::mem::replace(&mut scheduler.running, true)
        });
        if busy != Some(false) {
            return;
        }
        self.status.set(SyncStatus::Syncing);
        spawn_local(async move {
            let outcome = sync_round().await;
            self.finish(outcome).await;
        });
    }

    async fn finish(self, outcome: Option<Result<Option<SyncReport>, SyncError>>) {
        self.refresh_pending().await;
        let again = self
            .scheduler
            .try_update_value(|scheduler| {
                scheduler.running = false;
                std::mem::take(&mut scheduler.again)
            })
            .unwrap_or(false);
        match outcome {
            // Another tab is syncing the same database.
            None | Some(Ok(None)) => {
                self.status.try_set(SyncStatus::Idle);
            }
            Some(Ok(Some(report))) => {
                self.scheduler.update_value(|scheduler| scheduler.failures = 0);
                let now = Utc::now();
                self.last_synced.try_set(Some(now));
                self.status.try_set(SyncStatus::Idle);
                if report.pulled > 0 {
                    self.pulled_changes.try_update(|count| *count += 1);
                }
                if let Some(server_time) = report.server_time {
                    let offset = server_time - now;
                    self.clock_offset
                        .try_set((offset.abs() > TimeDelta::days(1)).then_some(offset));
                }
                if again {
                    self.run();
                }
            }
            Some(Err(SyncError::Revoked)) => {
                self.status.try_set(SyncStatus::Revoked);
                // A revoked phone may be lost or stolen: its records go now, not after a tap.
                spawn_local(async move {
                    let _ = self.wipe_revoked_device().await;
                });
            }
            Some(Err(error)) => {
                let retry = matches!(
                    error,
                    SyncError::Network
                        | SyncError::Server { .. }
                        | SyncError::BadAnswer
                        | SyncError::Store(_)
                );
                self.status.try_set(SyncStatus::Failed(error));
                if retry {
                    self.retry_later();
                }
            }
        }
    }

    fn retry_later(self) {
        let failures = self.scheduler.with_value(|scheduler| scheduler.failures);
        let wait = Duration::from_millis(backoff_ms(failures, js_sys::Math::random()));
        let handle = set_timeout_with_handle(move || self.run(), wait).ok();
        self.scheduler.update_value(|scheduler| {
            scheduler.failures = scheduler.failures.saturating_add(1);
            if let Some(previous) = std::mem::replace(&mut scheduler.retry, handle) {
                previous.clear();
            }
        });
    }

    fn after_local_change(self) {
        spawn_local(async move { self.refresh_pending().await });
        let handle = set_timeout_with_handle(move || self.run(), AFTER_WRITE).ok();
        self.scheduler.update_value(|scheduler| {
            if let Some(previous) = std::mem::replace(&mut scheduler.after_write, handle) {
                previous.clear();
            }
        });
    }

    async fn refresh_pending(self) {
        if let Ok(count) = async { store::shared().await?.outbox_count().await }.await {
            self.pending.try_set(count);
        }
    }

    /// Pairs this device with the server that served the app, then syncs: what was recorded
    /// before pairing goes to the organisation.
    pub async fn pair(self, code: &str, device_name: &str) -> Result<(), SyncError> {
        let paired = ServerClient::unpaired().pair(code, device_name).await?;
        let link = ServerLink {
            device: paired.device,
            token: paired.token,
            role: paired.role,
            organisation: paired.organisation,
            organisation_name: paired.organisation_name,
            paired_at: Utc::now(),
        };
        store::shared().await?.save_server_link(&link).await?;
        self.link.set(Some(link));
        self.status.set(SyncStatus::Idle);
        self.run();
        Ok(())
    }

    /// Unpairs: sync stops; every record and the outbox stay on this device.
    pub async fn unpair(self) -> Result<(), SyncError> {
        store::shared().await?.forget_server().await?;
        self.link.set(None);
        self.status.set(SyncStatus::Unpaired);
        Ok(())
    }

    /// After the user was told this device was revoked: delete its data and start afresh.
    /// Deletes the organisation's records from this revoked device, leaves kiosk mode, and starts
    /// again with a notice that says why (see `RevokedBanner`).
    pub async fn wipe_revoked_device(self) -> Result<(), SyncError> {
        store::shared().await?.wipe().await?;
        crate::contexts::kiosk_context::forget_kiosk_mode();
        remember_wipe();
        let _ = window().location().reload();
        Ok(())
    }
}

/// Where the app remembers, across the reload after a revoked device's wipe, to say why.
const WIPED_KEY: &str = "spor.revoked_wipe";

fn remember_wipe() {
    let _ = gloo_storage::LocalStorage::set(WIPED_KEY, true);
}

/// Whether this device's records were deleted because it was revoked, and nobody has read that yet.
pub fn wiped_after_revocation() -> bool {
    gloo_storage::LocalStorage::get::<bool>(WIPED_KEY).unwrap_or(false)
}

/// The notice of the wipe was read.
pub fn dismiss_wipe_notice() {
    gloo_storage::LocalStorage::delete(WIPED_KEY);
}

/// One sync round under the tab lock; `None` while another tab syncs. The sync engine (the
/// server's answers and the rules that apply them) is a part of the app of its own, loaded at the
/// first sync rather than before the first screen (xtask/src/wasm_split.rs).
#[cfg_attr(feature = "split", lazy)]
async fn sync_round() -> Option<Result<Option<SyncReport>, SyncError>> {
    tab_lock::with_sync_lock(async {
        let store = store::shared().await?;
        let Some(link) = store.server_link().await? else {
            return Ok(None);
        };
        sync_once(&store, &ServerClient::paired(&link.token))
            .await
            .map(Some)
    })
    .await
}

pub fn provide_sync() -> SyncContext {
    let sync = SyncContext {
        status: RwSignal::new(SyncStatus::Unpaired),
        pending: RwSignal::new(0),
        last_synced: RwSignal::new(None),
        link: RwSignal::new(None),
        link_known: RwSignal::new(false),
        pulled_changes: RwSignal::new(0),
        clock_offset: RwSignal::new(None),
        scheduler: StoredValue::new_local(Scheduler::default()),
    };
    provide_context(sync);
    spawn_local(async move {
        let Ok(store) = store::shared().await else {
            // No storage (the app says so): a device used alone, as far as anyone can tell.
            sync.link_known.set(true);
            return;
        };
        let link = store.server_link().await.ok().flatten();
        let paired = link.is_some();
        sync.link.set(link);
        sync.link_known.set(true);
        sync.refresh_pending().await;
        if paired {
            sync.status.set(SyncStatus::Idle);
            sync.run();
        }
    });
    store::on_local_change(move || sync.after_local_change());
    // The app root lives as long as the page, so these are never removed.
    window_event_listener(ev::online, move |_| sync.sync_now());
    window_event_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            sync.sync_now();
        }
    });
    let _ = set_interval_with_handle(
        move || {
            if sync.pending.get_untracked() > 0 {
                sync.run();
            }
        },
        WHILE_WAITING,
    );
    sync
}

pub fn use_sync() -> SyncContext {
    expect_context::<SyncContext>()
}
