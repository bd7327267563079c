use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use spor_core::access::DeviceRole;

use crate::components::confirm_notice::ConfirmNotice;
use crate::components::outcome::{Failure, FailureMessage, attempt};
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::{SyncStatus, use_sync};
use crate::download::offer_download;
use crate::hooks::use_stored::use_stored_with;
use crate::i18n::Key;
use crate::i18n::settings::Key as SettingsKey;
use crate::settings::devices_section::DevicesSection;

/// Settings: pair this device with the organisation's server (by code, or by opening the pairing
/// link), see what sync is doing in plain words, sync now, unpair, and the changes the server refused.
#[component]
pub fn SyncSection() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let status = sync.status();
    // Only a change of mode re-renders the section: a sync starting or ending must not reset a form.
    let mode = Memo::new(move |_| match (status.get(), sync.link().with(Option::is_some)) {
        (SyncStatus::Revoked, _) => Mode::Revoked,
        (_, false) => Mode::Unpaired,
        (_, true) => Mode::Paired,
    });
    view! {
        <section class="card stack" aria-labelledby="sync-heading" data-testid="sync-section">
            <h2 id="sync-heading">{i18n.text(SettingsKey::SyncHeading)}</h2>
            {move || match mode.get() {
                Mode::Revoked => view! { <RevokedNotice /> }.into_any(),
                Mode::Unpaired => view! { <PairingForm /> }.into_any(),
                Mode::Paired => view! { <PairedStatus /> }.into_any(),
            }}
        </section>
        <Show when=move || sync.link().with(|link| link.as_ref().is_some_and(|link| link.role == DeviceRole::Coordinator))>
            <DevicesSection />
        </Show>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Revoked,
    Unpaired,
    Paired,
}

#[component]
fn RevokedNotice() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let failure = RwSignal::new(None::<Failure>);
    view! {
        <div class="notice" role="alert">
            <p>{i18n.text(Key::SyncRevoked)}</p>
            <button
                type="button"
                class="button danger"
                on:click=move |_| attempt(failure, async move { Ok(sync.wipe_revoked_device().await?) })
            >
                {i18n.text(SettingsKey::SyncWipe)}
            </button>
            <FailureMessage failure />
        </div>
    }
}

#[component]
fn PairingForm() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    // Opening the pairing link (the QR code's content) fills in the code; pairing still takes a tap.
    let linked_code = use_query_map().with_untracked(|query| query.get("pair"));
    if linked_code.is_some() {
        // Read once, the code leaves the address bar and the browser's history.
        let navigate = use_navigate();
        let path = use_location().pathname.get_untracked();
        Effect::new(move |_| {
            navigate(
                &path,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            )
        });
    }
    let code = RwSignal::new(linked_code.unwrap_or_default());
    let device_name = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        attempt(failure, async move {
            let paired = sync
                .pair(code.get_untracked().trim(), device_name.get_untracked().trim())
                .await;
            busy.try_set(false);
            Ok(paired?)
        });
    };
    view! {
        <p>{i18n.text(SettingsKey::SyncUnpaired)}</p>
        <form class="stack" on:submit=submit>
            <div class="field">
                <label for="pairing-code">{i18n.text(SettingsKey::SyncCode)}</label>
                <input
                    id="pairing-code"
                    name="pairing-code"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    aria-describedby="pairing-code-hint"
                    required
                    prop:value=move || code.get()
                    on:input=move |event| code.set(event_target_value(&event))
                />
                <p id="pairing-code-hint" class="hint">{i18n.text(SettingsKey::SyncCodeHint)}</p>
            </div>
            <div class="field">
                <label for="device-name">{i18n.text(SettingsKey::SyncDeviceName)}</label>
                <input
                    id="device-name"
                    name="device-name"
                    type="text"
                    maxlength="80"
                    prop:value=move || device_name.get()
                    on:input=move |event| device_name.set(event_target_value(&event))
                />
            </div>
            <p role="alert" class="error" data-testid="pairing-error">
                {move || failure.with(|failure| failure.as_ref().map(|failure| i18n.failure(failure)))}
            </p>
            <button type="submit" class="button" aria-disabled=move || busy.get().to_string()>
                {i18n.text(SettingsKey::SyncPair)}
            </button>
        </form>
    }
}

#[component]
fn PairedStatus() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let confirming = RwSignal::new(false);
    let link = move || sync.link().get();
    let last_synced = move || match sync.last_synced().get() {
        Some(time) => time.with_timezone(&chrono::Local).format("%H:%M").to_string(),
        None => i18n.t(SettingsKey::SyncNever).to_owned(),
    };
    let waiting = move || {
        i18n.format(
            SettingsKey::SyncWaitingCount,
            &[("count", &sync.pending().get().to_string())],
        )
    };
    let problem = move || match sync.status().get() {
        SyncStatus::Failed(error) => Some(i18n.sync_error(&error)),
        _ => None,
    };
    let origin = window().location().origin().unwrap_or_default();
    let failure = RwSignal::new(None::<Failure>);
    let unpair = Callback::new(move |()| attempt(failure, async move { Ok(sync.unpair().await?) }));
    view! {
        <p data-testid="sync-paired">
            {move || link().map(|link| i18n.format(SettingsKey::SyncPaired, &[("organisation", &link.organisation_name)]))}
        </p>
        <dl class="facts">
            <dt>{i18n.text(SettingsKey::SyncRole)}</dt>
            <dd data-testid="sync-role">{move || link().map(|link| i18n.device_role(link.role))}</dd>
            <dt>{i18n.text(SettingsKey::SyncServer)}</dt>
            <dd>{origin}</dd>
            <dt>{i18n.text(SettingsKey::SyncLastSynced)}</dt>
            <dd data-testid="sync-last">{last_synced}</dd>
            <dt>{i18n.text(SettingsKey::SyncWaiting)}</dt>
            <dd data-testid="sync-waiting">{waiting}</dd>
        </dl>
        <Show when=move || problem().is_some()>
            <p class="error" role="alert" data-testid="sync-problem">
                <strong>{i18n.text(SettingsKey::SyncLastError)} ": "</strong>
                {problem}
            </p>
        </Show>
        <div class="button-row">
            <button type="button" class="button" on:click=move |_| sync.sync_now()>
                {i18n.text(SettingsKey::SyncNow)}
            </button>
            <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>
                {i18n.text(SettingsKey::SyncUnpair)}
            </button>
        </div>
        <ConfirmNotice
            open=confirming
            question=i18n.t(SettingsKey::SyncUnpairConfirm).to_owned()
            yes=i18n.t(SettingsKey::SyncUnpairYes).to_owned()
            on_yes=unpair
        />
        <FailureMessage failure />
        <DeadLetters />
    }
}

/// The changes the server refused, with its reasons, and a way to save them for whoever can fix them.
#[component]
fn DeadLetters() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let pending = sync.pending();
    let letters = use_stored_with(
        move || pending.track(),
        |store, ()| async move { store.dead_letters().await },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let letters = letters.await.unwrap_or_default();
                if letters.is_empty() {
                    return view! { <p class="hint">{i18n.text(SettingsKey::SyncDeadLettersNone)}</p> }.into_any();
                }
                let count = letters.len().to_string();
                let export_letters = letters.clone();
                let export = move |_| {
                    let text = serde_json::to_string_pretty(&export_letters).expect("refused changes always serialise");
                    let file = format!("spor-afviste-{}.json", chrono::Local::now().format("%Y-%m-%d"));
                    let _ = offer_download(&file, &text);
                };
                view! {
                    <h3>{i18n.format(SettingsKey::SyncDeadLetters, &[("count", &count)])}</h3>
                    <ul class="dead-letters" data-testid="dead-letters">
                        {letters
                            .into_iter()
                            .map(|letter| view! { <li>{i18n.reject_reason(&letter.reason)}</li> })
                            .collect_view()}
                    </ul>
                    <button type="button" class="button secondary" on:click=export>
                        {i18n.text(SettingsKey::SyncDeadLettersExport)}
                    </button>
                }
                    .into_any()
            })}
        </Transition>
    }
}
