use leptos::prelude::*;
use spor_core::Role;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::today::register_context::use_register;

/// The day in figures: total, named and anonymous, new today, and per role.
#[component]
pub fn OccurrenceSummary() -> impl IntoView {
    let i18n = use_i18n();
    let register = use_register();
    let summary = Memo::new(move |_| register.register.with(|r| r.summary()));
    let roles = move || register.activity.with(|activity| activity.roles.clone());
    view! {
        <section class="card" aria-labelledby="summary-heading">
            <h2 id="summary-heading">{i18n.text(Key::TodaySummary)}</h2>
            <dl class="summary" data-testid="summary">
                <div>
                    <dt>{i18n.text(Key::TodaySummaryTotal)}</dt>
                    <dd data-testid="summary-total">{move || summary.get().total}</dd>
                </div>
                <div>
                    <dt>{i18n.text(Key::TodaySummaryNamed)}</dt>
                    <dd data-testid="summary-named">{move || summary.get().named}</dd>
                </div>
                <div>
                    <dt>{i18n.text(Key::TodaySummaryAnonymous)}</dt>
                    <dd data-testid="summary-anonymous">{move || summary.get().anonymous}</dd>
                </div>
                <div>
                    <dt>{i18n.text(Key::TodaySummaryNew)}</dt>
                    <dd data-testid="summary-new">{move || summary.get().new_today}</dd>
                </div>
                <For each=roles key=|role: &Role| *role let:role>
                    <div>
                        <dt>{move || role.label(i18n.language.get())}</dt>
                        <dd data-testid=format!("summary-{}", role.label(spor_core::Language::En).to_lowercase())>
                            {move || summary.get().by_role.get(role)}
                        </dd>
                    </div>
                </For>
            </dl>
        </section>
    }
}
