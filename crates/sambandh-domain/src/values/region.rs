//! Regions: ISO 3166-2 subdivision codes (`IN-TN`). Indian states and union territories
//! are checked against the list and may also be given by name ("Tamil Nadu").

use std::fmt;

use crate::ValueError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(String);

/// ISO 3166-2:IN codes with their names. Where ISO changed a code (Odisha OR→OD,
/// Chhattisgarh CT→CG, Telangana TG→TS, Uttarakhand UT→UK, the 2020 merger of Dadra and
/// Nagar Haveli with Daman and Diu), the older code is accepted as an alias.
const INDIA: &[(&str, &str)] = &[
    ("AN", "Andaman and Nicobar Islands"),
    ("AP", "Andhra Pradesh"),
    ("AR", "Arunachal Pradesh"),
    ("AS", "Assam"),
    ("BR", "Bihar"),
    ("CH", "Chandigarh"),
    ("CG", "Chhattisgarh"),
    ("DH", "Dadra and Nagar Haveli and Daman and Diu"),
    ("DL", "Delhi"),
    ("GA", "Goa"),
    ("GJ", "Gujarat"),
    ("HR", "Haryana"),
    ("HP", "Himachal Pradesh"),
    ("JK", "Jammu and Kashmir"),
    ("JH", "Jharkhand"),
    ("KA", "Karnataka"),
    ("KL", "Kerala"),
    ("LA", "Ladakh"),
    ("LD", "Lakshadweep"),
    ("MP", "Madhya Pradesh"),
    ("MH", "Maharashtra"),
    ("MN", "Manipur"),
    ("ML", "Meghalaya"),
    ("MZ", "Mizoram"),
    ("NL", "Nagaland"),
    ("OD", "Odisha"),
    ("PY", "Puducherry"),
    ("PB", "Punjab"),
    ("RJ", "Rajasthan"),
    ("SK", "Sikkim"),
    ("TN", "Tamil Nadu"),
    ("TS", "Telangana"),
    ("TR", "Tripura"),
    ("UP", "Uttar Pradesh"),
    ("UK", "Uttarakhand"),
    ("WB", "West Bengal"),
];

const INDIA_ALIASES: &[(&str, &str)] =
    &[("OR", "OD"), ("CT", "CG"), ("TG", "TS"), ("UT", "UK"), ("DN", "DH"), ("DD", "DH")];

impl Region {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = raw.trim();
        if let Some((code, _)) = INDIA.iter().find(|(_, name)| name.eq_ignore_ascii_case(text)) {
            return Ok(Self(format!("IN-{code}")));
        }
        let upper = text.to_ascii_uppercase();
        let Some((country, subdivision)) = upper.split_once('-') else {
            return Err(ValueError::new("must be an ISO 3166-2 code such as IN-TN, or an Indian state's name"));
        };
        let shape_ok = country.len() == 2
            && country.bytes().all(|b| b.is_ascii_uppercase())
            && (1..=3).contains(&subdivision.len())
            && subdivision.bytes().all(|b| b.is_ascii_alphanumeric());
        if !shape_ok {
            return Err(ValueError::new("must be an ISO 3166-2 code such as IN-TN, or an Indian state's name"));
        }
        if country == "IN" {
            let code = INDIA_ALIASES.iter().find(|(old, _)| *old == subdivision).map_or(subdivision, |(_, new)| new);
            if !INDIA.iter().any(|(known, _)| *known == code) {
                return Err(ValueError::new(format!("IN-{subdivision} is not an Indian state or union territory")));
            }
            return Ok(Self(format!("IN-{code}")));
        }
        Ok(Self(upper))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country part: `IN` for `IN-TN`.
    pub fn country(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(Region::parse("in-tn").unwrap().as_str(), "IN-TN");
        assert_eq!(Region::parse("Tamil Nadu").unwrap().as_str(), "IN-TN");
        assert_eq!(Region::parse("IN-OR").unwrap().as_str(), "IN-OD");
        assert_eq!(Region::parse("US-CA").unwrap().country(), "US");
        assert!(Region::parse("IN-XX").unwrap_err().0.contains("not an Indian state"));
        assert!(Region::parse("Madras").is_err());
    }
}
