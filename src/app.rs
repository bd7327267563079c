//! The app root: long-lived state, the frame (header, navigation, update banner) and the routes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, path};
use spor_core::survey_session::SurveySession;

use crate::activities::page::ActivitiesPage;
use crate::components::hold_button::HoldButton;
use crate::components::survey_runner::SurveyRunner;
use crate::contexts::connectivity_context::provide_connectivity;
use crate::contexts::i18n_context::{provide_i18n, use_i18n};
use crate::contexts::kiosk_context::{provide_kiosk, use_kiosk};
use crate::contexts::sync_context::provide_sync;
use crate::frame::clock_warning::ClockWarning;
use crate::frame::nav_bar::{NavBar, SettingsLink};
use crate::frame::not_found::NotFoundPage;
use crate::frame::revoked_banner::RevokedBanner;
use crate::frame::status_chip::StatusChip;
use crate::frame::update_banner::UpdateBanner;
use crate::i18n::Key;
use crate::report::page::ReportPage;
use crate::settings::page::SettingsPage;
use crate::standard::page::StandardPage;
use crate::store;
use crate::survey::kiosk_screen::KioskScreen;
use crate::survey::page::SurveyPage;
use crate::theory::page::TheoryPage;
use crate::today::page::TodayPage;
use crate::trends::page::TrendsPage;

/// What fills the screen: the app, or a survey that must show nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The device's role is not read yet: nothing of the frame shows before it is known (a kiosk
    /// tablet must never flash the full app).
    Starting,
    Frame,
    Kiosk,
    Handover,
}

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_connectivity();
    let sync = provide_sync();
    let kiosk = provide_kiosk(sync);
    spawn_local(async {
        store::request_persistence().await;
        apply_retention().await;
    });
    let mode = Memo::new(move |_| {
        if kiosk.active() {
            // Kiosk mode set on this device is known at once, from localStorage.
            Mode::Kiosk
        } else if kiosk.handover().with(Option::is_some) {
            Mode::Handover
        } else if !sync.link_known().get() {
            // A device paired as a kiosk is known as one only once its pairing is read.
            Mode::Starting
        } else {
            Mode::Frame
        }
    });

    // In kiosk mode every route (back, reload, a deep link) shows the kiosk.
    view! {
        <Router>
            {move || {
                let mode = mode.get();
                // index.html's shell stays on screen until the app has its own frame to show.
                if mode != Mode::Starting {
                    remove_app_shell();
                }
                match mode {
                    Mode::Starting => ().into_any(),
                    Mode::Kiosk => view! { <Suspense>{Suspend::new(kiosk_screen())}</Suspense> }.into_any(),
                    Mode::Handover => view! { <Suspense>{Suspend::new(handover_screen())}</Suspense> }.into_any(),
                    Mode::Frame => view! { <Frame /> }.into_any(),
                }
            }}
        </Router>
    }
}

/// Takes away the shell index.html painted while the wasm loaded. It goes in the same task as the
/// app's frame is built, so the browser never paints between the two.
fn remove_app_shell() {
    if let Some(shell) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app-shell"))
    {
        shell.remove();
    }
}

// What a volunteer's first visit does not need is loaded when it is first needed (issue 16): with
// the `split` feature (Trunk's build), each `#[lazy]` function is cut out of the wasm into a part of
// its own (xtask/src/wasm_split.rs), and the service worker precaches every part, so all of them
// work offline after the first visit. Without it (the wasm tests) they are ordinary async functions.

/// The retention rule, where it is on: a failure is tried again at the next start.
#[cfg_attr(feature = "split", lazy)]
async fn apply_retention() {
    if let Ok(store) = store::shared().await {
        let _ = store.apply_retention(chrono::Local::now().date_naive()).await;
    }
}

/// A tablet in kiosk mode: its own part, as a volunteer's phone never needs it.
#[cfg_attr(feature = "split", lazy)]
async fn kiosk_screen() -> AnyView {
    view! { <KioskScreen /> }.into_any()
}

/// A phone handed to a participant: its own part, loaded on the first handover.
#[cfg_attr(feature = "split", lazy)]
async fn handover_screen() -> AnyView {
    view! { <HandoverScreen /> }.into_any()
}

/// One participant answering on the volunteer's phone, until the volunteer holds a button down to
/// take it back (on the thank-you, or to stop mid-survey): a reload or the back button stays here.
#[component]
fn HandoverScreen() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let handed_over = kiosk.handover().get_untracked();
    let give_back = Callback::new(move |()| kiosk.give_back());
    let template = handed_over.as_ref().map(|handed_over| handed_over.template);
    // Read once, not with `use_stored`: a pull mid-survey must not start the survey over.
    let loaded = LocalResource::new(move || async move {
        match template {
            Some(id) => store::shared().await.ok()?.template(id).await.ok().flatten(),
            None => None,
        }
    });
    view! {
        <main id="main" class="kiosk" tabindex="-1">
            {move || {
                let template = loaded.get().flatten()?;
                let handed_over = handed_over.clone()?;
                let session = RwSignal::new(SurveySession::new(template, handed_over.setup));
                Some(view! {
                    <SurveyRunner
                        session
                        respondent=handed_over.respondent
                        on_finished=give_back
                        finish_label=Key::SurveyGiveBack
                        guarded=true
                    />
                })
            }}
            <HoldButton
                label=i18n.t(Key::HandoverStop).to_owned()
                hint=i18n.t(Key::HandoverHoldHint).to_owned()
                on_held=give_back
                test_id="stop-handover"
            />
        </main>
    }
}

/// The app's frame: header, update banner, navigation and the routed pages.
#[component]
fn Frame() -> impl IntoView {
    let i18n = use_i18n();
    view! {
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
                {crate::store::demo_mode()
                    .then(|| view! { <p class="demo-banner" data-testid="demo-banner">{i18n.text(Key::DemoBanner)}</p> })}
                <RevokedBanner />
                <ClockWarning />
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=TodayPage />
                    <Route path=path!("/survey") view={Lazy::<SurveyRoute>::new()} />
                    <Route path=path!("/trends") view={Lazy::<TrendsRoute>::new()} />
                    <Route path=path!("/activities") view={Lazy::<ActivitiesRoute>::new()} />
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} />
                    <Route path=path!("/theory") view={Lazy::<TheoryRoute>::new()} />
                    <Route path=path!("/report") view={Lazy::<ReportRoute>::new()} />
                    <Route path=path!("/standard") view={Lazy::<StandardRoute>::new()} />
                </Routes>
            </main>
    }
}

// The coordinator's pages load the first time they are opened: a volunteer's first visit
// downloads the frame and Today.

struct SurveyRoute;

impl LazyRoute for SurveyRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        survey_page().await
    }
}

#[cfg_attr(feature = "split", lazy)]
async fn survey_page() -> AnyView {
    view! { <SurveyPage /> }.into_any()
}

struct TrendsRoute;

impl LazyRoute for TrendsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        trends_page().await
    }
}

#[cfg_attr(feature = "split", lazy)]
async fn trends_page() -> AnyView {
    view! { <TrendsPage /> }.into_any()
}

struct ActivitiesRoute;

impl LazyRoute for ActivitiesRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        activities_page().await
    }
}

#[cfg_attr(feature = "split", lazy)]
async fn activities_page() -> AnyView {
    view! { <ActivitiesPage /> }.into_any()
}

struct TheoryRoute;

impl LazyRoute for TheoryRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        theory_page().await
    }
}

#[cfg_attr(feature = "split", lazy)]
async fn theory_page() -> AnyView {
    view! { <TheoryPage /> }.into_any()
}

struct ReportRoute;

impl LazyRoute for ReportRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        report_page().await
    }
}

/// The report and its Word writer load when a report is first opened.
#[cfg_attr(feature = "split", lazy)]
async fn report_page() -> AnyView {
    view! { <ReportPage /> }.into_any()
}

struct StandardRoute;

impl LazyRoute for StandardRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        standard_page().await
    }
}

/// Standard packages and the umbrella's figures load when the page is first opened.
#[cfg_attr(feature = "split", lazy)]
async fn standard_page() -> AnyView {
    view! { <StandardPage /> }.into_any()
}

struct SettingsRoute;

impl LazyRoute for SettingsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        settings_page().await
    }
}

#[cfg_attr(feature = "split", lazy)]
async fn settings_page() -> AnyView {
    view! { <SettingsPage /> }.into_any()
}
