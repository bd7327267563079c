//! The trends page's reflections: short notes per occurrence or period ("what worked, what do we
//! change") on a timeline, written and edited by coordinators, with a gentle prompt once a month
//! has ended without one.

use chrono::{Datelike, Local, Months, NaiveDate, Utc};
use leptos::prelude::*;
use spor_core::Language;
use spor_core::activity::Activity;
use spor_core::ids::{ActivityId, ReflectionId};
use spor_core::period::{Granularity, Period};
use spor_core::reflection::Reflection;
use spor_core::trends::Query;

use crate::components::date_field::DateField;
use crate::components::outcome::{Done, Failure, Outcome, OutcomeMessage, act};
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::i18n::trends::Key as TrendsKey;
use crate::store::{self, StoreError};

/// "okt. 2026" for a whole calendar month, else "3. okt. 2026 – 9. okt. 2026".
fn period_label(from: NaiveDate, to: NaiveDate, language: Language) -> String {
    let month = Period::containing(from, Granularity::Month);
    if from == month.start && to.succ_opt() == Some(month.end()) {
        month.label(language)
    } else if from == to {
        language.format_date(from)
    } else {
        format!("{} – {}", language.format_date(from), language.format_date(to))
    }
}

/// The last whole month before `today`'s: first and last day.
fn last_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this_month = today.with_day(1).unwrap_or(today);
    let start = this_month
        .checked_sub_months(Months::new(1))
        .unwrap_or(this_month);
    (start, this_month.pred_opt().unwrap_or(this_month))
}

#[component]
pub fn ReflectionsSection(
    activities: Vec<Activity>,
    activity: Signal<Option<ActivityId>>,
    query: Memo<Option<Query>>,
    reflections: LocalResource<Result<Vec<Reflection>, StoreError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (month_start, month_end) = last_month(Local::now().date_naive());
    let first_activity = activities.iter().find(|a| !a.archived).map(|a| a.id);
    let names = StoredValue::new(activities);
    let name_of = move |id: ActivityId| {
        names.with_value(|all| {
            all.iter()
                .find(|a| a.id == id)
                .map(|a| a.name.clone())
                .unwrap_or_default()
        })
    };
    // The form: a new reflection, or the one being edited.
    let editing = RwSignal::new(None::<ReflectionId>);
    let about = RwSignal::new(None::<ActivityId>);
    let from = RwSignal::new(month_start);
    let to = RwSignal::new(month_end);
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let text_area = NodeRef::<leptos::html::Textarea>::new();
    let chosen_activity = move || about.get().or(activity.get()).or(first_activity);

    let all = move || reflections.get().and_then(Result::ok).unwrap_or_default();
    let wrote_about_last_month = move || {
        all().iter().any(|reflection| {
            activity.get().is_none_or(|wanted| wanted == reflection.activity)
                && reflection.from <= month_end
                && month_start <= reflection.to
        })
    };
    let start_writing = move |reflection: Option<Reflection>| {
        match reflection {
            Some(reflection) => {
                editing.set(Some(reflection.id));
                about.set(Some(reflection.activity));
                from.set(reflection.from);
                to.set(reflection.to);
                text.set(reflection.text);
            }
            None => {
                editing.set(None);
                about.set(None);
                from.set(month_start);
                to.set(month_end);
                text.set(String::new());
            }
        }
        if let Some(area) = text_area.get() {
            let _ = area.focus();
        }
    };
    let save = move |_| {
        let Some(activity) = chosen_activity() else {
            return;
        };
        let reflection = Reflection {
            id: editing.get_untracked().unwrap_or_else(ReflectionId::generate),
            activity,
            from: from.get_untracked(),
            to: to.get_untracked(),
            text: text.get_untracked().trim().to_owned(),
            written_at: Utc::now(),
        };
        if let Err(problems) = reflection.validate() {
            outcome.set(Some(Err(Failure::Refused(problems))));
            return;
        }
        act(outcome, async move {
            store::shared().await?.save_reflection(&reflection).await?;
            reflections.refetch();
            editing.try_set(None);
            text.try_set(String::new());
            Ok(Done::new(TrendsKey::ReflectionsSaved))
        });
    };
    let delete = move |reflection: Reflection| {
        act(outcome, async move {
            store::shared().await?.delete_reflection(&reflection).await?;
            reflections.refetch();
            Ok(Done::new(TrendsKey::ReflectionsDeleted))
        });
    };

    let timeline = move || {
        let language = i18n.language.get();
        let selected = activity.get();
        let range = query.get();
        let mut shown: Vec<Reflection> = all()
            .into_iter()
            .filter(|r| selected.is_none_or(|wanted| wanted == r.activity))
            .filter(|r| range.is_none_or(|range| r.from <= range.to && range.from <= r.to))
            .collect();
        shown.sort_by_key(|reflection| std::cmp::Reverse((reflection.from, reflection.written_at)));
        if shown.is_empty() {
            return view! { <p class="hint">{i18n.text(TrendsKey::ReflectionsNone)}</p> }.into_any();
        }
        view! {
            <ol class="timeline" data-testid="reflections">
                {shown
                    .into_iter()
                    .map(|reflection| {
                        let period = period_label(reflection.from, reflection.to, language);
                        let edit_label = i18n.format(TrendsKey::ReflectionsEditLabel, &[("period", &period)]);
                        let delete_label = i18n.format(TrendsKey::ReflectionsDeleteLabel, &[("period", &period)]);
                        let activity_name = selected.is_none().then(|| format!(" · {}", name_of(reflection.activity)));
                        let (to_edit, to_delete) = (reflection.clone(), reflection.clone());
                        view! {
                            <li>
                                <h3>{period}{activity_name}</h3>
                                <p class="reflection-text">{reflection.text}</p>
                                <div class="button-row">
                                    <button type="button" class="text-button" aria-label=edit_label on:click=move |_| start_writing(Some(to_edit.clone()))>
                                        {i18n.text(TrendsKey::ReflectionsEdit)}
                                    </button>
                                    <button type="button" class="text-button" aria-label=delete_label on:click=move |_| delete(to_delete.clone())>
                                        {i18n.text(TrendsKey::GoalsDeleteShort)}
                                    </button>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };

    let month_name = move || Period::containing(month_start, Granularity::Month).label(i18n.language.get());
    view! {
        <section class="card reflections" aria-labelledby="reflections-heading">
            <h2 id="reflections-heading">{i18n.text(TrendsKey::ReflectionsTitle)}</h2>
            <p class="hint">{i18n.text(TrendsKey::ReflectionsExplain)}</p>
            <Show when=move || !wrote_about_last_month() && editing.get().is_none()>
                <div class="notice" data-testid="reflection-prompt">
                    <p>{move || i18n.format(TrendsKey::ReflectionsPrompt, &[("month", &month_name())])}</p>
                    <button type="button" class="button secondary" on:click=move |_| start_writing(None)>
                        {move || i18n.format(TrendsKey::ReflectionsPromptButton, &[("month", &month_name())])}
                    </button>
                </div>
            </Show>
            {timeline}
            <form class="reflection-form" on:submit=|event| event.prevent_default()>
                <div class="field">
                    <label for="reflection-activity">{i18n.text(Key::TrendsActivity)}</label>
                    <select
                        id="reflection-activity"
                        on:change=move |event| about.set(event_target_value(&event).parse().ok().map(ActivityId))
                    >
                        {names
                            .get_value()
                            .into_iter()
                            .filter(|a| !a.archived)
                            .map(|a| {
                                let id = a.id;
                                view! { <option value=id.to_string() selected=move || chosen_activity() == Some(id)>{a.name}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <DateField id="reflection-from" label=Key::TrendsFrom date=from />
                <DateField id="reflection-to" label=Key::TrendsTo date=to />
                <div class="field reflection-text-field">
                    <label for="reflection-text">{i18n.text(TrendsKey::ReflectionsText)}</label>
                    <textarea
                        id="reflection-text"
                        rows="4"
                        node_ref=text_area
                        prop:value=move || text.get()
                        on:input=move |event| text.set(event_target_value(&event))
                    ></textarea>
                </div>
                <div class="button-row">
                    <button type="submit" class="button" on:click=save>{i18n.text(TrendsKey::ReflectionsSave)}</button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="button secondary" on:click=move |_| start_writing(None)>
                            {i18n.text(TrendsKey::ReflectionsCancel)}
                        </button>
                    </Show>
                </div>
            </form>
            <OutcomeMessage outcome testid="reflections-message" />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_whole_month_is_named_by_its_month() {
        assert_eq!(
            period_label(date(2026, 10, 1), date(2026, 10, 31), Language::Da),
            "okt. 2026"
        );
        assert_eq!(
            period_label(date(2026, 10, 8), date(2026, 10, 8), Language::Da),
            "8. okt. 2026"
        );
        assert_eq!(
            period_label(date(2026, 10, 3), date(2026, 10, 9), Language::En),
            "3 Oct 2026 – 9 Oct 2026"
        );
    }

    #[test]
    fn last_month_is_the_whole_month_before_this_one() {
        assert_eq!(
            last_month(date(2026, 1, 15)),
            (date(2025, 12, 1), date(2025, 12, 31))
        );
        assert_eq!(
            last_month(date(2026, 3, 1)),
            (date(2026, 2, 1), date(2026, 2, 28))
        );
    }
}
