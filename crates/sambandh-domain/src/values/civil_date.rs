//! Civil dates as people write them in India: ISO `YYYY-MM-DD`, or day first
//! `DD/MM/YYYY` (also with '-' or '.').

use jiff::civil::Date;

use crate::ValueError;

/// Parses a full date. Day-first forms are recognised by a four-digit year at the end.
pub fn parse_civil_date(raw: &str) -> Result<Date, ValueError> {
    let text = raw.trim();
    let (year, month, day) =
        split_date(text).ok_or_else(|| ValueError::new("must be a date as YYYY-MM-DD or DD/MM/YYYY"))?;
    let year = year.ok_or_else(|| ValueError::new("must include the year"))?;
    Date::new(year, month, day).map_err(|_| ValueError::new(format!("{text} is not a day of the calendar")))
}

/// Splits a date into (year, month, day), accepting `YYYY-MM-DD`, `--MM-DD` (no year),
/// `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY` and `DD/MM` (no year).
pub(crate) fn split_date(text: &str) -> Option<(Option<i16>, i8, i8)> {
    if let Some(rest) = text.strip_prefix("--") {
        let (month, day) = rest.split_once('-')?;
        return Some((None, two_digits(month)?, two_digits(day)?));
    }
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [year, month, day] if year.len() == 4 => Some((Some(year.parse().ok()?), two_digits(month)?, two_digits(day)?)),
        [day, month, year] if year.len() == 4 => Some((Some(year.parse().ok()?), two_digits(month)?, two_digits(day)?)),
        [day, month] if text.contains('/') => Some((None, two_digits(month)?, two_digits(day)?)),
        _ => None,
    }
}

fn two_digits(text: &str) -> Option<i8> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let want = Date::new(1987, 3, 14).unwrap();
        for text in ["1987-03-14", "14/03/1987", "14-3-1987", "14.03.1987"] {
            assert_eq!(parse_civil_date(text).unwrap(), want, "{text}");
        }
        assert!(parse_civil_date("31/02/1987").unwrap_err().0.contains("not a day"));
        assert!(parse_civil_date("--03-14").unwrap_err().0.contains("year"));
        assert!(parse_civil_date("March 14").is_err());
    }
}
