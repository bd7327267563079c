//! Fælles standard / Shared standard: follow an umbrella's standard package (or update to its newer
//! version), send the umbrella the core indicators' figures, and, for umbrellas, publish a package
//! and compare the members' figures.

use std::sync::Arc;

use leptos::prelude::*;
use spor_core::activity::Activity;
use spor_core::goal::Goal;
use spor_core::package::Package;
use spor_core::session_log::SessionLog;
use spor_core::story::Story;
use spor_core::survey::SurveyTemplate;
use spor_core::theory::TheoryOfChange;
use spor_core::trends::Dataset;

use crate::components::outcome::ReadFailure;
use crate::components::page::Page;
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::use_stored;
use crate::i18n::Key;
use crate::standard::adopt_section::AdoptSection;
use crate::standard::comparison_section::ComparisonSection;
use crate::standard::figures_section::FiguresSection;
use crate::standard::publish_section::PublishSection;
use crate::standard::words::Said;
use crate::store::{ServerLink, StoreError};
use crate::sync::client::ServerClient;

/// Everything the page reads, in one go.
pub struct Stored {
    pub activities: Vec<Activity>,
    pub theories: Vec<TheoryOfChange>,
    pub goals: Vec<Goal>,
    /// The organisation's own surveys, newest version of each.
    pub surveys: Vec<SurveyTemplate>,
    pub dataset: Arc<Dataset>,
    pub session_logs: Vec<SessionLog>,
    pub stories: Vec<Story>,
    /// The server this device is paired with, if any: where figures are sent and fetched.
    pub link: Option<ServerLink>,
}

/// What the sections keep while the records are read again after a write.
#[derive(Clone, Copy)]
pub struct PageState {
    /// The package file chosen to adopt, once read.
    pub package: RwSignal<Option<Package>>,
    pub adopt_said: RwSignal<Option<Said>>,
    pub figures_said: RwSignal<Option<Said>>,
    pub publish_said: RwSignal<Option<Said>>,
}

#[component]
pub fn StandardPage() -> impl IntoView {
    let i18n = use_i18n();
    let stored = use_stored(|store| async move {
        Ok(Arc::new(Stored {
            activities: store.activities().await?,
            theories: store.theories().await?,
            goals: store.goals().await?,
            surveys: store.templates().await?,
            dataset: store.trends_dataset().await?,
            session_logs: store.session_logs().await?,
            stories: store.stories().await?,
            link: store.server_link().await?,
        }))
    });
    let state = PageState {
        package: RwSignal::new(None),
        adopt_said: RwSignal::new(None),
        figures_said: RwSignal::new(None),
        publish_said: RwSignal::new(None),
    };
    let adopted = Callback::new(move |()| stored.refetch());
    view! {
        <Page title=Key::StandardTitle lead=Key::StandardLead>
            <Transition fallback=move || view! { <p class="hint" role="status">{i18n.text(Key::TrendsLoading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                    {move || Suspend::new(async move {
                        let stored = stored.await?;
                        Ok::<_, StoreError>(view! {
                            <AdoptSection stored=stored.clone() state adopted />
                            <FiguresSection stored=stored.clone() state />
                            <PublishSection stored state />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            <ComparisonSection />
        </Page>
    }
}

/// What an action on the page ended in, in the language on screen, read out by screen readers.
#[component]
pub fn SaidMessage(said: RwSignal<Option<Said>>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p
            role="status"
            class="status-message"
            data-testid=testid
            class:error=move || said.with(|said| matches!(said, Some(Err(_))))
        >
            {move || {
                let language = i18n.language.get();
                said.with(|said| said.as_ref().map(|said| match said {
                    Ok(texts) | Err(texts) => texts.get(language).to_owned(),
                }))
            }}
        </p>
    }
}

/// The client of the server this device is paired with, if it is.
pub async fn linked_client() -> Option<(ServerClient, ServerLink)> {
    let link = crate::store::shared().await.ok()?.server_link().await.ok()??;
    Some((ServerClient::paired(&link.token), link))
}

/// The text of a file the user chose (empty when it cannot be read).
pub async fn chosen_file_text(file: web_sys::File) -> String {
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}
