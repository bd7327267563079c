//! Standard packages: "a common standard that supports diversity". An umbrella (FriSe for the
//! volunteer centres, a national association for its branches, a municipality for its § 18
//! grantees) publishes a theory of change with its core outcomes and indicators, the surveys that
//! go with them and the report sections it asks for, as one JSON file (schema:
//! `docs/standard-package.schema.json`). A member adopts it for one of its activities: the core
//! outcomes and indicators are locked there (the member adds its own beside them), and a newer
//! version of the package says what changed and updates the core in one step.
//!
//! A file is read whole or not at all ([`Package::parse`]): JSON, Spor's package format, a format
//! this Spor knows, the fingerprint of its content (so a file changed after it was published is
//! refused), and every record in it valid. [`Adoption::plan`] then works out every record the
//! adoption writes before anything is written.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::file_head::{FileKind, HeadProblem};
use crate::goal::{Comparison, Goal, GoalMetric};
use crate::ids::{ActivityId, GoalId, OrganisationId, OutcomeId, PackageId, TheoryId};
use crate::language::Language;
use crate::period::calendar_year;
use crate::report::{ReportShape, Section};
use crate::survey::SurveyTemplate;
use crate::theory::{self, MAX_VERSION, Outcome, TheoryOfChange};
use crate::validation::{Field, Problem, Problems, limits};

/// What a package file says it is in its `format` field.
pub const PACKAGE_FORMAT: &str = "spor-standard-package";
/// The version of the file format this Spor writes and reads.
pub const PACKAGE_FORMAT_VERSION: u32 = 1;
/// More surveys than this is not a standard for small organisations.
pub const MAX_SURVEYS: usize = 10;
/// As many indicators as a theory has outcomes, a few each.
pub const MAX_INDICATORS: usize = 30;

/// A standard package as an umbrella publishes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// The same for every version of the package.
    pub id: PackageId,
    pub name: String,
    /// 1 for the first, one more for each published revision.
    pub version: u32,
    /// Who publishes it: the umbrella's name.
    pub publisher: String,
    pub published_on: NaiveDate,
    /// The language its texts are written in.
    pub language: Language,
    pub theory: CoreTheory,
    pub indicators: Vec<CoreIndicator>,
    /// The organisation's own surveys the indicators build on (the built-ins are in every Spor).
    pub surveys: Vec<SurveyTemplate>,
    /// The sections the umbrella asks for, per report shape, in its order.
    pub report: Vec<ReportOutline>,
    /// The umbrella's organisation on a server its members share, where they may send their
    /// figures; none when members send files.
    #[serde(default)]
    pub inbox: Option<OrganisationId>,
}

/// The package's theory of change: what every member shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreTheory {
    pub target_group: String,
    pub activities: String,
    pub outcomes: Vec<Outcome>,
    pub assumptions: String,
}

/// An indicator every member follows: the figure and, if the umbrella set one, the target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreIndicator {
    /// The umbrella's id for it, the same in every version of the package.
    pub id: GoalId,
    pub outcome: Option<OutcomeId>,
    pub metric: GoalMetric,
    pub comparison: Comparison,
    pub target: Option<f64>,
}

/// The sections of a report shape the umbrella asks for, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportOutline {
    pub shape: ReportShape,
    pub sections: Vec<Section>,
}

/// The file: the package and the fingerprint of its content.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageFile {
    format: String,
    format_version: u32,
    /// SHA-256 of the package as Spor writes it (compact JSON), in hex.
    sha256: String,
    package: Package,
}

/// What a theory that follows a standard keeps of it: which package, and which of its outcomes
/// and of the activity's goals are the package's (locked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub package: PackageId,
    pub name: String,
    pub version: u32,
    pub publisher: String,
    pub core_outcomes: Vec<OutcomeId>,
    /// The package's indicators, under the umbrella's ids: each is a goal of the activity
    /// ([`CoreIndicator::goal_id`]), and what the member's figures for the umbrella are of.
    pub indicators: Vec<CoreIndicator>,
    pub report: Vec<ReportOutline>,
    /// Where the umbrella receives figures on a shared server (the package's).
    #[serde(default)]
    pub inbox: Option<OrganisationId>,
}

impl Standard {
    pub fn is_core_outcome(&self, outcome: OutcomeId) -> bool {
        self.core_outcomes.contains(&outcome)
    }

    /// Whether `goal` of `activity` is one of the package's indicators (locked).
    pub fn is_core_indicator(&self, goal: GoalId, activity: ActivityId) -> bool {
        self.indicators
            .iter()
            .any(|indicator| indicator.goal_id(activity) == goal)
    }

    /// The sections the umbrella asks for in `shape`, if it named that shape.
    pub fn sections_of(&self, shape: ReportShape) -> Option<&[Section]> {
        self.report
            .iter()
            .find(|outline| outline.shape == shape)
            .map(|outline| &outline.sections[..])
    }
}

/// Why a file could not be read as a package; nothing of it was imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PackageError {
    /// Not JSON at all, or cut off.
    #[error("unreadable: {detail}")]
    Unreadable { detail: String },
    /// JSON, but not a Spor standard package.
    #[error("not a package: {detail}")]
    NotAPackage { detail: String },
    /// Made by a newer Spor than this one.
    #[error("newer format {version}")]
    NewerFormat { version: u32 },
    /// The content does not match its fingerprint: changed after it was published.
    #[error("changed after it was published")]
    Changed,
    /// A package whose content breaks the rules.
    #[error("invalid: {problems:?}")]
    Invalid { problems: Vec<Problem> },
    /// The activity follows another package already.
    #[error("another standard")]
    AnotherStandard { name: String },
    /// This version, or a newer one, is adopted already.
    #[error("already adopted")]
    AlreadyAdopted { version: u32 },
}

impl From<HeadProblem> for PackageError {
    fn from(problem: HeadProblem) -> PackageError {
        match problem {
            HeadProblem::Unreadable { detail } => PackageError::Unreadable { detail },
            HeadProblem::Foreign { detail } => PackageError::NotAPackage { detail },
            HeadProblem::Newer { version } => PackageError::NewerFormat { version },
        }
    }
}

impl PackageError {
    pub fn message(&self, language: Language) -> String {
        let problems = |problems: &[Problem]| {
            problems
                .iter()
                .map(|problem| problem.message(language))
                .collect::<Vec<_>>()
                .join(" ")
        };
        match (self, language) {
            (PackageError::Unreadable { detail }, Language::Da) => {
                format!("Filen kan ikke læses; måske er den ufuldstændig ({detail}). Intet er importeret.")
            }
            (PackageError::Unreadable { detail }, Language::En) => {
                format!("The file cannot be read; it may be incomplete ({detail}). Nothing was imported.")
            }
            (PackageError::NotAPackage { detail }, Language::Da) => {
                format!("Filen er ikke en standardpakke fra Spor ({detail}). Intet er importeret.")
            }
            (PackageError::NotAPackage { detail }, Language::En) => {
                format!("The file is not a Spor standard package ({detail}). Nothing was imported.")
            }
            (PackageError::NewerFormat { version }, Language::Da) => {
                format!("Pakken er lavet af en nyere udgave af Spor (format {version}). Opdatér appen først.")
            }
            (PackageError::NewerFormat { version }, Language::En) => {
                format!("The package was made by a newer Spor (format {version}). Update the app first.")
            }
            (PackageError::Changed, Language::Da) => {
                "Pakken er ændret, efter den blev udgivet, og kan ikke bruges. Bed udgiveren om filen igen. Intet er importeret.".into()
            }
            (PackageError::Changed, Language::En) => {
                "The package was changed after it was published and cannot be used. Ask the publisher for the file again. Nothing was imported.".into()
            }
            (PackageError::Invalid { problems: list }, Language::Da) => {
                format!("Pakken bryder reglerne: {} Intet er importeret.", problems(list))
            }
            (PackageError::Invalid { problems: list }, Language::En) => {
                format!("The package breaks the rules: {} Nothing was imported.", problems(list))
            }
            (PackageError::AnotherStandard { name }, Language::Da) => {
                format!("Aktiviteten følger allerede standarden \"{name}\". Intet er importeret.")
            }
            (PackageError::AnotherStandard { name }, Language::En) => {
                format!("The activity already follows the standard \"{name}\". Nothing was imported.")
            }
            (PackageError::AlreadyAdopted { version }, Language::Da) => {
                format!("Aktiviteten følger allerede version {version} af pakken.")
            }
            (PackageError::AlreadyAdopted { version }, Language::En) => {
                format!("The activity already follows version {version} of the package.")
            }
        }
    }
}

fn fingerprint(package: &Package) -> String {
    let content = serde_json::to_vec(package).expect("a package serialises");
    Sha256::digest(&content)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl Package {
    /// The package an umbrella publishes from the theory in force for one of its activities and
    /// that activity's goals under it (or under none), with the surveys named.
    pub fn publish(
        about: PackageAbout,
        theory: &TheoryOfChange,
        goals: &[Goal],
        surveys: Vec<SurveyTemplate>,
        report: Vec<ReportOutline>,
    ) -> Package {
        let outcomes: BTreeSet<OutcomeId> = theory.outcomes.iter().map(|outcome| outcome.id).collect();
        Package {
            id: about.id,
            name: about.name,
            version: about.version,
            publisher: about.publisher,
            published_on: about.published_on,
            language: theory.language,
            theory: CoreTheory {
                target_group: theory.target_group.clone(),
                activities: theory.activities.clone(),
                outcomes: theory.outcomes.clone(),
                assumptions: theory.assumptions.clone(),
            },
            indicators: goals
                .iter()
                .filter(|goal| goal.outcome.is_none_or(|outcome| outcomes.contains(&outcome)))
                .map(|goal| CoreIndicator {
                    id: goal.id,
                    outcome: goal.outcome,
                    metric: goal.metric,
                    comparison: goal.comparison,
                    target: goal.target,
                })
                .collect(),
            surveys: surveys
                .into_iter()
                .filter(|survey| survey.instrument.is_none())
                .collect(),
            report,
            inbox: about.inbox,
        }
    }

    /// The file, as JSON, with the fingerprint of its content.
    pub fn to_file(&self) -> String {
        let file = PackageFile {
            format: PACKAGE_FORMAT.into(),
            format_version: PACKAGE_FORMAT_VERSION,
            sha256: fingerprint(self),
            package: self.clone(),
        };
        serde_json::to_string_pretty(&file).expect("a package serialises")
    }

    /// Reads a package file whole: format, version, fingerprint and every record checked.
    pub fn parse(text: &str) -> Result<Package, PackageError> {
        let kind = FileKind {
            format: PACKAGE_FORMAT,
            version_field: "format_version",
            version: PACKAGE_FORMAT_VERSION,
        };
        let file: PackageFile = kind.read(text)?;
        if fingerprint(&file.package) != file.sha256 {
            return Err(PackageError::Changed);
        }
        file.package
            .validate()
            .map_err(|problems| PackageError::Invalid { problems })?;
        Ok(file.package)
    }

    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        problems.required_text(Field::PackageName, &self.name, limits::NAME);
        problems.required_text(Field::Publisher, &self.publisher, limits::NAME);
        if !(1..=MAX_VERSION).contains(&self.version) {
            problems.push(Problem::VersionOutOfRange { max: MAX_VERSION });
        }
        let mut problems = problems.into_result().err().unwrap_or_default();
        let theory = self.theory_for(None, self.published_on, None);
        problems.extend(theory.validate().err().unwrap_or_default());
        let outcomes: BTreeSet<OutcomeId> = self.theory.outcomes.iter().map(|outcome| outcome.id).collect();
        let ids: BTreeSet<GoalId> = self.indicators.iter().map(|indicator| indicator.id).collect();
        if ids.len() != self.indicators.len() {
            problems.push(Problem::DuplicateIndicator);
        }
        if self.indicators.len() > MAX_INDICATORS {
            problems.push(Problem::TooManyOutcomes { max: MAX_INDICATORS });
        }
        for indicator in &self.indicators {
            if indicator
                .outcome
                .is_some_and(|outcome| !outcomes.contains(&outcome))
            {
                problems.push(Problem::IndicatorOutsideTheory);
            }
            let goal = indicator.goal_this_year(ActivityId(Uuid::nil()), self.published_on);
            problems.extend(goal.validate().err().unwrap_or_default());
        }
        if self.surveys.len() > MAX_SURVEYS {
            problems.push(Problem::TooManyOutcomes { max: MAX_SURVEYS });
        }
        for survey in &self.surveys {
            problems.extend(survey.validate().err().unwrap_or_default());
        }
        for outline in &self.report {
            let distinct: std::collections::HashSet<&Section> = outline.sections.iter().collect();
            let of_shape = outline
                .sections
                .iter()
                .all(|section| outline.shape.sections().contains(section));
            if distinct.len() != outline.sections.len() || !of_shape || outline.sections.is_empty() {
                problems.push(Problem::WrongFieldValue {
                    name: format!("report.{}", outline.shape.slug()),
                });
            }
        }
        problems.dedup();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// What a theory adopting the package keeps of it.
    pub fn standard(&self) -> Standard {
        Standard {
            package: self.id,
            name: self.name.clone(),
            version: self.version,
            publisher: self.publisher.clone(),
            core_outcomes: self.theory.outcomes.iter().map(|outcome| outcome.id).collect(),
            indicators: self.indicators.clone(),
            report: self.report.clone(),
            inbox: self.inbox,
        }
    }

    /// The package's theory as the theory of `activity`, in force from `from`.
    fn theory_for(
        &self,
        activity: Option<ActivityId>,
        from: NaiveDate,
        standard: Option<Standard>,
    ) -> TheoryOfChange {
        TheoryOfChange {
            target_group: self.theory.target_group.clone(),
            activities: self.theory.activities.clone(),
            outcomes: self.theory.outcomes.clone(),
            assumptions: self.theory.assumptions.clone(),
            standard,
            ..TheoryOfChange::first(activity, from, self.language)
        }
    }
}

/// What an umbrella says of a package when it publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageAbout {
    pub id: PackageId,
    /// The umbrella's organisation on the server it shares with its members, if it does.
    pub inbox: Option<OrganisationId>,
    pub name: String,
    pub version: u32,
    pub publisher: String,
    pub published_on: NaiveDate,
}

const NAMESPACE: Uuid = Uuid::from_u128(0x7c1e_52a0_93b4_4f6d_8e2a_61d0_4b9c_e3f7);

impl CoreIndicator {
    /// The id of this indicator's goal at `activity`: the same on every device and in every
    /// version of the package, so an update edits the goal it made before.
    pub fn goal_id(&self, activity: ActivityId) -> GoalId {
        GoalId(Uuid::new_v5(
            &NAMESPACE,
            format!("{}/{activity}", self.id).as_bytes(),
        ))
    }

    /// The indicator as the goal of `activity` over `from` to `to` (both included).
    pub fn goal(&self, activity: ActivityId, from: NaiveDate, to: NaiveDate) -> Goal {
        Goal {
            id: self.goal_id(activity),
            activity,
            metric: self.metric,
            comparison: self.comparison,
            target: self.target,
            from,
            to,
            outcome: self.outcome,
        }
    }

    /// The indicator as the goal of `activity` over the calendar year of `today`.
    fn goal_this_year(&self, activity: ActivityId, today: NaiveDate) -> Goal {
        let (from, to) = calendar_year(today.year()).unwrap_or((today, today));
        self.goal(activity, from, to)
    }
}

/// One difference between the core an activity follows and a package: what an update changes.
#[derive(Debug, Clone, PartialEq)]
pub enum CoreChange {
    OutcomeAdded {
        text: String,
    },
    OutcomeReworded {
        from: String,
        to: String,
    },
    OutcomeRemoved {
        text: String,
    },
    IndicatorAdded {
        metric: GoalMetric,
    },
    /// The figure, the comparison or the target changed.
    IndicatorChanged {
        metric: GoalMetric,
    },
    /// No longer shared: the goal stays, as the member's own.
    IndicatorRemoved {
        metric: GoalMetric,
    },
    SurveyAdded {
        name: String,
    },
    SurveyRevised {
        name: String,
        version: u32,
    },
    ReportChanged,
}

/// Every record adopting (or updating to) a package writes, worked out before anything is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Adoption {
    /// The activity's theory: a new version with the core outcomes and its own ones.
    pub theory: TheoryOfChange,
    /// The core indicators as goals of the activity (new ones, and those an update changes).
    pub goals: Vec<Goal>,
    /// Survey versions this device does not hold yet.
    pub surveys: Vec<SurveyTemplate>,
    /// What changed against the version followed now; empty for a first adoption.
    pub changes: Vec<CoreChange>,
    /// The version followed now, if any.
    pub from_version: Option<u32>,
}

/// What the member holds that an adoption reads.
#[derive(Debug, Clone, Copy)]
pub struct Holdings<'a> {
    pub theories: &'a [TheoryOfChange],
    pub goals: &'a [Goal],
    pub surveys: &'a [SurveyTemplate],
}

impl Adoption {
    /// Adopting `package` for `activity` on `today`, or updating to it. The activity's theory gets a
    /// new version in force from today: the package's core outcomes first, then the member's own
    /// (of its own theory, or the organisation's it shared). Every core indicator becomes a goal of
    /// the activity over this calendar year (an updated one keeps its period).
    pub fn plan(
        package: &Package,
        activity: ActivityId,
        today: NaiveDate,
        held: Holdings,
    ) -> Result<Adoption, PackageError> {
        let current = theory::in_force(held.theories, Some(activity), today);
        let followed = current.and_then(|theory| theory.standard.as_ref());
        if let Some(standard) = followed {
            if standard.package != package.id {
                return Err(PackageError::AnotherStandard {
                    name: standard.name.clone(),
                });
            }
            if standard.version >= package.version {
                return Err(PackageError::AlreadyAdopted {
                    version: standard.version,
                });
            }
        }
        let own_outcomes: Vec<Outcome> = current
            .map(|theory| {
                theory
                    .outcomes
                    .iter()
                    .filter(|outcome| followed.is_none_or(|standard| !standard.is_core_outcome(outcome.id)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let mut theory = package.theory_for(Some(activity), today, Some(package.standard()));
        theory.outcomes.extend(own_outcomes);
        // The activity's own theory goes on as its next version; a first one starts at 1.
        if let Some(own) = theory::versions(held.theories, Some(activity)).first() {
            theory.version = own.version.saturating_add(1);
            if followed.is_none() {
                // A member's own words about its target group and activities stay its own.
                theory.target_group.clone_from(&own.target_group);
                theory.activities.clone_from(&own.activities);
                theory.assumptions.clone_from(&own.assumptions);
                theory.language = own.language;
            }
        }
        theory.id = TheoryId::generate();
        theory
            .validate()
            .map_err(|problems| PackageError::Invalid { problems })?;

        let goals: Vec<Goal> = package
            .indicators
            .iter()
            .filter_map(|indicator| {
                let mut goal = indicator.goal_this_year(activity, today);
                match held.goals.iter().find(|held| held.id == goal.id) {
                    Some(held)
                        if *held
                            == Goal {
                                from: held.from,
                                to: held.to,
                                ..goal.clone()
                            } =>
                    {
                        None
                    }
                    Some(held) => {
                        (goal.from, goal.to) = (held.from, held.to);
                        Some(goal)
                    }
                    None => Some(goal),
                }
            })
            .collect();
        let surveys: Vec<SurveyTemplate> = package
            .surveys
            .iter()
            .filter(|survey| {
                !held
                    .surveys
                    .iter()
                    .any(|own| own.id == survey.id && own.version >= survey.version)
            })
            .cloned()
            .collect();
        let changes = match (current, followed) {
            (Some(current), Some(standard)) => changes(current, standard, package, activity, held),
            _ => Vec::new(),
        };
        Ok(Adoption {
            theory,
            goals,
            surveys,
            changes,
            from_version: followed.map(|standard| standard.version),
        })
    }
}

fn changes(
    current: &TheoryOfChange,
    standard: &Standard,
    package: &Package,
    activity: ActivityId,
    held: Holdings,
) -> Vec<CoreChange> {
    let mut changes = Vec::new();
    let core_now: Vec<&Outcome> = current
        .outcomes
        .iter()
        .filter(|outcome| standard.is_core_outcome(outcome.id))
        .collect();
    for outcome in &package.theory.outcomes {
        match core_now.iter().find(|now| now.id == outcome.id) {
            None => changes.push(CoreChange::OutcomeAdded {
                text: outcome.text.clone(),
            }),
            Some(now) if now.text != outcome.text || now.term != outcome.term => {
                changes.push(CoreChange::OutcomeReworded {
                    from: now.text.clone(),
                    to: outcome.text.clone(),
                })
            }
            Some(_) => {}
        }
    }
    for now in &core_now {
        if !package.theory.outcomes.iter().any(|outcome| outcome.id == now.id) {
            changes.push(CoreChange::OutcomeRemoved {
                text: now.text.clone(),
            });
        }
    }
    for indicator in &package.indicators {
        let id = indicator.goal_id(activity);
        match held.goals.iter().find(|goal| goal.id == id) {
            Some(goal) if standard.is_core_indicator(id, activity) => {
                let same = (goal.metric, goal.comparison, goal.target, goal.outcome)
                    == (
                        indicator.metric,
                        indicator.comparison,
                        indicator.target,
                        indicator.outcome,
                    );
                if !same {
                    changes.push(CoreChange::IndicatorChanged {
                        metric: indicator.metric,
                    });
                }
            }
            _ => changes.push(CoreChange::IndicatorAdded {
                metric: indicator.metric,
            }),
        }
    }
    let kept: BTreeSet<GoalId> = package.indicators.iter().map(|i| i.goal_id(activity)).collect();
    for goal in held.goals {
        if standard.is_core_indicator(goal.id, activity) && !kept.contains(&goal.id) {
            changes.push(CoreChange::IndicatorRemoved { metric: goal.metric });
        }
    }
    for survey in &package.surveys {
        let name = survey.name.get(package.language).to_owned();
        match held
            .surveys
            .iter()
            .filter(|own| own.id == survey.id)
            .map(|own| own.version)
            .max()
        {
            None => changes.push(CoreChange::SurveyAdded { name }),
            Some(version) if version < survey.version => changes.push(CoreChange::SurveyRevised {
                name,
                version: survey.version,
            }),
            Some(_) => {}
        }
    }
    if standard.report != package.report {
        changes.push(CoreChange::ReportChanged);
    }
    changes
}

/// The rule a revision of a theory that follows a standard obeys: the standard stays, and each of
/// its core outcomes is there as the package wrote it. Only an adoption changes the core.
pub fn check_revision(previous: &TheoryOfChange, next: &TheoryOfChange) -> Result<(), Problem> {
    let Some(standard) = &previous.standard else {
        return Ok(());
    };
    let kept = next.standard.as_ref() == Some(standard)
        && standard.core_outcomes.iter().all(|id| {
            let before = previous.outcomes.iter().find(|outcome| outcome.id == *id);
            let after = next.outcomes.iter().find(|outcome| outcome.id == *id);
            before == after
        });
    if kept {
        Ok(())
    } else {
        Err(Problem::CoreOutcomeChanged)
    }
}

/// The standard `activity` follows on `date`, through the theory in force (its own).
pub fn followed(theories: &[TheoryOfChange], activity: ActivityId, date: NaiveDate) -> Option<&Standard> {
    theory::in_force(theories, Some(activity), date).and_then(|theory| theory.standard.as_ref())
}
