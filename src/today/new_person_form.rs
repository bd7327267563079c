use leptos::prelude::*;
use spor_core::Role;
use spor_core::validation::Problem;

use crate::components::problem_list::ProblemList;
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::today::register_context::use_register;

/// "Ny deltager": a nickname and a role, checked in at once. A nickname that is already on the
/// activity (whatever the spelling) is flagged, and the volunteer chooses.
#[component]
pub fn NewPersonForm() -> impl IntoView {
    let i18n = use_i18n();
    let register = use_register();
    let nickname = RwSignal::new(String::new());
    let default_role = move || {
        register
            .activity
            .with_untracked(|a| a.roles.first().copied().unwrap_or(Role::Bruger))
    };
    let role = RwSignal::new(default_role());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let same_person = RwSignal::new(None::<(spor_core::ids::ParticipantId, String)>);

    let add = move |confirmed_new: bool| {
        let pseudonym = nickname.get_untracked();
        if !confirmed_new {
            let existing = register.people.with_untracked(|people| {
                register.register.with_untracked(|r| {
                    r.same_pseudonym(people, &pseudonym)
                        .map(|p| (p.id, p.pseudonym.clone()))
                })
            });
            if existing.is_some() {
                same_person.set(existing);
                return;
            }
        }
        match register.add_person(pseudonym, role.get_untracked()) {
            Ok(()) => {
                nickname.set(String::new());
                role.set(default_role());
                problems.set(Vec::new());
                same_person.set(None);
            }
            Err(found) => problems.set(found),
        }
    };

    view! {
        <section class="card" aria-labelledby="new-person-heading">
            <h2 id="new-person-heading">{i18n.text(Key::TodayNewPerson)}</h2>
            <form
                class="stack"
                on:submit=move |event| {
                    event.prevent_default();
                    add(false);
                }
            >
                <div class="field">
                    <label for="new-person-nickname">{i18n.text(Key::TodayNickname)}</label>
                    <input
                        id="new-person-nickname"
                        type="text"
                        name="nickname"
                        autocomplete="off"
                        aria-describedby="nickname-hint"
                        aria-invalid=move || (!problems.get().is_empty()).to_string()
                        prop:value=move || nickname.get()
                        on:input=move |event| {
                            nickname.set(event_target_value(&event));
                            same_person.set(None);
                        }
                    />
                    <small id="nickname-hint">{i18n.text(Key::TodayNicknameHint)}</small>
                </div>
                <div class="field">
                    <label for="new-person-role">{i18n.text(Key::TodayRole)}</label>
                    <select
                        id="new-person-role"
                        name="role"
                        on:change=move |event| {
                            let chosen = event_target_value(&event);
                            if let Some(found) = Role::ALL.into_iter().find(|r| r.label(spor_core::Language::En) == chosen) {
                                role.set(found);
                            }
                        }
                    >
                        {move || {
                            register
                                .activity
                                .with(|a| a.roles.clone())
                                .into_iter()
                                .map(|option| {
                                    view! {
                                        <option
                                            value=option.label(spor_core::Language::En)
                                            selected=move || role.get() == option
                                        >
                                            {option.label(i18n.language.get())}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <ProblemList problems />
                {move || {
                    same_person
                        .get()
                        .map(|(existing, name)| {
                            view! {
                                <div class="notice" role="alert" data-testid="duplicate-notice">
                                    <p>{i18n.format(Key::TodayDuplicate, &[("name", &name)])}</p>
                                    <div class="button-row">
                                        <button
                                            type="button"
                                            class="button"
                                            on:click=move |_| {
                                                register.check_in(existing);
                                                nickname.set(String::new());
                                                same_person.set(None);
                                            }
                                        >
                                            {i18n.format(Key::TodayDuplicateSame, &[("name", &name)])}
                                        </button>
                                        <button type="button" class="button secondary" on:click=move |_| add(true)>
                                            {i18n.text(Key::TodayDuplicateNew)}
                                        </button>
                                    </div>
                                </div>
                            }
                        })
                }}
                <button type="submit" class="button">
                    {i18n.text(Key::TodayAddAndCheckIn)}
                </button>
            </form>
        </section>
    }
}
