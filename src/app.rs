//! The app root: long-lived state, the frame (header, navigation, update banner) and the routes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::nav_bar::{NavBar, SettingsLink};
use crate::components::status_chip::StatusChip;
use crate::components::update_banner::UpdateBanner;
use crate::contexts::connectivity_context::provide_connectivity;
use crate::contexts::i18n_context::provide_i18n;
use crate::contexts::sync_context::provide_sync;
use crate::i18n::Key;
use crate::pages::activities::ActivitiesPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::settings::SettingsPage;
use crate::pages::survey::SurveyPage;
use crate::pages::today::TodayPage;
use crate::pages::trends::TrendsPage;
use crate::store;

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    provide_connectivity();
    provide_sync();
    spawn_local(async {
        store::request_persistence().await;
    });

    view! {
        <Router>
            <a class="skip-link" href="#main">{i18n.text(Key::AppSkipToContent)}</a>
            <header class="app-header">
                <a class="brand" href="/">
                    <img src="/icons/spor.svg" alt="" width="28" height="28" />
                    "Spor"
                </a>
                <StatusChip />
                <SettingsLink />
            </header>
            <UpdateBanner />
            <NavBar />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=TodayPage />
                    <Route path=path!("/survey") view=SurveyPage />
                    <Route path=path!("/trends") view=TrendsPage />
                    <Route path=path!("/activities") view=ActivitiesPage />
                    <Route path=path!("/settings") view=SettingsPage />
                </Routes>
            </main>
        </Router>
    }
}
