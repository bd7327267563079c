use leptos::prelude::*;
use spor_core::backup::Backup;
use spor_core::validation::Context;
use wasm_bindgen_futures::JsFuture;

use crate::components::outcome::{Done, Failure, Outcome, OutcomeMessage, act};
use crate::contexts::i18n_context::use_i18n;
use crate::download::offer_download;
use crate::i18n::Key;
use crate::i18n::settings::Key as SettingsKey;
use crate::store;

/// Settings: save everything on this device to a file, and load such a file (merging, never
/// overwriting, erasures respected). A bad file changes nothing and says why.
#[component]
pub fn BackupSection() -> impl IntoView {
    let i18n = use_i18n();
    let outcome = RwSignal::new(None::<Outcome>);
    let export = move |_| {
        act(outcome, async {
            let backup = store::shared().await?.export_backup().await?;
            let text = serde_json::to_string_pretty(&backup).expect("a backup always serialises");
            let file = format!(
                "spor-sikkerhedskopi-{}.json",
                chrono::Local::now().format("%Y-%m-%d")
            );
            offer_download(&file, &text)
                .map_err(|detail| Failure::Other(Done::with(Key::ErrorSave, &[("detail", &detail)])))?;
            Ok(Done::with(SettingsKey::BackupExported, &[("file", &file)]))
        });
    };
    let import = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Choosing the same file again must fire `change` again.
        input.set_value("");
        act(outcome, async move {
            let text = JsFuture::from(file.text()).await;
            let text = text.ok().and_then(|text| text.as_string()).unwrap_or_default();
            let today = chrono::Local::now().date_naive();
            let backup = Backup::parse(&text, Context { today })?;
            Ok(match store::shared().await?.import_backup(backup).await? {
                0 => Done::new(SettingsKey::BackupNothingNew),
                count => Done::with(SettingsKey::BackupImported, &[("count", &count.to_string())]),
            })
        });
    };

    view! {
        <section class="card" aria-labelledby="backup-heading">
            <h2 id="backup-heading">{i18n.text(SettingsKey::BackupHeading)}</h2>
            <p class="hint">{i18n.text(SettingsKey::BackupExplain)}</p>
            <div class="button-row">
                <button type="button" class="button" on:click=export>
                    {i18n.text(SettingsKey::BackupExport)}
                </button>
                <label class="button secondary file-button">
                    {i18n.text(SettingsKey::BackupImport)}
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=import />
                </label>
            </div>
            <OutcomeMessage outcome testid="backup-message" />
        </section>
    }
}
