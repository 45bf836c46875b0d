//! Occasions to greet a person on: their birthday, the anniversary of the company they
//! work for, of their first deal with us, dates of their own, and the festivals they
//! chose to be greeted for.
//!
//! Decisions:
//! - A birthday or anniversary on 29 February falls on 28 February in other years (the
//!   day it is commonly kept in India, and the day before the date "rolls over").
//! - An anniversary is counted from the first full year: the day of the deal or the
//!   founding itself is not an occasion.
//! - What a person is greeted for is their own choice: personal occasions (birthday,
//!   anniversaries, their own dates) unless they opted out of one, festivals only those
//!   they opted into. Nothing is inferred from a name, a region or a religion.

use jiff::civil::Date;

use crate::ValueError;

/// What a greeting is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Occasion {
    Birthday,
    /// The anniversary of the day the contact's first deal was won.
    FirstDeal,
    /// The founding anniversary of a company the contact is linked to.
    CompanyAnniversary,
    /// A date of the contact's own (a wedding anniversary, a shop's opening), by label.
    Custom(String),
    /// A festival, by its calendar key (`diwali`, `pongal`, …).
    Festival(String),
}

impl Occasion {
    /// The occasion's key, as stored and written in rules: `birthday`, `first_deal`,
    /// `company_anniversary`, `custom:<label>`, `festival:<key>`.
    pub fn key(&self) -> String {
        match self {
            Self::Birthday => "birthday".to_owned(),
            Self::FirstDeal => "first_deal".to_owned(),
            Self::CompanyAnniversary => "company_anniversary".to_owned(),
            Self::Custom(label) => format!("custom:{label}"),
            Self::Festival(key) => format!("festival:{key}"),
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let raw = raw.trim();
        match raw {
            "birthday" => Ok(Self::Birthday),
            "first_deal" => Ok(Self::FirstDeal),
            "company_anniversary" => Ok(Self::CompanyAnniversary),
            _ => {
                if let Some(label) = raw.strip_prefix("custom:") {
                    let label = label.trim();
                    if label.is_empty() || label.len() > 60 {
                        return Err(ValueError::new("a custom occasion needs a label of 1 to 60 characters"));
                    }
                    return Ok(Self::Custom(label.to_owned()));
                }
                if let Some(key) = raw.strip_prefix("festival:") {
                    let key = key.trim();
                    if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    {
                        return Err(ValueError::new("a festival is named by its key, as in festival:diwali"));
                    }
                    return Ok(Self::Festival(key.to_owned()));
                }
                Err(ValueError::new(
                    "must be birthday, first_deal, company_anniversary, custom:<label> or festival:<key>",
                ))
            }
        }
    }

    /// Personal occasions are greeted unless the person opted out; festivals only when
    /// they opted in.
    pub fn is_personal(&self) -> bool {
        !matches!(self, Self::Festival(_))
    }
}

impl std::fmt::Display for Occasion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

/// The day in `year` on which a yearly occasion first kept on `month`/`day` falls:
/// 29 February is kept on 28 February in a year without one.
pub fn yearly_on(year: i16, month: i8, day: i8) -> Option<Date> {
    Date::new(year, month, day)
        .ok()
        .or_else(|| (month == 2 && day == 29).then(|| Date::new(year, 2, 28).ok()).flatten())
}

/// How many years an anniversary of `since` marks on `on`, when `on` is one (not the
/// day itself, nor any other day).
pub fn anniversary_years(since: Date, on: Date) -> Option<i16> {
    let years = on.year() - since.year();
    (years >= 1 && yearly_on(on.year(), since.month(), since.day()) == Some(on)).then_some(years)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_leap_day_is_kept_on_the_28th_in_other_years() {
        assert_eq!(yearly_on(2027, 2, 29), Some(date(2027, 2, 28)));
        assert_eq!(yearly_on(2028, 2, 29), Some(date(2028, 2, 29)));
        assert_eq!(yearly_on(2027, 11, 24), Some(date(2027, 11, 24)));
        assert_eq!(anniversary_years(date(2024, 2, 29), date(2027, 2, 28)), Some(3));
        assert_eq!(anniversary_years(date(2024, 2, 29), date(2028, 2, 28)), None);
    }

    #[test]
    fn anniversaries_start_after_a_full_year() {
        assert_eq!(anniversary_years(date(2026, 11, 24), date(2026, 11, 24)), None);
        assert_eq!(anniversary_years(date(2025, 11, 24), date(2026, 11, 24)), Some(1));
        assert_eq!(anniversary_years(date(2025, 11, 24), date(2026, 11, 25)), None);
    }

    #[test]
    fn occasions_by_key() {
        for key in ["birthday", "first_deal", "company_anniversary", "custom:wedding anniversary", "festival:diwali"] {
            assert_eq!(Occasion::parse(key).unwrap().key(), key);
        }
        assert!(Occasion::parse("festival:Diwali!").is_err());
        assert!(Occasion::parse("custom:").is_err());
        assert!(Occasion::parse("anniversary").is_err());
        assert!(!Occasion::parse("festival:pongal").unwrap().is_personal());
    }
}
