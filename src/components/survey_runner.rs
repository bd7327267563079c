use leptos::prelude::*;
use leptos::task::spawn_local;
use spor_core::Language;
use spor_core::privacy_notice;
use spor_core::survey::{Answer, Question, QuestionKind};
use spor_core::survey_session::{Screen, SurveySession};

use crate::components::hold_button::HoldButton;
use crate::components::outcome::{Done, Failure, attempt};
use crate::components::privacy_notice_text::PrivacyNoticeText;
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_speech::{UseSpeechOptions, UseSpeechReturn, use_speech};
use crate::hooks::use_stored::use_stored;
use crate::i18n::{Key, fill};
use crate::store;

/// The participant's side of a survey: language, one question per screen with big answer buttons,
/// progress dots, back and skip, read-aloud, and a kind thank-you. Texts are in the respondent's
/// language, whatever the app's. The response is written once, on "send".
#[component]
pub fn SurveyRunner(
    session: RwSignal<SurveySession>,
    /// Called when the participant is done (after the thank-you), to return the device.
    on_finished: Callback<()>,
    /// The thank-you's button: "hand the phone back" or, in a kiosk, "done".
    finish_label: Key,
    /// A coordinator trying the survey out: nothing is stored.
    #[prop(optional)]
    preview: bool,
    /// The pseudonym the answers are linked to, shown to that participant only.
    #[prop(default = None)]
    respondent: Option<String>,
    /// In a kiosk: after the thank-you has shown this long, return by itself.
    #[prop(default = None)]
    return_after: Option<std::time::Duration>,
    /// On a handed-over phone: the thank-you's way back is held down by the volunteer, not tapped.
    #[prop(optional)]
    guarded: bool,
) -> impl IntoView {
    let respondent = StoredValue::new(respondent);
    let i18n = use_i18n();
    let language = Signal::derive(move || session.with(SurveySession::language));
    let UseSpeechReturn { available, speak } = use_speech(UseSpeechOptions { language });
    let sent = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let text = move |key: Key| key.text(language.get());
    let screen = Memo::new(move |_| session.with(SurveySession::screen));
    // Someone answering under their nickname for the first time on this device reads the privacy
    // notice before the first question.
    let participant = session
        .with_untracked(SurveySession::participant)
        .filter(|_| !preview);
    let notice = use_stored(move |store| async move {
        let Some(participant) = participant else {
            return Ok(None);
        };
        if store.notice_shown_to(participant).await? {
            return Ok(None);
        }
        Ok(Some((participant, store.privacy_notice().await?)))
    });
    // Where the store cannot tell, the survey goes on without the notice rather than stop.
    let notice_due_for = move || notice.get().and_then(Result::ok).flatten();
    let notice_read = RwSignal::new(false);
    let notice_due = move || !notice_read.get() && notice_due_for().is_some();
    if let Some(after) = return_after {
        Effect::new(move |_| {
            if sent.get() {
                set_timeout(move || on_finished.run(()), after);
            }
        });
    }

    let send = move |_| {
        attempt(failure, async move {
            let recorded_by = store::shared().await?.recorder_id().await?;
            let finished = session
                .try_update(|session| session.finish(chrono::Utc::now(), recorded_by))
                .expect("the session lives as long as the runner");
            let response = match finished {
                Ok(response) => response,
                Err(problems) => {
                    let language = language.get_untracked();
                    let names: Vec<String> = problems
                        .iter()
                        .filter_map(|problem| match problem {
                            spor_core::validation::Problem::RequiredUnanswered { question } => session
                                .with_untracked(|s| {
                                    s.template()
                                        .question(question)
                                        .map(|q| q.text.get(language).to_owned())
                                }),
                            _ => None,
                        })
                        .collect();
                    let missing = Done::with(Key::SurveyMissing, &[("question", &names.join(", "))]);
                    return Err(Failure::Other(missing));
                }
            };
            if !preview {
                store::shared().await?.save_response(&response).await?;
            }
            sent.try_set(true);
            Ok(())
        });
    };

    view! {
        <div class="survey-runner" data-testid="survey-runner" lang=move || language.get().tag()>
            {move || {
                if sent.get() {
                    return view! {
                        <section class="survey-screen thanks" aria-live="polite">
                            <p class="thanks-face" aria-hidden="true">"🙂"</p>
                            <h1>{text(Key::SurveyThanks)}</h1>
                            <p>{text(Key::SurveyThanksMore)}</p>
                            {if guarded {
                                view! {
                                    <p class="give-back">{text(finish_label)}</p>
                                    <HoldButton
                                        label=i18n.t(Key::HandoverTakeBack).to_owned()
                                        hint=i18n.t(Key::HandoverHoldHint).to_owned()
                                        on_held=on_finished
                                        test_id="take-back"
                                    />
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <button type="button" class="button answer" on:click=move |_| on_finished.run(())>
                                        {text(finish_label)}
                                    </button>
                                }
                                    .into_any()
                            }}
                        </section>
                    }
                        .into_any();
                }
                match screen.get() {
                    Screen::Language => view! { <LanguageScreen session respondent=respondent.get_value() /> }.into_any(),
                    Screen::Question(_) if notice_due() => {
                        let (participant, own) = notice_due_for().expect("due only when there is one");
                        let read = Callback::new(move |()| {
                            notice_read.set(true);
                            spawn_local(async move {
                                // Not remembered (storage failing): it shows again next time, no harm.
                                if let Ok(store) = store::shared().await {
                                    let _ = store.mark_notice_shown(participant).await;
                                }
                            });
                        });
                        view! { <NoticeScreen own language=language.get() read /> }.into_any()
                    }
                    Screen::Question(_) => view! { <QuestionScreen session available speak /> }.into_any(),
                    Screen::Review => {
                        view! {
                            <section class="survey-screen">
                                <Progress session />
                                <h1>{text(Key::SurveyReview)}</h1>
                                // In the respondent's language, as the rest of the survey.
                                <p role="alert" class="error">
                                    {move || failure.with(|failure| failure.as_ref().map(|failure| failure.text(language.get())))}
                                </p>
                                <button type="button" class="button answer" on:click=send>
                                    {text(Key::SurveySend)}
                                </button>
                                <button type="button" class="button secondary" on:click=move |_| session.update(SurveySession::back)>
                                    {text(Key::SurveyBack)}
                                </button>
                            </section>
                        }
                            .into_any()
                    }
                }
            }}
        </div>
    }
}

#[component]
fn LanguageScreen(session: RwSignal<SurveySession>, respondent: Option<String>) -> impl IntoView {
    view! {
        <section class="survey-screen">
            {respondent.map(|name| view! { <p class="respondent" data-testid="respondent">"👤 " {name}</p> })}
            <h1>{Key::SurveyChooseLanguage.text(Language::Da)}</h1>
            {Language::ALL
                .into_iter()
                .map(|language| {
                    view! {
                        <button
                            type="button"
                            class="button answer"
                            lang=language.tag()
                            on:click=move |_| session.update(|session| session.choose_language(language))
                        >
                            {language.endonym()}
                        </button>
                    }
                })
                .collect_view()}
        </section>
    }
}

/// The organisation's privacy notice (or the standard one), in the respondent's language where it
/// is the standard one, before their first linked survey.
#[component]
fn NoticeScreen(own: Option<String>, language: Language, read: Callback<()>) -> impl IntoView {
    let notice = privacy_notice::for_participants(own.as_deref(), language).to_owned();
    view! {
        <section class="survey-screen notice-screen" data-testid="privacy-notice">
            <PrivacyNoticeText notice />
            <button type="button" class="button answer" on:click=move |_| read.run(())>
                {Key::SurveyNoticeContinue.text(language)}
            </button>
        </section>
    }
}

/// The dots: one per question, the current one filled, with the count for screen readers.
#[component]
fn Progress(session: RwSignal<SurveySession>) -> impl IntoView {
    let progress = move || session.with(SurveySession::progress);
    let label = move || {
        let (count, current) = progress();
        let language = session.with(SurveySession::language);
        let n = current.map_or(count, |index| index + 1);
        fill(
            Key::SurveyProgress.text(language),
            &[("n", &n.to_string()), ("count", &count.to_string())],
        )
    };
    view! {
        <p class="progress" role="img" aria-label=label data-testid="survey-progress">
            {move || {
                let (count, current) = progress();
                (0..count)
                    .map(|index| {
                        let state = match current {
                            Some(current) if index == current => "current",
                            Some(current) if index < current => "done",
                            None => "done",
                            _ => "",
                        };
                        view! { <span class=format!("dot {state}") aria-hidden="true"></span> }
                    })
                    .collect_view()
            }}
        </p>
    }
}

/// The answer options of a question, as (answer, label, face) in the respondent's language.
pub(crate) fn options(
    question: &Question,
    language: Language,
) -> Vec<(Answer, String, Option<&'static str>)> {
    match &question.kind {
        QuestionKind::SingleChoice { choices } => choices
            .iter()
            .map(|choice| {
                (
                    Answer::Choice(choice.value),
                    choice.label.get(language).to_owned(),
                    None,
                )
            })
            .collect(),
        QuestionKind::Smiley => {
            let faces = ["😞", "🙁", "😐", "🙂", "😄"];
            let keys = [
                Key::SurveySmiley1,
                Key::SurveySmiley2,
                Key::SurveySmiley3,
                Key::SurveySmiley4,
                Key::SurveySmiley5,
            ];
            (1..=5u8)
                .map(|value| {
                    let index = usize::from(value - 1);
                    (
                        Answer::Smiley(value),
                        keys[index].text(language).to_owned(),
                        Some(faces[index]),
                    )
                })
                .collect()
        }
        QuestionKind::Agreement => [
            Key::SurveyAgreement1,
            Key::SurveyAgreement2,
            Key::SurveyAgreement3,
            Key::SurveyAgreement4,
            Key::SurveyAgreement5,
        ]
        .into_iter()
        .zip(1..=5u8)
        .map(|(key, value)| (Answer::Agreement(value), key.text(language).to_owned(), None))
        .collect(),
        QuestionKind::Scale { .. } => (0..=10u8)
            .map(|value| (Answer::Scale(value), value.to_string(), None))
            .collect(),
        QuestionKind::YesNo => vec![
            (
                Answer::YesNo(true),
                Key::SurveyYes.text(language).to_owned(),
                None,
            ),
            (
                Answer::YesNo(false),
                Key::SurveyNo.text(language).to_owned(),
                None,
            ),
        ],
        QuestionKind::ShortText => Vec::new(),
    }
}

#[component]
fn QuestionScreen(
    session: RwSignal<SurveySession>,
    available: Signal<bool>,
    speak: Callback<String>,
) -> impl IntoView {
    let language = session.with_untracked(SurveySession::language);
    let Some(question) = session.with_untracked(|session| session.question().cloned()) else {
        return ().into_any();
    };
    let given = session.with_untracked(|session| session.answer_to(&question).cloned());
    let may_skip = session.with_untracked(SurveySession::may_skip);
    let first = session.with_untracked(|session| session.progress().1 == Some(0));
    let instruction = session.with_untracked(|session| {
        session
            .template()
            .instrument
            .filter(|_| first)
            .map(|instrument| instrument.instruction().get(language).to_owned())
    });
    let text = question.text.get(language).to_owned();
    let choices = options(&question, language);
    let spoken_question = {
        let labels: Vec<&str> = choices.iter().map(|(_, label, _)| label.as_str()).collect();
        format!("{text}. {}", labels.join(". "))
    };
    let scale_ends = match &question.kind {
        QuestionKind::Scale { low, high } => {
            Some((low.get(language).to_owned(), high.get(language).to_owned()))
        }
        _ => None,
    };
    let is_scale = scale_ends.is_some();
    let free_text = RwSignal::new(match &given {
        Some(Answer::Text(text)) => text.clone(),
        _ => String::new(),
    });
    let is_text = matches!(question.kind, QuestionKind::ShortText);
    let answers_label = Key::SurveyAnswers.text(language);

    view! {
        <section class="survey-screen" aria-labelledby="question-text">
            <Progress session />
            {instruction.map(|instruction| view! { <p class="instruction">{instruction}</p> })}
            <div class="question-row">
                <h1 id="question-text">{text.clone()}</h1>
                <Show when=move || available.get()>
                    <button
                        type="button"
                        class="button speak"
                        aria-label=Key::SurveyReadAloud.text(language)
                        on:click={
                            let spoken = spoken_question.clone();
                            move |_| speak.run(spoken.clone())
                        }
                    >
                        "🔊"
                    </button>
                </Show>
            </div>
            <div class="answers" class:scale=is_scale role="group" aria-label=answers_label>
                {choices
                    .into_iter()
                    .map(|(answer, label, face)| {
                        let pressed = given.as_ref() == Some(&answer);
                        let spoken = label.clone();
                        let read_label = fill(Key::SurveyReadAnswer.text(language), &[("answer", &label)]);
                        view! {
                            <div class="answer-row">
                                <button
                                    type="button"
                                    class="button answer"
                                    aria-pressed=pressed.to_string()
                                    on:click=move |_| session.update(|session| session.answer(answer.clone()))
                                >
                                    {face.map(|face| view! { <span class="face" aria-hidden="true">{face}</span> })}
                                    <span>{label}</span>
                                    // The state is also told by aria-pressed; the mark shows it without colour.
                                    {pressed.then(|| view! { <span class="check" aria-hidden="true">"✓"</span> })}
                                </button>
                                <Show when=move || available.get() && !is_scale>
                                    <button
                                        type="button"
                                        class="button speak"
                                        aria-label=read_label.clone()
                                        on:click={
                                            let spoken = spoken.clone();
                                            move |_| speak.run(spoken.clone())
                                        }
                                    >
                                        "🔊"
                                    </button>
                                </Show>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            {scale_ends.map(|(low, high)| view! { <p class="scale-ends"><span>"0: " {low}</span><span>"10: " {high}</span></p> })}
            <Show when=move || is_text>
                <label for="free-text">{Key::SurveyYourAnswer.text(language)}</label>
                <textarea
                    id="free-text"
                    rows="4"
                    maxlength="500"
                    prop:value=move || free_text.get()
                    on:input=move |event| free_text.set(event_target_value(&event))
                ></textarea>
                <button
                    type="button"
                    class="button answer"
                    on:click=move |_| session.update(|session| session.answer(Answer::Text(free_text.get_untracked())))
                >
                    {Key::SurveyNext.text(language)}
                </button>
            </Show>
            <div class="button-row">
                <button type="button" class="button secondary" on:click=move |_| session.update(SurveySession::back)>
                    {Key::SurveyBack.text(language)}
                </button>
                {may_skip
                    .then(|| {
                        view! {
                            <button type="button" class="button secondary" on:click=move |_| session.update(SurveySession::skip)>
                                {Key::SurveySkip.text(language)}
                            </button>
                        }
                    })}
            </div>
        </section>
    }
        .into_any()
}
