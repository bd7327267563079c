use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;

use crate::contexts::sync_context::use_sync;
use crate::store::{self, Store, StoreError};

/// Reads from the page's store, and reads again whenever a sync has pulled changes in: the one way
/// a component reads stored data, so that what another device recorded shows without a reload.
/// Show the result through `Transition` and an `ErrorBoundary` with `components::outcome::ReadFailure`.
pub fn use_stored<T, F>(read: impl Fn(Rc<Store>) -> F + 'static) -> LocalResource<Result<T, StoreError>>
where
    T: 'static,
    F: Future<Output = Result<T, StoreError>> + 'static,
{
    use_stored_with(|| (), move |store, ()| read(store))
}

/// [`use_stored`] that also reads again when `source` (a value read from signals, e.g. the
/// occurrence on screen) changes, and hands it to `read`.
pub fn use_stored_with<S, T, F>(
    source: impl Fn() -> S + 'static,
    read: impl Fn(Rc<Store>, S) -> F + 'static,
) -> LocalResource<Result<T, StoreError>>
where
    S: 'static,
    T: 'static,
    F: Future<Output = Result<T, StoreError>> + 'static,
{
    let pulled = use_sync().pulled_changes();
    let read = Rc::new(read);
    LocalResource::new(move || {
        pulled.track();
        let source = source();
        let read = read.clone();
        async move { read(store::shared().await?, source).await }
    })
}
