use leptos::prelude::*;
use spor_core::access::DeviceRole;

use crate::components::outcome::ReadFailure;
use crate::components::page::Page;
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::use_sync;
use crate::i18n::settings::Key as SettingsKey;
use crate::i18n::{Key, Language};
use crate::settings::backup_section::BackupSection;
use crate::settings::demo_section::DemoSection;
use crate::settings::privacy_notice_section::PrivacyNoticeSection;
use crate::settings::retention_section::RetentionSection;
use crate::settings::sync_section::SyncSection;
use crate::store;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let may_erase = use_sync().role_allows(DeviceRole::may_merge_and_erase);
    view! {
        <Page title=Key::NavSettings lead=Key::PageSettingsLead>
            <LanguageChoice />
            // Demo data never syncs: no pairing while it is shown.
            {(!store::demo_mode()).then(|| view! { <SyncSection /> })}
            <StorageSection />
            <Show when=move || may_erase.get()>
                <RetentionSection />
                <PrivacyNoticeSection />
            </Show>
            <BackupSection />
            <DemoSection />
            <DeviceSection />
        </Page>
    }
}

#[component]
fn LanguageChoice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="card choice-group">
            <legend>{i18n.text(SettingsKey::Language)}</legend>
            {Language::ALL
                .into_iter()
                .map(|language| {
                    view! {
                        <label class="choice" lang=language.tag()>
                            <input
                                type="radio"
                                name="language"
                                value=language.tag()
                                prop:checked=move || i18n.language.get() == language
                                on:change=move |_| i18n.set_language.set(language)
                            />
                            {language.endonym()}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
fn StorageSection() -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(store::storage_status);
    view! {
        <section class="card" aria-labelledby="storage-heading">
            <h2 id="storage-heading">{i18n.text(SettingsKey::Storage)}</h2>
            <Transition fallback=move || view! { <p>{i18n.text(SettingsKey::StorageChecking)}</p> }>
                {move || Suspend::new(async move {
                    let status = status.await;
                    let persistence = if status.persisted {
                        SettingsKey::StoragePersistent
                    } else {
                        SettingsKey::StorageNotPersistent
                    };
                    let usage = move || match status.usage {
                        Some((used, quota)) => {
                            let language = i18n.language.get();
                            i18n.format(
                                SettingsKey::StorageUsage,
                                &[
                                    ("used", &language.format_bytes(used)),
                                    ("quota", &language.format_bytes(quota)),
                                ],
                            )
                        }
                        None => i18n.t(SettingsKey::StorageUnknown).to_owned(),
                    };
                    let warning = status.nearly_full().map(|share| {
                        let percent = move || format!("{} %", i18n.language.get().format_number(share * 100.0, 0));
                        view! {
                            <p class="notice" role="alert" data-testid="storage-warning">
                                {move || i18n.format(SettingsKey::StorageNearlyFull, &[("percent", &percent())])}
                            </p>
                        }
                    });
                    view! {
                        {warning}
                        <p data-testid="storage-persistence">{i18n.text(persistence)}</p>
                        <p data-testid="storage-usage">{usage}</p>
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DeviceSection() -> impl IntoView {
    let i18n = use_i18n();
    let device_id = LocalResource::new(|| async { store::shared().await?.device_id().await });
    view! {
        <section class="card" aria-labelledby="device-heading">
            <h2 id="device-heading">{i18n.text(SettingsKey::Device)}</h2>
            <Transition fallback=|| ()>
                <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                    <dl>
                        <dt>{i18n.text(SettingsKey::DeviceId)}</dt>
                        <dd data-testid="device-id">
                            {move || Suspend::new(async move {
                                device_id.await.map(|id| id.to_string())
                            })}
                        </dd>
                    </dl>
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
