//! For umbrellas: the members' figures files side by side with the total, in a table. Files are
//! read on this device and kept only while the page is open; each is read whole, and one of
//! another standard or period, or a member twice, is refused with the reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spor_core::Language;
use spor_core::aggregate::{Aggregate, Cell, Comparison, ComparisonRow, may_join};
use spor_core::goal::GoalMetric;
use spor_core::organisation::ReportingSettings;

use crate::components::goal_text::metric_name;
use crate::contexts::i18n_context::sync_error_in;
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::in_both;
use crate::standard::page::{SaidMessage, chosen_file_text, linked_client};
use crate::standard::words::{Said, Say, in_each_language};

#[component]
pub fn ComparisonSection() -> impl IntoView {
    let i18n = use_i18n();
    let say = move |said: Say| move || said.text(i18n.language.get());
    let threshold = ReportingSettings::default().suppression_threshold;
    let files = RwSignal::new(Vec::<Aggregate>::new());
    let said = RwSignal::new(None::<Said>);
    let choose = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(list) = input.files() else { return };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|index| list.get(index)).collect();
        input.set_value("");
        spawn_local(async move {
            let mut refusals = Vec::new();
            for file in chosen {
                let name = file.name();
                let text = chosen_file_text(file).await;
                let read = Aggregate::parse(&text).and_then(|aggregate| {
                    files
                        .with_untracked(|files| may_join(files, &aggregate))
                        .map(|()| aggregate)
                });
                match read {
                    Ok(aggregate) => files.update(|files| files.push(aggregate)),
                    Err(error) => refusals.push(in_each_language(|language| {
                        format!("{name}: {}", error.message(language))
                    })),
                }
            }
            let message = (!refusals.is_empty()).then(|| {
                Err(in_each_language(|language| {
                    refusals
                        .iter()
                        .map(|texts| texts.get(language))
                        .collect::<Vec<_>>()
                        .join(" ")
                }))
            });
            said.try_set(message);
        });
    };
    // The members' figures sent through this device's server: those of the package and period on
    // the page already, else of the newest sending; each member's newest replaces what it sent before.
    let fetch = move |_| {
        spawn_local(async move {
            let Some((client, _)) = linked_client().await else {
                said.try_set(Some(Err(in_both(Say::NotLinked, &[]))));
                return;
            };
            let received = match client.received_figures().await {
                Ok(received) => received,
                Err(error) => {
                    said.try_set(Some(Err(in_each_language(|language| {
                        sync_error_in(&error, language)
                    }))));
                    return;
                }
            };
            let key = |file: &Aggregate| (file.package, file.from, file.to);
            let on_page = files.with_untracked(|files| files.first().map(key));
            let Some(wanted) = on_page.or_else(|| received.last().map(|sent| key(&sent.aggregate))) else {
                said.try_set(Some(Ok(in_both(Say::FiguresFetched, &[("count", "0")]))));
                return;
            };
            let mut members = std::collections::BTreeSet::new();
            // Oldest first, so a member's newest figures are the ones that stay.
            for sent in received.into_iter().filter(|sent| key(&sent.aggregate) == wanted) {
                members.insert(sent.aggregate.member.clone());
                files.try_update(|files| {
                    files.retain(|file| file.member != sent.aggregate.member);
                    files.push(sent.aggregate);
                });
            }
            let fetched = members.len();
            said.try_set(Some(Ok(in_both(
                Say::FiguresFetched,
                &[("count", &fetched.to_string())],
            ))));
        });
    };
    let comparison =
        Memo::new(move |_| files.with(|files| (!files.is_empty()).then(|| Comparison::of(files, threshold))));
    let caption = move || {
        files.with(|files| {
            let first = files.first()?;
            let language = i18n.language.get();
            Some(
                in_both(
                    Say::ComparePeriod,
                    &[
                        ("package", &first.package_name),
                        ("from", &language.format_date(first.from)),
                        ("to", &language.format_date(first.to)),
                    ],
                )
                .get(language)
                .to_owned(),
            )
        })
    };
    let table = move || {
        let comparison = comparison.get()?;
        let language = i18n.language.get();
        let members = comparison.members.len();
        Some(view! {
            <div class="table-scroll">
                <table class="chart-table" data-testid="comparison-table">
                    <caption>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{Say::Indicator.text(language)}</th>
                            {comparison.members.iter().map(|member| view! { <th scope="col">{member.clone()}</th> }).collect_view()}
                            <th scope="col">{Say::Total.text(language)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {comparison.rows.iter().map(|row| view! { <ComparisonLine row=row.clone() members language /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="hint">{in_both(Say::HiddenNote, &[("threshold", &threshold.to_string())]).get(language).to_owned()}</p>
        })
    };
    view! {
        <section class="card stack" aria-labelledby="compare-heading" data-testid="comparison-section">
            <h2 id="compare-heading">{say(Say::CompareHeading)}</h2>
            <p class="hint">{say(Say::CompareExplain)}</p>
            <div class="button-row">
                <label class="button secondary file-button">
                    {say(Say::ChooseFigureFiles)}
                    <input type="file" multiple accept="application/json,.json" class="visually-hidden" on:change=choose />
                </label>
                <button type="button" class="button secondary" on:click=fetch>{say(Say::FetchFigures)}</button>
                <Show when=move || files.with(|files| !files.is_empty())>
                    <button type="button" class="button secondary" on:click=move |_| { files.set(Vec::new()); said.set(None); }>
                        {say(Say::StartOver)}
                    </button>
                </Show>
            </div>
            <SaidMessage said testid="comparison-message" />
            {table}
        </section>
    }
}

/// One indicator: its name, each member's figure and the total.
#[component]
fn ComparisonLine(row: ComparisonRow, members: usize, language: Language) -> impl IntoView {
    let decimals = decimals(row.metric);
    let cell = move |cell: Cell| match cell {
        Cell::Shown(value) => view! { <td>{language.format_number(value, decimals)}</td> }.into_any(),
        Cell::Hidden => view! { <td class="suppressed">{Say::Hidden.text(language)}</td> }.into_any(),
        Cell::NoData => view! { <td>"–"</td> }.into_any(),
    };
    // A mean or share over fewer members than the page has says so beside the total.
    let total = match row.total {
        Cell::Shown(value) if row.total_over_members < members => {
            let over = in_both(
                Say::OverMembers,
                &[("count", &row.total_over_members.to_string())],
            );
            view! {
                <td>{language.format_number(value, decimals)}" "<span class="hint">{over.get(language).to_owned()}</span></td>
            }
            .into_any()
        }
        total => cell(total),
    };
    view! {
        <tr>
            <th scope="row">{metric_name(row.metric, language)}</th>
            {row.cells.iter().map(|&value| cell(value)).collect_view()}
            {total}
        </tr>
    }
}

/// Counts of people in whole numbers; means, shares and hours with one decimal.
fn decimals(metric: GoalMetric) -> usize {
    match metric {
        GoalMetric::UniqueParticipants
        | GoalMetric::ReturningParticipants
        | GoalMetric::BackAfterBreak
        | GoalMetric::MovesToVolunteer
        | GoalMetric::StoriesTold => 0,
        _ => 1,
    }
}
