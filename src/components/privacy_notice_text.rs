//! A privacy notice as participants read it (spor-core's `privacy_notice::heading_and_body`): on
//! the survey's notice screen and on the printed poster.

use leptos::prelude::*;
use spor_core::privacy_notice;

#[component]
pub fn PrivacyNoticeText(notice: String) -> impl IntoView {
    let (heading, body) = privacy_notice::heading_and_body(&notice);
    view! {
        <h1>{heading.to_owned()}</h1>
        {body.into_iter().map(|paragraph| view! { <p>{paragraph.to_owned()}</p> }).collect_view()}
    }
}
