use leptos::prelude::*;
use spor_core::activity::{Activity, Rhythm, SurveyPlan};
use spor_core::ids::{ActivityId, ParticipantId, TemplateId};
use spor_core::instruments::Instrument;
use spor_core::participant::Participant;
use spor_core::survey::{AdministrationMode, SurveyTemplate};

use crate::components::outcome::{Done, Outcome, OutcomeMessage, act};
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::use_stored;
use crate::i18n::Key;
use crate::i18n::survey::Key as SurveyKey;
use crate::store::StoreError;

/// What [`SurveySetup`] offers: the activities, the participants and the organisation's own surveys.
pub type SetupChoices = (Vec<Activity>, Vec<Participant>, Vec<SurveyTemplate>);

/// Reads what [`SurveySetup`] offers (again after a pull).
pub fn use_setup_choices() -> LocalResource<Result<SetupChoices, StoreError>> {
    use_stored(|store| async move {
        Ok((
            store.activities().await?,
            store.participants().await?,
            store.templates().await?,
        ))
    })
}

/// What a volunteer chooses before a survey: the activity, the survey and, for a handover, whom the
/// answers are linked to and how they are given.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyChoice {
    pub activity: ActivityId,
    pub template: TemplateId,
    pub participant: Option<ParticipantId>,
    pub mode: AdministrationMode,
}

/// The form for [`SurveyChoice`]. `with_link` offers linking to a participant (a handover; a kiosk
/// is always anonymous).
#[component]
pub fn SurveySetup(
    activities: Vec<Activity>,
    people: Vec<Participant>,
    /// The organisation's own templates (newest versions), offered after the built-ins.
    templates: Vec<SurveyTemplate>,
    choice: RwSignal<Option<SurveyChoice>>,
    with_link: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let activities: Vec<Activity> = activities
        .into_iter()
        .filter(|activity| !activity.archived)
        .collect();
    let plans = activities.clone();
    let Some(first) = activities.first().map(|activity| activity.id) else {
        return view! { <p class="hint">{i18n.text(SurveyKey::SetupNoActivities)}</p> }.into_any();
    };
    if choice.with_untracked(Option::is_none) {
        choice.set(Some(SurveyChoice {
            activity: first,
            template: Instrument::Who5.template_id(),
            participant: None,
            mode: AdministrationMode::SelfCompleted,
        }));
    }
    let update =
        move |change: &dyn Fn(&mut SurveyChoice)| choice.update(|choice| choice.iter_mut().for_each(change));
    let selected = move || choice.get().expect("set above");
    let people = StoredValue::new(people);
    // Only people on the activity's roster who agreed to linked answers.
    let linkable = move || {
        let activity = selected().activity;
        people.with_value(|people| {
            people
                .iter()
                .filter(|p| p.is_current() && p.consent.linked_surveys && p.activities.contains(&activity))
                .map(|p| (p.id, p.pseudonym.clone()))
                .collect::<Vec<_>>()
        })
    };
    let custom_ids: Vec<TemplateId> = templates.iter().map(|template| template.id).collect();
    // The source, licence and provenance of a built-in; a custom template is only marked as not
    // validated.
    let source = move || match Instrument::from_template_id(selected().template) {
        Some(instrument) => (instrument.is_validated(), Some(instrument.source())),
        None => (false, None),
    };

    view! {
        <div class="stack">
            <div class="field">
                <label for="survey-activity">{i18n.text(Key::TodayActivity)}</label>
                <select
                    id="survey-activity"
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        update(&|choice| {
                            if let Some(activity) = activities_id(&chosen) {
                                choice.activity = activity;
                                choice.participant = None;
                            }
                        });
                    }
                >
                    {activities
                        .into_iter()
                        .map(|activity| {
                            let id = activity.id;
                            view! {
                                <option value=id.to_string() selected=move || selected().activity == id>
                                    {activity.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="survey-template">{i18n.text(SurveyKey::SetupSurvey)}</label>
                <select
                    id="survey-template"
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        let all = Instrument::ALL.into_iter().map(Instrument::template_id).chain(custom_ids.iter().copied());
                        if let Some(template) = all.into_iter().find(|id| id.to_string() == chosen) {
                            update(&|choice| choice.template = template);
                        }
                    }
                >
                    {Instrument::ALL
                        .into_iter()
                        .map(|instrument| {
                            let id = instrument.template_id();
                            view! {
                                <option value=id.to_string() selected=move || selected().template == id>
                                    {move || instrument.name().get(i18n.language.get()).to_owned()}
                                </option>
                            }
                        })
                        .collect_view()}
                    {templates
                        .into_iter()
                        .map(|template| {
                            let id = template.id;
                            let name = StoredValue::new(template.name);
                            view! {
                                <option value=id.to_string() selected=move || selected().template == id>
                                    {move || {
                                        let name = name.with_value(|name| name.get(i18n.language.get()).to_owned());
                                        i18n.format(SurveyKey::BuilderNotValidatedLabel, &[("name", &name)])
                                    }}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            {move || {
                let (validated, source) = source();
                let language = i18n.language.get();
                view! {
                    <div class="hint source-notice" data-testid="survey-source">
                        {(!validated).then(|| view! { <p><strong>{i18n.text(SurveyKey::NotValidated)}</strong></p> })}
                        {source.map(|source| {
                            view! {
                                // The references are cited as published, in English: marked so, for screen readers.
                                {source.citation.clone().map(|citation| view! { <p>{i18n.text(SurveyKey::Source)} ": " <cite lang="en">{citation}</cite></p> })}
                                {source.licence.as_ref().map(|licence| {
                                    view! { <p>{i18n.text(SurveyKey::Licence)} ": " {licence.get(language).to_owned()}</p> }
                                })}
                                <p>{source.provenance.get(language).to_owned()}</p>
                            }
                        })}
                    </div>
                }
            }}
            <PlanChoice activities=plans choice />
            <Show when=move || with_link>
                <div class="field">
                    <label for="survey-link">{i18n.text(SurveyKey::SetupLink)}</label>
                    <select
                        id="survey-link"
                        aria-describedby="survey-link-hint"
                        on:change=move |event| {
                            let chosen = event_target_value(&event);
                            let person = linkable().into_iter().map(|(id, _)| id).find(|id| id.to_string() == chosen);
                            update(&|choice| choice.participant = person);
                        }
                    >
                        <option value="" selected=move || selected().participant.is_none()>
                            {i18n.text(SurveyKey::SetupAnonymous)}
                        </option>
                        {move || {
                            linkable()
                                .into_iter()
                                .map(|(id, name)| {
                                    view! {
                                        <option value=id.to_string() selected=move || selected().participant == Some(id)>
                                            {name}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                    <p id="survey-link-hint" class="hint">{i18n.text(SurveyKey::SetupLinkHint)}</p>
                </div>
                <fieldset class="choice-group">
                    <legend>{i18n.text(SurveyKey::SetupMode)}</legend>
                    {[
                        (AdministrationMode::SelfCompleted, SurveyKey::ModeSelf),
                        (AdministrationMode::ReadAloud, SurveyKey::ModeReadAloud),
                        (AdministrationMode::Assisted, SurveyKey::ModeAssisted),
                    ]
                        .into_iter()
                        .map(|(mode, key)| {
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name="survey-mode"
                                        prop:checked=move || selected().mode == mode
                                        on:change=move |_| update(&|choice| choice.mode = mode)
                                    />
                                    {i18n.text(key)}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            </Show>
        </div>
    }
        .into_any()
}

fn activities_id(text: &str) -> Option<ActivityId> {
    uuid::Uuid::parse_str(text).ok().map(ActivityId)
}

/// How often the chosen survey is suggested at the chosen activity; a change is saved at once.
#[component]
fn PlanChoice(activities: Vec<Activity>, choice: RwSignal<Option<SurveyChoice>>) -> impl IntoView {
    let i18n = use_i18n();
    let activities = RwSignal::new(activities);
    let outcome = RwSignal::new(None::<Outcome>);
    // The option values: "" for none, "time", or a number of weeks.
    let current = move || {
        let Some(chosen) = choice.get() else {
            return String::new();
        };
        activities.with(|all| {
            all.iter()
                .find(|a| a.id == chosen.activity)
                .and_then(|a| a.surveys.iter().find(|plan| plan.template == chosen.template))
                .map(|plan| match plan.rhythm {
                    Rhythm::Time => "time".to_owned(),
                    Rhythm::Weeks { weeks } => weeks.to_string(),
                })
                .unwrap_or_default()
        })
    };
    let change = move |event: leptos::ev::Event| {
        let Some(chosen) = choice.get_untracked() else {
            return;
        };
        let value = event_target_value(&event);
        let rhythm = match value.as_str() {
            "time" => Some(Rhythm::Time),
            weeks => weeks.parse().ok().map(|weeks| Rhythm::Weeks { weeks }),
        };
        let Some(mut activity) =
            activities.with_untracked(|all| all.iter().find(|a| a.id == chosen.activity).cloned())
        else {
            return;
        };
        activity.surveys.retain(|plan| plan.template != chosen.template);
        if let Some(rhythm) = rhythm {
            activity.surveys.push(SurveyPlan {
                template: chosen.template,
                rhythm,
            });
        }
        act(outcome, async move {
            crate::store::shared().await?.save_activity(&activity).await?;
            let saved = Done::with(SurveyKey::PlanSaved, &[("activity", &activity.name)]);
            activities.try_update(|all| {
                if let Some(stored) = all.iter_mut().find(|a| a.id == activity.id) {
                    *stored = activity;
                }
            });
            Ok(saved)
        });
    };
    view! {
        <div class="field">
            <label for="survey-plan">{i18n.text(SurveyKey::Plan)}</label>
            <select id="survey-plan" on:change=change>
                <option value="" selected=move || current().is_empty()>{i18n.text(SurveyKey::PlanNone)}</option>
                <option value="time" selected=move || current() == "time">{i18n.text(SurveyKey::PlanEveryTime)}</option>
                {[2u8, 4, 8, 12]
                    .into_iter()
                    .map(|weeks| {
                        let value = weeks.to_string();
                        let selected_value = value.clone();
                        view! {
                            <option value=value selected=move || current() == selected_value>
                                {move || i18n.format(SurveyKey::PlanWeeks, &[("weeks", &weeks.to_string())])}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <OutcomeMessage outcome testid="survey-plan-message" />
        </div>
    }
}
