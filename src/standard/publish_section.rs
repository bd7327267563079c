//! For umbrellas: publish a standard package from one of the umbrella's own activities (its theory
//! of change in force, its indicators and the own surveys it uses), under a name, a publisher and
//! a version. The package's id and last version are remembered on this device, so the next
//! version continues the same package.

use std::sync::Arc;

use chrono::Local;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use spor_core::ids::{ActivityId, PackageId};
use spor_core::package::{Package, PackageAbout, ReportOutline};
use spor_core::report::{ReportShape, Section};
use spor_core::theory;

use crate::components::activity_select::ActivitySelect;
use crate::contexts::i18n_context::use_i18n;
use crate::download::offer_download;
use crate::i18n::in_both;
use crate::report::document::section_name;
use crate::standard::figures_section::file_name;
use crate::standard::page::{PageState, SaidMessage, Stored};
use crate::standard::words::{Say, refused};

/// The package this device published last (`localStorage["spor.published_package"]`).
#[derive(Serialize, Deserialize)]
struct Published {
    id: PackageId,
    name: String,
    publisher: String,
    version: u32,
}

const PUBLISHED_KEY: &str = "spor.published_package";

#[component]
pub fn PublishSection(stored: Arc<Stored>, state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let say = move |said: Say| move || said.text(i18n.language.get());
    let last = LocalStorage::get::<Published>(PUBLISHED_KEY).ok();
    let activity = RwSignal::new(None::<ActivityId>);
    let name = RwSignal::new(last.as_ref().map(|last| last.name.clone()).unwrap_or_default());
    let publisher = RwSignal::new(
        last.as_ref()
            .map(|last| last.publisher.clone())
            .unwrap_or_default(),
    );
    let version = RwSignal::new(last.as_ref().map_or(1, |last| last.version + 1));
    let sections = RwSignal::new(ReportShape::StatusReport.sections().to_vec());
    let known_id = last.map(|last| (last.id, last.name));
    let publish = {
        let stored = stored.clone();
        move |_| {
            let Some(id) = activity.get_untracked() else {
                state
                    .publish_said
                    .set(Some(Err(in_both(Say::ChooseActivity, &[]))));
                return;
            };
            let today = Local::now().date_naive();
            let Some(theory) = theory::in_force(&stored.theories, Some(id), today) else {
                state
                    .publish_said
                    .set(Some(Err(in_both(Say::NoTheoryToPublish, &[]))));
                return;
            };
            // Members on the same server send their figures to this organisation.
            let inbox = stored.link.as_ref().map(|link| link.organisation);
            let name = name.get_untracked().trim().to_owned();
            // The same name continues the package this device published; another starts a new one.
            let package_id = known_id
                .as_ref()
                .filter(|(_, known)| *known == name)
                .map_or_else(PackageId::generate, |(id, _)| *id);
            let used: Vec<_> = stored
                .activities
                .iter()
                .filter(|activity| activity.id == id)
                .flat_map(|activity| activity.surveys.iter().map(|plan| plan.template))
                .collect();
            let surveys = stored
                .surveys
                .iter()
                .filter(|survey| used.contains(&survey.id))
                .cloned()
                .collect();
            let goals: Vec<_> = stored
                .goals
                .iter()
                .filter(|goal| goal.activity == id)
                .cloned()
                .collect();
            let ordered: Vec<Section> = ReportShape::StatusReport
                .sections()
                .iter()
                .copied()
                .filter(|section| sections.with_untracked(|chosen| chosen.contains(section)))
                .collect();
            let report = (!ordered.is_empty())
                .then_some(ReportOutline {
                    shape: ReportShape::StatusReport,
                    sections: ordered,
                })
                .into_iter()
                .collect();
            let package = Package::publish(
                PackageAbout {
                    id: package_id,
                    inbox,
                    name: name.clone(),
                    version: version.get_untracked(),
                    publisher: publisher.get_untracked().trim().to_owned(),
                    published_on: today,
                },
                theory,
                &goals,
                surveys,
                report,
            );
            if let Err(problems) = package.validate() {
                state.publish_said.set(Some(Err(refused(problems))));
                return;
            }
            let file = format!(
                "spor-standard-{}-v{}.json",
                file_name(&package.name),
                package.version
            );
            let said = match offer_download(&file, &package.to_file()) {
                Ok(()) => {
                    let _ = LocalStorage::set(
                        PUBLISHED_KEY,
                        Published {
                            id: package.id,
                            name: package.name.clone(),
                            publisher: package.publisher.clone(),
                            version: package.version,
                        },
                    );
                    Ok(in_both(Say::PackageSaved, &[("file", &file)]))
                }
                Err(detail) => Err(in_both(Say::DownloadFailed, &[("detail", &detail)])),
            };
            state.publish_said.set(Some(said));
        }
    };
    let checkboxes = ReportShape::StatusReport
        .sections()
        .iter()
        .map(|&section| {
            let id = format!("publish-section-{}", section.slug());
            view! {
                <label class="choice" for=id.clone()>
                    <input
                        id=id.clone()
                        type="checkbox"
                        prop:checked=move || sections.with(|chosen| chosen.contains(&section))
                        on:change=move |event| {
                            let on = event_target_checked(&event);
                            sections.update(|chosen| {
                                chosen.retain(|kept| *kept != section);
                                if on {
                                    chosen.push(section);
                                }
                            });
                        }
                    />
                    {i18n.text(section_name(section))}
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="card stack" aria-labelledby="publish-heading" data-testid="publish-section">
            <h2 id="publish-heading">{say(Say::PublishHeading)}</h2>
            <p class="hint">{say(Say::PublishExplain)}</p>
            <form class="stack" on:submit=|event| event.prevent_default()>
                <ActivitySelect id="publish-activity" activities=Signal::stored(stored.activities.clone()) selected=activity />
                <TextField id="publish-name" label=Say::PackageName text=name />
                <TextField id="publish-publisher" label=Say::Publisher text=publisher />
                <div class="field">
                    <label for="publish-version">{say(Say::Version)}</label>
                    <input
                        id="publish-version"
                        type="number"
                        min="1"
                        inputmode="numeric"
                        prop:value=move || version.get().to_string()
                        on:input=move |event| {
                            if let Ok(typed) = event_target_value(&event).parse() {
                                version.set(typed);
                            }
                        }
                    />
                </div>
                <fieldset class="choice-group">
                    <legend>{say(Say::ReportSections)}</legend>
                    {checkboxes}
                </fieldset>
                <button type="button" class="button" on:click=publish>{say(Say::DownloadPackage)}</button>
            </form>
            <SaidMessage said=state.publish_said testid="publish-message" />
        </section>
    }
}

#[component]
fn TextField(id: &'static str, label: Say, text: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{move || label.text(i18n.language.get())}</label>
            <input
                id=id
                type="text"
                maxlength=spor_core::validation::limits::NAME
                prop:value=move || text.get()
                on:input=move |event| text.set(event_target_value(&event))
            />
        </div>
    }
}
