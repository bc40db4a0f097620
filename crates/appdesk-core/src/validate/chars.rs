//! Which characters a text field may hold (R1's text rule, written once).
//!
//! Names, organizations, URLs and user stamps end up in terminals, tables and
//! logs; a control character there can forge a row (newline), rewrite the screen
//! (ESC, CSI, OSC), or make one name display as another (bidi overrides). So:
//!
//! - refused everywhere: C0 controls (U+0000–U+001F) except those a multi-line
//!   field allows, DEL (U+007F), C1 controls (U+0080–U+009F), the line and
//!   paragraph separators U+2028/U+2029, and the bidi embeddings, overrides and
//!   isolates (U+202A–U+202E, U+2066–U+2069). The bidi marks LRM/RLM/ALM stay
//!   allowed: mixed right-to-left text needs them and they reorder nothing.
//! - a multi-line field (only the tenant note) also allows newline and tab;
//!   never CR, which returns the cursor and lets a line overwrite itself.
//! - a required field (name, organization, user stamp) must hold at least one
//!   visible character: whitespace, format characters (Cf), combining marks of
//!   any script (Mn, Me), and Unicode's default-ignorable code points (fillers,
//!   variation selectors, reserved tags) alone do not count, so a name of U+200B
//!   is blank. This is decided by Unicode properties, not by a list of examples.
//!
//! Lone surrogates cannot occur in a Rust `str`. This module does not fold or
//! normalize text: what passes is stored as given (after trimming).

use std::borrow::Cow;
use std::fmt::Write;

use crate::error::Problem;

/// Why `c` may not appear in a field, or `None` if it may.
fn refused(c: char, multi_line: bool) -> Option<&'static str> {
    match c {
        '\n' | '\t' if multi_line => None,
        '\n' => Some("a line break"),
        '\r' => Some("a carriage return"),
        '\u{1b}' => Some("an escape character (ESC)"),
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some("a control character"),
        '\u{2028}' | '\u{2029}' => Some("a line or paragraph separator"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional override, which can make text display as other text")
        }
        _ => None,
    }
}

/// The first refused character of `value` as a problem naming `field`, its
/// position (counted in characters from 1) and its code point.
fn check(value: &str, field: &str, label: &str, multi_line: bool) -> Result<(), Problem> {
    match value
        .chars()
        .enumerate()
        .find_map(|(i, c)| refused(c, multi_line).map(|why| (i, c, why)))
    {
        None => Ok(()),
        Some((i, c, why)) => Err(Problem::new(
            field,
            format!(
                "{label} contains {why} (U+{:04X}) at character {}",
                u32::from(c),
                i + 1
            ),
        )),
    }
}

/// A one-line field (name, organization, URL, user stamp, a draft's fields):
/// no control, separator or bidi override character.
pub fn single_line_text(value: &str, field: &str, label: &str) -> Result<(), Problem> {
    check(value, field, label, false)
}

/// A multi-line field (the tenant note): as [`single_line_text`], but newline
/// and tab are allowed.
pub fn multi_line_text(value: &str, field: &str, label: &str) -> Result<(), Problem> {
    check(value, field, label, true)
}

/// `value` with every character a one-line field refuses written out as an
/// escape (`\n`, `\t`, `\r`, else `\u{1b}`), for printing text that may come
/// from a database other tools wrote. With `keep_newlines`, `\n` stays as it is
/// (for a whole rendered text, whose lines are meant).
pub fn escaped(value: &str, keep_newlines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| refused(c, false).is_some() && !(keep_newlines && c == '\n');
    if !value.chars().any(unsafe_char) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
        }
    }
    Cow::Owned(out)
}

/// Whether `c` shows nothing on its own, by its Unicode properties rather than
/// a list of examples: whitespace and separators (Z*), controls (Cc), format
/// characters (Cf: zero-width, bidi marks, BOM, soft hyphen, tags), combining
/// marks of every script (Mn, Me: they only decorate the character before), and
/// the Default_Ignorable_Code_Point set, which adds the fillers (Hangul fillers,
/// Khmer inherent vowels, U+034F), the variation selectors and the code points
/// Unicode reserves as ignorable though unassigned (U+2065, U+FFF0–U+FFF8,
/// U+E0000–U+E0FFF). The braille blank U+2800 is a symbol that draws no dot.
fn invisible(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    c.is_whitespace()
        || matches!(
            get_general_category(c),
            G::SpaceSeparator
                | G::LineSeparator
                | G::ParagraphSeparator
                | G::Control
                | G::Format
                | G::NonspacingMark
                | G::EnclosingMark
        )
        || default_ignorable(c)
        || c == '\u{2800}'
}

/// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt),
/// which the general category alone does not give: it includes letters that
/// render as nothing (the Hangul fillers) and reserved, unassigned code points.
fn default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// Whether `value` has at least one character that shows.
pub fn has_visible(value: &str) -> bool {
    value.chars().any(|c| !invisible(c))
}

/// Trims `value` and checks it as a required one-line field of at most `max`
/// characters that shows something.
pub fn required_line(value: &str, field: &str, label: &str, max: usize) -> Result<String, Problem> {
    let trimmed = value.trim();
    let len = trimmed.chars().count();
    single_line_text(trimmed, field, label)?;
    if len == 0 {
        Err(Problem::new(field, format!("{label} is required")))
    } else if !has_visible(trimmed) {
        Err(Problem::new(
            field,
            format!("{label} is required (it has no visible character)"),
        ))
    } else if len > max {
        Err(Problem::new(
            field,
            format!("{label} is {len} characters; at most {max} are allowed"),
        ))
    } else {
        Ok(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_separators_and_bidi_overrides_are_refused_on_one_line() {
        for c in [
            '\0', '\u{7}', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{2028}',
            '\u{2029}', '\u{202e}', '\u{2066}', '\u{2069}',
        ] {
            let value = format!("a{c}b");
            let p = single_line_text(&value, "name", "Name").unwrap_err();
            assert_eq!(p.field, "name");
            let code = format!("U+{:04X}", u32::from(c));
            assert!(p.message.contains(&code), "{c:?}: {}", p.message);
            assert!(p.message.contains("at character 2"), "{}", p.message);
        }
    }

    #[test]
    fn a_note_may_hold_newlines_and_tabs_but_no_other_control() {
        assert!(multi_line_text("line 1\n\tline 2", "note", "Note").is_ok());
        assert!(multi_line_text("a\rb", "note", "Note").is_err());
        assert!(multi_line_text("a\u{1b}[2Jb", "note", "Note").is_err());
        assert!(multi_line_text("a\u{202e}b", "note", "Note").is_err());
    }

    #[test]
    fn ordinary_text_in_any_script_passes() {
        for v in [
            "Dispatch Board",
            "Café ☕",
            "שלום\u{200f} עולם",
            "東京 HVAC",
            "e\u{301}",
        ] {
            assert!(single_line_text(v, "name", "Name").is_ok(), "{v:?}");
            assert!(has_visible(v), "{v:?}");
        }
    }

    #[test]
    fn text_made_only_of_invisible_characters_is_blank() {
        for v in [
            "\u{200b}",
            "\u{200b}\u{200d}\u{feff}",
            "\u{3164}",
            "\u{115f}\u{1160}",
            "\u{ffa0}",
            "\u{2800}",
            "\u{ad}",
            "\u{301}\u{302}",
            "\u{fe0f}",
            "\u{3000}",
            "\u{e0041}",
        ] {
            let p = required_line(v, "name", "Name", 120).unwrap_err();
            assert!(p.message.contains("required"), "{v:?}: {}", p.message);
        }
        assert_eq!(
            required_line(" \u{200b}A ", "name", "Name", 120).unwrap(),
            "\u{200b}A"
        );
    }

    #[test]
    fn escaping_leaves_no_refused_character_and_keeps_the_rest() {
        let hostile = "a\u{1b}]0;x\u{7}b\nc\td\re\u{9b}f\u{202e}g\u{2028}h é";
        let shown = escaped(hostile, false);
        assert_eq!(
            shown,
            "a\\u{1b}]0;x\\u{7}b\\nc\\td\\re\\u{9b}f\\u{202e}g\\u{2028}h é"
        );
        assert!(single_line_text(&shown, "x", "X").is_ok());
        assert_eq!(escaped("a\nb\u{1b}", true), "a\nb\\u{1b}");
        assert!(matches!(escaped("plain", false), Cow::Borrowed("plain")));
    }
}
