use leptos::prelude::*;

use crate::components::page::Page;
use crate::i18n::Key;

#[component]
pub fn ActivitiesPage() -> impl IntoView {
    view! { <Page title=Key::NavActivities lead=Key::PageActivitiesLead /> }
}
