//! Free text: Unicode NFC, trimmed, no control characters, bounded length.

use std::fmt;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::ValueError;

/// `text` in Unicode NFC. Text already in NFC (ASCII, and most of what is typed in any
/// script) is copied as it is, without decomposing and recomposing it.
pub fn nfc(text: &str) -> String {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text.to_owned(),
        IsNormalized::No | IsNormalized::Maybe => text.nfc().collect(),
    }
}

/// Normalises text on the way in: NFC, trimmed. Returns `None` for text that is empty
/// after trimming, so "   " means "not given".
pub fn clean(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(nfc(trimmed))
}

fn checked_text(raw: &str, max_chars: usize, allow_newlines: bool) -> Result<String, ValueError> {
    let text = clean(raw).ok_or_else(|| ValueError::new("must not be empty"))?;
    if let Some(bad) = text.chars().find(|c| c.is_control() && !(allow_newlines && matches!(c, '\n' | '\t'))) {
        return Err(ValueError::new(format!("must not contain the control character U+{:04X}", u32::from(bad))));
    }
    let n_chars = text.chars().count();
    if n_chars > max_chars {
        return Err(ValueError::new(format!("is {n_chars} characters long; at most {max_chars} are allowed")));
    }
    Ok(text)
}

macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident, $max:expr, $newlines:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, ValueError> {
                checked_text(raw, Self::MAX_CHARS, $newlines).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A name or a part of one, in any script: NFC, trimmed, one line, at most 200 characters.
    NameText, 200, false
);
text_type!(
    /// A short free-text value (an industry, a source, an address line): one line, at most 500 characters.
    ShortText, 500, false
);
text_type!(
    /// A longer free text (the notes of a call, an e-mail's body): lines and tabs allowed,
    /// at most 20,000 characters.
    LongText, 20_000, true
);
text_type!(
    /// The id a record has in another system (the key that makes re-imports update).
    ExternalId, 128, false
);

/// A label on a contact: NFC, trimmed, lower-cased, at most 64 characters, without the
/// separators `;` and `,` (a CSV cell holds several tags separated by `;`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(String);

impl Tag {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = checked_text(raw, 64, false)?.to_lowercase();
        if text.contains([';', ',']) {
            return Err(ValueError::new("must not contain ';' or ','"));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_nfc_and_trimmed() {
        // "கா" written as two code points that NFC leaves alone, and "é" decomposed.
        let decomposed = "  Rene\u{301} ";
        assert_eq!(NameText::parse(decomposed).unwrap().as_str(), "René");
        assert_eq!(NameText::parse(" கார்த்திக் ").unwrap().as_str(), "கார்த்திக்");
    }

    #[test]
    fn nfc_composes_what_the_quick_check_cannot_pass() {
        // Tamil "கொ" typed as its two vowel-sign halves (U+0BC6 U+0BBE): the quick check
        // says "maybe", and the full path composes them into U+0BCA.
        assert_eq!(nfc("\u{0B95}\u{0BC6}\u{0BBE}"), "\u{0B95}\u{0BCA}");
        assert_eq!(nfc("Rene\u{301}"), "René");
        for text in ["Karthik", "கார்த்திக்", "મહેશ", "विनोद"] {
            assert_eq!(nfc(text), text.nfc().collect::<String>());
        }
    }

    #[test]
    fn empty_and_control_characters_are_refused() {
        assert_eq!(NameText::parse("   ").unwrap_err().0, "must not be empty");
        assert!(NameText::parse("a\u{7}b").unwrap_err().0.contains("U+0007"));
        assert!(NameText::parse(&"x".repeat(201)).unwrap_err().0.contains("at most 200"));
    }

    proptest::proptest! {
        #[test]
        fn parsing_is_idempotent(raw in "\\PC{1,60}") {
            if let Ok(name) = NameText::parse(&raw) {
                proptest::prop_assert_eq!(NameText::parse(name.as_str()).unwrap(), name);
            }
            if let Ok(tag) = Tag::parse(&raw) {
                proptest::prop_assert_eq!(Tag::parse(tag.as_str()).unwrap(), tag);
            }
        }
    }

    #[test]
    fn tags_are_lower_case_without_separators() {
        assert_eq!(Tag::parse(" VIP ").unwrap().as_str(), "vip");
        assert!(Tag::parse("a;b").is_err());
        assert_eq!(Tag::parse("दिवाली").unwrap().as_str(), "दिवाली");
    }
}
