use leptos::prelude::*;
use spor_core::Language;
use spor_core::Role;
use spor_core::access::DeviceRole;
use spor_core::activity::Activity;
use spor_core::ids::ParticipantId;
use spor_core::participant::{Consent, Participant};
use spor_core::participant_report::participant_report;
use spor_core::validation::{Context, Problem};

use crate::components::confirm_notice::ConfirmNotice;
use crate::components::outcome::{Done, Failure, FailureMessage, attempt};
use crate::components::problem_list::ProblemList;
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::use_sync;
use crate::download::offer_file;
use crate::i18n::Key;
use crate::i18n::activities::Key as ActivitiesKey;
use crate::store;

/// A request to merge `merged` into `kept`: the same person registered twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeRequest {
    pub merged: ParticipantId,
    pub kept: ParticipantId,
}

/// Offers the file of everything Spor holds about `participant` (their right of access, GDPR art.
/// 15), from this coordinator's device: their record, visits and linked answers, nobody else's.
async fn export_everything(participant: Participant, language: Language) -> Result<(), Failure> {
    let backup = store::shared().await?.export_backup().await?;
    let report = participant_report(
        &participant,
        &backup.records(),
        language,
        chrono::Local::now().date_naive(),
    );
    offer_file(
        &format!("spor-{}.txt", participant.pseudonym),
        "text/plain;charset=utf-8",
        report.as_bytes(),
    )
    .map_err(|detail| Failure::Other(Done::with(Key::ErrorSave, &[("detail", &detail)])))
}

/// One participant on the Activities page: shown, edited (pseudonym, default role, consent, rosters),
/// merged into another participant or erased, each after a confirmation.
#[component]
pub fn ParticipantItem(
    participant: Participant,
    activities: Vec<Activity>,
    /// Everyone this person could be merged into: id and pseudonym.
    others: Vec<(ParticipantId, String)>,
    on_save: Callback<Participant>,
    on_erase: Callback<Participant>,
    on_merge: Callback<MergeRequest>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let merging = RwSignal::new(false);
    let stored = StoredValue::new(participant);
    let activities = StoredValue::new(activities);
    let export_failure = RwSignal::new(None::<Failure>);
    let name = stored.with_value(|p| p.pseudonym.clone());
    // Merging and erasing reach every device: a volunteer's phone does not offer them.
    let may_merge_and_erase = use_sync().role_allows(DeviceRole::may_merge_and_erase);

    let summary = move || {
        let participant = stored.get_value();
        let language = i18n.language.get();
        let rosters: Vec<String> = activities.with_value(|all| {
            all.iter()
                .filter(|a| participant.activities.contains(&a.id))
                .map(|a| a.name.clone())
                .collect()
        });
        format!(
            "{} · {}",
            participant.default_role.label(language),
            rosters.join(", ")
        )
    };

    view! {
        <li class="card participant-item" data-testid="participant-item">
            <Show
                when=move || editing.get()
                fallback=move || {
                    let name = stored.with_value(|p| p.pseudonym.clone());
                    view! {
                        <h3>{name.clone()}</h3>
                        <p class="hint">{summary}</p>
                        <div class="button-row">
                            <button
                                type="button"
                                class="button secondary"
                                aria-label=i18n.format(ActivitiesKey::ParticipantsEdit, &[("name", &name)])
                                on:click=move |_| editing.set(true)
                            >
                                {i18n.text(ActivitiesKey::CommonEdit)}
                            </button>
                            <Show when=move || may_merge_and_erase.get()>
                                <button type="button" class="button secondary" on:click=move |_| merging.set(true)>
                                    {i18n.text(ActivitiesKey::ParticipantsMerge)}
                                </button>
                                <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>
                                    {i18n.text(ActivitiesKey::ParticipantsErase)}
                                </button>
                                <button
                                    type="button"
                                    class="button secondary"
                                    aria-label=i18n.format(ActivitiesKey::ParticipantsExportLabel, &[("name", &name)])
                                    on:click=move |_| {
                                        let language = i18n.language.get_untracked();
                                        attempt(export_failure, export_everything(stored.get_value(), language));
                                    }
                                >
                                    {i18n.text(ActivitiesKey::ParticipantsExport)}
                                </button>
                            </Show>
                        </div>
                        <FailureMessage failure=export_failure />
                    }
                }
            >
                <ParticipantForm participant=stored.get_value() activities=activities.get_value() on_save editing />
            </Show>
            <Show when=move || merging.get()>
                <MergeForm merged=stored.get_value() others=others.clone() on_merge merging />
            </Show>
            <ConfirmNotice
                open=confirming
                question=i18n.format(ActivitiesKey::ParticipantsEraseConfirm, &[("name", &name)])
                yes=i18n.format(ActivitiesKey::ParticipantsEraseYes, &[("name", &name)])
                on_yes=Callback::new(move |()| on_erase.run(stored.get_value()))
            />
        </li>
    }
}

/// Chooses whom this participant is the same person as, then asks before merging.
#[component]
fn MergeForm(
    merged: Participant,
    others: Vec<(ParticipantId, String)>,
    on_merge: Callback<MergeRequest>,
    merging: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let select_id = format!("merge-{}", merged.id);
    let merged_id = merged.id;
    let merged_name = StoredValue::new(merged.pseudonym);
    // Someone with the same name (folded) is the likeliest duplicate: offer them first.
    let mut others = others;
    others.sort_by_key(|(_, name)| {
        let same = merged_name.with_value(|merged| spor_core::search::same_name(name, merged));
        (!same, spor_core::search::fold(name))
    });
    let kept = RwSignal::new(others.first().cloned());
    let others = StoredValue::new(others);
    let kept_name = move || kept.get().map(|(_, name)| name).unwrap_or_default();
    let names = move || [("merged", merged_name.get_value()), ("kept", kept_name())];
    let with_names = move |key| {
        let names = names();
        let pairs: Vec<(&str, &str)> = names.iter().map(|(k, v)| (*k, v.as_str())).collect();
        i18n.format(key, &pairs)
    };

    view! {
        <div class="notice stack" data-testid="merge-form">
            <Show
                when=move || kept.with(Option::is_some)
                fallback=move || view! { <p>{i18n.text(ActivitiesKey::ParticipantsMergeNone)}</p> }
            >
                <div class="field">
                    <label for=select_id.clone()>
                        {i18n.text(ActivitiesKey::ParticipantsMergeWith)}
                    </label>
                    <select
                        id=select_id.clone()
                        name="merge-into"
                        on:change=move |event| {
                            let chosen = event_target_value(&event);
                            kept.set(others.with_value(|all| all.iter().find(|(id, _)| id.to_string() == chosen).cloned()));
                        }
                    >
                        {others
                            .get_value()
                            .into_iter()
                            .map(|(id, name)| {
                                view! {
                                    <option value=id.to_string() selected=move || kept.with(|k| k.as_ref().map(|(k, _)| *k) == Some(id))>
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <p>{move || with_names(ActivitiesKey::ParticipantsMergeConfirm)}</p>
            </Show>
            <div class="button-row">
                <Show when=move || kept.with(Option::is_some)>
                    <button
                        type="button"
                        class="button danger"
                        on:click=move |_| {
                            if let Some((kept, _)) = kept.get_untracked() {
                                merging.set(false);
                                on_merge.run(MergeRequest { merged: merged_id, kept });
                            }
                        }
                    >
                        {move || with_names(ActivitiesKey::ParticipantsMergeYes)}
                    </button>
                </Show>
                <button type="button" class="button secondary" on:click=move |_| merging.set(false)>
                    {i18n.text(Key::CommonCancel)}
                </button>
            </div>
        </div>
    }
}

#[component]
fn ParticipantForm(
    participant: Participant,
    activities: Vec<Activity>,
    on_save: Callback<Participant>,
    editing: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = participant.id;
    let pseudonym = RwSignal::new(participant.pseudonym.clone());
    let default_role = RwSignal::new(participant.default_role);
    let linked_surveys = RwSignal::new(participant.consent.linked_surveys);
    let contact = RwSignal::new(participant.consent.contact);
    let named_in_stories = RwSignal::new(participant.consent.named_in_stories);
    let rosters = RwSignal::new(participant.activities.clone());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let form_id = format!("participant-{id}");
    let original = StoredValue::new(participant);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let changed = Participant {
            pseudonym: pseudonym.get_untracked().trim().to_owned(),
            default_role: default_role.get_untracked(),
            consent: Consent {
                linked_surveys: linked_surveys.get_untracked(),
                contact: contact.get_untracked(),
                named_in_stories: named_in_stories.get_untracked(),
            },
            activities: rosters.get_untracked(),
            ..original.get_value()
        };
        let today = chrono::Local::now().date_naive();
        match changed.validate(Context { today }) {
            Ok(()) => {
                problems.set(Vec::new());
                editing.set(false);
                on_save.run(changed);
            }
            Err(found) => problems.set(found),
        }
    };

    view! {
        <form class="stack" on:submit=submit>
            <div class="field">
                <label for=format!("{form_id}-pseudonym")>{i18n.text(Key::TodayNickname)}</label>
                <input
                    id=format!("{form_id}-pseudonym")
                    type="text"
                    name="pseudonym"
                    autocomplete="off"
                    prop:value=move || pseudonym.get()
                    on:input=move |event| pseudonym.set(event_target_value(&event))
                />
            </div>
            <div class="field">
                <label for=format!("{form_id}-role")>{i18n.text(ActivitiesKey::ParticipantsDefaultRole)}</label>
                <select
                    id=format!("{form_id}-role")
                    name="default-role"
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        if let Some(role) = Role::ALL.into_iter().find(|r| r.label(spor_core::Language::En) == chosen) {
                            default_role.set(role);
                        }
                    }
                >
                    {Role::ALL
                        .into_iter()
                        .map(|role| {
                            view! {
                                <option value=role.label(spor_core::Language::En) selected=move || default_role.get() == role>
                                    {move || role.label(i18n.language.get())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <fieldset class="choice-group">
                <legend>{i18n.text(ActivitiesKey::ParticipantsConsent)}</legend>
                <label class="choice">
                    <input
                        type="checkbox"
                        prop:checked=move || linked_surveys.get()
                        on:change=move |event| linked_surveys.set(event_target_checked(&event))
                    />
                    {i18n.text(ActivitiesKey::ParticipantsConsentLinked)}
                </label>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || contact.get() on:change=move |event| contact.set(event_target_checked(&event)) />
                    {i18n.text(ActivitiesKey::ParticipantsConsentContact)}
                </label>
                <label class="choice">
                    <input
                        type="checkbox"
                        prop:checked=move || named_in_stories.get()
                        on:change=move |event| named_in_stories.set(event_target_checked(&event))
                    />
                    {i18n.text(ActivitiesKey::ParticipantsConsentStories)}
                </label>
            </fieldset>
            <fieldset class="choice-group">
                <legend>{i18n.text(ActivitiesKey::ParticipantsActivities)}</legend>
                {activities
                    .into_iter()
                    .map(|activity| {
                        let activity_id = activity.id;
                        view! {
                            <label class="choice">
                                <input
                                    type="checkbox"
                                    prop:checked=move || rosters.with(|r| r.contains(&activity_id))
                                    on:change=move |event| {
                                        let checked = event_target_checked(&event);
                                        rosters.update(|r| {
                                            r.retain(|a| *a != activity_id);
                                            if checked {
                                                r.push(activity_id);
                                            }
                                        });
                                    }
                                />
                                {activity.name}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <ProblemList problems />
            <div class="button-row">
                <button type="submit" class="button">{i18n.text(ActivitiesKey::ParticipantsSave)}</button>
                <button type="button" class="button secondary" on:click=move |_| editing.set(false)>
                    {i18n.text(Key::CommonCancel)}
                </button>
            </div>
        </form>
    }
}
