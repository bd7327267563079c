//! Umbrella figures without personal data. A member that follows a standard package exports an
//! aggregate file for a period: only the package's core indicators, as figures, no pseudonyms and
//! no ids of people or records (schema: `docs/aggregate.schema.json`). Survey figures over fewer
//! people than the member's threshold are hidden in the file already. Counts of people at the
//! activities (participants, those who came back, moves to volunteering) are the organisation's
//! own everyday counts (DESIGN.md: not suppressed) and travel exactly, so the umbrella's totals
//! are true; the umbrella's comparison page hides the small ones, and as many more as it takes
//! so that no hidden figure can be worked out from the total and the rest ([`Comparison::of`]).

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::file_head::{FileKind, HeadProblem};
use crate::goal::GoalMetric;
use crate::ids::{ActivityId, GoalId, OrganisationId, PackageId};
use crate::language::Language;
use crate::organisation::ReportingSettings;
use crate::package::Standard;
use crate::suppression::suppress_cells;
use crate::trends::{Dataset, SessionsAndStories, indicator_value};
use crate::validation::{Field, Problem, Problems, limits};

pub const AGGREGATE_FORMAT: &str = "spor-aggregate";
pub const AGGREGATE_FORMAT_VERSION: u32 = 1;

/// One member's core figures over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    pub format: String,
    pub format_version: u32,
    pub package: PackageId,
    pub package_name: String,
    pub package_version: u32,
    /// The member's name as it wants the umbrella to show it.
    pub member: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The member's suppression threshold its survey figures were hidden by.
    pub threshold: u32,
    pub figures: Vec<Figure>,
}

/// A core indicator's figure, under the package's id for the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub indicator: GoalId,
    pub metric: GoalMetric,
    pub value: FigureValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FigureValue {
    /// People counted at the activity: exact.
    People { count: u32 },
    /// Hours or stories, not people.
    Amount { value: f64 },
    /// A mean or a share and what it is over (sessions held, participants, people who answered).
    Rate { value: f64, over: u32 },
    /// A survey figure over fewer people than the threshold.
    Hidden,
    /// Nothing to count in the period.
    NoData,
}

/// How a metric's figures of several members add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    People,
    Amount,
    /// A rate from attendance: the organisation's own.
    Rate,
    /// A rate from survey answers: hidden under the threshold.
    SurveyRate,
}

fn kind(metric: GoalMetric) -> Kind {
    match metric {
        GoalMetric::UniqueParticipants
        | GoalMetric::ReturningParticipants
        | GoalMetric::BackAfterBreak
        | GoalMetric::MovesToVolunteer => Kind::People,
        GoalMetric::VolunteerHours | GoalMetric::StoriesTold => Kind::Amount,
        GoalMetric::MeanAttendance | GoalMetric::NewParticipantsPercent => Kind::Rate,
        GoalMetric::MeasureMean { .. } | GoalMetric::BandShare { .. } | GoalMetric::PairedChange { .. } => {
            Kind::SurveyRate
        }
    }
}

/// What a member's aggregate is of.
#[derive(Debug, Clone, Copy)]
pub struct AggregateQuery<'a> {
    /// The standard the activity follows (its theory's).
    pub standard: &'a Standard,
    pub activity: ActivityId,
    pub member: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub settings: ReportingSettings,
}

impl Aggregate {
    /// The member's figures of the standard's core indicators at `activity` over the period.
    pub fn compute(query: AggregateQuery, data: &Dataset, beside: SessionsAndStories) -> Aggregate {
        let figures = query
            .standard
            .indicators
            .iter()
            .map(|indicator| {
                let goal = indicator.goal(query.activity, query.from, query.to);
                let figure = indicator_value(&goal, data, beside, query.settings);
                let value = match (kind(indicator.metric), figure.value) {
                    (Kind::People, value) => FigureValue::People {
                        count: value.map_or(0, |value| value.round() as u32),
                    },
                    (Kind::Amount, Some(value)) => FigureValue::Amount { value },
                    (Kind::Rate | Kind::SurveyRate, Some(value)) => FigureValue::Rate {
                        value,
                        over: figure.over,
                    },
                    (Kind::SurveyRate, None) => FigureValue::Hidden,
                    (Kind::Amount | Kind::Rate, None) => FigureValue::NoData,
                };
                Figure {
                    indicator: indicator.id,
                    metric: indicator.metric,
                    value,
                }
            })
            .collect();
        Aggregate {
            format: AGGREGATE_FORMAT.into(),
            format_version: AGGREGATE_FORMAT_VERSION,
            package: query.standard.package,
            package_name: query.standard.name.clone(),
            package_version: query.standard.version,
            member: query.member.trim().to_owned(),
            from: query.from,
            to: query.to,
            threshold: query.settings.suppression_threshold,
            figures,
        }
    }

    pub fn to_file(&self) -> String {
        serde_json::to_string_pretty(self).expect("an aggregate serialises")
    }

    /// Reads an aggregate file whole, or says why not.
    pub fn parse(text: &str) -> Result<Aggregate, AggregateError> {
        let kind = FileKind {
            format: AGGREGATE_FORMAT,
            version_field: "format_version",
            version: AGGREGATE_FORMAT_VERSION,
        };
        let aggregate: Aggregate = kind.read(text)?;
        aggregate
            .validate()
            .map_err(|problems| AggregateError::Invalid { problems })?;
        Ok(aggregate)
    }

    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        problems.required_text(Field::MemberName, &self.member, limits::NAME);
        problems.period(self.from, self.to);
        if self.threshold < crate::organisation::MIN_SUPPRESSION_THRESHOLD {
            problems.push(Problem::ThresholdTooLow {
                threshold: self.threshold,
                min: crate::organisation::MIN_SUPPRESSION_THRESHOLD,
            });
        }
        let ids: BTreeSet<GoalId> = self.figures.iter().map(|figure| figure.indicator).collect();
        if ids.len() != self.figures.len() {
            problems.push(Problem::DuplicateIndicator);
        }
        for figure in &self.figures {
            let (min, max) = figure.metric.range();
            let fits = match (kind(figure.metric), figure.value) {
                (Kind::People, FigureValue::People { count }) => f64::from(count) <= max,
                (Kind::Amount, FigureValue::Amount { value }) => {
                    value.is_finite() && (min..=max).contains(&value)
                }
                (Kind::Rate | Kind::SurveyRate, FigureValue::Rate { value, over }) => {
                    value.is_finite()
                        && (min..=max).contains(&value)
                        && (kind(figure.metric) == Kind::Rate || over >= self.threshold)
                }
                (Kind::SurveyRate, FigureValue::Hidden)
                | (Kind::Amount | Kind::Rate, FigureValue::NoData) => true,
                _ => false,
            };
            if !fits {
                // A survey figure over fewer people than the threshold, or a figure of the wrong
                // kind for its metric: not a file this Spor wrote.
                problems.push(Problem::WrongFieldValue {
                    name: format!("figures.{}", figure.indicator),
                });
            }
        }
        problems.into_result()
    }
}

/// A coordinator's consent to send the figures of one period to the umbrella through the server
/// both share: given for that period, never for "from now on".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub given_at: DateTime<Utc>,
}

/// What a member's device sends the server for its umbrella (`POST /api/v1/aggregates`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sending {
    /// The umbrella's organisation on this server (the package's `inbox`).
    pub to: OrganisationId,
    pub aggregate: Aggregate,
    pub consent: Consent,
}

/// What an umbrella's device reads back (`GET /api/v1/aggregates`): each member's newest figures
/// per package and period, under the member organisation's name on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Received {
    pub from: String,
    pub received_at: DateTime<Utc>,
    pub aggregate: Aggregate,
    pub consent: Consent,
}

/// The largest sending a server reads: a few dozen figures.
pub const MAX_SENDING_BYTES: usize = 64 * 1024;

impl Sending {
    /// Whether `from` may send this: figures Spor could have written, for exactly the period a
    /// coordinator consented to, to another organisation.
    pub fn check(&self, from: OrganisationId) -> Result<(), Vec<Problem>> {
        let mut problems = self.aggregate.validate().err().unwrap_or_default();
        if (self.consent.from, self.consent.to) != (self.aggregate.from, self.aggregate.to) {
            problems.push(Problem::ConsentForAnotherPeriod);
        }
        if self.to == from {
            problems.push(Problem::SentToItself);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Why a file could not be read as an aggregate; nothing of it was added.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AggregateError {
    #[error("unreadable: {detail}")]
    Unreadable { detail: String },
    #[error("not an aggregate: {detail}")]
    NotAnAggregate { detail: String },
    #[error("newer format {version}")]
    NewerFormat { version: u32 },
    #[error("invalid: {problems:?}")]
    Invalid { problems: Vec<Problem> },
    /// Of another package than the files already on the page.
    #[error("another package")]
    AnotherPackage { name: String },
    /// Over another period than the files already on the page.
    #[error("another period")]
    AnotherPeriod,
    /// A second file of a member already on the page.
    #[error("member twice")]
    MemberTwice { member: String },
}

impl From<HeadProblem> for AggregateError {
    fn from(problem: HeadProblem) -> AggregateError {
        match problem {
            HeadProblem::Unreadable { detail } => AggregateError::Unreadable { detail },
            HeadProblem::Foreign { detail } => AggregateError::NotAnAggregate { detail },
            HeadProblem::Newer { version } => AggregateError::NewerFormat { version },
        }
    }
}

impl AggregateError {
    pub fn message(&self, language: Language) -> String {
        match (self, language) {
            (AggregateError::Unreadable { detail }, Language::Da) => {
                format!("Filen kan ikke læses; måske er den ufuldstændig ({detail}).")
            }
            (AggregateError::Unreadable { detail }, Language::En) => {
                format!("The file cannot be read; it may be incomplete ({detail}).")
            }
            (AggregateError::NotAnAggregate { detail }, Language::Da) => {
                format!("Filen er ikke et tal-udtræk fra Spor ({detail}).")
            }
            (AggregateError::NotAnAggregate { detail }, Language::En) => {
                format!("The file is not a Spor figures file ({detail}).")
            }
            (AggregateError::NewerFormat { version }, Language::Da) => {
                format!("Filen er lavet af en nyere udgave af Spor (format {version}). Opdatér appen først.")
            }
            (AggregateError::NewerFormat { version }, Language::En) => {
                format!("The file was made by a newer Spor (format {version}). Update the app first.")
            }
            (AggregateError::Invalid { problems }, language) => {
                let list: Vec<String> = problems.iter().map(|problem| problem.message(language)).collect();
                match language {
                    Language::Da => format!("Filen bryder reglerne: {}", list.join(" ")),
                    Language::En => format!("The file breaks the rules: {}", list.join(" ")),
                }
            }
            (AggregateError::AnotherPackage { name }, Language::Da) => {
                format!("Filen hører til en anden standard (\"{name}\") end de andre filer.")
            }
            (AggregateError::AnotherPackage { name }, Language::En) => {
                format!("The file belongs to another standard (\"{name}\") than the other files.")
            }
            (AggregateError::AnotherPeriod, Language::Da) => {
                "Filen dækker en anden periode end de andre filer.".into()
            }
            (AggregateError::AnotherPeriod, Language::En) => {
                "The file covers another period than the other files.".into()
            }
            (AggregateError::MemberTwice { member }, Language::Da) => {
                format!("Der er allerede en fil fra {member}.")
            }
            (AggregateError::MemberTwice { member }, Language::En) => {
                format!("There is a file from {member} already.")
            }
        }
    }
}

/// Whether `next` may join `files` on one comparison page: the same package, the same period, a
/// member not there yet.
pub fn may_join(files: &[Aggregate], next: &Aggregate) -> Result<(), AggregateError> {
    let Some(first) = files.first() else {
        return Ok(());
    };
    if first.package != next.package {
        return Err(AggregateError::AnotherPackage {
            name: next.package_name.clone(),
        });
    }
    if (first.from, first.to) != (next.from, next.to) {
        return Err(AggregateError::AnotherPeriod);
    }
    if files.iter().any(|file| file.member == next.member) {
        return Err(AggregateError::MemberTwice {
            member: next.member.clone(),
        });
    }
    Ok(())
}

/// A figure on the comparison page.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Cell {
    Shown(f64),
    /// Fewer people than the threshold, or hidden so that such a figure cannot be worked out.
    Hidden,
    NoData,
}

/// One core indicator: each member's figure side by side, and the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    pub indicator: GoalId,
    pub metric: GoalMetric,
    /// In the order of the members.
    pub cells: Vec<Cell>,
    pub total: Cell,
    /// How many members' figures a mean or share's total is over (those shown).
    pub total_over_members: usize,
}

/// The umbrella's comparison page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub members: Vec<String>,
    pub rows: Vec<ComparisonRow>,
}

impl Comparison {
    /// The page for `files` (of one package and period), hiding counts of people under
    /// `threshold` with their complements. Rows follow the first file's indicators.
    pub fn of(files: &[Aggregate], threshold: u32) -> Comparison {
        let mut indicators: Vec<(GoalId, GoalMetric)> = Vec::new();
        for figure in files.iter().flat_map(|file| &file.figures) {
            if !indicators.iter().any(|(id, _)| *id == figure.indicator) {
                indicators.push((figure.indicator, figure.metric));
            }
        }
        let rows = indicators
            .into_iter()
            .map(|(indicator, metric)| {
                let values: Vec<FigureValue> = files
                    .iter()
                    .map(|file| {
                        file.figures
                            .iter()
                            .find(|figure| figure.indicator == indicator)
                            .map_or(FigureValue::NoData, |figure| figure.value)
                    })
                    .collect();
                row(indicator, metric, &values, threshold)
            })
            .collect();
        Comparison {
            members: files.iter().map(|file| file.member.clone()).collect(),
            rows,
        }
    }
}

fn row(indicator: GoalId, metric: GoalMetric, values: &[FigureValue], threshold: u32) -> ComparisonRow {
    let (cells, total, total_over_members) = match kind(metric) {
        Kind::People => {
            let counts: Vec<u32> = values
                .iter()
                .map(|value| match value {
                    FigureValue::People { count } => *count,
                    _ => 0,
                })
                .collect();
            let (cells, total) = people_row(&counts, threshold);
            (cells, total, values.len())
        }
        Kind::Amount => {
            let cells: Vec<Cell> = values
                .iter()
                .map(|value| match value {
                    FigureValue::Amount { value } => Cell::Shown(*value),
                    _ => Cell::NoData,
                })
                .collect();
            let shown: Vec<f64> = cells.iter().filter_map(|cell| shown(*cell)).collect();
            let total = if shown.is_empty() {
                Cell::NoData
            } else {
                Cell::Shown(shown.iter().sum())
            };
            (cells, total, shown.len())
        }
        Kind::Rate | Kind::SurveyRate => {
            let cells: Vec<Cell> = values
                .iter()
                .map(|value| match value {
                    FigureValue::Rate { value, .. } => Cell::Shown(*value),
                    FigureValue::Hidden => Cell::Hidden,
                    _ => Cell::NoData,
                })
                .collect();
            // The mean over what each shown figure is over: the members hidden are left out of
            // the total, never worked into it.
            let shown: Vec<(f64, u32)> = values
                .iter()
                .filter_map(|value| match value {
                    FigureValue::Rate { value, over } if *over > 0 => Some((*value, *over)),
                    _ => None,
                })
                .collect();
            let over: u64 = shown.iter().map(|(_, over)| u64::from(*over)).sum();
            let total = if over == 0 {
                Cell::NoData
            } else {
                let mut weighted: Vec<f64> = shown
                    .iter()
                    .map(|(value, over)| value * f64::from(*over))
                    .collect();
                weighted.sort_by(f64::total_cmp);
                Cell::Shown(weighted.iter().sum::<f64>() / over as f64)
            };
            (cells, total, shown.len())
        }
    };
    ComparisonRow {
        indicator,
        metric,
        cells,
        total,
        total_over_members,
    }
}

fn shown(cell: Cell) -> Option<f64> {
    match cell {
        Cell::Shown(value) => Some(value),
        _ => None,
    }
}

/// Counts of people per member and their total: a member's count under the threshold is hidden,
/// and with it as many of the smallest others as it takes (`suppress_cells`), so the total minus
/// the shown counts never gives one member's count; a total under the threshold is hidden too.
pub fn people_row(counts: &[u32], threshold: u32) -> (Vec<Cell>, Cell) {
    let total: u32 = counts.iter().sum();
    let cells = suppress_cells(counts, threshold)
        .into_iter()
        .zip(counts)
        .map(|(cell, count)| match cell.shown() {
            Some(_) => Cell::Shown(f64::from(*count)),
            None => Cell::Hidden,
        })
        .collect();
    let total = if total >= threshold {
        Cell::Shown(f64::from(total))
    } else {
        Cell::Hidden
    };
    (cells, total)
}
