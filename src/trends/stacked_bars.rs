//! A stacked bar chart in hand-made SVG: one bar per period, one segment per series.

use leptos::prelude::*;
use spor_core::Language;

use crate::trends::chart_frame::{SERIES_STYLES, series_patterns};

/// The drawing area, in SVG units; the SVG scales to its container's width.
pub(crate) const WIDTH: f64 = 400.0;
pub(crate) const HEIGHT: f64 = 220.0;
pub(crate) const LEFT: f64 = 40.0;
pub(crate) const BOTTOM: f64 = 30.0;
pub(crate) const TOP: f64 = 10.0;
/// Room for the last axis label, centred under the last bar.
pub(crate) const RIGHT: f64 = 24.0;

/// A rounded-up axis maximum: 1, 2 or 5 times a power of ten.
pub(crate) fn nice_max(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|step| step * power)
        .find(|candidate| *candidate >= value)
        .unwrap_or(10.0 * power)
}

/// The y axis from `low` to `high` (three ticks with grid lines) and every few category labels
/// under the plot.
pub(crate) fn axes(
    categories: &[String],
    (low, high): (f64, f64),
    language: Language,
    suffix: &'static str,
) -> impl IntoView + use<> {
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / categories.len().max(1) as f64;
    let step = categories.len().div_ceil(5).max(1);
    let span = (high - low).max(f64::EPSILON);
    // The middle tick of a count axis up to 5 is 2.5: it shows its decimal rather than round.
    let decimals = if (span / 2.0).fract() != 0.0 || span < 3.0 {
        1
    } else {
        0
    };
    let ticks = [low, low + span / 2.0, high].map(|value| {
        let y = TOP + plot_height - (value - low) / span * plot_height;
        let label = format!("{}{suffix}", language.format_number(value, decimals));
        view! {
            <line x1=LEFT x2=WIDTH - RIGHT y1=y y2=y class="grid" />
            <text x=LEFT - 4.0 y=y + 4.0 text-anchor="end" class="tick">{label}</text>
        }
    });
    let labels = categories
        .iter()
        .enumerate()
        .filter(|(index, _)| index % step == 0)
        .map(|(index, label)| {
            let x = LEFT + slot * (index as f64 + 0.5);
            view! { <text x=x y=HEIGHT - 10.0 text-anchor="middle" class="tick">{label.clone()}</text> }
        })
        .collect_view();
    view! {
        {ticks.into_iter().collect_view()}
        {labels}
    }
}

/// A dashed line at `target` with its label: a goal drawn on the chart it is about.
pub(crate) fn target_line(target: Option<(f64, String)>, max: f64) -> impl IntoView + use<> {
    let plot_height = HEIGHT - TOP - BOTTOM;
    target.map(|(value, label)| {
        let y = TOP + plot_height - value.min(max) / max * plot_height;
        view! {
            <line x1=LEFT x2=WIDTH - RIGHT y1=y y2=y class="target" />
            <text x=WIDTH - RIGHT y=y - 4.0 text-anchor="end" class="target-label">{label}</text>
        }
    })
}

#[component]
pub fn StackedBars(
    /// Prefixes the ids inside (patterns, title).
    id: String,
    title: String,
    description: String,
    categories: Vec<String>,
    /// Each series' values per category; `None` is hidden by suppression.
    series: Vec<Vec<Option<f64>>>,
    /// A fixed axis maximum (100 for shares); otherwise the highest bar sets it.
    #[prop(optional_no_strip)]
    max: Option<f64>,
    /// Appended to the axis numbers ("%" for shares).
    #[prop(optional)]
    suffix: &'static str,
    #[prop(optional_no_strip)] target: Option<(f64, String)>,
    /// The title of a bar that hides a figure ("fewer than 5").
    hidden_label: String,
    language: Language,
) -> impl IntoView {
    let totals: Vec<f64> = (0..categories.len())
        .map(|index| {
            series
                .iter()
                .filter_map(|values| values.get(index).copied().flatten())
                .sum()
        })
        .collect();
    let highest = totals
        .iter()
        .copied()
        .chain(target.as_ref().map(|(value, _)| *value))
        .fold(0.0, f64::max);
    let max = max.unwrap_or_else(|| nice_max(highest));
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / categories.len().max(1) as f64;
    let bar = (slot * 0.7).max(1.0);
    let scale = move |value: f64| value / max * plot_height;
    let bars = (0..categories.len())
        .map(|index| {
            let x = LEFT + slot * index as f64 + (slot - bar) / 2.0;
            let mut base = TOP + plot_height;
            let mut segments = Vec::new();
            let mut hidden = false;
            for (style, values) in series.iter().enumerate() {
                match values.get(index).copied().flatten() {
                    Some(value) if value > 0.0 => {
                        let height = scale(value);
                        base -= height;
                        let fill = format!("url(#{id}-s{})", style % SERIES_STYLES);
                        segments.push(view! { <rect x=x y=base width=bar height=height fill=fill /> });
                    }
                    Some(_) => {}
                    None => hidden = true,
                }
            }
            let hidden_mark = hidden.then(|| {
                let fill = format!("url(#{id}-hidden)");
                let label = hidden_label.clone();
                view! {
                    <rect x=x y=base - 12.0 width=bar height="12" fill=fill class="hidden-mark">
                        <title>{label}</title>
                    </rect>
                }
            });
            view! { <g>{segments}{hidden_mark}</g> }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    let description_id = format!("{id}-description");
    let labelled_by = format!("{title_id} {description_id}");
    let hidden_pattern = format!("{id}-hidden");
    view! {
        <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled_by>
            <title id=title_id>{title}</title>
            <desc id=description_id>{description}</desc>
            <defs>
                {series_patterns(&id)}
                <pattern id=hidden_pattern width="6" height="6" patternUnits="userSpaceOnUse">
                    <rect width="6" height="6" fill="#eeeeee" />
                    <path d="M0,6 L6,0" stroke="#666666" stroke-width="1" />
                </pattern>
            </defs>
            {axes(&categories, (0.0, max), language, suffix)}
            {bars}
            {target_line(target, max)}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::nice_max;

    #[test]
    fn axis_maxima_round_up_to_one_two_or_five() {
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(13.0), 20.0);
        assert_eq!(nice_max(41.0), 50.0);
        assert_eq!(nice_max(0.0), 1.0);
    }
}
