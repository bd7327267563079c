use std::time::Duration;

use leptos::prelude::*;
use spor_core::survey_session::{Handover, SurveySession};

use crate::components::outcome::ReadFailure;
use crate::components::survey_runner::SurveyRunner;
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::kiosk_context::{PinProblem, use_kiosk};
use crate::hooks::use_idle_timeout::{UseIdleTimeoutOptions, use_idle_timeout};
use crate::hooks::use_stored::use_stored_with;
use crate::i18n::Key;
use crate::i18n::survey::Key as SurveyKey;
use crate::store::StoreError;
use crate::survey::survey_setup::{SurveyChoice, SurveySetup, use_setup_choices};

/// A participant who walks away mid-survey: after this long without a touch the answers so far are
/// discarded and the kiosk starts again.
const IDLE: Duration = Duration::from_secs(90);
/// How long the thank-you shows before the kiosk is ready for the next participant.
const THANKS: Duration = Duration::from_secs(8);

/// The whole screen in kiosk mode: the survey's start screen, the survey, and a PIN-guarded exit.
#[component]
pub fn KioskScreen() -> impl IntoView {
    let kiosk = use_kiosk();
    // Only whether the kiosk is set up chooses the screen: a wrong PIN (which counts a miss in the
    // settings) must not rebuild the start screen under the volunteer's fingers.
    let set_up = Memo::new(move |_| kiosk.settings().with(Option::is_some));
    view! {
        <main id="main" class="kiosk" tabindex="-1">
            {move || match set_up.get() {
                true => view! { <KioskStart /> }.into_any(),
                false => view! { <KioskDeviceSetup /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn KioskStart() -> impl IntoView {
    let kiosk = use_kiosk();
    let session = RwSignal::new(None::<SurveySession>);
    let running = Signal::derive(move || session.with(Option::is_some));
    use_idle_timeout(UseIdleTimeoutOptions {
        after: IDLE,
        active: running,
        on_idle: Callback::new(move |()| session.set(None)),
    });
    // The survey as it is now: a built-in, or the newest version of the organisation's own.
    let chosen = Memo::new(move |_| {
        kiosk
            .settings()
            .with(|settings| settings.as_ref().map(|s| s.template))
    });
    let loaded = use_stored_with(
        move || chosen.get(),
        |store, chosen| async move {
            match chosen {
                Some(id) => store.template(id).await,
                None => Ok(None),
            }
        },
    );
    // Until it is read (or where it cannot be), the kiosk offers nothing to start.
    let template = move || loaded.get().and_then(Result::ok).flatten();
    let begin = move |_| {
        let (Some(settings), Some(template)) = (kiosk.settings().get_untracked(), template()) else {
            return;
        };
        session.set(Some(SurveySession::new(
            template,
            Handover {
                activity: settings.activity,
                date: chrono::Local::now().date_naive(),
                participant: None,
                mode: Default::default(),
            },
        )));
    };
    view! {
        {move || match session.get().is_some() {
            true => {
                let runner_session = RwSignal::new(session.get_untracked().expect("checked"));
                // The runner's signal is made here, in this closure's scope: one made in the start
                // button's handler would belong to the start screen and go when it is replaced.
                view! {
                    <SurveyRunner
                        session=runner_session
                        on_finished=Callback::new(move |()| session.set(None))
                        finish_label=Key::SurveyDone
                        return_after=Some(THANKS)
                    />
                }
                    .into_any()
            }
            false => {
                view! {
                    <section class="survey-screen kiosk-start" data-testid="kiosk-start">
                        {move || {
                            template()
                                .map(|template| {
                                    view! {
                                        <h1 lang="da">{template.name.da.clone()}</h1>
                                        <p lang="en">{template.name.en.clone()}</p>
                                    }
                                })
                        }}
                        <button type="button" class="button answer" on:click=begin>
                            <span lang="da">{SurveyKey::Start.text(spor_core::Language::Da)}</span>
                            " · "
                            <span lang="en">{SurveyKey::Start.text(spor_core::Language::En)}</span>
                        </button>
                        <LeaveKiosk />
                    </section>
                }
                    .into_any()
            }
        }}
    }
}

/// The small, PIN-guarded way out for the volunteer.
#[component]
fn LeaveKiosk() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let open = RwSignal::new(false);
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let outcome = kiosk.leave(&pin.get_untracked(), js_sys::Date::now());
        pin.set(String::new());
        problem.set(match outcome {
            Ok(()) => None,
            Err(PinProblem::Wrong | PinProblem::Format) => Some(i18n.t(SurveyKey::KioskWrongPin).to_owned()),
            Err(PinProblem::Wait { seconds }) => {
                Some(i18n.format(SurveyKey::KioskPinWait, &[("seconds", &seconds.to_string())]))
            }
        });
    };
    view! {
        <div class="kiosk-leave">
            <Show
                when=move || open.get()
                fallback=move || {
                    view! {
                        <button type="button" class="button secondary" on:click=move |_| open.set(true)>
                            {i18n.text(SurveyKey::KioskLeave)}
                        </button>
                    }
                }
            >
                <form class="stack" on:submit=submit>
                    <label for="kiosk-pin">{i18n.text(SurveyKey::KioskLeavePin)}</label>
                    <input
                        id="kiosk-pin"
                        type="password"
                        inputmode="numeric"
                        autocomplete="off"
                        prop:value=move || pin.get()
                        on:input=move |event| pin.set(event_target_value(&event))
                    />
                    <p role="alert" class="error">{move || problem.get()}</p>
                    <div class="button-row">
                        <button type="submit" class="button">{i18n.text(SurveyKey::KioskLeaveConfirm)}</button>
                        <button type="button" class="button secondary" on:click=move |_| open.set(false)>
                            {i18n.text(Key::CommonCancel)}
                        </button>
                    </div>
                </form>
            </Show>
        </div>
    }
}

/// A device paired as a kiosk, before a volunteer has chosen what it asks.
#[component]
fn KioskDeviceSetup() -> impl IntoView {
    let i18n = use_i18n();
    let loaded = use_setup_choices();
    let choice = RwSignal::new(None::<SurveyChoice>);
    view! {
        <section class="card stack">
            <h1>{i18n.text(SurveyKey::SetupKioskHeading)}</h1>
            <p>{i18n.text(SurveyKey::KioskDeviceHint)}</p>
            <Transition fallback=|| ()>
                <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                    {move || Suspend::new(async move {
                        let (activities, people, templates) = loaded.await?;
                        Ok::<_, StoreError>(view! { <SurveySetup activities people templates choice with_link=false /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <KioskPinForm choice />
        </section>
    }
}

/// The PIN that will let the volunteer out, and the button that starts the kiosk with `choice`.
#[component]
pub fn KioskPinForm(choice: RwSignal<Option<SurveyChoice>>) -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(chosen) = choice.get_untracked() else {
            return;
        };
        match kiosk.start(chosen.activity, chosen.template, &pin.get_untracked()) {
            Ok(()) => problem.set(None),
            Err(_) => problem.set(Some(Key::KioskPinFormat)),
        }
    };
    view! {
        <Show when=move || choice.with(Option::is_some)>
            <form class="stack" on:submit=start>
                <p class="hint">{i18n.text(SurveyKey::SetupKioskHint)}</p>
                <div class="field">
                    <label for="kiosk-new-pin">{i18n.text(SurveyKey::SetupPin)}</label>
                    <input
                        id="kiosk-new-pin"
                        type="password"
                        inputmode="numeric"
                        autocomplete="new-password"
                        prop:value=move || pin.get()
                        on:input=move |event| pin.set(event_target_value(&event))
                    />
                </div>
                <p role="alert" class="error">{move || problem.get().map(|key| i18n.t(key))}</p>
                <button type="submit" class="button">{i18n.text(SurveyKey::SetupStartKiosk)}</button>
            </form>
        </Show>
    }
}
