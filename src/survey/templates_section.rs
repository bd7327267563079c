use leptos::prelude::*;
use spor_core::instruments::Instrument;
use spor_core::survey::SurveyTemplate;

use crate::components::outcome::{Done, Outcome, OutcomeMessage};
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::use_stored;
use crate::i18n::survey::Key as SurveyKey;
use crate::survey::template_editor::TemplateEditor;

/// What the editor is open for.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    Nothing,
    New,
    Existing(SurveyTemplate),
}

/// The surveys this organisation can use: the built-in instruments with their source and licence
/// (never editable), and its own templates, marked as not validated, which coordinators create and
/// edit here.
#[component]
pub fn TemplatesSection(
    /// Called after a save, so the rest of the page re-reads the templates.
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let templates = use_stored(|store| async move { store.templates().await });
    let editing = RwSignal::new(Editing::Nothing);
    let outcome = RwSignal::new(None::<Outcome>);
    let saved = Callback::new(move |template: SurveyTemplate| {
        editing.set(Editing::Nothing);
        outcome.set(Some(Ok(Done::with(
            SurveyKey::BuilderSaved,
            &[
                ("name", template.name.get(i18n.language.get_untracked())),
                ("version", &template.version.to_string()),
            ],
        ))));
        templates.refetch();
        on_saved.run(());
    });
    let cancel = Callback::new(move |()| editing.set(Editing::Nothing));
    view! {
        <section class="card stack" aria-labelledby="templates-heading">
            <h2 id="templates-heading">{i18n.text(SurveyKey::BuilderHeading)}</h2>
            <OutcomeMessage outcome testid="builder-message" />
            <ul class="template-list">
                {Instrument::ALL
                    .into_iter()
                    .map(|instrument| {
                        let source = instrument.source();
                        view! {
                            <li class="template-item">
                                <strong>{move || instrument.name().get(i18n.language.get()).to_owned()}</strong>
                                <p class="hint">
                                    {if instrument.is_validated() {
                                        i18n.t(SurveyKey::BuilderValidated)
                                    } else {
                                        i18n.t(SurveyKey::NotValidated)
                                    }}
                                </p>
                                // Cited as published, in English.
                                {source.citation.clone().map(|citation| view! { <p class="hint"><cite lang="en">{citation}</cite></p> })}
                                <p class="hint">{move || source.provenance.get(i18n.language.get()).to_owned()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
                <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                templates
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|template| {
                        let version = template.version.to_string();
                        let label = StoredValue::new(template.name.clone());
                        let stored = StoredValue::new(template);
                        view! {
                            <li class="template-item" data-testid="custom-template">
                                <strong>{move || label.with_value(|name| name.get(i18n.language.get()).to_owned())}</strong>
                                <p class="hint">{i18n.format(SurveyKey::BuilderCustom, &[("version", &version)])}</p>
                                <button
                                    type="button"
                                    class="button secondary"
                                    on:click=move |_| editing.set(Editing::Existing(stored.get_value()))
                                >
                                    {move || {
                                        let name = label.with_value(|name| name.get(i18n.language.get()).to_owned());
                                        i18n.format(SurveyKey::BuilderEdit, &[("name", &name)])
                                    }}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
                })}
                </Transition>
            </ul>
            {move || match editing.get() {
                Editing::Nothing => {
                    view! {
                        <button type="button" class="button" on:click=move |_| editing.set(Editing::New)>
                            {i18n.text(SurveyKey::BuilderNew)}
                        </button>
                    }
                        .into_any()
                }
                Editing::New => view! { <TemplateEditor existing=None on_saved=saved on_cancel=cancel /> }.into_any(),
                Editing::Existing(template) => {
                    view! { <TemplateEditor existing=Some(template) on_saved=saved on_cancel=cancel /> }.into_any()
                }
            }}
        </section>
    }
}
