//! `GET /privacy/{organisation}`: the privacy notice an organisation shows its participants, as a
//! small page of its own (the QR code on the printed poster points here). A participant reads it
//! on their own phone without the app: plain HTML, no script, no personal data.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use spor_core::Language;
use spor_core::ids::OrganisationId;
use spor_core::markup::escape;
use spor_core::privacy_notice;
use uuid::Uuid;

use crate::AppState;
use crate::auth::ClientAddress;

/// The path the poster's QR code names.
pub const ROUTE: &str = "/privacy/{organisation}";

pub async fn privacy_page(
    address: ClientAddress,
    State(state): State<AppState>,
    Path(organisation): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(limited) = address.limit(&state) {
        return limited.into_response();
    }
    let Ok(organisation) = Uuid::parse_str(&organisation) else {
        return not_found();
    };
    let found = match state.storage.privacy_notice(OrganisationId(organisation)).await {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "reading a privacy notice failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Spor cannot read its database just now.",
            )
                .into_response();
        }
    };
    let Some((name, own)) = found else {
        return not_found();
    };
    let language = preferred_language(&headers);
    let notice = privacy_notice::for_participants(own.as_deref(), language);
    Html(page(&name, notice, language)).into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "There is no such organisation here.").into_response()
}

/// English for a browser that puts English before Danish; Danish otherwise (the standard notice
/// comes in both; an organisation's own is shown as it wrote it).
fn preferred_language(headers: &HeaderMap) -> Language {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let position = |tag: &str| accepted.find(tag).unwrap_or(usize::MAX);
    if position("en") < position("da") {
        Language::En
    } else {
        Language::Da
    }
}

/// The notice's first paragraph is its heading.
fn page(organisation: &str, notice: &str, language: Language) -> String {
    let (heading, body) = privacy_notice::heading_and_body(notice);
    let body: String = body
        .into_iter()
        .map(|paragraph| format!("<p>{}</p>\n", escape(paragraph)))
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{organisation}: {heading}</title>\n</head>\n<body>\n<main>\n\
         <p>{organisation}</p>\n<h1>{heading}</h1>\n{body}</main>\n</body>\n</html>\n",
        lang = language.tag(),
        organisation = escape(organisation),
        heading = escape(heading),
    )
}
