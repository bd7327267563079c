//! Reading texts aloud with the browser's speech synthesis, in a voice of the survey's language.

use leptos::prelude::*;
use spor_core::Language;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub struct UseSpeechOptions {
    /// The language to read in; a voice for it must exist, or nothing is offered.
    pub language: Signal<Language>,
}

pub struct UseSpeechReturn {
    /// True when the browser has a voice for the language: the read-aloud buttons show only then.
    pub available: Signal<bool>,
    /// Reads a text aloud, stopping whatever was being read.
    pub speak: Callback<String>,
}

fn synthesis() -> Option<web_sys::SpeechSynthesis> {
    // Browsers without speech synthesis (and some privacy modes) have no such property.
    let window = web_sys::window()?;
    js_sys::Reflect::has(&window, &"speechSynthesis".into())
        .unwrap_or(false)
        .then(|| window.speech_synthesis().ok())
        .flatten()
}

fn voice_for(language: Language) -> Option<web_sys::SpeechSynthesisVoice> {
    synthesis()?
        .get_voices()
        .iter()
        .filter_map(|voice| voice.dyn_into::<web_sys::SpeechSynthesisVoice>().ok())
        .find(|voice| voice.lang().to_lowercase().starts_with(language.tag()))
}

pub fn use_speech(options: UseSpeechOptions) -> UseSpeechReturn {
    let UseSpeechOptions { language } = options;
    // Voices load asynchronously: count the `voiceschanged` events so availability is re-read.
    let voices_changed = RwSignal::new(0u32);
    if let Some(synthesis) = synthesis() {
        let on_change = Closure::<dyn Fn()>::new(move || {
            voices_changed.try_update(|count| *count += 1);
        });
        synthesis.set_onvoiceschanged(Some(on_change.as_ref().unchecked_ref()));
        // The handler lives as long as the page's speech synthesis does.
        on_change.forget();
    }
    let available = Signal::derive(move || {
        voices_changed.track();
        voice_for(language.get()).is_some()
    });
    let speak = Callback::new(move |text: String| {
        let (Some(synthesis), Some(voice)) = (synthesis(), voice_for(language.get_untracked())) else {
            return;
        };
        let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(&text) else {
            return;
        };
        utterance.set_voice(Some(&voice));
        utterance.set_lang(&voice.lang());
        utterance.set_rate(0.9);
        synthesis.cancel();
        synthesis.speak(&utterance);
    });
    UseSpeechReturn { available, speak }
}
