use leptos::prelude::*;
use spor_core::activity::{Activity, Rhythm};
use spor_core::measurement_plan::{MeasurementPlan, about_minutes};
use spor_core::survey::{SurveyTemplate, Templates};

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::activities::Key as ActivitiesKey;

/// An activity's measurement plan as one plain sentence: the surveys asked there and how often,
/// and about how much time that takes of a participant and of a volunteer each month.
#[component]
pub fn MeasurementPlanText(activity: Activity, templates: Vec<SurveyTemplate>) -> impl IntoView {
    let i18n = use_i18n();
    let sentence = move || {
        let language = i18n.language.get();
        let plan = MeasurementPlan::of(&activity, Templates::new(&templates));
        if plan.is_empty() {
            return i18n.t(ActivitiesKey::PlanNone).to_owned();
        }
        let surveys: Vec<String> = plan
            .surveys
            .iter()
            .map(|survey| {
                let name = survey.template.name.get(language);
                match survey.rhythm {
                    Rhythm::Time => i18n.format(ActivitiesKey::PlanEveryTime, &[("survey", name)]),
                    Rhythm::Weeks { weeks } => i18n.format(
                        ActivitiesKey::PlanEveryWeeks,
                        &[("survey", name), ("weeks", &weeks.to_string())],
                    ),
                }
            })
            .collect();
        i18n.format(
            ActivitiesKey::PlanBurden,
            &[
                ("surveys", &surveys.join(", ")),
                (
                    "participant",
                    &about_minutes(plan.participant_minutes).to_string(),
                ),
                ("volunteer", &about_minutes(plan.volunteer_minutes).to_string()),
            ],
        )
    };
    view! { <p class="hint" data-testid="measurement-plan">{sentence}</p> }
}
