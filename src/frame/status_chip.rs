use chrono::Timelike;
use leptos::prelude::*;

use crate::contexts::connectivity_context::use_connectivity;
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::{SyncStatus, use_sync};
use crate::i18n::Key;

/// What the header chip says: the connection, and for a paired device where its changes are.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Offline { pending: u32 },
    Online,
    Syncing,
    Pending(u32),
    SyncedAt(String),
    Revoked,
}

/// The header chip: offline, syncing, "N not synced" or "synced at HH:MM", told by text and an icon
/// shape, never by colour alone.
#[component]
pub fn StatusChip() -> impl IntoView {
    let i18n = use_i18n();
    let online = use_connectivity().online;
    let sync = use_sync();
    let shown = Memo::new(move |_| {
        let status = sync.status().get();
        let paired = sync.link().with(Option::is_some);
        let pending = if paired { sync.pending().get() } else { 0 };
        if status == SyncStatus::Revoked {
            return Shown::Revoked;
        }
        if !online.get() {
            return Shown::Offline { pending };
        }
        if !paired {
            return Shown::Online;
        }
        match (status, pending, sync.last_synced().get()) {
            (SyncStatus::Syncing, _, _) => Shown::Syncing,
            (_, 1.., _) => Shown::Pending(pending),
            (_, 0, Some(time)) => {
                let local = time.with_timezone(&chrono::Local);
                Shown::SyncedAt(format!("{:02}:{:02}", local.hour(), local.minute()))
            }
            (_, 0, None) => Shown::Online,
        }
    });
    let icon = move || match shown.get() {
        Shown::Offline { .. } => "○",
        Shown::Online | Shown::SyncedAt(_) => "●",
        Shown::Syncing => "↻",
        Shown::Pending(_) => "◐",
        Shown::Revoked => "✕",
    };
    let text = move || match shown.get() {
        Shown::Offline { pending: 0 } => i18n.t(Key::StatusOffline).to_owned(),
        Shown::Offline { pending } => format!(
            "{} · {}",
            i18n.t(Key::StatusOffline),
            i18n.format(Key::StatusPending, &[("count", &pending.to_string())])
        ),
        Shown::Online => i18n.t(Key::StatusOnline).to_owned(),
        Shown::Syncing => i18n.t(Key::StatusSyncing).to_owned(),
        Shown::Pending(count) => i18n.format(Key::StatusPending, &[("count", &count.to_string())]),
        Shown::SyncedAt(time) => i18n.format(Key::StatusSynced, &[("time", &time)]),
        Shown::Revoked => i18n.t(Key::StatusRevoked).to_owned(),
    };
    view! {
        <p
            class="status-chip"
            class:offline=move || matches!(shown.get(), Shown::Offline { .. } | Shown::Revoked)
            role="status"
            aria-live="polite"
            data-testid="status-chip"
        >
            <span class="visually-hidden">{i18n.text(Key::StatusLabel)} ": "</span>
            <span class="status-icon" aria-hidden="true">{icon}</span>
            {text}
        </p>
    }
}
