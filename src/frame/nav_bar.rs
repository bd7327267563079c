use leptos::prelude::*;
use leptos_router::components::A;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;

/// The places of the app: a bottom bar with the four daily ones on phones, a side bar with all five
/// on wide screens (style/main.css). On phones Settings sits in the header ([`SettingsLink`]): five
/// Danish labels such as "Indstillinger" do not fit side by side at 320 px.
#[component]
pub fn NavBar() -> impl IntoView {
    let i18n = use_i18n();
    let places = [
        ("/", Key::NavToday, ICON_TODAY, ""),
        ("/survey", Key::NavSurvey, ICON_SURVEY, ""),
        ("/trends", Key::NavTrends, ICON_TRENDS, ""),
        ("/activities", Key::NavActivities, ICON_ACTIVITIES, ""),
        ("/settings", Key::NavSettings, ICON_SETTINGS, "nav-wide-only"),
    ];
    view! {
        <nav class="nav-bar" aria-label=i18n.text(Key::NavLabel)>
            <ul>
                {places
                    .into_iter()
                    .map(|(href, label, icon, class)| {
                        view! {
                            <li class=class>
                                <A href=href exact=true>
                                    <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
                                        <path d=icon />
                                    </svg>
                                    <span>{i18n.text(label)}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The header's settings link, shown on phones only.
#[component]
pub fn SettingsLink() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A href="/settings" exact=true attr:class="header-settings">
            <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d=ICON_SETTINGS />
            </svg>
            <span class="visually-hidden">{i18n.text(Key::NavSettings)}</span>
        </A>
    }
}

// Simple stroked outlines on a 24 x 24 grid; the label beside each carries the meaning.
const ICON_TODAY: &str = "M4 12l5 5L20 6";
const ICON_SURVEY: &str = "M5 4h14v16H5zM8 9h8M8 13h8M8 17h5";
const ICON_TRENDS: &str = "M4 20V4M4 20h16M7 15l4-4 3 3 5-6";
const ICON_ACTIVITIES: &str = "M4 6h16M4 12h16M4 18h16";
const ICON_SETTINGS: &str = "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8M12 2v3M12 19v3M2 12h3M19 12h3";
