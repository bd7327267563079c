//! The guided form for a theory of change, step by step as the guide's workshop runs it: who is
//! in the room, the target group, what we do, the changes in the short and the long run, and the
//! assumptions between them. Saving writes a new version; the one before stays.

use chrono::{Local, NaiveDate};
use leptos::prelude::*;
use spor_core::ids::OutcomeId;
use spor_core::package::{self, Standard};
use spor_core::theory::{Outcome, Term, TheoryOfChange};
use spor_core::validation::limits;

use crate::components::outcome::{Failure, Outcome as ActionOutcome};
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::i18n::theory::Key as TheoryKey;

/// Write the next version of `current` (or a first one); `on_save` gets it once spor-core's rules
/// accept it, and a refusal is put in `outcome`.
#[component]
pub fn TheoryForm(
    current: TheoryOfChange,
    on_save: Callback<TheoryOfChange>,
    on_cancel: Callback<()>,
    outcome: RwSignal<Option<ActionOutcome>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let today = Local::now().date_naive();
    let target_group = RwSignal::new(current.target_group.clone());
    let activities = RwSignal::new(current.activities.clone());
    let assumptions = RwSignal::new(current.assumptions.clone());
    let outcomes = RwSignal::new(current.outcomes.clone());
    let from = RwSignal::new(today.max(current.in_force_from));
    let standard = StoredValue::new(current.standard.clone());
    let current = StoredValue::new(current);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let written = current.with_value(|current| TheoryOfChange {
            target_group: target_group.get_untracked().trim().to_owned(),
            activities: activities.get_untracked().trim().to_owned(),
            assumptions: assumptions.get_untracked().trim().to_owned(),
            outcomes: outcomes
                .get_untracked()
                .into_iter()
                .map(|outcome| Outcome {
                    text: outcome.text.trim().to_owned(),
                    ..outcome
                })
                .filter(|outcome| !outcome.text.is_empty())
                .collect(),
            in_force_from: from.get_untracked(),
            // A revision written in the other language is in that language now.
            language: i18n.language.get_untracked(),
            ..current.clone()
        });
        // The standard's core outcomes stay as the package wrote them (the form shows them locked).
        let kept = current.with_value(|current| package::check_revision(current, &written));
        let checked = kept
            .map_err(|problem| vec![problem])
            .and_then(|()| written.validate());
        match checked {
            Ok(()) => on_save.run(written),
            Err(problems) => outcome.set(Some(Err(Failure::Refused(problems)))),
        }
    };

    view! {
        <form class="stack theory-form" on:submit=submit aria-labelledby="theory-form-heading">
            <h2 id="theory-form-heading">{i18n.text(TheoryKey::FormTitle)}</h2>
            <div class="notice">
                <p>{i18n.text(TheoryKey::WhoInTheRoom)}</p>
            </div>
            <TextStep id="theory-target-group" label=Key::TheoryTargetGroup question=Key::TheoryTargetGroupQuestion text=target_group />
            <TextStep id="theory-activities" label=Key::TheoryActivities question=Key::TheoryActivitiesQuestion text=activities />
            <OutcomeStep term=Term::Short label=Key::TheoryShortTerm question=Key::TheoryShortTermQuestion outcomes standard />
            <OutcomeStep term=Term::Long label=Key::TheoryLongTerm question=Key::TheoryLongTermQuestion outcomes standard />
            <TextStep id="theory-assumptions" label=Key::TheoryAssumptions question=Key::TheoryAssumptionsQuestion text=assumptions />
            <div class="field">
                <label for="theory-from">{i18n.text(TheoryKey::InForceFrom)}</label>
                <input
                    id="theory-from"
                    type="date"
                    prop:value=move || from.get().to_string()
                    on:change=move |event| {
                        if let Ok(chosen) = event_target_value(&event).parse::<NaiveDate>() {
                            from.set(chosen);
                        }
                    }
                />
            </div>
            <div class="button-row">
                <button type="submit" class="button">{i18n.text(TheoryKey::Save)}</button>
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>
                    {i18n.text(TheoryKey::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// One step answered in a paragraph, with the guide's question for it.
#[component]
fn TextStep(id: &'static str, label: Key, question: Key, text: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let hint = format!("{id}-question");
    view! {
        <div class="field">
            <label for=id>{i18n.text(label)}</label>
            <p class="hint" id=hint.clone()>{i18n.text(question)}</p>
            <textarea
                id=id
                rows="3"
                maxlength=limits::THEORY_TEXT
                aria-describedby=hint
                prop:value=move || text.get()
                on:input=move |event| text.set(event_target_value(&event))
            ></textarea>
        </div>
    }
}

/// The outcomes of one term, one short sentence each, added and removed in place.
#[component]
fn OutcomeStep(
    term: Term,
    label: Key,
    question: Key,
    outcomes: RwSignal<Vec<Outcome>>,
    /// The standard the theory follows: its core outcomes are shown, not edited.
    standard: StoredValue<Option<Standard>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let of_term = move || {
        outcomes.with(|all| {
            all.iter()
                .filter(|outcome| outcome.term == term)
                .map(|outcome| outcome.id)
                .collect::<Vec<_>>()
        })
    };
    let add = move |_| {
        outcomes.update(|all| {
            all.push(Outcome {
                id: OutcomeId::generate(),
                term,
                text: String::new(),
            })
        })
    };
    view! {
        <fieldset class="outcome-step">
            <legend>{i18n.text(label)}</legend>
            <p class="hint">{i18n.text(question)}</p>
            <ol class="outcome-list">
                <For each=of_term key=|id| *id let:id>
                    {standard.with_value(|standard| match standard.as_ref().filter(|standard| standard.is_core_outcome(id)) {
                        Some(standard) => view! { <CoreOutcome id outcomes standard=standard.name.clone() /> }.into_any(),
                        None => view! { <OutcomeField id outcomes label /> }.into_any(),
                    })}
                </For>
            </ol>
            <button type="button" class="button secondary" on:click=add>
                {move || i18n.format(TheoryKey::AddOutcome, &[("term", i18n.t(label))])}
            </button>
        </fieldset>
    }
}

/// A core outcome of the standard: its text, and that it is locked.
#[component]
fn CoreOutcome(id: OutcomeId, outcomes: RwSignal<Vec<Outcome>>, standard: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = outcomes.with_untracked(|all| all.iter().find(|o| o.id == id).map(|o| o.text.clone()));
    view! {
        <li class="outcome-field core-outcome" data-testid="core-outcome">
            <span>{text}</span>
            <span class="hint">{move || i18n.format(TheoryKey::CoreOutcome, &[("standard", &standard)])}</span>
        </li>
    }
}

#[component]
fn OutcomeField(id: OutcomeId, outcomes: RwSignal<Vec<Outcome>>, label: Key) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("outcome-{id}");
    let position = move || {
        outcomes.with(|all| {
            let term = all.iter().find(|o| o.id == id).map(|o| o.term);
            all.iter()
                .filter(|o| Some(o.term) == term)
                .position(|o| o.id == id)
                .map_or(0, |n| n + 1)
        })
    };
    let name = move || format!("{} {}", i18n.t(label), position());
    view! {
        <li class="outcome-field">
            <label for=input_id.clone() class="visually-hidden">{name}</label>
            <input
                id=input_id
                type="text"
                maxlength=limits::OUTCOME
                prop:value=move || {
                    outcomes.with(|all| all.iter().find(|o| o.id == id).map(|o| o.text.clone()).unwrap_or_default())
                }
                on:input=move |event| {
                    let typed = event_target_value(&event);
                    outcomes.update(|all| {
                        if let Some(outcome) = all.iter_mut().find(|o| o.id == id) {
                            outcome.text = typed;
                        }
                    });
                }
            />
            <button
                type="button"
                class="text-button"
                aria-label=move || i18n.format(TheoryKey::RemoveOutcome, &[("outcome", &name())])
                on:click=move |_| outcomes.update(|all| all.retain(|o| o.id != id))
            >
                {i18n.text(TheoryKey::Remove)}
            </button>
        </li>
    }
}
