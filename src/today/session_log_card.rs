//! The session's effort on the Today page: how many volunteers ran it and their hours, or that it
//! was cancelled and why. Three taps when the prefill is right: open, check, save.

use leptos::prelude::*;
use spor_core::Role;
use spor_core::activity::{Activity, Occurrence};
use spor_core::ids::SessionLogId;
use spor_core::session_log::SessionLog;
use spor_core::validation::Context;

use crate::components::outcome::{Done, Failure, Outcome, OutcomeMessage, act};
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::use_stored_with;
use crate::i18n::Key;
use crate::store;
use crate::today::register_context::use_register;

/// What the form holds while it is open, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct Typed {
    volunteers: Option<String>,
    hours: Option<String>,
    cancelled: bool,
    reason: String,
}

#[component]
pub fn SessionLogCard(activity: Signal<Activity>, occurrence: Signal<Occurrence>) -> impl IntoView {
    let i18n = use_i18n();
    let register = use_register();
    let stored = use_stored_with(
        move || occurrence.get(),
        |store, occurrence| async move { store.session_log(occurrence).await },
    );
    let stored_log = move || stored.get().and_then(Result::ok).flatten();
    let open = RwSignal::new(false);
    let typed = RwSignal::new(Typed::default());
    let outcome = RwSignal::new(None::<Outcome>);

    // Until typed over: the stored log's figures, else the volunteers checked in and the usual length.
    let prefill = move || match stored_log() {
        Some(log) => log,
        None => {
            let checked_in = register
                .register
                .with(|r| r.summary().by_role.get(Role::Frivillig));
            activity.with(|activity| SessionLog::prefilled(activity, occurrence.get().date, checked_in))
        }
    };
    let volunteers_text = move || {
        typed
            .with(|typed| typed.volunteers.clone())
            .unwrap_or_else(|| prefill().volunteers.to_string())
    };
    let hours_text = move || {
        typed.with(|typed| typed.hours.clone()).unwrap_or_else(|| {
            let volunteers: u32 = volunteers_text().trim().parse().unwrap_or(0);
            let usual = activity
                .with(|a| a.schedule.and_then(|s| s.minutes))
                .map_or(0, u32::from);
            // A changed number of volunteers changes the hours, while nobody has typed them.
            let minutes = match stored_log() {
                Some(log) if typed.with(|typed| typed.volunteers.is_none()) => log.volunteer_minutes,
                _ => volunteers * usual,
            };
            i18n.language.get().format_number(f64::from(minutes) / 60.0, 1)
        })
    };

    let start = move |_| {
        let log = stored_log();
        typed.set(Typed {
            cancelled: log.as_ref().is_some_and(SessionLog::is_cancelled),
            reason: log.and_then(|log| log.cancelled).unwrap_or_default(),
            ..Typed::default()
        });
        outcome.set(None);
        open.set(true);
    };
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let occurrence = occurrence.get_untracked();
        let (cancelled, reason) = typed.with_untracked(|typed| (typed.cancelled, typed.reason.clone()));
        // A cancelled session gave no hours to log.
        let effort = if cancelled {
            Some((0, 0))
        } else {
            volunteers_text()
                .trim()
                .parse::<u16>()
                .ok()
                .zip(minutes_of(&hours_text()))
        };
        let Some((volunteers, minutes)) = effort else {
            outcome.set(Some(Err(Failure::Other(Done::new(Key::TodayLogNotANumber)))));
            return;
        };
        let log = SessionLog {
            id: SessionLogId::of(occurrence),
            activity: occurrence.activity,
            date: occurrence.date,
            volunteers,
            volunteer_minutes: minutes,
            cancelled: cancelled.then(|| reason.trim().to_owned()),
        };
        let context = Context {
            today: chrono::Local::now().date_naive(),
        };
        if let Err(problems) = log.validate(context) {
            outcome.set(Some(Err(Failure::Refused(problems))));
            return;
        }
        act(outcome, async move {
            store::shared().await?.save_session_log(&log).await?;
            stored.refetch();
            open.try_set(false);
            Ok(Done::new(Key::TodayLogSaved))
        });
    };

    let summary = move || {
        let language = i18n.language.get();
        match stored_log() {
            None => i18n.t(Key::TodayLogNone).to_owned(),
            Some(SessionLog {
                cancelled: Some(reason),
                ..
            }) => i18n.format(Key::TodayLogCancelledSummary, &[("reason", &reason)]),
            Some(log) => i18n.format(
                Key::TodayLogSummary,
                &[
                    ("volunteers", &log.volunteers.to_string()),
                    ("hours", &language.format_number(log.hours(), 1)),
                ],
            ),
        }
    };

    view! {
        <section class="card" aria-labelledby="session-log-heading" data-testid="session-log">
            <h2 id="session-log-heading">{i18n.text(Key::TodayLogTitle)}</h2>
            <Show
                when=move || open.get()
                fallback=move || {
                    view! {
                        <p data-testid="session-log-summary">{summary}</p>
                        <button type="button" class="button secondary" on:click=start>
                            {move || {
                                if stored_log().is_some() { i18n.t(Key::TodayLogEdit) } else { i18n.t(Key::TodayLogStart) }
                            }}
                        </button>
                    }
                }
            >
                <form class="stack" on:submit=save>
                    <label class="choice">
                        <input
                            type="checkbox"
                            name="cancelled"
                            prop:checked=move || typed.with(|typed| typed.cancelled)
                            on:change=move |event| typed.update(|typed| typed.cancelled = event_target_checked(&event))
                        />
                        {i18n.text(Key::TodayLogCancelled)}
                    </label>
                    <Show
                        when=move || typed.with(|typed| typed.cancelled)
                        fallback=move || {
                            view! {
                                <div class="field">
                                    <label for="session-log-volunteers">{i18n.text(Key::TodayLogVolunteers)}</label>
                                    <input
                                        id="session-log-volunteers"
                                        type="number"
                                        name="volunteers"
                                        min="0"
                                        max=spor_core::session_log::MAX_VOLUNTEERS
                                        inputmode="numeric"
                                        prop:value=volunteers_text
                                        on:input=move |event| typed.update(|typed| typed.volunteers = Some(event_target_value(&event)))
                                    />
                                </div>
                                <div class="field">
                                    <label for="session-log-hours">{i18n.text(Key::TodayLogHours)}</label>
                                    <input
                                        id="session-log-hours"
                                        type="text"
                                        name="hours"
                                        inputmode="decimal"
                                        aria-describedby="session-log-hours-hint"
                                        prop:value=hours_text
                                        on:input=move |event| typed.update(|typed| typed.hours = Some(event_target_value(&event)))
                                    />
                                    <p class="hint" id="session-log-hours-hint">{i18n.text(Key::TodayLogHoursHint)}</p>
                                </div>
                            }
                        }
                    >
                        <div class="field">
                            <label for="session-log-reason">{i18n.text(Key::TodayLogReason)}</label>
                            <input
                                id="session-log-reason"
                                type="text"
                                name="reason"
                                maxlength=spor_core::validation::limits::CANCEL_REASON
                                prop:value=move || typed.with(|typed| typed.reason.clone())
                                on:input=move |event| typed.update(|typed| typed.reason = event_target_value(&event))
                            />
                        </div>
                    </Show>
                    <div class="button-row">
                        <button type="submit" class="button">{i18n.text(Key::TodayLogSave)}</button>
                        <button type="button" class="button secondary" on:click=move |_| open.set(false)>
                            {i18n.text(Key::TodayLogClose)}
                        </button>
                    </div>
                </form>
            </Show>
            <OutcomeMessage outcome=outcome testid="session-log-outcome" />
        </section>
    }
}

/// Hours as typed, with a decimal comma or point ("7,5"), in whole minutes; none for text that is
/// no number of hours.
fn minutes_of(hours: &str) -> Option<u32> {
    let hours: f64 = hours.trim().replace(',', ".").parse().ok()?;
    (hours.is_finite() && hours >= 0.0 && hours < f64::from(u32::MAX) / 60.0)
        .then(|| (hours * 60.0).round() as u32)
}
