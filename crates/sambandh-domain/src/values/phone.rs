//! Phone numbers, stored in E.164 ("+919840012345") and parsed from what people type
//! ("98400 12345", "+91-98400-12345", "098400 12345"). Numbers without a country code
//! are read as Indian.

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
    fn refusals() {
        assert!(PhoneE164::parse("12345").is_err());
        assert!(PhoneE164::parse("call me").unwrap_err().0.contains("only digits"));
        assert!(PhoneE164::parse("").is_err());
    }
}
