fn main() {
    console_error_panic_hook::set_once();
    // The shell index.html painted while the wasm loaded goes in the same task as the app mounts,
    // so the browser never paints between the two.
    if let Some(shell) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app-shell"))
    {
        shell.remove();
    }
    leptos::mount::mount_to_body(spor::app::App);
}
