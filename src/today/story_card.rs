//! What a volunteer noticed at the session, on the Today page: a sign of change, a quote or a
//! situation, in one text field, tagged to one of the activity's outcomes and naming a participant
//! only where they said yes. Three taps: open, write, save.

use chrono::Utc;
use leptos::prelude::*;
use spor_core::activity::Occurrence;
use spor_core::ids::{OutcomeId, ParticipantId, StoryId};
use spor_core::story::{PersonalData, Story, StoryKind, personal_data};
use spor_core::theory;
use spor_core::validation::{Context, limits};

use crate::components::outcome::{Done, Failure, Outcome, OutcomeMessage, act};
use crate::components::radio_choices::RadioChoices;
use crate::components::story_kinds::STORY_KINDS;
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::use_stored;
use crate::i18n::Key;
use crate::store;
use crate::today::register_context::use_register;

#[component]
pub fn StoryCard(occurrence: Signal<Occurrence>) -> impl IntoView {
    let i18n = use_i18n();
    let register = use_register();
    let theories = use_stored(|store| async move { store.theories().await });
    let open = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let kind = RwSignal::new(StoryKind::SignOfChange);
    let tagged = RwSignal::new(None::<OutcomeId>);
    let named = RwSignal::new(None::<ParticipantId>);
    let outcome = RwSignal::new(None::<Outcome>);

    // The outcomes of the theory of change in force for this activity on this day.
    let outcomes = move || {
        let theories = theories.get().and_then(Result::ok).unwrap_or_default();
        let occurrence = occurrence.get();
        theory::in_force(&theories, Some(occurrence.activity), occurrence.date)
            .map(|theory| theory.outcomes.clone())
            .unwrap_or_default()
    };
    // Only those who said yes to being named.
    let nameable = move || {
        register.people.with(|people| {
            let mut nameable: Vec<_> = people
                .iter()
                .filter(|person| Story::may_name(person))
                .map(|person| (person.id, person.pseudonym.clone()))
                .collect();
            nameable.sort_by(|a, b| a.1.cmp(&b.1));
            nameable
        })
    };
    let warnings = Memo::new(move |_| text.with(|text| personal_data(text)));

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let occurrence = occurrence.get_untracked();
        let story = Story {
            id: StoryId::generate(),
            activity: occurrence.activity,
            date: occurrence.date,
            kind: kind.get_untracked(),
            text: text.get_untracked().trim().to_owned(),
            outcome: tagged.get_untracked(),
            participant: named.get_untracked(),
            usable_in_reports: false,
            written_at: Utc::now(),
            language: i18n.language.get_untracked(),
        };
        let context = Context {
            today: chrono::Local::now().date_naive(),
        };
        if let Err(problems) = story.validate(context) {
            outcome.set(Some(Err(Failure::Refused(problems))));
            return;
        }
        act(outcome, async move {
            store::shared().await?.save_story(&story).await?;
            // The next observation starts afresh: nothing carried over unseen.
            text.try_set(String::new());
            kind.try_set(StoryKind::SignOfChange);
            tagged.try_set(None);
            named.try_set(None);
            open.try_set(false);
            Ok(Done::new(Key::StorySaved))
        });
    };
    let start = move |_| {
        outcome.set(None);
        open.set(true);
    };

    view! {
        <section class="card" aria-labelledby="story-heading" data-testid="story-card">
            <h2 id="story-heading">{i18n.text(Key::StoryTitle)}</h2>
            <Show
                when=move || open.get()
                fallback=move || {
                    view! {
                        <p class="hint">{i18n.text(Key::StoryInvite)}</p>
                        <button type="button" class="button secondary" on:click=start>{i18n.text(Key::StoryStart)}</button>
                    }
                }
            >
                <form class="stack" on:submit=save>
                    <div class="field">
                        <label for="story-text">{i18n.text(Key::StoryText)}</label>
                        <textarea
                            id="story-text"
                            rows="4"
                            maxlength=limits::STORY
                            aria-describedby="story-privacy story-warning"
                            prop:value=move || text.get()
                            on:input=move |event| text.set(event_target_value(&event))
                        ></textarea>
                        <p class="hint" id="story-privacy">{i18n.text(Key::StoryPrivacyHint)}</p>
                        <p class="warning" id="story-warning" role="status" data-testid="story-warning">
                            {move || {
                                let found = warnings.get();
                                (!found.is_empty()).then(|| {
                                    let kinds: Vec<&str> = found
                                        .iter()
                                        .map(|found| i18n.t(match found {
                                            PersonalData::CprNumber => Key::StoryWarningCpr,
                                            PersonalData::PhoneNumber => Key::StoryWarningPhone,
                                            PersonalData::FullName => Key::StoryWarningName,
                                        }))
                                        .collect();
                                    i18n.format(Key::StoryWarning, &[("what", &kinds.join(", "))])
                                })
                            }}
                        </p>
                    </div>
                    <RadioChoices
                        name="story-kind"
                        legend=Key::StoryKind
                        choices=STORY_KINDS.to_vec()
                        selected=kind
                        class="choice-group"
                    />
                    <Show when=move || !outcomes().is_empty()>
                        <div class="field">
                            <label for="story-outcome">{i18n.text(Key::StoryOutcome)}</label>
                            <select
                                id="story-outcome"
                                on:change=move |event| tagged.set(event_target_value(&event).parse().ok().map(OutcomeId))
                            >
                                <option value="" selected=move || tagged.get().is_none()>{i18n.text(Key::StoryNoOutcome)}</option>
                                {move || {
                                    outcomes()
                                        .into_iter()
                                        .map(|outcome| {
                                            let id = outcome.id;
                                            view! {
                                                <option value=id.to_string() selected=move || tagged.get() == Some(id)>{outcome.text}</option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </div>
                    </Show>
                    <div class="field">
                        <label for="story-participant">{i18n.text(Key::StoryParticipant)}</label>
                        <select
                            id="story-participant"
                            aria-describedby="story-participant-hint"
                            on:change=move |event| named.set(event_target_value(&event).parse().ok().map(ParticipantId))
                        >
                            <option value="" selected=move || named.get().is_none()>{i18n.text(Key::StoryNobody)}</option>
                            {move || {
                                nameable()
                                    .into_iter()
                                    .map(|(id, pseudonym)| {
                                        view! {
                                            <option value=id.to_string() selected=move || named.get() == Some(id)>{pseudonym}</option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                        <p class="hint" id="story-participant-hint">{i18n.text(Key::StoryParticipantHint)}</p>
                    </div>
                    <div class="button-row">
                        <button type="submit" class="button">{i18n.text(Key::StorySave)}</button>
                        <button type="button" class="button secondary" on:click=move |_| open.set(false)>
                            {i18n.text(Key::TodayLogClose)}
                        </button>
                    </div>
                </form>
            </Show>
            <OutcomeMessage outcome=outcome testid="story-outcome" />
        </section>
    }
}
