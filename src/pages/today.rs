use leptos::prelude::*;

use crate::components::page::Page;
use crate::i18n::Key;

#[component]
pub fn TodayPage() -> impl IntoView {
    view! { <Page title=Key::NavToday lead=Key::PageTodayLead /> }
}
