//! The frame every trends chart sits in: a heading, the chart (an SVG with `role="img"`, its own
//! title and description), a legend, and a "show as table" toggle with the very same numbers.

use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::trends::Key as TrendsKey;

/// The numbers behind one chart, already formatted for the language. `None` is a figure hidden by
/// small-cell suppression; the table says "fewer than 5" there, never a number.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartTable {
    pub row_heading: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<Option<String>>>,
}

/// One series' look: every series differs in lightness and in pattern, so colour is never the
/// only way to tell them apart (in print and for colour-blind readers too).
pub const SERIES_STYLES: usize = 5;

/// The `<pattern>` definitions for a chart's series, with ids prefixed by `chart`.
pub fn series_patterns(chart: &str) -> impl IntoView + use<> {
    const FILLS: [&str; SERIES_STYLES] = ["#1f5f4a", "#5c9e8a", "#a9d3c4", "#6a5a8c", "#d9cbe8"];
    const MARKS: [&str; SERIES_STYLES] = ["#ffffff", "#0b2a20", "#0b2a20", "#ffffff", "#2b2140"];
    (0..SERIES_STYLES)
        .map(|index| {
            let id = format!("{chart}-s{index}");
            let mark = MARKS[index];
            let marks = match index {
                0 => view! { <g /> }.into_any(),
                1 => view! { <path d="M0,8 L8,0" stroke=mark stroke-width="1.5" /> }.into_any(),
                2 => view! { <circle cx="4" cy="4" r="1.5" fill=mark /> }.into_any(),
                3 => view! { <path d="M0,4 L8,4" stroke=mark stroke-width="1.5" /> }.into_any(),
                _ => view! { <path d="M0,0 L8,8 M0,8 L8,0" stroke=mark stroke-width="1" /> }.into_any(),
            };
            view! {
                <pattern id=id width="8" height="8" patternUnits="userSpaceOnUse">
                    <rect width="8" height="8" fill=FILLS[index] />
                    {marks}
                </pattern>
            }
        })
        .collect_view()
}

/// The legend: a swatch with the series' pattern and its name.
#[component]
pub fn ChartLegend(chart: String, labels: Vec<String>) -> impl IntoView {
    view! {
        <ul class="chart-legend">
            {labels
                .into_iter()
                .enumerate()
                .map(|(index, label)| {
                    let fill = format!("url(#{chart}-s{})", index % SERIES_STYLES);
                    view! {
                        <li>
                            <svg class="swatch" viewBox="0 0 16 16" aria-hidden="true">
                                <rect width="16" height="16" fill=fill stroke="#333" stroke-width="0.5" />
                            </svg>
                            {label}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn ChartFrame(
    /// Unique on the page: prefixes the ids inside.
    id: String,
    title: String,
    /// What the chart shows, in a sentence: read by screen readers and shown under the heading.
    description: String,
    table: ChartTable,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let as_table = RwSignal::new(false);
    let heading_id = format!("{id}-heading");
    let ChartTable {
        row_heading,
        rows,
        columns,
        cells,
    } = table;
    // A hidden cell may be a complement of any size, so it says "hidden", and why, not "fewer than 5".
    let any_hidden = cells.iter().flatten().any(Option::is_none);
    view! {
        <figure class="chart card" aria-labelledby=heading_id.clone() data-testid=id.clone()>
            <div class="chart-head">
                <h3 id=format!("{id}-heading")>{title}</h3>
                <button
                    type="button"
                    class="button secondary"
                    aria-pressed=move || as_table.get().to_string()
                    on:click=move |_| as_table.update(|shown| *shown = !*shown)
                >
                    {i18n.text(TrendsKey::ShowTable)}
                </button>
            </div>
            <p class="hint">{description}</p>
            <div class="chart-body" hidden=move || as_table.get()>
                {children()}
            </div>
            // Focusable, so a keyboard can scroll a table wider than the screen.
            <div
                class="table-scroll"
                hidden=move || !as_table.get()
                tabindex="0"
                role="region"
                aria-labelledby=format!("{id}-heading")
            >
                <table class="chart-table">
                    <thead>
                        <tr>
                            <th scope="col">{row_heading}</th>
                            {columns.into_iter().map(|column| view! { <th scope="col">{column}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .zip(cells)
                            .map(|(row, cells)| {
                                view! {
                                    <tr>
                                        <th scope="row">{row}</th>
                                        {cells
                                            .into_iter()
                                            .map(|cell| match cell {
                                                Some(value) => view! { <td>{value}</td> }.into_any(),
                                                None => view! { <td class="suppressed">{i18n.text(TrendsKey::Hidden)}</td> }.into_any(),
                                            })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {any_hidden.then(|| view! { <p class="hint">{i18n.text(TrendsKey::HiddenNote)}</p> })}
            </div>
        </figure>
    }
}
