//! Danish-aware search folding, used by every search box.
//!
//! Volunteers type on phones, often without Danish letters at hand: "soren" must find "Søren" and
//! "aase" must find "Åse". Both the query and the name are folded to lower-case ASCII where æ, ø and å
//! become their spelled forms (ae, oe, aa), and other accents are dropped. Because "ø" folds to "oe"
//! while a typed "o" stays "o", matching also tries the query against a second fold of the name
//! where ø becomes plain "o" (and æ "a", å "a"), the way people type when they skip the letter.

/// Folds text for matching: lower case, accents removed, æ/ø/å spelled out (ae/oe/aa).
pub fn fold(text: &str) -> String {
    fold_with(text, Spelling::Digraph)
}

/// True when the folded `query` occurs in the folded `name`. An empty query matches everything.
pub fn matches(name: &str, query: &str) -> bool {
    let query = fold(query);
    if query.is_empty() {
        return true;
    }
    fold(name).contains(&query) || fold_with(name, Spelling::Bare).contains(&query)
}

/// True when two names are the same once folded, with either spelling of æ, ø and å: "soren",
/// "Soeren" and "SØREN" are all "Søren". Used to flag a second person with the same nickname.
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    fold(a) == fold(b) || fold_with(a, Spelling::Bare) == fold_with(b, Spelling::Bare)
}

#[derive(Clone, Copy)]
enum Spelling {
    /// æ -> ae, ø -> oe, å -> aa: the spelled forms Danes use without a Danish keyboard.
    Digraph,
    /// æ -> a, ø -> o, å -> a: what people type when they skip the letter.
    Bare,
}

fn fold_with(text: &str, spelling: Spelling) -> String {
    let mut folded = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match (ch, spelling) {
            ('æ', Spelling::Digraph) => folded.push_str("ae"),
            ('ø', Spelling::Digraph) => folded.push_str("oe"),
            ('å', Spelling::Digraph) => folded.push_str("aa"),
            ('æ' | 'å', Spelling::Bare) => folded.push('a'),
            ('ø', Spelling::Bare) => folded.push('o'),
            _ => folded.push(strip_accent(ch)),
        }
    }
    folded
}

/// Latin letters with accents that turn up in names in Denmark, mapped to the bare letter.
fn strip_accent(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ő' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ű' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' | 'ß' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ğ' => 'g',
        'ı' => 'i',
        'ş' => 's',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_without_danish_letters_finds_the_danish_name() {
        assert!(matches("Søren", "soren"));
        assert!(matches("Søren", "soeren"));
        assert!(matches("Åse", "aase"));
        assert!(matches("Åse", "ase"));
        assert!(matches("Bjørn Æbelø", "aebel"));
    }

    #[test]
    fn spelled_forms_in_the_name_are_found_by_the_danish_letter() {
        assert!(matches("Aase", "å"));
        assert!(matches("Soeren", "ø"));
    }

    #[test]
    fn case_and_foreign_accents_are_ignored() {
        assert!(matches("JOSÉ", "jose"));
        assert!(matches("Zoë", "ZOE"));
        assert!(matches("Małgorzata", "malg"));
    }

    #[test]
    fn non_matches_stay_non_matches() {
        assert!(!matches("Søren", "karen"));
        assert!(!matches("Åse", "ost"));
    }

    #[test]
    fn empty_query_matches_everyone() {
        assert!(matches("Søren", ""));
        assert!(matches("", ""));
    }

    #[test]
    fn same_name_accepts_either_spelling_but_not_a_different_name() {
        assert!(same_name("Søren", "soren"));
        assert!(same_name("Søren", " SOEREN "));
        assert!(same_name("Åse", "aase"));
        assert!(!same_name("Søren", "Søs"));
        assert!(!same_name("Ole", "Olesen"));
    }

    #[test]
    fn fold_spells_out_danish_letters() {
        assert_eq!(fold("Ærø Ålborg Søby"), "aeroe aalborg soeby");
    }
}
