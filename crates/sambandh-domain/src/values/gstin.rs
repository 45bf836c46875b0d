//! GSTIN, India's Goods and Services Tax identification number: 15 characters — a state
//! code, the holder's PAN, an entity number, a default 'Z' and a mod-36 check character.

use std::fmt;

use crate::ValueError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gstin(String);

/// GST state codes in use: 01–38 for states and union territories, 97 for other
/// territory, 99 for the Centre's jurisdiction.
fn is_state_code(code: u32) -> bool {
    (1..=38).contains(&code) || code == 97 || code == 99
}

fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

fn value_char(value: u32) -> char {
    char::from_digit(value, 36).map_or('?', |c| c.to_ascii_uppercase())
}

/// The check character of the first 14 characters (each 0-9 or A-Z).
pub fn check_char(first14: &[u8]) -> Option<char> {
    let mut sum = 0;
    for (idx, c) in first14.iter().enumerate() {
        let factor = if idx % 2 == 0 { 1 } else { 2 };
        let product = char_value(*c)? * factor;
        sum += product / 36 + product % 36;
    }
    Some(value_char((36 - sum % 36) % 36))
}

impl Gstin {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text: String = raw.trim().chars().filter(|c| *c != ' ').collect::<String>().to_uppercase();
        let bytes = text.as_bytes();
        if bytes.len() != 15 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
            return Err(ValueError::new("must be 15 letters and digits"));
        }
        let state: u32 = text[0..2].parse().map_err(|_| ValueError::new("must start with a 2-digit state code"))?;
        if !is_state_code(state) {
            return Err(ValueError::new(format!("starts with {state:02}, which is not a GST state code")));
        }
        let pan = &bytes[2..12];
        let pan_shape = pan[..5].iter().all(u8::is_ascii_uppercase)
            && pan[5..9].iter().all(u8::is_ascii_digit)
            && pan[9].is_ascii_uppercase();
        if !pan_shape {
            return Err(ValueError::new("characters 3 to 12 must be a PAN (5 letters, 4 digits, 1 letter)"));
        }
        if bytes[12] == b'0' {
            return Err(ValueError::new("character 13 (the entity number) must be 1-9 or A-Z"));
        }
        let expected = check_char(&bytes[..14]).unwrap_or('?');
        if char::from(bytes[14]) != expected {
            return Err(ValueError::new(format!(
                "has the check character '{}' where '{expected}' was expected (a typo?)",
                char::from(bytes[14])
            )));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit GST state code, e.g. 33 for Tamil Nadu.
    pub fn state_code(&self) -> u32 {
        self.0[0..2].parse().unwrap_or_default()
    }
}

impl fmt::Display for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_example_is_valid() {
        // The example GSTIN used in the GST portal's own documentation.
        let gstin = Gstin::parse("27aapfu0939f1zv").unwrap();
        assert_eq!(gstin.as_str(), "27AAPFU0939F1ZV");
        assert_eq!(gstin.state_code(), 27);
    }

    #[test]
    fn refusals_say_why() {
        assert!(Gstin::parse("27AAPFU0939F1ZX").unwrap_err().0.contains("'V' was expected"));
        assert!(Gstin::parse("27AAPFU0939F1Z").unwrap_err().0.contains("15"));
        assert!(Gstin::parse("55AAPFU0939F1ZV").unwrap_err().0.contains("not a GST state code"));
        assert!(Gstin::parse("27AAPF10939F1ZV").unwrap_err().0.contains("PAN"));
    }

    proptest::proptest! {
        #[test]
        fn every_single_character_typo_in_the_check_char_is_caught(
            state in 1u32..=38, pan_letters in "[A-Z]{5}", digits in "[0-9]{4}", last in "[A-Z]", wrong in "[0-9A-Z]"
        ) {
            let first14 = format!("{state:02}{pan_letters}{digits}{last}1Z");
            let check = check_char(first14.as_bytes()).unwrap();
            let valid = format!("{first14}{check}");
            proptest::prop_assert!(Gstin::parse(&valid).is_ok());
            if !wrong.starts_with(check) {
                let typo = format!("{first14}{wrong}");
                proptest::prop_assert!(Gstin::parse(&typo).is_err());
            }
        }
    }
}
