//! A mean over time in hand-made SVG: a point per period with its 95 % confidence interval as a
//! bar, joined by a line; reference lines (such as WHO-5's 50 and 35) and a goal line.

use leptos::prelude::*;
use spor_core::Language;

use crate::trends::stacked_bars::{BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, axes, target_line};

/// What one period of the chart shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MeanPoint {
    /// The mean and its 95 % confidence interval.
    Shown { mean: f64, ci95: (f64, f64) },
    /// Answered by too few people to show: a grey mark that says so.
    Hidden,
    /// Nobody answered in the period: nothing to draw.
    NoAnswers,
}

#[component]
pub fn MeanChart(
    id: String,
    title: String,
    description: String,
    categories: Vec<String>,
    points: Vec<MeanPoint>,
    /// The measure's lowest and highest value: the axis always spans all of it.
    range: (f64, f64),
    #[prop(optional)] references: Vec<(f64, String)>,
    #[prop(optional_no_strip)] target: Option<(f64, String)>,
    hidden_label: String,
    language: Language,
) -> impl IntoView {
    let (low, high) = range;
    let span = (high - low).max(f64::EPSILON);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / categories.len().max(1) as f64;
    let x = move |index: usize| LEFT + slot * (index as f64 + 0.5);
    let y = move |value: f64| TOP + plot_height - (value.clamp(low, high) - low) / span * plot_height;
    let line: String = points
        .iter()
        .enumerate()
        .filter_map(|(index, point)| match point {
            MeanPoint::Shown { mean, .. } => Some(format!("{:.1},{:.1}", x(index), y(*mean))),
            MeanPoint::Hidden | MeanPoint::NoAnswers => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let marks = points
        .iter()
        .enumerate()
        .map(|(index, point)| match point {
            MeanPoint::Shown {
                mean,
                ci95: (from, to),
            } => view! {
                <g>
                    <line x1=x(index) x2=x(index) y1=y(*from) y2=y(*to) class="interval" />
                    <circle cx=x(index) cy=y(*mean) r="3.5" class="mean" />
                </g>
            }
            .into_any(),
            MeanPoint::Hidden => {
                let label = hidden_label.clone();
                view! {
                    <rect x=x(index) - 4.0 y=TOP + plot_height - 12.0 width="8" height="12" class="hidden-mark" fill="#dddddd">
                        <title>{label}</title>
                    </rect>
                }
                .into_any()
            }
            MeanPoint::NoAnswers => ().into_any(),
        })
        .collect_view();
    let references = references
        .into_iter()
        .map(|(value, label)| {
            view! {
                <line x1=LEFT x2=WIDTH - RIGHT y1=y(value) y2=y(value) class="reference" />
                <text x=WIDTH - RIGHT y=y(value) - 4.0 text-anchor="end" class="reference-label">{label}</text>
            }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    let description_id = format!("{id}-description");
    let labelled_by = format!("{title_id} {description_id}");
    view! {
        <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled_by>
            <title id=title_id>{title}</title>
            <desc id=description_id>{description}</desc>
            {axes(&categories, range, language, "")}
            {references}
            <polyline points=line class="mean-line" fill="none" />
            {marks}
            {target_line(target.map(|(value, label)| (value - low, label)), span)}
        </svg>
    }
}
