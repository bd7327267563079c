//! The theory of change drawn as boxes and arrows, top to bottom: target group, what we do, the
//! short-term outcomes, the long-term outcomes, and the assumptions beneath. One column, so it
//! reads at 320 px and prints on A4 for the workshop wall; an SVG, so it scales without blur.

use leptos::prelude::*;
use spor_core::theory::{Term, TheoryOfChange};

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;

/// The drawing's width in SVG units; it is scaled to the column it sits in.
const WIDTH: f64 = 320.0;
const PADDING: f64 = 10.0;
const LINE_HEIGHT: f64 = 18.0;
const HEADING_HEIGHT: f64 = 22.0;
const ARROW: f64 = 26.0;
const GAP: f64 = 8.0;
/// Characters per line at the drawing's 13-unit font in a box of the full width.
const CHARACTERS_PER_LINE: usize = 40;

/// What a box says, and whether it is the dashed box of assumptions.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub heading: String,
    pub lines: Vec<String>,
    pub y: f64,
    pub height: f64,
    pub assumptions: bool,
    /// An arrow runs from this box down to the next.
    pub arrow_below: bool,
}

/// `text` broken into lines of at most `width` characters, at spaces where it can be; a word
/// longer than a line is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        if word.is_empty() {
            continue;
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The boxes of `theory`, in order from the top, with the headings given. Outcomes of one term
/// share a heading; each outcome has a box of its own.
pub fn layout(theory: &TheoryOfChange, headings: &Headings) -> Vec<Block> {
    let mut sections: Vec<(String, Vec<Vec<String>>, bool)> = vec![
        (
            headings.target_group.clone(),
            vec![wrap(&theory.target_group, CHARACTERS_PER_LINE)],
            false,
        ),
        (
            headings.activities.clone(),
            vec![wrap(&theory.activities, CHARACTERS_PER_LINE)],
            false,
        ),
    ];
    for (term, heading) in [(Term::Short, &headings.short), (Term::Long, &headings.long)] {
        let boxes: Vec<Vec<String>> = theory
            .outcomes_of(term)
            .map(|outcome| wrap(&outcome.text, CHARACTERS_PER_LINE))
            .collect();
        if !boxes.is_empty() {
            sections.push((heading.clone(), boxes, false));
        }
    }
    if !theory.assumptions.trim().is_empty() {
        sections.push((
            headings.assumptions.clone(),
            vec![wrap(&theory.assumptions, CHARACTERS_PER_LINE)],
            true,
        ));
    }
    let causal = sections.iter().filter(|(_, _, assumptions)| !assumptions).count();
    let mut blocks = Vec::new();
    let mut y = PADDING;
    for (index, (heading, boxes, assumptions)) in sections.into_iter().enumerate() {
        let count = boxes.len();
        for (within, lines) in boxes.into_iter().enumerate() {
            let first = within == 0;
            let last = within + 1 == count;
            let height =
                if first { HEADING_HEIGHT } else { 0.0 } + LINE_HEIGHT * lines.len().max(1) as f64 + PADDING;
            blocks.push(Block {
                heading: if first { heading.clone() } else { String::new() },
                lines,
                y,
                height,
                assumptions,
                arrow_below: last && index + 1 < causal,
            });
            y += height + if last { ARROW } else { GAP };
        }
    }
    blocks
}

/// The drawing's height: below its last box.
pub fn height(blocks: &[Block]) -> f64 {
    blocks
        .last()
        .map_or(PADDING * 2.0, |block| block.y + block.height + PADDING)
}

/// The boxes' headings, in the language on screen.
pub struct Headings {
    pub target_group: String,
    pub activities: String,
    pub short: String,
    pub long: String,
    pub assumptions: String,
}

/// The diagram of one version, with its content as text for screen readers.
#[component]
pub fn TheoryDiagram(theory: TheoryOfChange) -> impl IntoView {
    let i18n = use_i18n();
    let headings = Headings {
        target_group: i18n.t(Key::TheoryTargetGroup).to_owned(),
        activities: i18n.t(Key::TheoryActivities).to_owned(),
        short: i18n.t(Key::TheoryShortTerm).to_owned(),
        long: i18n.t(Key::TheoryLongTerm).to_owned(),
        assumptions: i18n.t(Key::TheoryAssumptions).to_owned(),
    };
    // The theory's own text is read in the language it was written in.
    let written = theory.language.tag();
    let blocks = layout(&theory, &headings);
    let total = height(&blocks);
    let drawn = blocks
        .iter()
        .map(|block| {
            let x = PADDING;
            let width = WIDTH - 2.0 * PADDING;
            let text_top = block.y + if block.heading.is_empty() { 0.0 } else { HEADING_HEIGHT };
            let lines = block
                .lines
                .iter()
                .enumerate()
                .map(|(n, line)| {
                    view! {
                        <text x=x + 8.0 y=text_top + LINE_HEIGHT * (n as f64 + 1.0) class="diagram-line" lang=written>{line.clone()}</text>
                    }
                })
                .collect_view();
            let arrow = block.arrow_below.then(|| {
                let (top, bottom) = (block.y + block.height + 2.0, block.y + block.height + ARROW - 2.0);
                let middle = WIDTH / 2.0;
                view! {
                    <line x1=middle y1=top x2=middle y2=bottom - 6.0 class="diagram-arrow" />
                    <polygon
                        points=format!("{},{} {},{} {},{}", middle - 6.0, bottom - 8.0, middle + 6.0, bottom - 8.0, middle, bottom)
                        class="diagram-arrowhead"
                    />
                }
            });
            view! {
                <rect
                    x=x
                    y=block.y
                    width=width
                    height=block.height
                    rx="6"
                    class=if block.assumptions { "diagram-box assumptions" } else { "diagram-box" }
                />
                {(!block.heading.is_empty()).then(|| view! {
                    <text x=x + 8.0 y=block.y + 17.0 class="diagram-heading">{block.heading.clone()}</text>
                })}
                {lines}
                {arrow}
            }
        })
        .collect_view();
    let outcomes_of = |term: Term| {
        theory
            .outcomes_of(term)
            .map(|outcome| view! { <li lang=written>{outcome.text.clone()}</li> })
            .collect_view()
    };
    view! {
        <figure class="theory-diagram" data-testid="theory-diagram">
            <svg viewBox=format!("0 0 {WIDTH} {total}") width="100%" aria-hidden="true" focusable="false">
                {drawn}
            </svg>
            <div class="visually-hidden">
                <h3>{i18n.text(Key::TheoryTargetGroup)}</h3>
                <p lang=written>{theory.target_group.clone()}</p>
                <h3>{i18n.text(Key::TheoryActivities)}</h3>
                <p lang=written>{theory.activities.clone()}</p>
                <h3>{i18n.text(Key::TheoryShortTerm)}</h3>
                <ul>{outcomes_of(Term::Short)}</ul>
                <h3>{i18n.text(Key::TheoryLongTerm)}</h3>
                <ul>{outcomes_of(Term::Long)}</ul>
                <h3>{i18n.text(Key::TheoryAssumptions)}</h3>
                <p lang=written>{theory.assumptions.clone()}</p>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use spor_core::ids::OutcomeId;
    use spor_core::theory::Outcome;

    fn headings() -> Headings {
        Headings {
            target_group: "Målgruppe".into(),
            activities: "Det, vi gør".into(),
            short: "Kort sigt".into(),
            long: "Lang sigt".into(),
            assumptions: "Antagelser".into(),
        }
    }

    #[test]
    fn wrapping_keeps_every_word_in_order_within_the_width() {
        let text = "Ældre, der bor alene i Nordbyen og sjældent taler med andre i løbet af en uge";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|line| line.chars().count() <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(
            wrap("Donaudampfschifffahrtsgesellschaft", 10).concat(),
            "Donaudampfschifffahrtsgesellschaft"
        );
        assert!(wrap("   ", 10).is_empty());
    }

    #[test]
    fn boxes_run_down_the_page_without_overlapping_with_arrows_between_the_steps() {
        let outcome = |n: u128, term, text: &str| Outcome {
            id: OutcomeId(uuid::Uuid::from_u128(n)),
            term,
            text: text.into(),
        };
        let theory = TheoryOfChange {
            target_group: "Ældre, der bor alene".into(),
            activities: "En ugentlig café".into(),
            outcomes: vec![
                outcome(1, Term::Short, "Kender nogen at tale med"),
                outcome(2, Term::Short, "Kommer ud af huset hver uge"),
                outcome(3, Term::Long, "Føler sig mindre ensom"),
            ],
            assumptions: "Faste frivillige skaber tryghed".into(),
            ..TheoryOfChange::first(
                None,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                spor_core::Language::Da,
            )
        };
        let blocks = layout(&theory, &headings());
        let headed: Vec<&str> = blocks.iter().map(|b| b.heading.as_str()).collect();
        assert_eq!(
            headed,
            [
                "Målgruppe",
                "Det, vi gør",
                "Kort sigt",
                "",
                "Lang sigt",
                "Antagelser"
            ]
        );
        for pair in blocks.windows(2) {
            assert!(pair[0].y + pair[0].height < pair[1].y, "{pair:?}");
        }
        let arrows: Vec<bool> = blocks.iter().map(|b| b.arrow_below).collect();
        // Between the steps, not between two outcomes of one step, nor into the assumptions.
        assert_eq!(arrows, [true, true, false, true, false, false]);
        assert!(height(&blocks) > blocks[5].y + blocks[5].height);
    }
}
