use leptos::prelude::*;

use crate::components::page::Page;
use crate::i18n::Key;

#[component]
pub fn SurveyPage() -> impl IntoView {
    view! { <Page title=Key::NavSurvey lead=Key::PageSurveyLead /> }
}
