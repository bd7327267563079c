//! Spørgeskema / Survey: the volunteer chooses the activity, the survey, whom the answers are
//! linked to and how they are given, then hands the phone over or starts a kiosk.

use leptos::prelude::*;
use spor_core::access::DeviceRole;
use spor_core::survey_session::Handover;

use crate::components::outcome::{Done, Failure, FailureMessage, ReadFailure, attempt};
use crate::components::page::Page;
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::kiosk_context::{HandedOver, use_kiosk};
use crate::contexts::sync_context::use_sync;
use crate::i18n::Key;
use crate::i18n::survey::Key as SurveyKey;
use crate::store::{self, StoreError};
use crate::survey::kiosk_screen::KioskPinForm;
use crate::survey::survey_setup::{SurveyChoice, SurveySetup, use_setup_choices};
use crate::survey::templates_section::TemplatesSection;

#[component]
pub fn SurveyPage() -> impl IntoView {
    let i18n = use_i18n();
    let may_publish = use_sync().role_allows(DeviceRole::may_publish_surveys);
    let kiosk = use_kiosk();
    let loaded = use_setup_choices();
    let choice = RwSignal::new(None::<SurveyChoice>);
    let failure = RwSignal::new(None::<Failure>);
    let hand_over = move |_| {
        let Some(chosen) = choice.get_untracked() else {
            return;
        };
        attempt(failure, async move {
            let store = store::shared().await?;
            let respondent = match chosen.participant {
                Some(id) => store
                    .participants()
                    .await?
                    .into_iter()
                    .find(|p| p.id == id)
                    .map(|p| p.pseudonym),
                None => None,
            };
            let template = store
                .template(chosen.template)
                .await?
                .ok_or(Failure::Other(Done::new(SurveyKey::SetupGone)))?;
            kiosk.hand_over(HandedOver {
                template: template.id,
                setup: Handover {
                    activity: chosen.activity,
                    date: chrono::Local::now().date_naive(),
                    participant: chosen.participant,
                    mode: chosen.mode,
                },
                respondent,
            });
            Ok(())
        });
    };
    view! {
        <Page title=Key::NavSurvey lead=Key::PageSurveyLead>
            <section class="card stack" aria-labelledby="survey-setup-heading">
                <h2 id="survey-setup-heading">{i18n.text(SurveyKey::SetupHeading)}</h2>
                <Transition fallback=|| ()>
                    <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                        {move || Suspend::new(async move {
                            let (activities, people, templates) = loaded.await?;
                            Ok::<_, StoreError>(view! { <SurveySetup activities people templates choice with_link=true /> })
                        })}
                    </ErrorBoundary>
                </Transition>
                <Show when=move || choice.with(Option::is_some)>
                    <button type="button" class="button" on:click=hand_over>
                        {i18n.text(SurveyKey::SetupHandOver)}
                    </button>
                    <FailureMessage failure />
                </Show>
            </section>
            <Show when=move || choice.with(Option::is_some)>
                <section class="card stack" aria-labelledby="kiosk-heading">
                    <h2 id="kiosk-heading">{i18n.text(SurveyKey::SetupKioskHeading)}</h2>
                    <KioskPinForm choice />
                </section>
            </Show>
            // Publishing a survey reaches every device: a volunteer's phone does not offer it.
            <Show when=move || may_publish.get()>
                <TemplatesSection on_saved=Callback::new(move |()| loaded.refetch()) />
            </Show>
        </Page>
    }
}
