use leptos::prelude::*;
use spor_core::language::Texts;
use spor_core::survey::{Choice, Question, QuestionId, QuestionKind, QuestionShape, SurveyTemplate};
use spor_core::survey_session::{Handover, SurveySession};

use crate::components::outcome::{Failure, attempt};
use crate::components::survey_runner::SurveyRunner;
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::i18n::survey::Key as SurveyKey;
use crate::store;

/// How the builder names each kind of question.
fn shape_label(shape: QuestionShape) -> Key {
    match shape {
        QuestionShape::Smiley => Key::BuilderKindSmiley,
        QuestionShape::Agreement => Key::BuilderKindAgreement,
        QuestionShape::Scale => Key::BuilderKindScale,
        QuestionShape::YesNo => Key::BuilderKindYesNo,
        QuestionShape::SingleChoice => Key::BuilderKindSingleChoice,
        QuestionShape::ShortText => Key::BuilderKindShortText,
    }
}

/// One question being written: texts in both languages, its kind, and whether it must be answered.
#[derive(Debug, Clone, PartialEq)]
struct DraftQuestion {
    /// Kept from the version being edited, so answers compare across versions; new ones get `q<n>`.
    id: QuestionId,
    text: Texts,
    kind: QuestionShape,
    low: Texts,
    high: Texts,
    /// The answers of a single-choice question, in order; they are scored 1, 2, 3 ...
    choices: Vec<Texts>,
    required: bool,
}

impl DraftQuestion {
    fn from_question(question: &Question) -> DraftQuestion {
        let (low, high) = match &question.kind {
            QuestionKind::Scale { low, high } => (low.clone(), high.clone()),
            _ => (Texts::default(), Texts::default()),
        };
        let choices = match &question.kind {
            QuestionKind::SingleChoice { choices } => {
                choices.iter().map(|choice| choice.label.clone()).collect()
            }
            _ => Vec::new(),
        };
        DraftQuestion {
            id: question.id.clone(),
            text: question.text.clone(),
            kind: question.kind.shape(),
            low,
            high,
            choices,
            required: question.required,
        }
    }

    fn question(&self) -> Question {
        let kind = match self.kind {
            QuestionShape::Smiley => QuestionKind::Smiley,
            QuestionShape::Agreement => QuestionKind::Agreement,
            QuestionShape::Scale => QuestionKind::Scale {
                low: self.low.clone(),
                high: self.high.clone(),
            },
            QuestionShape::YesNo => QuestionKind::YesNo,
            QuestionShape::SingleChoice => QuestionKind::SingleChoice {
                choices: self
                    .choices
                    .iter()
                    .zip(1u8..)
                    .map(|(label, value)| Choice {
                        value,
                        label: trimmed(label),
                    })
                    .collect(),
            },
            QuestionShape::ShortText => QuestionKind::ShortText,
        };
        Question {
            id: self.id.clone(),
            text: trimmed(&self.text),
            kind,
            required: self.required,
        }
    }
}

fn trimmed(texts: &Texts) -> Texts {
    Texts::new(texts.da.trim(), texts.en.trim())
}

/// Creates or edits a custom survey: name and questions in Danish and English, a preview as the
/// participant sees it, and saving (a new version when the current one has answers). A template
/// that cannot be saved says why.
#[component]
pub fn TemplateEditor(
    existing: Option<SurveyTemplate>,
    on_saved: Callback<SurveyTemplate>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(existing.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let questions: RwSignal<Vec<DraftQuestion>> = RwSignal::new(
        existing
            .as_ref()
            .map(|t| t.questions.iter().map(DraftQuestion::from_question).collect())
            .unwrap_or_default(),
    );
    let failure = RwSignal::new(None::<Failure>);
    let preview = RwSignal::new(None::<RwSignal<SurveySession>>);
    let existing = StoredValue::new(existing);

    let draft = move || -> SurveyTemplate {
        let questions: Vec<Question> =
            questions.with(|drafts| drafts.iter().map(DraftQuestion::question).collect());
        let name = trimmed(&name.get_untracked());
        match existing.get_value() {
            // The version is settled on save, when it is known whether this one has answers.
            Some(current) => SurveyTemplate {
                name,
                questions,
                ..current
            },
            None => SurveyTemplate::custom(name, questions),
        }
    };
    let add_question = move |_| {
        questions.update(|drafts| {
            let taken: Vec<String> = drafts.iter().map(|draft| draft.id.0.clone()).collect();
            let id = (1..)
                .map(|n| format!("q{n}"))
                .find(|id| !taken.contains(id))
                .expect("an unused id exists");
            drafts.push(DraftQuestion {
                id: QuestionId::new(id),
                text: Texts::default(),
                kind: QuestionShape::Smiley,
                low: Texts::default(),
                high: Texts::default(),
                choices: vec![Texts::default(), Texts::default()],
                required: false,
            });
        });
    };
    let show_preview = move |_| {
        let template = draft();
        let handover = Handover {
            activity: spor_core::ids::ActivityId(uuid::Uuid::nil()),
            date: chrono::Local::now().date_naive(),
            participant: None,
            mode: Default::default(),
        };
        preview.set(Some(RwSignal::new(SurveySession::new(template, handover))));
    };
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let edited = draft();
        if let Err(found) = edited.validate() {
            failure.set(Some(Failure::Refused(found)));
            return;
        }
        attempt(failure, async move {
            let store = store::shared().await?;
            let template = match existing.get_value() {
                Some(current) => {
                    let answered = store.template_answered(&current).await?;
                    current
                        .revise(edited.name.clone(), edited.questions.clone(), answered)
                        .map_err(|problem| Failure::Refused(vec![problem]))?
                }
                None => edited,
            };
            store.save_template(&template).await?;
            on_saved.run(template);
            Ok(())
        });
    };

    let text_field = move |id: String, label: Key, value: Signal<String>, set: Callback<String>| {
        view! {
            <div class="field">
                <label for=id.clone()>{i18n.text(label)}</label>
                <input
                    id=id
                    type="text"
                    prop:value=move || value.get()
                    on:input=move |event| set.run(event_target_value(&event))
                />
            </div>
        }
    };

    view! {
        <form class="stack template-editor" on:submit=save data-testid="template-editor">
            {text_field(
                "template-name-da".into(),
                Key::BuilderNameDa,
                Signal::derive(move || name.with(|n| n.da.clone())),
                Callback::new(move |text| name.update(|n| n.da = text)),
            )}
            {text_field(
                "template-name-en".into(),
                Key::BuilderNameEn,
                Signal::derive(move || name.with(|n| n.en.clone())),
                Callback::new(move |text| name.update(|n| n.en = text)),
            )}
            <ol class="question-drafts">
                {move || {
                    (0..questions.with(Vec::len))
                        .map(|index| {
                            let field = move |pick: fn(&DraftQuestion) -> String| {
                                Signal::derive(move || questions.with(|q| q.get(index).map(pick).unwrap_or_default()))
                            };
                            let set = move |apply: fn(&mut DraftQuestion, String)| {
                                Callback::new(move |text: String| questions.update(|q| {
                                    if let Some(draft) = q.get_mut(index) {
                                        apply(draft, text);
                                    }
                                }))
                            };
                            let n = (index + 1).to_string();
                            let kind = Signal::derive(move || {
                                questions.with(|q| q.get(index).map_or(QuestionShape::Smiley, |draft| draft.kind))
                            });
                            let choose_kind = move |event: leptos::ev::Event| {
                                let chosen = event_target_value(&event).parse::<usize>().ok();
                                if let Some(&shape) = chosen.and_then(|position| QuestionShape::ALL.get(position)) {
                                    questions.update(|q| {
                                        if let Some(draft) = q.get_mut(index) {
                                            draft.kind = shape;
                                        }
                                    });
                                }
                            };
                            view! {
                                <li class="card stack">
                                    <h3>{i18n.format(SurveyKey::BuilderQuestion, &[("n", &n)])}</h3>
                                    {text_field(format!("q{index}-da"), Key::BuilderTextDa, field(|q| q.text.da.clone()), set(|q, t| q.text.da = t))}
                                    {text_field(format!("q{index}-en"), Key::BuilderTextEn, field(|q| q.text.en.clone()), set(|q, t| q.text.en = t))}
                                    <div class="field">
                                        <label for=format!("q{index}-kind")>{i18n.text(SurveyKey::BuilderKind)}</label>
                                        <select id=format!("q{index}-kind") on:change=choose_kind>
                                            {QuestionShape::ALL
                                                .into_iter()
                                                .enumerate()
                                                .map(|(position, shape)| {
                                                    view! {
                                                        <option value=position.to_string() selected=move || kind.get() == shape>
                                                            {i18n.text(shape_label(shape))}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    </div>
                                    <Show when=move || kind.get() == QuestionShape::Scale>
                                        {text_field(format!("q{index}-low-da"), Key::BuilderLowDa, field(|q| q.low.da.clone()), set(|q, t| q.low.da = t))}
                                        {text_field(format!("q{index}-low-en"), Key::BuilderLowEn, field(|q| q.low.en.clone()), set(|q, t| q.low.en = t))}
                                        {text_field(format!("q{index}-high-da"), Key::BuilderHighDa, field(|q| q.high.da.clone()), set(|q, t| q.high.da = t))}
                                        {text_field(format!("q{index}-high-en"), Key::BuilderHighEn, field(|q| q.high.en.clone()), set(|q, t| q.high.en = t))}
                                    </Show>
                                    <Show when=move || kind.get() == QuestionShape::SingleChoice>
                                        <ChoiceDrafts questions index />
                                    </Show>
                                    <label class="choice">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || questions.with(|q| q.get(index).is_some_and(|d| d.required))
                                            on:change=move |event| {
                                                let checked = event_target_checked(&event);
                                                questions.update(|q| {
                                                    if let Some(draft) = q.get_mut(index) {
                                                        draft.required = checked;
                                                    }
                                                });
                                            }
                                        />
                                        {i18n.text(SurveyKey::BuilderRequired)}
                                    </label>
                                    <button
                                        type="button"
                                        class="button secondary"
                                        on:click=move |_| questions.update(|q| {
                                            if index < q.len() {
                                                q.remove(index);
                                            }
                                        })
                                    >
                                        {i18n.format(SurveyKey::BuilderRemoveQuestion, &[("n", &n)])}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <button type="button" class="button secondary" on:click=add_question>
                {i18n.text(SurveyKey::BuilderAddQuestion)}
            </button>
            <div role="alert" class="error" data-testid="builder-problems">
                {move || failure.with(|failure| failure.as_ref().map(|failure| view! { <p>{i18n.failure(failure)}</p> }))}
            </div>
            <div class="button-row">
                <button type="submit" class="button">{i18n.text(SurveyKey::BuilderSave)}</button>
                <button type="button" class="button secondary" on:click=show_preview>
                    {i18n.text(SurveyKey::BuilderPreview)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>
                    {i18n.text(Key::CommonCancel)}
                </button>
            </div>
            {move || {
                preview
                    .get()
                    .map(|session| {
                        view! {
                            <div class="card preview" data-testid="template-preview">
                                <SurveyRunner
                                    session
                                    on_finished=Callback::new(move |()| preview.set(None))
                                    finish_label=Key::BuilderClosePreview
                                    preview=true
                                />
                                <button type="button" class="button secondary" on:click=move |_| preview.set(None)>
                                    {i18n.text(Key::BuilderClosePreview)}
                                </button>
                            </div>
                        }
                    })
            }}
        </form>
    }
}

/// The answers of one single-choice question being written, each in both languages.
#[component]
fn ChoiceDrafts(questions: RwSignal<Vec<DraftQuestion>>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || questions.with(|q| q.get(index).map_or(0, |draft| draft.choices.len()));
    let edit = move |choice: usize, apply: fn(&mut Texts, String), text: String| {
        questions.update(|q| {
            if let Some(label) = q.get_mut(index).and_then(|draft| draft.choices.get_mut(choice)) {
                apply(label, text);
            }
        });
    };
    let read = move |choice: usize, pick: fn(&Texts) -> String| {
        questions.with(|q| {
            q.get(index)
                .and_then(|draft| draft.choices.get(choice))
                .map(pick)
                .unwrap_or_default()
        })
    };
    view! {
        <ol class="choice-drafts">
            {move || {
                (0..count())
                    .map(|choice| {
                        let n = (choice + 1).to_string();
                        let id = format!("q{index}-choice{choice}");
                        view! {
                            <li class="stack">
                                <div class="field">
                                    <label for=format!("{id}-da")>{i18n.format(SurveyKey::BuilderChoiceDa, &[("n", &n)])}</label>
                                    <input
                                        id=format!("{id}-da")
                                        type="text"
                                        prop:value=move || read(choice, |t| t.da.clone())
                                        on:input=move |event| edit(choice, |t, text| t.da = text, event_target_value(&event))
                                    />
                                </div>
                                <div class="field">
                                    <label for=format!("{id}-en")>{i18n.format(SurveyKey::BuilderChoiceEn, &[("n", &n)])}</label>
                                    <input
                                        id=format!("{id}-en")
                                        type="text"
                                        prop:value=move || read(choice, |t| t.en.clone())
                                        on:input=move |event| edit(choice, |t, text| t.en = text, event_target_value(&event))
                                    />
                                </div>
                                <button
                                    type="button"
                                    class="button secondary"
                                    on:click=move |_| questions.update(|q| {
                                        if let Some(draft) = q.get_mut(index)
                                            && choice < draft.choices.len()
                                        {
                                            draft.choices.remove(choice);
                                        }
                                    })
                                >
                                    {i18n.format(SurveyKey::BuilderRemoveChoice, &[("n", &n)])}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
        <button
            type="button"
            class="button secondary"
            on:click=move |_| questions.update(|q| {
                if let Some(draft) = q.get_mut(index) {
                    draft.choices.push(Texts::default());
                }
            })
        >
            {i18n.text(SurveyKey::BuilderAddChoice)}
        </button>
    }
}
