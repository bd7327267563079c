//! The app shell's page texts: index.html names each page's heading and lead by their locale keys
//! (`<script type="application/json" id="shell-pages">`), and the build writes the texts of both
//! languages in their place, so the shell paints the page's own words before the wasm arrives and
//! `locales/*.json` stays their one home.

use std::collections::BTreeMap;
use std::path::Path;

use crate::command::{Failure, Result, read_text, root, write_file};

const MARKER: &str = "shell-pages";
const LANGUAGES: [&str; 2] = ["da", "en"];

/// Writes the page texts into `staging/index.html`.
pub fn write_page_texts(staging: &Path) -> Result {
    let index = staging.join("index.html");
    let html = read_text(&index)?;
    let mut locales = BTreeMap::new();
    for language in LANGUAGES {
        let path = root().join(format!("locales/{language}.json"));
        let table: BTreeMap<String, String> = serde_json::from_str(&read_text(&path)?)
            .map_err(|error| Failure::new(format!("{}: {error}", path.display())))?;
        locales.insert(language, table);
    }
    let written = with_page_texts(&html, &locales)?;
    write_file(&index, written)
}

/// `html` with the shell's page keys replaced by `{"/path": {"da": [heading, lead], "en": [...]}}`.
fn with_page_texts(html: &str, locales: &BTreeMap<&str, BTreeMap<String, String>>) -> Result<String> {
    let missing = || Failure::new(format!("index.html has no <script id=\"{MARKER}\"> (app shell)"));
    let marker = html.find(MARKER).ok_or_else(missing)?;
    let start = marker + html[marker..].find('>').ok_or_else(missing)? + 1;
    let end = start + html[start..].find("</script>").ok_or_else(missing)?;
    let keys: BTreeMap<String, Vec<String>> = serde_json::from_str(&html[start..end])
        .map_err(|error| Failure::new(format!("index.html's shell pages: {error}")))?;
    let mut pages = serde_json::Map::new();
    for (path, page_keys) in keys {
        let mut by_language = serde_json::Map::new();
        for (language, table) in locales {
            let texts = page_keys
                .iter()
                .map(|key| {
                    table.get(key).cloned().ok_or_else(|| {
                        Failure::new(format!(
                            "index.html's shell names {key}, which locales/{language}.json lacks"
                        ))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            by_language.insert((*language).to_owned(), texts.into());
        }
        pages.insert(path, by_language.into());
    }
    // "</" inside a script would end it early.
    let json = serde_json::Value::Object(pages).to_string().replace("</", "<\\/");
    Ok(format!("{}{json}{}", &html[..start], &html[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales() -> BTreeMap<&'static str, BTreeMap<String, String>> {
        let table = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(key, text)| ((*key).to_owned(), (*text).to_owned()))
                .collect()
        };
        BTreeMap::from([
            (
                "da",
                table(&[("nav.today", "I dag"), ("page.today.lead", "Registrér </script>")]),
            ),
            (
                "en",
                table(&[("nav.today", "Today"), ("page.today.lead", "Register")]),
            ),
        ])
    }

    #[test]
    fn the_keys_become_both_languages_texts_and_the_rest_of_the_page_stays() {
        let html = r#"<p>before</p><script type=application/json id=shell-pages>{"/": ["nav.today", "page.today.lead"]}</script><script>after()</script>"#;
        let written = with_page_texts(html, &locales()).unwrap();
        assert!(written.starts_with("<p>before</p><script type=application/json id=shell-pages>"));
        assert!(written.ends_with("</script><script>after()</script>"));
        let start = written.find("shell-pages>").unwrap() + "shell-pages>".len();
        let end = start + written[start..].find("</script>").unwrap();
        let pages: serde_json::Value = serde_json::from_str(&written[start..end]).unwrap();
        assert_eq!(
            pages["/"]["da"],
            serde_json::json!(["I dag", "Registrér </script>"])
        );
        assert_eq!(pages["/"]["en"], serde_json::json!(["Today", "Register"]));
    }

    #[test]
    fn a_key_missing_from_a_locale_or_a_page_without_the_shell_is_refused() {
        let unknown = r#"<script id="shell-pages">{"/": ["nav.today", "page.nowhere"]}</script>"#;
        let failure = with_page_texts(unknown, &locales()).unwrap_err().to_string();
        assert!(failure.contains("page.nowhere"), "{failure}");
        assert!(with_page_texts("<p>no shell</p>", &locales()).is_err());
    }
}
