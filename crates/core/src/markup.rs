//! Text inside markup: the spreadsheet export's XML and the server's HTML page of the privacy
//! notice, where a participant-facing text must never become markup.

/// Markup characters escaped, and characters XML 1.0 forbids left out.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_forbidden_ones_left_out() {
        assert_eq!(escape("a<b & \u{1}c"), "a&lt;b &amp; c");
        assert_eq!(escape("\"Eva\"\n>"), "&quot;Eva&quot;\n&gt;");
    }
}
