//! How a letter to one person opens, in the language of the letter: «प्रिय श्री राजेश जी»,
//! «அன்புள்ள திரு. கார்த்திக் அவர்களுக்கு», «પ્રિય શ્રી રમેશભાઈ», «Dear Mr. Sharma».
//!
//! The name is written in the letter's script when the contact has it there (their own
//! script, or a name kept in another script); otherwise in its Latin form, which every
//! letter can carry. Hindi, Tamil and Gujarati address the person by given name with a
//! respectful honorific and ending (जी, அவர்களுக்கு, ભાઈ/બેન); English by honorific and
//! family name, or by given name when there is no honorific to go with it.

use std::collections::BTreeMap;

use crate::{ContactData, Gender, Honorific, Script};

/// What a salutation needs of a person: their names in each script, honorific and
/// gender. Built from a [`ContactData`], or straight from storage for bulk work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonNames {
    pub honorific: Option<Honorific>,
    pub given_name: String,
    pub family_name: Option<String>,
    pub name_latin: Option<String>,
    pub other_names: BTreeMap<Script, String>,
    pub gender: Option<Gender>,
    /// The script of `given_name`; detected from it when not told.
    pub script: Option<Script>,
}

impl From<&ContactData> for PersonNames {
    fn from(contact: &ContactData) -> Self {
        Self {
            honorific: contact.honorific,
            given_name: contact.given_name.to_string(),
            family_name: contact.family_name.as_ref().map(ToString::to_string),
            name_latin: contact.name_latin.as_ref().map(ToString::to_string),
            other_names: contact.other_names.iter().map(|(script, name)| (*script, name.to_string())).collect(),
            gender: contact.gender,
            script: contact.script,
        }
    }
}

/// The languages whose salutation Sambandh writes itself; any other language is greeted
/// in English, the last link of every template's fallback chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterLanguage {
    Hindi,
    Tamil,
    Gujarati,
    English,
}

impl LetterLanguage {
    /// The language of a BCP 47 tag's primary subtag (`ta-IN` is Tamil), if Sambandh writes
    /// letters in it.
    pub fn of(tag: &str) -> Option<Self> {
        match tag.split('-').next().unwrap_or(tag).to_ascii_lowercase().as_str() {
            "hi" => Some(Self::Hindi),
            "ta" => Some(Self::Tamil),
            "gu" => Some(Self::Gujarati),
            "en" => Some(Self::English),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Hindi => "hi",
            Self::Tamil => "ta",
            Self::Gujarati => "gu",
            Self::English => "en",
        }
    }

    /// The script letters in this language are written in.
    pub fn script(self) -> Script {
        let code = match self {
            Self::Hindi => "Deva",
            Self::Tamil => "Taml",
            Self::Gujarati => "Gujr",
            Self::English => return Script::latin(),
        };
        Script::parse(code).unwrap_or_else(|_| Script::latin())
    }
}

/// The opening of a letter to `contact` in `language`, without trailing punctuation
/// (templates add the comma their language wants).
pub fn salutation(contact: &PersonNames, language: LetterLanguage) -> String {
    let name = NameParts::of(contact, language.script());
    let gender = contact.gender.or_else(|| contact.honorific.and_then(implied_gender));
    let honorific = contact.honorific.map(|h| honorific_in(h, language));
    match language {
        LetterLanguage::Hindi => join(["प्रिय", honorific.unwrap_or(""), name.given, "जी"]),
        LetterLanguage::Tamil => join(["அன்புள்ள", honorific.unwrap_or(""), name.given, "அவர்களுக்கு"]),
        LetterLanguage::Gujarati => {
            let suffix = match gender {
                Some(Gender::Male) => "ભાઈ",
                Some(Gender::Female) => "બેન",
                Some(Gender::Other) | None => "",
            };
            let given = format!("{}{suffix}", name.given);
            join(["પ્રિય", honorific.unwrap_or(""), &given])
        }
        LetterLanguage::English => match honorific {
            Some(honorific) => join(["Dear", honorific, name.family.unwrap_or(name.given)]),
            None => join(["Dear", name.given]),
        },
    }
}

fn join<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A person's given and family name in one script.
struct NameParts<'a> {
    given: &'a str,
    family: Option<&'a str>,
}

impl<'a> NameParts<'a> {
    /// The name in `script` when the contact has it there, else the Latin form, else the
    /// name in the contact's own script.
    fn of(contact: &'a PersonNames, script: Script) -> Self {
        let own_script = contact.script.or_else(|| Script::of_text(&contact.given_name));
        let own = || Self { given: first_word(&contact.given_name), family: contact.family_name.as_deref() };
        if own_script == Some(script) {
            return own();
        }
        let written = contact.other_names.get(&script).or(if script == Script::latin() {
            contact.name_latin.as_ref()
        } else {
            None
        });
        if let Some(parts) = written.and_then(|name| Self::split(name, contact.family_name.is_some())) {
            return parts;
        }
        if own_script == Some(Script::latin()) {
            return own();
        }
        contact
            .name_latin
            .as_ref()
            .and_then(|name| Self::split(name, contact.family_name.is_some()))
            .unwrap_or_else(own)
    }

    /// Splits a full name written out in one script: initials (the Tamil "R.") are
    /// dropped, the first word left is the given name and, when the contact has a family
    /// name, the last word is it.
    fn split(full: &'a str, has_family: bool) -> Option<Self> {
        let words: Vec<&str> = full.split_whitespace().filter(|word| !word.ends_with('.')).collect();
        let given = *words.first()?;
        let family = if has_family && words.len() > 1 { words.last().copied() } else { None };
        Some(Self { given, family })
    }
}

fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

fn implied_gender(honorific: Honorific) -> Option<Gender> {
    match honorific {
        Honorific::Shri | Honorific::Thiru | Honorific::Mr => Some(Gender::Male),
        Honorific::Smt
        | Honorific::Kumari
        | Honorific::Sushri
        | Honorific::Thirumathi
        | Honorific::Selvi
        | Honorific::Mrs
        | Honorific::Ms
        | Honorific::Miss => Some(Gender::Female),
        Honorific::Mx | Honorific::Dr | Honorific::Prof => None,
    }
}

/// The honorific as a letter in `language` writes it: a Tamil "Thiru" is «श्री» in a Hindi
/// letter, a Hindi "Shri" is «திரு.» in a Tamil one.
pub fn honorific_in(honorific: Honorific, language: LetterLanguage) -> &'static str {
    use Honorific as H;
    match language {
        LetterLanguage::Hindi => match honorific {
            H::Shri | H::Thiru | H::Mr => "श्री",
            H::Smt | H::Thirumathi | H::Mrs => "श्रीमती",
            H::Kumari | H::Selvi | H::Miss => "कुमारी",
            H::Sushri | H::Ms => "सुश्री",
            H::Dr => "डॉ.",
            H::Prof => "प्रो.",
            H::Mx => "",
        },
        LetterLanguage::Tamil => match honorific {
            H::Shri | H::Thiru | H::Mr => "திரு.",
            H::Smt | H::Thirumathi | H::Mrs => "திருமதி",
            H::Kumari | H::Selvi | H::Miss | H::Sushri | H::Ms => "செல்வி",
            H::Dr => "டாக்டர்",
            H::Prof => "பேராசிரியர்",
            H::Mx => "",
        },
        LetterLanguage::Gujarati => match honorific {
            H::Shri | H::Thiru | H::Mr => "શ્રી",
            H::Smt | H::Thirumathi | H::Mrs => "શ્રીમતી",
            H::Kumari | H::Selvi | H::Miss => "કુમારી",
            H::Sushri | H::Ms => "સુશ્રી",
            H::Dr => "ડૉ.",
            H::Prof => "પ્રો.",
            H::Mx => "",
        },
        LetterLanguage::English => honorific.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ContactInput;

    fn contact(input: ContactInput) -> PersonNames {
        PersonNames::from(&ContactData::parse(&input, &crate::StoredIds).unwrap())
    }

    fn person(honorific: &str, given: &str, family: Option<&str>) -> ContactInput {
        ContactInput {
            honorific: Some(honorific.into()),
            given_name: Some(given.into()),
            family_name: family.map(Into::into),
            ..ContactInput::default()
        }
    }

    #[test]
    fn the_four_languages_open_as_people_write_them() {
        let rajesh = contact(ContactInput {
            other_names: vec![("Deva".into(), "राजेश शर्मा".into())],
            ..person("Shri", "Rajesh", Some("Sharma"))
        });
        assert_eq!(salutation(&rajesh, LetterLanguage::Hindi), "प्रिय श्री राजेश जी");
        assert_eq!(salutation(&rajesh, LetterLanguage::English), "Dear Shri Sharma");

        let karthik = contact(ContactInput {
            father_name: Some("R.".into()),
            name_latin: Some("R. Karthik".into()),
            ..person("Thiru", "கார்த்திக்", None)
        });
        assert_eq!(salutation(&karthik, LetterLanguage::Tamil), "அன்புள்ள திரு. கார்த்திக் அவர்களுக்கு");
        assert_eq!(salutation(&karthik, LetterLanguage::English), "Dear Thiru Karthik");
        // No Devanagari name: the Latin form, which every letter can carry.
        assert_eq!(salutation(&karthik, LetterLanguage::Hindi), "प्रिय श्री Karthik जी");

        let ramesh = contact(person("Shri", "રમેશ", Some("પટેલ")));
        assert_eq!(salutation(&ramesh, LetterLanguage::Gujarati), "પ્રિય શ્રી રમેશભાઈ");
        let gita = contact(person("Smt", "ગીતા", None));
        assert_eq!(salutation(&gita, LetterLanguage::Gujarati), "પ્રિય શ્રીમતી ગીતાબેન");

        let sharma = contact(person("Mr", "Anil", Some("Sharma")));
        assert_eq!(salutation(&sharma, LetterLanguage::English), "Dear Mr. Sharma");
    }

    #[test]
    fn without_an_honorific_the_given_name_alone() {
        let priya = contact(ContactInput {
            given_name: Some("Priya".into()),
            family_name: Some("Iyer".into()),
            ..Default::default()
        });
        assert_eq!(salutation(&priya, LetterLanguage::English), "Dear Priya");
        assert_eq!(salutation(&priya, LetterLanguage::Tamil), "அன்புள்ள Priya அவர்களுக்கு");
        assert_eq!(salutation(&priya, LetterLanguage::Gujarati), "પ્રિય Priya");
    }

    #[test]
    fn languages_by_their_tags() {
        assert_eq!(LetterLanguage::of("ta-IN"), Some(LetterLanguage::Tamil));
        assert_eq!(LetterLanguage::of("GU"), Some(LetterLanguage::Gujarati));
        assert_eq!(LetterLanguage::of("mr"), None);
    }
}
