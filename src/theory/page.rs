//! Forandringsteori / Theory of change: per activity, or the organisation's own, drawn as a diagram
//! and written step by step. Every saved revision is a new version; the older ones stay listed.

use chrono::Local;
use leptos::prelude::*;
use leptos_router::components::A;
use spor_core::activity::Activity;
use spor_core::ids::ActivityId;
use spor_core::theory::{self, TheoryOfChange};

use crate::components::outcome::{Done, Outcome, OutcomeMessage, ReadFailure, act};
use crate::components::page::{Page, print_page};
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::use_stored;
use crate::i18n::Key;
use crate::i18n::theory::Key as TheoryKey;
use crate::store::{self, StoreError};
use crate::theory::diagram::TheoryDiagram;
use crate::theory::theory_form::TheoryForm;

#[component]
pub fn TheoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let stored = use_stored(|store| async move { Ok((store.activities().await?, store.theories().await?)) });
    // `None`: the organisation's own.
    let owner = RwSignal::new(None::<ActivityId>);
    let writing = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);

    let save = Callback::new(move |written: TheoryOfChange| {
        act(outcome, async move {
            store::shared().await?.save_theory(&written).await?;
            stored.refetch();
            writing.try_set(false);
            Ok(Done::with(
                TheoryKey::Saved,
                &[("version", &written.version.to_string())],
            ))
        });
    });

    view! {
        <Page title=Key::TheoryTitle lead=Key::TheoryLead>
            <Transition fallback=|| ()>
                <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                    {move || Suspend::new(async move {
                        let (activities, theories) = stored.await?;
                        let activities: Vec<Activity> = activities.into_iter().filter(|a| !a.archived).collect();
                        Ok::<_, StoreError>(view! {
                            <OwnerChoice activities owner writing />
                            {move || shown(&theories, owner.get(), writing, save, outcome)}
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            <OutcomeMessage outcome testid="theory-message" />
            <p class="card no-print">
                <A href="/standard">{i18n.text(TheoryKey::StandardLink)}</A>
            </p>
        </Page>
    }
}

/// Whose theory to show: the organisation's or one activity's.
#[component]
fn OwnerChoice(
    activities: Vec<Activity>,
    owner: RwSignal<Option<ActivityId>>,
    writing: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card field">
            <label for="theory-owner">{i18n.text(TheoryKey::Owner)}</label>
            <select
                id="theory-owner"
                on:change=move |event| {
                    owner.set(event_target_value(&event).parse().ok().map(ActivityId));
                    writing.set(false);
                }
            >
                <option value="" selected=move || owner.get().is_none()>{i18n.text(TheoryKey::Organisation)}</option>
                {activities
                    .into_iter()
                    .map(|activity| {
                        let id = activity.id;
                        view! {
                            <option value=id.to_string() selected=move || owner.get() == Some(id)>{activity.name}</option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The newest version of `owner`'s theory as a diagram with the older versions listed, or the
/// form for the next one.
fn shown(
    theories: &[TheoryOfChange],
    owner: Option<ActivityId>,
    writing: RwSignal<bool>,
    save: Callback<TheoryOfChange>,
    outcome: RwSignal<Option<Outcome>>,
) -> AnyView {
    let i18n = use_i18n();
    let today = Local::now().date_naive();
    let versions: Vec<TheoryOfChange> = theory::versions(theories, owner).into_iter().cloned().collect();
    let newest = versions.first().cloned();
    if writing.get() {
        let next = match &newest {
            Some(newest) => newest.revision(today),
            None => TheoryOfChange::first(owner, today, i18n.language.get_untracked()),
        };
        let cancel = Callback::new(move |()| writing.set(false));
        return view! { <TheoryForm current=next on_save=save on_cancel=cancel outcome /> }.into_any();
    }
    let language = i18n.language.get();
    let Some(newest) = newest else {
        // An activity without a theory of its own shares the organisation's.
        let shared = owner.is_some() && theory::in_force(theories, None, today).is_some();
        let empty = if shared {
            TheoryKey::UsesOrganisations
        } else {
            TheoryKey::None
        };
        return view! {
            <section class="card">
                <p class="hint" data-testid="theory-none">{i18n.text(empty)}</p>
                <p class="hint">{i18n.text(TheoryKey::Why)}</p>
                <button type="button" class="button" on:click=move |_| writing.set(true)>{i18n.text(TheoryKey::Write)}</button>
            </section>
        }
        .into_any();
    };
    let heading = i18n.format(
        Key::TheoryVersion,
        &[
            ("version", &newest.version.to_string()),
            ("from", &language.format_date(newest.in_force_from)),
        ],
    );
    let older = versions
        .iter()
        .skip(1)
        .map(|old| {
            let said = i18n.format(
                Key::TheoryVersion,
                &[
                    ("version", &old.version.to_string()),
                    ("from", &language.format_date(old.in_force_from)),
                ],
            );
            let old = old.clone();
            view! {
                <li>
                    <details>
                        <summary>{said}</summary>
                        <TheoryDiagram theory=old />
                    </details>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="theory-heading">
            <h2 id="theory-heading" data-testid="theory-version">{heading}</h2>
            <TheoryDiagram theory=newest />
            <div class="button-row no-print">
                <button type="button" class="button" on:click=move |_| writing.set(true)>{i18n.text(TheoryKey::Revise)}</button>
                <button type="button" class="button secondary" on:click=|_| print_page()>{i18n.text(TheoryKey::Print)}</button>
            </div>
        </section>
        {(versions.len() > 1).then(|| view! {
            <section class="card no-print" aria-labelledby="theory-older-heading">
                <h2 id="theory-older-heading">{i18n.text(TheoryKey::Older)}</h2>
                <ul class="theory-versions" data-testid="theory-older">{older}</ul>
            </section>
        })}
    }
    .into_any()
}
