//! Registers the service worker (`public/sw.js`) and reports when a new version waits.
//!
//! A new worker installs in the background but does not take over by itself: the old one keeps
//! serving until the user taps "reload" in the banner, so a survey in progress is never reloaded
//! under a participant's fingers.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

pub struct UseServiceWorkerOptions {
    pub script_url: &'static str,
}

impl Default for UseServiceWorkerOptions {
    fn default() -> Self {
        Self { script_url: "/sw.js" }
    }
}

pub struct UseServiceWorkerReturn<ApplyFn: Fn() + Clone + Send + Sync> {
    /// True when a new version has installed and waits for the user.
    pub update_ready: ReadSignal<bool>,
    /// Lets the waiting version take over and reloads the page once it has.
    pub apply_update: ApplyFn,
}

pub fn use_service_worker(
    options: UseServiceWorkerOptions,
) -> UseServiceWorkerReturn<impl Fn() + Clone + Send + Sync> {
    let (update_ready, set_update_ready) = signal(false);
    let registration = StoredValue::new_local(None::<ServiceWorkerRegistration>);

    if let Some(container) = container() {
        spawn_local(async move {
            let registered = JsFuture::from(container.register(options.script_url)).await;
            // Without a worker (e.g. an insecure origin) the app still works online; nothing to show.
            let Ok(registered) = registered else { return };
            let registration_handle: ServiceWorkerRegistration = registered.unchecked_into();
            watch_for_waiting_worker(&container, &registration_handle, set_update_ready);
            // Check for a new release at every start rather than wait for the browser's own,
            // delayed check after a navigation.
            let _ = registration_handle.update();
            registration.set_value(Some(registration_handle));
        });
    }

    let apply_update = move || {
        let Some(waiting) = registration.with_value(|r| r.as_ref().and_then(|r| r.waiting())) else {
            return;
        };
        if let Some(container) = container() {
            let reload = Closure::<dyn FnMut()>::new(|| {
                let _ = window().location().reload();
            });
            container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
            reload.forget();
        }
        let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
    };

    UseServiceWorkerReturn {
        update_ready,
        apply_update,
    }
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Flags an update when a worker is already waiting, or when one finishes installing while an
/// older worker controls the page (the very first install has no older worker: no banner then).
fn watch_for_waiting_worker(
    container: &ServiceWorkerContainer,
    registration: &ServiceWorkerRegistration,
    set_update_ready: WriteSignal<bool>,
) {
    let flag_when_installed = {
        let container = container.clone();
        move |worker: ServiceWorker| {
            let watched = worker.clone();
            let container = container.clone();
            let on_state_change = Closure::<dyn FnMut()>::new(move || {
                if watched.state() == ServiceWorkerState::Installed && container.controller().is_some() {
                    set_update_ready.try_set(true);
                }
            });
            worker.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
            on_state_change.forget();
        }
    };
    if registration.waiting().is_some() && container.controller().is_some() {
        set_update_ready.set(true);
    }
    // The browser may have found the new version before this code ran: follow it too.
    if let Some(installing) = registration.installing() {
        flag_when_installed(installing);
    }
    let on_update_found = {
        let registration = registration.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(installing) = registration.installing() {
                flag_when_installed.clone()(installing);
            }
        })
    };
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();

    // Look for a new version whenever the app comes back to the foreground.
    let registration = registration.clone();
    let on_visible = Closure::<dyn FnMut()>::new(move || {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            let _ = registration.update();
        }
    });
    let _ =
        document().add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
    on_visible.forget();
}
