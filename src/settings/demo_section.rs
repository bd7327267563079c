//! Settings: switch to a separate database filled with a generated year (and back), so a new
//! coordinator can see the trends before there is a year of their own.

use chrono::Local;
use leptos::prelude::*;
use spor_core::demo::{DemoSize, generate};

use crate::components::outcome::{Failure, FailureMessage, attempt};
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::settings::Key as SettingsKey;
use crate::store::{self, DEMO_DATABASE_NAME, Store};

fn reload() {
    if let Some(window) = web_sys::window() {
        // Nothing to do if it fails: the switch then shows on the next start.
        let _ = window.location().reload();
    }
}

#[component]
pub fn DemoSection() -> impl IntoView {
    let i18n = use_i18n();
    let working = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let start = move |_| {
        working.set(true);
        attempt(failure, async move {
            let filled = async {
                Store::delete(DEMO_DATABASE_NAME).await?;
                let demo_store = Store::open(DEMO_DATABASE_NAME).await?;
                let demo = generate(
                    DemoSize::YEAR,
                    2026,
                    Local::now().date_naive(),
                    i18n.language.get_untracked(),
                );
                let filled = demo_store.fill_with_demo(&demo).await;
                demo_store.close();
                filled
            }
            .await;
            if filled.is_err() {
                working.try_set(false);
            }
            filled?;
            store::set_demo_mode(true);
            reload();
            Ok(())
        });
    };
    let end = move |_| {
        store::set_demo_mode(false);
        reload();
    };
    view! {
        <section class="card" aria-labelledby="demo-heading">
            <h2 id="demo-heading">{i18n.text(SettingsKey::Demo)}</h2>
            {if store::demo_mode() {
                view! {
                    <p>{i18n.text(SettingsKey::DemoActive)}</p>
                    <button type="button" class="button" on:click=end>{i18n.text(SettingsKey::DemoEnd)}</button>
                }
                    .into_any()
            } else {
                view! {
                    <p class="hint">{i18n.text(SettingsKey::DemoExplain)}</p>
                    <button type="button" class="button" on:click=start disabled=move || working.get()>
                        {i18n.text(SettingsKey::DemoStart)}
                    </button>
                    <p role="status" class="status-message">
                        {move || working.get().then(|| i18n.t(SettingsKey::DemoWorking))}
                    </p>
                }
                    .into_any()
            }}
            <FailureMessage failure />
        </section>
    }
}
