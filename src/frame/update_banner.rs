use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_service_worker::{UseServiceWorkerOptions, use_service_worker};
use crate::i18n::Key;

/// "New version ready — reload": shown when a new service worker waits; only a tap activates it.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let service_worker = use_service_worker(UseServiceWorkerOptions::default());
    let update_ready = service_worker.update_ready;
    let apply_update = service_worker.apply_update;
    view! {
        <Show when=move || update_ready.get()>
            <div class="update-banner" role="status" data-testid="update-banner">
                <span>{i18n.text(Key::UpdateReady)}</span>
                <button type="button" class="button" on:click={
                    let apply_update = apply_update.clone();
                    move |_| apply_update()
                }>{i18n.text(Key::UpdateReload)}</button>
            </div>
        </Show>
    }
}
