//! Birthdays, with or without the year (many people share the day but not the year).

use std::fmt;

use crate::ValueError;
use crate::values::civil_date::split_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Birthday {
    year: Option<i16>,
    month: i8,
    day: i8,
}

impl Birthday {
    /// Accepts `YYYY-MM-DD`, `--MM-DD` (no year), `DD/MM/YYYY` and `DD/MM`.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = raw.trim();
        let (year, month, day) = split_date(text)
            .ok_or_else(|| ValueError::new("must be a date as YYYY-MM-DD, --MM-DD (without the year) or DD/MM/YYYY"))?;
        if let Some(year) = year
            && !(1850..=2200).contains(&year)
        {
            return Err(ValueError::new(format!("has the year {year}, which cannot be a birth year")));
        }
        // Without a year, 29 February is a valid birthday: check against a leap year.
        jiff::civil::Date::new(year.unwrap_or(2000), month, day)
            .map_err(|_| ValueError::new(format!("{text} is not a day of the calendar")))?;
        Ok(Self { year, month, day })
    }

    pub fn year(&self) -> Option<i16> {
        self.year
    }

    pub fn month(&self) -> i8 {
        self.month
    }

    pub fn day(&self) -> i8 {
        self.day
    }
}

/// `YYYY-MM-DD`, or `--MM-DD` when the year is not known (the vCard/ISO 8601 form).
impl fmt::Display for Birthday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(year) => write!(f, "{year:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays() {
        assert_eq!(Birthday::parse("1987-03-14").unwrap().to_string(), "1987-03-14");
        assert_eq!(Birthday::parse("--03-14").unwrap().to_string(), "--03-14");
        assert_eq!(Birthday::parse("14/03/1987").unwrap().to_string(), "1987-03-14");
        assert_eq!(Birthday::parse("29/02").unwrap().to_string(), "--02-29");
        assert!(Birthday::parse("1987-02-29").unwrap_err().0.contains("not a day"));
        assert!(Birthday::parse("1687-02-01").unwrap_err().0.contains("birth year"));
        assert!(Birthday::parse("tomorrow").is_err());
    }

    proptest::proptest! {
        #[test]
        fn display_round_trips(year in proptest::option::of(1900i16..2100), month in 1i8..=12, day in 1i8..=28) {
            let birthday = Birthday { year, month, day };
            proptest::prop_assert_eq!(Birthday::parse(&birthday.to_string()).unwrap(), birthday);
        }
    }
}
