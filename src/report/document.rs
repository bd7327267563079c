//! A report in words: spor-core's figures (`spor_core::report`) and the coordinators' own text per
//! section (`spor_core::report_text`) as the blocks of a document (`spor_core::docx::Block`), which
//! the page shows and prints and the Word file holds, so the screen, the paper and the file say
//! the same.

use leptos::prelude::*;
use spor_core::Language;
use spor_core::activity::Activity;
use spor_core::docx::Block;
use spor_core::report::{OutcomeResult, Report, ReportShape, Section};
use spor_core::report_text::{ReportPart, ReportText};
use spor_core::role::Role;

use crate::components::goal_text::{describe_goal, status_text};
use crate::contexts::i18n_context::I18n;
use crate::i18n::report::Key as ReportKey;

/// The name a shape goes by.
pub fn shape_name(shape: ReportShape) -> ReportKey {
    match shape {
        ReportShape::StatusReport => ReportKey::ShapeStatus,
        ReportShape::AnnualReport => ReportKey::ShapeAnnual,
        ReportShape::QualityModel => ReportKey::ShapeQuality,
    }
}

/// One part of the document: the title (no section), or a section with its figures and, once
/// `with_own_words` adds it, the coordinators' text for it last.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentPart {
    pub section: Option<ReportPart>,
    pub blocks: Vec<Block>,
}

/// The text of `texts` written for `part`, if any.
pub fn own_words(part: ReportPart, texts: &[ReportText]) -> Option<&ReportText> {
    texts.iter().find(|text| text.part() == part)
}

/// The parts with each section's own text added at its end (an empty text adds nothing). Apart
/// from `document`, so a saved text does not compute the report's figures again.
pub fn with_own_words(parts: &[DocumentPart], texts: &[ReportText]) -> Vec<DocumentPart> {
    parts
        .iter()
        .map(|part| {
            let mut part = part.clone();
            let written = part.section.and_then(|section| own_words(section, texts));
            if let Some(text) = written.filter(|text| !text.text.trim().is_empty()) {
                part.blocks.push(Block::Paragraph(text.text.clone()));
            }
            part
        })
        .collect()
}

/// The document's blocks in reading order, as the Word file holds them.
pub fn flattened(parts: &[DocumentPart]) -> Vec<Block> {
    parts
        .iter()
        .flat_map(|part| part.blocks.iter().cloned())
        .collect()
}

/// The report's parts with its figures, in reading order, in the language on screen.
pub fn document(report: &Report, activities: &[Activity], i18n: I18n) -> Vec<DocumentPart> {
    let language = i18n.language.get_untracked();
    let activity_name = |id| {
        activities
            .iter()
            .find(|activity| activity.id == id)
            .map(|activity| activity.name.clone())
            .unwrap_or_default()
    };
    let scope = report
        .activity
        .map_or_else(|| i18n.t(ReportKey::ScopeAll).to_owned(), activity_name);
    let title = vec![Block::Title(i18n.format(
        ReportKey::Heading,
        &[
            ("shape", i18n.t(shape_name(report.shape))),
            ("scope", &scope),
            ("from", &language.format_date(report.from)),
            ("to", &language.format_date(report.to)),
        ],
    ))];
    let mut parts = vec![DocumentPart {
        section: None,
        blocks: title,
    }];
    for &section in report.sections() {
        let mut blocks = Vec::new();
        match section {
            Section::Delivery => delivery(report, &activity_name, i18n, &mut blocks),
            Section::Reach => reach(report, i18n, &mut blocks),
            Section::Results => results(report, i18n, &mut blocks),
            Section::Reflections => reflections(report, &activity_name, i18n, &mut blocks),
            Section::Volunteers => volunteers(report, i18n, &mut blocks),
        }
        parts.push(DocumentPart {
            section: Some(report.part(section)),
            blocks,
        });
    }
    parts
}

/// A section's heading: what a coordinator's text is written for.
pub fn section_name(section: Section) -> ReportKey {
    match section {
        Section::Delivery => ReportKey::SectionDelivery,
        Section::Reach => ReportKey::SectionReach,
        Section::Results => ReportKey::SectionResults,
        Section::Reflections => ReportKey::SectionReflections,
        Section::Volunteers => ReportKey::SectionVolunteers,
    }
}

fn number(value: u32, language: Language) -> String {
    language.format_number(f64::from(value), 0)
}

fn delivery(
    report: &Report,
    activity_name: &dyn Fn(spor_core::ids::ActivityId) -> String,
    i18n: I18n,
    blocks: &mut Vec<Block>,
) {
    let language = i18n.language.get_untracked();
    blocks.push(Block::Heading(i18n.t(section_name(Section::Delivery)).to_owned()));
    let Some(delivery) = report.delivery else {
        blocks.push(Block::Paragraph(i18n.t(ReportKey::DeliveryNoPlan).to_owned()));
        return;
    };
    let unexplained = delivery
        .planned
        .saturating_sub(delivery.held)
        .saturating_sub(delivery.cancelled);
    blocks.push(Block::Paragraph(
        [
            i18n.format(
                ReportKey::DeliveryHeld,
                &[
                    ("held", &number(delivery.held, language)),
                    ("planned", &number(delivery.planned, language)),
                ],
            ),
            i18n.format(
                ReportKey::DeliveryExtra,
                &[("extra", &number(delivery.extra, language))],
            ),
            i18n.format(
                ReportKey::DeliveryCancelled,
                &[
                    ("cancelled", &number(delivery.cancelled, language)),
                    ("unexplained", &number(unexplained, language)),
                ],
            ),
        ]
        .join(" "),
    ));
    if !report.cancelled.is_empty() {
        blocks.push(Block::Subheading(i18n.t(ReportKey::Deviations).to_owned()));
        blocks.push(Block::Bullets(
            report
                .cancelled
                .iter()
                .map(|log| {
                    i18n.format(
                        ReportKey::Deviation,
                        &[
                            ("date", &language.format_date(log.date)),
                            ("activity", &activity_name(log.activity)),
                            ("reason", log.cancelled.as_deref().unwrap_or_default()),
                        ],
                    )
                })
                .collect(),
        ));
    }
}

fn reach(report: &Report, i18n: I18n, blocks: &mut Vec<Block>) {
    let language = i18n.language.get_untracked();
    let reach = report.reach;
    blocks.push(Block::Heading(i18n.t(section_name(Section::Reach)).to_owned()));
    blocks.push(Block::Paragraph(
        [
            i18n.format(
                ReportKey::ReachParticipants,
                &[
                    ("participants", &number(reach.participants, language)),
                    ("new", &number(reach.new_participants, language)),
                ],
            ),
            i18n.format(
                ReportKey::ReachAttendances,
                &[
                    ("attendances", &number(reach.attendances, language)),
                    ("anonymous", &number(reach.anonymous, language)),
                ],
            ),
        ]
        .join(" "),
    ));
    let total = f64::from(reach.roles.total().max(1));
    blocks.push(Block::Table {
        header: [ReportKey::Role, ReportKey::Attendances, ReportKey::Share]
            .map(|key| i18n.t(key).to_owned())
            .to_vec(),
        rows: Role::ALL
            .iter()
            .map(|role| {
                let count = reach.roles.get(*role);
                vec![
                    role.label(language).to_owned(),
                    number(count, language),
                    format!(
                        "{} %",
                        language.format_number(f64::from(count) * 100.0 / total, 0)
                    ),
                ]
            })
            .collect(),
    });
}

fn results(report: &Report, i18n: I18n, blocks: &mut Vec<Block>) {
    let language = i18n.language.get_untracked();
    blocks.push(Block::Heading(i18n.t(section_name(Section::Results)).to_owned()));
    blocks.push(Block::Paragraph(match report.theory {
        Some(theory) => i18n.format(
            ReportKey::TheoryVersion,
            &[
                ("version", &theory.version.to_string()),
                ("from", &language.format_date(theory.in_force_from)),
            ],
        ),
        None => i18n.t(ReportKey::NoTheory).to_owned(),
    }));
    if report.results.is_empty() {
        blocks.push(Block::Paragraph(i18n.t(ReportKey::NoResults).to_owned()));
    }
    for result in &report.results {
        outcome_result(result, i18n, language, blocks);
    }
}

fn outcome_result(result: &OutcomeResult, i18n: I18n, language: Language, blocks: &mut Vec<Block>) {
    blocks.push(Block::Subheading(match result.outcome {
        Some(outcome) => outcome.text.clone(),
        None => i18n.t(ReportKey::OtherResults).to_owned(),
    }));
    if !result.indicators.is_empty() {
        blocks.push(Block::Table {
            header: [ReportKey::Indicator, ReportKey::Period, ReportKey::Status]
                .map(|key| i18n.t(key).to_owned())
                .to_vec(),
            rows: result
                .indicators
                .iter()
                .map(|indicator| {
                    let goal = indicator.goal;
                    vec![
                        describe_goal(goal, i18n),
                        format!(
                            "{} – {}",
                            language.format_date(goal.from),
                            language.format_date(goal.to)
                        ),
                        status_text(indicator.status, goal.metric, i18n, language),
                    ]
                })
                .collect(),
        });
    }
    for story in &result.stories {
        blocks.push(Block::Quote(story.text.clone()));
    }
}

fn reflections(
    report: &Report,
    activity_name: &dyn Fn(spor_core::ids::ActivityId) -> String,
    i18n: I18n,
    blocks: &mut Vec<Block>,
) {
    let language = i18n.language.get_untracked();
    blocks.push(Block::Heading(
        i18n.t(section_name(Section::Reflections)).to_owned(),
    ));
    if report.reflections.is_empty() {
        blocks.push(Block::Paragraph(i18n.t(ReportKey::NoReflections).to_owned()));
    }
    for note in &report.reflections {
        let about = format!(
            "{}, {} – {}",
            activity_name(note.activity),
            language.format_date(note.from),
            language.format_date(note.to)
        );
        blocks.push(Block::Paragraph(format!("{about}:\n{}", note.text)));
    }
}

fn volunteers(report: &Report, i18n: I18n, blocks: &mut Vec<Block>) {
    let language = i18n.language.get_untracked();
    let effort = report.effort;
    blocks.push(Block::Heading(
        i18n.t(section_name(Section::Volunteers)).to_owned(),
    ));
    blocks.push(Block::Paragraph(
        [
            i18n.format(
                ReportKey::VolunteerHours,
                &[
                    ("hours", &language.format_number(effort.hours(), 1)),
                    ("sessions", &number(effort.sessions_logged, language)),
                    ("turns", &number(effort.volunteer_turns, language)),
                ],
            ),
            i18n.format(
                ReportKey::VolunteerPeople,
                &[("people", &number(effort.volunteers_checked_in, language))],
            ),
        ]
        .join(" "),
    ));
}

/// The blocks as HTML: the page on screen, and on paper through the print styles.
#[component]
pub fn ReportBlocks(blocks: Vec<Block>) -> impl IntoView {
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Title(text) => view! { <h2 class="report-title">{text}</h2> }.into_any(),
            Block::Heading(text) => view! { <h3>{text}</h3> }.into_any(),
            Block::Subheading(text) => view! { <h4>{text}</h4> }.into_any(),
            Block::Paragraph(text) => view! { <p class="report-paragraph">{text}</p> }.into_any(),
            Block::Quote(text) => view! { <blockquote class="story-text">{text}</blockquote> }.into_any(),
            Block::Bullets(items) => view! {
                <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
            }
            .into_any(),
            Block::Table { header, rows } => view! {
                <div class="table-scroll">
                    <table class="chart-table">
                        <thead>
                            <tr>{header.into_iter().map(|cell| view! { <th scope="col">{cell}</th> }).collect_view()}</tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|row| view! { <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        })
        .collect_view()
}
