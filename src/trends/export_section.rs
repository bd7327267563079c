//! The trends page's exports: attendance and responses for the chosen activity and period, as CSV
//! (for Danish Excel or other spreadsheets) or as one XLSX workbook (`spor_core::export`).

use leptos::prelude::*;
use spor_core::Language;
use spor_core::access::DeviceRole;
use spor_core::export::{Export, Selection, Separator};
use spor_core::trends::Query;

use crate::components::outcome::{Done, Failure, Outcome, OutcomeMessage, act};
use crate::components::radio_choices::RadioChoices;
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::use_sync;
use crate::download::offer_file;
use crate::i18n::Key;
use crate::i18n::trends::Key as TrendsKey;
use crate::store;
use crate::user_timing;

/// The user-timing measure (`crate::user_timing`) from the click to the file offered.
const EXPORT_MEASURE: &str = "spor:export";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Download {
    AttendanceCsv,
    ResponsesCsv,
    Workbook,
}

#[component]
pub fn ExportSection(query: Memo<Option<Query>>) -> impl IntoView {
    let i18n = use_i18n();
    let shows_answers = use_sync().role_allows(DeviceRole::keeps_answers);
    let separator = RwSignal::new(Separator::Semicolon);
    let working = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);

    let export = move |download: Download| {
        let Some(query) = query.get_untracked() else {
            return;
        };
        let language = i18n.language.get_untracked();
        let separator = separator.get_untracked();
        working.set(true);
        outcome.set(None);
        act(outcome, async move {
            user_timing::start(EXPORT_MEASURE);
            let written = write_export(download, &query, language, separator).await;
            user_timing::end(EXPORT_MEASURE);
            working.try_set(false);
            written
        });
    };

    view! {
        <section class="card export" aria-labelledby="export-heading">
            <h2 id="export-heading">{i18n.text(TrendsKey::ExportTitle)}</h2>
            <p class="hint">{i18n.text(TrendsKey::ExportExplain)}</p>
            <RadioChoices
                name="export-separator"
                legend=TrendsKey::ExportFormat
                choices=vec![(Separator::Semicolon, TrendsKey::ExportSemicolon), (Separator::Comma, TrendsKey::ExportComma)]
                selected=separator
                class="choice-group"
            />
            <div class="button-row">
                {[
                    (Download::AttendanceCsv, TrendsKey::ExportAttendanceCsv),
                    (Download::ResponsesCsv, TrendsKey::ExportResponsesCsv),
                    (Download::Workbook, TrendsKey::ExportXlsx),
                ]
                    .into_iter()
                    // Answers are exported by coordinators only (a volunteer's device holds none).
                    .filter(move |(download, _)| *download != Download::ResponsesCsv || shows_answers.get_untracked())
                    .map(|(download, key)| {
                        view! {
                            <button
                                type="button"
                                class="button secondary"
                                disabled=move || working.get() || query.get().is_none()
                                on:click=move |_| export(download)
                            >
                                {i18n.text(key)}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <OutcomeMessage
                outcome=Signal::derive(move || {
                    if working.get() { Some(Ok(Done::new(TrendsKey::ExportWorking))) } else { outcome.get() }
                })
                testid="export-message"
            />
        </section>
    }
}

/// Builds `download` from everything on this device for `query` and offers it as a file.
async fn write_export(
    download: Download,
    query: &Query,
    language: Language,
    separator: Separator,
) -> Outcome {
    let backup = store::shared().await?.export_backup().await?;
    let records = backup.records();
    let selection = Selection {
        from: query.from,
        to: query.to,
        activity: query.activity,
        language,
        suppression_threshold: query.settings.suppression_threshold,
    };
    let export = Export::new(&records, &selection);
    let period = format!("{}-{}", query.from, query.to);
    let (file, mime, bytes, rows) = match download {
        Download::AttendanceCsv => (
            format!("{}-{period}.csv", TrendsKey::ExportAttendanceFile.text(language)),
            "text/csv",
            export.attendance.to_csv(separator).into_bytes(),
            export.attendance.rows.len(),
        ),
        Download::ResponsesCsv => (
            format!("{}-{period}.csv", TrendsKey::ExportResponsesFile.text(language)),
            "text/csv",
            export.responses.to_csv(separator).into_bytes(),
            export.responses.rows.len(),
        ),
        Download::Workbook => (
            format!("spor-{period}.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            spor_core::xlsx::workbook(&[&export.attendance, &export.responses]),
            export.attendance.rows.len() + export.responses.rows.len(),
        ),
    };
    offer_file(&file, mime, &bytes)
        .map_err(|detail| Failure::Other(Done::with(TrendsKey::ExportFailed, &[("detail", &detail)])))?;
    let saved = Done::with(
        TrendsKey::ExportSaved,
        &[("file", &file), ("rows", &language.format_number(rows as f64, 0))],
    );
    if download != Download::AttendanceCsv && !export.withheld_surveys.is_empty() {
        let withheld = export.withheld_surveys.join(", ");
        return Ok(saved.and(Done::with(Key::ExportWithheld, &[("surveys", &withheld)])));
    }
    Ok(saved)
}
