//! Phone numbers, stored in E.164 ("+919840012345") and parsed from what people type
//! ("98400 12345", "+91-98400-12345", "098400 12345"). Numbers without a country code
//! are read as Indian.
//!
//! Indian mobile numbers — ten digits starting with 6, 7, 8 or 9 under the national
//! numbering plan, written with or without `+91`, `91` or a trunk `0` — are recognised
//! directly; everything else goes through libphonenumber's rules for its country. (The
//! direct path is also what keeps reading a contact back cheap.)

use std::fmt;

use phonenumber::{Mode, country};

use crate::ValueError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneE164(String);

impl PhoneE164 {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(ValueError::new("must not be empty"));
        }
        if text.chars().any(|c| c.is_alphabetic()) {
            return Err(ValueError::new("must contain only digits, spaces, '+', '-', '(' and ')'"));
        }
        if let Some(mobile) = indian_mobile(text) {
            return Ok(Self(mobile));
        }
        let number =
            phonenumber::parse(Some(country::Id::IN), text).map_err(|_| ValueError::new("is not a phone number"))?;
        if !phonenumber::is_valid(&number) {
            return Err(ValueError::new("is not a valid phone number for its country"));
        }
        Ok(Self(number.format().mode(Mode::E164).to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `+91XXXXXXXXXX` when `text` is an Indian mobile number in one of the usual forms.
fn indian_mobile(text: &str) -> Option<String> {
    if !text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '.')) {
        return None;
    }
    let international = text.trim_start().starts_with('+') || text.trim_start().starts_with("(+");
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = match (international, digits.len()) {
        (true, 12) => digits.strip_prefix("91")?,
        (false, 12) => digits.strip_prefix("91")?,
        (false, 11) => digits.strip_prefix('0')?,
        (false, 10) => digits.as_str(),
        _ => return None,
    };
    national.starts_with(['6', '7', '8', '9']).then(|| format!("+91{national}"))
}

impl fmt::Display for PhoneE164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_people_type_an_indian_mobile() {
        for typed in
            ["98400 12345", "+91-98400-12345", "098400 12345", "9840012345", "+91 98400 12345", "(+91) 98400-12345"]
        {
            assert_eq!(PhoneE164::parse(typed).unwrap().as_str(), "+919840012345", "{typed}");
        }
    }

    #[test]
    fn landlines_and_other_countries() {
        assert_eq!(PhoneE164::parse("044 2434 5678").unwrap().as_str(), "+914424345678");
        assert_eq!(PhoneE164::parse("+44 20 7946 0018").unwrap().as_str(), "+442079460018");
    }

    #[test]
    fn the_direct_path_agrees_with_libphonenumber() {
        for typed in ["9840012345", "+91 70123 45678", "06123456789", "91 8123456789", "+91 (99) 1234-5678"] {
            let direct = indian_mobile(typed).unwrap();
            let number = phonenumber::parse(Some(country::Id::IN), typed).unwrap();
            assert!(phonenumber::is_valid(&number), "{typed}");
            assert_eq!(direct, number.format().mode(Mode::E164).to_string(), "{typed}");
        }
        // Not mobiles, or not Indian: left to libphonenumber.
        for typed in ["044 2434 5678", "+44 7911 123456", "5123456789", "+1 212 555 0100"] {
            assert_eq!(indian_mobile(typed), None, "{typed}");
        }
    }

    proptest::proptest! {
        #[test]
        fn stored_numbers_parse_back_to_themselves(first in "[6-9]", rest in "[0-9]{9}", style in 0usize..4) {
            let national = format!("{first}{rest}");
            let typed = match style {
                0 => national.clone(),
                1 => format!("+91 {} {}", &national[..5], &national[5..]),
                2 => format!("0{national}"),
                _ => format!("+91-{}-{}", &national[..5], &national[5..]),
            };
            let phone = PhoneE164::parse(&typed).unwrap();
            proptest::prop_assert_eq!(phone.as_str(), format!("+91{national}"));
            proptest::prop_assert_eq!(PhoneE164::parse(phone.as_str()).unwrap(), phone);
        }
    }

    #[test]
    fn refusals() {
        assert!(PhoneE164::parse("12345").is_err());
        assert!(PhoneE164::parse("call me").unwrap_err().0.contains("only digits"));
        assert!(PhoneE164::parse("").is_err());
    }
}
