//! Settings: how long participants who no longer come are kept (spor-core's `retention`). The
//! rule runs on this device at each start, and at once when a period is chosen; the erasures it
//! makes sync like any other.

use chrono::Local;
use leptos::prelude::*;
use spor_core::retention::PERIODS;

use crate::components::outcome::{Done, Outcome, OutcomeMessage, act};
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::use_stored;
use crate::i18n::settings::Key as SettingsKey;
use crate::store;

#[component]
pub fn RetentionSection() -> impl IntoView {
    let i18n = use_i18n();
    let stored = use_stored(|store| async move { store.retention_months().await });
    let outcome = RwSignal::new(None::<Outcome>);
    let choose = move |chosen: Option<u32>| {
        act(outcome, async move {
            let store = store::shared().await?;
            store.set_retention_months(chosen).await?;
            let Some(months) = chosen else {
                return Ok(Done::new(SettingsKey::RetentionOff));
            };
            let today = Local::now().date_naive();
            let erased = store.erase_past_retention(months, today).await?;
            Ok(Done::with(
                SettingsKey::RetentionErased,
                &[
                    ("months", &months.to_string()),
                    ("count", &erased.len().to_string()),
                ],
            ))
        });
    };
    view! {
        <section class="card stack" aria-labelledby="retention-heading">
            <h2 id="retention-heading">{i18n.text(SettingsKey::Retention)}</h2>
            <p>{i18n.text(SettingsKey::RetentionLead)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let current = stored.await.ok().flatten();
                    view! {
                        <div class="field">
                            <label for="retention-period">{i18n.text(SettingsKey::RetentionPeriod)}</label>
                            <select
                                id="retention-period"
                                on:change=move |event| {
                                    choose(event_target_value(&event).parse().ok());
                                }
                            >
                                <option value="" selected=current.is_none()>
                                    {i18n.text(SettingsKey::RetentionNever)}
                                </option>
                                {PERIODS
                                    .into_iter()
                                    .map(|months| {
                                        view! {
                                            <option value=months.to_string() selected=current == Some(months)>
                                                {move || i18n.format(SettingsKey::RetentionMonths, &[("months", &months.to_string())])}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })}
            </Transition>
            <OutcomeMessage outcome testid="retention-message" />
        </section>
    }
}
