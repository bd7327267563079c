//! One sync at a time across the tabs of this origin, with the Web Locks API: a tab that finds the
//! lock taken skips its sync (the other tab's sync covers the same database).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

const LOCK_NAME: &str = "spor-sync";

/// Runs `work` while holding the sync lock; `None` when another tab holds it. Browsers without Web
/// Locks run it directly (there is then no other tab to coordinate with that could know the lock).
pub async fn with_sync_lock<T: 'static>(work: impl Future<Output = T> + 'static) -> Option<T> {
    let Some(locks) = web_sys::window()
        .and_then(|window| Reflect::get(&window.navigator(), &"locks".into()).ok())
        .filter(|locks| !locks.is_undefined())
    else {
        return Some(work.await);
    };
    let request: Function = match Reflect::get(&locks, &"request".into()).and_then(|f| f.dyn_into()) {
        Ok(request) => request,
        Err(_) => return Some(work.await),
    };
    let outcome: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let work = Rc::new(RefCell::new(Some(work)));
    let slot = outcome.clone();
    let callback = Closure::once(move |lock: JsValue| -> Promise {
        let work = work.borrow_mut().take();
        future_to_promise(async move {
            if let (false, Some(work)) = (lock.is_null(), work) {
                let value = work.await;
                slot.borrow_mut().replace(value);
            }
            Ok(JsValue::UNDEFINED)
        })
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let held = request.call3(&locks, &LOCK_NAME.into(), &options, callback.as_ref());
    if let Ok(promise) = held.and_then(|value| value.dyn_into::<Promise>()) {
        let _ = JsFuture::from(promise).await;
    }
    drop(callback);
    outcome.borrow_mut().take()
}
