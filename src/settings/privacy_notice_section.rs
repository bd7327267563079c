//! Settings, for coordinators: the privacy notice participants are shown (spor-core's
//! `privacy_notice`), in the organisation's own words or the standard ones, and a poster of it to
//! print, with a QR code to the server's page of it.

use leptos::prelude::*;
use spor_core::privacy_notice;

use crate::components::outcome::{Done, Outcome, OutcomeMessage, act};
use crate::components::privacy_notice_text::PrivacyNoticeText;
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::use_sync;
use crate::hooks::use_stored::use_stored;
use crate::i18n::settings::Key as SettingsKey;
use crate::settings::qr_code::QrCode;
use crate::store;

#[component]
pub fn PrivacyNoticeSection() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let own = use_stored(|store| async move { store.privacy_notice().await });
    // What the text box holds once edited; until then the stored notice or the standard one.
    let edited = RwSignal::new(None::<String>);
    let shown = move || {
        edited.get().unwrap_or_else(|| {
            let stored = own.get().and_then(Result::ok).flatten();
            privacy_notice::for_participants(stored.as_deref(), i18n.language.get()).to_owned()
        })
    };
    let outcome = RwSignal::new(None::<Outcome>);
    let save = move |notice: Option<String>| {
        act(outcome, async move {
            store::shared().await?.save_privacy_notice(notice).await?;
            edited.try_set(None);
            own.refetch();
            Ok(Done::new(SettingsKey::PrivacySaved))
        });
    };
    let save_text = move |_| {
        let text = shown();
        // The standard text saved unchanged stays the standard one, in each reader's language.
        let standard = privacy_notice::standard(i18n.language.get_untracked());
        save((text.trim() != standard.trim()).then_some(text));
    };
    let page_link = move || {
        let origin = web_sys::window()?.location().origin().ok()?;
        sync.link().with(|link| {
            link.as_ref()
                .map(|link| format!("{origin}/privacy/{}", link.organisation))
        })
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            // Nothing to do if printing is not possible here.
            let _ = window.print();
        }
    };
    view! {
        <section class="card stack privacy-notice" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">{i18n.text(SettingsKey::Privacy)}</h2>
            <p>{i18n.text(SettingsKey::PrivacyLead)}</p>
            <div class="field">
                <label for="privacy-text">{i18n.text(SettingsKey::PrivacyText)}</label>
                <textarea
                    id="privacy-text"
                    rows="12"
                    prop:value=shown
                    on:input=move |event| edited.set(Some(event_target_value(&event)))
                ></textarea>
            </div>
            <div class="button-row">
                <button type="button" class="button" on:click=save_text>
                    {i18n.text(SettingsKey::PrivacySave)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| save(None)>
                    {i18n.text(SettingsKey::PrivacyStandard)}
                </button>
                <button type="button" class="button secondary" on:click=print>
                    {i18n.text(SettingsKey::PrivacyPrint)}
                </button>
            </div>
            <OutcomeMessage outcome testid="privacy-message" />
            <div class="privacy-poster" data-testid="privacy-poster">
                {move || view! { <PrivacyNoticeText notice=shown() /> }}
                {move || {
                    page_link()
                        .map(|link| {
                            view! {
                                <p>{i18n.text(SettingsKey::PrivacyScan)}</p>
                                <QrCode text=link.clone() label=i18n.t(SettingsKey::PrivacyQr).to_owned() size_px=220 />
                                <p class="link-text">{link}</p>
                            }
                        })
                }}
            </div>
        </section>
    }
}
