use leptos::prelude::*;

use crate::components::page::Page;
use crate::i18n::Key;

#[component]
pub fn TrendsPage() -> impl IntoView {
    view! { <Page title=Key::NavTrends lead=Key::PageTrendsLead /> }
}
