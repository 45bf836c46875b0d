//! Languages (BCP 47 tags such as `ta`, `hi-IN`, `gu`) and writing systems (ISO 15924
//! codes such as `Taml`, `Deva`, `Gujr`, `Latn`).

use std::fmt;

use icu_locale_core::LanguageIdentifier;
use icu_locale_core::subtags;

use crate::ValueError;

/// A BCP 47 language tag in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = raw.trim().replace('_', "-");
        let tag = LanguageIdentifier::try_from_str(&text)
            .map_err(|_| ValueError::new("is not a BCP 47 language tag such as hi, ta, gu or en-IN"))?;
        if tag.language.is_unknown() {
            return Err(ValueError::new("must name a language, such as hi, ta, gu or en"));
        }
        Ok(Self(tag.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag: `ta` for `ta-IN`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 15924 script code, title-cased (`Taml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Script(subtags::Script);

/// The Unicode blocks of the scripts Sambandh recognises in text, with their codes.
const SCRIPT_BLOCKS: &[(u32, u32, &str)] = &[
    (0x0600, 0x06FF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"),
    (0x0B00, 0x0B7F, "Orya"),
    (0x0B80, 0x0BFF, "Taml"),
    (0x0C00, 0x0C7F, "Telu"),
    (0x0C80, 0x0CFF, "Knda"),
    (0x0D00, 0x0D7F, "Mlym"),
];

impl Script {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        subtags::Script::try_from_str(raw.trim())
            .map(Self)
            .map_err(|_| ValueError::new("is not an ISO 15924 script code such as Taml, Deva, Gujr or Latn"))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn latin() -> Self {
        Self(subtags::script!("Latn"))
    }

    /// The script most letters of `text` are written in, if it is one we know.
    pub fn of_text(text: &str) -> Option<Self> {
        let mut counts = [0_usize; SCRIPT_BLOCKS.len() + 1];
        for c in text.chars().filter(|c| c.is_alphabetic() || is_indic_mark(*c)) {
            let cp = u32::from(c);
            if let Some(idx) = SCRIPT_BLOCKS.iter().position(|(lo, hi, _)| (*lo..=*hi).contains(&cp)) {
                counts[idx] += 1;
            } else if c.is_alphabetic() && cp < 0x0250 {
                counts[SCRIPT_BLOCKS.len()] += 1;
            }
        }
        let (best, n_letters) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
        if *n_letters == 0 {
            return None;
        }
        let code = SCRIPT_BLOCKS.get(best).map_or("Latn", |(_, _, code)| code);
        Self::parse(code).ok()
    }
}

fn is_indic_mark(c: char) -> bool {
    (0x0900..=0x0DFF).contains(&u32::from(c))
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_canonical() {
        assert_eq!(LanguageTag::parse("TA").unwrap().as_str(), "ta");
        assert_eq!(LanguageTag::parse("hi_in").unwrap().as_str(), "hi-IN");
        assert_eq!(LanguageTag::parse("gu-IN").unwrap().primary(), "gu");
        assert!(LanguageTag::parse("tamil language").is_err());
        assert!(LanguageTag::parse("").is_err());
    }

    #[test]
    fn scripts_parse_and_are_detected() {
        assert_eq!(Script::parse("taml").unwrap().as_str(), "Taml");
        assert!(Script::parse("Tamil").is_err());
        let detect = |text: &str| Script::of_text(text).map(|s| s.as_str().to_owned());
        assert_eq!(detect("கார்த்திக்").as_deref(), Some("Taml"));
        assert_eq!(detect("राजेश शर्मा").as_deref(), Some("Deva"));
        assert_eq!(detect("રમેશભાઈ").as_deref(), Some("Gujr"));
        assert_eq!(detect("R. Karthik").as_deref(), Some("Latn"));
        assert_eq!(detect("123 -").as_deref(), None);
    }
}
