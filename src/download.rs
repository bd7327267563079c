//! Files the user saves from the app (backups, refused changes, exports), offered as a download.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Offers JSON `text` as a file download called `file`.
pub fn offer_download(file: &str, text: &str) -> Result<(), String> {
    offer_file(file, "application/json", text.as_bytes())
}

/// Offers `contents` of type `mime` as a file download called `file`.
pub fn offer_file(file: &str, mime: &str, contents: &[u8]) -> Result<(), String> {
    let describe = |error: wasm_bindgen::JsValue| format!("{error:?}");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a").map_err(describe)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file);
    link.click();
    web_sys::Url::revoke_object_url(&url).map_err(describe)
}
