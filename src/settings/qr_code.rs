//! A QR code drawn as SVG: the pairing link for a new device, the privacy notice's page on a poster.

use leptos::prelude::*;

/// The QR code of `text`, `size_px` wide, described for screen readers by `label`.
#[component]
pub fn QrCode(text: String, label: String, size_px: u32) -> impl IntoView {
    qr_svg_path(&text).map(|(size, path)| {
        view! {
            <svg
                class="qr"
                role="img"
                aria-label=label
                viewBox=format!("0 0 {size} {size}")
                width=size_px.to_string()
                height=size_px.to_string()
                shape-rendering="crispEdges"
            >
                <rect width=size.to_string() height=size.to_string() fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    })
}

/// The QR code of `text` as an SVG path of its dark modules, with the 4-module quiet zone.
fn qr_svg_path(text: &str) -> Option<(i32, String)> {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let border = 4;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Some((qr.size() + 2 * border, path))
}
