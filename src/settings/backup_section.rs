use leptos::prelude::*;
use leptos::task::spawn_local;
use spor_core::backup::Backup;
use spor_core::validation::Context;
use wasm_bindgen_futures::JsFuture;

use crate::components::outcome_message::OutcomeMessage;
use crate::contexts::i18n_context::use_i18n;
use crate::download::offer_download;
use crate::i18n::Key;
use crate::store;

/// Settings: save everything on this device to a file, and load such a file (merging, never
/// overwriting, erasures respected). A bad file changes nothing and says why.
#[component]
pub fn BackupSection() -> impl IntoView {
    let i18n = use_i18n();
    let message = RwSignal::new(None::<(bool, String)>);

    let export = move |_| {
        spawn_local(async move {
            let text = match async { store::shared().await?.export_backup().await }.await {
                Ok(backup) => serde_json::to_string_pretty(&backup).expect("a backup always serialises"),
                Err(error) => {
                    message.try_set(Some((false, i18n.store_error(&error))));
                    return;
                }
            };
            let file = format!(
                "spor-sikkerhedskopi-{}.json",
                chrono::Local::now().format("%Y-%m-%d")
            );
            match offer_download(&file, &text) {
                Ok(()) => message.try_set(Some((true, i18n.format(Key::BackupExported, &[("file", &file)])))),
                Err(detail) => {
                    message.try_set(Some((false, i18n.format(Key::ErrorSave, &[("detail", &detail)]))))
                }
            };
        });
    };

    let import = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Choosing the same file again must fire `change` again.
        input.set_value("");
        spawn_local(async move {
            let text = match JsFuture::from(file.text()).await {
                Ok(text) => text.as_string().unwrap_or_default(),
                Err(_) => String::new(),
            };
            let language = i18n.language.get_untracked();
            let today = chrono::Local::now().date_naive();
            let backup = match Backup::parse(&text, Context { today }) {
                Ok(backup) => backup,
                Err(error) => {
                    message.try_set(Some((false, error.message(language))));
                    return;
                }
            };
            let outcome = match async { store::shared().await?.import_backup(backup).await }.await {
                Ok(0) => (true, i18n.t(Key::BackupNothingNew).to_owned()),
                Ok(count) => (
                    true,
                    i18n.format(Key::BackupImported, &[("count", &count.to_string())]),
                ),
                Err(error) => (false, i18n.store_error(&error)),
            };
            message.try_set(Some(outcome));
        });
    };

    view! {
        <section class="card" aria-labelledby="backup-heading">
            <h2 id="backup-heading">{i18n.text(Key::BackupHeading)}</h2>
            <p class="hint">{i18n.text(Key::BackupExplain)}</p>
            <div class="button-row">
                <button type="button" class="button" on:click=export>
                    {i18n.text(Key::BackupExport)}
                </button>
                <label class="button secondary file-button">
                    {i18n.text(Key::BackupImport)}
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=import />
                </label>
            </div>
            <OutcomeMessage message testid="backup-message" />
        </section>
    }
}
