use leptos::prelude::*;
use spor_core::access::DeviceRole;
use spor_core::protocol::{DeviceInfo, OpenPairingCode, PairingCodeResponse};

use crate::components::confirm_notice::ConfirmNotice;
use crate::components::outcome::{Failure, FailureMessage, attempt};
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::use_sync;
use crate::i18n::settings::Key as SettingsKey;
use crate::settings::qr_code::QrCode;
use crate::sync::ServerClient;

/// Settings, for coordinators: pair a new device (a code as text and as a QR code) and see and
/// remove the organisation's devices.
#[component]
pub fn DevicesSection() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let client = move || {
        sync.link()
            .with(|link| link.as_ref().map(|link| ServerClient::paired(&link.token)))
    };
    let this_device = move || sync.link().with(|link| link.as_ref().map(|link| link.device));
    let devices = LocalResource::new(move || {
        let client = client();
        async move {
            match client {
                Some(client) => client.devices().await,
                None => Ok(Vec::new()),
            }
        }
    });
    let open_codes = LocalResource::new(move || {
        let client = client();
        async move {
            match client {
                Some(client) => client.open_pairing_codes().await,
                None => Ok(Vec::new()),
            }
        }
    });
    let role = RwSignal::new(DeviceRole::Volunteer);
    let code = RwSignal::new(None::<PairingCodeResponse>);
    let failure = RwSignal::new(None::<Failure>);
    let create_code = move |_| {
        let Some(client) = client() else { return };
        attempt(failure, async move {
            code.try_set(Some(client.create_pairing_code(role.get_untracked()).await?));
            open_codes.refetch();
            Ok(())
        });
    };
    let cancel = Callback::new(move |open: OpenPairingCode| {
        let Some(client) = client() else { return };
        attempt(failure, async move {
            client.cancel_pairing_code(open.id).await?;
            // The code on screen may be the one cancelled: it pairs nothing now.
            code.try_set(None);
            open_codes.refetch();
            Ok(())
        });
    });
    let revoke = Callback::new(move |device: DeviceInfo| {
        let Some(client) = client() else { return };
        attempt(failure, async move {
            client.revoke(device.id).await?;
            devices.refetch();
            Ok(())
        });
    });

    view! {
        <section class="card stack" aria-labelledby="devices-heading" data-testid="devices-section">
            <h2 id="devices-heading">{i18n.text(SettingsKey::DevicesHeading)}</h2>
            <h3>{i18n.text(SettingsKey::DevicesNew)}</h3>
            <div class="field">
                <label for="new-device-role">{i18n.text(SettingsKey::DevicesRole)}</label>
                <select
                    id="new-device-role"
                    on:change=move |event| {
                        if let Some(chosen) = DeviceRole::parse(&event_target_value(&event)) {
                            role.set(chosen);
                        }
                    }
                >
                    {[DeviceRole::Volunteer, DeviceRole::Coordinator, DeviceRole::Kiosk]
                        .into_iter()
                        .map(|option| {
                            view! {
                                <option value=option.as_str() selected=move || role.get() == option>
                                    {move || i18n.device_role(option)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="button" class="button" on:click=create_code>
                {i18n.text(SettingsKey::DevicesCreateCode)}
            </button>
            {move || code.get().map(|created| view! { <PairingCode created /> })}
            <FailureMessage failure />
            <h3>{i18n.text(SettingsKey::DevicesOpenCodes)}</h3>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = open_codes.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="hint">{i18n.text(SettingsKey::DevicesNoOpenCodes)}</p> }.into_any();
                    }
                    view! {
                        <ul class="device-list" data-testid="open-codes">
                            {list.into_iter().map(|open| view! { <OpenCodeItem open cancel /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                })}
            </Transition>
            <h3>{i18n.text(SettingsKey::DevicesList)}</h3>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = devices.await.unwrap_or_default();
                    view! {
                        <ul class="device-list" data-testid="device-list">
                            {list
                                .into_iter()
                                .map(|device| {
                                    let is_this = this_device() == Some(device.id);
                                    view! { <DeviceItem device is_this revoke /> }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PairingCode(created: PairingCodeResponse) -> impl IntoView {
    let i18n = use_i18n();
    let until = created
        .expires_at
        .with_timezone(&chrono::Local)
        .format("%H:%M")
        .to_string();
    view! {
        <div class="pairing-code notice stack">
            <p class="code" data-testid="pairing-code">{created.code.clone()}</p>
            <QrCode text=created.link.clone() label=i18n.t(SettingsKey::DevicesQrLabel).to_owned() size_px=200 />
            <p class="hint">{i18n.format(SettingsKey::DevicesCodeExplain, &[("time", &until)])}</p>
            <p class="hint link-text">{created.link}</p>
        </div>
    }
}

#[component]
fn OpenCodeItem(open: OpenPairingCode, cancel: Callback<OpenPairingCode>) -> impl IntoView {
    let i18n = use_i18n();
    let role = i18n.device_role(open.role);
    let time = open
        .expires_at
        .with_timezone(&chrono::Local)
        .format("%d.%m. %H:%M")
        .to_string();
    let made_by = match &open.made_by {
        Some(name) => i18n.format(SettingsKey::DevicesMadeBy, &[("name", name)]),
        None => i18n.t(SettingsKey::DevicesMadeOnServer).to_owned(),
    };
    let label = i18n.format(
        SettingsKey::DevicesCancelCodeLabel,
        &[("role", role), ("time", &time)],
    );
    let stored = StoredValue::new(open);
    view! {
        <li class="device-item" data-testid="open-code">
            <p>{i18n.format(SettingsKey::DevicesOpenCode, &[("role", role), ("time", &time)])} " · " {made_by}</p>
            <button
                type="button"
                class="button secondary"
                aria-label=label
                on:click=move |_| cancel.run(stored.get_value())
            >
                {i18n.text(SettingsKey::DevicesCancelCode)}
            </button>
        </li>
    }
}

#[component]
fn DeviceItem(device: DeviceInfo, is_this: bool, revoke: Callback<DeviceInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = RwSignal::new(false);
    let name = if device.name.is_empty() {
        i18n.t(SettingsKey::DevicesUnnamed).to_owned()
    } else {
        device.name.clone()
    };
    let paired = device
        .paired_at
        .with_timezone(&chrono::Local)
        .format("%d.%m.%Y")
        .to_string();
    let revoked = device.revoked_at.is_some();
    let stored = StoredValue::new(device);
    let label = StoredValue::new(name.clone());
    view! {
        <li class="device-item" data-testid="device-item">
            <p>
                <strong>{name}</strong>
                {is_this.then(|| format!(" ({})", i18n.t(SettingsKey::DevicesThisDevice)))}
                " · "
                {i18n.device_role(stored.with_value(|d| d.role))}
                " · "
                {i18n.format(SettingsKey::DevicesPairedAt, &[("date", &paired)])}
                {revoked.then(|| format!(" · {}", i18n.t(SettingsKey::DevicesRevoked)))}
            </p>
            <Show when=move || !is_this && !revoked>
                <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>
                    {i18n.format(SettingsKey::DevicesRevoke, &[("name", &label.get_value())])}
                </button>
            </Show>
            <ConfirmNotice
                open=confirming
                question=i18n.format(SettingsKey::DevicesRevokeConfirm, &[("name", &label.get_value())])
                yes=i18n.format(SettingsKey::DevicesRevokeYes, &[("name", &label.get_value())])
                on_yes=Callback::new(move |()| revoke.run(stored.get_value()))
            />
        </li>
    }
}
