//! Indian postal index numbers: six digits, the first not 0.

use std::fmt;

use crate::ValueError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PinCode([u8; 6]);

impl PinCode {
    /// Accepts the digits with inner spaces as people write them ("600 017").
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let compact: String = raw.chars().filter(|c| *c != ' ').collect();
        let Ok(digits) = <[u8; 6]>::try_from(compact.as_bytes()) else {
            return Err(ValueError::new("must be 6 digits"));
        };
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(ValueError::new("must be 6 digits"));
        }
        if digits[0] == b'0' {
            return Err(ValueError::new("must not start with 0"));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        // The bytes are ASCII digits by construction.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for PinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_codes() {
        assert_eq!(PinCode::parse("600017").unwrap().as_str(), "600017");
        assert_eq!(PinCode::parse(" 380 001 ").unwrap().as_str(), "380001");
        assert_eq!(PinCode::parse("060001").unwrap_err().0, "must not start with 0");
        assert_eq!(PinCode::parse("60001").unwrap_err().0, "must be 6 digits");
        assert_eq!(PinCode::parse("6000１7").unwrap_err().0, "must be 6 digits");
        assert_eq!(PinCode::parse("60001a").unwrap_err().0, "must be 6 digits");
    }

    proptest::proptest! {
        #[test]
        fn valid_pins_round_trip(pin in "[1-9][0-9]{5}") {
            let parsed = PinCode::parse(&pin).unwrap();
            proptest::prop_assert_eq!(parsed.as_str(), pin.as_str());
            proptest::prop_assert_eq!(PinCode::parse(&parsed.to_string()).unwrap(), parsed);
        }
    }
}
