//! Rapport / Report: a statusrapport for a funder, an annual report for the board, or the quality
//! model's self-assessment, filled in from the device's records over a chosen period, for one
//! activity or all. Printed to A4 through the print styles, or downloaded as a Word file made on
//! the device.

use chrono::{Datelike, Local};
use leptos::prelude::*;
use spor_core::activity::Activity;
use spor_core::docx;
use spor_core::docx::Block;
use spor_core::ids::ActivityId;
use spor_core::organisation::ReportingSettings;
use spor_core::period::{Granularity, calendar_year};
use spor_core::report::{Records, Report, ReportShape};
use spor_core::report_text::ReportPart;
use spor_core::trends::Query;

use crate::components::activity_select::ActivitySelect;
use crate::components::date_field::DateField;
use crate::components::outcome::{Done, Failure, FailureMessage, Outcome, OutcomeMessage, ReadFailure};
use crate::components::page::{Page, print_page};
use crate::components::radio_choices::RadioChoices;
use crate::contexts::i18n_context::use_i18n;
use crate::download::offer_file;
use crate::hooks::use_stored::use_stored;
use crate::i18n::Key;
use crate::i18n::report::Key as ReportKey;
use crate::report::document::{
    DocumentPart, ReportBlocks, document, flattened, own_words, shape_name, with_own_words,
};
use crate::report::section_text::SectionTextEditor;
use crate::store::StoreError;

const DOCX_MIME: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The blocks of the title (`None`) or of one section.
fn blocks_of(written: Memo<Option<Vec<DocumentPart>>>, section: Option<ReportPart>) -> Option<Vec<Block>> {
    written.with(|parts| {
        parts
            .as_ref()?
            .iter()
            .find(|part| part.section == section)
            .map(|part| part.blocks.clone())
    })
}

/// Everything a report reads, in one go.
#[derive(Clone)]
struct Stored {
    activities: Vec<Activity>,
    dataset: std::sync::Arc<spor_core::trends::Dataset>,
    session_logs: Vec<spor_core::session_log::SessionLog>,
    stories: Vec<spor_core::story::Story>,
    goals: Vec<spor_core::goal::Goal>,
    theories: Vec<spor_core::theory::TheoryOfChange>,
    reflections: Vec<spor_core::reflection::Reflection>,
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let stored = use_stored(|store| async move {
        Ok(Stored {
            activities: store.activities().await?,
            dataset: store.trends_dataset().await?,
            session_logs: store.session_logs().await?,
            stories: store.stories().await?,
            goals: store.goals().await?,
            theories: store.theories().await?,
            reflections: store.reflections().await?,
        })
    });
    // Apart from the records, so a saved text does not read the year again.
    let texts = use_stored(|store| async move { store.report_texts().await });
    let saved = Callback::new(move |()| texts.refetch());
    let today = Local::now().date_naive();
    let last_year = today.year() - 1;
    let shape = RwSignal::new(ReportShape::StatusReport);
    let activity = RwSignal::new(None::<ActivityId>);
    let from = RwSignal::new(today.with_ordinal(1).unwrap_or(today));
    let to = RwSignal::new(today);
    let failure = RwSignal::new(None::<Failure>);
    let text_outcome = RwSignal::new(None::<Outcome>);

    view! {
        <Page title=Key::ReportTitle lead=Key::ReportLead>
            <Transition fallback=move || view! { <p class="hint" role="status">{i18n.text(Key::TrendsLoading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                    {move || Suspend::new(async move {
                        let stored = std::sync::Arc::new(stored.await?);
                        let choices = stored.activities.clone();
                        // The figures in words: computed again when the report changes, not when a
                        // section's own text is saved.
                        let figures = {
                            let stored = stored.clone();
                            Memo::new(move |_| {
                                let (from, to) = (from.get(), to.get());
                                if from > to {
                                    return None;
                                }
                                let query = Query {
                                    from,
                                    to,
                                    granularity: Granularity::Month,
                                    activity: activity.get(),
                                    settings: ReportingSettings::default(),
                                };
                                let records = Records {
                                    activities: &stored.activities,
                                    data: &stored.dataset,
                                    session_logs: &stored.session_logs,
                                    stories: &stored.stories,
                                    goals: &stored.goals,
                                    theories: &stored.theories,
                                    reflections: &stored.reflections,
                                };
                                let report = Report::compute(shape.get(), records, &query);
                                i18n.language.track();
                                Some(document(&report, &stored.activities, i18n))
                            })
                        };
                        let own_texts = Memo::new(move |_| texts.get().and_then(Result::ok).unwrap_or_default());
                        let written = Memo::new(move |_| {
                            figures.with(|parts| parts.as_ref().map(|parts| own_texts.with(|texts| with_own_words(parts, texts))))
                        });
                        // Each section with what is written for it so far: its editor's start.
                        let sections = move || {
                            figures.with(|parts| {
                                parts
                                    .iter()
                                    .flatten()
                                    .filter_map(|part| part.section)
                                    .map(|section| {
                                        let text = own_texts.with(|texts| own_words(section, texts).map(|text| text.text.clone()));
                                        (section, text.unwrap_or_default())
                                    })
                                    .collect::<Vec<_>>()
                            })
                        };
                        let download = move |_| {
                            let Some(parts) = written.get_untracked() else { return };
                            let language = i18n.language.get_untracked();
                            let file = format!(
                                "{}-{}-{}.docx",
                                i18n.t(shape_name(shape.get_untracked())).to_lowercase().replace(' ', "-"),
                                from.get_untracked(),
                                to.get_untracked()
                            );
                            let offered = offer_file(&file, DOCX_MIME, &docx::document(&flattened(&parts), language));
                            failure.set(offered.err().map(|_| Failure::Other(Done::new(Key::ReportDownloadFailed))));
                        };
                        Ok::<_, StoreError>(view! {
                            <form class="card stack report-filters no-print" aria-label=move || i18n.t(ReportKey::Choose) on:submit=|event| event.prevent_default()>
                                <RadioChoices
                                    name="report-shape"
                                    legend=ReportKey::Shape
                                    choices=ReportShape::ALL.map(|shape| (shape, shape_name(shape))).to_vec()
                                    selected=shape
                                    class="choice-group"
                                />
                                <ActivitySelect id="report-activity" activities=Signal::stored(choices) selected=activity />
                                <DateField id="report-from" label=Key::TrendsFrom date=from />
                                <DateField id="report-to" label=Key::TrendsTo date=to />
                                // An annual report is about a calendar year: the last whole one in a tap.
                                <Show when=move || shape.get() == ReportShape::AnnualReport>
                                    <button type="button" class="button secondary" on:click=move |_| {
                                        if let Some((first, last)) = calendar_year(last_year) {
                                            from.set(first);
                                            to.set(last);
                                        }
                                    }>
                                        {move || i18n.format(ReportKey::LastYear, &[("year", &last_year.to_string())])}
                                    </button>
                                </Show>
                                <div class="button-row">
                                    <button type="button" class="button" on:click=download disabled=move || written.with(Option::is_none)>
                                        {i18n.text(ReportKey::Download)}
                                    </button>
                                    <button type="button" class="button secondary" on:click=|_| print_page()>
                                        {i18n.text(ReportKey::Print)}
                                    </button>
                                </div>
                            </form>
                            <FailureMessage failure />
                            <article class="card report" data-testid="report">
                                <Show
                                    when=move || written.with(Option::is_some)
                                    fallback=move || view! { <p class="hint">{i18n.text(ReportKey::EmptyPeriod)}</p> }
                                >
                                    {move || blocks_of(written, None).map(|blocks| view! { <ReportBlocks blocks /> })}
                                    // Keyed by the report and section, so saving a text redraws the
                                    // section's blocks but keeps its editor, open and focused.
                                    <For each=sections key=|(part, _)| *part let((part, text))>
                                        {move || blocks_of(written, Some(part)).map(|blocks| view! { <ReportBlocks blocks /> })}
                                        <SectionTextEditor part written=text saved outcome=text_outcome />
                                    </For>
                                </Show>
                            </article>
                            <OutcomeMessage outcome=text_outcome testid="report-text-message" />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </Page>
    }
}
