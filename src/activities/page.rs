//! Aktiviteter / Activities: create, edit and archive the organisation's activities.

use leptos::prelude::*;
use leptos_router::components::A;
use spor_core::activity::Activity;
use spor_core::ids::{ActivityId, ParticipantId};
use spor_core::participant::Participant;
use spor_core::survey::SurveyTemplate;

use crate::activities::activity_form::ActivityForm;
use crate::activities::measurement_plan::MeasurementPlanText;
use crate::activities::participant_item::{MergeRequest, ParticipantItem};
use crate::components::outcome::{Done, Outcome, OutcomeMessage, ReadFailure, act};
use crate::components::page::Page;
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::use_stored;
use crate::i18n::Key;
use crate::i18n::activities::Key as ActivitiesKey;
use crate::store::{self, MergeState, StoreError};

#[component]
pub fn ActivitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    // The organisation's own surveys name what the activities' plans ask.
    let activities =
        use_stored(|store| async move { Ok((store.activities().await?, store.templates().await?)) });
    let outcome = RwSignal::new(None::<Outcome>);
    let editing = RwSignal::new(None::<ActivityId>);
    // Counts saves, so the new-activity form starts empty after each one (and only then: typing
    // must survive the list loading).
    let saves = RwSignal::new(0u32);

    let save = Callback::new(move |activity: Activity| {
        act(outcome, async move {
            store::shared().await?.save_activity(&activity).await?;
            editing.try_set(None);
            saves.try_update(|n| *n += 1);
            activities.refetch();
            Ok(Done::with(
                ActivitiesKey::CommonSaved,
                &[("name", &activity.name)],
            ))
        });
    });

    view! {
        <Page title=Key::NavActivities lead=Key::PageActivitiesLead>
            <section class="card" aria-labelledby="new-activity-heading">
                <h2 id="new-activity-heading">{i18n.text(ActivitiesKey::New)}</h2>
                {move || {
                    saves.track();
                    view! { <ActivityForm on_save=save /> }
                }}
            </section>
            <OutcomeMessage outcome testid="activities-message" />
            <p class="card theory-link">
                {i18n.text(ActivitiesKey::TheoryHint)}" "
                <A href="/theory">{i18n.text(ActivitiesKey::TheoryLink)}</A>
            </p>
            <section aria-labelledby="activity-list-heading">
                <h2 id="activity-list-heading">{i18n.text(ActivitiesKey::List)}</h2>
                <Transition fallback=|| ()>
                    <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                        {move || Suspend::new(async move {
                            let (mut all, templates) = activities.await?;
                            all.sort_by(|a, b| (a.archived, &a.name).cmp(&(b.archived, &b.name)));
                            if all.is_empty() {
                                return Ok::<_, StoreError>(view! { <p class="hint">{i18n.text(ActivitiesKey::Empty)}</p> }.into_any());
                            }
                            Ok(view! {
                                <ul class="activity-list">
                                    {all
                                        .into_iter()
                                        .map(|activity| view! { <ActivityItem activity templates=templates.clone() editing save /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any())
                        })}
                    </ErrorBoundary>
                </Transition>
            </section>
            <ParticipantsSection outcome />
        </Page>
    }
}

/// The current participants, all or one activity's: edit the pseudonym, default role, consent and
/// rosters, merge two that are the same person, or erase.
#[component]
fn ParticipantsSection(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let i18n = use_i18n();
    let shown_activity = RwSignal::new(None::<ActivityId>);
    let loaded =
        use_stored(|store| async move { Ok((store.participants().await?, store.activities().await?)) });
    let save = Callback::new(move |participant: Participant| {
        act(outcome, async move {
            store::shared().await?.save_participant(&participant).await?;
            loaded.refetch();
            Ok(Done::with(
                ActivitiesKey::CommonSaved,
                &[("name", &participant.pseudonym)],
            ))
        });
    });
    let erase = Callback::new(move |participant: Participant| {
        act(outcome, async move {
            store::shared().await?.erase_participant(participant.id).await?;
            loaded.refetch();
            Ok(Done::new(ActivitiesKey::ParticipantsErased))
        });
    });
    let merge = Callback::new(move |request: MergeRequest| {
        act(outcome, async move {
            let state = store::shared()
                .await?
                .merge_participants(request.merged, request.kept)
                .await?;
            let people = loaded
                .get_untracked()
                .and_then(Result::ok)
                .map(|(people, _)| people);
            let name = |id| {
                people
                    .iter()
                    .flatten()
                    .find(|p| p.id == id)
                    .map(|p| p.pseudonym.clone())
                    .unwrap_or_default()
            };
            let done = match state {
                MergeState::Merged => ActivitiesKey::ParticipantsMerged,
                MergeState::AwaitingServer => ActivitiesKey::ParticipantsMergeQueued,
            };
            loaded.refetch();
            Ok(Done::with(
                done,
                &[("merged", &name(request.merged)), ("kept", &name(request.kept))],
            ))
        });
    });
    view! {
        <section aria-labelledby="participants-heading">
            <h2 id="participants-heading">{i18n.text(ActivitiesKey::ParticipantsHeading)}</h2>
            <Transition fallback=|| ()>
                <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                    {move || Suspend::new(async move {
                        let (mut people, activities) = loaded.await?;
                        people.retain(Participant::is_current);
                        people.sort_by_key(|p| spor_core::search::fold(&p.pseudonym));
                        if people.is_empty() {
                            return Ok(view! { <p class="hint">{i18n.text(ActivitiesKey::ParticipantsEmpty)}</p> }.into_any());
                        }
                        let everyone: Vec<(ParticipantId, String)> =
                            people.iter().map(|p| (p.id, p.pseudonym.clone())).collect();
                        let people = StoredValue::new(people);
                        let shown = move || {
                            let activity = shown_activity.get();
                            people.with_value(|people| {
                                people
                                    .iter()
                                    .filter(|p| activity.is_none_or(|a| p.activities.contains(&a)))
                                    .cloned()
                                    .collect::<Vec<_>>()
                            })
                        };
                        Ok::<_, StoreError>(view! {
                            <ActivityFilter activities=activities.clone() shown_activity />
                            <ul class="participant-list">
                                <For
                                    each=shown
                                    key=|participant| (participant.id, participant.pseudonym.clone())
                                    children=move |participant| {
                                        let others = everyone.iter().filter(|(id, _)| *id != participant.id).cloned().collect();
                                        view! {
                                            <ParticipantItem
                                                participant
                                                activities=activities.clone()
                                                others
                                                on_save=save
                                                on_erase=erase
                                                on_merge=merge
                                            />
                                        }
                                    }
                                />
                            </ul>
                        }
                            .into_any())
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// Narrows the participant list to one activity's roster.
#[component]
fn ActivityFilter(activities: Vec<Activity>, shown_activity: RwSignal<Option<ActivityId>>) -> impl IntoView {
    let i18n = use_i18n();
    let ids: Vec<ActivityId> = activities.iter().map(|a| a.id).collect();
    view! {
        <div class="field">
            <label for="participants-shown">{i18n.text(ActivitiesKey::ParticipantsShow)}</label>
            <select
                id="participants-shown"
                name="participants-shown"
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    shown_activity.set(ids.iter().copied().find(|id| id.to_string() == chosen));
                }
            >
                <option value="" selected=move || shown_activity.get().is_none()>
                    {i18n.text(ActivitiesKey::ParticipantsShowAll)}
                </option>
                {activities
                    .into_iter()
                    .map(|activity| {
                        let id = activity.id;
                        view! {
                            <option value=id.to_string() selected=move || shown_activity.get() == Some(id)>
                                {activity.name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn ActivityItem(
    activity: Activity,
    templates: Vec<SurveyTemplate>,
    editing: RwSignal<Option<ActivityId>>,
    save: Callback<Activity>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = activity.id;
    let stored = StoredValue::new(activity);
    let toggle_archive = move |_| {
        let mut changed = stored.get_value();
        changed.archived = !changed.archived;
        save.run(changed);
    };
    view! {
        <li class="card activity-item" class:archived=stored.with_value(|a| a.archived) data-testid="activity-item">
            <Show
                when=move || editing.get() == Some(id)
                fallback=move || {
                    let activity = stored.get_value();
                    view! {
                        <h3>{activity.name.clone()}</h3>
                        <p class="hint">
                            {activity.schedule.map(|s| i18n.language.get().weekday(s.weekday))}
                            {(!activity.place.is_empty()).then(|| format!(" · {}", activity.place))}
                            {activity.archived.then(|| format!(" · {}", i18n.t(ActivitiesKey::Archived)))}
                        </p>
                        <MeasurementPlanText activity=activity.clone() templates=templates.clone() />
                        <div class="button-row">
                            <button
                                type="button"
                                class="button secondary"
                                aria-label=i18n.format(ActivitiesKey::Edit, &[("name", &activity.name)])
                                on:click=move |_| editing.set(Some(id))
                            >
                                {i18n.text(ActivitiesKey::CommonEdit)}
                            </button>
                            <button type="button" class="button secondary" on:click=toggle_archive>
                                {if activity.archived { i18n.t(ActivitiesKey::Reopen) } else { i18n.t(ActivitiesKey::Archive) }}
                            </button>
                        </div>
                    }
                }
            >
                <ActivityForm
                    existing=stored.get_value()
                    on_save=save
                    on_cancel=Callback::new(move |()| editing.set(None))
                />
            </Show>
        </li>
    }
}
