//! Money: integer minor units with an ISO 4217 currency (INR by default), read as people
//! write amounts and shown with Indian digit grouping (12,34,567.00).

use std::fmt;

use crate::ValueError;

/// An ISO 4217 currency code, upper-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const INR: Currency = Currency(*b"INR");

    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let code = raw.trim().to_ascii_uppercase();
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|byte| byte.is_ascii_uppercase()) => Ok(Self([*a, *b, *c])),
            _ => Err(ValueError::new(format!("'{}' is not an ISO 4217 currency code such as INR or USD", raw.trim()))),
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point (ISO 4217): 2 for most, 0 for yen and won, 3
    /// for the Gulf dinars.
    pub fn minor_digits(self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"VND" | b"CLP" | b"ISK" | b"UGX" => 0,
            b"BHD" | b"KWD" | b"OMR" | b"JOD" | b"TND" | b"IQD" | b"LYD" => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money in minor units (paise for INR).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    /// Reads an amount as typed: "1234567.5", "12,34,567.00", "₹ 12,34,567", "1,234,567".
    /// Grouping commas and spaces are ignored; more decimals than the currency has are
    /// refused rather than rounded.
    pub fn parse(raw: &str, currency: Currency) -> Result<Self, ValueError> {
        let text: String =
            raw.trim().trim_start_matches('₹').chars().filter(|c| !matches!(c, ',' | ' ' | '_')).collect();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(ValueError::new(format!("'{}' is not an amount such as 12,34,567.00", raw.trim())));
        }
        let places = currency.minor_digits();
        if fraction.len() > places as usize {
            return Err(ValueError::new(format!("{currency} has {places} digits after the decimal point")));
        }
        let too_large = || ValueError::new("is too large");
        let whole: i64 = whole.parse().map_err(|_| too_large())?;
        let fraction: i64 = if fraction.is_empty() {
            0
        } else {
            let padded = format!("{fraction:0<width$}", width = places as usize);
            padded.parse().map_err(|_| too_large())?
        };
        let minor = whole
            .checked_mul(10_i64.pow(places))
            .and_then(|minor| minor.checked_add(fraction))
            .ok_or_else(too_large)?;
        Ok(Self { minor: if negative { -minor } else { minor }, currency })
    }

    /// The amount with Indian digit grouping: lakhs and crores (12,34,567.00).
    pub fn indian_format(&self) -> String {
        let places = self.currency.minor_digits();
        let scale = 10_u64.pow(places);
        let magnitude = self.minor.unsigned_abs();
        let (whole, fraction) = (magnitude / scale, magnitude % scale);
        let digits = whole.to_string();
        let grouped = if digits.len() <= 3 {
            digits
        } else {
            let (head, last_three) = digits.split_at(digits.len() - 3);
            let mut groups: Vec<&str> = Vec::new();
            let mut rest = head;
            while rest.len() > 2 {
                let (front, pair) = rest.split_at(rest.len() - 2);
                groups.push(pair);
                rest = front;
            }
            groups.push(rest);
            groups.reverse();
            format!("{},{last_three}", groups.join(","))
        };
        let sign = if self.minor < 0 { "-" } else { "" };
        if places == 0 {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}.{fraction:0width$}", width = places as usize)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inr(raw: &str) -> Money {
        Money::parse(raw, Currency::INR).unwrap()
    }

    #[test]
    fn amounts_as_people_write_them() {
        assert_eq!(inr("1234567.5").minor, 123_456_750);
        assert_eq!(inr("12,34,567.00").minor, 123_456_700);
        assert_eq!(inr("₹ 1,234,567").minor, 123_456_700);
        assert_eq!(inr("-0.05").minor, -5);
        assert!(Money::parse("12.345", Currency::INR).unwrap_err().0.contains("2 digits"));
        assert!(Money::parse("12 lakh", Currency::INR).is_err());
        assert!(Money::parse("99999999999999999999", Currency::INR).is_err());
        let yen = Currency::parse("jpy").unwrap();
        assert_eq!(Money::parse("1,500", yen).unwrap().minor, 1500);
        assert!(Currency::parse("rupees").is_err());
    }

    #[test]
    fn indian_digit_grouping() {
        for (minor, shown) in [
            (0, "0.00"),
            (5, "0.05"),
            (99_900, "999.00"),
            (100_000, "1,000.00"),
            (123_456_700, "12,34,567.00"),
            (123_456_789_000, "1,23,45,67,890.00"),
            (-123_456_789, "-12,34,567.89"),
        ] {
            assert_eq!(Money { minor, currency: Currency::INR }.indian_format(), shown);
        }
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money { minor: 1_234_500, currency: kwd }.indian_format(), "1,234.500");
    }

    proptest::proptest! {
        #[test]
        fn formatting_parses_back(minor in -9_000_000_000_000_000_i64..9_000_000_000_000_000) {
            let money = Money { minor, currency: Currency::INR };
            proptest::prop_assert_eq!(Money::parse(&money.indian_format(), Currency::INR).unwrap(), money);
        }
    }
}
