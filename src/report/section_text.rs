//! A coordinator's own words for one section of a report: written beside the figures, saved and
//! synced like a reflection, and printed and put in the Word file at the section's end.

use leptos::prelude::*;
use spor_core::report_text::{ReportPart, ReportText};

use crate::components::outcome::{Done, Failure, Outcome, act};
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::i18n::report::Key as ReportKey;
use crate::report::document::section_name;
use crate::store;

#[component]
pub fn SectionTextEditor(
    part: ReportPart,
    /// What is saved for the section so far.
    written: String,
    /// Run after a save, so the report shows the text.
    saved: Callback<()>,
    /// Where the save's outcome is said: the page's, as one message for all sections.
    outcome: RwSignal<Option<Outcome>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(written);
    let id = format!("report-text-{}", part.section.slug());
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let record = ReportText::new(part, text.get_untracked().trim().to_owned());
        if let Err(problems) = record.validate() {
            outcome.set(Some(Err(Failure::Refused(problems))));
            return;
        }
        act(outcome, async move {
            store::shared().await?.save_report_text(&record).await?;
            saved.run(());
            Ok(Done::new(Key::ReportTextSaved))
        });
    };
    let section = i18n.t(section_name(part.section));
    view! {
        <details class="report-text no-print">
            <summary>{i18n.format(ReportKey::EditText, &[("section", section)])}</summary>
            <form class="stack" on:submit=save>
                <div class="field">
                    <label for=id.clone()>{i18n.format(ReportKey::SectionText, &[("section", section)])}</label>
                    <textarea id=id rows="4" prop:value=move || text.get() on:input=move |event| text.set(event_target_value(&event))></textarea>
                </div>
                <button type="submit" class="button">{i18n.text(ReportKey::SaveText)}</button>
            </form>
        </details>
    }
}
