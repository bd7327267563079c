use chrono::Weekday;
use leptos::prelude::*;
use spor_core::Role;
use spor_core::activity::{Activity, Schedule};
use spor_core::ids::ActivityId;
use spor_core::validation::Problem;

use crate::components::problem_list::ProblemList;
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::i18n::activities::Key as ActivitiesKey;

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Create or edit an activity: name, place, description, usual weekday, roles in use. `on_save` gets
/// the activity once spor-core finds nothing wrong with it; problems are shown in the user's language.
#[component]
pub fn ActivityForm(
    #[prop(optional)] existing: Option<Activity>,
    on_save: Callback<Activity>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = existing.as_ref().map_or_else(ActivityId::generate, |a| a.id);
    let archived = existing.as_ref().is_some_and(|a| a.archived);
    // Kept as they are: the survey plans are set on the Survey page.
    let surveys = existing.as_ref().map(|a| a.surveys.clone()).unwrap_or_default();
    let name = RwSignal::new(existing.as_ref().map(|a| a.name.clone()).unwrap_or_default());
    let place = RwSignal::new(existing.as_ref().map(|a| a.place.clone()).unwrap_or_default());
    let description = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.description.clone())
            .unwrap_or_default(),
    );
    let schedule = existing.as_ref().and_then(|a| a.schedule);
    let weekday = RwSignal::new(schedule.map(|s| s.weekday));
    let starts_at = schedule.and_then(|s| s.starts_at);
    let minutes = RwSignal::new(
        schedule
            .and_then(|s| s.minutes)
            .map(|minutes| minutes.to_string())
            .unwrap_or_default(),
    );
    let roles = RwSignal::new(existing.as_ref().map_or_else(
        || vec![Role::Bruger, Role::Deltager, Role::Frivillig],
        |a| a.roles.clone(),
    ));
    let problems = RwSignal::new(Vec::<Problem>::new());
    let form_id = format!("activity-{id}");
    let minutes_id = format!("{form_id}-minutes");

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let activity = Activity {
            id,
            name: name.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
            place: place.get_untracked().trim().to_owned(),
            schedule: weekday.get_untracked().map(|weekday| Schedule {
                weekday,
                starts_at,
                minutes: usual_minutes(&minutes.get_untracked()),
            }),
            // Keep the roles in their natural order whatever order they were ticked in.
            roles: Role::ALL
                .into_iter()
                .filter(|r| roles.with_untracked(|chosen| chosen.contains(r)))
                .collect(),
            archived,
            surveys: surveys.clone(),
        };
        match activity.validate() {
            Ok(()) => {
                problems.set(Vec::new());
                on_save.run(activity);
            }
            Err(found) => problems.set(found),
        }
    };

    view! {
        <form class="stack" on:submit=submit>
            <div class="field">
                <label for=format!("{form_id}-name")>{i18n.text(ActivitiesKey::Name)}</label>
                <input
                    id=format!("{form_id}-name")
                    type="text"
                    name="name"
                    required
                    prop:value=move || name.get()
                    on:input=move |event| name.set(event_target_value(&event))
                />
            </div>
            <div class="field">
                <label for=format!("{form_id}-place")>{i18n.text(ActivitiesKey::Place)}</label>
                <input
                    id=format!("{form_id}-place") type="text" name="place" prop:value=move || place.get() on:input=move |event| place.set(event_target_value(&event)) />
            </div>
            <div class="field">
                <label for=format!("{form_id}-description")>{i18n.text(ActivitiesKey::Description)}</label>
                <textarea
                    id=format!("{form_id}-description") name="description" rows="2" prop:value=move || description.get() on:input=move |event| description.set(event_target_value(&event))></textarea>
            </div>
            <div class="field">
                <label for=format!("{form_id}-weekday")>{i18n.text(ActivitiesKey::Weekday)}</label>
                <select
                    id=format!("{form_id}-weekday")
                    name="weekday"
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        weekday.set(WEEKDAYS.into_iter().find(|day| day.to_string() == chosen));
                    }
                >
                    <option value="" selected=move || weekday.get().is_none()>
                        {i18n.text(ActivitiesKey::NoWeekday)}
                    </option>
                    {WEEKDAYS
                        .into_iter()
                        .map(|day| {
                            view! {
                                <option value=day.to_string() selected=move || weekday.get() == Some(day)>
                                    {move || i18n.language.get().weekday(day)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <Show when=move || weekday.get().is_some()>
                <div class="field">
                    <label for=minutes_id.clone()>{i18n.text(ActivitiesKey::Minutes)}</label>
                    <input
                        id=minutes_id.clone()
                        type="number"
                        name="minutes"
                        min="1"
                        max=spor_core::activity::MAX_SESSION_MINUTES
                        inputmode="numeric"
                        prop:value=move || minutes.get()
                        on:input=move |event| minutes.set(event_target_value(&event))
                    />
                </div>
            </Show>
            <fieldset class="choice-group" aria-describedby=format!("{form_id}-problems")>
                <legend>{i18n.text(ActivitiesKey::Roles)}</legend>
                {Role::ALL
                    .into_iter()
                    .map(|role| {
                        view! {
                            <label class="choice">
                                <input
                                    type="checkbox"
                                    name="roles"
                                    prop:checked=move || roles.with(|chosen| chosen.contains(&role))
                                    on:change=move |event| {
                                        let checked = event_target_checked(&event);
                                        roles.update(|chosen| {
                                            chosen.retain(|r| *r != role);
                                            if checked {
                                                chosen.push(role);
                                            }
                                        });
                                    }
                                />
                                {move || role.label(i18n.language.get())}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <ProblemList problems id=format!("{form_id}-problems") />
            <div class="button-row">
                <button type="submit" class="button">{i18n.text(ActivitiesKey::Save)}</button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button secondary" on:click=move |_| cancel.run(())>
                        {i18n.text(Key::CommonCancel)}
                    </button>
                })}
            </div>
        </form>
    }
}

/// The usual length as typed: none when left empty; anything that is no whole number of minutes
/// becomes 0, which the activity's rules refuse with their own words.
fn usual_minutes(typed: &str) -> Option<u16> {
    let typed = typed.trim();
    (!typed.is_empty()).then(|| typed.parse().unwrap_or(0))
}
