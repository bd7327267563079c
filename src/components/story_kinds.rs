//! The kinds of story a volunteer can write, with their names: offered on the Today page and
//! shown beside each story on the trends page.

use spor_core::story::StoryKind;

use crate::i18n::Key;

pub const STORY_KINDS: [(StoryKind, Key); 3] = [
    (StoryKind::SignOfChange, Key::StoryKindSign),
    (StoryKind::Quote, Key::StoryKindQuote),
    (StoryKind::Situation, Key::StoryKindSituation),
];

/// The name of `kind`.
pub fn story_kind_name(kind: StoryKind) -> Key {
    STORY_KINDS
        .iter()
        .find(|(known, _)| *known == kind)
        .map_or(Key::StoryKindSign, |(_, key)| *key)
}
