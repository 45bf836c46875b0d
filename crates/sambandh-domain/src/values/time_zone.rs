//! IANA time zone names, checked against the tz database compiled into the binary.

use std::fmt;

use crate::ValueError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = raw.trim();
        let tz = jiff::tz::db()
            .get(text)
            .map_err(|_| ValueError::new(format!("'{text}' is not an IANA time zone such as Asia/Kolkata")))?;
        Ok(Self(tz.iana_name().unwrap_or(text).to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn to_time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::db().get(&self.0).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones() {
        assert_eq!(TimeZoneName::parse(" Asia/Kolkata ").unwrap().as_str(), "Asia/Kolkata");
        assert!(TimeZoneName::parse("Asia/Calcutta").is_ok());
        assert!(TimeZoneName::parse("IST+5:30").unwrap_err().0.contains("IANA"));
    }
}
