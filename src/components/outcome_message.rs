use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contexts::i18n_context::I18n;
use crate::store::{self, Store, StoreError};

/// The outcome of the last action in a section, read out by screen readers: `(true, text)` when
/// it worked, `(false, text)` when it did not (shown as an error, never by colour alone: the text
/// says what happened).
#[component]
pub fn OutcomeMessage(
    #[prop(into)] message: Signal<Option<(bool, String)>>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <p
            role="status"
            data-testid=testid
            class:error=move || message.with(|m| m.as_ref().is_some_and(|(ok, _)| !ok))
        >
            {move || message.get().map(|(_, text)| text)}
        </p>
    }
}

/// Runs `write` against the page's store; once it has committed, `done` runs, and a failure is
/// told in `message` in the user's language (what was stored before stays as it was).
pub fn spawn_store_write<F>(
    i18n: I18n,
    message: RwSignal<Option<(bool, String)>>,
    write: impl FnOnce(std::rc::Rc<Store>) -> F + 'static,
    done: impl FnOnce() + 'static,
) where
    F: Future<Output = Result<(), StoreError>> + 'static,
{
    spawn_local(async move {
        match async { write(store::shared().await?).await }.await {
            Ok(()) => done(),
            Err(error) => {
                message.try_set(Some((false, i18n.store_error(&error))));
            }
        }
    });
}
